"""Movable Type and TypePad: the export text format (``.txt``, one or many entries).

Layout (https://movabletype.org/documentation/appendices/import-export-format.html)::

    TITLE: A title             <- header lines "KEY: value" (CATEGORY may repeat)
    DATE: 01/31/2002 03:31:05 PM
    -----                      <- five dashes end a section
    BODY:
    ...
    -----
    EXTENDED BODY: / EXCERPT: / KEYWORDS: / COMMENT: / PING:  (each its own section)
    -----
    --------                   <- eight dashes end an entry

BODY and EXTENDED BODY are joined; EXCERPT becomes ``summary``; PRIMARY CATEGORY, CATEGORY and
TAGS (``"two words",one``) become tags; STATUS Draft (or Future, Review) is kept as a draft.
``CONVERT BREAKS`` ``__default__``/``1`` (or none given, for a body without ``<p>``) turns
blank lines into paragraphs; ``markdown`` bodies are kept as Markdown. Dates are local time in
``--timezone`` (the site's time zone unless given); both ``03:31:05 PM`` and ``15:31:05``.
Comments and pings keep author, URL and date; EMAIL and IP lines are read past, never stored.
Images and files the body links to are downloaded into ``media/movabletype/YYYY/slug/``
(``--no-download`` keeps the old URLs; TypePad's image URLs have no extension, so it comes from
the Content-Type), and images pasted into the body as ``data:`` URLs are kept as files.
A ``NO ENTRY: 1`` section only brings comments and pings to the entry with the same TITLE; when
the file has no such entry it is imported as an entry itself, so nothing is lost.
"""

from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import dataclass, field, replace
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Iterator
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click

from archiver.errors import ArchiverError
from archiver.importers import MAX_POST_CHARS, ImportContext, Importer, tag_names, too_long, usable_aliases
from archiver.importers.html import autop, has_paragraphs, html_to_markdown
from archiver.importers.media import NO_DOWNLOAD_OPTION, Files, MediaDownloader
from archiver.model import Comment, Entry
from archiver.paths import slugify
from archiver.store import ImportedItem

SOURCE = "movabletype"
ENTRY_END = "--------"
SECTION_END = "-----"
MULTILINE_SECTIONS = ("BODY", "EXTENDED BODY", "EXCERPT", "KEYWORDS", "COMMENT", "PING")
COMMENT_KEYS = {"AUTHOR", "EMAIL", "URL", "IP", "DATE", "TITLE", "BLOG NAME"}
DRAFT_STATUSES = {"draft", "future", "review", "unpublish"}
BREAKS_AUTOP = {"__default__", "1", "textile_2", "textile"}
BREAKS_MARKDOWN = {"markdown", "markdown_with_smartypants"}
_DATE_FORMATS = ("%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %I:%M %p",
                 "%m/%d/%Y %H:%M", "%Y-%m-%d %H:%M:%S")
_HEADER = re.compile(r"^([A-Z][A-Z ]*?):\s?(.*)$")


@dataclass
class MTEntry:
    """One entry of the export as written: header values and its multi-line sections."""

    line: int
    headers: dict[str, list[str]] = field(default_factory=dict)
    sections: dict[str, list[str]] = field(default_factory=dict)  # BODY, EXCERPT... -> text
    feedback: list[tuple[str, str]] = field(default_factory=list)  # (COMMENT|PING, raw text)

    def header(self, key: str) -> str:
        values = self.headers.get(key)
        return values[-1].strip() if values else ""


def parse_entries(lines: Iterator[str]) -> Iterator[MTEntry]:
    """The entries of an export, read line by line.

    Separator lines may carry trailing blanks; ``KEY: value`` lines found between sections
    (some exporters put them there) count as header lines.
    """
    entry: MTEntry | None = None
    section: str | None = None  # None while in the header block
    buffer: list[str] = []
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r\n")
        if number == 1:
            line = line.lstrip("\ufeff")
        if entry is None:
            if not line.strip():
                continue
            entry, section, buffer = MTEntry(line=number), None, []
        marker = line.rstrip()
        if marker == ENTRY_END:
            _close_section(entry, section, buffer)
            yield entry
            entry, section, buffer = None, None, []
        elif marker == SECTION_END:
            _close_section(entry, section, buffer)
            section, buffer = "", []
        elif section == "" and marker.endswith(":") and marker[:-1] in MULTILINE_SECTIONS:
            section = marker[:-1]
        elif not section:  # the header block, or more header lines between sections
            match = _HEADER.match(line)
            if match:
                entry.headers.setdefault(match.group(1), []).append(match.group(2))
        else:
            buffer.append(line)
    if entry is not None and (entry.headers or entry.sections or entry.feedback):
        _close_section(entry, section, buffer)
        yield entry  # a last entry without its closing dashes


def _close_section(entry: MTEntry, section: str | None, buffer: list[str]) -> None:
    if not section:
        return
    text = "\n".join(buffer).strip("\n")
    if section in ("COMMENT", "PING"):
        entry.feedback.append((section, text))
    else:
        entry.sections.setdefault(section, []).append(text)


