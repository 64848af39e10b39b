"""Offline search: Pagefind indexes the built pages into ``pagefind/`` at the end of a build.

Only item pages are indexed: their content carries ``data-pagefind-body`` (list, tag and
archive pages do not, so Pagefind leaves them out) and ``data-pagefind-filter`` for the kind,
year and tags. The search page (``/search/``) loads Pagefind's own UI from ``pagefind/``; the
index is a set of static files searched in the browser, so no server-side code is needed.

Pagefind reads the output folder only when it holds exactly this build's pages; otherwise
(pages of the previous build about to be deleted, files archiver did not write) it reads a
*view* of this build's pages made of hard links in the state folder, so a tweet marked
deleted never stays findable. Its bundle is written through the
OutputWriter, so the manifest records every file, unchanged files are not rewritten and stale
ones are removed. When no indexed page changed since the last indexing (``.archiver/search.json``
remembers each page's fingerprint), the previous bundle is kept and Pagefind does not run.
A theme without ``data-pagefind-body`` gets every page indexed, as Pagefind does by default.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Iterator

from archiver.build.output import OutputWriter, fingerprint
from archiver.build.render import Page
from archiver.build.site import SiteIndex
from archiver.errors import ArchiverError
from archiver.statefiles import read_state, write_state

BUNDLE = "pagefind"
ENTRY_FILE = f"{BUNDLE}/pagefind-entry.json"
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


def index_site(writer: OutputWriter, work_dir: Path) -> str:
    """Index this build's item pages into ``pagefind/``; returns 'indexed' or 'unchanged'.

    ``work_dir`` (in the state folder) is used while indexing; ``work_dir.json`` remembers
    which pages the bundle was made from, so a build that changed no indexed page keeps it.
    """
    record_path = work_dir.with_suffix(".json")
    record = read_state(record_path)
    indexed, skipped = _classify_pages(writer, record)
    if _bundle_is_current(writer, record, indexed, skipped):
        for rel in sorted(r for r in writer.old if r.startswith(f"{BUNDLE}/")):
            writer.write(rel, (writer.output / rel).read_bytes())
        return "unchanged"
    view = work_dir / "pages"
    bundle = work_dir / "bundle"
    shutil.rmtree(work_dir, ignore_errors=True)
    try:
        if _only_this_builds_pages(writer.output, {*indexed, *skipped}):
            site = writer.output  # nothing else there: Pagefind can read the output itself
        else:
            site = view
            _link_pages(writer.output, sorted(indexed or skipped), view)
        _run_pagefind(site, bundle)
        for path in sorted(p for p in bundle.rglob("*") if p.is_file()):
            writer.write(f"{BUNDLE}/{path.relative_to(bundle).as_posix()}", path.read_bytes())
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)
    entry = fingerprint((writer.output / ENTRY_FILE).read_bytes())
    payload = {"version": pagefind_version(), "entry": entry, "indexed": indexed, "skipped": skipped}
    write_state(record_path, payload)
    return "indexed"


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


def _bundle_is_current(writer: OutputWriter, record: dict, indexed: dict[str, str],
                       skipped: dict[str, str]) -> bool:
    """True when the last bundle was made from exactly these pages and is still in place."""
    if record.get("indexed") != indexed or record.get("version") != pagefind_version():
        return False
    if not indexed and record.get("skipped") != skipped:
        return False
    previous = [rel for rel in writer.old if rel.startswith(f"{BUNDLE}/")]
    if ENTRY_FILE not in previous or not all((writer.output / rel).is_file() for rel in previous):
        return False
    return fingerprint((writer.output / ENTRY_FILE).read_bytes()) == record.get("entry")


def _only_this_builds_pages(output: Path, pages: set[str]) -> bool:
    """True when the HTML files in ``output`` are exactly this build's pages (no stale ones)."""
    found = 0
    for folder, subfolders, files in os.walk(output):
        if folder == str(output) and BUNDLE in subfolders:
            subfolders.remove(BUNDLE)
        prefix = os.path.relpath(folder, output)
        for name in files:
            if name.endswith(".html"):
                rel = name if prefix == "." else f"{prefix}/{name}".replace(os.sep, "/")
                if rel not in pages:
                    return False
                found += 1
    return found == len(pages)


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
