"""The legacy Grailbird archive and its tweets.csv, with small hand-made archives."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from archiver.importers import ImportContext
from archiver.importers.twitter import TwitterImporter
from archiver.model import Entry
from twitter_archive import OWNER, api_tweet, grailbird_tweet, photo, write_grailbird

T0 = datetime(2012, 5, 6, 7, 8, 9, tzinfo=timezone.utc)
CSV_HEADER = ["tweet_id", "in_reply_to_status_id", "in_reply_to_user_id", "timestamp", "source",
              "text", "retweeted_status_id", "retweeted_status_user_id",
              "retweeted_status_timestamp", "expanded_urls"]


def read(source: Path, **options: bool) -> tuple[dict[str, Entry], ImportContext]:
    context = ImportContext(timezone=timezone.utc)
    entries = [i.entry for i in TwitterImporter(**options).read(str(source), context)]
    return {e.source_id: e for e in entries}, context


def test_grailbird_month_files(tmp_path: Path) -> None:
    tweets = [grailbird_tweet(api_tweet(1, "Tea & #cake", T0, hashtags=["cake"])),
              grailbird_tweet(api_tweet(2, "@ann_reader hi", T0.replace(month=6),
                                        reply_to=("77", "ann_reader", "42")))]
    archive = write_grailbird(tmp_path / "old.zip", tweets, as_zip=True)
    entries, context = read(archive)
    assert entries["1"] == Entry(kind="tweet", date=T0, body="Tea & [#cake](/tags/cake/)",
                                 tags=("cake",), source="twitter", source_id="1",
                                 url="https://twitter.com/robin_example/status/1")
    assert entries["2"].reply_to == {"id": "77", "user": "ann_reader",
                                     "url": "https://twitter.com/ann_reader/status/77"}
    assert context.total == 2


def test_api_date_format_and_lost_time_variant(tmp_path: Path) -> None:
    early = grailbird_tweet(api_tweet(3, "API date", T0))
    early["created_at"] = "Wed May 08 11:56:28 +0000 2013"
    lost = grailbird_tweet(api_tweet(4, "Lunch", T0))
    lost["created_at"] = "2007-02-28 00:00:00 +0000"
    entries, _ = read(write_grailbird(tmp_path / "a", [grailbird_tweet(api_tweet(5, "x", T0))]
                                      + [early, lost]))
    assert entries["3"].date == datetime(2013, 5, 8, 11, 56, 28, tzinfo=timezone.utc)
    assert entries["4"].date == datetime(2007, 2, 28, tzinfo=timezone.utc)


def test_retweet_uses_the_full_original(tmp_path: Path) -> None:
    original = api_tweet(900, "A good loaf needs time, not effort. " * 4 + "#bread", T0,
                         hashtags=["bread"], text_key="text")
    original["user"] = {"screen_name": "sam_bakes", "id_str": "42"}
    retweet = grailbird_tweet(api_tweet(6, "RT @sam_bakes: A good loaf needs time, not effort. "
                                        "A good loaf needs time, not…", T0))
    retweet["retweeted_status"] = original
    entries, _ = read(write_grailbird(tmp_path / "a", [retweet]))
    entry = entries["6"]
    assert entry.kind == "retweet"
    assert entry.retweet_of == {"id": "900", "user": "sam_bakes",
                                "url": "https://twitter.com/sam_bakes/status/900"}
    assert entry.body == ("RT [@sam\\_bakes](https://twitter.com/sam_bakes): "
                          + "A good loaf needs time, not effort. " * 4 + "[#bread](/tags/bread/)")
    assert entry.tags == ("bread",)
    assert read(write_grailbird(tmp_path / "b", [retweet]), no_retweets=True)[0] == {}


def test_media_entities_without_files(tmp_path: Path) -> None:
    media = [photo(7, "http://t.co/p", "P.png")]
    tweets = [grailbird_tweet(api_tweet(7, "look http://t.co/p", T0, media=media))]
    entries, context = read(write_grailbird(tmp_path / "a", tweets))
    assert (entries["7"].body, entries["7"].media) == ("look", ())
    assert context.notes == ["1 photos/videos are not in the legacy archive and were not copied "
                             "(legacy archives hold no media: import the modern archive too)"]


def test_self_replies_form_a_thread(tmp_path: Path) -> None:
    me = ("robin_example", OWNER["accountId"])
    tweets = [grailbird_tweet(api_tweet(20, "one", T0)),
              grailbird_tweet(api_tweet(21, "two", T0, reply_to=("20", *me))),
              grailbird_tweet(api_tweet(22, "@ann_reader three", T0,
                                        reply_to=("21", "ann_reader", "42")))]
    entries, _ = read(write_grailbird(tmp_path / "a", tweets))
    assert [entries[i].thread for i in ("20", "21", "22")] == ["20", "20", ""]
    assert sorted(read(write_grailbird(tmp_path / "b", tweets), no_replies=True)[0]) == ["20", "21"]


def test_csv_only_archive_with_ragged_rows(tmp_path: Path) -> None:
    rows = [CSV_HEADER,
            ["30", "", "", "2012-05-06 07:08:09 +0000", "web", "plain &lt;3 #csv", "", "", ""],
            ["31", "29", "1000", "2012-05-06 08:00:00 +0000", "web", "more https://t.co/a and "
             "https://t.co/b", "", "", "", "https://a.example/", "https://b.example/x_y"],
            ["32", "", "", "2012-05-07 08:00:00 +0000", "web", "RT @sam_bakes: bread", "901",
             "42", "2012-05-07 07:00:00 +0000", ""],
            ["bad", "", "", "2012-05-07 08:00:00 +0000", "web", "no id"]]
    archive = write_grailbird(tmp_path / "a", [], csv_rows=rows, months=False)
    entries, context = read(archive)
    assert entries["30"].body == "plain &lt;3 [#csv](/tags/csv/)"
    assert entries["30"].date == T0
    assert entries["31"].body == ("more [a.example/](https://a.example/) and "
                                  "[b.example/x\\_y](https://b.example/x_y)")
    assert entries["31"].reply_to == {"id": "29", "user": "robin_example",
                                      "url": "https://twitter.com/robin_example/status/29"}
    assert (entries["32"].kind, entries["32"].retweet_of) == ("retweet", {
        "id": "901", "user": "sam_bakes", "url": "https://twitter.com/sam_bakes/status/901"})
    assert [where.rsplit(" ", 2)[-2:] for where, _ in context.skipped] == [["row", "5"]]
    assert context.notes == ["3 tweets came from tweets.csv (their month files are missing; "
                             "it has no media details)"]


def test_csv_fills_months_whose_files_are_missing(tmp_path: Path) -> None:
    in_js = grailbird_tweet(api_tweet(40, "from js #full", T0, hashtags=["full"]))
    rows = [CSV_HEADER,
            ["40", "", "", "2012-05-06 07:08:09 +0000", "web", "from csv", "", "", "", ""],
            ["41", "", "", "2012-07-01 00:00:00 +0000", "web", "only in csv", "", "", "", ""]]
    entries, context = read(write_grailbird(tmp_path / "a", [in_js], csv_rows=rows))
    assert {k: e.body for k, e in entries.items()} == {
        "40": "from js [#full](/tags/full/)", "41": "only in csv"}
    assert context.total == 2
