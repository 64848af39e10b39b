"""The store's write-ahead journal: what an import is about to write, line by line.

Before the store writes a content file it appends one line to ``.archiver/store.journal``:
``["new"|"replace"|"kept", identity key, path, sha256, size]``. The journal is what makes it
safe to save the store index rarely and to create a new file in place (no temporary file):

* a run that finishes saves the index and removes the journal;
* after a run killed half-way, ``replay`` reads it: a file whose bytes have the logged hash
  is complete and ours (its index record is restored); a file created in place (``new``)
  that is shorter than logged was cut off by the kill and is removed, so the next import
  writes it again, whole. Anything else (a file that is not there, or longer or different:
  someone else's text now) is left alone; the store then treats it as it always did.

``kept`` cancels a ``new`` line whose file turned out to exist already (never ours to remove).
"""

from __future__ import annotations

import hashlib
import json
import threading
from pathlib import Path
from typing import BinaryIO, Iterable

from archiver.paths import is_safe_relative
from archiver.safewrite import write_error

NEW, REPLACE, KEPT = "new", "replace", "kept"
_encode_line = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps(..., ensure_ascii=False),
# without building an encoder per call (one line per file written)


class Journal:
    """Appends write records to one file, unbuffered: a line is on disk before its file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: BinaryIO | None = None
        self._lock = threading.Lock()  # the store's thread and its FileWriter both log

    def log(self, mode: str, key: str, rel: str, digest: str, size: int) -> None:
        self.log_many([(mode, key, rel, digest, size)])

    def log_many(self, records: Iterable[tuple[str, str, str, str, int]]) -> None:
        """Append lines in one write (O_APPEND: whole lines even with a writer process)."""
        lines = "".join([_encode_line(record) + "\n" for record in records])
        with self._lock:
            try:
                if self._handle is None:
                    self.path.parent.mkdir(parents=True, exist_ok=True)
                    self._handle = open(self.path, "ab", buffering=0)  # noqa: SIM115 - for the run
                self._handle.write(lines.encode("utf-8"))
            except OSError as exc:
                raise write_error(self.path, exc) from exc

    def clear(self) -> None:
        """Forget every line (the index now holds what they recorded)."""
        if self._handle is not None:
            self._handle.truncate(0)

    def remove(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None
        self.path.unlink(missing_ok=True)

    def replay(self, content: Path, index: dict[str, dict[str, str]]) -> int:
        """Restore the records of complete files into ``index``, remove files cut short.

        Returns how many index records changed.
        """
        changed = 0
        for rel, (mode, key, digest, size) in self._last_line_per_path().items():
            target = content / rel
            try:
                data = target.read_bytes()
            except OSError:
                continue
            if hashlib.sha256(data).hexdigest() == digest:
                record = {"path": rel, "hash": digest}
                if index.get(key) != record:
                    index[key] = record
                    changed += 1
            elif mode == NEW and len(data) < size:
                target.unlink(missing_ok=True)
        return changed

    def _last_line_per_path(self) -> dict[str, tuple[str, str, str, int]]:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return {}
        latest: dict[str, tuple[str, str, str, int]] = {}
        for line in raw.split(b"\n"):
            try:  # the last line may be cut off by the kill: skipped
                mode, key, rel, digest, size = json.loads(line)
            except (ValueError, TypeError):
                continue
            if (isinstance(rel, str) and is_safe_relative(rel) and isinstance(key, str)
                    and isinstance(size, int) and mode in (NEW, REPLACE, KEPT)):
                latest[rel] = (mode, key, str(digest), size)
        return latest
