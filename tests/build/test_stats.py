"""Stats: exact totals, per-year figures, busiest times, top tags and people, longest thread; /stats/.

A known small corpus checks every number; a generated 20,000-tweet, 763-post archive (the
seed user's) checks what /stats/ and /words/ show for it.
"""

from __future__ import annotations

import pickle
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from itemgen import comment, make_site, post, tweet

from archiver.build.phases import common_context
from archiver.build.pipeline import build
from archiver.build.render import Page, make_environment, render_page
from archiver.build.site import SiteIndex
from archiver.build.stats import bar_chart, compute_stats, ratio, sent_stats, stats_pages
from archiver.build.wordpages import site_words, words_pages
from archiver.config import load_config
from archiver.model import Entry


def days(first: date, count: int) -> list[date]:
    return [first + timedelta(days=n) for n in range(count)]


def small_corpus() -> list[Entry]:
    """171 tweets (131 in 2009, 40 in 2010) and 8 posts (1 in 2008, 5 in 2009, 2 in 2010)."""
    entries: list[Entry] = []
    n = 0

    def add_tweet(day: date, **extra) -> None:
        nonlocal n
        n += 1
        entries.append(tweet(f"{day} 09:{n % 60:02d}", "Counting my tweets", f"t{n}", **extra))

    december = days(date(2009, 12, 22), 10)
    add_tweet(december[0], tags=("baking",))
    add_tweet(december[0], reply_to={"id": "t1", "user": "robin"}, tags=("baking",))  # a thread
    add_tweet(december[0], reply_to={"id": "t2", "user": "robin"}, tags=("Zebra",))
    add_tweet(december[0], reply_to={"id": "999", "user": "Robin"}, tags=("Zebra",))  # to oneself
    for user in ("Alice", "Alice", "Alice", "bob", "@bob"):
        add_tweet(december[1], reply_to={"id": "500", "user": user}, tags=("baking",) * (user == "bob"))
    add_tweet(december[3], retweet_of={"id": "600", "user": "carol"})
    for day in december:
        already = sum(1 for e in entries if e.date.date() == day)
        for _ in range((23 if day == date(2009, 12, 24) else 12) - already):
            add_tweet(day, tags=("baking",) * (n == 20))
    for day in days(date(2010, 1, 1), 20):
        add_tweet(day)
        add_tweet(day)
    post_days = [date(2008, 5, 5), *days(date(2009, 3, 2), 5), date(2010, 1, 5), date(2010, 1, 6)]
    for number, day in enumerate(post_days, start=1):
        entries.append(post(f"{day} 12:00", f"Post {number}", "One two three four five", f"p{number}",
                            tags=("bread",) * (number <= 2),
                            comments=[comment("Nice"), comment("Yes"), comment("Linked", "pingback")]
                            * (number == 1)))
    return entries


@pytest.fixture(scope="module")
def small_site(tmp_path_factory: pytest.TempPathFactory) -> SiteIndex:
    return make_site(small_corpus(), tmp_path_factory.mktemp("stats"))


def test_stats_sent_from_a_helper_process_find_their_thread_in_this_one(small_site: SiteIndex) -> None:
    """The build computes the stats in a helper process (phases._helper_work): what it sends
    holds the longest thread's first item as a position, never an Item (pickling one would
    bring the whole linked index along); received, they equal the stats made here."""
    sent = pickle.loads(pickle.dumps(sent_stats(small_site)))
    assert sent.stats.longest_thread is None
    position, length = sent.longest_thread
    assert (small_site.items[position].url, length) == ("/tweets/t1/", 3)
    received = sent.received(small_site)
    expected = compute_stats(small_site.items, small_site.tags)
    assert received.longest_thread.first is expected.longest_thread.first
    assert received == expected
    assert sent_stats(make_site([], small_site.config.root)).longest_thread is None


