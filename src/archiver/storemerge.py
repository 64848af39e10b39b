"""What the store writes when an item it already has is imported again: nothing known is lost."""

from __future__ import annotations

from datetime import datetime

from archiver.model import Comment, Entry


def merge(old: Entry, new: Entry) -> Entry:
    """Combine what we had with a new import of the same item; nothing known is lost.

    The longer body wins (a note tweet's full text beats its truncated face), empty fields of
    the new entry keep the old values, media, tags, aliases and comments are unions, and
    relations (``reply_to``...) combine their fields. A date that is only a day (midnight, as
    some old archives give) never replaces the exact time of the same day.
    """
    def union(a: tuple, b: tuple) -> tuple:
        return tuple(dict.fromkeys((*a, *b)))

    media = {m.path: m for m in old.media}
    for item in new.media:
        media[item.path] = item if item.alt or item.path not in media else media[item.path]
    comments = {_comment_key(c): c for c in old.comments}
    comments.update({_comment_key(c): c for c in new.comments})
    return new.with_changes(
        date=_more_exact_date(old.date, new.date),
        body=new.body if len(new.body) >= len(old.body) else old.body,
        title=new.title or old.title,
        tags=union(old.tags, new.tags),
        aliases=union(old.aliases, new.aliases),
        url=new.url or old.url,
        media=tuple(media.values()),
        reply_to={**old.reply_to, **new.reply_to},
        quote_of={**old.quote_of, **new.quote_of},
        retweet_of={**old.retweet_of, **new.retweet_of},
        thread=new.thread or old.thread,
        comments=tuple(sorted(comments.values(), key=_comment_sort_key)),
        slug=old.slug or new.slug,
        extra={**old.extra, **new.extra},
        path=old.path,
    )


def _more_exact_date(old: datetime, new: datetime) -> datetime:
    """``new``, unless it is midnight of the day ``old`` gives an exact time for."""
    def day_only(value: datetime) -> bool:
        return (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0)

    if day_only(new) and not day_only(old) and new.date() == old.astimezone(new.tzinfo).date():
        return old
    return new


def _comment_key(comment: Comment) -> str:
    return comment.id or f"{comment.author}|{comment.date}|{comment.body[:40]}"


def _comment_sort_key(comment: Comment) -> str:
    return comment.date.isoformat() if comment.date else ""
