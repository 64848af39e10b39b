"""Word counting: the person's own words only, stop words out, exact counts and top words."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from archiver.build.wordpages import site_words, word_linker
from archiver.build.words import (count_words, item_words, language_stopwords, stopwords_for,
                                  top_words)
from itemgen import comment, make_site, post, tweet

CORPUS = [
    tweet("2010-03-01 09:00", "Baking bread today: the bread is GOOD! https://example.com/loaf "
          "@sam_bakes #baking", "1", tags=("baking",)),
    tweet("2010-03-02 09:00", "RT @sam_bakes: bread bread bread", "2",
          retweet_of={"id": "99", "user": "sam_bakes"}),
    tweet("2010-03-03 09:00", "Sourdough &amp; butter, 2010 loaves, 3rd try. RT if you like "
          "sourdough! www.bakery.org", "3"),
    post("2009-06-01 12:00", "On bread", "Bread, butter and sourdough. Bread again; butter is "
         "better than margarine. Robin’s bread.", "on-bread",
         comments=[comment("bread bread bread bread")]),
]
ALL_WORDS = {"bread": 6, "butter": 3, "sourdough": 3, "baking": 2, "better": 1, "good": 1,
             "loaves": 1, "margarine": 1, "robin": 1, "today": 1, "try": 1}


@pytest.fixture
def corpus_site(tmp_path: Path):
    return make_site(CORPUS, tmp_path)


def test_item_words_drops_urls_mentions_entities_numbers_and_short_words() -> None:
    text = ("RT @sam_bakes: Baking at 6am &amp; 2010 &#39; www.x.org http://t.co/abc bit.ly/x "
            "mail@example.org is it ok? Bakery.com news. Baking!")
    assert item_words(text) == ("baking", "news", "baking")


def test_item_words_folds_case_apostrophes_possessives_and_elisions() -> None:
    assert Counter(item_words("Don’t DON'T Robin's STRASSE Straße l'homme d'accord aujourd'hui")) == {
        "don't": 2, "robin": 1, "strasse": 2, "homme": 1, "accord": 1, "aujourd'hui": 1}


def test_count_words_exact_counts_per_year_and_source(corpus_site) -> None:
    counts = count_words(corpus_site.items, stopwords_for("en"))
    assert counts.all == ALL_WORDS
    assert counts.by_year[2010] == {"bread": 2, "sourdough": 2, "baking": 2, "butter": 1,
                                    "good": 1, "loaves": 1, "today": 1, "try": 1}
    assert counts.by_year[2009] == {"bread": 4, "butter": 2, "sourdough": 1, "better": 1,
                                    "margarine": 1, "robin": 1}
    assert counts.by_source == {"tweets": counts.by_year[2010], "posts": counts.by_year[2009]}


def test_retweets_comments_and_stop_words_do_not_count(corpus_site) -> None:
    counts = count_words(corpus_site.items, stopwords_for("en"))
    # two in tweets, three in the post and one in its title; the retweet's three breads and
    # the comment's four are not the person's words
    assert counts.all["bread"] == 6
    for stop in ("the", "and", "than", "again", "you", "like", "rt", "is", "sam_bakes", "2010"):
        assert stop not in counts.all


def test_top_words_most_used_first_ties_alphabetical(corpus_site) -> None:
    counts = count_words(corpus_site.items, stopwords_for("en"))
    assert top_words(counts.all, 6) == [("bread", 6), ("butter", 3), ("sourdough", 3),
                                        ("baking", 2), ("better", 1), ("good", 1)]


def test_site_stopwords_and_language_lists(tmp_path: Path) -> None:
    site = make_site(CORPUS, tmp_path, words={"stopwords": ["Margarine", " TODAY "]})
    words = site_words(site)
    ranked = [w.text for w in words.everything.cloud.words]
    assert "margarine" not in ranked and "today" not in ranked and "bread" in ranked
    assert {"und", "nicht"} <= language_stopwords("de-AT")
    assert {"avec", "dans"} <= language_stopwords("fr") and "the" in language_stopwords("fr")
    assert "und" not in language_stopwords("en") and "und" not in language_stopwords("../de")
    for code in ("es", "nl"):
        assert len(language_stopwords(code)) > len(language_stopwords("en"))


def test_site_words_clouds_per_year_and_source_with_links(corpus_site) -> None:
    words = site_words(corpus_site)
    assert [c.url for c in words.clouds] == ["/words/", "/words/tweets/", "/words/posts/",
                                             "/words/2010/", "/words/2009/"]
    assert [(w.text, w.count) for w in words.everything.cloud.words] == sorted(
        ALL_WORDS.items(), key=lambda p: (-p[1], p[0]))
    assert words.everything.distinct == len(ALL_WORDS)
    link = word_linker(corpus_site)
    assert link("baking") == "/tags/baking/"
    assert link("bread") == "/search/?q=bread"
    assert link("aujourd'hui") == "/search/?q=aujourd%27hui"
    assert word_linker(make_site(CORPUS, corpus_site.config.root, search=False))("bread") == ""


def test_empty_site_has_an_empty_cloud(tmp_path: Path) -> None:
    words = site_words(make_site([], tmp_path))
    assert words.everything.cloud.words == () and not words.everything.cloud
    assert words.years == {} and words.sources == {}
