"""What ``archiver import wordpress SOURCE`` may be: an .xml export, or the .zip WordPress.com
sends (one or more .xml parts inside).

``export_documents(path, where)`` lists the WXR documents as ``(where, open)`` pairs; ``open()``
returns a fresh binary stream each time (the importer reads every document twice). Zip members
are read in place, never extracted; names that are absolute or contain ``..`` are ignored, and
a stream stops with an error after ``MAX_DOCUMENT_BYTES`` (a zip bomb cannot run forever).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import BinaryIO, Callable

from archiver.errors import ArchiverError
from archiver.paths import is_safe_relative

MAX_DOCUMENT_BYTES = 8 * 1024**3  # the largest WXR documents seen are a few hundred MB
Opener = Callable[[], BinaryIO]


class CappedStream(io.RawIOBase):
    """A binary stream that raises ArchiverError once more than ``limit`` bytes were read."""

    def __init__(self, raw: BinaryIO, limit: int, where: str) -> None:
        self._raw, self._left, self._where = raw, limit, where

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        data = self._raw.read(min(len(buffer), self._left + 1))
        if len(data) > self._left:
            raise ArchiverError(f"larger than {MAX_DOCUMENT_BYTES // 1024**3} GB once unpacked",
                                where=self._where, hint="this is not a WordPress export")
        self._left -= len(data)
        buffer[:len(data)] = data
        return len(data)

    def close(self) -> None:
        self._raw.close()
        super().close()


def export_documents(path: Path, where: str) -> list[tuple[str, Opener]]:
    """The WXR documents in ``path``: the file itself, or each ``.xml`` member of a zip."""
    if not path.is_file():
        raise ArchiverError("no such file", where=where,
                            hint="give the .xml (or .zip) file from WordPress: Tools > Export")
    if not zipfile.is_zipfile(path):
        return [(where, lambda: _open_file(path, where))]
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ArchiverError(f"cannot read the zip ({exc})", where=where,
                            hint="download the export again") from None
    members = sorted((info for info in archive.infolist()
                      if not info.is_dir() and info.filename.lower().endswith(".xml")
                      and is_safe_relative(info.filename)), key=lambda info: info.filename)
    if not members:
        raise ArchiverError("the zip holds no .xml export", where=where,
                            hint="WordPress.com exports are zips of .xml files; check the file")
    return [(f"{where}:{info.filename}", _member_opener(archive, info, f"{where}:{info.filename}"))
            for info in members]


def _open_file(path: Path, where: str) -> BinaryIO:
    try:
        return path.open("rb")
    except OSError as exc:
        raise ArchiverError(f"cannot read the file: {exc.strerror}", where=where,
                            hint="check the path and its permissions") from None


def _member_opener(archive: zipfile.ZipFile, info: zipfile.ZipInfo, where: str) -> Opener:
    def open_member() -> BinaryIO:
        try:
            raw = archive.open(info)
        except (zipfile.BadZipFile, RuntimeError, OSError) as exc:  # RuntimeError: encrypted
            raise ArchiverError(f"cannot read from the zip ({exc})", where=where,
                                hint="download the export again") from None
        return io.BufferedReader(CappedStream(raw, MAX_DOCUMENT_BYTES, where))  # type: ignore[arg-type]

    return open_member
