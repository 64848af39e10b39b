"""The modern archive (2019 on): ``window.YTD.*`` files under ``data/``.

* ``data/manifest.js`` (``window.__THAR_CONFIG``) lists the data files; tweets are in
  ``data/tweets.js`` and every ``data/tweets-partN.js`` (2019-2020: ``tweet.js``,
  ``tweet-partN.js``). Files present but not listed are read too; a listed file with tweets
  that is missing is an error.
* ``data/note-tweet.js`` holds the full text of long tweets; a note has its own id, so it is
  joined with its truncated tweet by creation time and text prefix (notes.py).
* ``data/deleted-tweets.js``: imported with status ``deleted``.
* ``data/twitter-circle-tweet.js`` (2022 on): the tweets only the person's Twitter Circle could
  read, imported with status ``private`` (never built), also where ``tweets.js`` has them too.
* ``data/community-tweet.js`` (2022 on): the tweets posted in Communities (public), with their
  media in ``community_tweet_media``; a tweet that ``tweets.js`` has too is imported once.
* ``data/account.js``: only the user name, id and display name are read; never the email.
* An edited tweet appears once per version; only the last version is imported.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import partial
from typing import Any, Iterator

from archiver.errors import ArchiverError
from archiver.importers import ImportContext, too_long
from archiver.importers.twitter.api import Owner, tweet_from_api
from archiver.importers.twitter.archive import Archive
from archiver.importers.twitter.jsdata import iter_records, iter_runs, load_value
from archiver.importers.twitter.media import MEDIA_FOLDERS
from archiver.importers.twitter.notes import NoteIndex
from archiver.importers.twitter.summary import Summary, summaries_of_records, summary_from_record
from archiver.importers.twitter.tweet import MAX_TWEET_CHARS, Tweet, as_str

MANIFEST = "data/manifest.js"
_TWEET_FILE = re.compile(r"^data/tweets?(?:-part\d+)?\.js$")
_DELETED_FILE = re.compile(r"^data/deleted-tweets(?:-part\d+)?\.js$")
_NOTE_FILE = re.compile(r"^data/note-tweet(?:-part\d+)?\.js$")
_CIRCLE_FILE = re.compile(r"^data/twitter-circle-tweet(?:-part\d+)?\.js$")
_COMMUNITY_FILE = re.compile(r"^data/community-tweet(?:-part\d+)?\.js$")
CIRCLE_MEDIA = "data/twitter_circle_tweet_media"
COMMUNITY_MEDIA = "data/community_tweet_media"
_PART_NUMBER = re.compile(r"(?:-part(\d+))?\.js$")


def is_modern(archive: Archive) -> bool:
    return any(archive.exists(name) for name in (MANIFEST, "data/tweets.js", "data/tweet.js",
                                                 "data/tweets-part1.js", "data/account.js"))


class ModernArchive:
    """Reads the tweets of a modern archive: its own, deleted, Twitter Circle and Community
    tweets, and the note tweets that hold the long ones' text."""

    format = "modern"

    def __init__(self, archive: Archive) -> None:
        self.archive = archive
        self.manifest = self._load(MANIFEST) if archive.exists(MANIFEST) else {}
        self.owner = self._owner()
        self.tweet_files = self._files(("tweets", "tweet"), _TWEET_FILE)
        self.deleted_files = self._files(("deletedTweets",), _DELETED_FILE)
        self.note_files = self._files(("noteTweet",), _NOTE_FILE)
        self.circle_files = self._files(("twitterCircleTweet",), _CIRCLE_FILE)
        self.community_files = self._files(("communityTweet",), _COMMUNITY_FILE)
        self.circle_ids = self._circle_ids()

    # -- small files ---------------------------------------------------------------------
    def _load(self, name: str) -> Any:
        return load_value(self.archive.read_text(name), self.archive.display(name))

    def _owner(self) -> Owner:
        info = self.manifest.get("userInfo") if isinstance(self.manifest, dict) else None
        if isinstance(info, dict) and info.get("userName"):
            return Owner(screen_name=as_str(info.get("userName")),
                         user_id=as_str(info.get("accountId")),
                         display_name=as_str(info.get("displayName")))
        if self.archive.exists("data/account.js"):
            records = self._load("data/account.js")
            for record in records if isinstance(records, list) else []:
                account = record.get("account") if isinstance(record, dict) else None
                if isinstance(account, dict):  # only these three keys: never the email
                    return Owner(screen_name=as_str(account.get("username")),
                                 user_id=as_str(account.get("accountId")),
                                 display_name=as_str(account.get("accountDisplayName")))
        return Owner()

    def _circle_ids(self) -> frozenset[str]:
        """The ids of the Twitter Circle tweets (a small file: read whole, once)."""
        return frozenset(_record_id(obj) for _, _, obj in self._records(self.circle_files)) - {""}

    def _listed(self, data_type: str) -> int:
        """How many items the manifest says the archive holds of ``data_type``."""
        types = self.manifest.get("dataTypes", {}) if isinstance(self.manifest, dict) else {}
        entries = (types.get(data_type) or {}).get("files") or []
        return sum(int(as_str(entry.get("count")) or 0) for entry in entries
                   if isinstance(entry, dict) and as_str(entry.get("count")).isdigit())

    def _files(self, data_types: tuple[str, ...], pattern: re.Pattern[str]) -> list[str]:
        """Data files of one kind: those the manifest lists plus those present, part order."""
        listed = {}
        types = self.manifest.get("dataTypes", {}) if isinstance(self.manifest, dict) else {}
        for data_type in data_types:
            for entry in (types.get(data_type) or {}).get("files") or []:
                name = as_str(entry.get("fileName"))
                if name:
                    listed[name] = int(as_str(entry.get("count")) or 0)
        for name, count in listed.items():
            if count and not self.archive.exists(name):
                raise ArchiverError(f"the manifest lists {name} ({count} items) but the archive "
                                    "does not have it", where=self.archive.display(name),
                                    hint="download the archive again; it looks incomplete")
        present = self.archive.matching("data/", ".js")
        names = {n for n in present if pattern.match(n)} | {n for n in listed if
                                                             self.archive.exists(n)}
        return sorted(names, key=_part_order)

    def data_size(self) -> int:
        """Bytes of tweet data (unpacked): how much work the import is."""
        return sum(self.archive.size(name)
                   for _, names in self._sources() for name in names)

    def media_folders(self) -> list[str]:
        folders = [*MEDIA_FOLDERS, CIRCLE_MEDIA, COMMUNITY_MEDIA]
        types = self.manifest.get("dataTypes", {}) if isinstance(self.manifest, dict) else {}
        for data_type in ("tweets", "tweet", "tweetsMedia", "tweetMedia"):
            folder = as_str((types.get(data_type) or {}).get("mediaDirectory")).rstrip("/")
            if folder and folder not in folders:
                folders.append(folder)
        return folders

    # -- records -------------------------------------------------------------------------
    def _records(self, names: list[str]) -> Iterator[tuple[str, int, dict[str, Any]]]:
        for name in names:
            where = self.archive.display(name)
            with self.archive.open_text(name) as stream:
                for number, record in enumerate(iter_records(stream, where), 1):
                    obj = record.get("tweet", record) if isinstance(record, dict) else None
                    yield where, number, obj if isinstance(obj, dict) else {}

    def _sources(self) -> tuple[tuple[str, list[str]], ...]:
        """The tweet files, each group with what it holds (see ``_hidden``)."""
        return (("", self.tweet_files), ("deleted", self.deleted_files),
                ("circle", self.circle_files), ("community", self.community_files))

    def _hidden(self, group: str, tweet_id: str, seen: set[str]) -> str | None:
        """How a record of ``group`` is kept: 'deleted', 'private' (a circle tweet) or '';
        None for one that an earlier file had already (``seen``: the ids read so far, kept
        only when circle or community files are there to be checked against them)."""
        if group and group != "deleted" and tweet_id and tweet_id in seen:
            return None
        if self.circle_files or self.community_files:
            seen.add(tweet_id)
        if group == "deleted":
            return "deleted"
        return "private" if tweet_id in self.circle_ids else ""

    def summaries(self) -> Iterator[Summary]:
        """A cheap look at every record (first pass: counts, threads, edits, validation).
        A circle tweet counts as a deleted one here: it is in no published thread."""
        seen: set[str] = set()
        for group, names in self._sources():
            for name in names:
                with self.archive.open_text(name) as stream:
                    for summary in iter_runs(stream, self.archive.display(name),
                                             partial(summaries_of_records, deleted=group == "deleted"),
                                             partial(summary_from_record, deleted=group == "deleted")):
                        hidden = self._hidden(group, summary.id, seen)
                        if hidden is None:
                            continue
                        yield replace(summary, deleted=True) if hidden == "private" else summary

    def tweets(self, context: ImportContext) -> Iterator[Tweet]:
        if not self.tweet_files:
            context.note(f"{self.archive.source} has no tweets file (data/tweets.js): "
                         "nothing to import from it")
        articles = self._listed("twitterArticle")
        if articles:
            context.note(f"{self.archive.source} has {articles} X Articles (data/twitter-article.js): "
                         "archiver imports tweets only, so copy what you want to keep of them into "
                         "posts by hand")
        notes = NoteIndex.load(self.archive, self.note_files)
        seen: set[str] = set()
        for group, names in self._sources():
            for where, number, obj in self._records(names):
                hidden = self._hidden(group, _record_id(obj), seen)
                if hidden is None:
                    continue
                try:
                    tweet = tweet_from_api(obj, self.owner, deleted=hidden == "deleted")
                except (KeyError, ValueError, TypeError, AttributeError) as exc:
                    context.skip(f"{where} record {number}", f"unusable tweet ({exc})")
                    continue
                if hidden == "private":
                    tweet = replace(tweet, private=True)
                notes.complete(tweet)  # the note's text may be the long one
                reason = too_long(tweet.text, MAX_TWEET_CHARS, "text")
                if reason:
                    context.skip(f"{where} record {number}", reason)
                    continue
                yield tweet
        if notes.unmatched:
            context.note(f"{notes.unmatched} long-tweet texts in note-tweet.js matched no tweet "
                         "of this archive and were left out")


def _record_id(obj: dict[str, Any]) -> str:
    """A tweet record's id as text ('' when it has none)."""
    return as_str(obj.get("id_str") or obj.get("id"))


def _part_order(name: str) -> tuple[str, int]:
    match = _PART_NUMBER.search(name)
    number = int(match.group(1)) if match and match.group(1) else 0
    return (name[: match.start()] if match else name, number)
