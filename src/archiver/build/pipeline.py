"""The build, top to bottom: read content/, index it, render every page, write what changed.

    check     nothing changed since the last build (content, config, templates, code)? done
    read      content/**/*.md -> Entries (+ body HTML), cached by path, size and mtime
    index     published Entries -> Items with URLs, tags, archives, threads
    pages     the Pages of every kind (home, items, tags, archives, ..., 404, redirects)
    plan      which pages' inputs changed since the last build (the others are kept)
    render    those Pages -> HTML via Jinja, in worker processes when there are many
    feeds     feed.xml, feed.json, sitemap.xml
    assets    theme static files, media used by published items
    finish    delete files of the previous build that are no longer produced; save manifest
"""

from __future__ import annotations

import gc
import os
import re
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from archiver import __version__
from archiver.build import feeds, output as output_files, uptodate
from archiver.build.incremental import Fingerprints, code_stamps, template_stamps
from archiver.build.layoutcache import LayoutCache
from archiver.build.loader import EntryCache, load_content
from archiver.build.onthisday import on_this_day_pages
from archiver.build.pages import (archive_pages, entry_pages, home_pages, not_found_page,
                                  redirect_pages, tag_pages)
from archiver.build.render import Page, make_environment, template_folders, theme_dirs
from archiver.build.renderjobs import plan_pages, render_planned
from archiver.build.search import index_site, search_pages
from archiver.build.site import SiteIndex, build_index
from archiver.build.stats import stats_pages
from archiver.build.wordpages import site_words, words_pages
from archiver.config import Config
from archiver.errors import ArchiverError
from archiver.paths import is_safe_relative

STATE_DIR = ".archiver"
_MEDIA_LINK = re.compile(r'(?:src|href|poster)="/(media/[^"#?]+)"')


@dataclass
class BuildResult:
    output: Path
    entries: int = 0
    pages: int = 0
    written: int = 0
    unchanged: int = 0
    rendered: int = 0  # pages rendered (the others' inputs were unchanged)
    removed: int = 0
    files: int = 0  # files of the output folder this build wrote or kept
    seconds: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)  # wall seconds
    phase_cpu: dict[str, float] = field(default_factory=dict)  # CPU seconds, workers included
    warnings: list[str] = field(default_factory=list)


