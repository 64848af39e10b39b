"""The phases of a build after the up-to-date check (see pipeline.py for the order)."""

from __future__ import annotations

import contextlib
import gc
import os
import re
from functools import partial
from pathlib import Path

from archiver import __version__, forked
from archiver.build import feeds
from archiver.build import output as output_files
from archiver.build.incremental import Fingerprints
from archiver.build.layoutcache import LayoutCache, Placed, Weighted
from archiver.build.loader import EntryCache, Loaded, gc_paused, load_content
from archiver.build.manifest import manifest_file
from archiver.build.oldlinks import OLD_LINKS_FILE, old_links_script, query_links
from archiver.build.onthisday import on_this_day_pages
from archiver.build.pages import (
    archive_pages,
    entry_pages,
    home_pages,
    not_found_page,
    page_paths,
    pages_index_pages,
    redirect_pages,
    tag_pages,
)
from archiver.build.render import Page, compile_templates, make_environment
from archiver.build.renderjobs import plan_pages, render_planned
from archiver.build.result import BuildResult, phase
from archiver.build.search import BUNDLE as SEARCH_BUNDLE
from archiver.build.search import index_site, search_pages
from archiver.build.site import SiteIndex, build_index
from archiver.build.stamps import code_stamps, file_stats, template_stamps
from archiver.build.stats import SentStats, Stats, sent_stats, stats_pages
from archiver.build.themes import template_folders, theme_dirs
from archiver.build.uptodate import Checked
from archiver.build.wordpages import SiteWords, site_words, words_pages
from archiver.config import SITE_STATIC, Config
from archiver.paths import is_safe_relative

MIN_ITEMS_FOR_HELPER = 2000  # below this the clouds and stats take less time than a process
MIN_ENTRIES_FOR_HELPER = 2000  # parsed entries to save: below this, saving is quicker than a fork
COMPILED_TEMPLATES = "cache/templates"  # in the state folder: Jinja's compiled templates
_LITTER = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})  # what file managers leave in folders
_VERSION_CONTROL = (".git", ".hg", ".svn")  # a repository's history is never published
_MEDIA_LINK = re.compile(r'(?:src|href|poster)="/(media/[^"#?]+)"')


def build_changed(config: Config, out: Path, state: Path, result: BuildResult,
                  jobs: int | None, checked: Checked, cache: EntryCache | None = None) -> None:
    """Every phase after the up-to-date check; fills ``result``.

    ``checked``: what the check found (content/'s files, the last build's missing files).
    ``cache``: the entry cache of ``state``, when its reading began during the check.
    """
    with phase(result, "read"):
        if cache is None:
            cache = EntryCache(state / "cache", config.timezone)
        loaded = load_content(config.content, config.tz, cache, jobs, checked.content_files,
                              lambda done, total: result.report("read", done, total))
        layouts = LayoutCache(state / "cache" / "clouds.pickle")
    gc.freeze()  # what was read lives to the end: later collections need not scan it (issue 7)
    # (the writer removes a killed build's temporary files)
    writer = output_files.OutputWriter(out, state, manifest_file(config, state, out))
    if writer.can_keep:
        writer.missing = checked.missing
    compiled = state / COMPILED_TEMPLATES
    # a first build fills its caches while the rest of the build goes on, in a helper: the
    # index phase leaves a core idle (see _fill_caches); an edit saves one shard, here, later
    first = cache.parsed >= MIN_ENTRIES_FOR_HELPER
    caching = forked.Call(partial(_fill_caches, cache, config, compiled) if first else cache.save,
                         in_helper=first)
    try:
        site, html_paths = _make_site(config, loaded, writer, layouts, cache.stamps(), state,
                                      result, jobs)
    except Exception:
        with contextlib.suppress(Exception):  # the build's own error is the one to report
            caching.result()  # what was parsed is kept, for the build after the fix
        raise
    except BaseException:  # Ctrl-C: stop at once
        caching.cancel()
        raise
    with phase(result, "finish"):
        result.removed = len(writer.finish())
        layouts.save()
        caching.result()
    result.entries = len(loaded)
    result.pages = len(html_paths)
    result.files = len(writer.new)
    result.written, result.unchanged = writer.written, writer.unchanged
    result.warnings[:0] = site.warnings
    if writer.unrecorded:
        result.warnings.append(
            f"{out} holds {len(writer.unrecorded)} file(s) that no build of this site recorded "
            f"writing (e.g. {', '.join(writer.unrecorded[:3])}): left from an older build or "
            "another program, they stay published; delete those you do not want, or build into "
            "an empty folder")
    if not config.base_url:
        result.warnings.append("site.yaml has no base_url: feed.xml and sitemap.xml use relative "
                               "URLs, and 404.html links from the host's root (set base_url when "
                               "the site lives in a sub-folder, as a GitHub Pages project site does)")


