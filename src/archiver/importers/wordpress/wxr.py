"""Streaming reader for WordPress eXtended RSS (WXR 1.0, 1.1, 1.2 and WordPress.com exports).

The file goes through defusedxml's ``iterparse`` one ``<item>`` at a time, so memory stays
flat on exports of any size. Tags are matched by namespace *kind* (any
``wordpress.org/export/1.x/`` URI is ``wp``), so the WXR versions read alike, and values
wrapped in CDATA or not read the same.

One repair happens while reading, outside CDATA sections only and without moving a line: a
bare ``&`` becomes ``&amp;`` and an HTML named entity (``&mdash;``, ``&nbsp;``) becomes its
numeric reference. Squarespace and hand-edited exports need it; a well-formed file is not
changed. When a document still fails, the importer reads it once more taking a ``]]>`` inside
CDATA that is followed by text as text (WordPress's regex parser reads such files); if that
fails too, the first error is raised: ``WxrSyntaxError`` with the line and column.

Only the fields archiver uses are read: commenter emails and IPs and author records are
never even put in memory.
"""

from __future__ import annotations

import html.entities
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Callable, Iterator
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

from archiver.errors import ArchiverError
from archiver.importers.feed.xmltools import forbidden, syntax_error, unknown_encoding


@dataclass
class WxrComment:
    id: str
    author: str
    author_url: str
    date: str
    date_gmt: str
    content: str
    approved: str
    type: str
    parent: str


@dataclass
class WxrItem:
    """One ``<item>``: a post, page, attachment, menu item... (fields as in the export)."""

    title: str = ""
    link: str = ""
    pub_date: str = ""
    guid: str = ""
    content: str = ""
    excerpt: str = ""
    post_id: str = ""
    post_date: str = ""
    post_date_gmt: str = ""
    post_name: str = ""
    status: str = ""
    post_type: str = ""
    post_parent: str = ""
    password: str = ""
    attachment_url: str = ""
    categories: list[tuple[str, str]] = field(default_factory=list)  # (domain, display name)
    postmeta: dict[str, str] = field(default_factory=dict)
    comments: list[WxrComment] = field(default_factory=list)


@dataclass
class WxrChannel:
    """What the channel header says about the blog."""

    title: str = ""
    link: str = ""
    base_blog_url: str = ""
    base_site_url: str = ""
    pub_date: str = ""
    wxr_version: str = ""

    @property
    def blog_url(self) -> str:
        return self.base_blog_url or self.link or self.base_site_url


# -- reading with the one repair -------------------------------------------------------------
_AMPERSAND = re.compile(rb"&(#[0-9]+;|#[xX][0-9a-fA-F]+;|[A-Za-z][A-Za-z0-9]*;)?")
_XML_ENTITIES = {b"amp;", b"lt;", b"gt;", b"quot;", b"apos;"}
_CLOSERS = {b"<![CDATA[": b"]]>", b"<!--": b"-->"}  # sections the repair must not touch
_OPENER = re.compile(b"|".join(re.escape(opener) for opener in _CLOSERS))


def _fix_ampersand(match: re.Match[bytes]) -> bytes:
    reference = match.group(1)
    if reference is None:
        return b"&amp;"
    if reference.startswith(b"#") or reference in _XML_ENTITIES:
        return match.group(0)
    character = html.entities.html5.get(reference.decode("ascii"))
    if character is None:
        return b"&amp;" + reference
    return "".join(f"&#{ord(c)};" for c in character).encode("ascii")


