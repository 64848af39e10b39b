"""Importer protocol and registry.

An importer turns one source (a file, folder, zip or URL) into ``ImportedItem``s. It never
writes files: the store does. Importers are registered by name in the entry point group
``archiver.importers`` (see pyproject.toml), so a plugin package can add its own.

To write one: subclass ``Importer``, set ``name``, ``help`` and ``options`` (extra click
options, passed to ``__init__`` as keyword arguments), and implement ``read``. Report a bad
item with ``context.skip(where, reason)`` and go on; in ``--strict`` mode that raises.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any, ClassVar, Iterable, Iterator
from urllib.parse import SplitResult, unquote, urljoin, urlsplit
from zoneinfo import ZoneInfo

import click

from archiver.errors import ArchiverError
from archiver.paths import usable_alias
from archiver.store import ImportedItem

ENTRY_POINT_GROUP = "archiver.importers"
DROPPED_TAGS = frozenset({"uncategorized"})  # blog engines' default category, not a real tag


# A blog post of 1 MB is long; ten times that is no post but a damaged or hostile export (one
# 50 MB field made a build take 75 s and 4 GB): such an item is skipped with its size.
MAX_POST_CHARS = 10_000_000


def too_long(text: str, limit: int, what: str) -> str:
    """The reason to skip an item whose ``what`` (its text, its body) is over ``limit``
    characters; '' when it is not."""
    if len(text) <= limit:
        return ""
    return f"{what} of {len(text):,} characters is over the limit of {limit:,}"


def usable_aliases(paths: Iterable[str]) -> tuple[str, ...]:
    """The old paths that can name an old page (``paths.usable_alias``), once each, in order:
    the build leaves the others out (empty, the home page, a '..' step), so an importer does
    not write them."""
    return tuple(dict.fromkeys(path for path in paths if usable_alias(path)))


_NO_URL = urlsplit("")


def split_url(url: str) -> SplitResult:
    """``urlsplit(url)``; an address it cannot read (a malformed IPv6 host such as
    ``http://[x/``) splits as the empty URL: no scheme, host or path, so it is dropped
    where an address is required, and one bad link never stops an import."""
    try:
        return urlsplit(url)
    except ValueError:
        return _NO_URL


def url_file_name(url: str) -> str:
    """The last part of an address's path, decoded: ``.../my%20v.mp4?x=1`` -> ``my v.mp4``."""
    return unquote(split_url(url).path).rstrip("/").rsplit("/", 1)[-1]


def web_url(url: str) -> str:
    """``url`` (stripped) when it is a readable http(s) address, else "": the one test for an
    address taken from an export (a comment author's site, an item's original link)."""
    url = url.strip()
    return url if split_url(url).scheme in ("http", "https") else ""


def join_url(base: str, link: str) -> str:
    """``urljoin(base, link)``, or "" when the result is no valid URL (a malformed IPv6 host
    such as ``http://[x/``): one bad address in an export never stops its import."""
    try:
        joined = urljoin(base, link)
        urlsplit(joined).hostname  # checks the host in brackets, which urljoin may not
    except ValueError:
        return ""
    return joined


def tag_names(names: Iterable[str]) -> tuple[str, ...]:
    """Tags in first-seen order and casing: whitespace runs collapsed, and empty names,
    duplicates (any case) and "Uncategorized" dropped."""
    seen: dict[str, str] = {}
    for name in names:
        name = " ".join(name.split())
        if name and name.lower() not in DROPPED_TAGS:
            seen.setdefault(name.casefold(), name)
    return tuple(seen.values())


@dataclass
class ImportContext:
    """What an importer may use while reading: site settings and the skip log."""

    timezone: ZoneInfo
    strict: bool = False
    site_root: Path | None = None  # the site folder (content/ is inside); None in unit tests
    skipped: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    total: int | None = None  # set by an importer that knows how many items will come

    def skip(self, where: str, reason: str) -> None:
        """Record a bad item; with --strict, stop the import instead."""
        if self.strict:
            raise ArchiverError(reason, where=where,
                                hint="fix the item or run without --strict to skip it")
        self.skipped.append((where, reason))

    def note(self, message: str) -> None:
        """Something the user should know that is not an error (e.g. an unknown shortcode)."""
        self.notes.append(message)


class Importer:
    """Base class of importers. Subclasses set the class attributes and implement ``read``."""

    name: ClassVar[str] = ""
    help: ClassVar[str] = ""
    source_help: ClassVar[str] = "FILE"
    options: ClassVar[list[click.Option]] = []

    def __init__(self, **options: Any) -> None:
        self.settings = options

    def read(self, source: str, context: ImportContext) -> Iterator[ImportedItem]:
        raise NotImplementedError


def available() -> dict[str, Any]:
    """Registered importer names -> their entry points (loaded lazily)."""
    return {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}


def load(name: str) -> type[Importer]:
    """The importer class registered under ``name``."""
    found = available()
    if name not in found:
        raise ArchiverError(f"no importer named {name!r}",
                            hint=f"use one of: {', '.join(sorted(found))}")
    try:
        return found[name].load()
    except Exception as exc:  # a broken plugin must not break every other command
        raise ArchiverError(f"importer {name!r} could not be loaded: {exc}",
                            hint="reinstall archiver or the plugin that provides it") from None


def loadable() -> list[str]:
    """Names of the registered importers that load (a broken plugin is left out)."""
    names = []
    for name in sorted(available()):
        try:
            load(name)
        except ArchiverError:
            continue
        names.append(name)
    return names
