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


def tree_stamps(folder: Path, skip_dirs: tuple[str, ...] = ("__pycache__",)) -> list[str]:
    """``rel size mtime`` of every file under ``folder`` (sorted; empty when it is missing)."""
    stamps: list[str] = []
    if not folder.is_dir():
        return stamps
    base = len(str(folder)) + 1
    for parent, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in skip_dirs)
        for name in sorted(files):
            path = os.path.join(parent, name)
            try:
                stat = os.stat(path)
            except OSError:
                continue
            stamps.append(f"{path[base:]} {stat.st_size} {stat.st_mtime_ns}")
    return stamps


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