def test_ratio_rounds_half_up_to_one_decimal() -> None:
    assert [ratio(131, 5), ratio(171, 8), ratio(1, 8), ratio(1, 4), ratio(0, 3), ratio(5, 0)] == [
        "26.2", "21.4", "0.1", "0.3", "0.0", "–"]
    assert ratio(20000, 763) == "26.2" and ratio(12345, 1) == "12345.0"
    # below 0.05: two decimals, so 137 tweets over 6,266 days do not read as 0.0
    assert [ratio(137, 6266), ratio(1, 40), ratio(1, 300)] == ["0.02", "0.03", "< 0.01"]


def test_totals(small_site: SiteIndex) -> None:
    stats = compute_stats(small_site.items, small_site.tags)
    assert (stats.tweets, stats.retweets, stats.replies, stats.posts) == (171, 1, 8, 8)
    assert (stats.comments, stats.pingbacks) == (2, 1)
    assert stats.words == 170 * 3 + 8 * (2 + 5)  # tweets (not the retweet), post titles and bodies
    assert (stats.first, stats.last) == (date(2008, 5, 5), date(2010, 1, 20))
    assert (stats.first_tweet, stats.last_tweet) == (date(2009, 12, 22), date(2010, 1, 20))
    assert (stats.days, stats.days_active, stats.tweet_days) == (626, 36, 30)
    assert (stats.tweets_per_post, stats.tweets_per_day) == ("21.4", "5.7")


def test_per_year(small_site: SiteIndex) -> None:
    stats = compute_stats(small_site.items, small_site.tags)
    rows = [(y.year, y.tweets, y.posts, y.tweet_days, y.tweets_per_post, y.tweets_per_day)
            for y in stats.years]
    assert rows == [(2008, 0, 1, 0, "0.0", "–"),
                    (2009, 131, 5, 10, "26.2", "13.1"),
                    (2010, 40, 2, 20, "20.0", "2.0")]


def test_busiest_times_tags_people_and_thread(small_site: SiteIndex) -> None:
    stats = compute_stats(small_site.items, small_site.tags)
    assert stats.weekdays == [20, 32, 32, 40, 19, 18, 18]
    assert stats.busiest_weekday == "Thursday"
    assert (stats.busiest_hour, stats.hours[9], stats.hours[12], sum(stats.hours)) == (9, 171, 8, 179)
    assert stats.busiest_day == (date(2009, 12, 24), 23)
    assert [(tag.name, count) for tag, count in stats.top_tags] == [
        ("baking", 4), ("bread", 2), ("Zebra", 2)]
    assert stats.top_replied == [("Alice", 3), ("bob", 2)]  # not oneself, not the thread
    assert stats.longest_thread is not None and stats.longest_thread.length == 3
    assert stats.longest_thread.first.url == "/tweets/t1/"


def test_items_dated_by_their_day_only_have_no_hour(tmp_path: Path) -> None:
    site = make_site([tweet("2007-02-25 00:00", "Old tweet, day only", "a"),
                      tweet("2007-02-25 00:00", "Another", "b"),
                      tweet("2012-03-01 21:15", "Timed", "c")], tmp_path)
    stats = compute_stats(site.items, site.tags)
    assert (sum(stats.hours), stats.hours[21], stats.busiest_hour, stats.untimed) == (1, 1, 21, 2)
    html = render(site, *stats_pages(site))
    assert "Busiest hour: <strong>21:00–21:59</strong> (1; times in UTC; 2 items dated only by their day are left out)" in html


def test_empty_archive(tmp_path: Path) -> None:
    stats = compute_stats([], {})
    assert (stats.items, stats.years, stats.busiest_day, stats.tweets_per_day) == (0, [], None, "–")
    html = render(make_site([], tmp_path), *stats_pages(make_site([], tmp_path)))
    assert "No tweets or posts yet." in html


