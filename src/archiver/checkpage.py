"""What ``archiver check`` reads from one file: a page's title, ids and URL references (the
Lexbor HTML5 parser), and the URLs a stylesheet loads, each with what it loads."""

from __future__ import annotations

import functools
import posixpath
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser

Reference = tuple[str, str]  # URL as written, what it loads: link, media, script, style, font, icon, canonical
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)|@import\s+(['"])([^'"]+)\3""", re.IGNORECASE)
_FONT_SUFFIXES = {".woff", ".woff2", ".ttf", ".otf", ".eot"}
_REFRESH_URL = re.compile(r"url\s*=\s*['\"]?([^'\"]+)", re.IGNORECASE)
# tag -> attributes holding a URL, and what the reference loads
_URL_ATTRIBUTES = {
    "a": (("href", "link"),), "area": (("href", "link"),),
    "img": (("src", "media"),), "video": (("src", "media"), ("poster", "media")),
    "audio": (("src", "media"),), "source": (("src", "media"),), "track": (("src", "media"),),
    "iframe": (("src", "media"),), "embed": (("src", "media"),), "object": (("data", "media"),),
    "script": (("src", "script"),),
}
# Lexbor lists an element once per selector of this list it matches (an <img> with src and
# srcset twice): read_page reads each element once.
_INTERESTING = ("[id], [href], [src], [srcset], [poster], object[data], "
                'meta[http-equiv="refresh" i]')

@dataclass
class PageFacts:
    """What the checker needs from one page."""

    title: str | None
    ids: set[str]
    references: list[Reference]


def read_page(html: bytes) -> PageFacts:
    """The title, ids and URL references of a page, in document order (Lexbor HTML5 parser)."""
    tree = LexborHTMLParser(html)
    title = tree.css_first("head > title")
    ids: set[str] = set()
    references: list[Reference] = []
    add = references.append
    seen: set[int] = set()
    for node in tree.css(_INTERESTING):
        if node.mem_id in seen:
            continue
        seen.add(node.mem_id)
        attributes = node.attributes  # value None for an attribute without one
        tag = node.tag
        if attributes.get("id"):
            ids.add(attributes["id"])
        if tag == "a":
            if attributes.get("name"):
                ids.add(attributes["name"])
            if "href" in attributes:
                add((attributes["href"] or "", "link"))
        else:
            for attribute, kind in _URL_ATTRIBUTES.get(tag, ()):
                if attribute in attributes:
                    add((attributes[attribute] or "", kind))
        if "srcset" in attributes:
            references.extend((candidate.split()[0], "media")
                              for candidate in (attributes["srcset"] or "").split(",") if candidate.strip())
        if tag == "link":
            if attributes.get("href"):
                add((attributes["href"], _link_kind(attributes.get("rel") or "", attributes.get("as") or "")))
        elif tag == "meta" and (attributes.get("http-equiv") or "").lower() == "refresh":
            match = _REFRESH_URL.search(attributes.get("content") or "")
            if match:
                add((match.group(1).strip(), "link"))
    return PageFacts(title.text() if title is not None else None, ids, references)


@functools.lru_cache(maxsize=256)
def _link_kind(rel_attribute: str, as_attribute: str) -> str:
    """What a ``<link>`` loads, from its ``rel`` and ``as``."""
    rel = set(rel_attribute.lower().split())
    if "stylesheet" in rel:
        return "style"
    if rel & {"preload", "modulepreload", "prefetch"}:
        return {"font": "font", "style": "style", "script": "script"}.get(as_attribute, "media")
    if rel & {"icon", "apple-touch-icon", "mask-icon", "manifest"}:
        return "icon"
    if rel & {"canonical", "alternate", "search"}:
        return "canonical"
    return "link"


def css_references(text: str) -> list[Reference]:
    """The URLs a stylesheet loads (``url(...)`` and ``@import``), with what each loads."""
    references: list[Reference] = []
    for match in _CSS_URL.finditer(text):
        url = (match.group(2) or match.group(4) or "").strip()
        suffix = posixpath.splitext(urlsplit(url).path)[1].lower()
        kind = "style" if match.group(4) else "font" if suffix in _FONT_SUFFIXES else "media"
        references.append((url, kind))
    return references
