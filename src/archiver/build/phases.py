"""The phases of a build after the up-to-date check (see pipeline.py for the order)."""

from __future__ import annotations

import contextlib
import gc
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from archiver import __version__, forked
from archiver.build import feeds, keptcards
from archiver.build import output as output_files
from archiver.build.assets import copy_media, copy_site_files, copy_theme_static
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
from archiver.build.render import MACROS_TEMPLATE, Page, compile_templates, make_environment
from archiver.build.renderjobs import plan_pages, render_planned
from archiver.build.result import BuildResult, close_result, phase
from archiver.build.search import index_site, search_pages
from archiver.build.site import SiteIndex, build_index
from archiver.build.stamps import code_stamps, digest
from archiver.build.templatekeys import TemplateKeys
from archiver.build.stats import SentStats, Stats, sent_stats, stats_pages
from archiver.build.themes import template_folders
from archiver.build.uptodate import Checked
from archiver.build.wordpages import SiteWords, site_words, words_pages
from archiver.config import Config

MIN_ITEMS_FOR_HELPER = 2000  # below this the clouds and stats take less time than a process
MIN_ENTRIES_FOR_HELPER = 2000  # parsed entries to save: below this, saving is quicker than a fork
COMPILED_TEMPLATES = "cache/templates"  # in the state folder: Jinja's compiled templates


@dataclass
class ReadEarly:
    """What a build read while its up-to-date check ran (``pipeline._read_while_checking``)."""

    cache: EntryCache  # the entry cache, its shards read as far as there was time
    manifest: dict | None = None  # the output folder's manifest data, when there was time


def build_changed(config: Config, out: Path, state: Path, result: BuildResult,
                  jobs: int | None, checked: Checked, early: ReadEarly | None = None) -> None:
    """Every phase after the up-to-date check; fills ``result``.

    ``checked``: what the check found (content/'s files, the last build's missing files).
    ``early``: what was read during the check (the entry cache, begun; the manifest).
    """
    with phase(result, "read"):
        cache = early.cache if early is not None else EntryCache(state / "cache", config.timezone)
        loaded = load_content(config.content, config.tz, cache, jobs, checked.content_files,
                              lambda done, total: result.report("read", done, total))
        layouts = LayoutCache(state / "cache" / "clouds.pickle")
    gc.freeze()  # what was read lives to the end: later collections need not scan it (issue 7)
    # (the writer removes a killed build's temporary files)
    writer = output_files.OutputWriter(out, state, manifest_file(config, state, out),
                                       early.manifest if early is not None else None)
    if writer.can_keep:
        writer.missing = checked.missing
    compiled = state / COMPILED_TEMPLATES
    # a first build fills its caches while the rest of the build goes on, in a helper: the
    # index phase leaves a core idle (see _fill_caches); an edit saves one shard, here, later
    first = cache.parsed >= MIN_ENTRIES_FOR_HELPER
    caching = forked.Call(partial(_fill_caches, cache, config, compiled) if first else cache.save,
                         in_helper=first)
    try:
        site, html_paths, page_warnings, static_warnings = _make_site(
            config, loaded, writer, layouts, cache.digests(), state, result, jobs)
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
    close_result(result, writer, page_warnings, static_warnings, config.base_url)


def _fill_caches(cache: EntryCache, config: Config, compiled: Path) -> None:
    """What a first build can do beside the index and the pages: compile every template into
    the cache of compiled templates (the build then loads each in a millisecond, where
    compiling them took ~0.25 s on its path: the macros when the pages phase starts, the
    others before the render), and save the entries it parsed (pickling 20,000 takes ~0.3 s)."""
    compile_templates(config, compiled)
    cache.save()


def _make_site(config: Config, loaded: list[Loaded], writer: output_files.OutputWriter,
               layouts: LayoutCache, file_digests: dict[str, str], state: Path,
               result: BuildResult, jobs: int | None
               ) -> tuple[SiteIndex, list[str], list[str], list[str]]:
    """The phases from the index to the assets (and search); returns the index, the paths
    of the site's HTML pages, and the warnings about content (the index's, the media's) and
    about the site's static/ folder."""
    with phase(result, "index"), gc_paused():  # the index lives to the end (21,000 linked Items)
        site = build_index(config, loaded)
    links = query_links(site)  # old addresses with a query string (oldlinks.py)
    common = common_context(site, OLD_LINKS_FILE if links else "")
    html_paths = _render_pages(site, writer, result, file_digests, jobs, layouts, state, common)
    with phase(result, "feeds"):
        writer.write("feed.xml", feeds.atom_feed(site))
        writer.write("feed.json", feeds.json_feed(site))
        writer.write("sitemap.xml", feeds.sitemap(site, html_paths))
        if links:
            writer.write(OLD_LINKS_FILE, old_links_script(links))
    with phase(result, "assets"):
        copy_theme_static(config, writer)
        media_warnings = copy_media(config, site, writer)
        static_warnings = copy_site_files(config, writer)  # last: the build's files win
    if config.search:
        with phase(result, "search"):
            index_site(writer, state / "search",
                       {item.out_path: f"{item.local_date.year:04d}" for item in site.all_items})
    return site, html_paths, [*site.warnings, *media_warnings], static_warnings


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
                  file_digests: dict[str, str], jobs: int | None, layouts: LayoutCache,
                  state: Path, common: dict[str, object]) -> list[str]:
    """Render the pages whose inputs changed (``common``: what every template sees);
    returns the paths of the site's HTML pages."""
    helper = forked.Call(partial(_helper_work, site, layouts),
                         in_helper=len(site.all_items) >= MIN_ITEMS_FOR_HELPER)
    try:
        with phase(result, "pages"), gc_paused():  # the pages too live to the end
            env = make_environment(site.config, state / COMPILED_TEMPLATES)
            groups = _PageGroups(site)
        with phase(result, "plan"), gc_paused():  # no garbage with cycles: what is not kept is freed at once
            fingerprints = Fingerprints(site, file_digests, code_stamps(), common,
                                        TemplateKeys(template_folders(site.config)))
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
        if keeping is not None and len(todo) >= keptcards.MIN_PAGES:  # not in a first build
            env.kept_cards = _kept_cards(state, fingerprints)  # type: ignore[attr-defined]
        render_planned(env, common, todo, writer, jobs, fingerprints,
                       lambda done, total: result.report("render", done, total))
    result.rendered = len(todo)
    return [page.path for page in pages if page.template != "404.html"]


def _kept_cards(state: Path, fingerprints: Fingerprints) -> keptcards.KeptCards:
    """The cards kept by the last build that rendered many pages (keptcards.py)."""
    key = digest([fingerprints.global_key, fingerprints.template_key(MACROS_TEMPLATE)])
    return keptcards.KeptCards(state / "cache", key, fingerprints.card_of).read()
