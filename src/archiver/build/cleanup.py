"""The output folder after a killed build, and ``--clean``: which files are archiver's.

A build notes in its marker (``.archiver/build.running``, ``safewrite.RunMarker``) when it
started, by the output folder's clock, or that it made the folder (``NEW_OUTPUT``). When it
is killed before it writes its manifest, the files changed since then are the killed build's
(``killed_build_files``): the next build removes those it does not make again, and ``clean``
removes them with the files the manifest lists, refusing a folder that holds anything else.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from pathlib import Path

from archiver.build.manifest import MANIFEST, read_manifest
from archiver.build.stamps import changed_ns
from archiver.errors import ArchiverError
from archiver.safewrite import RunMarker

BUILD_MARKER = "build.running"  # in the state folder while a build writes (safewrite.RunMarker)
NEW_OUTPUT = "new"  # a build's note when it made the output folder


def killed_build_files(output: Path, files: list[str], known: Mapping[str, str],
                       note: str) -> list[str]:
    """Those of ``files`` (under ``output``, not in the manifest ``known``) that a build killed
    before it wrote its manifest made, by the ``note`` it left in its marker: every one when
    the output folder was new, else those changed since it started; none when not known."""
    if note != NEW_OUTPUT and not note.isdigit():
        return []
    started = 0 if note == NEW_OUTPUT else int(note)
    made = []
    for rel in files:
        if rel not in known:
            try:
                if changed_ns(os.lstat(f"{output}/{rel}")) >= started:
                    made.append(rel)
            except OSError:
                pass
    return made


def walk_output(output: Path) -> tuple[list[str], list[str]]:
    """Files (and symlinks, never followed) under ``output``, relative and sorted, and its
    folders deepest first; both empty when there is no such folder."""
    files: list[str] = []
    folders: list[str] = []
    top = str(output)
    base = len(top) + 1
    for parent, dirs, names in os.walk(top, topdown=False):
        for name in dirs:
            path = os.path.join(parent, name)
            if os.path.islink(path):
                files.append(path[base:].replace(os.sep, "/"))
        files.extend(os.path.join(parent, name)[base:].replace(os.sep, "/") for name in names)
        if parent != top:
            folders.append(parent)
    return sorted(files), folders


def clean(output: Path, site_root: Path, state_dir: Path, manifest_path: Path | None = None) -> int:
    """Remove a previous build's files (and only those); returns how many were removed.
    ``manifest_path``: the manifest of ``output`` (by default ``manifest.json`` in ``state_dir``)."""
    output = output.resolve()
    site = site_root.resolve()
    forbidden = {Path("/"), Path.home().resolve(), site, (site / "content").resolve()}
    if output in forbidden or output in site.parents:
        raise ArchiverError(f"refusing to clean {output}", hint="choose an output folder like public/")
    marker = RunMarker(state_dir / BUILD_MARKER)
    marker.refuse_if_running()
    manifest_path = manifest_path or state_dir / MANIFEST
    known = read_manifest(manifest_path, output)
    files, folders = walk_output(output)
    ours = set(killed_build_files(output, files, known, marker.note()))  # a build stopped half-way
    strangers = [rel for rel in files if rel not in known and rel not in ours]
    if strangers:
        sample = ", ".join(strangers[:3])
        raise ArchiverError(f"refusing to clean: {len(strangers)} file(s) archiver did not write "
                            f"(e.g. {sample})", where=str(output),
                            hint="move them away or choose another --output")
    removed = 0
    for rel in files:
        try:
            os.unlink(f"{output}/{rel}")
            removed += 1
        except FileNotFoundError:
            pass
    for folder in [*folders, str(output)]:  # deepest first
        try:
            os.rmdir(folder)
        except OSError:
            pass
    manifest_path.unlink(missing_ok=True)
    shutil.rmtree(state_dir / "cache", ignore_errors=True)
    return removed
