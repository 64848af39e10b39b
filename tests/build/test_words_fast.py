"""item_words finds the same words by its one-pass regex (texts without apostrophes) as the
plain word regex filtered by length did, on generated and random text."""

from __future__ import annotations

from random import Random

from hypothesis import given, settings
from hypothesis import strategies as st

from archiver.build.words import item_words
from wordsref import old_item_words

PIECES = ["Bread", "Straße", "naïve", "日本語", "mp3", "sam_x", "rt", "RT", "amp", "www", "ab", "abc",
          "abcd", "https://e.com/x", "www.e.org", "bit.ly/x", "@bob", "a@b.c", "&amp;", "&#39;", "42",
          "a1b", "1abc", "abc1", "_abc", "abc_", "—", "…", "é", "e\u0301te", "ÉCOLE", "ŉ", "ﬁne",
          "Σίσυφος", "__", "\u00a0", "\u2028", "\t", "\n", " ", ".", ",", "-", "<b>", "&", "'", "’",
          "don't", "x'y"]


def test_generated_texts_with_and_without_apostrophes() -> None:
    rng = Random(7)
    without = [p for p in PIECES if "'" not in p and "’" not in p]
    for pieces, ascii_only in ((without, True), (without, False), (PIECES, False)):
        chosen = [p for p in pieces if p.isascii()] if ascii_only else pieces
        for _ in range(3000):
            text = "".join(rng.choice(chosen) + rng.choice(["", "", " ", "\n"])
                           for _ in range(rng.randint(0, 25)))
            assert item_words(text) == old_item_words(text), text
    assert item_words("Bread1 abc_ _abc Straße naïve mp3 ab abc e\u0301te ÉCOLE") == (
        "strasse", "naïve", "abc", "école")


@settings(max_examples=1500, deadline=None)
@given(text=st.lists(st.sampled_from(list("abcXé日_1 .'\u0301\u00a0\n-@") + ["www.", "://"]),
                     max_size=40).map("".join) | st.text(max_size=30))
def test_random_texts(text: str) -> None:
    assert item_words(text) == old_item_words(text)
