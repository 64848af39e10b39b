"""The archive's ``.js`` data files: a JavaScript assignment around one JSON value.

Modern archives write ``window.YTD.tweets.part0 = [ ... ]``, Grailbird writes
``Grailbird.data.tweets_2013_06 = [ ... ]`` and ``var tweet_index = [ ... ]``, the manifest
``window.__THAR_CONFIG = { ... }``. ``iter_records`` streams the array's items one at a time
(``json.JSONDecoder.raw_decode`` on a sliding window), so a 1 GB tweets.js never sits in
memory; ``load_value`` parses a small file whole. A truncated or damaged file raises
``ArchiverError`` naming the file and line.

``iter_runs`` streams the same items a run of records (~CHUNK) at a time through a faster
decoder the caller gives (the first pass reads only a few fields, with msgspec). A run ends
where Twitter's layout ends a record (``\n}, {`` or ``\n  },``); what that decoder refuses
(a cut that was no record end, JSON it is stricter about, damage) is read by
``iter_records``' way, which accepts and refuses exactly what it always did. If the run
decodes, it holds exactly the records the slow way would have read there.
"""

from __future__ import annotations

import json
import re
from typing import IO, Any, Callable, Iterator, TypeVar

from archiver.errors import ArchiverError

CHUNK = 1 << 20
MAX_RECORD = 64 * 1024**2  # one record (a tweet is a few kB)
_ASSIGNMENT = re.compile(r"\s*(?:var\s+)?[A-Za-z_$][\w$.]*\s*=\s*")
_decoder = json.JSONDecoder()
T = TypeVar("T")
_NOT_SPACE = re.compile(r"[^ \t\r\n]")
_DAMAGED_HINT = "the file is truncated or damaged; download the archive again"
_RECORD_END = re.compile(r"\n {0,2}\}(?=[ \t\r\n]*,)")  # a record's "}" in Twitter's layout


def strip_assignment(text: str, where: str) -> str:
    """The JSON part of ``name = <json>`` (a bare JSON file is accepted as is)."""
    text = text.lstrip("\ufeff")
    if text.lstrip()[:1] in ("[", "{"):
        return text
    match = _ASSIGNMENT.match(text)
    if match is None:
        raise ArchiverError("not a Twitter archive data file (no 'name = ' assignment)",
                            where=where, hint="check that this is a Twitter archive")
    return text[match.end():]


def load_value(text: str, where: str) -> Any:
    """Parse a whole small ``.js`` data file."""
    body = strip_assignment(text, where).strip().rstrip(";").rstrip()
    try:
        return json.loads(body)
    except json.JSONDecodeError as exc:
        raise ArchiverError(f"invalid data at line {exc.lineno}: {exc.msg}", where=where,
                            hint=_DAMAGED_HINT) from None
    except RecursionError:
        raise ArchiverError("data nested too deeply", where=where, hint=_DAMAGED_HINT) from None


class _Window:
    """A sliding text buffer over a stream, with the line number of its start."""

    def __init__(self, stream: IO[str], where: str) -> None:
        self.stream, self.where = stream, where
        self.text, self.pos, self.eof, self.line = "", 0, False, 1
        self.offset = 0  # where ``text`` starts in the stream

    def fill(self, wanted: int = CHUNK) -> bool:
        """Read more text; False at the end of the stream."""
        if self.eof:
            return False
        if self.pos > CHUNK:
            self.line += self.text.count("\n", 0, self.pos)
            self.offset += self.pos
            self.text, self.pos = self.text[self.pos:], 0
        try:
            data = self.stream.read(max(wanted, CHUNK))
        except UnicodeDecodeError:
            raise ArchiverError("file is not UTF-8 text", where=self.where,
                                hint=_DAMAGED_HINT) from None
        if not data:
            self.eof = True
            return False
        self.text += data
        return True

    def skip_space(self) -> str:
        """Skip whitespace; the next character ('' at the end)."""
        while True:
            found = _NOT_SPACE.search(self.text, self.pos)
            if found is not None:
                self.pos = found.start()
                return self.text[self.pos]
            self.pos = len(self.text)
            if not self.fill():
                return ""

    def line_at(self, pos: int) -> int:
        return self.line + self.text.count("\n", 0, pos)

    def fail(self, message: str, pos: int | None = None) -> ArchiverError:
        line = self.line_at(self.pos if pos is None else pos)
        return ArchiverError(f"{message} at line {line}", where=self.where, hint=_DAMAGED_HINT)


