"""What readers do: keyboard navigation, opening the site from disk (file://), viewing the four
photos, and "on this day" taking them to today's date (with and without items on it)."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from browser.helpers import missing_feature
from browser.sitegen_browser import (OLD_HOME_ADDRESS, OLD_SCRIPT_ADDRESS, PHOTO_TWEET,
                                     POST_WITH_COMMENTS, RYE_POST, SEARCH_WORD, TAG_PAGE,
                                     THREAD_START)

pytestmark = pytest.mark.browser
# waits for what a click opens (page.title() right after a click may read the page before it)
expect = pytest.importorskip("playwright.sync_api",
                             reason="playwright is not installed (run .ci/browser-setup.sh)").expect


@pytest.fixture
def page(browser: object):
    context = browser.new_context(viewport={"width": 1000, "height": 800}, timezone_id="UTC")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    yield page
    context.close()
    assert errors == [], "errors in the page"


def active(page: object) -> str:
    """The focused element as 'tag#id.class'."""
    return page.evaluate("""() => { const e = document.activeElement;
        return e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + e.className : ''); }""")


def test_tab_reaches_the_skip_link_first_and_it_moves_focus_to_main(page: object,
                                                                     server: str) -> None:
    page.goto(server + POST_WITH_COMMENTS)
    page.keyboard.press("Tab")
    assert active(page) == "a.skip-link"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    box = page.locator("a.skip-link").bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0, "skip link stays off screen"
    page.keyboard.press("Enter")
    assert active(page) == "main#main"
    page.keyboard.press("Tab")
    # the next stop is inside main: the post's date link, not the header again
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")
    assert active(page) == "a.u-url"


def test_tab_order_follows_the_page(page: object, server: str) -> None:
    page.goto(server + "/")
    names = []
    for _ in range(4):
        page.keyboard.press("Tab")
        names.append(page.evaluate("document.activeElement.textContent.trim()"))
    assert names == ["Skip to content", "Browser test archive", "Timeline", "Tags"]


def _walk_older_pages(page: object, start: str) -> tuple[list[str], list[str]]:
    """Follow "Older →" from ``start`` to the last page: (page headings, item dates seen)."""
    page.goto(start)
    titles, dates = [], []
    while True:
        titles.append(page.title())
        dates += page.locator(".timeline time.dt-published").evaluate_all(
            "els => els.map(e => e.getAttribute('datetime'))")
        older = page.locator(".pagination a[rel=next]")
        if older.count() == 0:
            return titles, dates
        older.click()
        page.wait_for_load_state()


def test_home_pagination_shows_every_item_once_newest_first(page: object, server: str) -> None:
    titles, dates = _walk_older_pages(page, server + "/")
    assert titles == ["Browser test archive"] + [f"Browser test archive (page {n})"
                                                 for n in (2, 3, 4)]
    assert len(dates) == len(set(dates)) == 12
    assert dates == sorted(dates, reverse=True)
    assert page.locator(".pagination span").inner_text() == "Page 4 of 4"
    page.click(".pagination a[rel=prev]")
    expect(page).to_have_title("Browser test archive (page 3)")  # once the click's page loaded


def test_tag_pagination(page: object, server: str) -> None:
    titles, dates = _walk_older_pages(page, server + TAG_PAGE)
    assert titles == ["Tagged “baking” · Browser test archive",
                      "Tagged “baking” · Browser test archive (page 2)"]
    assert len(set(dates)) == 6 and dates == sorted(dates, reverse=True)


def test_the_four_photos_load_and_have_names(page: object, server: str) -> None:
    page.goto(server + PHOTO_TWEET)
    photos = page.locator(".media-4 img")
    assert photos.count() == 4
    photos.nth(3).scroll_into_view_if_needed()  # loading="lazy": a photo below the fold waits
    page.wait_for_function("""() => [...document.querySelectorAll('.media-4 img')].every(
        i => i.complete)""")
    loaded = page.evaluate("""() => [...document.querySelectorAll('.media-4 img')].map(
        i => [i.complete, i.naturalWidth, i.naturalHeight, i.alt])""")
    assert loaded == [[True, 120, 90, "Loaf number 1 on the bench"],
                      [True, 120, 90, "Loaf number 2 on the bench"],
                      [True, 120, 90, "Loaf number 3 on the bench"],
                      [True, 120, 90, "Photo 4 of 4, no description"]]
    boxes = [photos.nth(i).bounding_box() for i in range(4)]
    assert boxes[0]["y"] == boxes[1]["y"] < boxes[2]["y"] == boxes[3]["y"], "not a 2x2 grid"


def test_thread_page_lists_the_whole_thread_in_order(page: object, server: str) -> None:
    page.goto(server + THREAD_START)
    assert page.locator("h1").inner_text() == "A thread of 3 tweets"
    texts = page.locator(".thread-list > li .e-content").all_inner_texts()
    assert texts == ["Thread about starters, part 1 of 3.", "Thread about starters, part 2 of 3.",
                     "Thread about starters, part 3 of 3."]


def test_site_works_from_file_urls(page: object, built_site: Path) -> None:
    """Opened from disk: the stylesheet applies and every relative link leads to a file."""
    post = built_site / POST_WITH_COMMENTS.strip("/") / "index.html"
    page.goto(post.as_uri())
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(253, 252, 249)"
    assert page.evaluate("getComputedStyle(document.querySelector('.site-header')).display") == "flex"
    hrefs = page.evaluate("[...document.querySelectorAll('a[href], link[href], img[src]')]"
                          ".map(e => e.href || e.src)")
    local = [h for h in hrefs if h.startswith("file://")]
    assert len(local) >= 20
    files = [Path(unquote(urlsplit(h).path)) for h in local]
    pending = [f for f in files if missing_feature("/" + f.relative_to(built_site).as_posix())]
    assert [f for f in files if not f.is_file() and f not in pending] == []
    page.click("nav.site-nav >> text=Tags")
    expect(page).to_have_url((built_site / "tags" / "index.html").as_uri())
    expect(page).to_have_title("Tags · Browser test archive")
    page.click("a[href$='baking/index.html']")
    expect(page).to_have_title("Tagged “baking” · Browser test archive")


def test_search_finds_a_post_by_a_word_from_its_text(page: object, server: str) -> None:
    reason = missing_feature("/search/")
    if reason:
        pytest.skip(reason)
    page.goto(f"{server}/search/?q={SEARCH_WORD}")
    # Pagefind shows a result's place first and its title once the result's data is loaded
    expect(page.locator(".pagefind-ui__result-link")).to_have_text(["A post with comments"])
    page.click(".pagefind-ui__result-link")
    page.wait_for_url(f"**{POST_WITH_COMMENTS}**")
    assert page.title() == "A post with comments · Browser test archive"


def _at(page: object, when: datetime) -> None:
    page.clock.install(time=when)


def test_on_this_day_goes_to_todays_page(page: object, server: str) -> None:
    _at(page, datetime(2026, 3, 14, 12, 0, tzinfo=timezone.utc))
    page.goto(server + "/on-this-day/")
    page.wait_for_url("**/on-this-day/03-14/index.html")
    assert page.locator("h1").inner_text() == "14 March"
    assert page.locator(".day-year h2").all_inner_texts() == ["2013", "2012", "2010", "2009", "2008"]
    page.go_back()
    assert "on-this-day" not in page.url  # replace(): Back does not bounce to the calendar


def test_on_this_day_calendar_stays_with_calendar_hash(page: object, server: str) -> None:
    _at(page, datetime(2026, 3, 14, 12, 0, tzinfo=timezone.utc))
    page.goto(server + "/on-this-day/#calendar")
    assert page.locator("h1").inner_text() == "On this day"
    assert page.locator("#today").inner_text() == \
        "Today is 14 March: see what was written on this day."
    assert page.locator("a[aria-current=date]").get_attribute("data-day") == "03-14"


def test_on_this_day_without_items_today_points_to_the_next_day(page: object,
                                                                server: str) -> None:
    _at(page, datetime(2026, 12, 25, 12, 0, tzinfo=timezone.utc))
    page.goto(server + "/on-this-day/")
    assert page.locator("h1").inner_text() == "On this day"
    assert page.locator("#today").inner_text() == (
        "Nothing was written on 25 December in the years of this archive. "
        "Next day with something: 14 March.")
    page.click("#today a")
    page.wait_for_url("**/on-this-day/03-14/index.html")


def test_on_this_day_without_javascript_is_the_calendar(browser: object, server: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(server + "/on-this-day/")
    assert page.locator("h1").inner_text() == "On this day"
    assert page.locator("#today").is_hidden()
    days = page.locator(".day-list a").all_text_contents()
    context.close()
    assert days == ["14 March", "10 May", "11 May", "2 July", "1 September", "2 September",
                    "5 November"]


def test_a_missing_deep_url_shows_the_styled_404_page_with_working_links(
        browser: object, server: str) -> None:
    """The host answers any missing path with 404.html: its links start from base_url's path."""
    context = browser.new_context()
    page = context.new_page()
    failed: list[str] = []
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
    response = page.goto(server + "/no/such/deep/page/")
    assert response is not None and response.status == 404
    assert page.title() == "Not found · Browser test archive"
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(253, 252, 249)"
    assert failed == [server + "/no/such/deep/page/"]  # the stylesheet and favicon loaded
    page.click("main >> text=tags")
    expect(page).to_have_title("Tags · Browser test archive")
    context.close()


def test_old_wordpress_addresses_with_a_query_lead_to_their_posts(browser: object, server: str) -> None:
    """A server gives the home page for /?p=42 and the 404 page for /index.php?p=43; both load
    old-links.js, which sends the reader on to the post (extra parameters or not)."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(server + OLD_HOME_ADDRESS)
    page.wait_for_url(server + POST_WITH_COMMENTS + "index.html")
    assert page.title() == "A post with comments · Browser test archive"
    page.goto(server + OLD_SCRIPT_ADDRESS + "&utm_source=feed")
    page.wait_for_url(server + RYE_POST + "index.html")
    assert page.title() == "Rye, again · Browser test archive"
    page.goto(server + "/?p=999")  # unknown: the home page stays
    assert page.url == server + "/?p=999" and page.title() == "Browser test archive"
    context.close()
