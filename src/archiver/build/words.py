"""The person's own words, counted: tweets and posts in, word counts out (pure, no I/O but stop lists).

Counting has two steps so that the expensive one can be cached per item (the loader keeps
``entry_words`` of every file in its cache, as ``Item.words``):

    item_words(text)       -> the candidate words of one text (structural filters only:
                              URLs, @mentions, e-mail addresses, HTML entities, numbers, "rt",
                              words under 3 or over 40 letters are dropped; case folded)
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
from typing import TYPE_CHECKING, Callable, Iterable, Mapping

from archiver.model import Entry

if TYPE_CHECKING:  # site imports the loader, which imports this module
    from archiver.build.site import Item

STOPWORDS_DIR = Path(__file__).parent / "stopwords"
MIN_LETTERS = 3
# No word of any language in use is longer (German compounds rarely pass 30); a longer run of
# letters is a key, a base64 blob or a hostile text (one "word" of 50 MB filled the word cloud
# and made the /words/ page 250 MB). Runs with digits (hashes, ids) are no words already.
MAX_LETTERS = 40
DROPPED = frozenset({"rt", "amp", "nbsp", "http", "https", "www"})

_DOMAIN_ENDING = r"\.(?:[a-z]{2,}/|(?:com|org|net|edu|gov|io|ly|co|me|info|uk|de|fr|nl|es)\b)"
_DOMAIN_HINT = re.compile(_DOMAIN_ENDING)  # starts with a literal ".": a fast scan
_DOMAIN = re.compile(r"[\w-]" + _DOMAIN_ENDING)  # example.com, bit.ly/x
_ENTITY = re.compile(r"&#?\w+;")
_WORD = re.compile(r"\b[^\W\d_]+(?:'[^\W\d_]+)*\b")  # letters only: "mp3" and "sam_x" are no words
_ASCII_WORD = re.compile(r"\b[a-z]+(?:'[a-z]+)*\b")  # the same on folded ASCII text, faster
# Without apostrophes a word is a run of letters between non-word characters: the words of
# MIN_LETTERS letters or more are found in one pass (starting at a letter, the scan skips
# the rest quickly), the same as _WORD's then filtered by length. A run longer than MAX_LETTERS
# fails (?!\w) at its start and is passed over letter by letter by the lookbehind: linear time.
_LONG = f"{{{MIN_LETTERS - 1},{MAX_LETTERS - 1}}}"
_LONG_WORD = re.compile(rf"[^\W\d_](?<!\w.)[^\W\d_]{_LONG}(?!\w)")
_ASCII_LONG_WORD = re.compile(rf"[a-z](?<!\w.)[a-z]{_LONG}(?!\w)")
_ELISION = re.compile(r"^(?:l|d|j|m|n|s|t|c|qu)'(?=\w{3})")  # French l'homme, d'accord


def item_words(text: str) -> tuple[str, ...]:
    """Candidate words of one text in order, case folded (stop words not removed yet)."""
    text = fold(text)
    if "@" in text or "://" in text or "www." in text or _DOMAIN_HINT.search(text):
        text = " ".join(token for token in text.split() if not _is_link(token))
    if "&" in text:
        text = _ENTITY.sub(" ", text)
    if "'" in text:
        found = (_ASCII_WORD if text.isascii() else _WORD).findall(text)
        found = [_trim_apostrophes(w) if "'" in w else w for w in found]
        found = [w for w in found if MIN_LETTERS <= len(w) <= MAX_LETTERS]
    else:
        found = (_ASCII_LONG_WORD if text.isascii() else _LONG_WORD).findall(text)
    if not DROPPED.isdisjoint(found):
        found = [w for w in found if w not in DROPPED]
    return tuple(found)


def fold(text: str) -> str:
    """Case folded, with typographic apostrophes made plain (don’t -> don't)."""
    text = text.casefold()
    if text.isascii():
        return text
    return text.replace("\u2019", "'").replace("\u2018", "'").replace("\u02bc", "'")


def _is_link(token: str) -> bool:
    """A URL, a bare domain, an @mention or an e-mail address (the whole whitespace-separated token)."""
    return ("@" in token or "://" in token or token.startswith(("www.", "(www."))
            or ("." in token and _DOMAIN.search(token) is not None))


cached_item_words = lru_cache(maxsize=1 << 18)(item_words)  # a rebuild in the same process reuses it


def _trim_apostrophes(word: str) -> str:
    """``robin's`` -> ``robin``, ``l'homme`` -> ``homme``; ``don't`` stays."""
    word = _ELISION.sub("", word)
    return word[:-2] if word.endswith("'s") else word


def is_own_entry(entry: Entry) -> bool:
    """True for text the person wrote: tweets and posts, not retweets (comments are never text)."""
    return entry.kind in ("tweet", "post") and not entry.retweet_of


def is_own_words(item: Item) -> bool:
    return is_own_entry(item.entry)


def entry_text(entry: Entry, text: str) -> str:
    """The text whose words count: a post's title and body (``text``), a tweet's text."""
    return f"{entry.title}\n{text}" if entry.title else text


def own_text(item: Item) -> str:
    return entry_text(item.entry, item.text)


def entry_words(entry: Entry, text: str) -> tuple[str, ...] | None:
    """``item_words`` of an entry with plain text ``text``; None when its words never count."""
    return item_words(entry_text(entry, text)) if is_own_entry(entry) else None


def source_of(item: Item) -> str:
    return "tweets" if item.entry.is_tweet else "posts"


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
    own = {fold(w.strip()) for w in extra if w and w.strip()}
    return language_stopwords(language) | own


@dataclass
class WordCounts:
    """Word counts of the person's own text, stop words removed."""

    all: Counter[str] = field(default_factory=Counter)
    by_year: dict[int, Counter[str]] = field(default_factory=dict)
    by_source: dict[str, Counter[str]] = field(default_factory=dict)


def count_words(items: Iterable[Item], stopwords: frozenset[str],
                words_of: Callable[[str], Iterable[str]] = cached_item_words) -> WordCounts:
    """One pass over the items: words per (year, source), counted, then summed; stop words last.

    An item's words are ``item.words`` when the loader worked them out (from its cache),
    otherwise ``words_of(own_text(item))``; pass a cached ``words_of`` to reuse work.
    """
    buckets: dict[tuple[int, str], list[str]] = {}
    for item in items:
        words = item.words  # only an own item has them (``entry_words``): no need to ask
        if words is None:
            if not is_own_words(item):
                continue
            words = words_of(own_text(item))
        key = (item.local_date.year, source_of(item))
        bucket = buckets.get(key)
        if bucket is None:
            bucket = buckets[key] = []
        bucket.extend(words)
    result = WordCounts()
    for (year, source), bucket in sorted(buckets.items()):
        counts = Counter(bucket)
        result.by_year.setdefault(year, Counter()).update(counts)
        result.by_source.setdefault(source, Counter()).update(counts)
    for counts in result.by_source.values():
        result.all.update(counts)
    for counts in [result.all, *result.by_year.values(), *result.by_source.values()]:
        for word in stopwords.intersection(counts):
            del counts[word]
    return result


def top_words(counts: Mapping[str, int], limit: int) -> list[tuple[str, int]]:
    """The ``limit`` most used words, most used first; ties in alphabetical order."""
    return heapq.nsmallest(limit, counts.items(), key=lambda pair: (-pair[1], pair[0]))
