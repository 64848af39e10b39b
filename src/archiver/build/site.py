"""The site's index: published items with their URLs, tags, date archives and threads.

Everything is built in one pass over the entries and kept in dicts, so no step scans all
items per tag or per month (what made Pelican slow).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from operator import attrgetter
from datetime import datetime
from typing import Iterable

from archiver.build.comments import CommentNode, comment_tree
from archiver.build.loader import Loaded
from archiver.config import PERMALINK_FIELDS, Config
from archiver.errors import ArchiverError
from archiver.model import FOLDER_KINDS, TWEET_KINDS, Entry
from archiver.paths import MAX_SLUG, is_safe_relative, slugify, tag_slug

TITLE_CHARS = 70
MENU_PAGES = 20  # standalone pages linked from every page's menu; more would swamp each page
PAGES_INDEX = "/pages/"  # where the menu links all of them when there are more
# Text that slugify returns unchanged: lowercase ASCII words joined by single hyphens, longer
# than any Windows device name (con, com1 ...) and not longer than a slug may be.
_PLAIN_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def shorten(text: str, limit: int = TITLE_CHARS) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(",.;:-") + "…"


@dataclass(frozen=True)
class Tag:
    name: str
    slug: str

    @property
    def url(self) -> str:
        return f"/tags/{self.slug}/"


@dataclass(frozen=True)
class MenuLink:
    """A standalone page as the menu of every page links it: its title and its address only,
    so that editing the page's text re-renders that page, not every page that has the menu."""

    title: str
    url: str


@dataclass(eq=False, slots=True)
class Item:
    """A published entry as the templates see it (slots: 21,000 of them are made per build)."""

    entry: Entry
    html: str
    url: str
    local_date: datetime
    title: str
    text: str
    tags: list[Tag] = field(default_factory=list)
    thread: list["Item"] = field(default_factory=list)  # the whole thread, oldest first
    reply_parent: "Item | None" = None
    quoted: "Item | None" = None  # the quoted tweet when it is in the archive
    newer: "Item | None" = None
    older: "Item | None" = None
    words: tuple[str, ...] | None = None  # words.entry_words of it, when the loader has them

    @property
    def kind(self) -> str:
        return self.entry.kind

    @property
    def is_tweet(self) -> bool:
        return self.entry.is_tweet

    @property
    def out_path(self) -> str:
        return self.url.lstrip("/") + "index.html"

    @property
    def has_title(self) -> bool:
        return bool(self.entry.title)

    @property
    def thread_position(self) -> int:
        return self.thread.index(self) + 1 if self.thread else 0

    @property
    def comment_tree(self) -> list[CommentNode]:
        return comment_tree(self.entry.comments)


@dataclass
class TagGroup:
    tag: Tag
    items: list[Item] = field(default_factory=list)


@dataclass
class SiteIndex:
    """All published items, newest first, and the groupings the pages need."""

    config: Config
    items: list[Item]  # posts and tweets, newest first (the timeline)
    pages: list[Item]  # standalone pages (About ...)
    tags: dict[str, TagGroup]
    years: dict[int, dict[int, list[Item]]]
    by_tweet_id: dict[str, Item]
    warnings: list[str]
    pages_index: str = ""  # URL of the list of all standalone pages, when the menu has no room

    @property
    def all_items(self) -> list[Item]:
        return [*self.items, *self.pages]

    @property
    def menu_pages(self) -> list[MenuLink]:
        """The standalone pages the menu links (the first MENU_PAGES by title; ``pages_index``
        lists them all)."""
        return [MenuLink(title=page.title, url=page.url) for page in self.pages[:MENU_PAGES]]


def _misplaced_pages(pages: list[Item]) -> list[str]:
    """Pages in a folder that is not pages/ (content/ unpacked one level too deep, a blog in
    content/blog/ ...): say so, since each becomes a standalone page, not a post or tweet."""
    outside: dict[str, int] = defaultdict(int)
    for item in pages:
        folder, slash, _ = item.entry.path.partition("/")
        if slash and folder not in FOLDER_KINDS:  # not posts/ with 'kind: page', say
            outside[folder] += 1
    return [f"content/{folder}/: {count} file(s) outside posts/, tweets/ and pages/ are built "
            "as standalone pages; move posts to content/posts/ and tweets to content/tweets/ "
            "(or set 'kind:' in their front matter)" for folder, count in sorted(outside.items())]


def _pages_index(pages: list[Item], taken: dict[str, Item], warnings: list[str]) -> str:
    """PAGES_INDEX when the menu cannot link every standalone page (and no item has that URL)."""
    if len(pages) <= MENU_PAGES:
        return ""
    if PAGES_INDEX in taken:
        warnings.append(f"{len(pages)} standalone pages: the menu links only the first {MENU_PAGES}, "
                        f"since {PAGES_INDEX} (the list of all of them) is "
                        f"content/{taken[PAGES_INDEX].entry.path}")
        return ""
    return PAGES_INDEX


