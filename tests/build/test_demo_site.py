"""The demo site at the repository root builds every kind of page; a few pages are golden files.

Golden files live in tests/build/golden/. After an intended change to the theme or the demo
content, regenerate them with ``UPDATE_GOLDEN=1 pytest tests/build/test_demo_site.py`` and
review the diff before committing.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest


GOLDEN = Path(__file__).parent / "golden"
GOLDEN_PAGES = [
    "tweets/2400000001/index.html",        # the first tweet of a thread shows the whole thread
    "2007/06/hello-again-world/index.html",  # a post with a threaded comment
    "2013/04/index.html",                  # a month archive with a 2-photo tweet
    "2007/06/hello-again-world.html",      # redirect page for an old Blogger-style URL
    "feed.json",
]


def test_demo_has_every_page_type(demo_public: Path) -> None:
    pages = sorted(p.relative_to(demo_public).as_posix() for p in demo_public.rglob("*.html"))
    assert len(pages) >= 20
    for expected in ("index.html", "page/2/index.html", "404.html", "tags/index.html",
                     "tags/baking/index.html", "tags/open-web/index.html",
                     "2007/index.html", "2013/index.html", "2009/06/index.html",
                     "about/index.html", "2008/07/a-ride-to-the-coast/index.html",
                     "tweets/2400000004/index.html"):
        assert expected in pages, expected
    for name in ("feed.xml", "feed.json", "sitemap.xml", "static/style.css",
                 "media/posts/2008/coast-road.png",
                 "media/tweets/2013/330000019999-beans.png"):
        assert (demo_public / name).is_file(), name


def test_demo_shows_the_thread_image_and_comments(demo_public: Path) -> None:
    thread = (demo_public / "tweets/2400000001/index.html").read_text("utf-8")
    assert "A thread of 4 tweets" in thread
    assert thread.count('class="h-entry tweet') == 4
    ride = (demo_public / "2008/07/a-ride-to-the-coast/index.html").read_text("utf-8")
    assert ('<img alt="The road down to the sea, early morning" '
            'src="../../../media/posts/2008/coast-road.png"') in ride
    post = (demo_public / "2007/06/hello-again-world/index.html").read_text("utf-8")
    assert "2 responses" in post and 'class="comment-replies"' in post


def test_demo_never_publishes_the_deleted_tweet(demo_public: Path) -> None:
    assert not (demo_public / "tweets/410000024444").exists()
    for path in demo_public.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".xml", ".json"}:
            assert "Deleted tweet that should never show" not in path.read_text("utf-8"), path


@pytest.mark.parametrize("page", GOLDEN_PAGES)
def test_golden_pages(demo_public: Path, page: str) -> None:
    golden = GOLDEN / page.replace("/", "__")
    actual = (demo_public / page).read_text("utf-8")
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, "utf-8")
    if not golden.exists():
        pytest.fail(f"no golden file {golden.name}: run UPDATE_GOLDEN=1 pytest {__file__}")
    assert actual == golden.read_text("utf-8"), (
        f"{page} differs from {golden}; if the change is intended, regenerate with UPDATE_GOLDEN=1")
