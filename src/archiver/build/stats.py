"""The archive in numbers: totals, per-year counts, busiest times, top tags and people, longest thread.

``compute_stats`` makes one pass over the items (counters and dicts only), so 100k tweets take
a fraction of a second. Ratios are written as plain numbers with one decimal (``26.2``),
rounded half up with integer arithmetic so the same archive always shows the same figures.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Iterable, Iterator, Mapping, Sequence

from archiver.build.render import Page
from archiver.build.site import Item, SiteIndex, Tag, TagGroup
from archiver.model import TWEET_KINDS, day_only

TOP_TAGS = 20
TOP_PEOPLE = 20
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_OWN_HANDLE = re.compile(r"^https?://(?:www\.|mobile\.)?(?:twitter|x)\.com/([A-Za-z0-9_]+)/status",
                         re.IGNORECASE)


def ratio(numerator: int, denominator: int) -> str:
    """``numerator / denominator`` with one decimal, rounded half up ('–' when dividing by 0);
    below 0.05 with two decimals, so a few tweets over years do not read as none."""
    if denominator <= 0:
        return "–"
    tenths = (20 * numerator + denominator) // (2 * denominator)
    if tenths or not numerator:
        return f"{tenths // 10}.{tenths % 10}"
    hundredths = (200 * numerator + denominator) // (2 * denominator)
    return f"0.{hundredths:02d}" if hundredths else "< 0.01"


def days_between(first: date | None, last: date | None) -> int:
    """Calendar days from ``first`` to ``last``, both included (0 when either is missing)."""
    return (last - first).days + 1 if first and last else 0


class _Ratios:
    """Tweets per post and per day, for any record with ``tweets``, ``posts``, ``tweet_days``."""

    tweets: int
    posts: int
    tweet_days: int

    @property
    def tweets_per_post(self) -> str:
        return ratio(self.tweets, self.posts)

    @property
    def tweets_per_day(self) -> str:
        return ratio(self.tweets, self.tweet_days)


@dataclass
class YearStats(_Ratios):
    year: int
    tweets: int = 0
    posts: int = 0
    tweet_days: int = 0  # days of this year between the first and the last tweet of the archive



@dataclass
class Thread:
    first: Item
    length: int


@dataclass
class Stats(_Ratios):
    """Everything /stats/ shows. Tweets include retweets (as Twitter counts them)."""

    tweets: int = 0
    retweets: int = 0
    replies: int = 0
    posts: int = 0
    comments: int = 0
    pingbacks: int = 0
    words: int = 0  # words written in tweets and posts (not retweets, not comments)
    first: date | None = None
    last: date | None = None
    first_tweet: date | None = None
    last_tweet: date | None = None
    days_active: int = 0  # days with at least one tweet or post
    years: list[YearStats] = field(default_factory=list)
    weekdays: list[int] = field(default_factory=lambda: [0] * 7)  # Monday first
    hours: list[int] = field(default_factory=lambda: [0] * 24)
    untimed: int = 0  # items dated with their day only (at 00:00:00): left out of ``hours``
    busiest_day: tuple[date, int] | None = None
    top_tags: list[tuple[Tag, int]] = field(default_factory=list)
    top_replied: list[tuple[str, int]] = field(default_factory=list)
    longest_thread: Thread | None = None

    @property
    def items(self) -> int:
        return self.tweets + self.posts

    @property
    def days(self) -> int:
        return days_between(self.first, self.last)

    @property
    def tweet_days(self) -> int:
        return days_between(self.first_tweet, self.last_tweet)


    @property
    def busiest_weekday(self) -> str:
        return WEEKDAYS[_busiest(self.weekdays)] if self.items else ""

    @property
    def busiest_hour(self) -> int:
        return _busiest(self.hours)


def compute_stats(items: Iterable[Item], tags: Mapping[str, TagGroup] | None = None) -> Stats:
    """Stats of the published posts and tweets: one pass over the items, then sums over days."""
    tweet_dates: list[date] = []  # counted per day at the end (in C, not one += per item)
    post_dates: list[date] = []
    hours = [0] * 24
    replied: Counter[str] = Counter()
    spelling: dict[str, str] = {}
    own_handles: set[str] = set()
    handle_prefix = "\0"  # URLs starting like the last own tweet URL need no regex
    retweets = replies = comments = pingbacks = words = 0
    longest: Thread | None = None
    untimed = 0
    for item in items:
        local = item.local_date
        entry = item.entry
        if day_only(entry.date):  # no hour to count
            untimed += 1
        else:
            hours[local.hour] += 1
        if entry.kind not in TWEET_KINDS:
            post_dates.append(local.date())
            words += len(entry.title.split()) + _word_count(item.text)
            for comment in entry.comments:
                if comment.kind == "pingback":
                    pingbacks += 1
                else:
                    comments += 1
            continue
        tweet_dates.append(local.date())
        url = entry.url
        if url and not url.startswith(handle_prefix):
            match = _OWN_HANDLE.match(url)
            if match:
                own_handles.add(match.group(1).lower())
                handle_prefix = match.group(0)
        if entry.kind == "retweet" or entry.retweet_of:
            retweets += 1
            continue
        words += _word_count(item.text)
        user = entry.reply_to.get("user", "").lstrip("@") if entry.reply_to else ""
        if user:
            replies += 1
            if item.reply_parent is None:  # a reply to one's own tweet is not a conversation
                key = user.lower()
                replied[key] += 1
                spelling.setdefault(key, user)
        thread = item.thread
        if thread and thread[0] is item and (longest is None or len(thread) >= longest.length):
            longest = Thread(first=item, length=len(thread))  # >=: items come newest first
    for handle in own_handles:
        replied.pop(handle, None)
    stats = Stats(retweets=retweets, replies=replies, comments=comments, pingbacks=pingbacks,
                  words=words, hours=hours, untimed=untimed, longest_thread=longest, top_tags=top_tags(tags or {}),
                  top_replied=[(spelling[key], count) for key, count in
                               sorted(replied.items(), key=lambda p: (-p[1], p[0]))[:TOP_PEOPLE]])
    _add_days(stats, Counter(tweet_dates), Counter(post_dates))
    return stats


def _word_count(text: str) -> int:
    """Words in an item's text (whitespace is already folded to single spaces there)."""
    return text.count(" ") + 1 if text else 0


