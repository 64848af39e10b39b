"""The legacy "Grailbird" archive (2012-2019), and its ``tweets.csv``.

* ``data/js/tweet_index.js`` lists the month files ``data/js/tweets/YYYY_MM.js``
  (``Grailbird.data.tweets_YYYY_MM = [...]``); month files present but not listed are read
  too, and listed months that are missing are reported, not fatal (real archives lack some).
* Tweets carry ``text`` (not ``full_text``), ``id_str``, a full ``retweeted_status`` and
  ``created_at`` as ``2010-12-14 21:00:00 +0000`` (the first 2012-13 archives: API format).
* ``data/js/user_details.js`` names the owner.
* ``tweets.csv`` is the fallback for tweets whose month file is missing (or all of them when
  there is no data/js/). Its early rows are ragged: cells missing at the end are empty,
  extra cells are more expanded URLs.
* These archives hold no media files.
"""

from __future__ import annotations

import csv
import re
from typing import Any, Iterator

from archiver.errors import ArchiverError
from archiver.importers import ImportContext, too_long
from archiver.importers.twitter.api import Owner, tweet_from_api
from archiver.importers.twitter.archive import Archive
from archiver.importers.twitter.jsdata import iter_records, iter_runs, load_value
from archiver.importers.twitter.summary import Summary, summaries_of_tweets, summary_from_api
from archiver.importers.twitter.tweet import (
    MAX_TWEET_CHARS,
    Link,
    Tweet,
    as_str,
    parse_date,
    retweeted_user,
    unescape,
)

INDEX = "data/js/tweet_index.js"
USER = "data/js/user_details.js"
CSV = "tweets.csv"
MONTHS = "data/js/tweets/"
_MONTH_FILE = re.compile(r"^data/js/tweets/\d{4}_\d{2}\.js$")
_TCO = re.compile(r"https?://t\.co/\w+")
_LEADING_MENTION = re.compile(r"^@(\w{1,20})")


def is_legacy(archive: Archive) -> bool:
    return archive.exists(INDEX) or archive.exists(CSV) or bool(
        [n for n in archive.matching(MONTHS, ".js") if _MONTH_FILE.match(n)])


