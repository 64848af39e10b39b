"""The only code that writes content/: one Markdown file per entry, media beside it.

Rules (DESIGN.md): a path per kind (posts/YYYY/slug.md, tweets/YYYY/MM/id.md, pages/slug.md);
slug collisions get ``-2``, ``-3``...; identity is (source, source_id), and a file the person
moved to another folder is found there; unchanged files are not touched (not even mtime); a
file the user edited since we wrote it is never overwritten. What
we wrote is remembered in ``.archiver/store.json`` (identity -> path and hash of the text).

Crash safety (kill -9 at any point, then import again = a clean import): every write is first
logged in the journal (storejournal.py), so the index is saved only every SAVE_INDEX_EVERY
writes and at the end. Rewrites of existing files are atomic (temp file + os.replace). New
files are created in place, by a forked writer process (filewriter.py), once a run has
created IN_PLACE_AFTER of them: a large first import, where temp + rename costs 2-3x the
create on ext4, while a small import (a feed, a re-import) keeps the simple atomic path and
never starts that process. A file cut short by a kill is found through the journal and
written again. If the index and journal are both lost, the identity
is recovered from the file itself: a file at the target path that carries the same identity
is ours, not a collision; but what we wrote into it is not known any more, so a file that
differs from what the import would write is kept as it is (it may hold the person's edits).
"""

from __future__ import annotations

import enum
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping

from archiver import frontmatter
from archiver.build.stamps import markdown_files
from archiver.errors import ArchiverError
from archiver.filewriter import FileWriter
from archiver.model import KIND_FOLDERS, Entry, without_lone_surrogates
from archiver.paths import is_safe_relative, slugify
from archiver.safewrite import TEMP_PREFIX, TEMP_SUFFIX, RunMarker, atomic_write, remove_temp_files, write_error
from archiver.statefiles import read_state
from archiver.storejournal import REPLACE, Journal
from archiver.storemerge import merge, missing_comments

INDEX_VERSION = 1
SAVE_INDEX_EVERY = 50_000  # writes between index saves (the journal covers the ones between;
# each save writes the whole index: at 20,000 a 100k import encoded 300k records, 0.8 s)
IN_PLACE_AFTER = 100  # new files a run writes atomically before the writer process takes over
# (each costs the importing process a temp file + rename: 0.3-0.6 ms on ext4 under load)
_MAX_PLAIN_ID = 80  # a tweet id of ASCII digits up to this long: slugify() returns it unchanged


class Outcome(enum.Enum):
    IMPORTED = "imported"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    KEPT_EDIT = "kept your edit"


@dataclass(frozen=True)
class ImportedItem:
    """What an importer yields: an entry plus the bytes of its media files.

    ``files`` maps a media path (relative to content/, under ``media/``) to a function that
    returns the file's bytes; it is called only when the file is not there yet.
    """

    entry: Entry
    files: Mapping[str, Callable[[], bytes]] = field(default_factory=dict)


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _numbered(stem: str, attempt: int) -> str:
    """``stem.md``, or ``stem-N.md`` for attempt N > 1."""
    return f"{stem}-{attempt}.md" if attempt > 1 else f"{stem}.md"


def read_exact(path: Path) -> str:
    """A file's text exactly as written: ``\r`` in a tweet is kept (``read_text`` would turn
    ``\r\n`` into ``\n``, the hash would differ, and every re-import would see an edit)."""
    return path.read_bytes().decode("utf-8")