def _add_days(stats: Stats, tweet_days: Counter[date], post_days: Counter[date]) -> None:
    """Totals, dates, weekdays and years from the items counted per day."""
    stats.tweets, stats.posts = sum(tweet_days.values()), sum(post_days.values())
    per_day = tweet_days + post_days
    if not per_day:
        return
    stats.first, stats.last = min(per_day), max(per_day)
    if tweet_days:
        stats.first_tweet, stats.last_tweet = min(tweet_days), max(tweet_days)
    stats.days_active = len(per_day)
    stats.busiest_day = min(per_day.items(), key=lambda pair: (-pair[1], pair[0]))
    per_year: dict[int, YearStats] = {}
    for day, count in per_day.items():
        stats.weekdays[day.weekday()] += count
    for days, field_name in ((tweet_days, "tweets"), (post_days, "posts")):
        for day, count in days.items():
            year = per_year.get(day.year)
            if year is None:
                year = per_year[day.year] = YearStats(day.year)
            setattr(year, field_name, getattr(year, field_name) + count)
    stats.years = _fill_years(per_year, stats.first_tweet, stats.last_tweet)


def top_tags(tags: Mapping[str, TagGroup], limit: int = TOP_TAGS) -> list[tuple[Tag, int]]:
    """The most used tags, most used first; ties by name."""
    ranked = sorted(tags.values(), key=lambda g: (-len(g.items), g.tag.name.lower(), g.tag.slug))
    return [(group.tag, len(group.items)) for group in ranked[:limit]]


