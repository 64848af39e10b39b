"""The word finder of the word clouds as it was first written: the reference that the faster
``words.item_words`` is compared with (tests/build/test_read_speed_words.py, test_words_fast.py)."""

from __future__ import annotations

import re

from archiver.build.words import DROPPED, MAX_LETTERS, MIN_LETTERS, _DOMAIN_HINT, _ENTITY, _is_link, _trim_apostrophes, fold

_WORD = re.compile(r"\b[^\W\d_]+(?:'[^\W\d_]+)*\b")


def old_item_words(text: str) -> tuple[str, ...]:
    """item_words before it was made faster: the reference."""
    text = fold(text)
    if "@" in text or "://" in text or "www." in text or _DOMAIN_HINT.search(text):
        text = " ".join(token for token in text.split() if not _is_link(token))
    if "&" in text:
        text = _ENTITY.sub(" ", text)
    found = [_trim_apostrophes(w) if "'" in w else w for w in _WORD.findall(text)]
    return tuple(w for w in found if MIN_LETTERS <= len(w) <= MAX_LETTERS and w not in DROPPED)


