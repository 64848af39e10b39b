"""A site built from an imported 20,000-tweet archive: a page per tweet, a page per hashtag;
`archiver check` passes and search finds a tweet by a word from its text."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from archiver.build.pipeline import build
from archiver.check import check_site
from archiver.config import load_config
from archiver.importers.twitter import TwitterImporter
from archiver.importing import run_import
from archiver.paths import slugify
from archiver.store import Outcome
from test_search import search_site
from twitter_archive import write_modern_archive

N = 20_000


@pytest.mark.slow
def test_site_from_20000_tweet_archive(site: Path, tmp_path: Path) -> None:
    archive = tmp_path / "twitter.zip"
    stats = write_modern_archive(archive, N, as_zip=True, seed=0, deleted=3)
    report = run_import(load_config(site), TwitterImporter(), [str(archive)])
    assert report.counts == {Outcome.IMPORTED: N + 3}
    assert report.skipped == []

    build(load_config(site))
    public = site / "public"
    tweet_pages = {p.parent.name for p in (public / "tweets").glob("*/index.html")}
    assert len(tweet_pages) == N
    assert not {str(5_000_000 + i) for i in range(3)} & tweet_pages  # deleted: never built
    tag_pages = {p.parent.name for p in (public / "tags").glob("*/index.html")}
    assert tag_pages == {slugify(tag) for tag in stats.tags or ()}
    media = list((public / "media/tweets").rglob("*.png"))
    assert len(media) == stats.photos

    report = check_site(load_config(site))
    assert report.pages > N and report.problems == []
    if shutil.which("node") is not None:
        assert_search_finds_a_tweet(site, tmp_path)


def assert_search_finds_a_tweet(site: Path, tmp_path: Path) -> None:
    """A number that only one tweet's link shows finds that tweet first. Pagefind also matches
    longer words it starts, in each part of the index (one per year here), so others follow;
    each page comes once."""
    numbers: dict[str, list[str]] = {}
    for path in sorted((site / "content/tweets").rglob("*.md")):
        for number in set(re.findall(r"example\.com/(\d{4,})/", path.read_text("utf-8"))):
            numbers.setdefault(number, []).append(path.stem)
    word, (tweet_id,) = next((n, ids) for n, ids in numbers.items() if len(ids) == 1)
    (found,) = search_site(site, tmp_path, [(word, {})], timeout=120)
    urls = [url for url, _title in found]
    assert urls[0] == f"/tweets/{tweet_id}/index.html"
    assert len(urls) == len(set(urls))