def _fill_years(per_year: dict[int, YearStats], first_tweet: date | None,
                last_tweet: date | None) -> list[YearStats]:
    """Every year from the first to the last (empty years included), with its tweeting days."""
    if not per_year:
        return []
    years = []
    for number in range(min(per_year), max(per_year) + 1):
        year = per_year.get(number) or YearStats(number)
        if first_tweet and last_tweet:
            start, end = max(first_tweet, date(number, 1, 1)), min(last_tweet, date(number, 12, 31))
            year.tweet_days = max(0, (end - start).days + 1)
        years.append(year)
    return years


def _busiest(counts: Sequence[int]) -> int:
    """Index of the largest count (the first one among equals)."""
    return max(range(len(counts)), key=lambda i: (counts[i], -i))


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class BarChart:
    """Bars for an inline SVG; the tallest bar is ``PLOT`` units high."""

    title: str
    bars: tuple[Bar, ...]
    width: float
    height: float

    PLOT = 160.0
    LABELS = 18.0  # room under the bars for their labels, and above them for values

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width:g} {self.height:g}"

    @property
    def baseline(self) -> float:
        return self.LABELS + self.PLOT


def bar_chart(title: str, values: Sequence[tuple[str, int]], slot: float = 40.0) -> BarChart:
    """A vertical bar chart of ``values``; each bar gets ``slot`` units of width."""
    top = max((value for _, value in values), default=0) or 1
    bars = []
    for index, (label, value) in enumerate(values):
        height = round(BarChart.PLOT * value / top, 1)
        bars.append(Bar(label=label, value=value, x=round(index * slot + slot * 0.15, 1),
                        y=round(BarChart.LABELS + BarChart.PLOT - height, 1),
                        width=round(slot * 0.7, 1), height=height))
    return BarChart(title=title, bars=tuple(bars), width=max(len(values), 1) * slot,
                    height=BarChart.PLOT + 2 * BarChart.LABELS)


@dataclass
class SentStats:
    """Stats as a helper process sends them back (``sent_stats``): the first item of the
    longest thread as its position in ``site.items``, since pickling an Item would bring the
    whole linked index along."""

    stats: Stats  # its longest_thread is None
    longest_thread: tuple[int, int] | None  # (position in site.items, length)

    def received(self, site: SiteIndex) -> Stats:
        """The stats with their longest thread's item looked up in this process's ``site``."""
        if self.longest_thread is None:
            return self.stats
        position, length = self.longest_thread
        return replace(self.stats, longest_thread=Thread(first=site.items[position], length=length))


def sent_stats(site: SiteIndex) -> SentStats:
    """``compute_stats`` of the site, ready to be sent to another process."""
    stats = compute_stats(site.items, site.tags)
    longest = stats.longest_thread
    if longest is None:
        return SentStats(stats, None)
    return SentStats(replace(stats, longest_thread=None), (site.items.index(longest.first), longest.length))


def stats_pages(site: SiteIndex, stats: Stats | None = None) -> Iterator[Page]:
    """The /stats/ page; ``stats``: ``compute_stats`` of the site, when it is made already."""
    stats = stats if stats is not None else compute_stats(site.items, site.tags)
    years = [(str(y.year), y) for y in stats.years]
    charts = [
        bar_chart("Tweets per year", [(label, y.tweets) for label, y in years]),
        bar_chart("Posts per year", [(label, y.posts) for label, y in years]),
        bar_chart("Tweets and posts by hour of the day",
                  [(f"{hour:02d}", count) for hour, count in enumerate(stats.hours)], slot=24.0),
        bar_chart("Tweets and posts by day of the week",
                  [(name[:3], count) for name, count in zip(WEEKDAYS, stats.weekdays)]),
    ]
    yield Page("stats/index.html", "stats.html", {"stats": stats, "charts": charts,
                                                  "weekday_names": WEEKDAYS})
