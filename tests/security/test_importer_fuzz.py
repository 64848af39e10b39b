"""Hypothesis fuzzing of every importer: 500 inputs each, no traceback, only ArchiverError.

Each input is a small valid export (WordPress WXR, Blogger Atom, Movable Type text, RSS and
Atom feeds, a modern Twitter archive) mutated at the byte level (cuts, insertions of markup
and format tokens, duplicated slices, truncation); Twitter also gets tweet records whose
fields hold arbitrary JSON. Every input goes through ``run_import`` into a fresh content/
folder, so the store and the front-matter writer are fuzzed too. Marked slow.
"""

from __future__ import annotations

import json
import shutil
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

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


@st.composite
def mutated(draw: st.DrawFn, base: bytes) -> bytes:
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
        self.count = 0

    def run(self, source: Path) -> None:
        shutil.rmtree(self.site / "content", ignore_errors=True)
        shutil.rmtree(self.site / ".archiver", ignore_errors=True)
        try:
            run_import(self.config, self.importer, [str(source)])
        except ArchiverError as error:
            assert str(error)
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
    assert runner.count >= 400


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
    assert runner.count >= 400
