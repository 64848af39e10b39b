"""Read content/ into Entries, once per file, with a persistent cache.

The cache (``.archiver/cache/entries.pickle``) keeps each file's parsed Entry and rendered
body HTML keyed by its path, size and mtime, so an unchanged file is neither parsed nor
rendered again. A damaged or foreign cache is ignored (and rewritten).
"""

from __future__ import annotations

import os
import pickle
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from archiver import __version__, frontmatter
from archiver.build.markup import render_markdown
from archiver.errors import ArchiverError
from archiver.model import Entry
from archiver.store import atomic_write

CACHE_FILE = "entries.pickle"
CACHE_VERSION = f"1:{__version__}"


@dataclass(frozen=True)
class Loaded:
    """One content file: its entry and its body rendered to HTML (root-relative links)."""

    entry: Entry
    html: str


def markdown_files(content: Path) -> list[str]:
    """Every ``*.md`` under content/ (relative, '/'-separated, sorted); media/ and dot-folders skipped."""
    found: list[str] = []
    for folder, dirs, files in os.walk(content):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not (folder == str(content) and d == "media"))
        rel_folder = os.path.relpath(folder, content)
        for name in files:
            if name.endswith(".md") and not name.startswith("."):
                rel = name if rel_folder == "." else f"{rel_folder}/{name}"
                found.append(rel.replace(os.sep, "/"))
    return sorted(found)


def render_body(entry: Entry) -> str:
    """The entry's body as HTML; imported text is sanitised, the owner's own is trusted."""
    return render_markdown(entry.body, tweet=entry.is_tweet, sanitize=bool(entry.source))


def load_file(content: Path, rel: str, tz: ZoneInfo) -> Loaded:
    path = content / rel
    try:
        text = path.read_text("utf-8")
    except UnicodeDecodeError:
        raise ArchiverError("not UTF-8 text", where=str(path), hint="save the file as UTF-8") from None
    entry = frontmatter.loads(text, rel, default_tz=tz)
    return Loaded(entry=entry, html=render_body(entry) if entry.is_published else "")


class EntryCache:
    """Parsed entries + rendered HTML from the previous build, keyed by (path, size, mtime)."""

    def __init__(self, folder: Path, tz_name: str) -> None:
        self.path = folder / CACHE_FILE
        self.key = f"{CACHE_VERSION}:{tz_name}"
        self.old: dict[str, tuple[int, int, Loaded]] = self._read()
        self.new: dict[str, tuple[int, int, Loaded]] = {}
        self.hits = 0

    def _read(self) -> dict[str, tuple[int, int, Loaded]]:
        try:
            with open(self.path, "rb") as handle:
                key, data = pickle.load(handle)
        except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError,
                ImportError):
            return {}
        return data if key == self.key and isinstance(data, dict) else {}

    def get(self, rel: str, stat: os.stat_result) -> Loaded | None:
        cached = self.old.get(rel)
        if cached and cached[0] == stat.st_size and cached[1] == stat.st_mtime_ns:
            self.hits += 1
            self.new[rel] = cached
            return cached[2]
        return None

    def put(self, rel: str, stat: os.stat_result, loaded: Loaded) -> None:
        self.new[rel] = (stat.st_size, stat.st_mtime_ns, loaded)

    def save(self) -> None:
        if self.new.keys() == self.old.keys() and self.hits == len(self.new):
            return  # nothing changed
        atomic_write(self.path, pickle.dumps((self.key, self.new), protocol=pickle.HIGHEST_PROTOCOL))


def load_content(content: Path, tz: ZoneInfo, cache: EntryCache | None) -> list[Loaded]:
    """Every entry under content/, using and refreshing the cache."""
    loaded: list[Loaded] = []
    for rel in markdown_files(content):
        stat = (content / rel).stat()
        item = cache.get(rel, stat) if cache else None
        if item is None:
            item = load_file(content, rel, tz)
            if cache:
                cache.put(rel, stat, item)
        loaded.append(item)
    return loaded
