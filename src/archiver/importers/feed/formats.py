"""Read one feed document - RSS 2.0 (and 0.9x), Atom 1.0, RSS 1.0/RDF or JSON Feed - into items.

The format is sniffed from the content, never from the file name (real feeds are misnamed).
Relative links are resolved against the document's address. Nothing here touches the network.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass, replace
from datetime import datetime, tzinfo
from html import escape, unescape
from typing import Any
from xml.etree.ElementTree import Element, tostring

from archiver.errors import ArchiverError
from archiver.importers import join_url, split_url
from archiver.importers.dates import parse_date
from archiver.importers.feed.xmltools import local, parse_bytes, text_of

ATOM = "{http://www.w3.org/2005/Atom}"
RSS1 = "{http://purl.org/rss/1.0/}"
RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
CONTENT_ENCODED = "{http://purl.org/rss/1.0/modules/content/}encoded"
DC = "{http://purl.org/dc/elements/1.1/}"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
_WXR_TAG = re.compile(r"\{https?://wordpress\.org/export/")  # then the version: 1.0/ ... 1.2/
XHTML = "{http://www.w3.org/1999/xhtml}"
_WORDPRESS_GUID = re.compile(r"^https?://[^?#]+/\?p=\d+$")


@dataclass(frozen=True)
class FeedItem:
    """One item of a feed, as the feed gives it (``html`` is the body as HTML)."""

    guid: str
    title: str
    link: str  # the item's permalink (on the blog's own site when the feed names one)
    date: datetime | None
    html: str
    categories: tuple[str, ...] = ()
    related: tuple[str, ...] = ()  # other links of the item (Atom rel="related", ...)


@dataclass(frozen=True)
class FeedPage:
    """One feed document: its items and where the next page is (``''`` when not linked)."""

    format: str  # rss | atom | rdf | json
    items: tuple[FeedItem, ...]
    next_url: str = ""
    generator: str = ""
    site_url: str = ""  # the blog's home page as the feed names it

    @property
    def is_wordpress(self) -> bool:
        """Named so by its generator, or its guids are WordPress's ``/?p=123`` addresses."""
        return "wordpress" in self.generator.lower() or any(
            _WORDPRESS_GUID.search(item.guid) for item in self.items)


def parse_feed(data: bytes, address: str, default_tz: tzinfo) -> FeedPage:
    """Parse a feed document; ``address`` is its URL or file path (for links and errors)."""
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith((b"{", b"[")):
        return _json_feed(data, address, default_tz)
    root = parse_bytes(data, address)
    name = local(root.tag)
    if root.tag == f"{ATOM}feed":
        return _atom(root, address, default_tz)
    if name == "rss" or (name == "RDF" and root.tag.startswith(RDF)) or name == "channel":
        return _rss(root, address, default_tz)
    raise ArchiverError(f"not a feed: the document element is <{name}>", where=address,
                        hint="give an RSS, Atom, RSS 1.0 (RDF) or JSON Feed file or URL")


# -- RSS 2.0 / 0.9x / 1.0 (RDF) --------------------------------------------------------------
def _rss(root: Element, address: str, tz: tzinfo) -> FeedPage:
    rdf = root.tag.startswith(RDF)
    if local(root.tag) == "channel":
        channel: Element | None = root
    else:
        channel = root.find(f"{RSS1}channel" if rdf else "channel")
    if channel is None:
        channel = root
    _refuse_wordpress_export(channel, address)
    item_tag = f"{RSS1}item" if rdf else "item"
    item_parent = root if rdf else channel
    items = tuple(_rss_item(item, address, tz, rdf) for item in item_parent.iter(item_tag))
    next_url = _atom_link(channel, "next", address)
    generator = text_of(channel.find("generator")) or text_of(channel.find(f"{ATOM}generator"))
    site_url = text_of(channel.find(f"{RSS1}link" if rdf else "link"))
    return FeedPage("rdf" if rdf else "rss", items, next_url, generator,
                    join_url(address, site_url) if site_url else "")