def parse_mt_date(value: str, tz: tzinfo) -> datetime | None:
    """``01/31/2002 03:31:05 PM`` (or 24-hour) in local time ``tz``; None when unreadable."""
    text = " ".join((value or "").split())
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).replace(tzinfo=tz)
        except ValueError:
            continue
    return None


def parse_tags(value: str) -> list[str]:
    """MT's TAGS line: comma separated, tags with spaces or commas in double quotes."""
    if not value.strip():
        return []
    row = next(csv.reader([value], skipinitialspace=True), [])
    return [" ".join(tag.split()) for tag in row if tag.strip()]


class MovableTypeImporter(Importer):
    name = "movabletype"
    help = ("Import a Movable Type or TypePad export (.txt).\n\nEntries with their categories "
            "and tags, comments and pings (trackbacks); drafts are kept as drafts and never "
            "published. Dates in the file are local time: give --timezone when the blog's "
            "differs from the site's. Images are downloaded into the site unless "
            "--no-download is given.")
    options = [NO_DOWNLOAD_OPTION, click.Option(["--timezone", "timezone_name"], metavar="ZONE", default=None,
                            help="IANA time zone of the dates in the file (default: the site's).")]

    def read(self, source: str, context: ImportContext) -> Iterator[ImportedItem]:
        path = Path(source)
        if not path.is_file():
            raise ArchiverError("no such file", where=source,
                                hint="give the .txt file Movable Type or TypePad exported")
        tz = self._timezone(context)
        try:
            with path.open(encoding="utf-8", errors="replace", newline="") as handle:
                entries = list(parse_entries(iter(handle.readline, "")))
        except UnicodeError as exc:  # pragma: no cover - errors="replace" decodes anything
            raise ArchiverError(f"cannot read the file: {exc}", where=source) from None
        if not entries or not any(e.header("TITLE") or e.sections for e in entries):
            raise ArchiverError("no Movable Type entries found", where=source,
                                hint="the file should hold 'TITLE:' lines and '--------' separators")
        entries = _attach_no_entry_sections(entries, source, context)
        context.total = len(entries)
        media = MediaDownloader(context, enabled=not self.settings.get("no_download"),
                                folder_prefix=SOURCE)
        seen: dict[str, list[str]] = {}  # identity -> bodies imported under it (this file)
        repeats = 0
        for entry in entries:
            item = self._item(entry, source, tz, context, media)
            if item is not None:
                item = _unique_identity(item, seen)
                repeats += item is None
            if item is not None:
                yield item
        if repeats:
            context.note(f"{source}: {repeats} entries appeared twice and were imported once")

    def _timezone(self, context: ImportContext) -> tzinfo:
        name = self.settings.get("timezone_name")
        if not name:
            return context.timezone
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise ArchiverError(f"unknown time zone {name!r}", where="--timezone",
                                hint="use an IANA name like Europe/Berlin or America/New_York") from None

    def _item(self, mt: MTEntry, source: str, tz: tzinfo, context: ImportContext,
              media: MediaDownloader) -> ImportedItem | None:
        where = f"{source}:{mt.line}"
        date = parse_mt_date(mt.header("DATE"), tz)
        if date is None:
            context.skip(where, f"entry {mt.header('TITLE')!r} has no readable DATE "
                                f"({mt.header('DATE')!r})")
            return None
        title = mt.header("TITLE")
        breaks = mt.header("CONVERT BREAKS").lower()
        body = "\n\n".join(part for key in ("BODY", "EXTENDED BODY")
                           for part in mt.sections.get(key, []) if part.strip())
        reason = too_long(body, MAX_POST_CHARS, f"entry {title!r}: body")
        if reason:
            context.skip(where, reason)
            return None
        comments, dropped = _feedback(mt, tz, breaks)
        if dropped:
            context.note(f"{where}: {dropped} comments or pings without text dropped")
        extra = {}
        excerpt = " ".join(" ".join(mt.sections.get("EXCERPT", [])).split())
        if excerpt:
            extra["summary"] = excerpt
        keywords = " ".join(" ".join(mt.sections.get("KEYWORDS", [])).split())
        if keywords:
            extra["keywords"] = keywords
        unique_url = mt.header("UNIQUE URL")
        slug = slugify(mt.header("BASENAME") or title, fallback=f"{date:%Y-%m-%d}")
        markdown, files = _with_media(body, breaks, media, f"{date:%Y}/{slug}", where, unique_url)
        entry = Entry(
            kind="post", date=date, title=title, body=markdown,
            tags=_tags(mt), source=SOURCE, source_id=_source_id(mt, date),
            url=unique_url, aliases=_alias(unique_url), extra=extra,
            status="draft" if mt.header("STATUS").lower() in DRAFT_STATUSES else "published",
            slug=slug, comments=tuple(comments),
        )
        return ImportedItem(entry, files=files)


