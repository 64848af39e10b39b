"""Note tweets: the full text of tweets longer than 280 characters (``data/note-tweet.js``).

A note has its own id, different from the tweet's, so the two are joined by creation time
(same second, or one apart) and text: the tweet's text is the note's start cut with "…".
A reply's tweet text starts with the ``@names`` it answers, which the note does not hold;
they are kept in front of the note's text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from archiver.importers.twitter.archive import Archive
from archiver.importers.twitter.jsdata import iter_records
from archiver.importers.twitter.styles import Style, styles_from_note
from archiver.importers.twitter.tweet import Link, Tweet, as_str, parse_date

_LEADING_MENTIONS = re.compile(r"^(?:@\w{1,20}\s+)+")
_URL = re.compile(r"https?://\S+")
_SPACE = re.compile(r"\s+")
MIN_PREFIX = 10  # characters of text a tweet and a note must share


@dataclass(frozen=True)
class Note:
    text: str
    links: tuple[Link, ...]
    hashtags: tuple[str, ...]
    key: str  # normalised text, for prefix matching
    styles: tuple[Style, ...] = ()


def _normalise(text: str) -> str:
    return _SPACE.sub(" ", _URL.sub(" ", text)).strip()


def _second(moment: datetime) -> int:
    return int(moment.timestamp())


class NoteIndex:
    """Notes by creation second; ``complete`` swaps a truncated tweet's text for its note's."""

    def __init__(self) -> None:
        self._by_second: dict[int, list[Note]] = {}
        self.unmatched = 0

    @classmethod
    def load(cls, archive: Archive, names: list[str]) -> "NoteIndex":
        index = cls()
        for name in names:
            where = archive.display(name)
            with archive.open_text(name) as stream:
                for record in iter_records(stream, where):
                    note = record.get("noteTweet") if isinstance(record, dict) else None
                    if isinstance(note, dict):
                        index._add(note)
        return index

    def _add(self, note: dict[str, Any]) -> None:
        core = note.get("core") or {}
        text = as_str(core.get("text"))
        try:
            created = parse_date(as_str(note.get("createdAt")))
        except ValueError:
            return
        if not text:
            return
        links = tuple(Link(short=as_str(u.get("shortUrl")),
                           expanded=as_str(u.get("expandedUrl")) or as_str(u.get("shortUrl")),
                           display=as_str(u.get("displayUrl")))
                      for u in core.get("urls") or [] if u.get("shortUrl"))
        hashtags = tuple(as_str(h.get("text")) for h in core.get("hashtags") or [] if h.get("text"))
        self._by_second.setdefault(_second(created), []).append(
            Note(text=text, links=links, hashtags=hashtags, key=_normalise(text),
                 styles=styles_from_note(core.get("styletags"), text)))
        self.unmatched += 1

    def complete(self, tweet: Tweet) -> bool:
        """Give ``tweet`` its note's full text when it is the face of one; True if it was."""
        if not self._by_second or tweet.is_retweet:
            return False
        second = _second(tweet.date)
        by_second = self._by_second
        if second not in by_second and second - 1 not in by_second and second + 1 not in by_second:
            return False  # most tweets: no note written within a second of them
        leading_match = _LEADING_MENTIONS.match(tweet.text)
        tries = [(tweet.text, "")]
        if leading_match:  # the note of a reply usually lacks the @names it answers
            tries.insert(0, (tweet.text[leading_match.end():], leading_match.group(0).strip()))
        for face, leading in tries:
            note = self._take(_face_key(face), (second, second - 1, second + 1))
            if note is not None:
                tweet.text = note.text
                tweet.links = [*note.links, *tweet.links]
                tweet.hashtags = list(note.hashtags)
                tweet.styles = note.styles
                tweet.leading_mentions = leading
                return True
        return False

    def _take(self, face_key: str, seconds: tuple[int, ...]) -> Note | None:
        if len(face_key) < MIN_PREFIX:
            return None
        for moment in seconds:
            notes = self._by_second.get(moment, [])
            for note in notes:
                if note.key.startswith(face_key):
                    notes.remove(note)
                    self.unmatched -= 1
                    return note
        return None


def _face_key(face: str) -> str:
    """The comparable start of a tweet's text: cut before "…" and the word the cut split."""
    if "…" in face:
        face = face.rsplit("…", 1)[0]
        face = face.rsplit(None, 1)[0] if len(face.split(None, 1)) > 1 else face
    return _normalise(face)
