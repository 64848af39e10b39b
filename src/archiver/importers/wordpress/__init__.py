"""``archiver import wordpress FILE...``: WordPress exports (WXR 1.0-1.2, WordPress.com).

A FILE is an .xml export or the .zip WordPress.com sends (its .xml parts are read in place,
``sources.py``). Each document is read twice, streaming both times: a first pass collects the attachments (their
file URLs feed ``[gallery]``, featured images and links to attachment pages) and checks that
the whole file parses, so a broken export stops before anything is written; the second pass
turns posts and pages into entries (``convert.py``), expands shortcodes (``shortcodes.py``),
converts the HTML to Markdown (``archiver.importers.html``) and downloads the media it uses
(``archiver.importers.media``, off with ``--no-download``).

Attachments, menu items, templates, global styles, custom CSS, revisions and the like are not
posts. Custom post types are left out too (they can hold private data such as contact-form
entries) unless named with ``--post-type``. Every file ends with a note counting what was
imported and what was left out.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

import click

from archiver.importers import MAX_POST_CHARS, ImportContext, Importer, too_long, web_url
from archiver.importers.html import html_to_markdown
from archiver.importers.media import NO_DOWNLOAD_OPTION, MediaDownloader
from archiver.importers.wordpress import convert
from archiver.importers.wordpress.shortcodes import (Attachment, ShortcodeExpander,
                                                      attachments_by_parent)
from archiver.importers.wordpress.sources import Opener, export_documents
from archiver.importers.wordpress.wxr import WxrChannel, WxrItem, WxrReader, WxrSyntaxError
from archiver.model import Entry, Media
from archiver.paths import slugify
from archiver.store import ImportedItem

CONTENT_TYPES = {"post": "post", "page": "page"}
_THUMBNAIL_KEY = "_thumbnail_id"


@dataclass
class _FileRun:
    """What the import of one export file keeps track of."""

    source: str
    channel: WxrChannel
    counts: Counter[str] = field(default_factory=Counter)
    comments: convert.CommentCounts = field(default_factory=convert.CommentCounts)
    shortcodes: dict[str, list[str]] = field(default_factory=dict)  # message -> items
    seen_ids: Counter[str] = field(default_factory=Counter)

    def notes(self, repairs: int) -> list[str]:
        """The summary line, then one line per kind of shortcode replacement."""
        self.counts["comments kept"] += self.comments.kept
        self.counts["comments dropped"] += self.comments.dropped
        lines = [_summary(self.source, self.counts, repairs)]
        for message, items in self.shortcodes.items():
            lines.append(f"{self.source}: {message}: {len(items)} time(s), first in {items[0]}")
        return lines


class WordPressImporter(Importer):
    name = "wordpress"
    help = ("Import WordPress exports (WXR 1.0-1.2, WordPress.com): posts, pages, approved "
            "comments and pingbacks, media.")
    source_help = "FILE"
    options = [
        NO_DOWNLOAD_OPTION,
        click.Option(["--post-type", "post_types"], multiple=True, metavar="TYPE",
                     help="Also import this custom post type as posts (repeatable)."),
    ]

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.download = not options.get("no_download", False)
        self.extra_types = {t.strip() for t in options.get("post_types") or () if t.strip()}
        self._downloader: MediaDownloader | None = None
        # attachments of every file read so far: WordPress.com splits big exports in parts
        self.attachments: dict[str, Attachment] = {}
        self.attachment_pages: dict[str, str] = {}  # attachment page URL -> file URL
        self.children: dict[str, list[Attachment]] = {}  # post id -> its attachments
        self.stats: Counter[str] = Counter()  # whole run, for tests and the summary

    def downloader(self, context: ImportContext) -> MediaDownloader:
        """One downloader per run, so a URL used by several files is fetched once."""
        if self._downloader is None or self._downloader.context is not context:
            self._downloader = MediaDownloader(context, self.download, "wordpress")
        return self._downloader

    def is_content(self, item: WxrItem) -> bool:
        return (item.post_type or "post") in CONTENT_TYPES or item.post_type in self.extra_types

    def read(self, source: str, context: ImportContext) -> Iterator[ImportedItem]:
        documents = export_documents(Path(source).expanduser(), source)
        cdata_repairs = [self._check(opener, where, context) for where, opener in documents]
        self.children = attachments_by_parent(self.attachments)
        for (where, opener), cdata_repair in zip(documents, cdata_repairs):
            yield from self._read_document(WxrReader(opener, where, cdata_repair), context)

    def _check(self, opener: Opener, where: str, context: ImportContext) -> bool:
        """The first pass over a document; True when it needs the CDATA repair to parse."""
        try:
            context.total = (context.total or 0) + self._first_pass(WxrReader(opener, where))
            return False
        except WxrSyntaxError as strict_error:
            try:
                total = self._first_pass(WxrReader(opener, where, cdata_repair=True))
            except WxrSyntaxError:
                raise strict_error from None
            context.total = (context.total or 0) + total
            context.note(f"{where}: {strict_error.message}; read like WordPress does, taking "
                         "]]> inside CDATA as text")
            return True

    def _read_document(self, reader: WxrReader,
                       context: ImportContext) -> Iterator[ImportedItem]:
        source = reader.where
        run = _FileRun(source, reader.channel)
        for item in reader.items():
            if not self.is_content(item):
                run.counts[f"not posts: {item.post_type}"] += 1
                continue
            imported = self._item(_unique_id(item, run, context), run, context)
            if imported is not None:
                yield imported
        for line in run.notes(reader.repairs):
            context.note(line)
        self.stats.update(run.counts)

    def _first_pass(self, reader: WxrReader) -> int:
        """Collect the attachments (and check the file parses); returns the number of posts."""
        total = 0
        for item in reader.items():
            if item.post_type == "attachment" and item.post_id and item.attachment_url:
                url = item.attachment_url.strip()
                self.attachments[item.post_id] = Attachment(
                    id=item.post_id, url=url, title=convert.plain_title(item.title),
                    caption=convert.plain_title(item.excerpt), parent=item.post_parent)
                if web_url(item.link):
                    self.attachment_pages[item.link.strip().rstrip("/")] = url
            elif self.is_content(item):
                total += 1
        return total

    def _item(self, item: WxrItem, run: _FileRun, context: ImportContext) -> ImportedItem | None:
        kind = CONTENT_TYPES.get(item.post_type or "post", "post")
        title = convert.plain_title(item.title)
        where = f"{run.source}: {kind} {item.post_id or '?'} {title!r}"
        if not item.post_id:
            context.skip(where, "item has no wp:post_id")
            return None
        date = convert.item_date(item, run.channel, context.timezone)
        if date is None:
            context.skip(where, "item has no usable date (post_date_gmt, post_date, pubDate)")
            return None
        reason = too_long(item.content, MAX_POST_CHARS, "body")
        if reason:
            context.skip(where, reason)
            return None
        status = convert.status_of(item)
        run.counts[f"{kind}s {status}"] += 1
        slug = convert.slug_of(item).removesuffix("__trashed")
        folder = f"{date:%Y}/{slugify(slug or title, fallback=item.post_id)}"
        url, aliases = convert.old_urls(item, run.channel, kind)
        body, files = self._body(item, folder, f"{kind} {item.post_id} {title!r}", run, context,
                                 base=url or run.channel.blog_url)
        media, thumbnail_files = self._featured_image(item, folder, where, context)
        entry = Entry(
            kind=kind, date=date, body=body, title=title, tags=convert.tags_of(item),
            source="wordpress", source_id=f"{convert.site_key(run.channel)}/{item.post_id}",
            url=url, aliases=aliases, status=status, slug=slug, media=media,
            comments=convert.convert_comments(item.comments, context.timezone, run.comments),
            withdrawn_comments=convert.withdrawn_comments(item.comments),
        )
        return ImportedItem(entry, {**files, **thumbnail_files})

    def _body(self, item: WxrItem, folder: str, label: str, run: _FileRun, context: ImportContext,
              base: str) -> tuple[str, dict[str, Callable[[], bytes]]]:
        """Markdown of the post with shortcodes expanded and its media made local (``base``:
        where the post lived, for media at relative URLs such as ``/wp-content/uploads/...``)."""
        expander = ShortcodeExpander(
            self.attachments, item.post_id,
            lambda message: run.shortcodes.setdefault(message, []).append(label), self.children)
        content = link_attachments(item.content, self.attachments, self.attachment_pages)
        html = convert.body_html(convert.link_bare_urls(content), expander.expand)
        downloader = self.downloader(context)
        html, pasted = downloader.prepare_html(html, base)
        body, files = downloader.localize(html_to_markdown(html), folder, f"{run.source}: {label}")
        return body, {**pasted, **files}

    def _featured_image(self, item: WxrItem, folder: str, where: str, context: ImportContext
                        ) -> tuple[tuple[Media, ...], dict[str, Callable[[], bytes]]]:
        """The post's featured image (``_thumbnail_id``) when it could be downloaded."""
        thumbnail = self.attachments.get(item.postmeta.get(_THUMBNAIL_KEY, "").strip())
        if thumbnail is None:
            return (), {}
        local, files = self.downloader(context).localize_url(thumbnail.url, folder, where)
        if not local.startswith("/media/"):
            return (), {}
        return (Media(path=local[1:], alt=thumbnail.title),), files


