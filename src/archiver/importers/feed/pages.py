"""Fetch a feed and its following pages over http(s), only because the user gave a URL.

Pages are followed by the feed's own ``rel="next"`` link (Atom, ``atom:link`` in RSS, JSON
Feed ``next_url``); a WordPress feed without one is walked with ``?paged=2``, ``3``... Walking
stops at ``max_pages``, at a page that brings no item not seen before (a loop, or WordPress
serving its last page again), at a page that is already fetched, or - for ``?paged=`` guesses -
at the HTTP 404 WordPress answers past the end. Requests reuse the media downloader's
``fetch``: http(s) only, a timeout, a size cap and a polite User-Agent.
"""

from __future__ import annotations

from typing import Callable, Iterator
from urllib.parse import parse_qsl, urlencode, urlunsplit

from archiver.errors import ArchiverError
from archiver.importers import ImportContext, split_url, web_url
from archiver.importers.feed.formats import FeedPage, parse_feed
from archiver.importers.media import DownloadError, fetch

PAGE_TIMEOUT = 30.0  # seconds per feed page
PAGE_MAX_BYTES = 20 * 1024 * 1024  # per feed page
Fetcher = Callable[[str], bytes]


def is_url(source: str) -> bool:
    return bool(web_url(source))


def download_page(url: str) -> bytes:
    """One feed page's bytes; DownloadError (with the reason) when it cannot be had."""
    data, _content_type = fetch(url, timeout=PAGE_TIMEOUT, max_bytes=PAGE_MAX_BYTES)
    return data


def with_paged(url: str, number: int) -> str:
    """``url`` with WordPress's ``paged`` query parameter set to ``number``."""
    parts = split_url(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "paged"]
    query.append(("paged", str(number)))
    return urlunsplit(parts._replace(query=urlencode(query)))


def walk_pages(url: str, context: ImportContext, max_pages: int,
               download: Fetcher = download_page) -> Iterator[FeedPage]:
    """The feed at ``url`` and its next pages (see the module docstring).

    The first page failing is an ArchiverError; a later page failing is reported with
    ``context.skip`` and ends the walk (what came before is kept). Stopping at ``max_pages``
    while the feed links further is reported with ``context.note``.
    """
    tz = context.timezone
    try:
        page = parse_feed(download(url), url, tz)
    except DownloadError as exc:
        raise ArchiverError(f"could not fetch the feed: {exc}", where=url,
                            hint="check the address, or save the feed and give the file") from None
    yield page
    fetched = {url}
    seen = {item.guid or item.link for item in page.items}
    paged = not page.next_url and page.is_wordpress
    number = 1
    while True:
        number += 1
        next_url = page.next_url if not paged else with_paged(url, number)
        if not next_url or next_url in fetched or not is_url(next_url):
            return
        if number > max_pages:
            context.note(f"{url}: stopped after {max_pages} pages (--max-pages); the feed "
                         f"{'may have' if paged else 'has'} more at {next_url}")
            return
        fetched.add(next_url)
        try:
            page = parse_feed(download(next_url), next_url, tz)
        except DownloadError as exc:
            if not (paged and str(exc) == "HTTP 404"):
                context.skip(next_url, f"could not fetch the next feed page: {exc}")
            return
        except ArchiverError as exc:
            context.skip(next_url, f"the next feed page is not a feed: {exc.message}")
            return
        keys = {item.guid or item.link for item in page.items}
        if not keys - seen:
            return
        seen |= keys
        yield page
