"""One WXR item -> an archiver Entry: status, dates, tags, old URLs, body and comments.

Rules (issue 5): published posts and pages are built; ``draft``/``pending``/``future``/
``auto-draft`` become ``draft``, ``private`` and password-protected ones ``private``, ``trash``
``deleted`` (all imported, never built). Dates come from ``post_date_gmt``; when that is
``0000-00-00`` (drafts) from ``post_date`` in the blog's timezone (``context.timezone``), then
from ``pubDate``, then (unpublished items only) from the export's own date. Categories and tags
share ``tags`` ("Uncategorized" dropped). ``url`` is the old permalink; ``aliases`` its path
and WordPress's ``/?p=ID`` (posts) or ``/?page_id=ID`` (pages) under the blog's path.

Comments: only approved (``1``) comments, pingbacks and trackbacks are kept, with the author,
an http(s) author URL, the date, the sanitised body, the kind, the id and the parent (a reply
to a dropped comment moves to the top level). Commenters' emails and IPs are never read, and an
email address typed into a comment's name or text is replaced by ``[email hidden]``.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable
from urllib.parse import unquote
from zoneinfo import ZoneInfo

from bs4 import BeautifulSoup

from archiver.importers import DROPPED_TAGS, join_url, split_url, usable_aliases, web_url
from archiver.importers.dates import parse_date
from archiver.importers.html import autop, has_paragraphs, html_to_markdown
from archiver.importers.wordpress.wxr import WxrChannel, WxrComment, WxrItem
from archiver.model import Comment

STATUSES = {"publish": "published", "private": "private", "trash": "deleted",
            "draft": "draft", "pending": "draft", "future": "draft", "auto-draft": "draft"}
KEPT_COMMENT_TYPES = {"": "comment", "comment": "comment", "pingback": "pingback",
                      "trackback": "pingback", "webmention": "pingback"}
TAG_DOMAINS = {"category", "post_tag", "tag"}
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_WORD = re.compile(r"\S+")
_ZERO_DATE = "0000-00-00"


def status_of(item: WxrItem) -> str:
    """The archiver status of a post or page (unknown WordPress statuses are drafts)."""
    status = STATUSES.get(item.status.lower(), "draft")
    if status == "published" and item.password:
        return "private"
    return status


def site_key(channel: WxrChannel) -> str:
    """The blog as host/path without scheme or ``www.`` (namespaces ``source_id``)."""
    parts = split_url(channel.blog_url)
    host = (parts.hostname or "").removeprefix("www.")
    return (host + parts.path.rstrip("/")) or "wordpress"


def blog_path(channel: WxrChannel) -> str:
    """The path the blog lives under on its host, '' or like '/blog'."""
    return split_url(channel.blog_url).path.rstrip("/")


# -- dates -----------------------------------------------------------------------------------
def parse_local(value: str, zone: ZoneInfo | timezone) -> datetime | None:
    """A WordPress ``YYYY-MM-DD HH:MM:SS`` date in ``zone``; None for empty or zero dates."""
    value = (value or "").strip()
    return None if value.startswith(_ZERO_DATE) else parse_date(value, zone)


def parse_rfc822(value: str) -> datetime | None:
    """An RSS ``pubDate``; None when absent, broken or the Unix epoch placeholder."""
    parsed = parse_date(value, timezone.utc)
    return None if parsed is None or parsed.year <= 1970 else parsed


def item_date(item: WxrItem, channel: WxrChannel, zone: ZoneInfo) -> datetime | None:
    """The item's publication date (see the module docstring for the order of sources)."""
    found = (parse_local(item.post_date_gmt, timezone.utc)
             or parse_local(item.post_date, zone)
             or parse_rfc822(item.pub_date))
    if found is None and status_of(item) != "published":
        found = parse_rfc822(channel.pub_date)
    return found


# -- words -----------------------------------------------------------------------------------
def plain_title(raw: str) -> str:
    """A title as plain text: entities decoded, markup dropped, spaces collapsed."""
    text = BeautifulSoup(raw or "", "html.parser").get_text() if "<" in (raw or "") else raw
    return " ".join(html.unescape(text or "").split())


def tags_of(item: WxrItem) -> tuple[str, ...]:
    """Categories then tags, original casing, duplicates (any case) and Uncategorized dropped."""
    seen: dict[str, str] = {}
    for domain, name in item.categories:
        name = " ".join(html.unescape(name).split())
        if domain in TAG_DOMAINS and name and name.lower() not in DROPPED_TAGS:
            seen.setdefault(name.lower(), name)
    return tuple(seen.values())