class LegacyArchive:
    """Reads a Grailbird archive's month files, or its tweets.csv when they are absent."""

    format = "legacy"

    def __init__(self, archive: Archive) -> None:
        self.archive = archive
        self.owner = self._owner()
        self.month_files, self.missing_months = self._month_files()
        if not self.month_files and not archive.exists(CSV):
            raise ArchiverError("the archive has neither month files (data/js/tweets/) nor "
                                "tweets.csv", where=archive.display(INDEX),
                                hint="download the archive again; it looks incomplete")

    def _owner(self) -> Owner:
        if not self.archive.exists(USER):
            return Owner()
        details = load_value(self.archive.read_text(USER), self.archive.display(USER))
        if not isinstance(details, dict):
            return Owner()
        return Owner(screen_name=as_str(details.get("screen_name")),
                     user_id=as_str(details.get("id_str") or details.get("id")),
                     display_name=as_str(details.get("full_name")))

    def _month_files(self) -> tuple[list[str], list[str]]:
        present = {n for n in self.archive.matching(MONTHS, ".js") if _MONTH_FILE.match(n)}
        listed: list[str] = []
        if self.archive.exists(INDEX):
            index = load_value(self.archive.read_text(INDEX), self.archive.display(INDEX))
            for month in index if isinstance(index, list) else []:
                name = as_str(month.get("file_name")) if isinstance(month, dict) else ""
                if name and int(as_str(month.get("tweet_count")) or 1) > 0:
                    listed.append(name)
        missing = [n for n in listed if n not in present]
        return sorted(present), missing

    def data_size(self) -> int:
        """Bytes of tweet data (unpacked): how much work the import is."""
        csv_size = self.archive.size(CSV) if self.archive.exists(CSV) else 0
        return csv_size + sum(self.archive.size(name) for name in self.month_files)

    def media_folders(self) -> list[str]:
        return []

    # -- month files ---------------------------------------------------------------------
    def _records(self) -> Iterator[tuple[str, int, dict[str, Any]]]:
        for name in self.month_files:
            where = self.archive.display(name)
            with self.archive.open_text(name) as stream:
                for number, record in enumerate(iter_records(stream, where), 1):
                    yield where, number, record if isinstance(record, dict) else {}

    # -- tweets.csv ----------------------------------------------------------------------
    def _rows(self) -> Iterator[tuple[str, int, dict[str, str]]]:
        where = self.archive.display(CSV)
        with self.archive.open_text(CSV) as stream:
            reader = csv.reader(stream)
            try:
                header = next(reader, [])
                if "tweet_id" not in header or "text" not in header:
                    raise ArchiverError("tweets.csv has no tweet_id/text header", where=where,
                                        hint="check that this is a Twitter archive")
                last = header.index("expanded_urls") if "expanded_urls" in header else len(header)
                for number, cells in enumerate(reader, 2):
                    row = dict(zip(header[:last], cells[:last]))
                    row["expanded_urls"] = ",".join(c for c in cells[last:] if c)
                    yield where, number, row
            except csv.Error as exc:
                raise ArchiverError(f"invalid CSV at line {reader.line_num}: {exc}",
                                    where=where, hint="the file is damaged") from None
            except UnicodeDecodeError:
                raise ArchiverError(f"not UTF-8 text after line {reader.line_num}", where=where,
                                    hint="the file is damaged; download the archive again") from None

    def summaries(self) -> Iterator[Summary]:
        from_months: set[int] = set()
        for name in self.month_files:
            with self.archive.open_text(name) as stream:
                for summary in iter_runs(stream, self.archive.display(name), summaries_of_tweets,
                                         _summary_of_month_record):
                    if summary.id.isdigit():
                        from_months.add(int(summary.id))
                    yield summary
        for _where, _number, row in self._csv_rows_not_in(from_months):
            yield Summary(id=row.get("tweet_id", ""),
                          reply_to_id=row.get("in_reply_to_status_id", ""),
                          reply_to_user_id=row.get("in_reply_to_user_id", ""),
                          is_retweet=bool(row.get("retweeted_status_id")
                                          or retweeted_user(row.get("text", ""))))

    def _csv_rows_not_in(self, from_months: set[int]) -> Iterator[tuple[str, int, dict[str, str]]]:
        """tweets.csv rows for tweets the month files do not have (months missing)."""
        if not self.archive.exists(CSV):
            return
        for where, number, row in self._rows():
            tweet_id = row.get("tweet_id", "")
            if not (tweet_id.isdigit() and int(tweet_id) in from_months):
                yield where, number, row

    def tweets(self, context: ImportContext) -> Iterator[Tweet]:
        from_months: set[int] = set()
        for where, number, record in self._records():
            try:
                tweet = tweet_from_api(record, self.owner)
            except (KeyError, ValueError, TypeError, AttributeError) as exc:
                context.skip(f"{where} record {number}", f"unusable tweet ({exc})")
                continue
            from_months.add(int(tweet.id))  # a skipped one too: not again from tweets.csv
            reason = too_long(tweet.text, MAX_TWEET_CHARS, "text")
            if reason:
                context.skip(f"{where} record {number}", reason)
                continue
            yield tweet
        from_csv = 0
        for where, number, row in self._csv_rows_not_in(from_months):
            try:
                tweet = tweet_from_csv(row, self.owner)
            except (KeyError, ValueError, TypeError) as exc:
                context.skip(f"{where} row {number}", f"unusable tweet ({exc})")
                continue
            reason = too_long(tweet.text, MAX_TWEET_CHARS, "text")
            if reason:
                context.skip(f"{where} row {number}", reason)
                continue
            from_csv += 1
            yield tweet
        self._report(context, from_csv)

    def _report(self, context: ImportContext, from_csv: int) -> None:
        if self.missing_months:
            context.note(f"{len(self.missing_months)} month files listed in tweet_index.js are "
                         f"not in the archive (first: {self.missing_months[0]})")
        if from_csv:
            context.note(f"{from_csv} tweets came from tweets.csv (their month files are "
                         "missing; it has no media details)")


def _summary_of_month_record(record: Any) -> Summary:
    return summary_from_api(record if isinstance(record, dict) else {})


def tweet_from_csv(row: dict[str, str], owner: Owner) -> Tweet:
    """A ``Tweet`` from one tweets.csv row (t.co links paired with expanded_urls in order)."""
    tweet_id = row.get("tweet_id", "")
    if not tweet_id.isdigit():
        raise ValueError(f"bad tweet_id {tweet_id!r}")
    text = unescape(row.get("text", ""))
    expanded = [u for u in (row.get("expanded_urls") or "").split(",") if u]
    shorts = _TCO.findall(text)
    links = [Link(short=s, expanded=e) for s, e in zip(shorts, expanded)] if len(
        shorts) == len(expanded) else []
    reply_user_id = row.get("in_reply_to_user_id", "")
    reply_id = row.get("in_reply_to_status_id", "")
    leading = _LEADING_MENTION.match(text)
    reply_user = owner.screen_name if reply_user_id and reply_user_id == owner.user_id else (
        leading.group(1) if leading and (reply_id or reply_user_id) else "")
    retweet_user = retweeted_user(text)
    return Tweet(
        id=tweet_id,
        date=parse_date(row.get("timestamp", "")),
        text=text,
        screen_name=owner.screen_name,
        links=links,
        reply_to_id=reply_id,
        reply_to_user=reply_user,
        reply_to_user_id=reply_user_id,
        retweet_id=row.get("retweeted_status_id", ""),
        retweet_user=retweet_user,
        is_retweet=bool(row.get("retweeted_status_id") or retweet_user),
    )
