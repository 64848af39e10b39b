"""Safe XML reading shared by the feed and Blogger importers (its error messages by WordPress too).

Everything goes through defusedxml (no entity expansion, no external references, no network).
Real exports are often a little broken, so three repairs happen before parsing, and no others:

* a leading byte order mark or blank lines before the first ``<`` are dropped;
* an encoding expat cannot read itself (``gb2312``, ``shift_jis``...) is transcoded to UTF-8,
  the declaration rewritten on the same line, so error line numbers stay true;
* a well-known namespace prefix used without its ``xmlns:`` declaration (Pelican's trimmed
  Blogger export uses ``app:draft`` undeclared) is declared on the root element - only after
  expat has refused the document for that reason, and again without adding a line.

A document that is still not well-formed raises ``ArchiverError`` naming the line and column.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path
from typing import BinaryIO, Iterator
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

from archiver.errors import ArchiverError

# prefixes that feeds and Blogger exports use, with the namespace they always mean
KNOWN_NAMESPACES: dict[str, str] = {
    "app": "http://purl.org/atom/app#",
    "atom": "http://www.w3.org/2005/Atom",
    "thr": "http://purl.org/syndication/thread/1.0",
    "gd": "http://schemas.google.com/g/2005",
    "georss": "http://www.georss.org/georss",
    "openSearch": "http://a9.com/-/spec/opensearchrss/1.0/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "wfw": "http://wellformedweb.org/CommentAPI/",
    "slash": "http://purl.org/rss/1.0/modules/slash/",
    "media": "http://search.yahoo.com/mrss/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
}
# encodings expat decodes itself; everything else is transcoded to UTF-8 first
_EXPAT_NATIVE = {"utf-8", "utf-16", "utf-16-le", "utf-16-be", "ascii"}
# decode with a superset of the declared codec, so bytes beyond the old standard still decode
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "latin-1": "cp1252", "iso8859-1": "cp1252"}
_DECLARATION = re.compile(rb"<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")
_START_TAG = re.compile(rb"<([A-Za-z_][\w.:-]*)")
HEAD_BYTES = 8192


def local(tag: str) -> str:
    """The local name of a ``{namespace}name`` tag."""
    return tag.rsplit("}", 1)[-1]


def text_of(element: Element | None) -> str:
    """The element's text with surrounding whitespace removed; '' when absent."""
    if element is None or element.text is None:
        return ""
    return element.text.strip()


def _strip_start(data: bytes) -> bytes:
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data
    return data.lstrip(b" \t\r\n")


def _foreign_codec(head: bytes) -> str:
    """The codec to transcode from when the declared encoding is not one expat reads; else ''."""
    match = _DECLARATION.match(head[:300])
    if not match:
        return ""
    try:
        codec = codecs.lookup(match.group(1).decode("ascii")).name
    except LookupError:
        return ""  # expat raises LookupError for it: see unknown_encoding()
    return "" if codec in _EXPAT_NATIVE else _SUPERSETS.get(codec, codec)


def prepare(data: bytes) -> bytes:
    """The whole document with the byte-level repairs applied (see the module docstring)."""
    data = _strip_start(data)
    codec = _foreign_codec(data)
    if not codec:
        return data
    match = _DECLARATION.match(data)
    assert match is not None
    start, end = match.span(1)
    return data[:start] + b"UTF-8" + data[end:].decode(codec, errors="replace").encode("utf-8")


def declare_known_prefixes(data: bytes) -> bytes:
    """``data`` with ``xmlns:prefix`` added on the root element for known undeclared prefixes."""
    head = data[:HEAD_BYTES]
    for match in _START_TAG.finditer(head):
        if head[match.start() - 1:match.start()] in (b"?", b"!"):
            continue
        end = head.find(b">", match.end())
        root_tag = head[match.start():end if end != -1 else len(head)]
        missing = "".join(f' xmlns:{prefix}="{uri}"' for prefix, uri in KNOWN_NAMESPACES.items()
                          if f"xmlns:{prefix}=".encode() not in root_tag)
        return data[:match.end()] + missing.encode("ascii") + data[match.end():]
    return data


