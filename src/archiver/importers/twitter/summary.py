"""The first pass over an archive: a few fields per record, no text work.

It counts what will be imported (for the progress bar), learns the self-reply threads and the
edited tweets' last versions, and validates every data file before anything is written, so a
truncated file fails the import with nothing changed.

``decode_run`` reads a run of records with msgspec, keeping only the fields read here (3-5x
faster than the json module building every field); msgspec checks the whole text all the same,
and is stricter than the json module, so what it accepts the second pass reads too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import msgspec

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


def summary_from_record(record: Any, *, deleted: bool = False) -> Summary:
    """The summary of a modern archive's record: ``{"tweet": {...}}`` or the tweet itself."""
    obj = record.get("tweet", record) if isinstance(record, dict) else None
    return summary_from_api(obj if isinstance(obj, dict) else {}, deleted=deleted)


def _summary(obj: dict[str, Any], deleted: bool) -> Summary:
    get = obj.get
    edit_ids: tuple[str, ...] = ()
    edit = get("edit_info")
    if edit:
        initial = edit.get("initial") or (edit.get("edit") or {}).get("editControlInitial") or {}
        edit_ids = tuple(as_str(i) for i in initial.get("editTweetIds") or ())
    return Summary(
        as_str(get("id_str") or get("id")),
        as_str(get("in_reply_to_status_id_str") or get("in_reply_to_status_id")),
        as_str(get("in_reply_to_user_id_str") or get("in_reply_to_user_id")),
        as_str(get("in_reply_to_screen_name")),
        isinstance(get("retweeted_status"), dict) or bool(
            retweeted_user(get("full_text") or get("text") or "")),
        deleted,
        edit_ids,
    )


class _Fields(msgspec.Struct):
    """What ``_summary`` reads of a tweet (a field that is not there reads as None)."""

    id_str: Any = None
    id: Any = None
    in_reply_to_status_id_str: Any = None
    in_reply_to_status_id: Any = None
    in_reply_to_user_id_str: Any = None
    in_reply_to_user_id: Any = None
    in_reply_to_screen_name: Any = None
    retweeted_status: Any = None
    full_text: Any = None
    text: Any = None
    edit_info: Any = None


class _Record(_Fields):
    """A modern record: ``{"tweet": {...}}``, or the tweet itself."""

    tweet: _Fields | None | msgspec.UnsetType = msgspec.UNSET


_records_decoder = msgspec.json.Decoder(list[_Record])
_tweets_decoder = msgspec.json.Decoder(list[_Fields])
_as_dict = msgspec.structs.asdict


def summaries_of_records(run: str, *, deleted: bool = False) -> list[Summary]:
    """``summary_from_record`` of each record of a JSON array (jsdata.iter_runs), read with
    msgspec; raises ValueError (msgspec's errors are) for what it does not accept."""
    summaries = []
    for record in _records_decoder.decode(run):
        tweet = record.tweet
        if tweet is msgspec.UNSET:
            fields = _as_dict(record)
            del fields["tweet"]
        else:
            fields = {} if tweet is None else _as_dict(tweet)
        summaries.append(summary_from_api(fields, deleted=deleted))
    return summaries


def summaries_of_tweets(run: str) -> list[Summary]:
    """``summary_from_api`` of each tweet object of a JSON array (Grailbird's month files)."""
    return [summary_from_api(_as_dict(fields)) for fields in _tweets_decoder.decode(run)]