def _unique_identity(item: ImportedItem, seen: dict[str, list[str]]) -> ImportedItem | None:
    """None for an entry the file already gave (same identity, same text); a second entry
    under one identity (same title and date, no BASENAME or UNIQUE URL) gets ``#2``, ``#3``...,
    so it is not saved over the first."""
    bodies = seen.setdefault(item.entry.source_id, [])
    if item.entry.body in bodies:
        return None
    bodies.append(item.entry.body)
    if len(bodies) == 1:
        return item
    return replace(item, entry=replace(item.entry,
                                       source_id=f"{item.entry.source_id}#{len(bodies)}"))


def _with_media(body: str, breaks: str, media: MediaDownloader, item_folder: str,
                where: str, base: str) -> tuple[str, Files]:
    """The body as Markdown with its pasted and linked media kept in the site, and their files
    (``base``: the entry's old address, for media at relative URLs)."""
    # a Markdown body is not read as HTML (re-serialised, its <http://...> links would break)
    body, pasted = media.prepare_html(body, "" if breaks in BREAKS_MARKDOWN else base)
    markdown, files = media.localize(_markdown(body, breaks), item_folder, where)
    return markdown, {**pasted, **files}


def _attach_no_entry_sections(entries: list[MTEntry], source: str,
                              context: ImportContext) -> list[MTEntry]:
    """Move the comments of ``NO ENTRY: 1`` sections to the entry with the same title."""
    by_title = {e.header("TITLE"): e for e in entries if e.header("NO ENTRY") != "1"}
    kept = []
    for entry in entries:
        target = by_title.get(entry.header("TITLE")) if entry.header("NO ENTRY") == "1" else None
        if target is not None:
            target.feedback.extend(entry.feedback)
            continue
        if entry.header("NO ENTRY") == "1":
            context.note(f"{source}:{entry.line}: 'NO ENTRY' section {entry.header('TITLE')!r} has "
                         "no entry of that title in the file; imported as an entry")
        kept.append(entry)
    return kept


def _feedback(mt: MTEntry, tz: tzinfo, breaks: str) -> tuple[list[Comment], int]:
    comments: list[Comment] = []
    dropped = 0
    for kind, text in mt.feedback:
        fields, body = _split_feedback(text)
        if not body.strip():
            dropped += 1
            continue
        url = fields.get("URL", "")
        if kind == "PING":
            title = fields.get("TITLE", "")
            author = fields.get("BLOG NAME") or title or url or "A weblog"
            body_md = _markdown(f"<p><strong>{_escape(title)}</strong></p>\n\n{body}"
                                if title else body, "__default__")
        else:
            author = fields.get("AUTHOR") or "Anonymous"
            body_md = _markdown(body, "__default__" if breaks not in BREAKS_MARKDOWN else breaks)
        comments.append(Comment(
            author=author, body=body_md, date=parse_mt_date(fields.get("DATE", ""), tz),
            url=url if url.startswith(("http://", "https://")) else "",
            kind="pingback" if kind == "PING" else "comment"))  # MT gives no ids (see storemerge)
    return comments, dropped


def _split_feedback(text: str) -> tuple[dict[str, str], str]:
    """A COMMENT or PING section: its leading ``KEY: value`` lines (EMAIL, IP read past), body."""
    fields: dict[str, str] = {}
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        match = _HEADER.match(lines[index])
        if not match or match.group(1) not in COMMENT_KEYS:
            break
        if match.group(1) not in ("EMAIL", "IP"):
            fields[match.group(1)] = match.group(2).strip()
        index += 1
    return fields, "\n".join(lines[index:]).strip()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _markdown(body: str, breaks: str) -> str:
    """The body as Markdown, after MT's line-break conversion when the entry asked for it."""
    if breaks in BREAKS_MARKDOWN:
        return body.strip()
    if breaks in BREAKS_AUTOP or (not breaks and not has_paragraphs(body)):
        body = autop(body)
    return html_to_markdown(body)


def _tags(mt: MTEntry) -> tuple[str, ...]:
    names = [mt.header("PRIMARY CATEGORY"), *mt.headers.get("CATEGORY", []),
             *parse_tags(mt.header("TAGS"))]
    return tag_names(names)


def _source_id(mt: MTEntry, date: datetime) -> str:
    """A stable identity: the entry's own address or basename, else its title and date."""
    for key in ("UNIQUE URL", "BASENAME"):
        if mt.header(key):
            return f"{key.lower().replace(' ', '-')}:{mt.header(key)}"
    digest = hashlib.sha1(f"{mt.header('TITLE')}\n{date.isoformat()}".encode()).hexdigest()
    return f"entry:{digest[:16]}"


def _alias(url: str) -> tuple[str, ...]:
    if not url.startswith(("http://", "https://")):
        return ()
    path = url.split("://", 1)[1].partition("/")[2]
    return usable_aliases([f"/{path}"])
