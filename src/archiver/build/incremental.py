"""What a page is made from, as a fingerprint, so an unchanged page is not rendered again.

A page's output depends on (1) the build-wide inputs: archiver's code, site.yaml, the
templates and the context every template sees (years, standalone pages), and (2) its own
context: the Items it shows and plain values (strings, numbers, dates, dataclasses such as a
Pager or a TagGroup, lists and dicts of those).

* An Item stands for its file (path + size + mtime, from the loader) and its URL, plus the
  same for the other items its card shows: the quoted tweet, the tweet it replies to and the
  members of its thread. The Item a page is about (context key ``item``) also stands for what
  its own page shows: older/newer neighbours and the thread members' quoted and replied-to
  tweets. So editing a post re-renders its neighbours' pages, not every list they are on.
* Anything else in a context (a function, an unknown object) makes the page "opaque": it is
  rendered every time. So a new page kind is always correct, and fast when it passes data.

The rule for templates and page generators: a page may show only what its context, the
common context and the config hold.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, time
from functools import lru_cache
from pathlib import Path, PurePath
from typing import Any

import archiver
from archiver import __version__
from archiver.build.render import Page
from archiver.build.site import Item, SiteIndex
from archiver.config import Config

_MAX_DEPTH = 40


class _Opaque(Exception):
    """The context holds something that cannot be fingerprinted."""


def digest(parts: Iterable[str]) -> str:
    text = "\x1e".join(parts)
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def tree_stamps(folder: Path, skip_dirs: tuple[str, ...] = ("__pycache__",)) -> list[str]:
    """``rel size mtime`` of every file under ``folder`` (sorted; empty when it is missing)."""
    stamps: list[str] = []
    if not folder.is_dir():
        return stamps
    base = len(str(folder)) + 1
    for parent, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in skip_dirs)
        for name in sorted(files):
            path = os.path.join(parent, name)
            try:
                stat = os.stat(path)
            except OSError:
                continue
            stamps.append(f"{path[base:]} {stat.st_size} {stat.st_mtime_ns}")
    return stamps


def code_stamps() -> list[str]:
    """The build's own code and data (archiver/build/: pages, stop words ...) and the version.

    A new version, or an edited build module in a development tree, renders everything.
    """
    return [__version__, *tree_stamps(Path(archiver.__file__).resolve().parent / "build")]


def config_stamp(config: Config) -> str:
    """The validated site.yaml, the same whichever way the site folder was named (--site .)."""
    return repr(dataclasses.replace(config, root=config.root.resolve()))


def template_stamps(folders: Iterable[Path]) -> list[str]:
    return [f"{folder}:{stamp}" for folder in folders for stamp in tree_stamps(folder)]


class Fingerprints:
    """Input fingerprints of pages; ``None`` for a page that must always be rendered."""

    def __init__(self, site: SiteIndex, file_stamps: Mapping[str, str], global_parts: list[str],
                 common: Mapping[str, Any]) -> None:
        self._own = {id(item): f"{item.entry.path}\x1f{file_stamps.get(item.entry.path, '?')}"
                                f"\x1f{item.url}" for item in site.all_items}
        self._cards: dict[int, str] = {}
        parts: list[str] = [*global_parts, config_stamp(site.config)]
        self._walk(common, parts.append, 0)
        self.global_key = digest(parts)

    def _own_token(self, item: Item) -> str:
        token = self._own.get(id(item))
        return token if token is not None else f"{item.entry.path}\x1f?\x1f{item.url}"

    def card(self, item: Item) -> str:
        """The item and what its card (in a list) shows from other items."""
        token = self._cards.get(id(item))
        if token is None:
            token = self._tokens(item, [item.quoted, item.reply_parent, *item.thread])
            self._cards[id(item)] = token
        return token

    def item_page(self, item: Item) -> str:
        """The item and what its own page shows from other items."""
        shown = [item.newer, item.older]
        for member in item.thread:
            shown.extend((member.quoted, member.reply_parent))
        return self._tokens(item, [self.card(item), *shown])

    def _tokens(self, item: Item, shown: list[Item | str | None]) -> str:
        return "\x1d".join([self._own_token(item), *(
            "-" if other is None else other if isinstance(other, str) else self._own_token(other)
            for other in shown)])

    def page(self, page: Page) -> str | None:
        parts = [self.global_key, page.path, page.template, page.root]
        subject = page.context.get("item")
        if isinstance(subject, Item):
            parts.append(self.item_page(subject))
        try:
            self._walk(page.context, parts.append, 0)
        except _Opaque:
            return None
        return digest(parts)

    def _walk(self, value: Any, out: Callable[[str], None], depth: int) -> None:  # noqa: C901
        kind = type(value)
        if kind is str or kind is int or value is None:
            out(f"{kind.__name__}:{value}")
        elif kind is Item:
            out(self.card(value))
        elif kind is list or kind is tuple:
            out("[")
            for sub in value:
                self._walk(sub, out, depth + 1)
            out("]")
        elif depth > _MAX_DEPTH:
            raise _Opaque
        elif kind is Config:
            out(config_stamp(value))
        elif isinstance(value, (str, int, float)):
            out(f"{kind.__name__}:{value}")
        elif isinstance(value, Item):
            out(self.card(value))
        elif isinstance(value, (datetime, date, time)):
            out(value.isoformat())
        elif isinstance(value, PurePath):
            out(f"path:{value}")
        elif isinstance(value, Mapping):
            out("{")
            for key, sub in value.items():
                self._walk(key, out, depth + 1)
                self._walk(sub, out, depth + 1)
            out("}")
        elif isinstance(value, (list, tuple, range)):
            out("[")
            for sub in value:
                self._walk(sub, out, depth + 1)
            out("]")
        elif isinstance(value, (set, frozenset)):
            out("<")
            for sub in sorted(value, key=_plain_key):
                self._walk(sub, out, depth + 1)
            out(">")
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            out(kind.__qualname__)
            for name in _field_names(kind):
                self._walk(getattr(value, name), out, depth + 1)
        else:
            raise _Opaque


@lru_cache(maxsize=None)
def _field_names(kind: type) -> tuple[str, ...]:
    return tuple(spec.name for spec in dataclasses.fields(kind))


def _plain_key(value: Any) -> str:
    if value is None or isinstance(value, (str, int, float)):
        return f"{type(value).__name__}:{value}"
    raise _Opaque
