"""RSS 2.0, Atom, RSS 1.0 (RDF) and JSON Feed: a saved feed file or a feed URL.

``archiver import feed FILE|URL``. A URL is fetched (and its next pages followed, see
``pages``) only because the user gave it; a file is read as it is, its ``next`` links are not
followed. Each item becomes a post: ``content:encoded`` (full text) is preferred over
``description``, categories become tags ("Uncategorized" dropped), the item's link is kept in
``url`` and - when it is on the blog's own site and names a page of its own - in ``aliases``,
so the old address redirects. Relative links and images in the body are made absolute against
the item's link first, so they do not point into the new site.

Modules: ``xmltools`` (safe XML, shared with the Blogger importer), ``dates``, ``formats``
(one document -> items), ``pages`` (fetching and pagination).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Iterator

import click

from archiver.errors import ArchiverError
from archiver.importers import (
    MAX_POST_CHARS,
    ImportContext,
    Importer,
    split_url,
    tag_names,
    too_long,
    usable_aliases,
)
from archiver.importers.feed.formats import FeedItem, FeedPage, parse_feed
from archiver.importers.feed.pages import is_url, walk_pages
from archiver.importers.html import html_to_markdown
from archiver.importers.media import NO_DOWNLOAD_OPTION, MediaDownloader
from archiver.model import Entry
from archiver.paths import slugify
from archiver.store import ImportedItem

SOURCE = "feed"
DEFAULT_MAX_PAGES = 50
_HAS_LETTER = re.compile(r"[^\W\d_]")


class FeedImporter(Importer):
    name = "feed"
    source_help = "URL|FILE"
    help = ("Import the posts of an RSS, Atom, RSS 1.0 (RDF) or JSON feed, from a saved file "
            "or a URL.\n\nFrom a URL the following pages are fetched too (the feed's "
            "rel=\"next\" links, or WordPress's ?paged=N), up to --max-pages. Feeds carry "
            "no comments. Images are downloaded into the site unless --no-download is given.")
    options = [
        NO_DOWNLOAD_OPTION,
        click.Option(["--max-pages"], type=click.IntRange(1, 10000), default=DEFAULT_MAX_PAGES,
                     show_default=True, help="Fetch at most this many pages of a feed URL."),
    ]

    def read(self, source: str, context: ImportContext) -> Iterator[ImportedItem]:
        media = MediaDownloader(context, enabled=not self.settings.get("no_download"),
                                folder_prefix="feed")
        seen: dict[str, set[str]] = {}  # guid -> dates already imported under it (this run)
        duplicates = 0
        for page in self._pages(source, context):
            for number, item in enumerate(page.items, start=1):
                where = f"{source}: item {number}" + (f" {item.title[:60]!r}" if item.title else "")
                if item.date is None:
                    context.skip(where, "no date")
                    continue
                reason = too_long(item.html, MAX_POST_CHARS, "body")
                if reason:
                    context.skip(where, reason)
                    continue
                key = _identity(item, page, source)
                dates = seen.setdefault(key, set())
                if item.date.isoformat() in dates:
                    duplicates += 1
                    continue
                # two different items under one guid (it happens) must not merge into one
                source_id = key if not dates else f"{key} {item.date.isoformat()}"
                dates.add(item.date.isoformat())
                yield self._item(item, page, source_id, media, where)
        if duplicates:
            context.note(f"{source}: {duplicates} items appeared twice and were imported once")

    def _pages(self, source: str, context: ImportContext) -> Iterator[FeedPage]:
        if is_url(source):
            yield from walk_pages(source, context,
                                  int(self.settings.get("max_pages") or DEFAULT_MAX_PAGES))
            return
        path = Path(source)
        if not path.is_file():
            raise ArchiverError("no such file", where=source,
                                hint="give a saved feed file, or an http(s):// feed address")
        yield parse_feed(path.read_bytes(), source, context.timezone)

    def _item(self, item: FeedItem, page: FeedPage, source_id: str, media: MediaDownloader,
              where: str) -> ImportedItem:
        assert item.date is not None
        html, pasted = media.prepare_html(item.html, item.link or page.site_url, links=True)
        body = html_to_markdown(html)
        slug = _slug(item, body)
        body, files = media.localize(body, f"{item.date:%Y}/{slug}", where)
        files = {**pasted, **files}
        entry = Entry(kind="post", date=item.date, title=item.title, body=body,
                      tags=tag_names(item.categories), source=SOURCE, source_id=source_id,
                      url=item.link, aliases=_aliases(item.link, page.site_url), slug=slug)
        return ImportedItem(entry, files=files)


def _slug(item: FeedItem, body: str) -> str:
    """The old permalink's last segment when it is a real slug, else from title or text."""
    link = split_url(item.link)
    last = link.path.rstrip("/").rsplit("/", 1)[-1]
    last = last[:-5] if last.endswith(".html") else last
    if last and _HAS_LETTER.search(last) and not link.fragment and not link.query:
        return slugify(last)
    words = " ".join(re.sub(r"[#*_>`\[\]()!]|https?://\S+", " ", body).split()[:8])
    return slugify(item.title or words, fallback=last or f"{item.date:%Y-%m-%d}")


def _identity(item: FeedItem, page: FeedPage, source: str) -> str:
    """The item's guid when it is globally unique (a URL, ``tag:``/``urn:``), else qualified.

    A bare guid like ``123`` is only unique within its feed: it gets the blog's host in front,
    so two feeds never merge their items.
    """
    guid = item.guid or item.link
    if re.match(r"^(?:https?://|tag:|urn:)", guid or "", re.IGNORECASE):
        return guid
    host = split_url(page.site_url or item.link or source).hostname or Path(source).name
    if not guid:
        digest = hashlib.sha1(f"{item.title}\n{item.html}".encode("utf-8")).hexdigest()[:16]
        guid = f"sha1-{digest}"
    return f"{host}:{guid}"


def _same_site(url: str, site_url: str) -> bool:
    def host(value: str) -> str:
        name = (split_url(value).hostname or "").lower()
        return name[4:] if name.startswith("www.") else name

    return bool(host(url)) and host(url) == host(site_url)


def _aliases(link: str, site_url: str) -> tuple[str, ...]:
    """The old path when it is this item's own page on the blog (not a shared or foreign one)."""
    parts = split_url(link)
    if not link or parts.fragment or not _same_site(link, site_url):
        return ()
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return usable_aliases([path])
