"""Read a Twitter archive from a zip or an unpacked folder, member by member, with size caps.

Nothing is ever extracted to disk by its archive name: members are opened and read in place;
names that are absolute or contain ``..``, symbolic links and second members of the same name
are not read (``Archive.skipped`` says which). Every read is capped, and a member that inflates
far more than real data does (a zip bomb) is refused, so no archive can exhaust memory or disk. ``Archive.base`` is the folder inside the archive
that holds ``data/`` (an archive zipped with a top-level folder, or a folder given as the
``data/`` folder itself, both work).
"""

from __future__ import annotations

import io
import os
import stat
import zipfile
import zlib
from pathlib import Path
from typing import IO, Iterator

from archiver.errors import ArchiverError
from archiver.paths import is_safe_relative

MAX_DATA_FILE = 4 * 1024**3  # one tweets-partN.js (Twitter splits parts well below this)
MAX_SMALL_FILE = 64 * 1024**2  # manifest.js, account.js, note-tweet.js, tweet_index.js ...
MAX_MEDIA_FILE = 1024**3  # one photo or video
BOMB_MIN_SIZE = 1024**2  # members smaller than this are never called zip bombs
MAX_RATIO = 1000  # a member that inflates more than this when unpacked is a zip bomb
MEDIA_RATIO = 100  # photos and videos hardly compress: more than this is a bomb too

# Files whose presence tells where the archive's root is (relative to that root).
MARKERS = (
    "data/manifest.js", "data/tweets.js", "data/tweet.js", "data/tweets-part1.js",
    "data/account.js", "data/js/tweet_index.js", "tweets.csv",
)
# Files that mark a modern archive's data/ folder given on its own.
DATA_MARKERS = ("manifest.js", "tweets.js", "tweet.js", "account.js")


