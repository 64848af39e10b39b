"""The Entry: one item (post, page, tweet) as it flows from an importer to a .md file to the build.

Everything is immutable (tuples, frozen dataclasses). Mappings (`reply_to`, `extra`) are plain
dicts by convention and must not be mutated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields, is_dataclass, replace
from datetime import datetime, timezone
from typing import Any, Mapping

# kind of item -> folder under content/ that holds it by default
KIND_FOLDERS: dict[str, str] = {
    "post": "posts",
    "page": "pages",
    "tweet": "tweets",
    "retweet": "tweets",
}
FOLDER_KINDS: dict[str, str] = {"posts": "post", "pages": "page", "tweets": "tweet"}
TWEET_KINDS = frozenset({"tweet", "retweet"})
STATUSES = ("published", "draft", "private", "deleted")
COMMENT_KINDS = ("comment", "pingback")
# Python's datetime holds the years 1 to 9999 and a date shown in another time zone can move a
# day, so the dates of an archive stay a day inside (an export's 0001-01-01 is a blank date).
FIRST_DATE = datetime(1, 1, 2, tzinfo=timezone.utc)
LAST_DATE = datetime(9999, 12, 30, tzinfo=timezone.utc)


def day_only(value: datetime) -> bool:
    """Whether ``value`` is a day without a time: exactly midnight, as old archives give it."""
    return (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0)


def showable_date(value: datetime) -> bool:
    """Whether every time zone can show ``value`` (an aware datetime)."""
    return FIRST_DATE <= value <= LAST_DATE


@dataclass(frozen=True)
class Media:
    """A media file that belongs to an entry; ``path`` is relative to content/ (``media/...``)."""

    path: str
    alt: str = ""
    type: str = "image"  # image | video | gif | file


@dataclass(frozen=True)
class Comment:
    """An approved comment or pingback shown under a post. Never holds emails or IPs."""

    author: str
    body: str
    date: datetime | None = None
    url: str = ""
    kind: str = "comment"
    id: str = ""
    parent: str = ""  # id of the comment this one answers ("" = top level)


@dataclass(frozen=True)
class Entry:
    """One item of the archive.

    ``body`` is Markdown. ``path`` is where the entry was read from (relative to content/,
    with forward slashes); it is not written to front matter, nor is ``withdrawn_comments``.
    """

    kind: str
    date: datetime
    body: str = ""
    title: str = ""
    tags: tuple[str, ...] = ()
    source: str = ""
    source_id: str = ""
    id: str = ""
    url: str = ""
    aliases: tuple[str, ...] = ()
    status: str = "published"
    slug: str = ""
    media: tuple[Media, ...] = ()
    reply_to: Mapping[str, str] = field(default_factory=dict)
    quote_of: Mapping[str, str] = field(default_factory=dict)
    retweet_of: Mapping[str, str] = field(default_factory=dict)
    thread: str = ""
    comments: tuple[Comment, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)
    path: str = ""
    # ids of comments the source shows no more (spam, trash, unapproved): an import that meets
    # the item again removes them (storemerge.py); like ``path``, never written to a file
    withdrawn_comments: tuple[str, ...] = ()

    @property
    def is_tweet(self) -> bool:
        return self.kind in TWEET_KINDS

    @property
    def is_published(self) -> bool:
        return self.status == "published"

    @property
    def identity(self) -> tuple[str, str] | None:
        """(source, source_id) when the entry came from an importer, else None."""
        if self.source and self.source_id:
            return (self.source, self.source_id)
        return None

    def with_changes(self, **changes: Any) -> "Entry":
        return replace(self, **changes)


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")  # a str from JSON holds only unpaired ones


def without_lone_surrogates(value: Any) -> Any:
    """``value`` (an Entry or any part of one) with each lone UTF-16 surrogate replaced by
    U+FFFD. A tweet cut inside an emoji (old archives cut text at 140 UTF-16 units) keeps half
    of its surrogate pair, which JSON can say (``\\ud83d``) and a UTF-8 file cannot hold."""
    if isinstance(value, str):
        return _LONE_SURROGATE.sub("\ufffd", value)
    if isinstance(value, (list, tuple)):
        return type(value)(map(without_lone_surrogates, value))
    if isinstance(value, Mapping):
        return {without_lone_surrogates(key): without_lone_surrogates(sub) for key, sub in value.items()}
    if is_dataclass(value) and not isinstance(value, type):
        return replace(value, **{spec.name: without_lone_surrogates(getattr(value, spec.name))
                                 for spec in fields(value) if spec.init})
    return value


def with_showable_dates(entry: Entry) -> Entry | None:
    """``entry`` ready to be saved: None when its own date cannot be shown, and a comment's
    date that cannot be shown left out (a comment may have none)."""
    if not showable_date(entry.date):
        return None
    if all(c.date is None or showable_date(c.date) for c in entry.comments):
        return entry
    return entry.with_changes(comments=tuple(
        c if c.date is None or showable_date(c.date) else replace(c, date=None)
        for c in entry.comments))
