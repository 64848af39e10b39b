"""Every kind of page in a real browser: no console errors or failed requests, no serious
accessibility violations (axe-core) in light and dark mode, no horizontal scroll at 375 px,
a working skip link, and screenshots of each page in test-artifacts/screenshots/.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from browser.helpers import missing_feature, open_page, serious_violations
from browser.sitegen_browser import (PHOTO_TWEET, POST_WITH_COMMENTS, SEARCH_WORD, TAG_PAGE,
                                     THREAD_START, WIDE_POST)

pytestmark = pytest.mark.browser

# name -> path on the site (a folder path; the server answers with its index.html)
PAGES = {
    "home": "/",
    "home-page-2": "/page/2/",
    "post-with-comments": POST_WITH_COMMENTS,
    "wide-post": WIDE_POST,
    "thread": THREAD_START,
    "photo-tweet": PHOTO_TWEET,
    "tag": TAG_PAGE,
    "tags": "/tags/",
    "year": "/2010/",
    "on-this-day": "/on-this-day/#calendar",
    "on-this-day-day": "/on-this-day/03-14/",
    "words": "/words/",
    "stats": "/stats/",
    "search": f"/search/?q={SEARCH_WORD}",
    "not-found": "/404.html",
}
MOBILE = {"width": 375, "height": 740}
DESKTOP = {"width": 1200, "height": 900}
# rules whose outcome can change when the page is narrow
NARROW_RULES = ("scrollable-region-focusable", "target-size", "color-contrast")
# what to wait for before checking a page that builds part of itself in the browser
READY = {"search": ".pagefind-ui__result-link"}  # a result with its data loaded, not its place
LIGHT_BACKGROUND = "rgb(253, 252, 249)"  # --bg in style.css
DARK_BACKGROUND = "rgb(23, 23, 26)"  # --bg under prefers-color-scheme: dark


def background(page: object) -> str:
    return page.evaluate("getComputedStyle(document.body).backgroundColor")


@pytest.fixture(scope="module")
def context(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport=DESKTOP, color_scheme="light")
    yield context
    context.close()


def _require_page(built_site: Path, path: str) -> None:
    target = built_site / path.split("#")[0].split("?")[0].lstrip("/")
    if path.endswith("/") or target.is_dir():
        target = target / "index.html"
    assert target.is_file(), f"the build did not write {target.relative_to(built_site)}"


def page_widths(page: object) -> dict[str, int]:
    return page.evaluate("""() => ({viewport: window.innerWidth,
        document: document.documentElement.scrollWidth, body: document.body.scrollWidth})""")


@pytest.mark.parametrize("name", list(PAGES))
def test_page(name: str, context: object, server: str, built_site: Path, axe_source: str,
              screenshots: Path) -> None:
    """One load per page, then: light desktop, dark desktop, light at 375 px wide."""
    reason = missing_feature(PAGES[name])
    if reason:
        pytest.skip(reason)
    _require_page(built_site, PAGES[name])
    visit = open_page(context, server + PAGES[name])
    page = visit.page
    try:
        if name in READY:
            page.wait_for_selector(READY[name], timeout=10_000)
        assert page.title(), "page has no title"
        assert visit.problems() == [], "errors while loading"
        assert background(page) == LIGHT_BACKGROUND
        assert serious_violations(page, axe_source) == [], "axe, light mode"
        page.screenshot(path=str(screenshots / f"{name}-desktop.png"), full_page=True)

        page.emulate_media(color_scheme="dark")
        assert background(page) == DARK_BACKGROUND
        assert serious_violations(page, axe_source, ("color-contrast",)) == [], "axe, dark"
        page.screenshot(path=str(screenshots / f"{name}-dark.png"))

        page.emulate_media(color_scheme="light")
        page.set_viewport_size(MOBILE)
        assert page_widths(page) == {"viewport": 375, "document": 375, "body": 375}, \
            "horizontal scroll at 375 px"
        assert serious_violations(page, axe_source, NARROW_RULES) == [], "axe, 375 px"
        page.screenshot(path=str(screenshots / f"{name}-mobile.png"), full_page=True)
        assert visit.problems() == [], "errors after the checks"
    finally:
        page.close()
