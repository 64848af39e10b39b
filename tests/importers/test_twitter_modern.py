"""The modern archive, with small hand-made archives: one behaviour per test."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from archiver import frontmatter
from archiver.config import load_config
from archiver.errors import ArchiverError
from archiver.importers import ImportContext
from archiver.importers.twitter import TwitterImporter
from archiver.importing import run_import
from archiver.model import Entry, Media
from archiver.store import Outcome
from twitter_archive import OWNER, PNG, api_tweet, note, photo, video, write_js_array, write_modern

T0 = datetime(2021, 3, 4, 10, 0, tzinfo=timezone.utc)
ME = ("robin_example", OWNER["accountId"])


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def read(source: Path, **options: bool) -> tuple[list[Entry], ImportContext]:
    context = ImportContext(timezone=timezone.utc)
    items = list(TwitterImporter(**options).read(str(source), context))
    return [item.entry for item in items], context


def read_items(source: Path, **options: bool) -> tuple[list, ImportContext]:
    context = ImportContext(timezone=timezone.utc)
    return list(TwitterImporter(**options).read(str(source), context)), context


def by_id(entries: list[Entry]) -> dict[str, Entry]:
    return {e.source_id: e for e in entries}


def import_into(site: Path, *sources: Path, **options: bool):
    return run_import(load_config(site), TwitterImporter(**options), [str(s) for s in sources])


def content_text(site: Path) -> str:
    return "\n".join(p.read_text("utf-8") for p in sorted((site / "content").rglob("*.md")))


def test_every_part_file_is_read(tmp_path: Path) -> None:
    tweets = [api_tweet(100 + n, f"tweet {n}", at(n)) for n in range(7)]
    archive = write_modern(tmp_path / "a", tweets, parts=3)
    assert sorted(p.name for p in (archive / "data").glob("tweets*.js")) == [
        "tweets-part1.js", "tweets-part2.js", "tweets.js"]
    entries, context = read(archive)
    assert sorted(e.source_id for e in entries) == [str(100 + n) for n in range(7)]
    assert context.total == 7


def test_2020_tweet_js_name_and_zip_with_top_folder(tmp_path: Path) -> None:
    tweets = [api_tweet(5, "old layout", at(0)), api_tweet(6, "second", at(1))]
    archive = write_modern(tmp_path / "a.zip", tweets, as_zip=True, file_stem="tweet",
                           top_folder="twitter-2020-04-03")
    entries, _ = read(archive)
    assert [(e.source_id, e.body) for e in entries] == [("5", "old layout"), ("6", "second")]


def test_data_folder_given_directly(tmp_path: Path) -> None:
    archive = write_modern(tmp_path / "a", [api_tweet(5, "hello", at(0))])
    entries, _ = read(archive / "data")
    assert [e.source_id for e in entries] == ["5"]


def test_a_folder_of_several_archives_is_refused_not_read_in_part(tmp_path: Path) -> None:
    write_modern(tmp_path / "downloads" / "twitter-2020", [api_tweet(5, "hello", at(0))])
    write_modern(tmp_path / "downloads" / "twitter-2023", [api_tweet(6, "again", at(1))])
    with pytest.raises(ArchiverError, match=r"downloads: 2 Twitter archives in one folder "
                                            r"\(twitter-2020, twitter-2023\) \(import them one"):
        read(tmp_path / "downloads")
    entries, _ = read(tmp_path / "downloads" / "twitter-2023")
    assert [e.source_id for e in entries] == ["6"]


def add_tweets_file(archive: Path, stem: str, tweets: list[dict], media: dict[str, bytes]) -> None:
    """A tweets file of another kind (``data/<stem>.js``), with its own media folder
    (``data/<stem with _>_media``), as a modern archive has them."""
    name = stem.replace("-", "_")
    with (archive / "data" / f"{stem}.js").open("w", encoding="utf-8") as handle:
        write_js_array(handle, f"window.YTD.{name}.part0", [{"tweet": tweet} for tweet in tweets])
    folder = archive / "data" / f"{name}_media"
    folder.mkdir()
    for file_name, data in media.items():
        (folder / file_name).write_bytes(data)


def test_twitter_circle_tweets_are_kept_private_and_never_in_a_thread(tmp_path: Path) -> None:
    """Tweets only the person's Twitter Circle could read (data/twitter-circle-tweet.js, also
    in tweets.js or only there) are archived with status private, each once."""
    public = api_tweet(5, "for everyone", at(0))
    circle = api_tweet(6, "for my circle", at(1), reply_to=("5", ME[0], ME[1]))
    only_there = api_tweet(7, "circle only https://t.co/p", at(2),
                           media=[photo(7, "https://t.co/p", "a.png")])
    archive = write_modern(tmp_path / "a", [public, circle])
    add_tweets_file(archive, "twitter-circle-tweet", [circle, only_there], {"7-a.png": PNG})
    items, context = read_items(archive)
    entries = by_id([item.entry for item in items])
    assert {tweet_id: entry.status for tweet_id, entry in entries.items()} == {
        "5": "published", "6": "private", "7": "private"}
    assert len(items) == context.total == 3
    assert entries["6"].thread == "" and entries["5"].thread == ""  # no thread of one
    assert [m.path for m in entries["7"].media] == ["media/tweets/2021/7-a.png"]
    assert list(items[-1].files) == ["media/tweets/2021/7-a.png"]


def test_community_tweets_are_imported_once_with_their_media(tmp_path: Path) -> None:
    """Tweets posted in Communities (data/community-tweet.js, media in community_tweet_media)
    are the person's public tweets too; one that tweets.js or deleted-tweets.js has is kept
    as that file says."""
    public = api_tweet(5, "for everyone", at(0))
    gone = api_tweet(9, "posted, then deleted", at(3))
    in_community = api_tweet(8, "in a community https://t.co/q", at(2),
                             media=[photo(8, "https://t.co/q", "b.png")])
    archive = write_modern(tmp_path / "a", [public], deleted=[gone])
    add_tweets_file(archive, "community-tweet", [in_community, public, gone], {"8-b.png": PNG})
    items, context = read_items(archive)
    entries = by_id([item.entry for item in items])
    assert {tweet_id: entry.status for tweet_id, entry in entries.items()} == {
        "5": "published", "8": "published", "9": "deleted"}
    assert len(items) == context.total == 3
    assert entries["8"].body == "in a community"
    assert [m.path for m in entries["8"].media] == ["media/tweets/2021/8-b.png"]


def test_x_articles_the_archive_lists_are_named_as_not_imported(tmp_path: Path) -> None:
    archive = write_modern(tmp_path / "a", [api_tweet(5, "hello", at(0))])
    manifest = archive / "data" / "manifest.js"
    prefix, _, body = manifest.read_text("utf-8").partition("= ")
    config = json.loads(body)
    config["dataTypes"]["twitterArticle"] = {"files": [{
        "fileName": "data/twitter-article.js", "globalName": "YTD.twitter_article.part0", "count": "2"}]}
    manifest.write_text(prefix + "= " + json.dumps(config), "utf-8")
    (archive / "data" / "twitter-article.js").write_text("window.YTD.twitter_article.part0 = [ ]")
    entries, context = read(archive)
    assert [e.source_id for e in entries] == ["5"]
    assert context.notes == [f"{archive} has 2 X Articles (data/twitter-article.js): archiver "
                             "imports tweets only, so copy what you want to keep of them into "
                             "posts by hand"]


def test_entry_fields(tmp_path: Path) -> None:
    archive = write_modern(tmp_path / "a", [api_tweet(
        1234, "Bread & <3 #Baking", at(0), hashtags=["Baking"])])
    (entry,), _ = read(archive)
    assert entry == Entry(
        kind="tweet", date=T0, body="Bread & &lt;3 [#Baking](/tags/baking/)", tags=("Baking",),
        source="twitter", source_id="1234", url="https://twitter.com/robin_example/status/1234")


def test_full_text_unescaped_once_end_to_end(tmp_path: Path) -> None:
    # written as "a &lt;b&gt; &amp;" -> archive escapes once more
    archive = write_modern(tmp_path / "a", [api_tweet(1, "a &lt;b&gt; &amp; <3", at(0))])
    (entry,), _ = read(archive)
    assert entry.body == "a &amp;lt;b&amp;gt; &amp;amp; &lt;3"


def test_photos_with_alt_text_copied_and_trailing_link_removed(site: Path, tmp_path: Path) -> None:
    tid = "1371000000000000001"
    media = [photo(tid, "https://t.co/pix", f"Ph{n}.jpg", alt=f"photo {n}", number=n)
             for n in range(1, 5)]
    archive = write_modern(tmp_path / "a", [api_tweet(tid, "four photos https://t.co/pix", at(0),
                                                      media=media)],
                           media={f"{tid}-Ph{n}.jpg": PNG + bytes([n]) for n in range(1, 5)})
    report = import_into(site, archive)
    assert report.counts == {Outcome.IMPORTED: 1}
    entry = frontmatter.loads((site / f"content/tweets/2021/03/{tid}.md").read_text(), "tweets/x.md")
    assert entry.body == "four photos"
    assert entry.media == tuple(Media(path=f"media/tweets/2021/{tid}-Ph{n}.jpg", alt=f"photo {n}",
                                      type="image") for n in range(1, 5))
    for n in range(1, 5):
        assert (site / f"content/media/tweets/2021/{tid}-Ph{n}.jpg").read_bytes() == PNG + bytes([n])
    assert "pbs.twimg.com" not in content_text(site)


def test_best_mp4_variant_and_gif(tmp_path: Path) -> None:
    variants = [(832000, "mid.mp4"), (2176000, "best.mp4"), (256000, "low.mp4")]
    tweets = [api_tweet(7, "video https://t.co/v", at(0),
                        media=[video(7, "https://t.co/v", variants)]),
              api_tweet(8, "gif https://t.co/g", at(1),
                        media=[video(8, "https://t.co/g", [(0, "G.mp4")], kind="animated_gif")])]
    archive = write_modern(tmp_path / "a", tweets, media={
        "7-low.mp4": b"low", "7-best.mp4": b"best", "8-G.mp4": b"gif"})
    entries = by_id(read(archive)[0])
    assert entries["7"].media == (Media(path="media/tweets/2021/7-best.mp4", type="video"),)
    assert entries["8"].media == (Media(path="media/tweets/2021/8-G.mp4", type="gif"),)
    assert entries["7"].body == "video"


def test_media_missing_from_archive_is_never_hotlinked(tmp_path: Path) -> None:
    media = [photo(9, "https://t.co/p", "X.jpg", alt="a cat")]
    archive = write_modern(tmp_path / "a", [api_tweet(9, "cat https://t.co/p", at(0), media=media)])
    (entry,), context = read(archive)
    assert (entry.media, entry.body) == ((), "cat")
    assert context.notes == ["1 photos/videos are not in the modern archive and were not copied"]


def test_media_file_names_made_safe(tmp_path: Path) -> None:
    media = [photo(9, "https://t.co/p", "we ird$name.JPG")]
    archive = write_modern(tmp_path / "a", [api_tweet(9, "x https://t.co/p", at(0), media=media)],
                           media={"9-we ird$name.JPG": PNG})
    (entry,), _ = read(archive)
    assert entry.media == (Media(path="media/tweets/2021/9-we-ird-name.jpg"),)


def test_note_tweet_full_text_joined_by_time_and_prefix(tmp_path: Path) -> None:
    long_text = "Long thoughts on bread. " * 20 + "The end #baking https://t.co/n"
    face = "@ann_reader " + long_text[:260] + "…"
    tweets = [api_tweet(50, face, at(0), reply_to=("49", "ann_reader", "42")),
              api_tweet(51, "Long thoughts on bread, a different tweet", at(0))]
    notes = [note(999, long_text, at(0), urls=[("https://t.co/n", "https://bread.example/",
                                                "bread.example")], hashtags=["baking"])]
    archive = write_modern(tmp_path / "a", tweets, notes=notes)
    entries, context = read(archive)
    full = by_id(entries)["50"]
    assert full.body == ("[@ann\\_reader](https://twitter.com/ann_reader) "
                         + "Long thoughts on bread. " * 20
                         + "The end [#baking](/tags/baking/) [bread.example](https://bread.example/)")
    assert full.tags == ("baking",)
    assert by_id(entries)["51"].body == "Long thoughts on bread, a different tweet"
    assert context.notes == []


def test_deleted_tweets_imported_as_deleted_without_media(tmp_path: Path) -> None:
    media = [photo(60, "https://t.co/d", "D.jpg")]
    archive = write_modern(tmp_path / "a", [api_tweet(61, "kept", at(1))],
                           deleted=[api_tweet(60, "regret https://t.co/d", at(0), media=media,
                                              extra={"deleted_at": "Mon Nov 24 06:05:11 +0000 2025"})],
                           media={"60-D.jpg": PNG})
    entries = by_id(read(archive)[0])
    assert entries["60"].status == "deleted"
    assert entries["60"].media == ()
    assert entries["61"].status == "published"


def test_account_email_never_written(site: Path, tmp_path: Path) -> None:
    archive = write_modern(tmp_path / "a.zip", [api_tweet(1, "hi", at(0))], as_zip=True)
    import_into(site, archive)
    written = "".join(p.read_text("utf-8", errors="replace") for p in site.rglob("*") if p.is_file())
    assert OWNER["email"] not in written
    assert "robin_example" in written


def test_replies_quotes_retweets_and_threads(tmp_path: Path) -> None:
    tweets = [
        api_tweet(10, "1/3 a thread", at(0)),
        api_tweet(11, "2/3 more", at(1), reply_to=("10", *ME)),
        api_tweet(12, "3/3 end", at(2), reply_to=("11", *ME)),
        api_tweet(13, "@ann_reader yes", at(3), mentions=["ann_reader"],
                  reply_to=("900", "ann_reader", "42")),
        api_tweet(14, "so true https://t.co/q", at(4), urls=[(
            "https://t.co/q", "https://twitter.com/sam_bakes/status/800", "twitter.com/sam_bakes/…")]),
        api_tweet(15, "RT @sam_bakes: a good loaf needs time", at(5), mentions=["sam_bakes"]),
        api_tweet(16, "no thread", at(6)),
    ]
    entries = by_id(read(write_modern(tmp_path / "a", tweets))[0])
    assert [entries[i].thread for i in ("10", "11", "12", "13", "16")] == ["10", "10", "10", "", ""]
    assert entries["11"].reply_to == {"id": "10", "user": "robin_example",
                                      "url": "https://twitter.com/robin_example/status/10"}
    assert entries["13"].reply_to == {"id": "900", "user": "ann_reader",
                                      "url": "https://twitter.com/ann_reader/status/900"}
    assert entries["14"].quote_of == {"id": "800", "user": "sam_bakes",
                                      "url": "https://twitter.com/sam_bakes/status/800"}
    assert entries["15"].kind == "retweet"
    assert entries["15"].retweet_of == {"user": "sam_bakes", "url": "https://twitter.com/sam_bakes"}
    assert entries["15"].body == ("RT [@sam\\_bakes](https://twitter.com/sam_bakes): "
                                  "a good loaf needs time")


def test_no_retweets_and_no_replies_options(tmp_path: Path) -> None:
    tweets = [api_tweet(10, "mine", at(0)),
              api_tweet(11, "my thread", at(1), reply_to=("10", *ME)),
              api_tweet(13, "@ann_reader yes", at(3), reply_to=("900", "ann_reader", "42")),
              api_tweet(14, "@ann_reader no id", at(4), reply_to=("", "", "42")),
              api_tweet(15, "RT @sam_bakes: loaf", at(5))]
    archive = write_modern(tmp_path / "a", tweets)
    assert sorted(e.source_id for e in read(archive, no_retweets=True)[0]) == [
        "10", "11", "13", "14"]
    entries, context = read(archive, no_replies=True)
    assert sorted(e.source_id for e in entries) == ["10", "11", "15"]
    assert context.total == 3
    assert sorted(e.source_id for e in read(archive, no_replies=True, no_retweets=True)[0]) == [
        "10", "11"]


def test_edited_tweet_imported_once_as_last_version(tmp_path: Path) -> None:
    edits = {"initial": {"editTweetIds": ["70", "71"], "editsRemaining": "4"}}
    later = {"edit": {"initialTweetId": "70", "editControlInitial": {"editTweetIds": ["70", "71"]}}}
    tweets = [api_tweet(70, "tpyo", at(0), extra={"edit_info": edits}),
              api_tweet(71, "typo fixed", at(1), extra={"edit_info": later})]
    entries, context = read(write_modern(tmp_path / "a", tweets))
    assert [(e.source_id, e.body) for e in entries] == [("71", "typo fixed")]
    assert context.total == 1


def test_numbers_as_ints_and_no_manifest(tmp_path: Path) -> None:
    archive = write_modern(tmp_path / "a", [api_tweet(3, "ints", at(0), strings=False)],
                           manifest=False)
    entries, _ = read(archive)
    assert [(e.source_id, e.url) for e in entries] == [
        ("3", "https://twitter.com/robin_example/status/3")]


def test_bad_record_skipped_or_strict(tmp_path: Path) -> None:
    tweets = [api_tweet(1, "good", at(0)), {"id_str": "x", "full_text": "no date"}]
    archive = write_modern(tmp_path / "a", tweets)
    entries, context = read(archive)
    assert [e.source_id for e in entries] == ["1"]
    assert len(context.skipped) == 1
    assert context.skipped[0][0].endswith("data/tweets.js record 2")
    strict = ImportContext(timezone=timezone.utc, strict=True)
    with pytest.raises(Exception, match="record 2"):
        list(TwitterImporter().read(str(archive), strict))


def test_progress_total_adds_up_over_several_archives(tmp_path: Path) -> None:
    first = write_modern(tmp_path / "a", [api_tweet(n, "x", at(n)) for n in range(1, 4)])
    second = write_modern(tmp_path / "b.zip", [api_tweet(n, "y", at(n)) for n in range(10, 12)],
                          as_zip=True)
    context = ImportContext(timezone=timezone.utc)
    importer = TwitterImporter()
    assert len(list(importer.read(str(first), context))) == 3
    assert context.total == 3
    assert len(list(importer.read(str(second), context))) == 2
    assert context.total == 5


def test_thread_roots_of_a_long_chain_a_cycle_and_a_lone_tweet() -> None:
    from archiver.importers.twitter.convert import Threads

    threads = Threads()
    for number in range(1, 20001):  # 20,000 replies, each to the one before
        threads.add(str(number), str(number - 1) if number > 1 else "")
    threads.add("30001", "30002")  # a cycle of two, and a reply into it
    threads.add("30002", "30001")
    threads.add("30003", "30002")
    threads.add("40000", "")
    threads.finish()
    assert [threads.root_of(str(n)) for n in (20000, 1, 2, 10000)] == ["1", "1", "1", "1"]
    assert [threads.root_of(str(n)) for n in (30001, 30002, 30003)] == ["30002", "30001", "30001"]
    assert threads.root_of("40000") == ""
