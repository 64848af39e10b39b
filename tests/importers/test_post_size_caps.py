"""A blog post over ``MAX_POST_CHARS`` is skipped with its size (``--strict``: stops), in each
blog importer; a post of 1 MB (long, but real) is imported. The cap is lowered to 0 here so
that the shared fixtures show it: every post with a body is skipped, the rest are kept."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from archiver.errors import ArchiverError
from archiver.importers import MAX_POST_CHARS, ImportContext, too_long
from archiver.importers import blogger, feed, movabletype, wordpress
from archiver.importers.wordpress import convert
from archiver.importers.wordpress.wxr import WxrChannel, WxrItem

DATA = Path(__file__).resolve().parent.parent / "data"
IMPORTERS = {
    "wordpress": (wordpress, wordpress.WordPressImporter, DATA / "wordpress" / "blog.xml"),
    "blogger": (blogger, blogger.BloggerImporter, DATA / "blogger" / "classic-labels.xml"),
    "movabletype": (movabletype, movabletype.MovableTypeImporter, DATA / "movabletype" / "multi-entry.txt"),
}
OVER_ZERO = re.compile(r"body of [1-9][0-9,]* characters is over the limit of 0$")


def read(importer: Any, path: Path, strict: bool = False) -> tuple[list[Any], ImportContext]:
    context = ImportContext(timezone=ZoneInfo("UTC"), strict=strict)
    items = list(importer(no_download=True).read(str(path), context))
    return [item.entry for item in items], context


def test_the_reason_names_the_size_and_the_limit() -> None:
    assert MAX_POST_CHARS == 10_000_000
    assert too_long("x" * 10, 10, "body") == ""
    assert too_long("x" * 11, 10, "body") == "body of 11 characters is over the limit of 10"
    assert too_long("x" * 1_000_000, MAX_POST_CHARS, "body") == ""  # a long post is a post


@pytest.mark.parametrize("name", list(IMPORTERS))
def test_each_blog_importer_skips_a_post_over_the_cap(name: str, monkeypatch: pytest.MonkeyPatch
                                                      ) -> None:
    module, importer, path = IMPORTERS[name]
    entries, context = read(importer, path)
    with_body = [e for e in entries if e.body.strip()]
    assert with_body, "the fixture has posts with text"
    monkeypatch.setattr(module, "MAX_POST_CHARS", 0)
    kept, capped = read(importer, path)
    assert [e.source_id for e in kept] == [e.source_id for e in entries if not e.body.strip()]
    over = [reason for _, reason in capped.skipped if "over the limit" in reason]
    assert len(over) == len(with_body)
    assert all(OVER_ZERO.search(reason) for reason in over), over
    assert set(context.skipped) <= set(capped.skipped)  # (Blogger: and their comments)
    with pytest.raises(ArchiverError, match="over the limit of 0"):
        read(importer, path, strict=True)


def test_the_feed_importer_skips_an_item_over_the_cap(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "feed.xml"
    path.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>b</title><link>https://b.example/</link>'
        "<item><title>Short</title><link>https://b.example/short/</link>"
        "<pubDate>Mon, 01 Feb 2021 10:00:00 +0000</pubDate><description>hi</description></item>"
        "<item><title>Long</title><link>https://b.example/long/</link>"
        "<pubDate>Tue, 02 Feb 2021 10:00:00 +0000</pubDate><description>"
        + "word " * 20 + "</description></item></channel></rss>", encoding="utf-8")
    monkeypatch.setattr(feed, "MAX_POST_CHARS", 50)
    entries, context = read(feed.FeedImporter, path)
    assert [e.title for e in entries] == ["Short"]
    assert context.skipped == [(f"{path}: item 2 'Long'",
                                "body of 99 characters is over the limit of 50")]


def test_wordpress_leaves_out_an_old_path_that_would_not_load() -> None:
    channel = WxrChannel(base_blog_url="http://ex.org")
    odd = WxrItem(link="http://ex.org/a/../b/", post_id="7", post_type="post")
    assert convert.old_urls(odd, channel, "post") == ("http://ex.org/a/../b/", ("/?p=7",))
