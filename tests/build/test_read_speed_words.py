"""The faster item_words and plain_text give what the plain versions gave, on mixed text."""

from __future__ import annotations

import html as html_lib
import re
from random import Random

from archiver.build.markup import plain_text
from archiver.build.words import item_words
from wordsref import old_item_words

PIECES = ["Bread", "DON'T", "don’t", "Robin's", "l'homme", "d'accord", "Straße", "naïve", "日本語",
          "mp3", "sam_x", "rt", "RT", "amp", "www", "https://e.com/x", "www.e.org", "bit.ly/x",
          "@bob", "a@b.c", "&amp;", "&#39;", "&nbsp;", "it's", "'quoted'", "ab'", "'ab", "x'y'z",
          "42", "a1b", "—", "…", "é", "ÉCOLE", "ŉ", "ﬁne", "Σίσυφος", "ab", "abc", "o'", "'s", "__",
          "\u00a0", "\u2028", "\t", "\n", "\x0b", "\x1c", " ", "  ", ".", ",", "<b>", "</p>", "&lt;",
          "&", ">", "&#x2003;", "&#10;"]


def old_plain_text(html: str) -> str:
    return re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def texts(seed: int, count: int, ascii_only: bool) -> list[str]:
    rng = Random(seed)
    pieces = [p for p in PIECES if p.isascii()] if ascii_only else PIECES
    return ["".join(rng.choice(pieces) + rng.choice(["", " ", " ", "\n"]) for _ in range(rng.randint(0, 30)))
            for _ in range(count)]


def test_item_words_as_before() -> None:
    samples = texts(1, 3000, ascii_only=True) + texts(2, 3000, ascii_only=False)
    for text in samples:
        assert item_words(text) == old_item_words(text), text
    assert sum(1 for text in samples if item_words(text)) > 4500
    assert item_words("RT Bread's crust, l'homme & amp: mp3 sam_x www.x.org don't") == (
        "bread", "crust", "homme", "don't")


def test_plain_text_as_before() -> None:
    for text in texts(3, 3000, ascii_only=False):
        assert plain_text(text) == old_plain_text(text), text
    assert plain_text("<p>a&amp;b\u00a0 <br>\n c&#10;d</p>") == "a&b c d"