def _refuse_wordpress_export(channel: Element, address: str) -> None:
    """A WordPress export (WXR) is RSS too, but read as a feed its drafts, private and
    password-protected posts would be published: its channel or its first item has elements
    in WXR's namespace (``wp:wxr_version``, ``wp:status`` ...)."""
    first_item = channel.find("item")
    children = [*channel, *(first_item if first_item is not None else ())]
    if any(isinstance(child.tag, str) and _WXR_TAG.match(child.tag) for child in children):
        raise ArchiverError("this is a WordPress export (WXR), not a feed", where=address,
                            hint="import it with 'archiver import wordpress FILE', which keeps "
                                 "drafts and private posts unpublished")


def _rss_item(item: Element, address: str, tz: tzinfo, rdf: bool) -> FeedItem:
    ns = RSS1 if rdf else ""
    guid_element = item.find("guid")
    guid = text_of(guid_element)
    link = text_of(item.find(f"{ns}link"))
    permalink = guid_element is not None and guid_element.get("isPermaLink", "true") == "true"
    if not link and permalink and guid.startswith(("http://", "https://")):
        link = guid
    if rdf:
        guid = guid or item.get(f"{RDF}about", "")
    html = (_raw_text(item.find(CONTENT_ENCODED)) or _raw_text(item.find(f"{ns}description")))
    date_text = (text_of(item.find("pubDate")) or text_of(item.find(f"{DC}date"))
                 or text_of(item.find(f"{ATOM}published")) or text_of(item.find(f"{ATOM}updated")))
    categories = [text_of(c) for c in item.findall("category")]
    categories += [text_of(c) for c in item.findall(f"{DC}subject")]
    return FeedItem(guid=guid or link, title=" ".join(unescape(text_of(item.find(f"{ns}title"))).split()),
                    link=join_url(address, link) if link else "", date=parse_date(date_text, tz),
                    html=html, categories=tuple(c for c in categories if c))


def _atom_link(parent: Element, rel: str, address: str) -> str:
    for link in parent.findall(f"{ATOM}link"):
        if link.get("rel") == rel and link.get("href"):
            return join_url(address, link.get("href", ""))
    return ""


def _raw_text(element: Element | None) -> str:
    return "" if element is None or element.text is None else element.text.strip()


# -- Atom -------------------------------------------------------------------------------------
def _atom(root: Element, address: str, tz: tzinfo) -> FeedPage:
    base = join_url(address, root.get(XML_BASE, ""))
    items = tuple(_atom_entry(entry, base, tz) for entry in root.findall(f"{ATOM}entry"))
    generator = root.find(f"{ATOM}generator")
    generator_text = "" if generator is None else f"{text_of(generator)} {generator.get('uri', '')}"
    site_url = alternate_link(root, base)
    return FeedPage("atom", tuple(_prefer_own_site(item, site_url) for item in items),
                    _atom_link(root, "next", base), generator_text.strip(), site_url)


def _prefer_own_site(item: FeedItem, site_url: str) -> FeedItem:
    """A link-blog entry points at another site; its permalink on the blog is a related link."""
    host = split_url(site_url).hostname
    if not host or split_url(item.link).hostname == host:
        return item
    for link in item.related:
        if split_url(link).hostname == host:
            return replace(item, link=link, related=(item.link, *(r for r in item.related if r != link)))
    return item