def _cpu_seconds() -> float:
    """User + system time of this process and of the worker processes it has reaped."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


@contextmanager
def _phase(result: BuildResult, name: str) -> Iterator[None]:
    start, start_cpu = time.perf_counter(), _cpu_seconds()
    yield
    result.phases[name] = result.phases.get(name, 0.0) + time.perf_counter() - start
    result.phase_cpu[name] = result.phase_cpu.get(name, 0.0) + _cpu_seconds() - start_cpu


def resolve_output(config: Config, output: Path | None) -> Path:
    """The output folder; refuses the site root, content/ and anything inside content/."""
    out = (output if output is not None else config.root / config.output_dir).resolve()
    root = config.root.resolve()
    content = (root / "content").resolve()
    if out == root or out == content or content in out.parents or out in root.parents:
        raise ArchiverError(f"output folder {out} would overwrite the site",
                            hint="use a separate folder such as public/")
    return out


def build(config: Config, output: Path | None = None, clean: bool = False,
          jobs: int | None = None) -> BuildResult:
    """Build the site described by ``config`` and return what was done.

    ``jobs``: processes for parsing and rendering (default: every core, when worth it).
    """
    started = time.perf_counter()
    out = resolve_output(config, output)
    state = config.root / STATE_DIR
    result = BuildResult(output=out)
    if clean:
        with _phase(result, "clean"):
            output_files.clean(out, config.root, state)
    if not config.content.is_dir():
        raise ArchiverError("no content/ folder", where=str(config.root),
                            hint="run 'archiver import ...' or create content/posts/")
    with _phase(result, "check"):
        key = uptodate.build_key(config, out)
        previous = None if clean else uptodate.previous_build(state, out, key)
    if previous is not None:
        return _unchanged_result(result, previous, started)
    uptodate.forget(state)
    try:
        _build_changed(config, out, state, result, jobs)
    finally:
        gc.unfreeze()  # also after a failed build: `archiver serve` goes on building
    uptodate.remember(state, key, result.entries, result.pages, result.files, result.warnings)
    result.seconds = time.perf_counter() - started
    return result


def _build_changed(config: Config, out: Path, state: Path, result: BuildResult,
                   jobs: int | None) -> None:
    """Every phase after the up-to-date check; fills ``result``."""
    with _phase(result, "read"):
        cache = EntryCache(state / "cache", config.timezone)
        loaded = load_content(config.content, config.tz, cache, jobs)
        layouts = LayoutCache(state / "cache" / "clouds.pickle")
    gc.freeze()  # what was read lives to the end: later collections need not scan it (issue 7)
    with _phase(result, "index"):
        site = build_index(config, loaded)
    gc.freeze()  # the index too lives to the end (21,000 linked Items)
    writer = output_files.OutputWriter(out, state)
    html_paths = _render_pages(site, writer, result, cache.stamps(), jobs, layouts)
    with _phase(result, "feeds"):
        writer.write("feed.xml", feeds.atom_feed(site))
        writer.write("feed.json", feeds.json_feed(site))
        writer.write("sitemap.xml", feeds.sitemap(site, html_paths))
    with _phase(result, "assets"):
        _copy_static(config, writer)
        result.warnings.extend(_copy_media(config, site, writer))
    if config.search:
        with _phase(result, "search"):
            index_site(writer, state / "search")
    with _phase(result, "finish"):
        result.removed = len(writer.finish())
        cache.save()
        layouts.save()
    result.entries = len(loaded)
    result.pages = len(html_paths)
    result.files = len(writer.new)
    result.written, result.unchanged = writer.written, writer.unchanged
    result.warnings[:0] = site.warnings
    if not config.base_url:
        result.warnings.append("site.yaml has no base_url: feed.xml and sitemap.xml use relative URLs")


def _unchanged_result(result: BuildResult, previous: uptodate.Previous, started: float) -> BuildResult:
    result.entries, result.pages, result.unchanged = previous.entries, previous.pages, previous.files
    result.files = previous.files
    result.warnings = list(previous.warnings)
    result.seconds = time.perf_counter() - started
    return result


def site_pages(site: SiteIndex, layouts: LayoutCache | None = None) -> list[Page]:
    """Every HTML page of the site except redirects, in a stable order (``layouts``: cloud cache)."""
    words = site_words(site, layouts)  # each year's cloud is laid out once: /words/YYYY/ and /YYYY/
    return [*home_pages(site), *entry_pages(site), *tag_pages(site),
            *archive_pages(site, words.years), *words_pages(site, words), *stats_pages(site),
            *on_this_day_pages(site), *search_pages(site), *not_found_page(site)]


def common_context(site: SiteIndex) -> dict[str, object]:
    """What every template sees."""
    return {
        "site": site.config,
        "years": sorted(site.years, reverse=True),
        "standalone_pages": site.pages,
        "generator": f"archiver {__version__}",
    }


def _render_pages(site: SiteIndex, writer: output_files.OutputWriter, result: BuildResult,
                  file_stamps: dict[str, str], jobs: int | None,
                  layouts: LayoutCache | None = None) -> list[str]:
    """Render the pages whose inputs changed; returns the paths of the site's HTML pages."""
    with _phase(result, "pages"):
        env = make_environment(site.config, site.config.root / STATE_DIR / "cache" / "templates")
        common = common_context(site)
        pages = site_pages(site, layouts)
        taken = {page.path for page in pages}
        redirects = list(redirect_pages(site, taken))
    gc.freeze()  # and so do the pages: the plan and render phases make short-lived objects
    with _phase(result, "plan"):
        build_inputs = [*code_stamps(), *template_stamps(template_folders(site.config))]
        todo = plan_pages([*pages, *redirects], writer,
                          Fingerprints(site, file_stamps, build_inputs, common))
    with _phase(result, "render"):
        render_planned(env, common, todo, writer, jobs)
    result.rendered = len(todo)
    return [page.path for page in pages if page.template != "404.html"]


def _copy_static(config: Config, writer: output_files.OutputWriter) -> None:
    """Theme static files; a more specific theme's file wins over the default's."""
    chosen: dict[str, Path] = {}
    for theme in reversed(theme_dirs(config)):
        static = theme / "static"
        if static.is_dir():
            for path in static.rglob("*"):
                if path.is_file() and not path.is_symlink():
                    chosen[f"static/{path.relative_to(static).as_posix()}"] = path
    for rel, path in sorted(chosen.items()):
        writer.copy(rel, path)


def _copy_media(config: Config, site: SiteIndex, writer: output_files.OutputWriter) -> list[str]:
    """Copy the media that published items use (never that of drafts or deleted tweets)."""
    wanted: set[str] = set()
    for item in site.all_items:
        wanted.update(m.path for m in item.entry.media)
        wanted.update(_MEDIA_LINK.findall(item.html))
    warnings = []
    content = config.content.resolve()
    for rel in sorted(wanted):
        source = content / rel
        if not is_safe_relative(rel) or not rel.startswith("media/"):
            warnings.append(f"media path {rel!r} is not under content/media/; not copied")
        elif source.is_symlink() or not source.is_file():
            warnings.append(f"missing media file content/{rel}")
        else:
            writer.copy(rel, source)
    return warnings
