"""Importing an item again, from a newer or an older export: nothing the person hid comes back
(deleted tweets, private posts, comments marked spam, text removed from a post), no approved
comment is lost, and a file of the wrong kind is refused instead of imported half-right."""

from __future__ import annotations

import zipfile
from datetime import datetime, timezone
from pathlib import Path

from twitter_archive import START, api_tweet, write_modern

from archiver import frontmatter
from archiver.model import Comment, Entry
from archiver.store import merge

DATE = datetime(2010, 12, 14, 21, 0, tzinfo=timezone.utc)


def wxr(body: str, status: str = "publish", comments: str = "") -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Blog</title><link>https://example.com/</link><wp:wxr_version>1.2</wp:wxr_version>
<item><title>Hello</title><link>https://example.com/hello/</link>
<content:encoded><![CDATA[{body}]]></content:encoded>
<wp:post_id>1</wp:post_id><wp:post_date_gmt>2020-01-05 10:00:00</wp:post_date_gmt>
<wp:post_name>hello</wp:post_name><wp:status>{status}</wp:status><wp:post_type>post</wp:post_type>
{comments}</item></channel></rss>
"""


def wxr_comment(number: int, author: str, approved: str) -> str:
    return f"""<wp:comment><wp:comment_id>{number}</wp:comment_id>
