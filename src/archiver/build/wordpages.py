"""Word cloud pages: /words/ (everything), /words/YYYY/, /words/tweets/ and /words/posts/.

``site_words`` counts the words once and lays out every cloud once; the year archive pages
show the same year clouds (pass ``site_words(site).years`` to ``archive_pages``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterator, Mapping
from urllib.parse import quote

from archiver.build.cloud import CLOUD_WORDS, Cloud, layout, ordered
from archiver.build.layoutcache import LayoutCache
from archiver.build.render import Page
from archiver.build.site import SiteIndex, cached_slugify
from archiver.build.words import count_words, stopwords_for, top_words

SOURCE_TITLES = {"tweets": "Tweets", "posts": "Posts"}


@dataclass(frozen=True)
class WordCloud:
    """One cloud page: what it covers, its laid-out words, and how many distinct words there were."""

    title: str
    url: str
    cloud: Cloud
    distinct: int

    @property
    def out_path(self) -> str:
        return self.url.lstrip("/") + "index.html"


@dataclass
class SiteWords:
    everything: WordCloud
    years: dict[int, WordCloud] = field(default_factory=dict)
    sources: dict[str, WordCloud] = field(default_factory=dict)

    @property
    def clouds(self) -> list[WordCloud]:
        """Every cloud in page order: all, per source, per year (newest first)."""
        return [self.everything, *self.sources.values(),
                *(self.years[year] for year in sorted(self.years, reverse=True))]


def word_linker(site: SiteIndex) -> Callable[[str], str]:
    """A word's link: its tag page when it is a tag, else a search for it ('' without search)."""
    tag_urls = {slug: group.tag.url for slug, group in site.tags.items()}
    search = site.config.search

    def link(word: str) -> str:
        url = tag_urls.get(cached_slugify(word, fallback=""))
        if url:
            return url
        return f"/search/?q={quote(word)}" if search else ""

    return link


def site_words(site: SiteIndex, layouts: LayoutCache | None = None) -> SiteWords:
    """Count the person's words once and lay out the cloud of everything, each source, each year.

    ``layouts`` remembers placements between builds, so unchanged clouds are not laid out again.
    """
    config = site.config
    stopwords = stopwords_for(config.language, config.words.get("stopwords", ()))
    counts = count_words(site.items, stopwords)
    link = word_linker(site)
    place = layouts.place if layouts is not None else None
    sources = {source: counts.by_source[source] for source in SOURCE_TITLES if counts.by_source.get(source)}
    years = {year: words for year, words in sorted(counts.by_year.items()) if words}
    if layouts is not None:
        layouts.prepare(ordered(top_words(words, CLOUD_WORDS))
                        for words in (counts.all, *sources.values(), *years.values()))

    def make(title: str, url: str, words: Mapping[str, int]) -> WordCloud:
        return WordCloud(title=title, url=url, cloud=layout(top_words(words, CLOUD_WORDS), link, place),
                         distinct=len(words))

    return SiteWords(
        everything=make("All words", "/words/", counts.all),
        sources={source: make(SOURCE_TITLES[source], f"/words/{source}/", words)
                 for source, words in sources.items()},
        years={year: make(str(year), f"/words/{year}/", words) for year, words in years.items()},
    )


def words_pages(site: SiteIndex, words: SiteWords | None = None) -> Iterator[Page]:
    """/words/ and one page per source and year, each with its cloud and ranked list."""
    words = words if words is not None else site_words(site)
    nav = [(cloud.title, cloud.url) for cloud in words.clouds]  # plain data: cheap to fingerprint
    for current in words.clouds:
        heading = "Words" if current is words.everything else f"Words: {current.title}"
        yield Page(current.out_path, "words.html",
                   {"current": current, "clouds": nav, "heading": heading})
