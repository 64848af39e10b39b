"""The person's own words, counted: tweets and posts in, word counts out (pure, no I/O but stop lists).

Counting has two steps so that the expensive one can be cached per item:

    item_words(text)       -> Counter of candidate words of one text (structural filters only:
                              URLs, @mentions, e-mail addresses, HTML entities, numbers, "rt",
                              words under 3 letters are dropped; case folded)
    count_words(items, ..) -> WordCounts per year and per source, stop words removed once at the end

Only the person's own text counts: published tweets and posts, never retweets or comments.
"""

from __future__ import annotations

import heapq
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Mapping

from archiver.build.site import Item

STOPWORDS_DIR = Path(__file__).parent / "stopwords"
MIN_LETTERS = 3
SOURCES = ("tweets", "posts")
DROPPED = frozenset({"rt", "amp", "nbsp", "http", "https", "www"})

_URL = re.compile(
    r"(?:https?://|ftp://|www\.)\S+"                                  # explicit URLs
    r"|\b(?:[\w-]+\.)+[a-z]{2,}/\S*"                                   # bare domain with a path
    r"|\b(?:[\w-]+\.)+(?:com|org|net|edu|gov|io|ly|co|me|info|uk|de|fr|nl|es)\b",  # bare domain
    re.IGNORECASE)
_MENTION_OR_MAIL = re.compile(r"\S*@\w+\S*")
_ENTITY = re.compile(r"&#?\w+;")
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_DIGIT = re.compile(r"\d")
_ELISION = re.compile(r"^(?:l|d|j|m|n|s|t|c|qu)'(?=\w{3})")  # French l'homme, d'accord
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'"})


def item_words(text: str) -> Counter[str]:
    """Candidate words of one text, case folded, with their counts (stop words not removed yet)."""
    text = text.translate(_APOSTROPHES)
    text = _MENTION_OR_MAIL.sub(" ", text)
    text = _URL.sub(" ", text)
    text = _ENTITY.sub(" ", text)
    words: Counter[str] = Counter()
    for match in _WORD.finditer(text.casefold()):
        word = _ELISION.sub("", match.group())
        if word.endswith("'s"):
            word = word[:-2]
        if len(word) >= MIN_LETTERS and word not in DROPPED and not _DIGIT.search(word):
            words[word] += 1
    return words


def is_own_words(item: Item) -> bool:
    """True for text the person wrote: tweets and posts, not retweets (comments are never text)."""
    entry = item.entry
    return entry.kind in ("tweet", "post") and not entry.retweet_of


def own_text(item: Item) -> str:
    """The text whose words count: a post's title and body, a tweet's text."""
    title = item.entry.title
    return f"{title}\n{item.text}" if title else item.text


def source_of(item: Item) -> str:
    return "tweets" if item.is_tweet else "posts"


@lru_cache(maxsize=16)
def language_stopwords(language: str) -> frozenset[str]:
    """The shipped English list, plus the list for ``language`` (``de``, ``fr``, ``es``, ``nl``)."""
    code = re.match(r"[a-z]{2,3}", (language or "").lower())
    names = ["en"] + ([code.group()] if code and code.group() != "en" else [])
    words: set[str] = set()
    for name in names:
        path = STOPWORDS_DIR / f"{name}.txt"
        if path.is_file():
            lines = path.read_text("utf-8").splitlines()
            words.update(line.strip().casefold() for line in lines
                         if line.strip() and not line.startswith("#"))
    return frozenset(words)


def stopwords_for(language: str, extra: Iterable[str] = ()) -> frozenset[str]:
    """Stop words for a site: the language lists plus the site's own (site.yaml ``words.stopwords``)."""
    own = {w.translate(_APOSTROPHES).strip().casefold() for w in extra if w and w.strip()}
    return language_stopwords(language) | own


@dataclass
class WordCounts:
    """Word counts of the person's own text, stop words removed."""

    all: Counter[str] = field(default_factory=Counter)
    by_year: dict[int, Counter[str]] = field(default_factory=dict)
    by_source: dict[str, Counter[str]] = field(default_factory=dict)


def count_words(items: Iterable[Item], stopwords: frozenset[str],
                words_of: Callable[[str], Mapping[str, int]] = item_words) -> WordCounts:
    """One pass over the items: counts per (year, source), then summed; stop words removed last.

    ``words_of`` turns one item's text into its counts; pass a cached version to reuse work.
    """
    buckets: dict[tuple[int, str], Counter[str]] = {}
    for item in items:
        if not is_own_words(item):
            continue
        key = (item.local_date.year, source_of(item))
        bucket = buckets.get(key)
        if bucket is None:
            bucket = buckets[key] = Counter()
        bucket.update(words_of(own_text(item)))
    result = WordCounts()
    for (year, source), bucket in sorted(buckets.items()):
        result.by_year.setdefault(year, Counter()).update(bucket)
        result.by_source.setdefault(source, Counter()).update(bucket)
    for counts in result.by_source.values():
        result.all.update(counts)
    for counts in [result.all, *result.by_year.values(), *result.by_source.values()]:
        for word in stopwords.intersection(counts):
            del counts[word]
    return result


def top_words(counts: Mapping[str, int], limit: int) -> list[tuple[str, int]]:
    """The ``limit`` most used words, most used first; ties in alphabetical order."""
    return heapq.nsmallest(limit, counts.items(), key=lambda pair: (-pair[1], pair[0]))