class RepairingReader:
    """A binary stream with bare ``&`` and HTML entities fixed outside CDATA and comments.

    With ``cdata_repair`` (used only after a strict parse failed) a ``]]>`` inside CDATA that is
    not followed by markup or the end of its line is taken as text, as WordPress's own fallback
    parser does, and written as ``]]]]><![CDATA[>``.
    """

    def __init__(self, handle: BinaryIO, cdata_repair: bool = False) -> None:
        self._handle = handle
        self._cdata_repair = cdata_repair
        self._buffer = bytearray()  # deleting its front is cheap: a long line is not copied
        self._state: bytes | None = None  # the opener of the CDATA/comment we are in
        self._first = True
        self.repairs = 0

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self._buffer) < size:
            line = self._handle.readline()
            if not line:
                break
            if self._first:
                line = line.removeprefix(b"\xef\xbb\xbf").lstrip(b" \t")
                self._first = False
            self._buffer += self._repair(line)
        if size < 0:
            size = len(self._buffer)
        chunk = bytes(self._buffer[:size])
        del self._buffer[:size]
        return chunk

    def _repair(self, line: bytes) -> bytes:
        if b"&" not in line and self._state is None and b"<!" not in line:
            return line
        out, position = [], 0
        while position < len(line):
            if self._state is None:  # plain markup: find where CDATA or a comment opens
                found = _OPENER.search(line, position)  # one scan, not one per opener
                at, opener = (found.start(), found.group()) if found else (len(line), b"")
                end = at + len(opener)
                part = line[position:end]
                fixed = _AMPERSAND.sub(_fix_ampersand, part)
                self.repairs += fixed != part
                out.append(fixed)
                self._state = opener or None
            else:  # inside CDATA or a comment: copy up to its end unchanged
                closer = _CLOSERS[self._state]
                at = line.find(closer, position)
                end = len(line) if at == -1 else at + len(closer)
                if at != -1 and self._is_text_inside_cdata(line, end):
                    out.append(line[position:at] + b"]]]]><![CDATA[>")
                    self.repairs += 1
                    position = end
                    continue
                out.append(line[position:end])
                if at != -1:
                    self._state = None
            position = end
        return b"".join(out)


    def _is_text_inside_cdata(self, line: bytes, after: int) -> bool:
        if not self._cdata_repair or self._state != b"<![CDATA[":
            return False
        rest = line[after:].lstrip(b" \t\r\n")
        return bool(rest) and not rest.startswith(b"<")


# -- elements -> records ---------------------------------------------------------------------
def _has_wxr_fields(item: Element) -> bool:
    return any(_kind(child.tag).startswith("wp:") for child in item if isinstance(child.tag, str))


def _kind(tag: str) -> str:
    """``{uri}name`` -> ``prefix:name`` with a prefix per namespace kind (or just ``name``)."""
    if not tag.startswith("{"):
        return tag
    uri, name = tag[1:].split("}", 1)
    if "wordpress.org/export" in uri:
        return f"excerpt:{name}" if "excerpt" in uri else f"wp:{name}"
    if "purl.org/rss/1.0/modules/content" in uri:
        return f"content:{name}"
    return name


def _text(element: Element) -> str:
    return (element.text or "").strip()


_ITEM_FIELDS = {
    "title": "title", "link": "link", "pubDate": "pub_date", "guid": "guid",
    "content:encoded": "content", "excerpt:encoded": "excerpt", "wp:post_id": "post_id",
    "wp:post_date": "post_date", "wp:post_date_gmt": "post_date_gmt",
    "wp:post_name": "post_name", "wp:status": "status", "wp:post_type": "post_type",
    "wp:post_parent": "post_parent", "wp:post_password": "password",
    "wp:attachment_url": "attachment_url",
}
_RAW_TEXT_FIELDS = {"content", "excerpt"}  # leading/trailing blank lines matter to wpautop only
_COMMENT_FIELDS = {
    "wp:comment_id": "id", "wp:comment_author": "author", "wp:comment_author_url": "author_url",
    "wp:comment_date": "date", "wp:comment_date_gmt": "date_gmt",
    "wp:comment_content": "content", "wp:comment_approved": "approved",
    "wp:comment_type": "type", "wp:comment_parent": "parent",
}  # deliberately no comment_author_email / comment_author_IP


def _item(element: Element) -> WxrItem:
    item = WxrItem()
    for child in element:
        key = _kind(child.tag)
        if key in _ITEM_FIELDS:
            name = _ITEM_FIELDS[key]
            value = child.text or "" if name in _RAW_TEXT_FIELDS else _text(child)
            setattr(item, name, value)
        elif key == "category":
            item.categories.append((child.get("domain", "category"), _text(child)))
        elif key == "wp:postmeta":
            meta = {_kind(c.tag): (c.text or "") for c in child}
            if meta.get("wp:meta_key"):
                item.postmeta[meta["wp:meta_key"].strip()] = meta.get("wp:meta_value", "")
        elif key == "wp:comment":
            item.comments.append(_comment(child))
    return item