def slug_of(item: WxrItem) -> str:
    """The WordPress slug (``post_name``, percent-decoded); '' for drafts that have none."""
    return unquote(item.post_name or "").strip()


# -- old URLs --------------------------------------------------------------------------------
def old_urls(item: WxrItem, channel: WxrChannel, kind: str) -> tuple[str, tuple[str, ...]]:
    """(``url``, ``aliases``): the permalink and the old paths that must keep working."""
    link = item.link.strip()
    if link.startswith("/") and not link.startswith("//") and channel.blog_url:
        link = join_url(channel.blog_url, link)  # Squarespace writes site-relative links
    url = web_url(link)
    aliases: list[str] = []
    if url:
        parts = split_url(url)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        if path != "/":
            aliases.append(path)
    if item.post_id.isdigit():
        query = "p" if kind == "post" else "page_id"
        aliases.append(f"{blog_path(channel)}/?{query}={item.post_id}")
    return url, usable_aliases(aliases)


# -- body ------------------------------------------------------------------------------------
_URL_LINE = re.compile(r"^([ \t]*(?:<p>)?[ \t]*)(https?://[^\s<>\"']+)([ \t]*(?:</p>)?[ \t]*)$",
                       re.MULTILINE | re.IGNORECASE)


def link_bare_urls(content: str) -> str:
    """A URL alone on its line (WordPress embeds it) becomes a link to it."""
    return _URL_LINE.sub(lambda m: f'{m.group(1)}<a href="{m.group(2)}">{m.group(2)}</a>'
                         f"{m.group(3)}", content)


def body_html(content: str, expand: Callable[[str], str] = str) -> str:
    """Post HTML as WordPress shows it: shortcodes expanded by ``expand``, then wpautop when
    the author wrote no ``<p>`` (decided on the text as written, before the expansion)."""
    expanded = expand(content)
    return expanded if has_paragraphs(content) else autop(expanded)


# -- comments --------------------------------------------------------------------------------
@dataclass
class CommentCounts:
    kept: int = 0
    dropped: int = 0


def hide_emails(text: str) -> str:
    """Email addresses replaced, word by word: an address never spans a blank, and the pattern
    tried on every letter of a long run of them (40,000: 5 s) finds the same addresses here."""
    if "@" not in text:
        return text
    return _WORD.sub(lambda word: _EMAIL.sub("[email hidden]", word.group(0))
                     if "@" in word.group(0) else word.group(0), text)


def withdrawn_comments(raw: list[WxrComment]) -> tuple[str, ...]:
    """The ids of the item's comments that are not shown (spam, trash, awaiting approval): a
    re-import removes them from a file that an earlier import wrote them into."""
    return tuple(c.id.strip() for c in raw if c.id.strip() and not _shown(c))


def _shown(comment: WxrComment) -> bool:
    return comment.approved.strip() == "1" and comment.type.strip().lower() in KEPT_COMMENT_TYPES


def convert_comments(raw: list[WxrComment], zone: ZoneInfo,
                     counts: CommentCounts) -> tuple[Comment, ...]:
    """The approved comments and pingbacks of an item, threaded, oldest first."""
    kept = [c for c in raw if _shown(c)]
    counts.kept += len(kept)
    counts.dropped += len(raw) - len(kept)
    kept_ids = {c.id for c in kept if c.id}
    comments = [_comment(c, zone, kept_ids) for c in kept]
    return tuple(sorted(comments, key=lambda c: (c.date is None, c.date or datetime.min
                                                 .replace(tzinfo=timezone.utc))))


def _comment(raw: WxrComment, zone: ZoneInfo, kept_ids: set[str]) -> Comment:
    body = html_to_markdown(body_html(hide_emails(raw.content.strip())))
    return Comment(
        author=hide_emails(plain_title(raw.author)) or "Anonymous",
        body=body,
        date=parse_local(raw.date_gmt, timezone.utc) or parse_local(raw.date, zone),
        url=web_url(raw.author_url),
        kind=KEPT_COMMENT_TYPES[raw.type.strip().lower()],
        id=raw.id.strip(),
        parent=raw.parent.strip() if raw.parent.strip() in kept_ids else "",
    )
