"""The manifest of an output folder (``.archiver/manifest.json``): the files a build wrote.

Read by the up-to-date check, which must stay light; written by output.OutputWriter.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from archiver.statefiles import read_state

STATE_DIR = ".archiver"  # a site's own state: manifest, caches, last build's key
MANIFEST = "manifest.json"  # in STATE_DIR


def output_key(output: Path, manifest_path: Path) -> str:
    """How the manifest names its output folder: relative to the site when inside it, so a
    site folder that is moved or renamed keeps knowing which files its builds wrote."""
    try:
        return output.resolve().relative_to(manifest_path.parent.parent.resolve()).as_posix()
    except ValueError:
        return str(output)


def read_manifest_data(path: Path, output: Path) -> dict:
    data = read_state(path)
    return data if data.get("output") in (output_key(output, path), str(output)) else {}


def read_manifest(path: Path, output: Path) -> dict[str, str]:
    files = read_manifest_data(path, output).get("files", {})
    return files if isinstance(files, dict) else {}


def missing_files(output: Path, files: Iterable[str]) -> set[str]:
    """Those of ``files`` (relative, as the manifest lists them) that are not a file under
    ``output``: someone deleted them since the build that wrote them."""
    root = str(output)
    return {rel for rel in files if not os.path.isfile(f"{root}/{rel}")}