def test_bar_chart_scales_to_the_largest_value() -> None:
    chart = bar_chart("Tweets per year", [("2009", 50), ("2010", 100), ("2011", 0)])
    assert [(b.label, b.height, b.y) for b in chart.bars] == [
        ("2009", 80.0, 98.0), ("2010", 160.0, 18.0), ("2011", 0.0, 178.0)]
    assert (chart.width, chart.height, chart.view_box) == (120.0, 196.0, "0 0 120 196")


def render(site: SiteIndex, page: Page) -> str:
    return render_page(make_environment(site.config), page, common_context(site))


def table_rows(html: str) -> list[list[str]]:
    body = html[html.index('<table class="stats-table"'):html.index("</table>")]
    rows = re.findall(r"<tr>(.*?)</tr>", body)
    return [re.findall(r"<t[hd][^>]*>(?:<a [^>]+>)?([^<]*)", row) for row in rows]


def test_stats_page(small_site: SiteIndex) -> None:
    html = render(small_site, *stats_pages(small_site))
    assert table_rows(html) == [
        ["Year", "Tweets", "Posts", "Tweets per post", "Tweets per day"],
        ["2008", "0", "1", "0.0", "–"],
        ["2009", "131", "5", "26.2", "13.1"],
        ["2010", "40", "2", "20.0", "2.0"],
        ["All", "171", "8", "21.4", "5.7"]]
    totals = dict(re.findall(r"<div><dt>([^<]+)</dt><dd>([^<]+)</dd></div>", html))
    assert totals == {"Tweets": "171", "of them retweets": "1", "of them replies": "8", "Posts": "8",
                      "Comments": "2", "Pingbacks": "1", "Words written": "566",
                      "First": "5 May 2008", "Last": "20 January 2010", "Days": "626",
                      "Days active": "36", "Tweets per post": "21.4", "Tweets per day": "5.7"}
    assert "Busiest day of the week: <strong>Thursday</strong> (40 tweets and posts)" in html
    assert '<a href="../2009/12/index.html">24 December 2009</a>' in html
    assert "<li>@Alice <span class=\"count\">3</span></li>" in html
    assert '<a href="../tweets/t1/index.html">Counting my tweets</a>: 3 tweets' in html
    assert html.count("<svg") == 4 and "<script" not in html.split("</footer>")[0].split("<main")[1]


SEED_POSTS = {2007: 152, 2008: 348, 2009: 159, 2010: 104}  # 763 posts, as the seed user counted
SEED_TWEETS = {2008: 4000, 2009: 8000, 2010: 8000}  # 20,000 tweets from 1 March 2008
SYLLABLES = ["sour", "dough", "loaf", "oven", "crust", "star", "flour", "kitch", "morn", "garden",
             "coffee", "letter", "walk", "friend", "river", "stone", "paper", "lamp"]
VOCABULARY = [a + b for a in SYLLABLES for b in SYLLABLES if a != b]  # 306 made-up words


def seed_archive() -> list[Entry]:
    """20,000 tweets and 763 posts; 'bread' is in every tweet, so it is the most used word.

    Each tweet also has four of 306 made-up words, so the cloud has more than 150 to choose from."""
    entries: list[Entry] = []
    start = {2008: date(2008, 3, 1), 2009: date(2009, 1, 1), 2010: date(2010, 1, 1)}
    n = 0
    for year, count in SEED_TWEETS.items():
        span = (date(year, 12, 31) - start[year]).days
        for i in range(count):
            day = start[year] + timedelta(days=0 if i == 0 else span if i == count - 1 else i % span)
            words = " ".join(VOCABULARY[(i * k) % len(VOCABULARY)] for k in (1, 3, 7, 11))
            n += 1
            entries.append(tweet(f"{day} {8 + i % 14:02d}:{i % 60:02d}", f"The bread and {words} @friend "
                                 f"http://t.co/{n} &amp; {i}", str(n)))
    for year, count in SEED_POSTS.items():
        first = date(year, 6, 1) if year == 2007 else date(year, 1, 1)
        for i in range(count):
            day = first + timedelta(days=i % 180)
            entries.append(post(f"{day} 20:00", f"Notes {year}-{i}", "Kitchen notes on crust and "
                                "flour, with the morning light.", f"notes-{year}-{i}"))
    return entries