def _comment(element: Element) -> WxrComment:
    values = {name: "" for name in _COMMENT_FIELDS.values()}
    for child in element:
        name = _COMMENT_FIELDS.get(_kind(child.tag))
        if name:
            values[name] = child.text or "" if name == "content" else _text(child)
    return WxrComment(**values)


_CHANNEL_FIELDS = {"title": "title", "link": "link", "pubDate": "pub_date",
                   "wp:base_blog_url": "base_blog_url", "wp:base_site_url": "base_site_url",
                   "wp:wxr_version": "wxr_version"}


class WxrSyntaxError(ArchiverError):
    """The document is not well-formed XML (the message names the line and column)."""


class WxrReader:
    """One export file. ``items()`` streams its items; ``channel`` is filled before the first
    item comes out, ``repairs`` counts the lines the ``&`` repair changed."""

    def __init__(self, source: Path | Callable[[], BinaryIO], where: str,
                 cdata_repair: bool = False) -> None:
        self.source = source  # a file, or a function that opens the document (zip member)
        self.where = where
        self.cdata_repair = cdata_repair  # see RepairingReader
        self.channel = WxrChannel()
        self.repairs = 0

    def items(self) -> Iterator[WxrItem]:
        """Every ``<item>`` in file order; ArchiverError for a file that is not a sound WXR."""
        if isinstance(self.source, Path):
            try:
                handle: BinaryIO = self.source.open("rb")
            except OSError as exc:
                raise ArchiverError(f"cannot read the file: {exc.strerror}", where=self.where,
                                    hint="check the path") from None
        else:
            handle = self.source()
        reader = RepairingReader(handle, self.cdata_repair)
        try:
            yield from self._parse(reader)
        except ParseError as exc:
            raise syntax_error(exc, self.where, error=WxrSyntaxError,
                               hint="the export is damaged; export it again from WordPress"
                               ) from None
        except DefusedXmlException as exc:
            raise forbidden(exc, self.where,
                            hint="WordPress exports never declare entities") from None
        except LookupError as exc:  # expat's answer to an unknown encoding="..."
            raise unknown_encoding(exc, self.where, hint="fix the encoding=\"...\" in the first "
                                   "line (WordPress writes UTF-8)") from None
        except (OSError, EOFError, zlib.error, zipfile.BadZipFile) as exc:
            raise ArchiverError(f"cannot read the export ({exc})", where=self.where,
                                hint="the file is damaged; download or export it again") from None
        finally:
            handle.close()
            self.repairs = reader.repairs

    def _parse(self, reader: RepairingReader) -> Iterator[WxrItem]:
        stack: list[Element] = []
        for event, element in SafeET.iterparse(reader, events=("start", "end")):
            if event == "start":
                stack.append(element)
                if len(stack) == 1 and _kind(element.tag) != "rss":
                    raise ArchiverError(
                        f"not a WordPress export (root element <{_kind(element.tag)}>, "
                        "expected <rss>)", where=self.where,
                        hint="export with WordPress: Tools > Export > All content")
                continue
            stack.pop()
            key = _kind(element.tag)
            if len(stack) != 2:  # not a child of rss > channel
                continue
            if key == "item":
                if not self.channel.wxr_version and not _has_wxr_fields(element):
                    raise ArchiverError(
                        "not a WordPress export: its items have no WordPress fields (wp:post_id, "
                        "wp:status ...); it looks like a feed", where=self.where,
                        hint="import a feed with 'archiver import feed FILE', or export with "
                             "WordPress: Tools > Export > All content")
                yield _item(element)
            elif key in _CHANNEL_FIELDS:
                setattr(self.channel, _CHANNEL_FIELDS[key], _text(element))
            # every child of the channel is dropped once read: removing an item searched all
            # the tags and terms listed before the items (items x terms)
            stack[-1].remove(element)
