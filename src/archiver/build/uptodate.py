"""The quickest build: when nothing changed since the last one, there is nothing to do.

A build's key is a fingerprint of everything it reads: archiver's own files, site.yaml (as
the validated Config), the output folder, every file under content/ (Markdown and media) and
every file of the site's templates, themes and static/ folder, by name, size and change
time. After a successful build the key is saved in ``.archiver/build.json`` with what the
build reported. The next build with the same key, whose output files (per the manifest) are
all still there as it wrote them (``manifest.missing_files``), returns that report at once.

The key is made of the pages' key (everything but the static folders) and the static files.
When only static files changed (a theme's stylesheet, the site's robots.txt), no page can
have changed: the build copies the static files again and keeps the rest
(``assets.copy_static_only``). Anything else, or ``--clean``, runs the full pipeline, which
is itself incremental.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from archiver.build.manifest import (
    finished_ns,
    manifest_file,
    manifest_files,
    missing_files,
    read_manifest_data,
    static_files,
    unrecorded_files,
)
from archiver.build.result import BuildResult
from archiver.build.stamps import Stat, code_stamps, config_stamp, digest, file_stats, tree_stamps
from archiver.build.themes import theme_dirs
from archiver.config import SITE_STATIC, Config
from archiver.statefiles import read_state, write_state

STATE_FILE = "build.json"


@dataclass(frozen=True)
class Previous:
    """What the last build reported."""

    entries: int
    pages: int
    files: int
    warnings: list[str]
    page_warnings: list[str]  # those of ``warnings`` about content (a static-only build repeats them)
    pages_only: bool = False  # only its pages' key is this build's: the static files changed


@dataclass(frozen=True)
class Checked:
    """What the up-to-date check found (in a helper process, while the build starts)."""

    content_files: dict[str, Stat]  # size and change time of every file under content/ (empty when unchanged)
    key: str  # the build's key
    pages_key: str  # what its pages are made from (the key without the static folders)
    previous: Previous | None  # the last build's report, when it had this key (or its pages')
    missing: set[str] | None  # the last build's files gone or changed (None: not looked for)


def check(config: Config, output: Path, state_dir: Path, clean: bool) -> Checked:
    """Whether the last build had this build's key, or its pages' key (not asked with
    ``clean``), and if not, which of its files a build that keeps its pages must make again
    (the manifest is read and its files looked for once, for both answers)."""
    content_files = file_stats(config.content, skip_dirs=())
    pages_key, key = build_keys(config, output, content_files)
    if clean:
        return Checked(content_files, key, pages_key, None, None)
    manifest = read_manifest_data(manifest_file(config, state_dir, output), output)
    files = manifest_files(manifest)
    missing = missing_files(output, files, finished_ns(manifest))
    unrecorded_gone = not all(os.path.lexists(f"{output}/{rel}") for rel in unrecorded_files(manifest))
    previous = None
    if not missing and not unrecorded_gone:
        previous = previous_build(state_dir, key, pages_key, len(files),
                                  static_known=static_files(manifest) is not None)
    if previous is not None:
        return Checked({}, key, pages_key, previous, None)  # an unchanged build needs no more
    return Checked(content_files, key, pages_key, None, missing)


def build_keys(config: Config, output: Path, content: Mapping[str, Stat]) -> tuple[str, str]:
    """The key of what a build's pages are made from, and the build's key: that and the
    static files it copies as they are (a theme's static/, the site's static/).
    ``content``: ``file_stats`` of content/ (the read phase reuses them)."""
    parts = [*code_stamps(), config_stamp(config), f"output:{output}"]
    parts.extend(f"content/{rel} {size} {mtime}" for rel, (size, mtime) in content.items())
    parts.extend(f"{config.root / 'templates'}/{stamp}" for stamp in tree_stamps(config.root / "templates"))
    copied = [f"{config.root / SITE_STATIC}/{stamp}" for stamp in tree_stamps(config.root / SITE_STATIC)]
    for theme in theme_dirs(config):
        for stamp in tree_stamps(theme):
            (copied if stamp.startswith("static/") else parts).append(f"{theme}/{stamp}")
    pages_key = digest(parts)
    return pages_key, digest([pages_key, *copied])


def previous_build(state_dir: Path, key: str, pages_key: str, files: int,
                   static_known: bool) -> Previous | None:
    """The last build's report when it had this key, or this pages' key (``pages_only``; only
    when its manifest names its static files, ``static_known``), and wrote ``files`` files
    (all of them still in place: the caller looked)."""
    data = read_state(state_dir / STATE_FILE)
    if data.get("key") == key:
        pages_only = False
    elif static_known and data.get("pages_key") == pages_key:
        pages_only = True
    else:
        return None
    try:
        previous = Previous(entries=int(data["entries"]), pages=int(data["pages"]),
                            files=int(data["files"]), warnings=[str(w) for w in data["warnings"]],
                            page_warnings=[str(w) for w in data.get("page_warnings", [])],
                            pages_only=pages_only)
    except (ValueError, KeyError, TypeError):
        return None
    return previous if previous.files == files else None


def forget(state_dir: Path) -> None:
    """Called before a build changes anything: a failed build is never taken as up to date."""
    (state_dir / STATE_FILE).unlink(missing_ok=True)


def remember(state_dir: Path, checked: Checked, result: BuildResult) -> None:
    """Note a successful build's keys and report, for the next build's check."""
    write_state(state_dir / STATE_FILE, {
        "key": checked.key, "pages_key": checked.pages_key, "entries": result.entries,
        "pages": result.pages, "files": result.files, "warnings": result.warnings,
        "page_warnings": result.page_warnings})
