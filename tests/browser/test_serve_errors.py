"""`archiver serve` in a browser: a change that does not build is shown at the foot of the
open page (the page stays the last good build), and the page reloads once the site builds."""

from __future__ import annotations

from pathlib import Path

import pytest

from archiver.config import load_config
from archiver.scaffold import create_site
from archiver.serve import DevServer
from archiver.servefiles import ERROR_BANNER_ID
from sitegen import small_site

pytestmark = pytest.mark.browser


def test_a_build_error_shows_on_the_open_page_until_it_is_fixed(browser: object, tmp_path: Path) -> None:
    site = tmp_path / "site"
    create_site(site, title="Serve test")
    small_site(site)
    server = DevServer(load_config(site), port=0)
    server.build()
    server.start()
    page = browser.new_page()  # type: ignore[attr-defined]
    try:
        page.goto(f"{server.url}tweets/200/")
        page.wait_for_function("document.readyState === 'complete'")
        tweet = site / "content/tweets/2010/12/200.md"
        good = tweet.read_text("utf-8")
        tweet.write_text("---\ndate: [never closed\n---\nBroken\n", "utf-8")
        banner = page.locator(f"#{ERROR_BANNER_ID}")
        banner.wait_for(timeout=15_000)
        text = banner.inner_text()
        assert text.startswith("archiver serve: the last change did not build; this is the last "
                               "good build.\ntweets/2010/12/200.md: front matter is not valid YAML")
        assert banner.get_attribute("role") == "alert"
        assert page.locator("main").count() == 1  # the last good page is still there
        with page.expect_navigation(timeout=15_000):
            tweet.write_text(good.replace("\n---\n", "\n---\nFixed. ", 1), "utf-8")
        page.wait_for_function("document.readyState === 'complete'")
        assert page.locator(f"#{ERROR_BANNER_ID}").count() == 0
        assert "Fixed." in page.locator("main").inner_text()
    finally:
        page.close()
        server.stop()
