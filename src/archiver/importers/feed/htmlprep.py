"""An HTML fix that needs to know where a body came from, done before ``html_to_markdown``:
relative ``href``/``src`` values are resolved against the item's address, so they do not
point into the new site. (Embedded players become links in ``archiver.importers.htmlclean``.)
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup

from archiver.importers import join_url

_URL_ATTRIBUTES = {"a": "href", "img": "src", "video": "src", "audio": "src", "source": "src",
                   "iframe": "src"}


def prepare_html(html: str, base: str) -> str:
    """``html`` with relative links made absolute against ``base`` (when given)."""
    if not html.strip():
        return ""
    if not base or not re.search(r"""(?:href|src)\s*=\s*["']?(?!https?:|mailto:|#)""", html,
                                 re.IGNORECASE):
        return html
    soup = BeautifulSoup(html, "html.parser")
    for tag_name, attribute in _URL_ATTRIBUTES.items():
        for tag in soup.find_all(tag_name):
            value = str(tag.get(attribute) or "").strip()
            if value and not value.startswith("#"):
                tag[attribute] = join_url(base, value)
    return str(soup)