def build_index(config: Config, loaded: Iterable[Loaded]) -> SiteIndex:
    """Published items with URLs, tag groups, year/month archives and threads."""
    tz = config.tz
    items: list[Item] = []
    pages: list[Item] = []
    urls = _Urls()
    for record in loaded:
        entry = record.entry
        if not entry.is_published:  # drafts, private posts, deleted tweets: never built
            continue
        local = entry.date.astimezone(tz)
        text = record.text
        title = entry.title or shorten(text) or f"{entry.kind.title()} {local:%Y-%m-%d}"
        item = Item(entry=entry, html=record.html, url=permalink(config, entry, local), local_date=local,
                    title=title, text=text, tags=_tags(entry.tags) if entry.tags else [],
                    words=record.words)
        urls.claim(item)
        (pages if entry.kind == "page" else items).append(item)
    urls.settle()
    items.sort(key=_TIMELINE_KEY, reverse=True)
    pages.sort(key=lambda i: i.title.lower())
    warnings = [*urls.warnings(), *_misplaced_pages(pages)]
    pages_index = _pages_index(pages, urls.holder, warnings)
    for newer, older in zip(items, items[1:]):
        newer.older, older.newer = older, newer
    tweets = [item for item in items if item.entry.kind in TWEET_KINDS]
    by_tweet_id = {i.entry.source_id: i for i in tweets if i.entry.source_id}
    _link_threads(tweets, by_tweet_id)
    for item in items:
        quoted_id = item.entry.quote_of.get("id", "") if item.entry.quote_of else ""
        if quoted_id:
            item.quoted = by_tweet_id.get(quoted_id)
    return SiteIndex(config=config, items=items, pages=pages, tags=_group_tags(items),
                     years=_group_dates(items), by_tweet_id=by_tweet_id, warnings=warnings,
                     pages_index=pages_index)


_TIMELINE_KEY = attrgetter("entry.date", "url")  # newest first, with reverse=True


def permalink(config: Config, entry: Entry, local: datetime) -> str:
    """The URL path of an entry from the site's permalink patterns (``/YYYY/MM/slug/``).

    Safe by construction: fields become digits or slugs, and the pattern's other parts are
    checked once (an unsafe one is an error in site.yaml).
    """
    pattern = config.permalinks.get("tweet" if entry.kind in TWEET_KINDS else entry.kind,
                                    config.permalinks["post"])
    parts = []
    for part in _pattern_parts(pattern):  # fields computed only when used (slugify is costly)
        if part == ":year":  # as strftime's %Y (no zero before a year under 1000), 20x faster
            part = str(local.year)
        elif part == ":month":
            part = f"{local.month:02d}"
        elif part == ":day":
            part = f"{local.day:02d}"
        elif part == ":slug":
            part = cached_slugify(entry.slug or _stem(entry) or entry.title, "item")
        elif part == ":id":
            part = cached_slugify(entry.source_id or entry.id or _stem(entry), "item")
        parts.append(part)
    return "/" + "/".join(parts) + "/"


def _stem(entry: Entry) -> str:
    """The file name without .md: what names an item that has no slug (or id)."""
    return entry.path.rsplit("/", 1)[-1].removesuffix(".md") if entry.path else ""


@lru_cache(maxsize=16)
def _pattern_parts(pattern: str) -> tuple[str, ...]:
    parts = tuple(pattern.strip("/").split("/"))
    for part in parts:
        if part not in PERMALINK_FIELDS and not is_safe_relative(part):
            raise ArchiverError(f"permalink pattern {pattern!r} has an unsafe part {part!r}",
                                where="site.yaml", hint="use fields like :year and :slug and plain words")
    return parts


def cached_slugify(text: str, fallback: str = "item") -> str:
    """slugify; text that already is a slug (a tweet's id, a post's file name) is its own."""
    if 4 < len(text) <= MAX_SLUG and ((text.isdigit() and text.isascii()) or _PLAIN_SLUG.fullmatch(text)):
        return text  # a tweet id's digits are checked without the regex (2 us each, 20,000 tweets)
    return _remembered_slug(text, fallback)


@lru_cache(maxsize=1 << 16)
def _remembered_slug(text: str, fallback: str) -> str:
    """slugify, remembered: tag names repeat thousands of times in a big archive."""
    return slugify(text, fallback=fallback)