def _atom_entry(entry: Element, base: str, tz: tzinfo) -> FeedItem:
    base = join_url(base, entry.get(XML_BASE, ""))
    date_text = text_of(entry.find(f"{ATOM}published")) or text_of(entry.find(f"{ATOM}updated"))
    categories = [c.get("label") or c.get("term", "") for c in entry.findall(f"{ATOM}category")]
    related = tuple(join_url(base, link.get("href", "").strip()) for link in entry.findall(f"{ATOM}link")
                    if link.get("rel") == "related" and link.get("href", "").strip())
    return FeedItem(guid=text_of(entry.find(f"{ATOM}id")), title=atom_text(entry.find(f"{ATOM}title")),
                    link=alternate_link(entry, base), date=parse_date(date_text, tz),
                    html=atom_html(entry.find(f"{ATOM}content")) or atom_html(entry.find(f"{ATOM}summary")),
                    categories=tuple(c.strip() for c in categories if c and c.strip()), related=related)


def alternate_link(entry: Element, base: str) -> str:
    """The entry's ``rel="alternate"`` (or rel-less) link, made absolute."""
    for link in entry.findall(f"{ATOM}link"):
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return join_url(base, link.get("href", "").strip())
    return ""


def atom_html(element: Element | None) -> str:
    """An Atom text construct (``text``, ``html`` or ``xhtml``) as HTML."""
    if element is None:
        return ""
    kind = element.get("type", "text")
    if kind == "xhtml":
        div = element.find(f"{XHTML}div")
        container = copy.deepcopy(element if div is None else div)
        for node in container.iter():
            if isinstance(node.tag, str) and node.tag.startswith(XHTML):
                node.tag = local(node.tag)
        inner = [container.text or ""]
        inner += [tostring(child, encoding="unicode", method="html") for child in container]
        return "".join(inner).strip()
    text = (element.text or "").strip()
    if kind in ("html", "text/html"):
        return text
    return "<p>" + escape(text).replace("\n\n", "</p><p>") + "</p>" if text else ""


def atom_text(element: Element | None) -> str:
    """An Atom text construct as plain text (titles)."""
    if element is None:
        return ""
    if element.get("type") in ("html", "xhtml"):
        markup = atom_html(element)
        return " ".join(unescape(re.sub(r"<[^>]+>", "", markup)).split())
    return " ".join((element.text or "").split())


# -- JSON Feed --------------------------------------------------------------------------------
def _json_feed(data: bytes, address: str, tz: tzinfo) -> FeedPage:
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        line = getattr(exc, "lineno", 0)
        raise ArchiverError(f"not valid JSON{f' at line {line}' if line else ''}", where=address,
                            hint="the file is damaged or not a JSON Feed") from None
    if not isinstance(document, dict) or "jsonfeed.org" not in str(document.get("version", "")):
        raise ArchiverError("not a JSON Feed (no jsonfeed.org version)", where=address,
                            hint="give an RSS, Atom, RSS 1.0 (RDF) or JSON Feed file or URL")
    items = tuple(_json_item(item, address, tz) for item in document.get("items") or []
                  if isinstance(item, dict))
    next_url = _str(document.get("next_url"))
    home = _str(document.get("home_page_url"))
    return FeedPage("json", items, join_url(address, next_url) if next_url else "", "",
                    join_url(address, home) if home else "")


def _json_item(item: dict[str, Any], address: str, tz: tzinfo) -> FeedItem:
    html = _str(item.get("content_html"))
    if not html and _str(item.get("content_text")):
        html = "<p>" + escape(_str(item.get("content_text"))).replace("\n\n", "</p><p>") + "</p>"
    link = _str(item.get("url"))
    date_text = _str(item.get("date_published")) or _str(item.get("date_modified"))
    tags = item.get("tags") if isinstance(item.get("tags"), list) else []
    return FeedItem(guid=_str(item.get("id")) or link, title=" ".join(_str(item.get("title")).split()),
                    link=join_url(address, link) if link else "", date=parse_date(date_text, tz),
                    html=html or _str(item.get("summary")),
                    categories=tuple(t.strip() for t in tags if isinstance(t, str) and t.strip()))


def _str(value: Any) -> str:
    return value if isinstance(value, str) else str(value) if isinstance(value, (int, float)) else ""
