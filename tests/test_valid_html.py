"""Built pages are valid HTML: a sample of every page type parses without a single error.

html5lib implements the WHATWG parsing algorithm; in strict mode it raises on every parse
error the standard defines (unclosed or misnested elements, stray end tags, duplicate
attributes, bad character references...). On top of that each page is checked for what a
validator reports beyond syntax: a doctype, ``<html lang>``, one non-empty ``<title>``, unique
``id`` values, ``alt`` on every image, and one ``<h1>``.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import html5lib
import pytest


SAMPLE = [
    "index.html", "page/2/index.html", "404.html",
    "2007/06/hello-again-world/index.html",   # post with threaded comments
    "2008/07/a-ride-to-the-coast/index.html",  # post with an image
    "tweets/2400000001/index.html",           # first tweet of a thread
    "tweets/2400000003/index.html",           # tweet inside a thread
    "tweets/330000019999/index.html",         # tweet with two photos
    "tweets/11000003333/index.html",          # retweet
    "about/index.html", "tags/index.html", "tags/baking/index.html",
    "2009/index.html", "2009/06/index.html",
    "words/index.html", "words/2009/index.html", "stats/index.html", "search/index.html",
    "on-this-day/index.html", "on-this-day/06-30/index.html",
]
HTML = "{http://www.w3.org/1999/xhtml}"


@pytest.mark.parametrize("page", SAMPLE)
def test_page_is_valid_html(demo_public: Path, page: str) -> None:
    text = (demo_public / page).read_text("utf-8")
    assert text.startswith("<!doctype html>\n")
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=True)
    try:
        document = parser.parse(text)
    except html5lib.html5parser.ParseError as exc:
        line, column = parser.errors[-1][0] if parser.errors else ("?", "?")
        pytest.fail(f"{page}: HTML parse error at line {line}, column {column}: {exc}")
    assert document.get("lang"), f"{page}: <html> has no lang"
    titles = document.findall(f".//{HTML}title")
    assert len(titles) == 1 and (titles[0].text or "").strip(), f"{page}: needs one non-empty <title>"
    ids = Counter(el.get("id") for el in document.iter() if el.get("id"))
    assert [i for i, n in ids.items() if n > 1] == [], f"{page}: duplicate ids"
    images = document.findall(f".//{HTML}img")
    assert all(img.get("alt") is not None for img in images), f"{page}: an <img> without alt"
    assert len(document.findall(f".//{HTML}h1")) == 1, f"{page}: needs exactly one <h1>"
