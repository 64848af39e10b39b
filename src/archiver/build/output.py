"""Writing the output folder: only changed bytes are written, every file is recorded.

The manifest (``.archiver/manifest.json`` in the site) lists each file a build wrote with a
fingerprint. A later build skips files whose fingerprint is unchanged, deletes files it wrote
before but no longer produces (a tweet marked deleted disappears from public/), and
``--clean`` deletes only files listed there, refusing any folder that holds anything else.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

from archiver.errors import ArchiverError
from archiver.paths import is_safe_relative
from archiver.store import atomic_write

MANIFEST = "manifest.json"


def fingerprint(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _read_manifest(path: Path, output: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("output") != str(output):
        return {}
    files = data.get("files", {})
    return files if isinstance(files, dict) else {}


class OutputWriter:
    """Writes files under ``output`` and keeps the manifest of what it wrote."""

    def __init__(self, output: Path, state_dir: Path) -> None:
        self.output = output
        self.manifest_path = state_dir / MANIFEST
        self.old = _read_manifest(self.manifest_path, output)
        self.new: dict[str, str] = {}
        self.written = 0
        self.unchanged = 0

    def _target(self, rel: str) -> Path:
        if not is_safe_relative(rel):
            raise ArchiverError(f"refusing to write {rel!r} outside the output folder",
                                where=str(self.output), hint="check slugs, tags and aliases")
        return self.output / rel

    def write(self, rel: str, data: bytes | str) -> None:
        """Write ``data`` at ``rel`` unless the same bytes are already there."""
        raw = data.encode("utf-8") if isinstance(data, str) else data
        mark = fingerprint(raw)
        self._put(rel, mark, lambda target: atomic_write(target, raw))

    def copy(self, rel: str, source: Path) -> None:
        """Copy a file (media, static assets) unless it is unchanged since the last build."""
        stat = source.stat()
        mark = f"copy:{stat.st_size}:{stat.st_mtime_ns}"
        self._put(rel, mark, lambda target: _copy(source, target))

    def _put(self, rel: str, mark: str, do_write) -> None:  # noqa: ANN001
        target = self._target(rel)
        if rel in self.new:
            raise ArchiverError(f"two pages want the same output file {rel}",
                                where=str(self.output), hint="check aliases and slugs for duplicates")
        self.new[rel] = mark
        if self.old.get(rel) == mark and target.is_file():
            self.unchanged += 1
            return
        do_write(target)
        self.written += 1

    def adopt(self, rel: str) -> None:
        """Record a file written by another tool (e.g. the search index) as ours."""
        self.new[rel] = "external"

    def finish(self) -> list[str]:
        """Delete what the previous build wrote but this one did not; save the manifest."""
        removed = []
        for rel in sorted(set(self.old) - set(self.new)):
            if is_safe_relative(rel):
                try:
                    (self.output / rel).unlink()
                    removed.append(rel)
                except FileNotFoundError:
                    pass
        _prune_empty_dirs(self.output, {str(Path(r).parent) for r in removed})
        payload = {"output": str(self.output), "files": self.new}
        atomic_write(self.manifest_path, json.dumps(payload, separators=(",", ":")).encode())
        return removed


def _copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".tmp-{target.name}")
    shutil.copyfile(source, tmp)
    shutil.copystat(source, tmp)
    os.replace(tmp, target)


def _prune_empty_dirs(root: Path, folders: set[str]) -> None:
    for folder in sorted(folders, key=len, reverse=True):
        path = root / folder
        while path != root and path.is_dir():
            try:
                path.rmdir()
            except OSError:
                break
            path = path.parent


def clean(output: Path, site_root: Path, state_dir: Path) -> int:
    """Remove a previous build's files (and only those); returns how many were removed."""
    output = output.resolve()
    site = site_root.resolve()
    forbidden = {Path("/"), Path.home().resolve(), site, (site / "content").resolve()}
    if output in forbidden or output in site.parents:
        raise ArchiverError(f"refusing to clean {output}", hint="choose an output folder like public/")
    manifest_path = state_dir / MANIFEST
    known = _read_manifest(manifest_path, output)
    if output.is_dir():
        strangers = [p for p in output.rglob("*") if not p.is_dir()
                     and p.relative_to(output).as_posix() not in known]
        if strangers:
            sample = ", ".join(str(p.relative_to(output)) for p in strangers[:3])
            raise ArchiverError(f"refusing to clean: {len(strangers)} file(s) archiver did not write "
                                f"(e.g. {sample})", where=str(output),
                                hint="move them away or choose another --output")
    removed = 0
    for rel in known:
        if is_safe_relative(rel):
            try:
                (output / rel).unlink()
                removed += 1
            except FileNotFoundError:
                pass
    if output.is_dir():
        for folder in sorted((p for p in output.rglob("*") if p.is_dir()), key=lambda p: len(p.parts),
                             reverse=True):
            try:
                folder.rmdir()
            except OSError:
                pass
        try:
            output.rmdir()
        except OSError:
            pass
    manifest_path.unlink(missing_ok=True)
    shutil.rmtree(state_dir / "cache", ignore_errors=True)
    return removed
