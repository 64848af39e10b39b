"""What the store writes when an item it already has is imported again: nothing known is lost,
and nothing the person hid comes back.

The import being run is taken as the item's current version (the export the person has just
made or chosen), with these exceptions:

* **hidden stays hidden**: an item that any import saw as ``deleted`` or ``private`` keeps
  that status. An older archive, made before a tweet was deleted or a post made private,
  cannot publish it again; to publish such an item, change ``status:`` in its file (an edited
  file is never overwritten).
* **a tweet's longer text wins**: a note tweet's full text beats its truncated face in another
  archive. A post's or page's body is the new import's (text the author removed goes).
* **comments are a union**: the approved comments of an older export are kept, except those
  the new import withdraws (``Entry.withdrawn_comments``: spam, trash or unapproved by now).
  A comment is the same comment when its id is the same, or, without ids (Movable Type), the
  same kind, author and date.
* empty fields of the new entry keep the old values; media, tags and aliases are unions;
  relations (``reply_to`` ...) combine their fields (once one knows the tweet's id, its
  values stay); a date that is only a day (midnight, as
  some old archives give) never replaces the exact time of the same day.
"""

from __future__ import annotations

from datetime import datetime
from typing import Mapping

from archiver.model import Comment, Entry, day_only

STICKY_STATUSES = ("deleted", "private")  # most hidden first


def merge(old: Entry, new: Entry) -> Entry:
    """Combine what we had with a new import of the same item (see the module docstring)."""
    def union(a: tuple, b: tuple) -> tuple:
        return tuple(dict.fromkeys((*a, *b)))

    media = {m.path: m for m in old.media}
    for item in new.media:
        media[item.path] = item if item.alt or item.path not in media else media[item.path]
    return new.with_changes(
        date=_more_exact_date(old.date, new.date),
        status=_merged_status(old.status, new.status),
        body=_merged_body(old, new),
        title=new.title or old.title,
        tags=union(old.tags, new.tags),
        aliases=union(old.aliases, new.aliases),
        url=new.url or old.url,
        media=tuple(media.values()),
        reply_to=_merged_relation(old.reply_to, new.reply_to),
        quote_of=_merged_relation(old.quote_of, new.quote_of),
        retweet_of=_merged_relation(old.retweet_of, new.retweet_of),
        thread=new.thread or old.thread,
        comments=_merged_comments(old.comments, new.comments, new.withdrawn_comments),
        withdrawn_comments=(),
        slug=old.slug or new.slug,
        extra={**old.extra, **new.extra},
        path=old.path,
    )


def _merged_status(old: str, new: str) -> str:
    for hidden in STICKY_STATUSES:
        if hidden in (old, new):
            return hidden
    return new


def _merged_relation(old: Mapping[str, str], new: Mapping[str, str]) -> dict[str, str]:
    """Both versions' fields; where they differ, what we have wins once it knows the tweet's
    id: an archive without the id guessed the rest from the text (a retweet's "RT @user"),
    and two archives with it may spell the user differently (re-importing either of them
    must change nothing)."""
    if old.get("id"):
        return {**new, **old}
    return {**old, **new}


def _merged_body(old: Entry, new: Entry) -> str:
    if new.is_tweet:
        return new.body if len(new.body) >= len(old.body) else old.body
    return new.body or old.body


def _more_exact_date(old: datetime, new: datetime) -> datetime:
    """``new``, unless it is midnight of the day ``old`` gives an exact time for."""
    if day_only(new) and not day_only(old) and new.date() == old.astimezone(new.tzinfo).date():
        return old
    return new


def _merged_comments(old: tuple[Comment, ...], new: tuple[Comment, ...],
                    withdrawn: tuple[str, ...] = ()) -> tuple[Comment, ...]:
    """Both versions' comments, oldest first, a later one replacing the earlier one it is:
    the same id, or the same kind, author and date when one of them has no id (comments
    without ids, as Movable Type's, or numbered by their position in the file). The ids in
    ``withdrawn`` go."""
    kept: dict[str, Comment] = {}  # "id:ID" or the content key -> comment
    by_content: dict[str, str] = {}  # content key -> its comment's key in ``kept``
    for comment in (*old, *new):
        content = _content_key(comment)
        key = f"id:{comment.id}" if comment.id else content
        earlier = kept.get(by_content.get(content, ""))
        if key not in kept and earlier is not None and _content_key(earlier) == content \
                and not (comment.id and earlier.id):
            del kept[by_content[content]]
        kept[key] = comment
        by_content[content] = key
    gone = set(withdrawn)
    return tuple(sorted((c for c in kept.values() if not (c.id and c.id in gone)),
                        key=_comment_sort_key))


def missing_comments(have: tuple[Comment, ...], new: tuple[Comment, ...]) -> list[Comment]:
    """Those of ``new`` that ``have`` lacks. Two comments are one, as in ``merge``, when they
    have the same id, or the same kind, author and date while one of them has no id."""
    ids = {comment.id for comment in have if comment.id}
    contents = {_content_key(comment) for comment in have}
    id_less = {_content_key(comment) for comment in have if not comment.id}

    def had(comment: Comment) -> bool:
        if comment.id:
            return comment.id in ids or _content_key(comment) in id_less
        return _content_key(comment) in contents

    return [comment for comment in new if not had(comment)]


def _content_key(comment: Comment) -> str:
    """What tells comments without ids apart: kind, author and date (and the text's start,
    when there is no date)."""
    when = comment.date.isoformat() if comment.date else f"?{comment.body[:40]}"
    return f"{comment.kind}|{comment.author}|{when}"


def _comment_sort_key(comment: Comment) -> str:
    return comment.date.isoformat() if comment.date else ""