class _Urls:
    """The URLs items take: each its permalink. When several items want one URL, the oldest
    keeps it (the one that had it first, on the blog it came from) and the others get the next
    free ``url-N/``, oldest first: a post added later never takes the address of one people
    link to, whatever the names of their files.

    The numbers tried go up within a URL (3,000 posts titled "Untitled" in one month took a
    second when each started from 2), and the items moved from one URL are named in one warning.
    """

    def __init__(self) -> None:
        self.holder: dict[str, Item] = {}  # URL -> the item that has it
        self._rivals: dict[str, list[Item]] = defaultdict(list)  # URL -> the others that want it
        self._moved: dict[str, list[tuple[str, str]]] = defaultdict(list)  # URL -> (path, new URL)

    def claim(self, item: Item) -> None:
        """Give ``item`` the URL it has (its permalink), unless another item wants it too."""
        if item.url in self.holder:
            self._rivals[item.url].append(item)
        else:
            self.holder[item.url] = item

    def settle(self) -> None:
        """Decide the URLs several items want (after every item claimed its own)."""
        for url, rivals in self._rivals.items():
            keeper, *others = sorted([self.holder[url], *rivals], key=_first_come)
            self.holder[url] = keeper
            base, number = url.rstrip("/"), 2
            for item in others:
                while f"{base}-{number}/" in self.holder:
                    number += 1
                item.url = f"{base}-{number}/"
                self.holder[item.url] = item
                self._moved[url].append((item.entry.path, item.url))

    def warnings(self) -> list[str]:
        said = []
        for url, moved in self._moved.items():
            (path, new), owner = moved[0], self.holder[url].entry.path
            if len(moved) == 1:
                said.append(f"{path}: URL {url} is already used by {owner}; using {new} "
                            "(set a different 'slug')")
            else:
                said.append(f"{len(moved) + 1} files want URL {url}, which {owner} has: {path} gets "
                            f"{new} ... {moved[-1][0]} gets {moved[-1][1]} (set different 'slug's)")
        return said


def _first_come(item: Item) -> tuple[datetime, str]:
    """Which of the items that want one URL had it first: the oldest (then by file name)."""
    return item.entry.date, item.entry.path


def _tags(names: Iterable[str]) -> list[Tag]:
    seen: dict[str, Tag] = {}
    for name in names:
        tag = _tag(name)
        if tag is not None:
            seen.setdefault(tag.slug, tag)
    return list(seen.values())


@lru_cache(maxsize=1 << 14)
def _tag(name: str) -> Tag | None:
    """The Tag of a name as written in front matter (None when it is blank); Tags are immutable."""
    name = name.strip().lstrip("#").strip()
    return Tag(name=name, slug=tag_slug(name)) if name else None


def _group_tags(items: list[Item]) -> dict[str, TagGroup]:
    """Items per tag slug; a tag shows the casing used most often (ties: the oldest use)."""
    members: dict[str, list[Item]] = defaultdict(list)
    spellings: dict[str, dict[str, int]] = defaultdict(dict)
    for item in reversed(items):  # oldest first, so dict order = first use
        for tag in item.tags:
            spelling = spellings[tag.slug]
            spelling[tag.name] = spelling.get(tag.name, 0) + 1
    for item in items:
        for tag in item.tags:
            members[tag.slug].append(item)
    groups = {}
    for slug in sorted(members):
        names = spellings[slug]
        name = max(names, key=lambda n: names[n])  # max keeps the first (oldest) among equals
        groups[slug] = TagGroup(tag=Tag(name=name, slug=slug), items=members[slug])
    return groups


def _group_dates(items: list[Item]) -> dict[int, dict[int, list[Item]]]:
    years: dict[int, dict[int, list[Item]]] = defaultdict(lambda: defaultdict(list))
    for item in items:
        years[item.local_date.year][item.local_date.month].append(item)
    return {year: dict(sorted(months.items())) for year, months in sorted(years.items())}


def _link_threads(tweets: list[Item], by_tweet_id: dict[str, Item]) -> None:
    """Replies to one's own tweets form threads: each tweet learns its whole thread."""
    for item in tweets:
        reply_to = item.entry.reply_to
        parent_id = reply_to.get("id", "") if reply_to else ""
        if parent_id:
            item.reply_parent = by_tweet_id.get(parent_id)
    root_of = _thread_roots(tweets)
    if not root_of:
        return
    roots = {id(root) for root in root_of.values()}
    threads: dict[int, list[Item]] = defaultdict(list)
    for item in tweets:  # in timeline order, as the sort below keeps equal dates
        root = root_of.get(id(item)) or (item if id(item) in roots else None)
        if root is not None:
            threads[id(root)].append(item)
    for members in threads.values():
        if len(members) > 1:
            members.sort(key=_thread_order)
            for member in members:
                member.thread = members


def _thread_order(item: Item) -> tuple[datetime, int, str]:
    """Oldest first; tweets of the same second by id (a reply's id is larger than its
    parent's: ids grow with time), so a thread never shows an answer before its question."""
    tweet_id = item.entry.source_id
    return item.entry.date, len(tweet_id), tweet_id


def _thread_roots(tweets: list[Item]) -> dict[int, Item]:
    """id of each reply (to one's own tweet) -> its thread's first tweet; replies that lead
    into a cycle of replies have none. Each tweet is walked once (a chain of 20,000 replies
    is 20,000 steps, not 200 million)."""
    root_of: dict[int, Item | None] = {}
    for item in tweets:
        if item.reply_parent is None or id(item) in root_of:
            continue
        path: list[Item] = []
        on_path: set[int] = set()
        node = item
        while node.reply_parent is not None and id(node) not in root_of and id(node) not in on_path:
            path.append(node)
            on_path.add(id(node))
            node = node.reply_parent
        if id(node) in on_path:  # a cycle (a tweet replying to itself is one)
            root = None
        else:
            root = root_of[id(node)] if id(node) in root_of else node
        for member in path:
            root_of[id(member)] = root
    return {key: root for key, root in root_of.items() if root is not None}