<wp:comment_author>{author}</wp:comment_author>
<wp:comment_date_gmt>2020-01-0{number} 12:00:00</wp:comment_date_gmt>
<wp:comment_content>Words of {author}</wp:comment_content>
<wp:comment_approved>{approved}</wp:comment_approved></wp:comment>"""


def the_post(site: Path) -> Entry:
    path = site / "content/posts/2020/hello.md"
    return frontmatter.loads(path.read_text("utf-8"), "posts/2020/hello.md")


def import_file(run_cli, site: Path, kind: str, name: str, text: str) -> str:
    export = site.parent / name
    export.write_text(text, "utf-8")
    result = run_cli("import", kind, "--no-download", export, site=site)
    assert result.exit_code == 0, result.output
    return result.output


def test_a_newer_export_removes_text_and_comments_now_spam(site: Path, run_cli) -> None:
    first = wxr("<p>Hello.</p><p>I live at 1 Secret Lane.</p>",
                comments=wxr_comment(1, "Ann", "1") + wxr_comment(2, "Bob", "1"))
    import_file(run_cli, site, "wordpress", "v1.xml", first)
    assert [c.author for c in the_post(site).comments] == ["Ann", "Bob"]
    newer = wxr("<p>Hello.</p>", comments=wxr_comment(1, "Ann", "1") + wxr_comment(2, "Bob", "spam"))
    import_file(run_cli, site, "wordpress", "v2.xml", newer)
    post = the_post(site)
    assert post.body == "Hello."
    assert [c.author for c in post.comments] == ["Ann"]
    assert "withdrawn" not in (site / "content/posts/2020/hello.md").read_text("utf-8")


def test_a_post_made_private_stays_private_whatever_is_imported_after(site: Path, run_cli) -> None:
    import_file(run_cli, site, "wordpress", "new.xml", wxr("<p>Hello.</p>", status="private"))
    import_file(run_cli, site, "wordpress", "old.xml", wxr("<p>Hello.</p>", status="publish"))
    assert the_post(site).status == "private"


def test_a_deleted_tweet_is_not_brought_back_by_an_older_archive(tmp_path: Path, site: Path,
                                                                  run_cli) -> None:
    kept, regretted = api_tweet(1001, "still here", START), api_tweet(1002, "regretted", START)
    newer = write_modern(tmp_path / "newer.zip", [kept], deleted=[regretted], as_zip=True)
    older = write_modern(tmp_path / "older.zip", [kept, regretted], as_zip=True)
    for archive in (newer, older):
        result = run_cli("import", "twitter", archive, site=site)
        assert result.exit_code == 0, result.output
    regretted_file = next((site / "content/tweets").rglob("1002.md"))
    assert "status: deleted\n" in regretted_file.read_text("utf-8")


def test_comments_without_ids_are_merged_by_author_and_date() -> None:
    def comment(author: str, day: int, kind: str = "comment", id: str = "") -> Comment:
        return Comment(author=author, body=f"by {author}", date=DATE.replace(day=day), kind=kind, id=id)

    post = Entry(kind="post", date=DATE, title="T", body="B", source="movabletype", source_id="x")
    # an earlier import numbered comments by their place in the file: 1 was Ann there
    numbered = post.with_changes(comments=(comment("Ann", 1, id="1"), comment("Pinger", 3, "pingback", "2")))
    newer = post.with_changes(comments=(comment("Ann", 1), comment("Cat", 2), comment("Pinger", 3, "pingback")))
    merged = merge(numbered, newer)
    assert [(c.author, c.id) for c in merged.comments] == [("Ann", ""), ("Cat", ""), ("Pinger", "")]
    older = post.with_changes(comments=(comment("Ann", 1), comment("Pinger", 3, "pingback")))
    assert merge(merged, older).comments == merged.comments  # an older export loses nothing
    with_ids = post.with_changes(comments=(comment("Ann", 1, id="7"),))
    other_id = post.with_changes(comments=(comment("Ann", 1, id="8"),))
    assert [c.id for c in merge(with_ids, other_id).comments] == ["7", "8"]  # two comments


def test_a_tweet_keeps_its_longer_text_and_a_post_takes_the_new_one() -> None:
    tweet = Entry(kind="tweet", date=DATE, body="the full note tweet text", source="twitter",
                  source_id="5")
    assert merge(tweet, tweet.with_changes(body="the full…")).body == "the full note tweet text"
    post = Entry(kind="post", date=DATE, title="T", body="Long text with an address.",
                 source="wordpress", source_id="b/1")
    assert merge(post, post.with_changes(body="Short text.")).body == "Short text."
    assert merge(post, post.with_changes(body="")).body == "Long text with an address."


def test_a_wordpress_export_is_refused_as_a_feed_and_a_feed_as_an_export(site: Path, run_cli) -> None:
    export = site.parent / "export.xml"
    export.write_text(wxr("<p>Hi</p>", status="private"), "utf-8")
    as_feed = run_cli("import", "feed", "--no-download", export, site=site)
    assert as_feed.exit_code == 1
    assert "this is a WordPress export (WXR), not a feed" in as_feed.output
    as_blogger = run_cli("import", "blogger", "--no-download", export, site=site)
    assert as_blogger.exit_code == 1
    assert "not a Blogger export: no Atom <entry> in it" in as_blogger.output
    feed = site.parent / "feed.rss"
    feed.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>'
                    "<item><title>A</title><link>https://example.com/a</link>"
                    "<pubDate>Tue, 05 Jan 2021 10:00:00 GMT</pubDate></item></channel></rss>")
    as_export = run_cli("import", "wordpress", "--no-download", feed, site=site)
    assert as_export.exit_code == 1
    assert "not a WordPress export: its items have no WordPress fields" in " ".join(as_export.output.split())
    assert list((site / "content").rglob("*.md")) == []


def test_a_damaged_member_of_a_twitter_zip_is_a_one_line_error(tmp_path: Path, site: Path,
                                                               run_cli) -> None:
    good = write_modern(tmp_path / "good.zip", [api_tweet(1001, "words " * 2000, START)], as_zip=True)
    damaged = tmp_path / "damaged.zip"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(damaged, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info), compress_type=zipfile.ZIP_DEFLATED)
    data = bytearray(damaged.read_bytes())
    with zipfile.ZipFile(damaged) as archive:
        info = next(i for i in archive.infolist() if i.filename.endswith("tweets.js"))
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start + 10:start + 40] = bytes(30)  # inside the compressed tweets.js, past its header
    damaged.write_bytes(bytes(data))
    result = run_cli("import", "twitter", damaged, site=site)
    assert result.exit_code == 1
    assert "tweets.js: cannot read (" in result.output
    assert "download it again" in result.output and "Traceback" not in result.output


def test_a_relation_that_knows_the_tweet_id_wins_in_either_order() -> None:
    tweet = Entry(kind="retweet", date=DATE, body="RT @Boston_Police: news", source="twitter",
                  source_id="9")
    legacy = tweet.with_changes(retweet_of={"id": "77", "user": "bostonpolice",
                                            "url": "https://twitter.com/bostonpolice/status/77"})
    modern = tweet.with_changes(retweet_of={"user": "Boston_Police",
                                            "url": "https://twitter.com/Boston_Police"})
    assert merge(legacy, modern).retweet_of == legacy.retweet_of
    assert merge(modern, legacy).retweet_of == legacy.retweet_of
    # two archives that both know the id but spell the user differently: what we have stays
    later = tweet.with_changes(retweet_of={"id": "77", "user": "Boston_Police",
                                           "url": "https://twitter.com/Boston_Police/status/77"})
    assert merge(legacy, later).retweet_of == legacy.retweet_of
    assert merge(merge(legacy, later), legacy).retweet_of == legacy.retweet_of


def test_without_its_index_a_reimport_keeps_files_it_cannot_tell_from_edits(site: Path, run_cli) -> None:
    import_file(run_cli, site, "wordpress", "v1.xml", wxr("<p>Hello.</p>"))
    post_file = site / "content/posts/2020/hello.md"
    edited = post_file.read_text("utf-8").replace("title: Hello", "title: Edited by me") + "\nMine.\n"
    post_file.write_text(edited, "utf-8")
    (site / ".archiver/store.json").write_text('{"version": 1, "items": {', "utf-8")  # damaged
    output = import_file(run_cli, site, "wordpress", "v1b.xml", wxr("<p>Hello.</p>"))
    assert post_file.read_text("utf-8") == edited
    assert " kept your edit  1 " in output
    assert "1 files were kept as they are: .archiver/store.json, which records what imports wrote, " \
           "was missing or damaged" in " ".join(output.split())
    (site / ".archiver/store.json").unlink()  # gone: the same
    import_file(run_cli, site, "wordpress", "v1c.xml", wxr("<p>Hello.</p>"))
    assert post_file.read_text("utf-8") == edited


def test_a_file_the_person_moved_is_found_where_they_put_it(tmp_path: Path, site: Path, run_cli) -> None:
    archive = write_modern(tmp_path / "a.zip", [api_tweet(1001, "keep me", START),
                                                api_tweet(1002, "another", START)], as_zip=True)
    assert run_cli("import", "twitter", archive, site=site).exit_code == 0
    original = next((site / "content/tweets").rglob("1001.md"))
    favourites = site / "content/tweets/favourites"
    favourites.mkdir()
    moved = original.rename(favourites / "1001.md")
    again = run_cli("import", "twitter", archive, site=site)
    assert again.exit_code == 0, again.output
    assert " imported        0 " in again.output
    assert [p.relative_to(site / "content").as_posix() for p in sorted((site / "content").rglob("1001.md"))] == [
        "tweets/favourites/1001.md"]
    assert "keep me" in moved.read_text("utf-8")
