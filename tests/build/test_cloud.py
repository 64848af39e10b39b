"""Word cloud layout and pages: no overlaps, sizes follow counts, deterministic, linked words."""

from __future__ import annotations

import json
import re
from itertools import combinations
from pathlib import Path

import pytest

from archiver.build.cloud import (CLOUD_WORDS, MAX_SIZE, MIN_SIZE, Cloud, place_all, font_sizes,
                                  layout, ordered, text_box_size)
from archiver.build.pipeline import build
from archiver.build.words import cached_item_words
from archiver.config import load_config
from sitegen import POST, TWEET, write

SYLLABLES = ["ba", "ker", "lo", "af", "sour", "dough", "crumb", "oven", "flour", "yeast", "rye",
             "salt", "crust", "proof", "knead"]


def many_words(n: int = CLOUD_WORDS) -> list[tuple[str, int]]:
    """``n`` distinct words of 4 to 13 letters with counts falling like real word counts."""
    words = []
    for i in range(n):
        word = SYLLABLES[i % 15] + SYLLABLES[(i // 15) % 15] + ("ing" if i % 4 == 0 else "")
        words.append((word, 5000 // (i + 1) + (i % 3)))
    return words


def overlapping_pairs(cloud: Cloud) -> list[tuple[str, str]]:
    return [(a.text, b.text) for a, b in combinations(cloud.words, 2)
            if a.box[0] < b.box[2] and b.box[0] < a.box[2] and a.box[1] < b.box[3] and b.box[1] < a.box[3]]


def test_font_sizes_follow_counts_on_a_log_scale() -> None:
    assert font_sizes([100, 10, 1]) == [MAX_SIZE, 38.0, MIN_SIZE]
    assert font_sizes([7, 7]) == [38.0, 38.0]
    assert font_sizes([]) == []


def test_text_box_size_from_characters_and_font_size() -> None:
    assert text_box_size("bread", 10) == pytest.approx((34.0, 14.4))
    assert text_box_size("mill", 20)[0] > text_box_size("tilt", 20)[0]  # m is wider than t
    assert text_box_size("bread", 20) == pytest.approx((65.0, 25.8))


def test_layout_has_no_overlapping_boxes_and_fits_its_view_box() -> None:
    words = many_words()
    cloud = layout(words, lambda w: f"/search/?q={w}")
    assert len(cloud.words) == len({w for w, _ in words}) == CLOUD_WORDS
    assert overlapping_pairs(cloud) == []
    for word in cloud.words:
        left, top, right, bottom = word.box
        assert 0 <= left < right <= cloud.width and 0 <= top < bottom <= cloud.height
        assert left < word.x < right and top < word.y < bottom  # centre and baseline inside


def test_layout_sizes_follow_counts_and_the_most_used_word_is_largest() -> None:
    cloud = layout(many_words(), str)
    counts = [w.count for w in cloud.words]
    sizes = [w.size for w in cloud.words]
    assert counts == sorted(counts, reverse=True)
    assert sizes == sorted(sizes, reverse=True)
    assert sizes[0] == MAX_SIZE > sizes[1] and sizes[-1] == MIN_SIZE
    # the largest word sits in the middle of the cloud
    top = cloud.words[0]
    assert abs(top.x - cloud.width / 2) < cloud.width / 4
    assert abs(top.y - cloud.height / 2) < cloud.height / 3


def test_layout_is_deterministic_and_independent_of_input_order() -> None:
    words = many_words(60)
    first = layout(words, str)
    place_all.cache_clear()  # lay out again, not from the cache
    assert layout(list(reversed(words)), str) == first
    place_all.cache_clear()
    assert layout(words, str) == first
    assert layout([], str) == Cloud(words=(), width=0, height=0)


def test_placements_are_those_of_the_reference_layout() -> None:
    """Speed-ups of the search must not move a word: 150 words placed exactly as the layout
    first did (the golden file keeps each word's count, font size and box, floats exact)."""
    golden = json.loads((Path(__file__).parent / "golden" / "cloud-150-words.json").read_text("utf-8"))
    place_all.cache_clear()
    placed = place_all(ordered(many_words(CLOUD_WORDS)))
    assert [[word, count, size, list(box)] for word, count, size, box in placed] == golden


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site on disk: tweets in 2011 and 2012 (one tagged), a post, a retweet; built twice."""
    root = tmp_path_factory.mktemp("cloudsite")
    (root / "site.yaml").write_text("title: Clouds\nwords:\n  stopwords: [kettle]\n", "utf-8")
    texts = ["Bread and #sourdough again", "Bread, kettle, bread", "Sourdough bread at dawn",
             "Dawn walk with the dog", "Kettle on, bread in the oven"]
    for n, text in enumerate(texts, start=1):
        extra = "tags: [sourdough]\n" if "#sourdough" in text else ""
        write(root, f"tweets/2011/0{n}/{n}.md", TWEET.format(
            date=f"2011-0{n}-0{n}T08:00:00+00:00", sid=str(n), extra=extra, body=text))
    write(root, "tweets/2012/01/9.md", TWEET.format(
        date="2012-01-09T08:00:00+00:00", sid="9",
        extra="kind: retweet\nretweet_of: {id: '77', user: someone}\n",
        body="RT someone: retweeted retweeted retweeted retweeted retweeted retweeted"))
    write(root, "posts/2012/walks.md", POST.format(
        title="Walks", date="2012-02-02T10:00:00+00:00", tags="", sid="w", extra="",
        body="A dawn walk, a second walk. Walk the dog."))
    build(load_config(root), output=root / "public")
    place_all.cache_clear()  # the second build counts and lays out everything again
    cached_item_words.cache_clear()
    build(load_config(root), output=root / "again")
    return root


def test_words_page_has_one_linked_text_per_word(built: Path) -> None:
    page = (built / "public/words/index.html").read_text("utf-8")
    svg = page[page.index("<svg"):page.index("</svg>")]
    texts = re.findall(r'<a href="([^"]+)" tabindex="-1"><text x="[\d.]+" y="[\d.]+" '
                       r'font-size="([\d.]+)" class="w\d"><title>([^<]+)</title>([^<]+)</text></a>', svg)
    assert [(word, title) for _, _, title, word in texts] == [
        ("bread", "bread: 5"), ("walk", "walk: 4"), ("dawn", "dawn: 3"), ("dog", "dog: 2"),
        ("sourdough", "sourdough: 2"), ("oven", "oven: 1"), ("second", "second: 1"), ("walks", "walks: 1")]
    assert svg.count("<text") == len(texts) == 8
    links = {word: href for href, _, _, word in texts}
    assert links["sourdough"] == "../tags/sourdough/index.html"
    assert links["bread"] == "../search/index.html?q=bread"
    sizes = [float(size) for _, size, _, _ in texts]
    assert sizes[0] == max(sizes) and sizes.count(sizes[0]) == 1  # the most used word is largest
    for absent in ("kettle", "retweeted", "the", "and"):
        assert f">{absent}<" not in page
    ranked = re.findall(r'<li>(?:<a href="[^"]+">)?(\w+)(?:</a>)? <span class="count">(\d+)</span></li>',
                        page[page.index('class="word-ranking"'):])
    assert ranked == [("bread", "5"), ("walk", "4"), ("dawn", "3"), ("dog", "2"), ("sourdough", "2"),
                      ("oven", "1"), ("second", "1"), ("walks", "1")]


def test_year_source_clouds_and_the_year_page(built: Path) -> None:
    public = built / "public"
    for path in ("words/2011", "words/2012", "words/tweets", "words/posts"):
        assert (public / path / "index.html").is_file(), path
    index = (public / "words/index.html").read_text("utf-8")
    for href in ("tweets/index.html", "posts/index.html", "2011/index.html", "2012/index.html"):
        assert f'href="../words/{href}"' in index
    posts = (public / "words/posts/index.html").read_text("utf-8")
    assert ">walk<" in posts and ">bread<" not in posts
    year = (public / "2011/index.html").read_text("utf-8")
    year_svg = year[year.index("<svg"):year.index("</svg>")]
    words_svg = (public / "words/2011/index.html").read_text("utf-8")
    words_svg = words_svg[words_svg.index("<svg"):words_svg.index("</svg>")]
    assert year_svg == words_svg.replace('href="../../', 'href="../')  # the same cloud, one level up
    assert 'href="../words/2011/index.html"' in year


def test_pages_are_byte_identical_when_built_twice(built: Path) -> None:
    for page in ("words/index.html", "words/2011/index.html", "stats/index.html", "2011/index.html"):
        assert (built / "public" / page).read_bytes() == (built / "again" / page).read_bytes(), page
