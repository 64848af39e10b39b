"""Blogger: the classic "Back up content" Atom export and the Google Takeout ``feed.atom``.

Both are one Atom feed holding every kind of thing the blog has. Told apart by:

* classic backup (``schemas.google.com/blogger/2008/kind#...`` categories): ``post``, ``page``,
  ``comment``; ``settings`` and ``template`` entries are not content and are passed over;
  drafts carry ``<app:control><app:draft>yes``; a comment names its post with
  ``thr:in-reply-to`` and the comment it answers with a ``rel="related"`` link;
* Takeout (``schemas.google.com/blogger/2018``): ``blogger:type`` POST, PAGE or COMMENT,
  ``blogger:status`` LIVE, DRAFT or SOFT_TRASHED, ``blogger:parent`` and
  ``blogger:inReplyTo`` for comments, ``blogger:filename`` for the old path;
* a public Blogger feed (``/feeds/posts/default``) has neither: its entries are posts.

Labels become tags (spaces and casing kept). The old address (``/2010/12/slug.html``) is kept
in ``url`` and ``aliases`` so the build writes a redirect; Takeout files hold only the path,
so ``url`` is filled there when ``--blog-url`` gives the blog's address. Author e-mails are never read.
Comments that are not live (spam, pending, trashed, "removed by the author") are dropped.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Iterator
from xml.etree.ElementTree import Element

import click
from bs4 import BeautifulSoup

from archiver.errors import ArchiverError
from archiver.importers import (
    MAX_POST_CHARS,
    ImportContext,
    Importer,
    join_url,
    split_url,
    tag_names,
    too_long,
    usable_aliases,
    web_url,
)
from archiver.importers.dates import parse_date
from archiver.importers.feed.formats import ATOM, alternate_link, atom_html, atom_text
from archiver.importers.feed.xmltools import iter_elements, text_of
from archiver.importers.html import autop, has_paragraphs, html_to_markdown
from archiver.importers.media import NO_DOWNLOAD_OPTION, MediaDownloader
from archiver.model import Comment, Entry
from archiver.paths import slugify
from archiver.store import ImportedItem

SOURCE = "blogger"
KIND_SCHEME = "http://schemas.google.com/g/2005#kind"
KIND_PREFIX = "http://schemas.google.com/blogger/2008/kind#"
TAKEOUT = "{http://schemas.google.com/blogger/2018}"
APP_DRAFT = "{http://purl.org/atom/app#}control/{http://purl.org/atom/app#}draft"
THREAD_REPLY = "{http://purl.org/syndication/thread/1.0}in-reply-to"
POST_STATUS = {"LIVE": "published", "DRAFT": "draft", "SOFT_TRASHED": "deleted",
               "DELETED": "deleted", "SCHEDULED": "draft", "IMPORTED": "published"}
REMOVED_COMMENT = re.compile(r"^\s*This (?:comment|post) has been removed by "
                             r"(?:the author|a blog administrator)\.?\s*$", re.IGNORECASE)
_DIGITS = re.compile(r"(\d+)\s*$")


@dataclass
class Record:
    """What one export entry says, read once so the XML element can be freed."""

    kind: str  # post | page | comment | other
    id: str
    title: str = ""
    html: str = ""
    date: datetime | None = None
    status: str = "published"
    labels: list[str] = field(default_factory=list)
    link: str = ""  # the old public address (absolute URL, or a path for Takeout)
    post_id: str = ""  # comments: the post they belong to
    parent_id: str = ""  # comments: the comment they answer
    author: str = ""
    author_url: str = ""


class BloggerImporter(Importer):
    name = "blogger"
    help = ("Import a Blogger export: the classic \"Back up content\" .xml or the Takeout "
            "feed.atom.\n\nPosts and pages with their labels (as tags), live comments and "
            "drafts (kept as drafts, never published). Old /YYYY/MM/slug.html addresses keep "
            "working through redirects. Images are downloaded into the site unless "
            "--no-download is given.")
    options = [
        NO_DOWNLOAD_OPTION,
        click.Option(["--blog-url"], metavar="URL", default="",
                     help="The blog's address (https://name.blogspot.com/), to record full old "
                          "URLs from a Takeout feed.atom, which only holds their paths."),
    ]

    def read(self, source: str, context: ImportContext) -> Iterator[ImportedItem]:
        path = Path(source)
        if not path.is_file():
            raise ArchiverError("no such file", where=source,
                                hint="give the .xml or feed.atom file of a Blogger export")
        comments = self._comments(path, source, context)
        media = MediaDownloader(context, enabled=not self.settings.get("no_download"),
                                folder_prefix="blogger")
        kept = dropped = 0
        for record in self._posts(path, source, context):
            thread = comments.pop(record.id, [])
            live = [c for c in thread if _is_live_comment(c)]
            kept += len(live)
            dropped += len(thread) - len(live)
            yield self._item(record, live, media, f"{source}: {record.kind} {record.title!r}")
        for post_id, orphans in comments.items():
            for comment in orphans:
                context.skip(f"{source}: comment {_short_id(comment.id)}",
                             f"its post ({_short_id(post_id) or 'none'}) is not in the export")
        context.note(f"{source}: {kept} comments kept, {dropped} dropped "
                     "(spam, pending, trashed or removed)")

    # Two streaming passes keep memory flat on big exports: Blogger writes the comments after
    # the posts, and only the comments (small) are held until their post comes by.
    def _comments(self, path: Path, source: str,
                  context: ImportContext) -> dict[str, list[Record]]:
        """First pass: every comment, by the id of its post; counts the posts for progress."""
        comments: dict[str, list[Record]] = defaultdict(list)
        posts = entries = 0
        for element in iter_elements(path, frozenset({f"{ATOM}entry"}), source):
            entries += 1
            kind = _kind(element, " ".join(text_of(element.find(f"{ATOM}id")).split()))
            if kind == "comment":
                record = read_record(element, context)
                comments[record.post_id].append(record)
            elif kind in ("post", "page"):
                posts += 1
        if not entries:
            raise ArchiverError("not a Blogger export: no Atom <entry> in it", where=source,
                                hint="give the .xml of Blogger's Settings > Back up content or "
                                     "Takeout's feed.atom (WordPress exports: 'archiver import "
                                     "wordpress', feeds: 'archiver import feed')")
        context.total = posts
        return comments

    def _posts(self, path: Path, source: str, context: ImportContext) -> Iterator[Record]:
        """Second pass: the posts and pages, one at a time."""
        for element in iter_elements(path, frozenset({f"{ATOM}entry"}), source):
            entry_id = " ".join(text_of(element.find(f"{ATOM}id")).split())
            if _kind(element, entry_id) not in ("post", "page"):
                continue
            record = read_record(element, context)
            if record.date is None:
                context.skip(f"{source}: {record.kind} {_short_id(record.id)}", "no date")
                continue
            reason = too_long(record.html, MAX_POST_CHARS, "body")
            if reason:
                context.skip(f"{source}: {record.kind} {_short_id(record.id)}", reason)
                continue
            yield record

    def _item(self, record: Record, comments: list[Record], media: MediaDownloader,
              where: str) -> ImportedItem:
        assert record.date is not None
        old_path = split_url(record.link).path if record.link else ""
        slug = slugify(_slug_from_path(old_path) or record.title, fallback=_short_id(record.id))
        url = self._full_url(record.link)
        html, pasted = media.prepare_html(clean_blogger_html(record.html), url)
        body, files = media.localize(html_to_markdown(html), f"{record.date:%Y}/{slug}", where)
        files = {**pasted, **files}
        entry = Entry(
            kind=record.kind, date=record.date, title=record.title, body=body,
            tags=tag_names(record.labels), source=SOURCE, source_id=record.id,
            url=url, aliases=usable_aliases([old_path]),
            status=record.status, slug=slug,
            comments=tuple(_comment(c) for c in sorted(comments, key=_comment_order)),
        )
        return ImportedItem(entry, files=files)


    def _full_url(self, link: str) -> str:
        """An absolute old URL; a Takeout path only with --blog-url (a bare path would make the
        post's "originally published at" link point at its own redirect)."""
        if web_url(link):
            return link
        blog_url = str(self.settings.get("blog_url") or "")
        if link and web_url(blog_url):
            return join_url(blog_url, link)
        return ""


def read_record(entry: Element, context: ImportContext) -> Record:
    """One ``<entry>`` of a Blogger export as a Record (kind 'other' for settings etc.)."""
    entry_id = " ".join(text_of(entry.find(f"{ATOM}id")).split())
    kind = _kind(entry, entry_id)
    if kind == "other":
        return Record(kind, entry_id)
    published = (text_of(entry.find(f"{ATOM}published"))
                 or text_of(entry.find(f"{TAKEOUT}created"))
                 or text_of(entry.find(f"{ATOM}updated")))
    author = entry.find(f"{ATOM}author")
    filename = text_of(entry.find(f"{TAKEOUT}filename"))
    return Record(
        kind=kind, id=entry_id, title=atom_text(entry.find(f"{ATOM}title")),
        html=atom_html(entry.find(f"{ATOM}content")),
        date=parse_date(published, context.timezone), status=_status(entry),
        labels=_labels(entry), link=alternate_link(entry, "").split("#", 1)[0] or filename,
        post_id=_post_of(entry), parent_id=_parent_comment(entry),
        author=text_of(author.find(f"{ATOM}name")) if author is not None else "",
        author_url=text_of(author.find(f"{ATOM}uri")) if author is not None else "",
    )


def _kind(entry: Element, entry_id: str) -> str:
    takeout_type = text_of(entry.find(f"{TAKEOUT}type")).upper()
    if takeout_type:
        return {"POST": "post", "PAGE": "page", "COMMENT": "comment"}.get(takeout_type, "other")
    for category in entry.findall(f"{ATOM}category"):
        term = category.get("term", "")
        if category.get("scheme") == KIND_SCHEME and term.startswith(KIND_PREFIX):
            kind = term[len(KIND_PREFIX):]
            return kind if kind in ("post", "page", "comment") else "other"
    if entry.find(THREAD_REPLY) is not None:
        return "comment"
    if ".post-" in entry_id:
        return "post"
    return "page" if ".page-" in entry_id else "other"


def _status(entry: Element) -> str:
    takeout = text_of(entry.find(f"{TAKEOUT}status")).upper()
    if takeout:
        return POST_STATUS.get(takeout, "draft")
    return "draft" if text_of(entry.find(APP_DRAFT)).lower() == "yes" else "published"


def _labels(entry: Element) -> list[str]:
    labels = []
    for category in entry.findall(f"{ATOM}category"):
        if category.get("scheme") == KIND_SCHEME:
            continue
        label = " ".join(category.get("term", "").split())
        if label:
            labels.append(label)
    return labels


def _post_of(entry: Element) -> str:
    reply = entry.find(THREAD_REPLY)
    if reply is not None:
        return " ".join(reply.get("ref", "").split())
    return " ".join(text_of(entry.find(f"{TAKEOUT}parent")).split())


def _parent_comment(entry: Element) -> str:
    """The id of the comment this one answers ('' for a top-level comment)."""
    takeout = text_of(entry.find(f"{TAKEOUT}inReplyTo"))
    if takeout:
        return _short_id(takeout)
    for link in entry.findall(f"{ATOM}link"):
        if link.get("rel") == "related" and "/comments/default/" in link.get("href", ""):
            return _short_id(link.get("href", ""))
    return ""


def _is_live_comment(comment: Record) -> bool:
    return comment.status == "published" and not REMOVED_COMMENT.match(
        BeautifulSoup(comment.html, "html.parser").get_text(" "))


def _comment(record: Record) -> Comment:
    author_url = web_url(record.author_url)
    return Comment(author=record.author or "Anonymous",
                   body=html_to_markdown(clean_blogger_html(record.html)), date=record.date,
                   url=author_url, kind="comment", id=_short_id(record.id),
                   parent=record.parent_id)


def _comment_order(record: Record) -> str:
    return record.date.isoformat() if record.date else ""


def _short_id(blogger_id: str) -> str:
    """The number at the end of a Blogger id (``tag:...post-123`` -> ``123``)."""
    match = _DIGITS.search(blogger_id or "")
    return match.group(1) if match else (blogger_id or "").strip()


def _slug_from_path(path: str) -> str:
    name = path.rstrip("/").rsplit("/", 1)[-1]
    return name[:-5] if name.endswith(".html") else name


# -- Blogger's own HTML habits ----------------------------------------------------------------
_BR_RUN = re.compile(r"(?:<br\s*/?>\s*){2,}", re.IGNORECASE)
_FULL_SIZE_IMAGE = re.compile(r"\.(?:jpe?g|png|gif|webp)$|/s\d{3,4}(?:-h)?/|=s\d+", re.IGNORECASE)
_BLOGGER_IMAGE_HOST = re.compile(r"(?:^|\.)(?:bp\.blogspot\.com|googleusercontent\.com|"
                                 r"blogger\.com)$", re.IGNORECASE)


def clean_blogger_html(html: str) -> str:
    """Blogger's editor output made plain before the shared HTML-to-Markdown step.

    Runs of ``<br />`` (Blogger's "convert line breaks") become paragraphs, a thumbnail
    wrapped in a link to its full-size image becomes the full-size image, and video players
    (iframes, which the sanitiser removes) become a link.
    """
    if not html.strip():
        return ""
    if not has_paragraphs(html):
        html = autop(_BR_RUN.sub("\n\n", html))
    soup = BeautifulSoup(html, "html.parser")
    for link in soup.find_all("a"):
        images = link.find_all("img")
        href = str(link.get("href") or "")
        host = split_url(href).hostname or ""
        if (len(images) == 1 and not link.get_text(strip=True)
                and _BLOGGER_IMAGE_HOST.search(host) and _FULL_SIZE_IMAGE.search(href)):
            images[0]["src"] = href
            link.replace_with(images[0])
    return str(soup)
