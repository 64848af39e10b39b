"""Offline search: Pagefind indexes the built pages into ``pagefind/`` at the end of a build.

Only item pages are indexed: their content carries ``data-pagefind-body`` (list, tag and
archive pages do not, so Pagefind leaves them out) and ``data-pagefind-filter`` for the kind,
year and tags. The search page (``/search/``) loads Pagefind's own UI from ``pagefind/``; the
index is a set of static files searched in the browser, so no server-side code is needed.

The index is made in parts, Pagefind bundles of one or more years of the items
(``pagefind/2016/``, ``pagefind/2007-2009/`` ...: from the oldest year, a part takes years until
it holds ``MIN_PART_PAGES`` pages; pages that are no item's go to ``pagefind/other/``), which
the search page merges (Pagefind's ``mergeIndex``; ``pagefind/parts.js`` lists them, newest
first). Pagefind has no incremental mode and takes 13 s for 21,000 pages, so one index would
make every edit of a post a 14-second build; with parts, an edit re-indexes only its part
(about 0.6 s for 1,200 pages) and a first build runs the parts on every core. A small site
has one part. ``.archiver/search.json`` remembers which pages went into the bundles: a part
whose pages are all unchanged keeps its bundle, not even read.

Pagefind reads a *view* of each part's pages made of hard links in the state folder, never the
output folder itself (pages of the previous build about to be deleted, files archiver did not
write), so a tweet marked deleted never stays findable. It writes a part's bundle straight
into ``pagefind/<part>/``, emptied first (Pagefind never removes what a folder holds), and the
OutputWriter records each file (``adopt``), so the manifest lists every file and a part that
is gone is removed. A failed run removes the parts it was making. A theme without
``data-pagefind-body`` gets every page indexed, as Pagefind does by default.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Iterator

from archiver.build.output import OutputWriter
from archiver.build.render import Page
from archiver.build.site import SiteIndex
from archiver.build.stamps import digest
from archiver.errors import ArchiverError
from archiver.statefiles import read_state, write_state

BUNDLE = "pagefind"
PARTS_FILE = f"{BUNDLE}/parts.js"  # the parts' names, for the search page
OTHER_PART = "other"  # the pages that are no item's (a theme without data-pagefind-body)
MIN_PART_PAGES = 1000  # a part takes years until it has this many pages (Pagefind: ~0.5 s)
UI_FILES = ("pagefind-ui.js", "pagefind-ui.css")  # what the search page loads from pagefind/
BUNDLE_UI_FILES = frozenset({  # what a part's bundle does without: the UI is loaded once
    *UI_FILES, "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-modular-ui.js",
    "pagefind-modular-ui.css", "pagefind-highlight.js"})
BODY_MARKER = b"data-pagefind-body"
TIMEOUT_SECONDS = 600


def search_pages(site: SiteIndex) -> Iterator[Page]:
    """The /search/ page, unless ``search: false``."""
    if site.config.search:
        yield Page("search/index.html", "search.html", {})


def pagefind_executable() -> Path:
    """The Pagefind binary from the ``pagefind[bin]`` package (or PAGEFIND_BINARY_PATH / PATH)."""
    try:
        from pagefind.service import get_executable

        found = get_executable()
    except (ImportError, OSError):
        found = None
    if found is None or not Path(found).is_file():
        raise ArchiverError("the search indexer Pagefind is not installed",
                            hint="install it with pip install 'pagefind[bin]', "
                                 "or set 'search: false' in site.yaml")
    return Path(found)


def pagefind_version() -> str:
    """The installed Pagefind version ('' when unknown)."""
    from importlib.metadata import PackageNotFoundError, version

    for name in ("pagefind_bin", "pagefind"):
        try:
            return version(name)
        except PackageNotFoundError:
            continue
    return ""


def index_site(writer: OutputWriter, work_dir: Path, year_of: Mapping[str, str]) -> int:
    """Index this build's item pages into ``pagefind/``; returns how many parts were indexed.

    ``year_of``: the year of each item's page (``2010``), by output path; other pages go to
    the part ``other``. ``work_dir`` (in the state folder) is used while indexing; ``work_dir.json``
    remembers which pages the bundles were made from.
    """
    record_path = work_dir.with_suffix(".json")
    indexed, skipped = _classify_pages(writer, read_state(record_path))
    version = pagefind_version()
    parts = _split(indexed or skipped, year_of)
    keys = {name: digest([version, name, *(f"{rel} {mark}" for rel, mark in sorted(pages.items()))])
            for name, pages in parts.items()}
    ui_kept = writer.keep_all([f"{BUNDLE}/{name}" for name in UI_FILES], version)
    newest = next(iter(parts), None)
    old_files = _old_files_by_part(writer)
    stale = [name for name in parts
             if (name == newest and not ui_kept)  # the UI files come from a bundle: make one again
             or not writer.keep_all(old_files.get(name, []), keys[name])]
    shutil.rmtree(work_dir, ignore_errors=True)
    try:
        bundles = _run_parts({name: sorted(parts[name]) for name in stale}, writer.output, work_dir)
        for name, bundle in bundles.items():
            _record_bundle(writer, name, bundle, keys[name], version, ui=not ui_kept)
            ui_kept = True
    except BaseException:
        for name in stale:  # what Pagefind wrote is no build's: never leave it in the output
            shutil.rmtree(writer.output / BUNDLE / name, ignore_errors=True)
        raise
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)
    writer.write(PARTS_FILE, f"window.archiverSearchParts = {json.dumps(list(parts))};\n")
    write_state(record_path, {"version": version, "indexed": indexed, "skipped": skipped})
    return len(stale)


def _split(pages: Mapping[str, str], year_of: Mapping[str, str]) -> dict[str, dict[str, str]]:
    """The pages to index by part, newest first, ``other`` last: consecutive years, from the
    oldest, until a part has ``MIN_PART_PAGES`` (so a small site has one part, and an edit or
    a new item in one year changes only its part, unless it moves where a part ends)."""
    by_year: dict[str, dict[str, str]] = {}
    for rel, mark in pages.items():
        by_year.setdefault(year_of.get(rel, OTHER_PART), {})[rel] = mark
    other = by_year.pop(OTHER_PART, None)
    parts: dict[str, dict[str, str]] = {}
    years: list[str] = []
    part: dict[str, str] = {}
    newest = max(by_year, default="")
    for year in sorted(by_year):
        years.append(year)
        part.update(by_year[year])
        if len(part) >= MIN_PART_PAGES or year == newest:
            parts[years[0] if len(years) == 1 else f"{years[0]}-{years[-1]}"] = part
            years, part = [], {}
    ordered = dict(reversed(parts.items()))
    if other is not None:
        ordered[OTHER_PART] = other
    return ordered


def _old_files_by_part(writer: OutputWriter) -> dict[str, list[str]]:
    """The last build's files under ``pagefind/<part>/``, by part."""
    found: dict[str, list[str]] = {}
    for rel in writer.old:
        top, _, rest = rel.partition("/")
        if top == BUNDLE and "/" in rest:
            found.setdefault(rest.partition("/")[0], []).append(rel)
    return found


