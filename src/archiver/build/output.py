"""Writing the output folder: only changed bytes are written, every file is recorded.

The manifest (``.archiver/manifest.json`` in the site; one per output folder, see
``manifest.manifest_file``) lists each file a build wrote with a fingerprint of its bytes,
and for rendered pages a fingerprint of their inputs. A later build does not even render a
page whose inputs are unchanged (``keep``), skips writing files whose bytes are unchanged,
deletes files it wrote before but no longer produces (a tweet marked deleted disappears from
public/), and ``--clean`` deletes only files listed there, refusing any folder that holds
anything else (cleanup.py).

The manifest also holds when the build ended, by the output folder's clock (``finished_ns``).
A file of the last build that is gone, or was modified after that (edited by hand, rewritten
by a minifier), is not kept or skipped but written again, as a build from scratch would: the
output always is what the sources make. A copied file (media) keeps its source's times, so
for it the size and time of its source decide.

Files are written straight into place when new and through a temporary file + rename when
replacing, so a reader never sees half a page; folders already made are remembered.
A build that was killed is noticed by the next one (``.archiver/build.running`` is still
there): it removes the temporary files left behind and writes every file again. The marker
notes when the build started (by the output folder's clock), so the files a killed build
wrote are still known as archiver's, though no manifest lists them: the next build removes
those it does not make again, and ``--clean`` removes them (cleanup.py).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat as file_stat
from pathlib import Path

from archiver.build.cleanup import BUILD_MARKER, NEW_OUTPUT, killed_build_files, walk_output
from archiver.build.manifest import (
    COPY_MARK,
    MANIFEST,
    finished_ns,
    is_untouched,
    manifest_files,
    output_key,
    read_manifest_data,
    static_files,
    unrecorded_files,
)
from archiver.build.stamps import changed_ns, hash_bytes
from archiver.errors import ArchiverError, os_error_hint
from archiver.paths import is_safe_relative
from archiver.safewrite import (
    TEMP_PREFIX,
    RunMarker,
    create_new,
    new_file_mode,
    new_temp_file,
    remove_temp_files,
    write_error,
)
from archiver.statefiles import write_state


def put_bytes(output: str, rel: str, raw: bytes, made_dirs: set[str]) -> None:
    """Write ``raw`` at ``output/rel``: directly when new, via a temporary file when replacing.

    A failed write (disk full, read-only folder) raises an ArchiverError naming the file.
    """
    try:
        _put_bytes(output, rel, raw, made_dirs)
    except OSError as exc:
        raise write_error(Path(f"{output}/{rel}"), exc) from exc


def _put_bytes(output: str, rel: str, raw: bytes, made_dirs: set[str]) -> None:
    target = f"{output}/{rel}"
    parent, _, name = target.rpartition("/")
    if parent not in made_dirs:
        _make_folder(parent)
        made_dirs.add(parent)
    if not create_new(target, raw):  # there already: replaced whole, never seen half written
        tmp = f"{parent}/.tmp-{os.getpid()}-{name}"
        with open(tmp, "wb") as handle:
            handle.write(raw)
        os.replace(tmp, target)


def _make_folder(folder: str) -> None:
    """``os.makedirs(folder, exist_ok=True)`` in one system call when the parent exists
    (each page has a folder of its own, whose parent was usually made just before)."""
    try:
        os.mkdir(folder)
    except FileExistsError:
        if not os.path.isdir(folder):
            raise
    except FileNotFoundError:
        os.makedirs(folder, exist_ok=True)


def write_if_changed(output: str, rel: str, raw: bytes, old_mark: str | None,
                     made_dirs: set[str], finished: int | None = None) -> tuple[str, bool]:
    """Write unless the last build wrote the same bytes there, and the file is still as it
    wrote it (not modified after ``finished``, see ``manifest.finished_ns``); returns
    (fingerprint, written)."""
    mark = hash_bytes(raw)
    if mark == old_mark and is_untouched(f"{output}/{rel}", mark, finished):
        return mark, False
    put_bytes(output, rel, raw, made_dirs)
    return mark, True


class OutputWriter:
    """Writes files under ``output`` and keeps the manifest of what it wrote."""

    def __init__(self, output: Path, state_dir: Path, manifest_path: Path | None = None,
                 manifest: dict | None = None) -> None:
        """``manifest_path``: where the manifest of ``output`` is kept (``manifest_file``;
        by default ``manifest.json`` in ``state_dir``); ``manifest``: its data, when the
        caller has read it already (``read_manifest_data``)."""
        self.output = output
        self.manifest_path = manifest_path or state_dir / MANIFEST
        data = read_manifest_data(self.manifest_path, output) if manifest is None else manifest
        self.old: dict[str, str] = manifest_files(data)
        self.old_inputs: dict[str, str] = data.get("inputs", {})
        self.finished = finished_ns(data)  # files modified after it were changed by someone else
        self.unrecorded: list[str] = unrecorded_files(data)  # files of the folder no build made
        self.old_static = static_files(data)  # those of ``old`` copied from static folders
        self._no_manifest = not data and output.is_dir()  # a folder no build of ours recorded
        self.new: dict[str, str] = {}
        self.new_inputs: dict[str, str] = {}
        self.static: set[str] = set()  # those of ``new`` copied from static folders
        self.written = 0
        self.unchanged = 0
        self.made_dirs: set[str] = set()
        self.missing: set[str] | None = None  # the last build's files gone or changed; None: ask the disk
        self.file_mode = new_file_mode()
        self.marker = RunMarker(state_dir / BUILD_MARKER)
        _remove_leftovers(state_dir)
        left = self.marker.note()  # what a killed build noted, before this one's note replaces it
        if self.marker.start(_start_note(output)):  # the last build was killed: trust none of
            remove_temp_files(output)              # its files, and know those it wrote
            files, _ = walk_output(output)
            self.old = dict.fromkeys([*self.old, *killed_build_files(output, files, self.old, left)],
                                     "interrupted")
            self.old_inputs = {}
            self.old_static = None

    def check(self, rel: str) -> None:
        """Refuse a path that would leave the output folder (or not copy to every file system)."""
        if not is_safe_relative(rel):
            raise ArchiverError(f"refusing to write {rel!r} outside the output folder",
                                where=str(self.output), hint="check slugs, tags and aliases")

    def target(self, rel: str) -> Path:
        self.check(rel)
        return self.output / rel

    def write(self, rel: str, data: bytes | str, inputs: str | None = None) -> None:
        """Write ``data`` at ``rel`` unless the same bytes are already there.

        ``inputs`` fingerprints what the file was made from, for ``keep`` in the next build.
        """
        raw = data.encode("utf-8") if isinstance(data, str) else data
        self.check(rel)
        mark, written = write_if_changed(str(self.output), rel, raw, self.old.get(rel), self.made_dirs,
                                         self.finished)
        self.record(rel, mark, written, inputs)

    @property
    def can_keep(self) -> bool:
        """Whether the last build left pages that this one may keep (it recorded their inputs)."""
        return bool(self.old_inputs)

    def keep(self, rel: str, inputs: str | None) -> bool:
        """Keep the last build's file when it was made from the same inputs; True if kept."""
        mark = self.old.get(rel)
        if (inputs is None or mark is None or self.old_inputs.get(rel) != inputs or rel in self.new
                or not self._present(rel)):
            return False
        self.record(rel, mark, False, inputs)
        return True

    def keep_all(self, rels: list[str], inputs: str) -> bool:
        """Keep every one of the last build's files ``rels`` (see ``keep``), or none; True if kept."""
        if not rels or not all(rel in self.old and self.old_inputs.get(rel) == inputs
                               and rel not in self.new and self._present(rel) for rel in rels):
            return False
        for rel in rels:
            self.record(rel, self.old[rel], False, inputs)
        return True

    def _present(self, rel: str) -> bool:
        """Whether the last build's file ``rel`` is there as it wrote it."""
        if self.missing is not None:
            return rel not in self.missing
        return is_untouched(f"{self.output}/{rel}", self.old.get(rel, ""), self.finished)

    def record(self, rel: str, mark: str, written: bool, inputs: str | None = None) -> None:
        """Note a file of this build (written here or by a worker process)."""
        if rel in self.new:
            raise ArchiverError(f"two pages want the same output file {rel}",
                                where=str(self.output), hint="check aliases and slugs for duplicates")
        self.new[rel] = mark
        if inputs is not None:
            self.new_inputs[rel] = inputs
        if written:
            self.written += 1
        else:
            self.unchanged += 1

    def copy(self, rel: str, source: Path, static: bool = False) -> None:
        """Copy a file (media, static assets) unless it is unchanged since the last build;
        ``static``: it comes from a static folder (see ``assets.copy_static_only``)."""
        stat = source.stat()
        mark = f"{COPY_MARK}{stat.st_size}:{changed_ns(stat)}"
        target = self.target(rel)
        unchanged = (self.old.get(rel) == mark and rel not in self.new
                     and self._kept_copy(target, stat))
        if not unchanged and rel not in self.new:
            _copy(source, target)
        self.record(rel, mark, not unchanged)
        if static:
            self.static.add(rel)

    def _kept_copy(self, target: Path, source: os.stat_result) -> bool:
        """Whether the last build's copy is still there, unchanged (a copy has its source's
        size and modification time, see ``_copy``). Builds of archiver before 22ee005
        copied a medium's permissions, so a photo imported as 0600 was published as 0600,
        which a web server cannot serve: such a copy gets a new file's permissions, as a
        fresh copy would (the stat is the one the check needs anyway)."""
        try:
            found = os.stat(target)
        except OSError:
            return False
        if not file_stat.S_ISREG(found.st_mode):
            return False
        if (found.st_size, found.st_mtime_ns) != (source.st_size, source.st_mtime_ns):
            return False  # changed since (edited by hand, rewritten by a tool): copied again
        if file_stat.S_IMODE(found.st_mode) != self.file_mode:
            with contextlib.suppress(OSError):  # not ours to change: it stays as it is
                os.chmod(target, self.file_mode)
        return True

    def adopt(self, rel: str, inputs: str | None = None) -> None:
        """Record a file that another tool wrote in place (the search index) as this build's."""
        mark = hash_bytes(self.target(rel).read_bytes())
        self.record(rel, mark, mark != self.old.get(rel), inputs)

    def finish(self) -> list[str]:
        """Delete what the previous build wrote but this one did not; save the manifest.

        When the output folder was there without a manifest (the state folder was deleted, a
        first build into an old site's folder), its other files are listed in ``unrecorded``,
        and kept in the manifest while they are there: pages of an older build (of an item
        deleted since?) that no build can remove, which each build names.
        """
        removed = []
        for rel in sorted(set(self.old) - set(self.new)):
            if is_safe_relative(rel):
                try:
                    (self.output / rel).unlink()
                    removed.append(rel)
                except FileNotFoundError:
                    pass
        _prune_empty_dirs(self.output, {str(Path(r).parent) for r in removed})
        if self._no_manifest:
            self.unrecorded = walk_output(self.output)[0]
        self.unrecorded = [rel for rel in self.unrecorded
                           if rel not in self.new and os.path.lexists(f"{self.output}/{rel}")]
        payload = {"output": output_key(self.output, self.manifest_path), "files": self.new,
                   "inputs": self.new_inputs, "static": sorted(self.static),
                   "finished_ns": _clock(self.output), "unrecorded": self.unrecorded}
        write_state(self.manifest_path, payload)
        self.marker.finish()
        return removed


