"""HTML fixes that need to know where a body came from, done before ``html_to_markdown``.

* relative ``href``/``src`` values are resolved against the item's address, so they do not
  point into the new site;
* embedded players (``<iframe>``), which the sanitiser removes, become a plain link to the
  video's page (YouTube and Vimeo embed URLs are turned into their watch pages), so a post
  that was only a video does not end up empty.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup

_URL_ATTRIBUTES = {"a": "href", "img": "src", "video": "src", "audio": "src", "source": "src",
                   "iframe": "src"}
_YOUTUBE = re.compile(r"^https?://(?:www\.)?youtube(?:-nocookie)?\.com/embed/([\w-]+)")
_VIMEO = re.compile(r"^https?://player\.vimeo\.com/video/(\d+)")


def embed_page(src: str) -> str:
    """The page a viewer would open for an embedded player's URL."""
    youtube = _YOUTUBE.match(src)
    if youtube:
        return f"https://www.youtube.com/watch?v={youtube.group(1)}"
    vimeo = _VIMEO.match(src)
    return f"https://vimeo.com/{vimeo.group(1)}" if vimeo else src


def iframes_to_links(soup: BeautifulSoup) -> None:
    """Replace each http(s) ``<iframe>`` with a link to what it showed; drop the others."""
    for frame in soup.find_all("iframe"):
        src = urljoin("https:", str(frame.get("src") or "").strip())  # //host/... -> https:
        if not src.startswith(("http://", "https://")):
            frame.decompose()
            continue
        page = embed_page(src)
        host = (urlsplit(page).hostname or "").removeprefix("www.")
        label = str(frame.get("title") or "").strip() or f"Video on {host}"
        link = soup.new_tag("a", href=page)
        link.string = label
        paragraph = soup.new_tag("p")
        paragraph.append(link)
        frame.replace_with(paragraph if frame.parent is None or frame.parent.name != "p" else link)


def prepare_html(html: str, base: str) -> str:
    """``html`` with links made absolute against ``base`` (when given) and players as links."""
    if not html.strip():
        return ""
    needs_links = bool(base) and re.search(r"""(?:href|src)\s*=\s*["']?(?!https?:|mailto:|#)""",
                                           html, re.IGNORECASE)
    if not needs_links and "<iframe" not in html.lower():
        return html
    soup = BeautifulSoup(html, "html.parser")
    if needs_links:
        for tag_name, attribute in _URL_ATTRIBUTES.items():
            for tag in soup.find_all(tag_name):
                value = str(tag.get(attribute) or "").strip()
                if value and not value.startswith("#"):
                    tag[attribute] = urljoin(base, value)
    iframes_to_links(soup)
    return str(soup)