def _run_parts(parts: dict[str, list[str]], output: Path, work_dir: Path) -> dict[str, Path]:
    """Run Pagefind on each part's view, on every core, into ``pagefind/<part>/`` (emptied
    first: Pagefind adds to a folder and never removes what it holds); their folders."""
    def index_part(name: str) -> Path:
        view, bundle = work_dir / name, output / BUNDLE / name
        shutil.rmtree(bundle, ignore_errors=True)
        _link_pages(output, parts[name], view)
        _run_pagefind(view, bundle)
        return bundle

    if len(parts) <= 1:
        return {name: index_part(name) for name in parts}
    with ThreadPoolExecutor(max_workers=min(len(parts), os.cpu_count() or 1)) as pool:
        done = {name: pool.submit(index_part, name) for name in parts}
        return {name: future.result() for name, future in done.items()}


def _record_bundle(writer: OutputWriter, name: str, bundle: Path, key: str, version: str,
                   ui: bool) -> None:
    """Record a part's bundle as this build's files, without the UI, which the search page
    loads once, from ``pagefind/`` (written there from this bundle when ``ui``)."""
    for path in sorted(p for p in bundle.rglob("*") if p.is_file()):
        rel = path.relative_to(bundle).as_posix()
        if rel in BUNDLE_UI_FILES:
            if rel in UI_FILES and ui:
                writer.write(f"{BUNDLE}/{rel}", path.read_bytes(), inputs=version)
            path.unlink()
        else:
            writer.adopt(f"{BUNDLE}/{name}/{rel}", inputs=key)


def _classify_pages(writer: OutputWriter, record: dict) -> tuple[dict[str, str], dict[str, str]]:
    """This build's HTML pages split into those Pagefind indexes and the rest, rel -> mark.

    A page is indexed when it has ``data-pagefind-body``; pages unchanged since the last
    indexing are not read again.
    """
    was_indexed, was_skipped = record.get("indexed", {}), record.get("skipped", {})
    indexed: dict[str, str] = {}
    skipped: dict[str, str] = {}
    for rel, mark in writer.new.items():
        if not rel.endswith(".html"):
            continue
        if was_indexed.get(rel) == mark:
            indexed[rel] = mark
        elif was_skipped.get(rel) == mark:
            skipped[rel] = mark
        elif BODY_MARKER in (writer.output / rel).read_bytes():
            indexed[rel] = mark
        else:
            skipped[rel] = mark
    return indexed, skipped


def _link_pages(output: Path, pages: list[str], view: Path) -> None:
    """Hard-link (or copy) the pages to index into ``view`` for Pagefind to read."""
    view.mkdir(parents=True, exist_ok=True)
    for rel in pages:
        target = view / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(output / rel, target)
        except OSError:
            shutil.copyfile(output / rel, target)


def _run_pagefind(site: Path, bundle: Path) -> None:
    command = [str(pagefind_executable()), "--site", str(site), "--output-path", str(bundle),
               "--keep-index-url", "--silent"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS,
                              check=False)
    except subprocess.TimeoutExpired:
        raise ArchiverError(f"Pagefind took more than {TIMEOUT_SECONDS} s to index the site",
                            hint="set 'search: false' in site.yaml to build without search") from None
    if done.returncode != 0 or not (bundle / "pagefind-entry.json").is_file():
        detail = (done.stderr or done.stdout).strip().splitlines()
        reason = detail[-1] if detail else f"exit code {done.returncode}"
        raise ArchiverError(f"Pagefind could not index the site: {reason}",
                            hint="set 'search: false' in site.yaml to build without search")
