"""Bold and italic in note tweets (``styletags`` in ``data/note-tweet.js``) as Markdown marks.

A note's ``core.styletags`` lists ranges of its text with their styles::

    {"styleTypes": [{"value": "0", "name": "Bold", ...}], "fromIndex": "35", "toIndex": "42"}

The indexes count **UTF-16 code units** (JavaScript string positions), unlike the note's
``urls`` which count code points: in the alrocar fixture every range after an emoji lines up
with whole words only when read as UTF-16. Here they become code-point ranges (``Style``),
and ``marks`` turns them into the ``**`` / ``*`` / ``***`` to insert at text positions:

* a range is cut at line breaks and trimmed of spaces (Markdown emphasis cannot start or
  end with a space), so ``"** + TAB "`` becomes ``*\\*\\* + TAB*``;
* a range never splits a link, @mention or #tag: an edge inside one moves to its edge;
* bold and italic that overlap are split into runs of one style each.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from typing import Any, Iterable

BOLD, ITALIC = 1, 2
_STYLE_NAMES = {"bold": BOLD, "italic": ITALIC}
_MARKS = {BOLD: "**", ITALIC: "*", BOLD | ITALIC: "***"}


@dataclass(frozen=True)
class Style:
    """Characters ``start`` to ``end`` (code points, end excluded) shown ``BOLD``/``ITALIC``."""

    start: int
    end: int
    flags: int


def styles_from_note(styletags: Any, text: str) -> tuple[Style, ...]:
    """The ``styletags`` of a note (UTF-16 indexes) as code-point ``Style``s of ``text``."""
    if not isinstance(styletags, list) or not styletags:
        return ()
    to_index = _utf16_to_index(text)
    found = []
    for tag in styletags:
        if not isinstance(tag, dict):
            continue
        flags = 0
        for style in tag.get("styleTypes") or []:
            if isinstance(style, dict):
                flags |= _STYLE_NAMES.get(str(style.get("name", "")).lower(), 0)
        try:
            start, end = int(tag.get("fromIndex")), int(tag.get("toIndex"))
        except (TypeError, ValueError):
            continue
        start, end = to_index(max(start, 0)), to_index(max(end, 0))
        if flags and start < end:
            found.append(Style(start, min(end, len(text)), flags))
    return tuple(found)


def _utf16_to_index(text: str):  # noqa: ANN202 - a small closure
    """A function from a UTF-16 offset in ``text`` to a code-point index."""
    if all(ord(char) <= 0xFFFF for char in text):
        return lambda offset: offset
    starts = []  # UTF-16 offset where each code point starts
    offset = 0
    for char in text:
        starts.append(offset)
        offset += 2 if ord(char) > 0xFFFF else 1
    return lambda position: bisect_left(starts, position)


def marks(text: str, styles: Iterable[Style], tokens: list[tuple[int, int]]) -> dict[int, str]:
    """Position in ``text`` -> the emphasis marks to insert there (closing ones first).

    ``tokens`` are the (start, end) spans of links, mentions and tags, never split.
    """
    flags = [0] * len(text)
    for style in styles:
        for index in range(max(style.start, 0), min(style.end, len(text))):
            flags[index] |= style.flags
    for start, end in tokens:  # a token is styled as a whole, by its first styled character
        token_flags = next((f for f in flags[start:end] if f), 0)
        flags[start:end] = [token_flags] * (end - start)
    found: dict[int, str] = {}
    index = 0
    while index < len(text):
        current = flags[index]
        end = index
        while end < len(text) and flags[end] == current and text[end] != "\n":
            end += 1
        if current:
            start, stop = index, end
            while start < stop and text[start].isspace():
                start += 1
            while stop > start and text[stop - 1].isspace():
                stop -= 1
            if start < stop:
                found[start] = found.get(start, "") + _MARKS[current]
                found[stop] = _MARKS[current] + found.get(stop, "")
        index = max(end, index + 1)
    return found