class Store:
    """Writes entries and media under ``<site>/content`` and remembers what it wrote."""

    def __init__(self, site_root: Path) -> None:
        self.site_root = site_root
        self.content = site_root / "content"
        self.index_path = site_root / ".archiver" / "store.json"
        self._index: dict[str, dict[str, str]] = self._load_index()
        self._paths_in_use = {record["path"] for record in self._index.values()}
        self._unsaved = 0
        self._marker = RunMarker(self.index_path.parent / "import.running")
        self._journal = Journal(self.index_path.parent / "store.journal")
        self._writer = FileWriter(self._journal, self.content)
        self._names: dict[str, set[str]] = {}  # content folder -> names in it (listed once)
        self._missing_folders: set[str] = set()
        self._created = 0
        self._first_free: dict[str, int] = {}  # path stem -> numbers below are the index's
        self.kept_unknown = 0  # files kept since the index that knew whether we wrote them is lost
        self.kept_without_comments: list[tuple[str, int]] = []  # edited files the import has more comments for
        self._unlisted: dict[tuple[str, str] | None, str] | None = None  # see _moved_files

    # -- index ---------------------------------------------------------------------------
    def _load_index(self) -> dict[str, dict[str, str]]:
        data = read_state(self.index_path)  # a damaged index is rebuilt from the files themselves
        if data.get("version") != INDEX_VERSION:
            return {}
        items = data.get("items", {})
        return items if isinstance(items, dict) else {}

    def save_index(self) -> None:
        if self._unsaved == 0 and self.index_path.exists():
            self._writer.drain()
            return  # nothing changed: not even the index file is touched
        payload = {"version": INDEX_VERSION, "items": self._index}
        data = json.dumps(payload, separators=(",", ":")).encode()  # while the writer works
        self._writer.drain()  # the index lists only files that are written
        atomic_write(self.index_path, data)
        self._journal.clear()
        self._unsaved = 0

    def __enter__(self) -> "Store":
        """Start an import; after a killed one, first remove the temporary files it left and
        restore from the journal what it wrote after its last index save."""
        if self._marker.start():
            self._remove_temp_files()
        if self._journal.path.exists():
            self._unsaved += self._journal.replay(self.content, self._index)
            self._paths_in_use = {record["path"] for record in self._index.values()}
            self.save_index()
            self._journal.remove()
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self._writer.close()
        finally:
            if not self._writer.cut_off:  # else the writer was killed (filewriter.py): the index
                self.save_index()  # could list a file it cut short; the next run replays the
                self._journal.remove()  # journal instead, as after a kill
            if exc[0] is not None:  # stopped by an error or a Ctrl-C, maybe right after it made
                self._remove_temp_files()  # a temporary file: none is left behind
            self._marker.finish()

    def _remove_temp_files(self) -> None:
        """The temporary files of a run that stopped half-way (safewrite.atomic_write's)."""
        remove_temp_files(self.content, f"{TEMP_PREFIX}*{TEMP_SUFFIX}")
        remove_temp_files(self.index_path.parent, f"{TEMP_PREFIX}*{TEMP_SUFFIX}")

    # -- paths ---------------------------------------------------------------------------
    def path_for(self, entry: Entry, attempt: int = 1) -> str:
        """The content-relative path for an entry; ``attempt`` > 1 adds ``-attempt``."""
        return _numbered(self._path_stem(entry), attempt)

    @staticmethod
    def _path_stem(entry: Entry) -> str:
        """The entry's path without ``-N`` and ``.md`` (``posts/2010/the-mutuality``)."""
        folder = KIND_FOLDERS.get(entry.kind, "pages")
        if entry.is_tweet:
            source_id = entry.source_id
            name = source_id if (source_id.isdigit() and source_id.isascii()
                                 and len(source_id) <= _MAX_PLAIN_ID) else slugify(
                source_id or entry.id or entry.slug, fallback="tweet")
            date = entry.date
            month = (f"{date.year}/{date.month:02d}" if date.year >= 1000  # strftime is slower
                     else f"{date:%Y/%m}")
            return f"{folder}/{month}/{name}"
        slug = slugify(entry.slug or entry.title, fallback=entry.source_id or "untitled")
        if entry.kind == "page":
            return f"{folder}/{slug}"
        return f"{folder}/{entry.date:%Y}/{slug}"

    @staticmethod
    def media_path(folder: str, name: str) -> str:
        """Where a media file lives, relative to content/ (``media/<folder>/<name>``)."""
        path = f"media/{folder}/{name}"
        if not is_safe_relative(path):
            raise ArchiverError(f"unsafe media path {path!r}", hint="report this as a bug")
        return path

    # -- writing -------------------------------------------------------------------------
    def save(self, item: ImportedItem) -> Outcome:
        """Write one imported item; returns what happened to it."""
        entry = item.entry
        if entry.identity is None:
            raise ArchiverError("imported item has no source/source_id", where=entry.title,
                                hint="report this as a bug in the importer")
        for media_path, read_bytes in item.files.items():
            self._write_media(media_path, read_bytes)
        key = "\t".join(entry.identity)
        try:
            return self._save_entry(key, entry)
        except UnicodeEncodeError:  # nothing written yet: UTF-8 cannot hold a lone surrogate
            return self._save_entry(key, without_lone_surrogates(entry))

    def _save_entry(self, key: str, entry: Entry) -> Outcome:
        record = self._index.get(key)
        if record is not None and record["path"] in self._writer.pending:
            self._writer.drain()  # saved twice in one run: its file may not be written yet
        if record is not None and (self.content / record["path"]).is_file():
            return self._update(key, record, entry)
        moved_to = self._moved_files().get(entry.identity) if record is not None else None
        if moved_to is not None:  # the person moved the file: it stays where they put it
            self._paths_in_use.add(moved_to)
            return self._update(key, {**record, "path": moved_to}, entry)
        return self._create(key, entry, own_path=record["path"] if record else "")

    def _moved_files(self) -> dict[tuple[str, str] | None, str]:
        """The identity of each Markdown file under content/ at a path the index does not
        list (a file the person moved or wrote), read once per run and only when an item's
        file is not where the index says (each item exists once, wherever it is)."""
        if self._unlisted is None:
            self._unlisted = {}
            for rel in markdown_files(self.content):  # the files a build reads
                if rel not in self._paths_in_use:
                    self._unlisted.setdefault(self._identity_of(self.content / rel), rel)
            self._unlisted.pop(None, None)
        return self._unlisted

    def _create(self, key: str, entry: Entry, own_path: str = "") -> Outcome:
        """Write a new file; ``own_path`` is where this item was before its file was deleted.

        Items with one title share a stem (``untitled``, ``untitled-2`` ...): the numbers that
        only the index's items use are remembered per stem, so the 3,000th such item does not
        try the 2,999 before it again (it did: an import of 3,000 took 44 s).
        """
        stem = self._path_stem(entry)
        attempt = 1 if own_path else self._first_free.get(stem, 1)
        recheck = 0  # the first number passed over for a reason that may change
        while True:
            rel = _numbered(stem, attempt)
            in_use = rel in self._paths_in_use
            taken = self._exists(rel)
            if (not in_use or rel == own_path) and not taken:
                break
            if not in_use and self._identity_of(self.content / rel) == entry.identity:
                # ours from a run that died before saving the index: adopt it
                record = {"path": rel, "hash": ""}
                return self._update(key, record, entry)
            recheck = recheck or (0 if in_use else attempt)
            attempt += 1
        data = frontmatter.dumps(entry, rel).encode("utf-8")
        digest = hashlib.sha256(data).hexdigest()
        self._write(key, rel, data, digest, new=True)
        self._remember(key, rel, digest)
        self._first_free[stem] = recheck or attempt + 1  # ``rel`` is in use now
        return Outcome.IMPORTED

    def _update(self, key: str, record: dict[str, str], entry: Entry) -> Outcome:
        rel = record["path"]
        target = self.content / rel
        try:
            current = read_exact(target)
        except UnicodeDecodeError:  # saved in another encoding since: the user's file now
            return Outcome.KEPT_EDIT
        if record["hash"] and text_hash(current) != record["hash"]:
            self._note_missing_comments(rel, current, entry)
            return Outcome.KEPT_EDIT
        old = frontmatter.loads(current, rel)
        text = frontmatter.dumps(merge(old, entry.with_changes(path=rel)))
        if text == current:
            self._remember(key, rel, text_hash(text))
            return Outcome.UNCHANGED
        if not record["hash"]:  # ours by its identity, but the index of what we wrote is lost:
            self.kept_unknown += 1  # the differences may be the person's edits
            return Outcome.KEPT_EDIT
        data = text.encode("utf-8")
        digest = hashlib.sha256(data).hexdigest()
        self._write(key, rel, data, digest, new=False)
        self._remember(key, rel, digest)
        return Outcome.UPDATED

    def _note_missing_comments(self, rel: str, current: str, entry: Entry) -> None:
        """A file kept for the person's edits gets no comments from the import: count those
        the import has and the file lacks, for the report (none may go unnoticed)."""
        if not entry.comments:
            return
        try:
            kept = frontmatter.loads(current, rel)
        except ArchiverError:  # the person's file does not parse now: the build says so
            return
        missing = missing_comments(kept.comments, entry.comments)
        if missing:
            self.kept_without_comments.append((rel, len(missing)))

    def _write(self, key: str, rel: str, data: bytes, digest: str, *, new: bool) -> None:
        """Write a content file, logged in the journal first (see the module docstring)."""
        folder, name = rel.rsplit("/", 1)
        in_place = new and self._created >= IN_PLACE_AFTER
        if not in_place:
            self._journal.log(REPLACE, key, rel, digest, len(data))
        if folder in self._missing_folders:
            try:
                os.makedirs(self.content / folder, exist_ok=True)
            except OSError as exc:
                raise write_error(self.content / rel, exc) from exc
            self._missing_folders.discard(folder)
        if in_place:  # logged by the writer, a batch at a time
            self._writer.submit(key, rel, data, digest)
        else:
            atomic_write(self.content / rel, data)
        self._created += new
        self._names_in(folder).add(name)

    def _exists(self, rel: str) -> bool:
        """Whether content/``rel`` exists, from one listing per folder (no stat per file)."""
        folder, name = rel.rsplit("/", 1)
        return name in self._names_in(folder)

    def _names_in(self, folder: str) -> set[str]:
        names = self._names.get(folder)
        if names is None:
            try:
                names = set(os.listdir(os.path.join(self.content, folder)))
            except FileNotFoundError:
                names = set()
                self._missing_folders.add(folder)
            except NotADirectoryError:
                names = set()  # writing into it fails with a clear error
            self._names[folder] = names
        return names

    def _remember(self, key: str, rel: str, digest: str) -> None:
        record = {"path": rel, "hash": digest}
        if self._index.get(key) != record:
            self._index[key] = record
            self._paths_in_use.add(rel)
            self._unsaved += 1
            if self._unsaved >= SAVE_INDEX_EVERY:
                self.save_index()

    def _identity_of(self, target: Path) -> tuple[str, str] | None:
        try:
            data, _ = frontmatter.split(read_exact(target), str(target))
        except (OSError, UnicodeDecodeError, ArchiverError):
            return None
        source, source_id = data.get("source"), data.get("source_id")
        return (str(source), str(source_id)) if source and source_id else None

    def _write_media(self, media_path: str, read_bytes: Callable[[], bytes]) -> None:
        if not is_safe_relative(media_path) or not media_path.startswith("media/"):
            raise ArchiverError(f"refusing media path {media_path!r} outside content/media",
                                hint="report this as a bug in the importer")
        if self._exists(media_path):
            return
        atomic_write(self.content / media_path, read_bytes())
        folder, name = media_path.rsplit("/", 1)
        self._names_in(folder).add(name)
        self._missing_folders.discard(folder)

