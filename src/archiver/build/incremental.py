"""What a page is made from, as a fingerprint, so an unchanged page is not rendered again.

A page's output depends on (1) the build-wide inputs: archiver's code, site.yaml and the
context every template sees (years, standalone pages), (2) its template and the templates
that one reaches (``templatekeys.TemplateKeys``: an edited ``stats.html`` re-renders /stats/
only), and (3) its own context: the Items it shows and plain values (strings, numbers, dates,
dataclasses such as a Pager or a TagGroup, lists and dicts of those).

* An Item stands for its file (path + a digest of its text, from the loader) and its URL,
  plus the same for the other items its card shows: the quoted tweet, the tweet it replies to
  and the members of its thread. The Item a page is about (context key ``item``) also stands
  for what its own page shows: older/newer neighbours and the thread members' quoted and
  replied-to tweets. So editing a post re-renders its neighbours' pages, not every list they
  are on.
* Anything else in a context (a function, an unknown object) makes the page "opaque": it is
  rendered every time. So a new page kind is always correct, and fast when it passes data.

The rule for templates and page generators: a page may show only what its context, the
common context and the config hold, and a template loads another by a name written in it (a
name it computes makes its pages depend on every template).

Cost (24,000 pages of 21,000 items in ~0.25 s): every item's tokens are made once per build;
a list of Items is read in one C-level pass; each type's shape is decided once; a frozen
dataclass shown on several pages is walked once; a dataclass of plain values is its repr.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Mapping
from datetime import date, datetime, time
from functools import lru_cache
from pathlib import PurePath
from typing import Any

from archiver.build.render import Page
from archiver.build.site import Item, SiteIndex
from archiver.build.stamps import config_stamp, digest
from archiver.build.templatekeys import TemplateKeys
from archiver.config import Config

_MAX_DEPTH = 40
_SHORT = 64  # a frozen dataclass with more tokens than this is remembered by their digest


class _Opaque(Exception):
    """The context holds something that cannot be fingerprinted."""


class Fingerprints:
    """Input fingerprints of pages; ``None`` for a page that must always be rendered.

    Per build, each item's tokens are made once (its own, its card's, its thread's) and each
    frozen dataclass (a Day, a WordCloud ...) is walked once however many pages show it, so a
    page costs about one dictionary look-up per item it lists.
    """

    def __init__(self, site: SiteIndex, file_digests: Mapping[str, str], global_parts: list[str],
                 common: Mapping[str, Any], templates: TemplateKeys | None = None) -> None:
        """``global_parts``: what every page is made from (archiver's code); ``templates``:
        the key of each template (none: the page's template name stands for it)."""
        self._template_key = templates.key if templates is not None else str
        items = site.all_items
        self._own = {id(item): f"{item.entry.path}\x1f{file_digests.get(item.entry.path, '?')}"
                                f"\x1f{item.url}" for item in items}
        self._cards: dict[int, str] = {}  # id(item) -> card token, only of items kept alive
        self._keep: list[Any] = [items]  # what the id-keyed memos were made from, kept alive
        self._threads: dict[int, str] = {}  # id(thread list) -> its members' own tokens
        self._thread_pages: dict[int, str] = {}  # id(thread list) -> what their cards show
        self._frozen: dict[int, list[str]] = {}  # id(frozen dataclass) -> its tokens
        for item in items:
            self.card(item)
        parts: list[str] = [*global_parts, config_stamp(site.config)]
        self._walk(common, parts, 0)
        self.global_key = digest(parts)

    def _own_token(self, item: Item | None) -> str:
        if item is None:
            return "-"
        token = self._own.get(id(item))
        return token if token is not None else f"{item.entry.path}\x1f?\x1f{item.url}"

    def _remember(self, memo: dict[int, Any], value: Any, token: Any) -> Any:
        memo[id(value)] = token
        self._keep.append(value)  # an id stays this object's while the memo lives
        return token

    def _thread(self, thread: list[Item]) -> str:
        """The members of a thread (every member's card shows its length and its position)."""
        token = self._threads.get(id(thread))
        if token is None:
            token = self._remember(self._threads, thread,
                                   digest(self._own_token(member) for member in thread))
        return token

    def _thread_page(self, thread: list[Item]) -> str:
        """What the members' cards on a thread's page show of other items."""
        token = self._thread_pages.get(id(thread))
        if token is None:
            shown = []
            for member in thread:
                shown.append(self._own_token(member.quoted))
                shown.append(self._own_token(member.reply_parent))
            token = self._remember(self._thread_pages, thread, digest(shown))
        return token

    def card(self, item: Item) -> str:
        """The item and what its card (in a list) shows from other items."""
        token = self._cards.get(id(item))
        if token is None:
            token = self._own_token(item)  # has \x1f, so it is never one of the digests below
            if item.quoted is not None or item.reply_parent is not None or item.thread:
                token = digest((token, self._own_token(item.quoted),
                                self._own_token(item.reply_parent),
                                self._thread(item.thread) if item.thread else "-"))
            self._cards[id(item)] = token
            if id(item) not in self._own:
                self._keep.append(item)  # not the site's: keep it, so its id stays its own
        return token

    def card_of(self, value: Any) -> str | None:
        """``card`` of an Item; None for anything else."""
        return self.card(value) if isinstance(value, Item) else None

    def template_key(self, name: str) -> str:
        """The key of template ``name`` and of the templates it reaches."""
        return self._template_key(name)

    def item_page(self, item: Item) -> str:
        """The item and what its own page shows from other items."""
        own = self._own_token
        return "\x1d".join((own(item), self.card(item), own(item.newer), own(item.older),
                            self._thread_page(item.thread) if item.thread else "-"))

    def page(self, page: Page) -> str | None:
        parts = [self.global_key, self._template_key(page.template), page.path, page.template,
                 page.root]
        context = page.context
        subject = context.get("item")
        if isinstance(subject, Item):
            if len(context) == 1:  # an item's page: nothing else to walk (its card is in here)
                parts += ("{item}", self.item_page(subject))
                return digest(parts)
            parts.append(self.item_page(subject))
        try:
            self._walk(context, parts, 0)
        except _Opaque:
            return None
        return digest(parts)

    def _walk(self, value: Any, parts: list[str], depth: int) -> None:
        """Append tokens for ``value`` to ``parts``; raises _Opaque for what it cannot read."""
        kind = type(value)
        if kind is Item:
            token = self._cards.get(id(value))
            parts.append(token if token is not None else self.card(value))
            return
        if kind is str:
            parts.append(f"s{len(value)}:{value}")
            return
        if kind is int:
            parts.append(f"int:{value}")
            return
        shape = _shape(kind)
        if shape is _Shape.SCALAR:
            parts.append(f"{kind.__name__}:{value!r}")
            return
        if depth > _MAX_DEPTH or shape is _Shape.OPAQUE:
            raise _Opaque
        if shape is _Shape.SEQUENCE:
            self._walk_sequence(value, parts, depth)
        elif shape is _Shape.DATACLASS:
            self._walk_dataclass(value, parts, depth)
        elif shape is _Shape.MAPPING:
            parts.append("{")
            for key, sub in value.items():
                if type(key) is str:  # most keys: a template variable's name
                    parts.append(f"s{len(key)}:{key}")
                else:
                    self._walk(key, parts, depth + 1)
                self._walk(sub, parts, depth + 1)
            parts.append("}")
        elif shape is _Shape.ITEM:
            parts.append(self.card(value))
        elif shape is _Shape.TEXT:
            parts.append(f"s{len(value)}:{value}")
        elif shape is _Shape.CONFIG:
            parts.append(config_stamp(value))
        elif shape is _Shape.MOMENT:
            parts.append(f"{kind.__name__}:{value.isoformat()}")
        elif shape is _Shape.PATH:
            parts.append(f"path:{value}")
        else:  # _Shape.SET
            parts.append("<")
            for sub in sorted(value, key=_plain_key):
                self._walk(sub, parts, depth + 1)
            parts.append(">")

    def _walk_sequence(self, value: Any, parts: list[str], depth: int) -> None:
        """A list of Items (most are) in one C-level pass: an id in ``_cards`` is a live Item's."""
        parts.append("[")
        tokens = list(map(self._cards.get, map(id, value)))
        if None in tokens:
            for sub, token in zip(value, tokens):
                if token is None:
                    self._walk(sub, parts, depth + 1)
                else:
                    parts.append(token)
        else:
            parts += tokens
        parts.append("]")

    def _walk_dataclass(self, value: Any, parts: list[str], depth: int) -> None:
        """A dataclass by its fields; a frozen one is walked once per build and then reused."""
        kind = type(value)
        frozen = _is_frozen(kind)
        if frozen:
            known = self._frozen.get(id(value))
            if known is not None:
                parts += known
                return
        values = [getattr(value, name) for name in _field_names(kind)]
        if all(map(_is_plain, values)):  # only strings and numbers (a cloud's word): by repr
            own = [f"({kind.__qualname__}:{values!r})"]
        else:
            own = ["(", kind.__qualname__]
            for field_value in values:
                self._walk(field_value, own, depth + 1)
            own.append(")")
        if frozen:  # a long one is remembered by its digest (a Day of 100 items on 4 pages)
            own = self._remember(self._frozen, value, own if len(own) <= _SHORT else [digest(own)])
        parts += own


class _Shape(enum.Enum):
    """How a type's values are fingerprinted (decided once per type)."""

    SCALAR = "scalar"  # None, bool, int, float: by repr
    TEXT = "text"  # a str subclass
    ITEM = "item"  # an Item subclass: by its card
    CONFIG = "config"
    MOMENT = "moment"  # datetime, date, time: ISO format
    PATH = "path"
    MAPPING = "mapping"
    SEQUENCE = "sequence"  # list, tuple, range
    SET = "set"  # sorted; only of plain values
    DATACLASS = "dataclass"
    OPAQUE = "opaque"  # anything else: the page is rendered every time


# the first row whose types the value's type is a subclass of gives its shape
_SHAPE_OF_TYPES: tuple[tuple[tuple[type, ...], _Shape], ...] = (
    ((type(None), bool, int, float), _Shape.SCALAR),
    ((str,), _Shape.TEXT),
    ((Item,), _Shape.ITEM),
    ((Config,), _Shape.CONFIG),
    ((datetime, date, time), _Shape.MOMENT),
    ((PurePath,), _Shape.PATH),
    ((Mapping,), _Shape.MAPPING),
    ((list, tuple, range), _Shape.SEQUENCE),
    ((set, frozenset), _Shape.SET),
)


@lru_cache(maxsize=None)
def _shape(kind: type) -> _Shape:
    for types, shape in _SHAPE_OF_TYPES:
        if issubclass(kind, types):
            return shape
    if dataclasses.is_dataclass(kind) and isinstance(kind, type):
        return _Shape.DATACLASS
    return _Shape.OPAQUE


@lru_cache(maxsize=None)
def _field_names(kind: type) -> tuple[str, ...]:
    return tuple(spec.name for spec in dataclasses.fields(kind))


_PLAIN_TYPES = frozenset({str, int, float, bool, type(None)})


def _is_plain(value: Any) -> bool:
    """A string, number, bool or None, or a tuple of those: its repr says exactly what it is."""
    kind = type(value)
    return kind in _PLAIN_TYPES or (kind is tuple and all(type(sub) in _PLAIN_TYPES for sub in value))


@lru_cache(maxsize=None)
def _is_frozen(kind: type) -> bool:
    params = getattr(kind, "__dataclass_params__", None)
    return bool(params is not None and params.frozen)


def _plain_key(value: Any) -> str:
    if value is None or isinstance(value, (str, int, float)):
        return f"{type(value).__name__}:{value}"
    raise _Opaque
