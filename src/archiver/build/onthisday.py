"""The "on this day" pages: what was written on each calendar day in the years before.

Shape (why): a static site cannot know the reader's "today", and one page holding all 366 days
would hold the whole archive (20,000 tweets on one page). So:

* ``/on-this-day/``         a calendar of the days that have items (month by month, with counts).
                            This is the no-JS page, and what a reader sees with JS off.
* ``/on-this-day/MM-DD/``   one small page per day that has items, grouped by year (newest year
                            first, each year's items in the order they were written), with links
                            to the previous and next day that has items (wrapping round
                            the year). Long days are paginated
                            (``/on-this-day/MM-DD/page/2/``).

A tiny inline script on the calendar (no external file, no network) reads the reader's local
date, marks that day in the calendar and sends the reader to its page with ``location.replace``
(so Back leaves the section rather than bouncing). Links back to the calendar carry
``#calendar``, which tells the script to stay. When today has no items the script says so and
points to the next day that has some. Days are the site's ``timezone`` days, like the archives.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from itertools import groupby
from operator import attrgetter
from typing import Iterator, NamedTuple

from archiver.build.pages import paginate
from archiver.build.render import Page
from archiver.build.site import Item, SiteIndex

BASE = "/on-this-day/"
DAY_PAGE_SIZE = 100  # items per day page before it is split into page/2/, ...
# A leap year, so that 29 February has a place in the calendar.
_CALENDAR_YEAR = 2000


@dataclass(frozen=True)
class Day:
    """One calendar day (month, day) and the items written on it, across all years."""

    month: int
    day: int
    items: tuple[Item, ...]

    @property
    def key(self) -> str:
        return f"{self.month:02d}-{self.day:02d}"

    @property
    def url(self) -> str:
        return f"{BASE}{self.key}/"

    @property
    def label(self) -> str:
        return f"{date(_CALENDAR_YEAR, self.month, self.day):%-d %B}"

    @property
    def years(self) -> list[int]:
        return sorted({item.local_date.year for item in self.items}, reverse=True)


@dataclass(frozen=True)
class DayLink:
    """Another day as a day page links to it: its URL and label, not its items (so editing an
    item re-renders its own day's page, not the pages of the days before and after it)."""

    url: str
    label: str


class YearGroup(NamedTuple):
    """The items of one year on a day page (a tuple: a day page has a dozen, cheap to fingerprint)."""

    year: int
    items: list[Item]


def group_days(timeline: list[Item]) -> list[Day]:
    """Items by calendar day (site time zone), in calendar order; days without items are left out.

    Within a day: newest year first, and in the order written within a year. ``timeline`` is
    ``SiteIndex.items``, newest first (by date, then URL), so read backwards it is in the order
    written: each day's items need no sorting, only their years putting in order.
    """
    by_day: dict[int, dict[int, list[Item]]] = defaultdict(dict)
    for item in reversed(timeline):
        local = item.local_date
        years = by_day[local.month * 32 + local.day]
        members = years.get(local.year)
        if members is None:
            members = years[local.year] = []
        members.append(item)
    days = []
    for key in sorted(by_day):
        years = by_day[key]
        members = [item for year in sorted(years, reverse=True) for item in years[year]]
        days.append(Day(month=key // 32, day=key % 32, items=tuple(members)))
    return days


_YEAR = attrgetter("local_date.year")


def by_year(items: list[Item]) -> list[YearGroup]:
    """Consecutive items of the same year, as groups (the items are already sorted)."""
    return [YearGroup(year=year, items=list(members)) for year, members in groupby(items, _YEAR)]


def calendar_months(days: list[Day]) -> list[tuple[int, list[Day]]]:
    """(month, days of that month that have items) for every month that has any."""
    months: dict[int, list[Day]] = defaultdict(list)
    for day in days:
        months[day.month].append(day)
    return sorted(months.items())


def on_this_day_pages(site: SiteIndex) -> Iterator[Page]:
    """The calendar page and one (paginated) page per day that has items."""
    days = group_days(site.items)
    yield Page(f"{BASE.strip('/')}/index.html", "on-this-day.html", {
        "days": days,
        "months": calendar_months(days),
        "total": len(site.items),
        "month_names": [date(_CALENDAR_YEAR, month, 1).strftime("%B") for month in range(1, 13)],
    })
    links = [DayLink(url=day.url, label=day.label) for day in days]
    for index, day in enumerate(days):
        # The calendar wraps: the day before the first day with items is the last one.
        previous = links[index - 1] if len(days) > 1 else None
        following = links[(index + 1) % len(days)] if len(days) > 1 else None
        for page in paginate(day.items, DAY_PAGE_SIZE, day.url, "on-this-day-day.html",
                             day=day, previous_day=previous, next_day=following):
            page.context["groups"] = by_year(list(page.context["pager"].items))
            yield page
