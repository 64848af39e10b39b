"""One tweet as read from any archive format, before it becomes an Entry.

The readers (modern.py, legacy.py) turn their records into ``Tweet``; convert.py turns a
``Tweet`` into an ``ImportedItem``. Also here: the date formats and the text unescaping that
all formats share.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from archiver.importers.twitter.styles import Style

_API_DATE = "%a %b %d %H:%M:%S %z %Y"  # Wed May 08 11:56:28 +0000 2013
_GRAILBIRD_DATE = "%Y-%m-%d %H:%M:%S %z"  # 2010-12-14 21:00:00 +0000
_ESCAPED = re.compile(r"&(amp|lt|gt|quot|#39);")
_UNESCAPED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "#39": "'"}
_RETWEET_PREFIX = re.compile(r"^RT @(\w{1,20}):")
# A tweet holds at most 280 characters and a long (note) tweet about 25,000; a text four times
# that is a damaged or hostile archive (one 50 MB text made a build take 75 s and 4 GB, its
# single "word" filling the word cloud): the tweet is skipped, with its size, not imported.
MAX_TWEET_CHARS = 100_000
_MONTHS = {name: number for number, name in enumerate(
    "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(), 1)}


@dataclass(frozen=True)
class Link:
    """A t.co link in the text and what it stands for."""

    short: str
    expanded: str
    display: str = ""


@dataclass(frozen=True)
class MediaRef:
    """A photo, video or GIF of a tweet as the archive describes it."""

    short: str  # the t.co link in the text
    expanded: str  # the photo page on twitter.com
    display: str
    type: str  # image | video | gif
    file_names: tuple[str, ...]  # archive file names to look for, best first
    alt: str = ""


@dataclass(slots=True)
class Tweet:
    """A tweet in a format-neutral shape."""

    id: str
    date: datetime
    text: str  # plain text as written (already unescaped)
    screen_name: str = ""  # the archive owner's
    links: list[Link] = field(default_factory=list)
    media: list[MediaRef] = field(default_factory=list)
    hashtags: list[str] = field(default_factory=list)  # as the archive lists them
    reply_to_id: str = ""
    reply_to_user: str = ""
    reply_to_user_id: str = ""
    retweet_id: str = ""
    retweet_user: str = ""
    is_retweet: bool = False
    quote_id: str = ""
    quote_url: str = ""
    deleted: bool = False
    private: bool = False  # a Twitter Circle tweet: only the circle could read it
    leading_mentions: str = ""  # a note tweet's reply mentions, kept before its text
    styles: tuple[Style, ...] = ()  # a note tweet's bold/italic ranges of ``text``


def parse_date(value: str) -> datetime:
    """A tweet date from any archive format, as an aware datetime in UTC; ValueError when it
    is none, or out of datetime's range in UTC (year 1 at +01:00)."""
    try:
        return _parse_any_date((value or "").strip())
    except OverflowError:
        raise ValueError(f"date out of range {value!r}") from None


def _parse_any_date(value: str) -> datetime:
    fast = _parse_utc(value)
    if fast is not None:
        return fast
    for pattern in (_API_DATE, _GRAILBIRD_DATE):
        try:
            return datetime.strptime(value, pattern).astimezone(timezone.utc)
        except ValueError:
            continue
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"unknown date format {value!r}") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc)


def _parse_utc(value: str) -> datetime | None:
    """The two common UTC layouts without strptime (which is slow): API and Grailbird."""
    try:
        if len(value) == 30 and value[20:25] == "+0000":  # Thu Apr 04 19:53:37 +0000 2024
            month = _MONTHS[value[4:7]]
            return datetime(int(value[26:30]), month, int(value[8:10]), int(value[11:13]),
                            int(value[14:16]), int(value[17:19]), tzinfo=timezone.utc)
        if len(value) == 25 and value[19:] == " +0000":  # 2010-12-14 21:00:00 +0000
            return datetime(int(value[0:4]), int(value[5:7]), int(value[8:10]),
                            int(value[11:13]), int(value[14:16]), int(value[17:19]),
                            tzinfo=timezone.utc)
    except (KeyError, ValueError):
        return None
    return None


def unescape(text: str) -> str:
    """Undo the archive's HTML escaping of tweet text, exactly once (``&amp;lt;`` -> ``&lt;``)."""
    if "&" not in text:
        return text
    return _ESCAPED.sub(lambda m: _UNESCAPED[m.group(1)], text)


def retweeted_user(text: str) -> str:
    """The user in a ``RT @user: ...`` text, '' when the text is not a retweet."""
    match = _RETWEET_PREFIX.match(text)
    return match.group(1) if match else ""


def as_str(value: Any) -> str:
    """An id or number as a string ('' for missing/null)."""
    if value is None:
        return ""
    return str(value)