def parse_bytes(data: bytes, where: str) -> Element:
    """Parse a whole (small) document, e.g. one fetched feed page."""
    data = prepare(data)
    try:
        return SafeET.fromstring(data)
    except ParseError as exc:
        if not _is_unbound_prefix(exc):
            raise syntax_error(exc, where) from None
    except DefusedXmlException as exc:
        raise forbidden(exc, where) from None
    except LookupError as exc:
        raise unknown_encoding(exc, where) from None
    try:
        return SafeET.fromstring(declare_known_prefixes(data))
    except ParseError as exc:
        raise syntax_error(exc, where) from None


def iter_elements(path: Path, tags: frozenset[str], where: str) -> Iterator[Element]:
    """Stream the elements whose tag (``{namespace}name``) is in ``tags``, one at a time.

    Each element is cleared once the caller moves on, so memory stays flat on large exports.
    """
    skip = 0
    for repair in (False, True):
        stream = _open_prepared(path, repair)
        seen = 0
        try:
            for _event, element in SafeET.iterparse(stream, events=("end",)):
                if element.tag in tags:
                    seen += 1
                    if seen > skip:  # after a repair, do not yield what was yielded before
                        yield element
                    element.clear()
            return
        except ParseError as exc:
            if repair or not _is_unbound_prefix(exc):
                raise syntax_error(exc, where) from None
            skip = seen
        except DefusedXmlException as exc:
            raise forbidden(exc, where) from None
        except LookupError as exc:
            raise unknown_encoding(exc, where) from None
        finally:
            stream.close()


class _Chain:
    """A read-only stream: some prepared bytes first, then the rest of an open file."""

    def __init__(self, first: bytes, rest: BinaryIO | None) -> None:
        self._first = first
        self._rest = rest

    def read(self, size: int = -1) -> bytes:
        if self._first:
            chunk = self._first if size < 0 else self._first[:size]
            self._first = self._first[len(chunk):]
            return chunk
        if self._rest is None:
            return b""
        return self._rest.read(size)

    def close(self) -> None:
        if self._rest is not None:
            self._rest.close()


def _open_prepared(path: Path, declare_prefixes: bool) -> _Chain:
    raw = path.open("rb")
    head = _strip_start(raw.read(HEAD_BYTES))
    if _foreign_codec(head):  # rare, and only small old feeds: transcode the whole file
        head = prepare(head + raw.read())
        raw.close()
        return _Chain(declare_known_prefixes(head) if declare_prefixes else head, None)
    return _Chain(declare_known_prefixes(head) if declare_prefixes else head, raw)


def _is_unbound_prefix(exc: ParseError) -> bool:
    return "unbound prefix" in str(exc)


def unknown_encoding(exc: LookupError, where: str,
                     hint: str = "fix the encoding=\"...\" in the first line (usually UTF-8)"
                     ) -> ArchiverError:
    """The XML declaration names an encoding Python does not know (expat raises LookupError)."""
    return ArchiverError(f"unknown character encoding in the XML declaration ({exc})", where=where,
                         hint=hint)


def syntax_error(exc: ParseError, where: str,
                 hint: str = "the file is damaged or not an export; download it again",
                 error: type[ArchiverError] = ArchiverError) -> ArchiverError:
    """The user-facing error for XML that is not well-formed, with its line and column."""
    line, column = getattr(exc, "position", (0, 0))
    reason = str(exc).split(":", 1)[0]
    return error(f"not well-formed XML at line {line}, column {column + 1}: {reason}",
                 where=where, hint=hint)


def forbidden(exc: DefusedXmlException, where: str,
              hint: str = "exports never need entity declarations; check where the file came from"
              ) -> ArchiverError:
    """The error for a document defusedxml refuses (entity declarations, external references)."""
    return ArchiverError(f"refusing unsafe XML ({type(exc).__name__})", where=where, hint=hint)