def _clock(folder: Path) -> int | None:
    """The time now by the clock that stamps files in ``folder`` (a network share's may
    differ from this computer's): the mtime of a file made and removed there."""
    try:
        fd, path = new_temp_file(folder)
    except OSError:
        return None  # no output folder (nothing was written) or not writable: not known
    try:
        return os.fstat(fd).st_mtime_ns
    finally:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(path)


def _start_note(output: Path) -> str:
    """What a build notes in its marker when it starts: the output folder's clock, or that
    there is no output folder yet ('' when neither can be known)."""
    if not output.is_dir():
        return NEW_OUTPUT
    started = _clock(output)
    return "" if started is None else str(started)


def _remove_leftovers(state_dir: Path) -> None:
    """Temporary files of the state folder (manifest, cache) that a killed build left."""
    for folder in (state_dir, state_dir / "cache"):
        for path in folder.glob(f"{TEMP_PREFIX}*"):
            path.unlink(missing_ok=True)


def _copy(source: Path, target: Path) -> None:
    """Copy via a temporary file; a full disk or read-only output is reported for ``target``."""
    tmp = target.with_name(f"{TEMP_PREFIX}{target.name}")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, tmp)
        stat = source.stat()  # its times, not its permissions: what is published is readable
        os.utime(tmp, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        if os_error_hint(exc):  # shutil names the source; the problem is where we write
            raise write_error(target, exc) from exc
        raise


def _prune_empty_dirs(root: Path, folders: set[str]) -> None:
    for folder in sorted(folders, key=len, reverse=True):
        path = root / folder
        while path != root and path.is_dir():
            try:
                path.rmdir()
            except OSError:
                break
            path = path.parent