class Archive:
    """A zip file or a folder, seen as a set of '/'-separated member names."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.path = Path(source).expanduser()
        self._zip: zipfile.ZipFile | None = None
        self._names: set[str] = set()
        self._infos: dict[str, zipfile.ZipInfo] = {}
        self.skipped: list[tuple[str, str]] = []  # (member, why it is not read)
        self._reopened: IO[bytes] | None = None  # the zip file opened again by ``reopen``
        if not self.path.exists():
            raise ArchiverError("no such file or folder", where=source,
                                hint="give the path of the archive zip or its unpacked folder")
        if self.path.is_dir():
            self._names = set(_walk(self.path))
        else:
            self._open_zip()
        self.base, self._data_is_root = self._find_base()

    # -- opening -------------------------------------------------------------------------
    def _open_zip(self) -> None:
        try:
            self._zip = zipfile.ZipFile(self.path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise ArchiverError(f"not a zip file ({exc})", where=self.source,
                                hint="give the archive zip as downloaded, or its unpacked folder"
                                ) from None
        for info in self._zip.infolist():
            name = info.filename
            if info.is_dir():
                continue
            if not is_safe_relative(name):
                self.skipped.append((name, "unsafe name (absolute, '..' or '\\'): not read"))
            elif stat.S_ISLNK(info.external_attr >> 16):
                self.skipped.append((name, "a symbolic link: not followed"))
            elif name in self._infos:
                self.skipped.append((name, "a second member with this name: the first is used"))
            else:
                self._infos[name] = info
                self._names.add(name)

    def _find_base(self) -> tuple[str, bool]:
        """(prefix of the archive root, whether the given folder is the ``data/`` folder)."""
        roots = [name[: len(name) - len(marker)] for name in self._names for marker in MARKERS
                 if name == marker or name.endswith("/" + marker)]
        if roots:
            return self._one(roots), False
        data_dirs = [name.rpartition("/")[0] for name in self._names
                     if name.rpartition("/")[2] in DATA_MARKERS]
        if data_dirs:
            folder = self._one(data_dirs)
            return (folder + "/" if folder else ""), True
        return "", False

    def _one(self, roots: list[str]) -> str:
        """The outermost of the archive roots found; two or more side by side are as many
        archives (a Downloads folder), and importing one of them silently would look like
        importing them all."""
        depth = min(root.count("/") for root in roots)
        outermost = sorted({root for root in roots if root.count("/") == depth})
        if len(outermost) > 1:
            names = ", ".join(root.rstrip("/") for root in outermost[:3])
            raise ArchiverError(f"{len(outermost)} Twitter archives in one folder ({names}"
                                f"{' ...' if len(outermost) > 3 else ''})", where=self.source,
                                hint="import them one at a time: archiver import twitter FOLDER/NAME "
                                     "(several paths in one command work too)")
        return outermost[0]

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()
        if self._reopened is not None:
            self._reopened.close()

    def reopen(self) -> None:
        """Read the zip through a file description of its own, in a forked process: the one
        inherited shares its file offset with the parent, which reads the same zip meanwhile."""
        if self._zip is None or self._zip.fp is None:
            return
        try:  # the same file even if it was renamed since (Linux)
            handle = open(f"/proc/self/fd/{self._zip.fp.fileno()}", "rb")  # noqa: SIM115
        except OSError:
            handle = open(self.path, "rb")  # noqa: SIM115 - closed with the zip
        try:
            self._zip, self._reopened = zipfile.ZipFile(handle), handle
        except (zipfile.BadZipFile, OSError) as exc:
            handle.close()
            raise ArchiverError(f"cannot read the zip again ({exc})", where=self.source,
                                hint="do not change the archive while it is imported") from None

    def __enter__(self) -> "Archive":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- names ---------------------------------------------------------------------------
    def full_name(self, name: str) -> str:
        """The member name for ``name`` given relative to the archive root (``data/x.js``)."""
        if self._data_is_root:
            return self.base + name.removeprefix("data/")
        return self.base + name

    def _root_relative(self, member: str) -> str:
        rel = member[len(self.base):]
        return "data/" + rel if self._data_is_root else rel

    def display(self, name: str) -> str:
        """How to name a member in messages: ``archive.zip:data/tweets.js`` or a file path."""
        full = self.full_name(name)
        return f"{self.source}:{full}" if self._zip is not None else str(self.path / full)

    def exists(self, name: str) -> bool:
        return self.full_name(name) in self._names

    def names_under(self, folder: str) -> Iterator[str]:
        """Names (relative to the archive root) of the files directly inside ``folder``."""
        prefix = self.full_name(folder.rstrip("/") + "/")
        for name in self._names:
            if name.startswith(prefix) and "/" not in name[len(prefix):]:
                yield self._root_relative(name)

    def matching(self, pattern_start: str, pattern_end: str) -> list[str]:
        """Root-relative names that start and end as given (e.g. 'data/tweets-part', '.js')."""
        found = []
        for name in self._names:
            if name.startswith(self.base):
                rel = self._root_relative(name)
                if rel.startswith(pattern_start) and rel.endswith(pattern_end):
                    found.append(rel)
        return sorted(found)

    # -- reading -------------------------------------------------------------------------
    def size(self, name: str) -> int:
        full = self.full_name(name)
        if self._zip is not None:
            return self._infos[full].file_size
        return (self.path / full).stat().st_size

    def open_text(self, name: str, limit: int = MAX_DATA_FILE) -> IO[str]:
        """A text stream of a member (UTF-8, BOM tolerated), refused when over ``limit``."""
        return io.TextIOWrapper(self.open_binary(name, limit), encoding="utf-8-sig",
                                errors="strict", newline="")

    def open_binary(self, name: str, limit: int) -> IO[bytes]:
        if not self.exists(name):
            raise ArchiverError("file missing from the archive", where=self.display(name),
                                hint="download the archive again; it looks incomplete")
        problem = self.inflation_problem(name, limit, MAX_RATIO)
        if problem:
            raise ArchiverError(problem, where=self.display(name), hint="this does not look like "
                                "a Twitter archive file; check the archive")
        full = self.full_name(name)
        try:
            raw: IO[bytes] = (self._zip.open(self._infos[full]) if self._zip is not None
                              else open(self.path / full, "rb"))
        except (OSError, zipfile.BadZipFile, RuntimeError) as exc:
            raise ArchiverError(f"cannot read ({exc})", where=self.display(name),
                                hint="check the archive is complete and readable") from None
        return _CappedReader(raw, limit, self.display(name))

    def inflation_problem(self, name: str, limit: int, max_ratio: int) -> str:
        """Why a member must not be read ('' when fine): over ``limit``, or a zip bomb."""
        size = self.size(name)
        if size > limit:
            return f"file is larger than {limit // 1024**2} MB"
        if self._zip is not None:
            packed = max(self._infos[self.full_name(name)].compress_size, 1)
            if size > BOMB_MIN_SIZE and size > max_ratio * packed:
                return f"file inflates {size // packed}:1 when unpacked (a zip bomb?)"
        return ""

    def read_text(self, name: str, limit: int = MAX_SMALL_FILE) -> str:
        with self.open_text(name, limit) as handle:
            try:
                return handle.read()
            except UnicodeDecodeError:
                raise ArchiverError("file is not UTF-8 text", where=self.display(name),
                                    hint="check the archive is complete") from None

    def read_bytes(self, name: str, limit: int = MAX_MEDIA_FILE) -> bytes:
        with self.open_binary(name, limit) as handle:
            return handle.read()


class _CappedReader(io.RawIOBase):
    """A binary stream that fails once more than ``limit`` bytes were read from it."""

    def __init__(self, raw: IO[bytes], limit: int, where: str) -> None:
        self._raw, self._left, self._where = raw, limit, where

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        try:
            data = self._raw.read(min(len(buffer), self._left + 1))
        except (OSError, zipfile.BadZipFile, EOFError, zlib.error) as exc:  # zlib: damaged data
            raise ArchiverError(f"cannot read ({exc})", where=self._where,
                                hint="the archive looks damaged; download it again") from None
        if len(data) > self._left:
            raise ArchiverError("file is larger than its size limit", where=self._where,
                                hint="this does not look like a Twitter archive file")
        self._left -= len(data)
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._raw.close()
        super().close()


def _walk(root: Path) -> Iterator[str]:
    """Every regular file under ``root`` as a '/'-separated relative name (no symlinks out)."""
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not os.path.islink(os.path.join(folder, d))]
        rel_folder = os.path.relpath(folder, root).replace(os.sep, "/")
        for file_name in files:
            full = os.path.join(folder, file_name)
            if os.path.islink(full):
                continue
            yield file_name if rel_folder == "." else f"{rel_folder}/{file_name}"
