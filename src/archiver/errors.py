"""The one exception type for problems the user can fix; the CLI prints it as one line."""

from __future__ import annotations

import errno


class ArchiverError(Exception):
    """A user-facing error: what went wrong, where, and what to do about it.

    ``where`` names the file (and item) concerned; ``hint`` says how to fix it.
    The CLI prints ``error: <where>: <message> (<hint>)`` and exits 1.
    """

    def __init__(self, message: str, *, where: str = "", hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.where = where
        self.hint = hint

    def __reduce__(self) -> tuple:
        """Keep ``where`` and ``hint`` when the error crosses a process boundary (build workers)."""
        return (_rebuild, (self.message, self.where, self.hint))

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}" if self.where else self.message
        return f"{text} ({self.hint})" if self.hint else text


def _rebuild(message: str, where: str, hint: str) -> ArchiverError:
    return ArchiverError(message, where=where, hint=hint)


def describe_error(exc: Exception) -> str:
    """One line for the user: ``str(exc)``, or ``<file>: <reason> (<hint>)`` for an OS error."""
    if isinstance(exc, OSError) and not isinstance(exc, ArchiverError):
        reason = exc.strerror or str(exc)
        text = f"{exc.filename}: {reason}" if exc.filename else reason
        hint = os_error_hint(exc)
        return f"{text} ({hint})" if hint else text
    return str(exc)


def os_error_hint(exc: OSError) -> str:
    """What to do about a disk-full or read-only error ('' for other OS errors)."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return "free some disk space and run the command again"
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return "the folder is read-only: make it writable or choose another folder"
    return ""