def _unique_id(item: WxrItem, run: _FileRun, context: ImportContext) -> WxrItem:
    """Hand-edited exports repeat post ids; a repeat becomes ``<id>-2``, ``<id>-3``..."""
    run.seen_ids[item.post_id] += 1
    repeat = run.seen_ids[item.post_id]
    if item.post_id and repeat > 1:
        context.note(f"{run.source}: post id {item.post_id} appears again; imported as "
                     f"{item.post_id}-{repeat}")
        item.post_id = f"{item.post_id}-{repeat}"
    return item


_HREF = re.compile(r"""(\shref=)(["'])(.*?)\2""", re.IGNORECASE | re.DOTALL)
_ATTACHMENT_ID = re.compile(r"[?&](?:amp;)?attachment_id=(\d+)")


def link_attachments(content: str, attachments: dict[str, Attachment],
                     pages: dict[str, str]) -> str:
    """Links to an attachment's page (``?attachment_id=N`` or its permalink) go to the file."""
    if not attachments or "href" not in content:
        return content

    def swap(match: re.Match[str]) -> str:
        target = match.group(3).strip()
        by_id = _ATTACHMENT_ID.search(target)
        attachment = attachments.get(by_id.group(1)) if by_id else None
        url = attachment.url if attachment else pages.get(target.rstrip("/"))
        return f"{match.group(1)}{match.group(2)}{url}{match.group(2)}" if url else match.group(0)

    return _HREF.sub(swap, content)


_SUMMARY_ORDER = [f"{kind}s {status}" for kind in ("post", "page")
                  for status in ("published", "draft", "private", "deleted")]
_SUMMARY_ORDER += ["comments kept", "comments dropped"]


def _summary(source: str, counts: Counter[str], repairs: int) -> str:
    """One line for the user: what this file gave, what was left out and why.

    e.g. ``blog.xml: 7 posts published, 4 posts draft, 3 comments kept, 1 comments dropped;
    not posts, left out: 4 attachment``.
    """
    parts = [f"{counts[name]} {name}" for name in _SUMMARY_ORDER
             if counts[name] or name.startswith("comments")]
    left_out = [f"{n} {name.split(': ', 1)[1]}" for name, n in sorted(counts.items())
                if name.startswith("not posts")]
    text = f"{source}: " + ", ".join(parts)
    if left_out:
        text += f"; not posts, left out: {', '.join(left_out)}"
    if repairs:
        text += f"; repaired {repairs} spot(s) that were not well-formed XML"
    return text
