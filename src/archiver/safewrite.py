"""Writing files so that a crash never leaves half of one: shared by the store (content/)
and the build (the output folder and .archiver/).

* ``atomic_write``: a temporary file, then ``os.replace``; readers see the old or the new file.
* ``create_new``: a file that must not exist yet, written in place; a failed write removes it.
* ``write_error``: the one-line error for a failed write, with what to do.
* ``RunMarker``: a file that exists while a run writes, so the next run knows it was killed;
  ``remove_temp_files`` then deletes the temporary files it left.
"""

from __future__ import annotations

import fnmatch
import os
from pathlib import Path

from archiver.errors import ArchiverError, os_error_hint

TEMP_PREFIX = ".tmp-"  # temporary files: .tmp-XXXXXXXX.part, renamed into place when complete
TEMP_SUFFIX = ".part"
_CREATE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


def write_error(path: Path, exc: OSError) -> ArchiverError:
    """A one-line error for a failed write, with what to do about it."""
    hint = os_error_hint(exc) or "check the disk and the folder's permissions, then run again"
    return ArchiverError(f"cannot write: {exc.strerror or exc}", where=str(path), hint=hint)


def create_new(path: str, data: bytes) -> bool:
    """Create ``path`` with ``data``; False (nothing written) if it exists already.

    A failed write removes the part written, so no half file stays behind.
    """
    try:  # os.open: open("xb") adds fstat, ioctl and lseek calls to every file
        fd = os.open(path, _CREATE_FLAGS, 0o666)
    except FileExistsError:
        return False
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
    except BaseException:
        try:
            os.unlink(path)
        except OSError:
            pass
        raise
    return True


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old or the new file, never half.

    A failed write (disk full, read-only folder) leaves the old file as it was, removes its
    temporary file and raises an ArchiverError naming ``path``.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = new_temp_file(path.parent)
    except OSError as exc:
        raise write_error(path, exc) from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if isinstance(exc, OSError):
            raise write_error(path, exc) from exc
        raise


def new_file_mode() -> int:
    """The permissions a file created now gets: 0666 less the umask (0644 as a rule)."""
    mask = os.umask(0o022)  # the only way to read it everywhere; set back at once
    os.umask(mask)
    return 0o666 & ~mask


def new_temp_file(folder: Path) -> tuple[int, str]:
    """A new, empty temporary file in ``folder``: its descriptor and path.

    It gets the permissions of any new file there (0666 less the umask; usually readable by
    all), not ``tempfile.mkstemp``'s 0600: the file is renamed into place, and a post, or a
    photo the site publishes, that only its owner may read cannot be served by a web server.
    """
    for _ in range(100):
        tmp = os.path.join(folder, f"{TEMP_PREFIX}{os.urandom(8).hex()}{TEMP_SUFFIX}")
        try:
            return os.open(tmp, _CREATE_FLAGS, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary file name in {folder}")


def remove_temp_files(folder: Path, pattern: str = f"{TEMP_PREFIX}*") -> list[str]:
    """Delete the temporary files a killed run left under ``folder``; returns their paths."""
    removed = []
    for parent, _dirs, files in os.walk(folder):
        for name in fnmatch.filter(files, pattern):
            try:
                os.unlink(os.path.join(parent, name))
                removed.append(os.path.join(parent, name))
            except OSError:
                pass
    return removed


class RunMarker:
    """A file that exists while a run writes; finding it at the start means a run was killed.

    ``start()`` returns True when the previous run did not finish (its temporary files may be
    lying around) and refuses to start while another live process holds the marker (two
    imports at once would fight over the same files); ``finish()`` removes the marker.
    The marker holds the process id and a ``note`` of the run's own (``note()`` reads it):
    a build notes when it started, to know later which files a killed build wrote.
    """

    def __init__(self, path: Path) -> None:
        self.path = path

    def start(self, note: str = "") -> bool:
        self.refuse_if_running()
        interrupted = self.path.exists()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            try:  # one small write, no temporary file: at worst an empty (stale) marker
                os.write(fd, f"{os.getpid()}\n{note}".encode())
            finally:
                os.close(fd)
        except OSError as exc:
            raise write_error(self.path, exc) from exc
        return interrupted

    def _lines(self) -> list[str]:
        try:
            return self.path.read_text("ascii").split("\n", 1)
        except (OSError, UnicodeDecodeError):
            return []

    def note(self) -> str:
        """The note of the run that holds (or, killed, left) the marker; '' when none."""
        lines = self._lines()
        return lines[1].strip() if len(lines) > 1 else ""

    def refuse_if_running(self) -> None:
        """Stop here while another live archiver holds the marker (it writes what we would)."""
        other = self.running_process()
        if other:
            raise ArchiverError(f"another archiver process ({other}) is writing this site",
                                where=str(self.path.parent.parent),
                                hint=f"wait for it to finish (or delete {self.path} if it is gone)")

    def running_process(self) -> int:
        """The id of another live process holding the marker, else 0."""
        lines = self._lines()
        try:
            pid = int(lines[0].strip()) if lines else 0
        except ValueError:
            return 0
        if pid <= 0 or pid == os.getpid():
            return 0
        try:
            os.kill(pid, 0)
        except PermissionError:
            return pid  # alive, another user's
        except OSError:
            return 0
        return pid

    def finish(self) -> None:
        self.path.unlink(missing_ok=True)
