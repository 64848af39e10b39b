"""The manifest of an output folder (``.archiver/manifest.json``): the files a build wrote.

Read by the up-to-date check, which must stay light; written by output.OutputWriter.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from pathlib import Path

from archiver.config import Config
from archiver.statefiles import read_state

STATE_DIR = ".archiver"  # a site's own state: manifest, caches, last build's key
MANIFEST = "manifest.json"  # in STATE_DIR
COPY_MARK = "copy:"  # the mark of a copied file: copy:SIZE:CHANGED_NS of its source


def manifest_file(config: Config, state_dir: Path, output: Path) -> Path:
    """Where the manifest of builds into ``output`` is kept: ``manifest.json`` for the site's
    own output folder (``output_dir`` in site.yaml), ``manifest-<hash>.json`` for any other
    (``--output``). Each folder so keeps knowing which files it holds: with one manifest for
    all, building into two folders in turn left a tweet deleted meanwhile in one of them, and
    ``--clean`` refused its files as another program's."""
    if output.resolve() == (config.root / config.output_dir).resolve():
        return state_dir / MANIFEST
    import hashlib  # only here: every build imports this module, few build elsewhere

    key = output_key(output, state_dir / MANIFEST)
    return state_dir / f"manifest-{hashlib.blake2b(key.encode(), digest_size=6).hexdigest()}.json"


def output_key(output: Path, manifest_path: Path) -> str:
    """How the manifest names its output folder: relative to the site when inside it, so a
    site folder that is moved or renamed keeps knowing which files its builds wrote."""
    try:
        return output.resolve().relative_to(manifest_path.parent.parent.resolve()).as_posix()
    except ValueError:
        return str(output)


def read_manifest_data(path: Path, output: Path) -> dict:
    """The manifest at ``path`` when it is ``output``'s. A folder's own manifest that does not
    exist yet is looked for in ``manifest.json``, where builds before 2026-11-25 kept the
    manifest of whichever folder they built last."""
    data = read_state(path)
    if not data and path.name != MANIFEST:
        data = read_state(path.with_name(MANIFEST))
    return data if data.get("output") in (output_key(output, path), str(output)) else {}


def read_manifest(path: Path, output: Path) -> dict[str, str]:
    return manifest_files(read_manifest_data(path, output))


def manifest_files(data: dict) -> dict[str, str]:
    """The files a manifest's ``data`` lists: relative path -> fingerprint of its bytes."""
    files = data.get("files", {})
    return files if isinstance(files, dict) else {}


def static_files(data: dict) -> set[str] | None:
    """The files a manifest's ``data`` lists as copied from static folders (a theme's static/,
    the site's static/); None in manifests of builds before 2026-11-25, which did not say."""
    files = data.get("static")
    return {rel for rel in files if type(rel) is str} if isinstance(files, list) else None


def finished_ns(data: dict) -> int | None:
    """When the build of a manifest's ``data`` ended, by the output folder's clock (None: not
    known, as in manifests of builds before 2026-11-25)."""
    value = data.get("finished_ns")
    return value if type(value) is int else None


def unrecorded_files(data: dict) -> list[str]:
    """The files of the output folder that no build made, as a manifest's ``data`` lists them
    (``OutputWriter.finish``)."""
    files = data.get("unrecorded")
    return [rel for rel in files if type(rel) is str] if isinstance(files, list) else []


def missing_files(output: Path, files: Mapping[str, str], finished: int | None = None) -> set[str]:
    """Those of ``files`` (relative path -> mark, as the manifest lists them) that are no
    longer what the build wrote: not a file under ``output`` (someone deleted it), or changed
    since (``is_untouched``)."""
    root = str(output)
    return {rel for rel, mark in files.items() if not is_untouched(f"{root}/{rel}", mark, finished)}


def is_untouched(path: str, mark: str, finished: int | None) -> bool:
    """Whether ``path`` is still the file a build wrote with fingerprint ``mark``: a file not
    modified after the build ``finished`` (``finished_ns``; None: any file will do). A copy
    (``copy:SIZE:...``) keeps its source's times, so only its size can tell."""
    try:
        found = os.stat(path)
    except OSError:
        return False
    if not stat.S_ISREG(found.st_mode):
        return False
    if mark.startswith(COPY_MARK):
        return mark.split(":", 2)[1] == str(found.st_size)
    return finished is None or found.st_mtime_ns <= finished
