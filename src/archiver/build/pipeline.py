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

The up-to-date check (content/'s walk, the key, the last build's files) runs in a helper
process (forked.Call) while the phases (phases.py: Jinja, Markdown ...) are imported and the
entry cache (then the output's manifest) begins to be read; where there is no helper they
are imported only when there is work, so a build with nothing to do starts and ends quickly
either way.
"""

from __future__ import annotations

import gc
import time
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from archiver import forked
from archiver.build import uptodate
from archiver.build.manifest import STATE_DIR, manifest_file, read_manifest_data
from archiver.build.result import BuildResult, Progress, close_result, phase
from archiver.config import SITE_FOLDERS, Config
from archiver.errors import ArchiverError

if TYPE_CHECKING:
    from archiver.build.phases import ReadEarly

__all__ = ["STATE_DIR", "BuildResult", "build", "resolve_output"]


def resolve_output(config: Config, output: Path | None) -> Path:
    """The output folder; refuses the site root (and the folders above it), and the site's own
    folders and anything inside them: content/, templates/, themes/, static/ and the state
    folder."""
    out = (output if output is not None else config.root / config.output_dir).resolve()
    root = config.root.resolve()
    own = [(root / name).resolve() for name in SITE_FOLDERS if name not in (".", "..")]
    if out == root or out in root.parents or any(out == folder or folder in out.parents
                                                 for folder in own):
        raise ArchiverError(f"output folder {out} would overwrite the site",
                            hint="use a separate folder such as public/")
    return out


def build(config: Config, output: Path | None = None, clean: bool = False,
          jobs: int | None = None, progress: Progress | None = None) -> BuildResult:
    """Build the site described by ``config`` and return what was done.

    ``jobs``: processes for parsing and rendering (default: every core, when worth it).
    ``progress``: told each phase and how far the long ones (read, render) got.
    """
    started = time.perf_counter()
    out = resolve_output(config, output)
    state = config.root / STATE_DIR
    result = BuildResult(output=out, progress=progress)
    if clean:
        from archiver.build.cleanup import clean as clean_output

        with phase(result, "clean"):
            clean_output(out, config.root, state, manifest_file(config, state, out))
    if not config.content.is_dir():
        raise ArchiverError("no content/ folder", where=str(config.root),
                            hint="run 'archiver import ...' or create content/posts/")
    with phase(result, "check"):
        pending = forked.Call(partial(uptodate.check, config, out, state, clean))
        early = None
        try:
            if pending.in_helper:  # meanwhile, in vain when nothing changed:
                early = _read_while_checking(config, state, out, pending)
            checked = pending.result()
        finally:
            pending.cancel()  # only when something above failed: the result was taken otherwise
    if checked.previous is not None and not checked.previous.pages_only:
        return _unchanged_result(result, checked.previous, started)
    uptodate.forget(state)
    if checked.previous is not None:  # only static files changed: no page did
        with phase(result, "assets"):
            _copy_static_only(config, out, state, result, checked.previous,
                              early.manifest if early is not None else None)
    else:
        from archiver.build.phases import build_changed  # Jinja, Markdown ...: only now

        try:
            build_changed(config, out, state, result, jobs, checked, early)
        finally:
            gc.unfreeze()  # also after a failed build: `archiver serve` goes on building
    uptodate.remember(state, checked, result)
    result.seconds = time.perf_counter() - started
    return result


def _copy_static_only(config: Config, out: Path, state: Path, result: BuildResult,
                      previous: uptodate.Previous, manifest: dict | None) -> None:
    """The build when only static files changed since the last one (``assets.copy_static_only``);
    ``manifest``: the output folder's, when it was read during the check."""
    from archiver.build.assets import copy_static_only
    from archiver.build.output import OutputWriter

    writer = OutputWriter(out, state, manifest_file(config, state, out), manifest)
    if writer.old_static is None:  # the check saw another manifest
        writer.marker.finish()
        raise ArchiverError("the output folder's manifest changed during the build",
                            where=str(out), hint="run archiver build again")
    static_warnings = copy_static_only(config, writer)
    result.removed = len(writer.finish())
    result.entries, result.pages = previous.entries, previous.pages
    close_result(result, writer, previous.page_warnings, static_warnings, config.base_url)


def _read_while_checking(config: Config, state: Path, out: Path, check: forked.Call) -> ReadEarly:
    """The build's first steps, taken while the helper checks whether there is anything to do:
    the heavy modules are imported, then the entry cache's shards are read until the check's
    answer is there (for 21,000 entries the import and the whole cache take about as long as
    the check), then, if it is not there yet, the output folder's manifest (which the check
    reads too: 15-25 ms for 24,000 files). What is left is read by the read phase."""
    from archiver.build.loader import EntryCache
    from archiver.build.phases import ReadEarly

    early = ReadEarly(EntryCache(state / "cache", config.timezone).read(until=check.ready))
    if not check.ready():
        early.manifest = read_manifest_data(manifest_file(config, state, out), out)
    return early


def _unchanged_result(result: BuildResult, previous: uptodate.Previous, started: float) -> BuildResult:
    result.entries, result.pages, result.unchanged = previous.entries, previous.pages, previous.files
    result.files = previous.files
    result.warnings = list(previous.warnings)
    result.seconds = time.perf_counter() - started
    return result