def _fill_caches(cache: EntryCache, config: Config, compiled: Path) -> None:
    """What a first build can do beside the index and the pages: compile every template into
    the cache of compiled templates (the build then loads each in a millisecond, where
    compiling them took ~0.25 s on its path: the macros when the pages phase starts, the
    others before the render), and save the entries it parsed (pickling 20,000 takes ~0.3 s)."""
    compile_templates(config, compiled)
    cache.save()


def _make_site(config: Config, loaded: list[Loaded], writer: output_files.OutputWriter,
               layouts: LayoutCache, file_stamps: dict[str, str], state: Path,
               result: BuildResult, jobs: int | None) -> tuple[SiteIndex, list[str]]:
    """The phases from the index to the assets (and search); returns the index and the paths
    of the site's HTML pages."""
    with phase(result, "index"), gc_paused():  # the index lives to the end (21,000 linked Items)
        site = build_index(config, loaded)
    links = query_links(site)  # old addresses with a query string (oldlinks.py)
    common = common_context(site, OLD_LINKS_FILE if links else "")
    html_paths = _render_pages(site, writer, result, file_stamps, jobs, layouts,
                               state / COMPILED_TEMPLATES, common)
    with phase(result, "feeds"):
        writer.write("feed.xml", feeds.atom_feed(site))
        writer.write("feed.json", feeds.json_feed(site))
        writer.write("sitemap.xml", feeds.sitemap(site, html_paths))
        if links:
            writer.write(OLD_LINKS_FILE, old_links_script(links))
    with phase(result, "assets"):
        _copy_static(config, writer)
        result.warnings.extend(_copy_media(config, site, writer))
        result.warnings.extend(_copy_site_files(config, writer))  # last: the build's files win
    if config.search:
        with phase(result, "search"):
            index_site(writer, state / "search",
                       {item.out_path: f"{item.local_date.year:04d}" for item in site.all_items})
    return site, html_paths


class _PageGroups:
    """The pages that need nothing from the helper, made while it works (``_helper_work``)."""

    def __init__(self, site: SiteIndex) -> None:
        self.front = [*home_pages(site), *entry_pages(site), *tag_pages(site), *pages_index_pages(site)]
        self.back = [*on_this_day_pages(site), *search_pages(site), *not_found_page(site)]

    @property
    def all(self) -> list[Page]:
        return [*self.front, *self.back]

    def in_site_order(self, helped_pages: list[Page]) -> list[Page]:
        """Every HTML page of the site except redirects, in a stable order, with the pages
        made from the helper's work (``_helped_pages``)."""
        return [*self.front, *helped_pages, *self.back]


def _helper_work(site: SiteIndex, layouts: LayoutCache) -> tuple[SiteWords, dict[Weighted, Placed], SentStats]:
    """The word clouds, the placements laid out for them and the statistics: the work of the
    helper process, one pass over every item each."""
    return site_words(site, layouts), layouts.new, sent_stats(site)


def _helped_pages(site: SiteIndex, words: SiteWords, stats: Stats) -> list[Page]:
    """The pages that show the helper's work, in site order: the year archives and the word
    pages (each year's cloud is laid out once, for /YYYY/ and /words/YYYY/), then /stats/."""
    return [*archive_pages(site, words.years), *words_pages(site, words), *stats_pages(site, stats)]


def common_context(site: SiteIndex, old_links: str = "") -> dict[str, object]:
    """What every template sees; ``old_links``: the script the home and 404 pages load, or ''."""
    return {
        "site": site.config,
        "years": sorted(site.years, reverse=True),
        "standalone_pages": site.menu_pages,
        "pages_index": site.pages_index,
        "generator": f"archiver {__version__}",
        "old_links": old_links,
    }


