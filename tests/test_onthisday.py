"""The "on this day" pages: a calendar of days with items and one page per day, by year."""

from __future__ import annotations

import re
from pathlib import Path

from archiver.build.onthisday import DAY_PAGE_SIZE
from archiver.build.pipeline import build
from archiver.config import load_config
from sitegen import TWEET, small_site, write


def _build(root: Path) -> Path:
    config_path = root / "site.yaml"
    config_path.write_text(config_path.read_text("utf-8") + "search: false\n", "utf-8")
    return build(load_config(root)).output


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def test_calendar_lists_each_day_with_items_and_its_count(site: Path) -> None:
    out = _build(small_site(site))
    calendar = (out / "on-this-day" / "index.html").read_text("utf-8")
    days = re.findall(r'<a href="([^"]+)" data-day="(\d\d-\d\d)">', calendar)
    keys = ["03-01", "12-11", "12-12", "12-13", "12-14", "12-31"]
    assert days == [(f"../on-this-day/{key}/index.html", key) for key in keys]
    assert "6 items on 6 days of the year." in _text(calendar)
    assert re.findall(r'<h2 id="m(\d\d)">(\w+)</h2>', calendar) == [("03", "March"),
                                                                  ("12", "December")]
    assert "<script>" in calendar and "src=" not in calendar.split("<script>")[1].split("</script>")[0]
    assert sorted(p.name for p in (out / "on-this-day").iterdir()) == [
        "03-01", "12-11", "12-12", "12-13", "12-14", "12-31", "index.html"]


def test_day_page_shows_items_by_year_with_neighbour_days(site: Path) -> None:
    root = small_site(site)
    write(root, "tweets/2014/12/900.md", TWEET.format(
        date="2014-12-14T08:00:00+00:00", sid="900", extra="", body="Four years later"))
    out = _build(root)
    page = (out / "on-this-day" / "12-14" / "index.html").read_text("utf-8")
    assert "<title>On this day, 14 December · Test site</title>" in page
    assert "2 items written on 14 December in 2 years, 2010 to 2014." in _text(page)
    assert re.findall(r'<h2 id="y(\d+)">', page) == ["2014", "2010"]
    assert page.index("Four years later") < page.index("Second post")
    assert '<a rel="prev" href="../../on-this-day/12-13/index.html">← 13 December</a>' in page
    assert '<a rel="next" href="../../on-this-day/12-31/index.html">31 December →</a>' in page
    assert '<a href="../../on-this-day/index.html#calendar">All days</a>' in page
    last = (out / "on-this-day" / "12-31" / "index.html").read_text("utf-8")
    assert '<a rel="next" href="../../on-this-day/03-01/index.html">1 March →</a>' in last  # wraps round


def test_long_day_is_paginated(site: Path) -> None:
    root = small_site(site)
    for n in range(DAY_PAGE_SIZE + 1):
        write(root, f"tweets/{1990 + n % 3}/01/{5000 + n}.md", TWEET.format(
            date=f"{1990 + n % 3}-01-02T{n % 24:02d}:{n % 60:02d}:00+00:00", sid=str(5000 + n),
            extra="", body=f"Number {n}"))
    out = _build(root)
    first = (out / "on-this-day" / "01-02" / "index.html").read_text("utf-8")
    second = (out / "on-this-day" / "01-02" / "page" / "2" / "index.html").read_text("utf-8")
    assert first.count('class="h-entry tweet') == DAY_PAGE_SIZE
    assert second.count('class="h-entry tweet') == 1
    assert "Page 2 of 2" in second and "(page 2)</title>" in second
    assert f"{DAY_PAGE_SIZE + 1} items written on 2 January in 3 years, 1990 to 1992." in _text(first)


def test_empty_site_has_a_calendar_page_without_days(site: Path) -> None:
    (site / "content").mkdir(exist_ok=True)
    out = _build(site)
    calendar = (out / "on-this-day" / "index.html").read_text("utf-8")
    assert "Nothing here yet." in calendar and "<script>" not in calendar
    assert [p.name for p in (out / "on-this-day").iterdir()] == ["index.html"]
