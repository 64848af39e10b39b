"""The default theme's reader-facing details: Open Graph tags on every page, names for photos
without a description, landmarks and the skip link, the favicon."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from archiver.build.pipeline import build
from archiver.config import load_config
from archiver.scaffold import create_site
from sitegen import TWEET, small_site, write


def _build(root: Path, base_url: str = "https://example.org/blog/") -> Path:
    config = root / "site.yaml"
    config.write_text(config.read_text("utf-8") + f"search: false\nbase_url: '{base_url}'\n",
                      "utf-8")
    return build(load_config(root)).output


def _meta(html: str) -> dict[str, str]:
    tags = re.findall(r'<meta property="(og:[\w:]+)" content="([^"]*)">', html)
    canonical = re.findall(r'<link rel="canonical" href="([^"]*)">', html)
    return {**dict(tags), **({"canonical": canonical[0]} if canonical else {})}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One build shared by the tests that only read its output."""
    root = tmp_path_factory.mktemp("theme") / "site"
    create_site(root, title="Test site", author="Tester")
    small_site(root)
    write(root, "tweets/2012/05/700.md", TWEET.format(
        date="2012-05-01T10:00:00+00:00", sid="700",
        extra="media:\n- {path: media/tweets/2012/700-a.png, alt: A red loaf, type: image}\n"
              "- {path: media/tweets/2012/700-b.png, type: image}\n",
        body="Two loaves"))
    for name in ("700-a.png", "700-b.png"):
        (root / "content/media/tweets/2012").mkdir(parents=True, exist_ok=True)
        (root / "content/media/tweets/2012" / name).write_bytes(b"\x89PNG test")
    return _build(root)


def test_list_pages_have_open_graph_tags_and_a_canonical_url(built: Path) -> None:
    assert _meta((built / "index.html").read_text("utf-8")) == {
        "og:title": "Test site", "og:type": "website", "og:site_name": "Test site",
        "canonical": "https://example.org/blog/", "og:url": "https://example.org/blog/"}
    tag = _meta((built / "tags" / "open-web" / "index.html").read_text("utf-8"))
    assert tag["og:title"] == "Tagged “Open Web” · Test site"
    assert tag["og:url"] == tag["canonical"] == "https://example.org/blog/tags/open-web/"
    day = _meta((built / "on-this-day" / "12-14" / "index.html").read_text("utf-8"))
    assert day["og:url"] == "https://example.org/blog/on-this-day/12-14/"
    assert day["og:title"] == "On this day, 14 December · Test site"


def test_entry_pages_are_articles_with_their_first_photo(built: Path) -> None:
    tweet = _meta((built / "tweets" / "700" / "index.html").read_text("utf-8"))
    assert tweet == {
        "og:title": "Two loaves", "og:type": "article", "og:description": "Two loaves",
        "og:site_name": "Test site", "og:url": "https://example.org/blog/tweets/700/",
        "canonical": "https://example.org/blog/tweets/700/",
        "og:image": "https://example.org/blog/media/tweets/2012/700-a.png",
        "og:image:alt": "A red loaf"}


def test_not_found_page_claims_no_url(built: Path) -> None:
    meta = _meta((built / "404.html").read_text("utf-8"))
    assert meta["og:title"] == "Not found · Test site"
    assert "og:url" not in meta and "canonical" not in meta


def test_without_base_url_there_are_no_absolute_urls(site: Path) -> None:
    out = _build(small_site(site), base_url="")
    meta = _meta((out / "tags" / "index.html").read_text("utf-8"))
    assert meta == {"og:title": "Tags · Test site", "og:type": "website",
                    "og:site_name": "Test site"}


def test_photos_without_a_description_still_have_a_name(built: Path) -> None:
    html = (built / "tweets" / "700" / "index.html").read_text("utf-8")
    assert re.findall(r'<img class="u-photo" src="[^"]+" alt="([^"]*)"', html) == [
        "A red loaf", "Photo 2 of 2, no description"]


def test_every_page_has_landmarks_a_skip_link_and_the_favicon(built: Path) -> None:
    pages = [p for p in built.rglob("*.html") if "<meta http-equiv=\"refresh\"" not in
             p.read_text("utf-8")]
    assert len(pages) >= 20
    for page in pages:
        html = page.read_text("utf-8")
        assert html.count('<a class="skip-link" href="#main">') == 1, page
        assert html.count('<main id="main" tabindex="-1">') == 1, page
        assert '<header class="site-header">' in html and '<footer class="site-footer">' in html
        icon = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', html)[1]
        # the 404 page is served at any depth, so its links start from the base_url path
        target = built / icon.removeprefix("/blog/") if page.name == "404.html" else page.parent / icon
        assert target.resolve() == built / "static" / "favicon.svg", page


def test_animated_gifs_can_be_paused(site: Path) -> None:
    root = small_site(site)
    write(root, "tweets/2012/06/800.md", TWEET.format(
        date="2012-06-01T10:00:00+00:00", sid="800",
        extra="media: [{path: media/tweets/2012/800.mp4, alt: A dancing loaf, type: gif}]\n",
        body="Look"))
    (root / "content/media/tweets/2012").mkdir(parents=True, exist_ok=True)
    (root / "content/media/tweets/2012/800.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42")
    html = (_build(root) / "tweets" / "800" / "index.html").read_text("utf-8")
    assert re.findall(r"<video [^>]*>", html) == [
        '<video autoplay loop muted playsinline controls src="../../media/tweets/2012/800.mp4"'
        ' aria-label="A dancing loaf">']


def test_the_nav_marks_the_page_being_read(built: Path) -> None:
    def current(rel: str) -> list[str]:
        html = (built / rel).read_text("utf-8")
        return re.findall(r'<a href="[^"]*" aria-current="page">([^<]*)</a>', html)

    assert current("index.html") == ["Timeline"]
    assert current("tags/index.html") == ["Tags"]
    assert current("on-this-day/index.html") == ["On this day"]
    assert current("about/index.html") == ["About"]
    assert current("tags/open-web/index.html") == []
