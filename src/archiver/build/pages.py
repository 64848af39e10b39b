"""Page generators: each turns the site index into the Pages of one kind of page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Mapping, Sequence

from archiver.build.render import Page
from archiver.build.site import Item, SiteIndex
from archiver.config import base_path
from archiver.errors import ArchiverError
from archiver.model import TWEET_KINDS
from archiver.paths import alias_path, usable_alias


@dataclass(frozen=True)
class Pager:
    """One page of a paginated list."""

    items: Sequence[Item]
    number: int
    count: int
    base: str  # URL of page 1, e.g. "/tags/x/"

    def url(self, number: int) -> str:
        return self.base if number == 1 else f"{self.base}page/{number}/"

    @property
    def newer_url(self) -> str:
        return self.url(self.number - 1) if self.number > 1 else ""

    @property
    def older_url(self) -> str:
        return self.url(self.number + 1) if self.number < self.count else ""


def paginate(items: Sequence[Item], size: int, base: str, template: str,
             **context: object) -> Iterator[Page]:
    """Pages of ``size`` items at ``base``, ``base/page/2/``, ..."""
    count = max(1, -(-len(items) // size))
    for number in range(1, count + 1):
        pager = Pager(items=items[(number - 1) * size:number * size], number=number, count=count,
                      base=base)
        path = pager.url(number).lstrip("/") + "index.html"
        yield Page(path, template, {"pager": pager, **context})


def home_pages(site: SiteIndex) -> Iterator[Page]:
    yield from paginate(site.items, site.config.pagination, "/", "list.html",
                        heading=site.config.title, kind="home")


def pages_index_pages(site: SiteIndex) -> Iterator[Page]:
    """The list of every standalone page, when the menu has no room for them all."""
    if site.pages_index:
        yield from paginate(site.pages, site.config.pagination, site.pages_index, "list.html",
                            heading="Pages", kind="pages")


def entry_pages(site: SiteIndex) -> Iterator[Page]:
    for item in site.all_items:
        yield Page(item.out_path, "entry.html", {"item": item})


def tag_pages(site: SiteIndex) -> Iterator[Page]:
    groups = sorted(site.tags.values(), key=lambda g: g.tag.name.lower())
    yield Page("tags/index.html", "tags.html", {"groups": groups})
    for group in groups:
        yield from paginate(group.items, site.config.pagination, group.tag.url, "list.html",
                            heading=f"Tagged “{group.tag.name}”", kind="tag", tag=group.tag)


def archive_pages(site: SiteIndex, year_clouds: Mapping[int, object] | None = None) -> Iterator[Page]:
    """A page per year (months, posts, counts, the year's word cloud) and a paginated page per month.

    ``year_clouds`` are the year clouds of ``wordpages.site_words`` (laid out once, shown twice).
    """
    year_clouds = year_clouds or {}
    months_in_order = [(year, month) for year, months in site.years.items() for month in months]
    neighbours = dict(zip(months_in_order, zip([None, *months_in_order], [*months_in_order[1:], None])))
    for year, months in site.years.items():
        posts = [item for month_items in months.values() for item in month_items
                 if item.entry.kind not in TWEET_KINDS]
        yield Page(f"{year}/index.html", "year.html", {
            "year": year,
            "months": months,
            "posts": posts,
            "tweet_count": sum(map(len, months.values())) - len(posts),
            "post_count": len(posts),
            "year_cloud": year_clouds.get(year),
        })
        for month, items in months.items():
            older, newer = neighbours[(year, month)]
            yield from paginate(items, site.config.pagination, f"/{year}/{month:02d}/", "list.html",
                                heading=f"{_month_name(month)} {year}", kind="month", year=year,
                                older_month=_month_link(older), newer_month=_month_link(newer))


def not_found_page(site: SiteIndex) -> Iterator[Page]:
    """The 404 page is served at any missing path, so its links must not be relative."""
    yield Page("404.html", "404.html", {}, root=base_path(site.config.base_url))


def page_paths(pages: Sequence[Page]) -> set[str]:
    """The output paths of ``pages``; two pages at one path is an error naming what they are."""
    first: dict[str, Page] = {}
    for page in pages:
        other = first.setdefault(page.path, page)
        if other is not page:
            item = next((p.context["item"] for p in (page, other) if "item" in p.context), None)
            url = "/" + page.path.removesuffix("index.html")
            raise ArchiverError(f"{_what(other)} and {_what(page)} both want {url}",
                                where=f"content/{item.entry.path}" if item else page.path,
                                hint="give it another 'slug' in its front matter")
    return set(first)


def _what(page: Page) -> str:
    item = page.context.get("item")
    if isinstance(item, Item):
        return f"{item.entry.kind} {item.title!r}"
    return f"the site's {page.template.removesuffix('.html').replace('-', ' ')} page"


def redirect_pages(site: SiteIndex, taken: set[str]) -> Iterator[Page]:
    """A small page at each old path (``aliases``) that sends readers to the new URL; an
    alias that cannot be one is left out with a warning (``site.warnings``)."""
    redirected: dict[str, Item] = {}  # the redirects made so far: path -> their item
    for item in site.all_items:
        for alias in item.entry.aliases:
            path = alias_path(alias)
            if path == item.out_path or redirected.get(path) is item:
                continue  # the item's own address, or an alias given twice (/a and /a/)
            if not path:
                if not usable_alias(alias):  # (one with a query string goes to old-links.js)
                    site.warnings.append(f"content/{item.entry.path}: alias {alias!r} cannot be "
                                         "a page of the site (empty, the home page or an unsafe "
                                         "path); left out")
            elif path in taken:
                site.warnings.append(f"content/{item.entry.path}: alias {alias!r} is the address "
                                     "of another page; left out")
            else:
                taken.add(path)
                redirected[path] = item
                yield Page(path, "redirect.html", {"item": item})


def _month_link(month: tuple[int, int] | None) -> tuple[str, str] | None:
    """(label, URL) of a month page, for the links between months (None: there is none)."""
    if month is None:
        return None
    year, number = month
    return f"{_month_name(number)} {year}", f"/{year}/{number:02d}/"


def _month_name(month: int) -> str:
    from datetime import date

    return date(2000, month, 1).strftime("%B")
