"""Atom feed, JSON Feed and sitemap.

With ``base_url`` set, every URL is absolute (what feed readers and search engines need);
without it they stay relative to the site root, and the build warns.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from html import escape
from urllib.parse import quote

from archiver import __version__
from archiver.build.markup import ROOT_LINK
from archiver.build.site import Item, SiteIndex

FEED_SIZE = 50
ATOM_NS = "http://www.w3.org/2005/Atom"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
# what XML 1.0 cannot hold: control characters (ESC from a pasted terminal line, a stray \v in
# an old export), lone surrogates and the non-characters U+FFFE/U+FFFF; one of them makes a
# whole feed unreadable (listed as such: compiled faster than the complement of what XML allows)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold."""
    return _NOT_XML.sub("", text)


def absolute(config_base: str, path: str) -> str:
    """``path`` (root-relative) as an absolute URL when the site has a base_url."""
    if not config_base:
        return path.lstrip("/") or "./"
    return config_base.rstrip("/") + "/" + path.lstrip("/")


def absolutize_html(html: str, base: str) -> str:
    return ROOT_LINK.sub(lambda m: f'="{absolute(base, "/" + m.group(1))}"', html)


def _entry_id(base: str, item: Item) -> str:
    if base:
        return absolute(base, item.url)
    return f"tag:archiver,{item.entry.date:%Y-%m-%d}:{item.url}"


def _updated(items: list[Item]) -> datetime:
    return items[0].entry.date if items else datetime(1970, 1, 1, tzinfo=timezone.utc)


def atom_feed(site: SiteIndex) -> bytes:
    """The newest items as an Atom 1.0 feed."""
    config = site.config
    base = config.base_url
    items = site.items[:FEED_SIZE]
    ET.register_namespace("", ATOM_NS)
    feed = ET.Element(f"{{{ATOM_NS}}}feed", {"xml:lang": config.language})
    _sub(feed, "title", config.title)
    if config.description:
        _sub(feed, "subtitle", config.description)
    _sub(feed, "id", absolute(base, "/") if base else f"tag:archiver,2000:{quote(config.title)}")
    _sub(feed, "updated", _updated(items).isoformat())
    ET.SubElement(feed, f"{{{ATOM_NS}}}link", {"rel": "alternate", "href": absolute(base, "/")})
    ET.SubElement(feed, f"{{{ATOM_NS}}}link", {"rel": "self", "href": absolute(base, "/feed.xml")})
    _sub(feed, "generator", "archiver", {"version": __version__})
    # Atom wants an author for each entry: the feed's stands for all; the site's name when
    # site.yaml names no author
    author = ET.SubElement(feed, f"{{{ATOM_NS}}}author")
    _sub(author, "name", config.author or config.title)
    for item in items:
        entry = ET.SubElement(feed, f"{{{ATOM_NS}}}entry")
        _sub(entry, "title", item.title)
        _sub(entry, "id", _entry_id(base, item))
        ET.SubElement(entry, f"{{{ATOM_NS}}}link", {"rel": "alternate", "href": absolute(base, item.url)})
        _sub(entry, "published", item.entry.date.isoformat())
        _sub(entry, "updated", item.entry.date.isoformat())
        for tag in item.tags:
            ET.SubElement(entry, f"{{{ATOM_NS}}}category", {"term": xml_text(tag.name)})
        _sub(entry, "content", absolutize_html(item.html, base), {"type": "html"})
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8")


def _sub(parent: ET.Element, name: str, text: str, attrib: dict[str, str] | None = None) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM_NS}}}{name}", attrib or {})
    element.text = xml_text(text)
    return element


def json_feed(site: SiteIndex) -> bytes:
    """The newest items as JSON Feed 1.1."""
    config = site.config
    base = config.base_url
    feed: dict[str, object] = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": config.title,
        "home_page_url": absolute(base, "/"),
        "feed_url": absolute(base, "/feed.json"),
        "language": config.language,
        "items": [],
    }
    if config.description:
        feed["description"] = config.description
    if config.author:
        feed["authors"] = [{"name": config.author}]
    for item in site.items[:FEED_SIZE]:
        record: dict[str, object] = {
            "id": _entry_id(base, item),
            "url": absolute(base, item.url),
            "content_html": absolutize_html(item.html, base),
            "date_published": item.entry.date.isoformat(),
        }
        if item.has_title:
            record["title"] = item.title
        if item.tags:
            record["tags"] = [t.name for t in item.tags]
        feed["items"].append(record)  # type: ignore[union-attr]
    return json.dumps(feed, ensure_ascii=False, indent=1).encode("utf-8")


def sitemap(site: SiteIndex, paths: list[str]) -> bytes:
    """Every HTML page of the site (redirect pages and 404 excluded).

    Written as text (the same bytes ElementTree writes): it lists every page, so it is built
    on every build that changes anything, and a tree of 24,000 elements costs 0.15 s.
    """
    base = site.config.base_url
    locs = (escape(absolute(base, "/" + path.removesuffix("index.html")), quote=False)
            for path in sorted(paths))
    urls = "".join(f"<url><loc>{loc}</loc></url>" for loc in locs)
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<urlset xmlns="{SITEMAP_NS}">{urls}</urlset>'
            .encode("utf-8"))