def _render_pages(site: SiteIndex, writer: output_files.OutputWriter, result: BuildResult,
                  file_stamps: dict[str, str], jobs: int | None, layouts: LayoutCache,
                  compiled_templates: Path, common: dict[str, object]) -> list[str]:
    """Render the pages whose inputs changed (``common``: what every template sees);
    returns the paths of the site's HTML pages."""
    helper = forked.Call(partial(_helper_work, site, layouts),
                         in_helper=len(site.all_items) >= MIN_ITEMS_FOR_HELPER)
    try:
        with phase(result, "pages"), gc_paused():  # the pages too live to the end
            env = make_environment(site.config, compiled_templates)
            groups = _PageGroups(site)
        with phase(result, "plan"), gc_paused():  # no garbage with cycles: what is not kept is freed at once
            build_inputs = [*code_stamps(), *template_stamps(template_folders(site.config))]
            fingerprints = Fingerprints(site, file_stamps, build_inputs, common)
            # a first build keeps nothing: the pages' fingerprints are made while rendering, in parallel
            keeping = fingerprints if writer.can_keep else None
            todo = plan_pages(groups.all, writer, keeping)  # while the helper works
            words, placed, stats = helper.result()
            layouts.adopt(placed)
            helped = _helped_pages(site, words, stats.received(site))
            pages = groups.in_site_order(helped)
            redirects = list(redirect_pages(site, page_paths(pages)))
            todo += plan_pages([*helped, *redirects], writer, keeping)
    finally:
        helper.cancel()  # when the build failed before taking its result
    with phase(result, "render"):
        render_planned(env, common, todo, writer, jobs, fingerprints,
                       lambda done, total: result.report("render", done, total))
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


def _copy_site_files(config: Config, writer: output_files.OutputWriter) -> list[str]:
    """The site's own static/ folder, copied as it is to the output's root (robots.txt, CNAME,
    favicon.ico, .well-known/ ...); returns warnings. A file where the build made one is left
    out, and so is a symbolic link (as with media), a version control folder (``.git``) and
    the litter of file managers."""
    folder = config.root / SITE_STATIC
    links = _SymlinkFinder(folder)
    warnings = []
    for rel in file_stats(folder, skip_dirs=_VERSION_CONTROL):
        if rel.rpartition("/")[2] in _LITTER:
            continue
        if links.on_path(rel):
            warnings.append(f"{SITE_STATIC}/{rel} is a symbolic link or in a linked folder; not copied "
                            "(a link could publish any file of this computer: copy the file in)")
        elif not is_safe_relative(rel):
            warnings.append(f"{SITE_STATIC}/{rel}: a name that not every system can hold; not copied")
        elif rel in writer.new or (config.search and rel.startswith(f"{SEARCH_BUNDLE}/")):
            warnings.append(f"{SITE_STATIC}/{rel} is not copied: the build makes that file itself")
        else:
            writer.copy(rel, folder / rel)
    return warnings


def _copy_media(config: Config, site: SiteIndex, writer: output_files.OutputWriter) -> list[str]:
    """Copy the media that published items use (never that of drafts or deleted tweets)."""
    wanted: set[str] = set()
    for item in site.all_items:
        if item.entry.media:  # most items have none: no generator for them
            wanted.update(m.path for m in item.entry.media)
        if '"/media/' in item.html:  # most items link no media: skip the regex
            wanted.update(_MEDIA_LINK.findall(item.html))
    warnings = []
    content = config.content.resolve()
    links = _SymlinkFinder(content)
    for rel in sorted(wanted):
        source = content / rel
        if not is_safe_relative(rel) or not rel.startswith("media/"):
            warnings.append(f"media path {rel!r} is not under content/media/; not copied")
        elif links.on_path(rel):
            warnings.append(f"content/{rel} is a symbolic link or in a linked folder; not copied "
                            "(a link could publish any file of this computer: copy the file in)")
        elif not source.is_file():
            warnings.append(f"missing media file content/{rel}")
        else:
            writer.copy(rel, source)
    return warnings


class _SymlinkFinder:
    """Whether a path under a folder goes through a symbolic link (each folder looked at once)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._linked: dict[str, bool] = {"": False}

    def on_path(self, rel: str) -> bool:
        folder = rel.rpartition("/")[0]
        return self._is_linked(folder) or os.path.islink(self.root / rel)

    def _is_linked(self, folder: str) -> bool:
        known = self._linked.get(folder)
        if known is None:
            known = self._is_linked(folder.rpartition("/")[0]) or os.path.islink(self.root / folder)
            self._linked[folder] = known
        return known
