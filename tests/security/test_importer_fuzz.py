"""Hypothesis fuzzing of every importer: 500 inputs each, no traceback, only ArchiverError.

Each input is a small valid export (WordPress WXR, Blogger Atom, Movable Type text, RSS and
Atom feeds, a modern Twitter archive) mutated at the byte level (cuts, insertions of markup
and format tokens, duplicated slices, truncation); Twitter also gets tweet records whose
fields hold arbitrary JSON. Every input goes through ``run_import`` into a fresh content/
folder, so the store and the front-matter writer are fuzzed too. Marked slow.
"""

from __future__ import annotations

import json
import re
import shutil
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archiver import importers
from archiver.config import load_config
from archiver.errors import ArchiverError
from archiver.importing import run_import
from archiver.scaffold import create_site
from conftest import REPO_ROOT
from twitter_archive import api_tweet, photo, write_modern

DATA = REPO_ROOT / "tests" / "data"
WXR = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:wp="http://wordpress.org/export/1.2/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Fuzz</title><link>http://fuzz.example</link>
<wp:base_blog_url>http://fuzz.example</wp:base_blog_url>
<item><title>A post</title><link>http://fuzz.example/2010/01/a-post/</link>
<dc:creator>me</dc:creator><category domain="post_tag" nicename="t"><![CDATA[Tag]]></category>
<content:encoded><![CDATA[<p>Hello <a href="http://x.example/">x</a> [caption]cap[/caption]</p>]]></content:encoded>
<wp:post_id>1</wp:post_id><wp:post_date>2010-01-02 03:04:05</wp:post_date>
<wp:post_date_gmt>2010-01-02 03:04:05</wp:post_date_gmt><wp:post_name>a-post</wp:post_name>
<wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
<wp:comment><wp:comment_id>5</wp:comment_id><wp:comment_author>Ann</wp:comment_author>
<wp:comment_author_email>ann@example.org</wp:comment_author_email>
<wp:comment_author_IP>192.0.2.1</wp:comment_author_IP>
<wp:comment_date_gmt>2010-01-03 00:00:00</wp:comment_date_gmt>
<wp:comment_content>Nice</wp:comment_content><wp:comment_approved>1</wp:comment_approved>
<wp:comment_parent>0</wp:comment_parent></wp:comment>
</item></channel></rss>
"""
ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Fuzz</title><id>urn:f</id>
<updated>2010-01-01T00:00:00Z</updated>
<entry><title type="html">An &lt;em&gt;entry&lt;/em&gt;</title><id>urn:f:1</id>
<link href="http://fuzz.example/1"/><published>2010-01-01T00:00:00Z</published>
<updated>2010-01-02T00:00:00Z</updated><category term="t"/>
<content type="html">&lt;p&gt;Body&lt;/p&gt;</content></entry></feed>
"""
RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Fuzz</title>
<link>http://fuzz.example/</link><item><title>One</title><link>http://fuzz.example/1</link>
<guid>http://fuzz.example/1</guid><pubDate>Mon, 01 Mar 2010 10:00:00 +0000</pubDate>
<category>t</category><description>&lt;p&gt;Hello&lt;/p&gt;</description></item></channel></rss>
"""
TOKENS = [b"<", b">", b"&", b"&amp;", b"&#0;", b"]]>", b"<![CDATA[", b"\x00", b"\xff", b"\xc3",
          b"-----\n", b"--------\n", b"DATE: ", b"TITLE: ", b"COMMENT:\n", b"<item>", b"</item>",
          b"<entry>", b"</entry>", b"<wp:post_date>", b'"', b"'", b"{", b"}", b"[", b"]", b",",
          b":", b"null", b"1e999", b"-1", b"99999999999999999999", b"\n", b"\r", b"<!--", b"-->",
          b"<?xml", b"\xef\xbb\xbf", b"0000-00-00 00:00:00", b"2010-13-45T99:99:99Z"]
MUTATIONS = ("cut", "insert", "duplicate", "truncate", "replace")


FIELD_VALUES = ["", " ", "0", "-1", "1", "publish", "draft", "pending", "private", "trash", "spam",
                "future", "inherit", "post", "page", "attachment", "nav_menu_item", "revision",
                "0000-00-00 00:00:00", "2010-02-30 25:61:61", "9999-12-31 23:59:59", "1969-12-31",
                "Mon, 32 Foo 2010 99:99:99 +9999", "2010-01-01T00:00:00+25:00", "http://", "//x",
                "javascript:alert(1)", "../../../etc/passwd", "<script>alert(1)</script>", "\u202e",
                "a" * 300, "POST", "COMMENT", "LIVE", "DRAFT", "SPAM", "tag:x,1:post-1"]
_TEXT_SPAN = re.compile(rb">([^<>]*)<")


@st.composite
def field_mutated(draw: st.DrawFn, base: bytes) -> bytes:
    """Well-formed XML with the text of 1-3 elements replaced (dates, ids, statuses ...)."""
    spans = [m.span(1) for m in _TEXT_SPAN.finditer(base)]
    chosen = sorted(draw(st.lists(st.sampled_from(spans), min_size=1, max_size=3, unique=True)),
                    reverse=True)
    data = base
    for start, end in chosen:
        value = draw(st.sampled_from(FIELD_VALUES) | st.text(max_size=30))
        data = data[:start] + xml_escape(value).encode("utf-8", "surrogatepass") + data[end:]
    return data


@st.composite
def mutated(draw: st.DrawFn, base: bytes) -> bytes:
    if base.startswith(b"<?xml") and draw(st.booleans()):
        return draw(field_mutated(base))
    data = bytearray(base)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        operation = draw(st.sampled_from(MUTATIONS))
        at = draw(st.integers(min_value=0, max_value=len(data)))
        if operation == "cut":
            del data[at:at + draw(st.integers(min_value=1, max_value=40))]
        elif operation == "insert":
            data[at:at] = draw(st.sampled_from(TOKENS) | st.binary(min_size=1, max_size=8))
        elif operation == "duplicate":
            data[at:at] = data[at:at + draw(st.integers(min_value=1, max_value=80))]
        elif operation == "truncate":
            del data[at:]
        else:
            data[at:at + 1] = draw(st.sampled_from(TOKENS))
    return bytes(data)


class Runner:
    """Imports one input into a fresh content/ folder; only ArchiverError may come out."""

    def __init__(self, root: Path, name: str, **options: Any) -> None:
        self.site = root / "site"
        create_site(self.site, title="Fuzz")
        self.config = load_config(self.site)
        self.importer = importers.load(name)(**options)
        self.input = root / "input"
        self.count = 0  # inputs tried
        self.imported = 0  # inputs of which at least one item was saved

    def run(self, source: Path) -> None:
        shutil.rmtree(self.site / "content", ignore_errors=True)
        shutil.rmtree(self.site / ".archiver", ignore_errors=True)
        try:
            report = run_import(self.config, self.importer, [str(source)])
        except ArchiverError as error:
            assert str(error)
        else:
            self.imported += sum(report.counts.values()) > 0
        self.count += 1


def fuzz_settings() -> settings:
    return settings(max_examples=500, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.function_scoped_fixture])


@pytest.mark.slow
@pytest.mark.parametrize("name, base, options, suffix", [
    ("wordpress", WXR, {"no_download": True}, ".xml"),
    ("blogger", (DATA / "blogger/takeout-feed.atom").read_bytes(), {"no_download": True}, ".atom"),
    ("movabletype", (DATA / "movabletype/multi-entry.txt").read_bytes(), {}, ".txt"),
    ("feed", RSS, {"no_download": True}, ".rss"),
    ("feed", ATOM, {"no_download": True}, ".atom"),
], ids=["wordpress", "blogger", "movabletype", "feed-rss", "feed-atom"])
def test_mutated_exports_never_crash(tmp_path: Path, name: str, base: bytes,
                                     options: dict[str, Any], suffix: str) -> None:
    runner = Runner(tmp_path, name, **options)
    source = runner.input.with_suffix(suffix)

    @fuzz_settings()
    @given(data=mutated(base))
    def check(data: bytes) -> None:
        source.write_bytes(data)
        runner.run(source)

    check()
    assert runner.count >= 400 and runner.imported >= 50, (runner.count, runner.imported)


WHEN = datetime(2015, 3, 1, 12, tzinfo=timezone.utc)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8)
TWEET_FIELDS = ["id_str", "id", "created_at", "full_text", "entities", "in_reply_to_status_id_str",
                "in_reply_to_screen_name", "extended_entities", "retweeted_status", "display_text_range",
                "edit_info", "source", "lang"]


@st.composite
def hostile_tweets(draw: st.DrawFn) -> list[Any]:
    records: list[Any] = []
    for number in range(draw(st.integers(min_value=1, max_value=3))):
        tweet = api_tweet(100 + number, f"Tweet {number} https://t.co/p #tag", WHEN,
                          media=[photo(100 + number, "https://t.co/p", "a.jpg")],
                          hashtags=["tag"], reply_to=("99", "me", "1000") if number else None)
        for field in draw(st.lists(st.sampled_from(TWEET_FIELDS), max_size=3, unique=True)):
            tweet[field] = draw(json_values)
        records.append({"tweet": tweet} if draw(st.booleans()) or number else draw(json_values))
    return records


@pytest.mark.slow
def test_hostile_twitter_archives_never_crash(tmp_path: Path) -> None:
    runner = Runner(tmp_path, "twitter")
    folder = write_modern(tmp_path / "archive", [api_tweet(1, "seed", WHEN)],
                          media={"100-a.jpg": b"JPEG", "101-a.jpg": b"JPEG"})
    tweets_js = folder / "data/tweets.js"
    valid = tweets_js.read_bytes()

    @fuzz_settings()
    @given(records=hostile_tweets(), raw=st.none() | mutated(valid))
    def check(records: list[Any], raw: bytes | None) -> None:
        text = "window.YTD.tweets.part0 = " + json.dumps(records, ensure_ascii=False)
        tweets_js.write_bytes(raw if raw is not None else text.encode("utf-8"))
        runner.run(folder)

    check()
    assert runner.count >= 400 and runner.imported >= 50, (runner.count, runner.imported)


@pytest.mark.slow
def test_hostile_legacy_twitter_archives_never_crash(tmp_path: Path) -> None:
    """Grailbird month files and tweets.csv, mutated, with arbitrary JSON in tweet fields."""
    from twitter_archive import grailbird_tweet, write_grailbird

    runner = Runner(tmp_path, "twitter")
    header = ["tweet_id", "in_reply_to_status_id", "in_reply_to_user_id", "timestamp", "source",
              "text", "retweeted_status_id", "retweeted_status_user_id", "retweeted_status_timestamp",
              "expanded_urls"]
    rows = [header, ["900", "", "", "2014-01-01 10:00:00 +0000", "web", "From the CSV", "", "", "", ""]]
    folder = write_grailbird(tmp_path / "legacy", [grailbird_tweet(api_tweet(1, "seed", WHEN))],
                             csv_rows=rows)
    month = folder / "data/js/tweets/2015_03.js"
    csv_file = folder / "tweets.csv"
    valid_month, valid_csv = month.read_bytes(), csv_file.read_bytes()

    @fuzz_settings()
    @given(records=hostile_tweets(), raw=st.none() | mutated(valid_month),
           csv=st.none() | mutated(valid_csv))
    def check(records: list[Any], raw: bytes | None, csv: bytes | None) -> None:
        legacy = [grailbird_tweet(r["tweet"]) if isinstance(r, dict) and isinstance(r.get("tweet"), dict)
                  and isinstance(r["tweet"].get("created_at"), str) and isinstance(r["tweet"].get("id_str"), str)
                  and r["tweet"]["id_str"].isdigit() and _api_date(r["tweet"]["created_at"]) else r
                  for r in records]
        text = "Grailbird.data.tweets_2015_03 = " + json.dumps(legacy, ensure_ascii=False)
        month.write_bytes(raw if raw is not None else text.encode("utf-8"))
        csv_file.write_bytes(csv if csv is not None else valid_csv)
        runner.run(folder)

    check()
    assert runner.count >= 400 and runner.imported >= 50, (runner.count, runner.imported)


def _api_date(value: str) -> bool:
    try:
        datetime.strptime(value, "%a %b %d %H:%M:%S %z %Y")
    except ValueError:
        return False
    return True