@pytest.mark.slow
def test_seed_archive_stats_and_words(tmp_path: Path) -> None:
    site = make_site(seed_archive(), tmp_path)
    html = render(site, *stats_pages(site))
    assert table_rows(html) == [
        ["Year", "Tweets", "Posts", "Tweets per post", "Tweets per day"],
        ["2007", "0", "152", "0.0", "–"],
        ["2008", "4,000", "348", "11.5", "13.1"],
        ["2009", "8,000", "159", "50.3", "21.9"],
        ["2010", "8,000", "104", "76.9", "21.9"],
        ["All", "20,000", "763", "26.2", "19.3"]]
    assert "<div><dt>Tweets per post</dt><dd>26.2</dd></div>" in html
    assert "<div><dt>Tweets per day</dt><dd>19.3</dd></div>" in html
    assert "(1,036 days)" in html
    words = site_words(site)
    page = render(site, next(words_pages(site, words)))
    sizes = {word: float(size) for size, word in
             re.findall(r'font-size="([\d.]+)" class="w\d"><title>[^<]+</title>([^<]+)</text>', page)}
    assert len(sizes) == 150
    assert max(sizes, key=sizes.get) == "bread"
    assert sorted(sizes.values())[-1] > sorted(sizes.values())[-2]
    assert {"the", "and", "friend", "amp", "http"}.isdisjoint(sizes)
    assert '<li><a href="../search/index.html?q=bread">bread</a> <span class="count">20,000</span></li>' in page


@pytest.mark.slow
def test_imported_twitter_archive_on_stats_and_words(site: Path, run_cli, tmp_path: Path) -> None:
    """A synthetic Twitter archive goes through the real importer and build."""
    import twitter_archive

    with (site / "site.yaml").open("a", encoding="utf-8") as handle:
        handle.write("search: false\n")  # the search index is another test's subject
    made = twitter_archive.write_modern_archive(tmp_path / "archive", 400, seed=3)
    assert run_cli("import", "twitter", str(tmp_path / "archive"), site=site).exit_code == 0
    build(load_config(site))
    html = (site / "public/stats/index.html").read_text("utf-8")
    totals = dict(re.findall(r"<div><dt>([^<]+)</dt><dd>([^<]+)</dd></div>", html))
    assert totals["Tweets"] == str(made.tweets) and totals["Posts"] == "0"
    assert totals["of them retweets"] == str(made.retweets)
    assert totals["of them replies"] == str(made.replies_to_others + made.self_replies)
    per_folder = {folder.name: sum(1 for _ in folder.rglob("*.md"))
                  for folder in (site / "content/tweets").iterdir()}
    rows = table_rows(html)
    assert {row[0]: int(row[1].replace(",", "")) for row in rows[1:-1] if row[1] != "0"} == per_folder
    assert rows[-1][:3] == ["All", str(made.tweets), "0"]
    people = re.findall(r"<li>@(\w+) <span", html)
    assert people and set(people) <= set(twitter_archive.FRIENDS)  # never oneself
    page = (site / "public/words/index.html").read_text("utf-8")
    ranked = re.findall(r'<title>(\w+): ([\d,]+)</title>', page)
    counts = [int(count.replace(",", "")) for _, count in ranked]
    assert ranked[0][0] in twitter_archive.WORDS and counts == sorted(counts, reverse=True)
    sizes = re.findall(r'font-size="([\d.]+)"', page)
    assert float(sizes[0]) == max(map(float, sizes))
    words = {word for word, _ in ranked}
    assert words.isdisjoint({"rt", "https", "example", "robin_example", *twitter_archive.FRIENDS})
