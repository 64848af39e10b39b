"""The first pass over an archive: a few fields per record, no text work.

It counts what will be imported (for the progress bar), learns the self-reply threads and the
edited tweets' last versions, and validates every data file before anything is written, so a
truncated file fails the import with nothing changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from archiver.importers.twitter.tweet import as_str, retweeted_user


@dataclass(slots=True)
class Summary:
    id: str
    reply_to_id: str = ""
    reply_to_user_id: str = ""
    reply_to_user: str = ""
    is_retweet: bool = False
    deleted: bool = False
    edit_ids: tuple[str, ...] = ()  # every version of an edited tweet, oldest first

    @property
    def is_reply(self) -> bool:
        return bool(self.reply_to_id or self.reply_to_user_id or self.reply_to_user)

    def replies_to_self(self, owner_id: str, owner_name: str) -> bool:
        if not self.reply_to_id:
            return False
        if owner_id and self.reply_to_user_id:
            return self.reply_to_user_id == owner_id
        return bool(owner_name) and self.reply_to_user.lower() == owner_name.lower()


def summary_from_api(obj: dict[str, Any], *, deleted: bool = False) -> Summary:
    """The summary of an API-style tweet object (modern record or Grailbird tweet).

    A malformed record (a list where an object belongs, a number for the text ...) gets an
    empty id: counted now, skipped with its reason by the second pass.
    """
    try:
        return _summary(obj, deleted)
    except (TypeError, AttributeError, ValueError, KeyError):
        return Summary(id="", deleted=deleted)


def _summary(obj: dict[str, Any], deleted: bool) -> Summary:
    edit = obj.get("edit_info") or {}
    initial = edit.get("initial") or (edit.get("edit") or {}).get("editControlInitial") or {}
    return Summary(
        id=as_str(obj.get("id_str") or obj.get("id")),
        reply_to_id=as_str(obj.get("in_reply_to_status_id_str") or obj.get("in_reply_to_status_id")),
        reply_to_user_id=as_str(obj.get("in_reply_to_user_id_str") or obj.get("in_reply_to_user_id")),
        reply_to_user=as_str(obj.get("in_reply_to_screen_name")),
        is_retweet=isinstance(obj.get("retweeted_status"), dict) or bool(
            retweeted_user(obj.get("full_text") or obj.get("text") or "")),
        deleted=deleted,
        edit_ids=tuple(as_str(i) for i in initial.get("editTweetIds") or ()),
    )
