"""``archiver import twitter PATH...``: the whole Twitter history, modern and legacy archives.

PATH is a zip as downloaded or its unpacked folder; the format is detected:
modern (``window.YTD``, modern.py) or legacy Grailbird / tweets.csv (legacy.py). The import
reads the archive twice: a cheap first pass (summary.py) validates every data file, counts
the tweets for the progress bar, learns self-reply threads and edited tweets; the second pass
streams tweets one by one (jsdata.py) into entries (convert.py, text.py, media.py). Memory
stays bounded: only ids are kept between tweets.

A large archive (``PARALLEL_BYTES`` of tweet data) is converted in a helper process
(importers/producer.py) that starts at once, alongside the first pass: this process then only
validates, plans and stores. Nothing is stored before the first pass has succeeded, and the
items, their order and every message are the same either way.

Importing the legacy and modern archives of one account, in any order, gives each tweet once
(identity = tweet id); the store fills what an earlier import lacked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Iterator, Protocol

import click

from archiver.errors import ArchiverError
from archiver.importers import ImportContext, Importer, producer
from archiver.importers.twitter.api import Owner
from archiver.importers.twitter.archive import Archive
from archiver.importers.twitter.convert import Converted, Threads, convert, with_thread
from archiver.importers.twitter.legacy import LegacyArchive, is_legacy
from archiver.importers.twitter.media import MediaIndex
from archiver.importers.twitter.modern import ModernArchive, is_modern
from archiver.importers.twitter.summary import Summary
from archiver.importers.twitter.tweet import Tweet
from archiver.store import ImportedItem

__all__ = ["TwitterImporter"]
PARALLEL_BYTES = 4 * 1024**2  # tweet data (~5,000 tweets) from which a helper process converts


class TweetSource(Protocol):
    format: str
    owner: Owner
    archive: Archive

    def data_size(self) -> int: ...

    def summaries(self) -> Iterator[Summary]: ...

    def tweets(self, context: ImportContext) -> Iterator[Tweet]: ...

    def media_folders(self) -> list[str]: ...


@dataclass
class Plan:
    """What the first pass learned: how many items will come, threads, what to leave out."""

    total: int = 0
    threads: Threads = field(default_factory=Threads)
    left_out: set[int] = field(default_factory=set)
    earlier_versions: int = 0


def open_source(archive: Archive) -> TweetSource:
    """The reader for the archive's format (modern wins when both are present)."""
    if is_modern(archive):
        return ModernArchive(archive)
    if is_legacy(archive):
        return LegacyArchive(archive)
    raise ArchiverError("not a Twitter archive: found neither data/manifest.js, data/tweets.js "
                        "nor data/js/tweet_index.js or tweets.csv", where=archive.source,
                        hint="give the zip from Twitter's 'Download an archive of your data' "
                        "or its unpacked folder")


def plan(source: TweetSource, *, retweets: bool, replies: bool) -> Plan:
    """First pass: validate the data files and decide what will be imported."""
    result = Plan()
    owner = source.owner
    latest_of: dict[int, int] = {}
    for summary in source.summaries():
        if not summary.id.isdigit():
            result.total += 1  # reported as skipped in the second pass
            continue
        tweet_id = int(summary.id)
        if summary.edit_ids and summary.edit_ids[-1] != summary.id and summary.edit_ids[-1].isdigit():
            latest_of[tweet_id] = int(summary.edit_ids[-1])
        if (not retweets and summary.is_retweet) or (not replies and summary.is_reply and not
                                                     summary.replies_to_self(owner.user_id,
                                                                             owner.screen_name)):
            result.left_out.add(tweet_id)
            continue
        result.total += 1
        if not summary.deleted:
            self_parent = summary.reply_to_id if summary.replies_to_self(
                owner.user_id, owner.screen_name) else ""
            result.threads.add(summary.id, self_parent)
    for tweet_id, latest in latest_of.items():
        if latest in result.threads.ids and tweet_id not in result.left_out:
            result.left_out.add(tweet_id)
            result.threads.ids.discard(tweet_id)
            result.total -= 1
            result.earlier_versions += 1
    result.threads.finish()
    return result


def import_archive(source: TweetSource, media: MediaIndex, context: ImportContext, *,
                   retweets: bool = True, replies: bool = True) -> Iterator[ImportedItem]:
    """Every tweet the plan keeps, as an item for the store (converted in a helper process
    for a large archive)."""
    helper = None
    if producer.AVAILABLE and source.data_size() >= PARALLEL_BYTES:
        try:
            helper = producer.ChildProducer(lambda child_context: _converted_elsewhere(
                source, media, child_context), context)
        except OSError:  # no process to be had (EAGAIN, ENOMEM): converted here instead
            helper = None
    try:
        found = plan(source, retweets=retweets, replies=replies)
        context.total = (context.total or 0) + found.total
        converted = helper if helper is not None else converted_tweets(source, media, context)
        yield from kept_items(converted, found, media, context, source.format)
    finally:
        if helper is not None:
            helper.close()


def converted_tweets(source: TweetSource, media: MediaIndex,
                     context: ImportContext) -> Iterator[Converted]:
    """Second pass: every tweet of the archive converted (left-out ones too)."""
    for tweet in source.tweets(context):
        yield convert(tweet, media)


def _converted_elsewhere(source: TweetSource, media: MediaIndex,
                         context: ImportContext) -> Iterator[Converted]:
    source.archive.reopen()  # a forked process: its own file offset in the zip
    return converted_tweets(source, media, context)


def kept_items(converted: Iterable[Converted], found: Plan, media: MediaIndex,
               context: ImportContext, archive_format: str) -> Iterator[ImportedItem]:
    """The converted tweets the plan keeps, once each, with their threads and media files."""
    seen: set[int] = set()
    left_out = found.left_out
    missing_media = 0
    for entry, members, missing in converted:
        tweet_id = int(entry.source_id)
        if tweet_id in left_out or tweet_id in seen:
            continue
        seen.add(tweet_id)
        missing_media += missing
        yield ImportedItem(with_thread(entry, found.threads),
                           media.files(members) if members else {})
    if found.earlier_versions:
        context.note(f"{found.earlier_versions} earlier versions of edited tweets were left out "
                     "(the last version is imported)")
    if missing_media:
        context.note(f"{missing_media} photos/videos are not in the {archive_format} archive "
                     "and were not copied"
                     + (" (legacy archives hold no media: import the modern archive too)"
                        if archive_format == "legacy" else ""))


class TwitterImporter(Importer):
    """Twitter/X archives: the modern 'Download your data' zip and the legacy Grailbird one."""

    name = "twitter"
    help = "Import a Twitter/X archive (zip or unpacked folder; modern or legacy format)."
    source_help = "ARCHIVE"
    options = [
        click.Option(["--no-retweets", "no_retweets"], is_flag=True,
                     help="Leave out retweets."),
        click.Option(["--no-replies", "no_replies"], is_flag=True,
                     help="Leave out replies to other people (threads of your own stay)."),
    ]

    def read(self, source: str, context: ImportContext) -> Iterator[ImportedItem]:
        with Archive(source) as archive:
            tweets = open_source(archive)
            media = MediaIndex(archive, tweets.media_folders())
            for member, reason in archive.skipped:
                context.skip(f"{source}:{member}", reason)
            for name, reason in media.refused:
                context.skip(archive.display(name), f"{reason}: not copied")
            yield from import_archive(tweets, media, context,
                                      retweets=not self.settings.get("no_retweets", False),
                                      replies=not self.settings.get("no_replies", False))
