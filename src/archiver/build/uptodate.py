"""The quickest build: when nothing changed since the last one, there is nothing to do.

A build's key is a fingerprint of everything it reads: archiver's own files, site.yaml (as
the validated Config), the output folder, every file under content/ (Markdown and media) and
every file of the site's templates, themes and static/ folder, by name, size and change
time. After a successful build the key is saved in ``.archiver/build.json`` with what the
build reported. The next build with the same key, whose output files (per the manifest) are
all still there as it wrote them (``manifest.missing_files``), returns that report at once.
Anything else, or ``--clean``, runs the full pipeline, which is itself incremental.
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
    unrecorded_files,
)
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


@dataclass(frozen=True)
class Checked:
    """What the up-to-date check found (in a helper process, while the build starts)."""

    content_files: dict[str, Stat]  # size and change time of every file under content/ (empty when unchanged)
    key: str  # the build's key
    previous: Previous | None  # the last build's report, when it had this key: nothing to do
    missing: set[str] | None  # the last build's files gone or changed (None: not looked for)


def check(config: Config, output: Path, state_dir: Path, clean: bool) -> Checked:
    """Whether the last build had this build's key (not asked with ``clean``), and if not,
    which of its files a build that keeps its pages must make again (the manifest is read
    and its files looked for once, for both answers)."""
    content_files = file_stats(config.content, skip_dirs=())
    key = build_key(config, output, content_files)
    if clean:
        return Checked(content_files, key, None, None)
    manifest = read_manifest_data(manifest_file(config, state_dir, output), output)
    files = manifest_files(manifest)
    missing = missing_files(output, files, finished_ns(manifest))
    unrecorded_gone = not all(os.path.lexists(f"{output}/{rel}") for rel in unrecorded_files(manifest))
    previous = None if missing or unrecorded_gone else previous_build(state_dir, key, len(files))
    if previous is not None:
        return Checked({}, key, previous, None)  # an unchanged build needs no more
    return Checked(content_files, key, None, missing)


def build_key(config: Config, output: Path, content: Mapping[str, Stat]) -> str:
    """The key of a build; ``content``: ``file_stats`` of content/ (the read phase reuses them)."""
    parts = [*code_stamps(), config_stamp(config), f"output:{output}"]
    parts.extend(f"content/{rel} {size} {mtime}" for rel, (size, mtime) in content.items())
    for folder in [config.root / "templates", config.root / SITE_STATIC, *theme_dirs(config)]:
        parts.extend(f"{folder}/{stamp}" for stamp in tree_stamps(folder))
    return digest(parts)


def previous_build(state_dir: Path, key: str, files: int) -> Previous | None:
    """The last build's report when it had this key and wrote ``files`` files (all of them
    still in place: the caller looked)."""
    data = read_state(state_dir / STATE_FILE)
    if data.get("key") != key:
        return None
    try:
        previous = Previous(entries=int(data["entries"]), pages=int(data["pages"]),
                            files=int(data["files"]), warnings=[str(w) for w in data["warnings"]])
    except (ValueError, KeyError, TypeError):
        return None
    return previous if previous.files == files else None


def forget(state_dir: Path) -> None:
    """Called before a build changes anything: a failed build is never taken as up to date."""
    (state_dir / STATE_FILE).unlink(missing_ok=True)


def remember(state_dir: Path, key: str, entries: int, pages: int, files: int,
             warnings: list[str]) -> None:
    write_state(state_dir / STATE_FILE, {"key": key, "entries": entries, "pages": pages,
                                         "files": files, "warnings": warnings})
