"""Stamps of what a build reads: files by name, size and mtime, the config, archiver's code.

Light on purpose (no Jinja, no Markdown): the up-to-date check of a build that has nothing
to do uses these and nothing heavier.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections.abc import Iterable
from pathlib import Path

import archiver
from archiver import __version__
from archiver.config import Config


def digest(parts: Iterable[str]) -> str:
    text = "\x1e".join(parts)
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


Stat = tuple[int, int]  # a file's size and mtime in nanoseconds


def file_stats(folder: Path, skip_dirs: tuple[str, ...] = ("__pycache__",)) -> dict[str, Stat]:
    """Size and mtime of every file under ``folder``, by '/'-separated relative path, folders
    and names in sorted order; empty when the folder is missing."""
    stats: dict[str, Stat] = {}
    if not folder.is_dir():
        return stats
    base = len(str(folder)) + 1
    for parent, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in skip_dirs)
        rel_parent = parent[base:].replace(os.sep, "/")
        prefix = f"{rel_parent}/" if rel_parent else ""
        for name in sorted(files):
            try:
                stat = os.stat(os.path.join(parent, name))
            except OSError:
                continue
            stats[prefix + name] = (stat.st_size, stat.st_mtime_ns)
    return stats


def tree_stamps(folder: Path, skip_dirs: tuple[str, ...] = ("__pycache__",)) -> list[str]:
    """``rel size mtime`` of every file under ``folder`` (sorted; empty when it is missing)."""
    return [f"{rel} {size} {mtime}" for rel, (size, mtime) in file_stats(folder, skip_dirs).items()]


def code_stamps() -> list[str]:
    """The build's own code and data (archiver/build/: pages, stop words ...) and the version.

    A new version, or an edited build module in a development tree, renders everything.
    """
    return [__version__, *tree_stamps(Path(archiver.__file__).resolve().parent / "build")]


def config_stamp(config: Config) -> str:
    """The validated site.yaml, the same whichever way the site folder was named (--site .)."""
    return repr(dataclasses.replace(config, root=config.root.resolve()))


def template_stamps(folders: Iterable[Path]) -> list[str]:
    return [f"{folder}:{stamp}" for folder in folders for stamp in tree_stamps(folder)]
