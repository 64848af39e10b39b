"""A site built from an imported 20,000-tweet archive: a page per tweet, a page per hashtag."""

from __future__ import annotations

from pathlib import Path

import pytest

from archiver.build.pipeline import build
from archiver.config import load_config
from archiver.importers.twitter import TwitterImporter
from archiver.importing import run_import
from archiver.paths import slugify
from archiver.store import Outcome
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
