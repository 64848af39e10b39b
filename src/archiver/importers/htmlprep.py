"""Relative URLs in an imported body, resolved against the address the body came from, before
``html_to_markdown``, so that they do not point into the new site. (Embedded players become
links in ``archiver.importers.htmlclean``.)

* ``absolute_urls(html, base)`` resolves every relative link and media URL: the feed importer's
  items are pages of another site, whose relative links mean that site's pages.
* ``absolute_urls(html, base, links=False)`` resolves media (``src``, ``poster``) and links to
  files (``/files/talk.pdf``, ``/wp-content/uploads/photo.jpg``) only: the blog importers'
  downloader then keeps them like any other (``--no-download`` leaves them at the old site).
  A root-relative link to another post stays as it is: that post's old path becomes an alias
  of its new page, so the link keeps working inside the archive.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup

from archiver.importers import join_url, web_url
from archiver.importers.media import is_file_url

_URL_ATTRIBUTES = {"a": ("href",), "img": ("src",), "video": ("src", "poster"), "audio": ("src",),
                   "source": ("src",), "iframe": ("src",)}
_RELATIVE = re.compile(r"""(?:href|src|poster)\s*=\s*["']?(?!https?:|mailto:|data:|#)""", re.IGNORECASE)


def absolute_urls(html: str, base: str, *, links: bool = True) -> str:
    """``html`` with relative URLs made absolute against ``base`` (an http(s) address; else
    nothing changes); with ``links=False`` only media and links to files. Unchanged HTML is
    returned as it was."""
    if not html.strip():
        return ""
    if not web_url(base) or not _RELATIVE.search(html):
        return html
    soup = BeautifulSoup(html, "html.parser")
    changed = False
    for tag in soup.find_all(list(_URL_ATTRIBUTES)):
        for attribute in _URL_ATTRIBUTES[tag.name]:
            value = str(tag.get(attribute) or "").strip()
            if not value or value.startswith("#"):
                continue
            absolute = join_url(base, value)
            if tag.name == "a" and not links and not is_file_url(absolute):
                continue  # a page: its old path is an alias in the new site
            if absolute != tag.get(attribute):
                tag[attribute] = absolute
                changed = True
    return str(soup) if changed else html
