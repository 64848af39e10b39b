"""What a file of content/ cannot hold never reaches it as it is: an item dated outside what
every time zone can show (an export's 0001-01-01) is skipped with its reason (``--strict``
stops), such a comment keeps no date, and half an emoji (a lone surrogate) becomes U+FFFD."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from archiver.model import showable_date


def wxr(post_date: str, comment_date: str) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Blog</title><link>https://example.com/</link><wp:wxr_version>1.2</wp:wxr_version>
<item><title>Hello</title><link>https://example.com/hello/</link>
<content:encoded><![CDATA[Hi]]></content:encoded>
<wp:post_id>1</wp:post_id><wp:post_date_gmt>{post_date}</wp:post_date_gmt>
<wp:post_name>hello</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
<wp:comment><wp:comment_id>5</wp:comment_id><wp:comment_author>Bob</wp:comment_author>
<wp:comment_date_gmt>{comment_date}</wp:comment_date_gmt>
<wp:comment_content>Nice</wp:comment_content><wp:comment_approved>1</wp:comment_approved>
</wp:comment></item></channel></rss>
"""


def test_showable_dates_stay_a_day_inside_what_python_can_hold() -> None:
    utc = timezone.utc
    assert showable_date(datetime(2010, 1, 1, tzinfo=utc))
    assert showable_date(datetime(1, 1, 2, tzinfo=utc))
    assert not showable_date(datetime(1, 1, 1, 23, tzinfo=utc))
    assert not showable_date(datetime(1, 1, 2, 5, tzinfo=timezone(timedelta(hours=14))))
    assert not showable_date(datetime(9999, 12, 31, tzinfo=utc))


def test_a_post_dated_year_one_is_skipped_with_its_reason(site: Path, run_cli) -> None:
    export = site / "export.xml"
    export.write_text(wxr("0001-01-01 00:00:00", "2010-01-02 10:00:00"), "utf-8")
    result = run_cli("import", "wordpress", export, site=site)
    assert result.exit_code == 0, result.output
    assert " imported        0 " in result.output and " skipped         1 " in result.output
    unwrapped = " ".join(result.output.split())  # the report wraps long lines
    assert "export.xml: post 'Hello': its date (0001-01-01) is out of range" in unwrapped
    assert list((site / "content").rglob("*.md")) == []
    strict = run_cli("import", "wordpress", export, "--strict", site=site)
    assert strict.exit_code == 1
    assert "its date (0001-01-01) is out of range" in strict.output


def test_a_comment_dated_year_9999_keeps_no_date_and_the_site_builds(site: Path, run_cli) -> None:
    export = site / "export.xml"
    export.write_text(wxr("2010-01-01 10:00:00", "9999-12-31 23:59:59"), "utf-8")
    result = run_cli("import", "wordpress", export, site=site)
    assert " imported        1 " in result.output
    assert (site / "content/posts/2010/hello.md").read_text("utf-8") == (
        "---\ntitle: Hello\ndate: 2010-01-01T10:00:00+00:00\nsource: wordpress\n"
        "source_id: example.com/1\nurl: https://example.com/hello/\naliases:\n- /hello/\n- /?p=1\n"
        "slug: hello\ncomments:\n- author: Bob\n"
        "  kind: comment\n  id: '5'\n  body: Nice\n---\nHi")
    assert run_cli("build", site=site).exit_code == 0


def test_a_tweet_whose_date_leaves_the_range_in_utc_is_skipped_with_its_reason(site: Path, run_cli) -> None:
    from twitter_archive import api_tweet, write_modern

    when = datetime(2015, 3, 1, 12, tzinfo=timezone.utc)
    far = api_tweet(2, "Too old", when)
    far["created_at"] = "Mon Jan 01 00:00:00 +0100 0001"  # 31 December of year 0 in UTC
    archive = write_modern(site / "archive", [api_tweet(1, "Fine", when), far])
    result = run_cli("import", "twitter", archive, site=site)
    assert result.exit_code == 0, result.output
    assert " imported        1 " in result.output and " skipped         1 " in result.output
    assert "date out of range 'Mon Jan 01 00:00:00 +0100 0001'" in " ".join(result.output.split())
    assert [path.name for path in (site / "content").rglob("*.md")] == ["1.md"]


def test_a_tweet_cut_inside_an_emoji_keeps_its_text_with_a_replacement_character(site: Path, run_cli) -> None:
    from twitter_archive import api_tweet, write_modern

    when = datetime(2015, 3, 1, 12, tzinfo=timezone.utc)
    archive = write_modern(site / "archive", [api_tweet(1, "Cut HALF", when),
                                             api_tweet(2, "Tag #aHALFb", when, hashtags=["aHALFb"])])
    tweets_js = archive / "data/tweets.js"  # JSON can say half a surrogate pair; UTF-8 cannot
    tweets_js.write_text(tweets_js.read_text("utf-8").replace("HALF", "\\ud83d"), "utf-8")
    result = run_cli("import", "twitter", archive, site=site)
    assert " imported        2 " in result.output, result.output
    assert (site / "content/tweets/2015/03/1.md").read_text("utf-8").endswith("---\nCut \ufffd")
    assert "tags:\n- a\ufffdb\n" in (site / "content/tweets/2015/03/2.md").read_text("utf-8")
    again = run_cli("import", "twitter", archive, site=site)
    assert " unchanged       2 " in again.output, again.output