def iter_records(stream: IO[str], where: str) -> Iterator[Any]:
    """The items of the JSON array assigned in a ``.js`` data file, one by one."""
    window = _open_array(stream, where)
    while window is not None:
        yield _decode_one(window)
        if not _more(window):
            return


def iter_runs(stream: IO[str], where: str, decode_run: Callable[[str], list[T]],
              decode_one: Callable[[Any], T]) -> Iterator[T]:
    """The items of the array, like ``iter_records``, as ``decode_one(record)`` gives them,
    but read by ``decode_run`` a run at a time: it gets ``"[" + records + "]"`` and returns
    what ``decode_one`` would for each, or raises ValueError."""
    window = _open_array(stream, where)
    while window is not None:
        end = _run_end(window)
        if end:
            try:
                items = decode_run("[" + window.text[window.pos:end] + "]")
            except (ValueError, RecursionError):
                items = None
            if items is not None:
                yield from items
                window.pos = end
                if not _more(window):
                    return
                continue
        stop = window.offset + (end or window.pos + CHUNK)  # the slow way up to there
        while window is not None and window.offset + window.pos < stop:
            yield decode_one(_decode_one(window))
            if not _more(window):
                window = None


def _open_array(stream: IO[str], where: str) -> _Window | None:
    """A window after the array's ``[``; None when the array is empty."""
    window = _Window(stream, where)
    window.fill()
    while len(window.text) < 4096 and window.fill():
        pass
    window.text = strip_assignment(window.text, where)
    if window.skip_space() != "[":
        raise window.fail("expected a JSON array")
    window.pos += 1
    if window.skip_space() == "]":
        return None
    return window


def _more(window: _Window) -> bool:
    """After an item: True past a ``,`` (another item follows), False at the closing ``]``."""
    following = window.skip_space()
    if following == ",":
        window.pos += 1  # _decode_one skips the space after it
        return True
    if following == "]":
        return False
    raise window.fail("file ends before the closing ']'" if following == ""
                      else f"expected ',' or ']' but found {following!r}")


def _run_end(window: _Window) -> int:
    """Where in ``window.text`` a run of about CHUNK characters from ``pos`` ends (after a
    record's ``}``); 0 when no record end is in sight."""
    while len(window.text) - window.pos < CHUNK and window.fill():
        pass
    found = _RECORD_END.search(window.text, window.pos + CHUNK // 2)
    return found.end() if found is not None else 0


def _decode_one(window: _Window) -> Any:
    if window.skip_space() == "":
        raise window.fail("file ends before the closing ']'")
    while True:
        if len(window.text) - window.pos < CHUNK // 4 and not window.eof:
            window.fill()
        try:
            value, end = _decoder.raw_decode(window.text, window.pos)
        except RecursionError:
            raise window.fail("data nested too deeply") from None
        except json.JSONDecodeError as exc:
            if window.eof:
                reason = "file ends in the middle of a record" if exc.pos >= len(
                    window.text) - 1 or exc.msg.startswith("Unterminated") else exc.msg
                raise window.fail(reason, exc.pos) from None
            if len(window.text) - window.pos > MAX_RECORD:
                raise window.fail(f"record larger than {MAX_RECORD // 1024**2} MB or invalid "
                                  f"({exc.msg})", exc.pos) from None
            window.fill(len(window.text) - window.pos)
            continue
        window.pos = end
        return value
