"""The small JSON files a site keeps in ``.archiver/``: the last build's key (build.json), the
output manifest, the search index's record, the store's index (read here; the store encodes
its own while its writer process works).

Each is a JSON object. One that is missing, unreadable or not an object reads as ``{}``, so
what it remembered is simply worked out again; each is written whole or not at all. msgspec
reads and writes them (the manifest of a big site is megabytes: 3-5x faster than ``json``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import msgspec

from archiver.safewrite import atomic_write


def read_state(path: Path) -> dict[str, Any]:
    """The JSON object saved at ``path``; ``{}`` when there is none to read."""
    try:
        data = msgspec.json.decode(path.read_bytes())
    except (OSError, ValueError):  # msgspec.DecodeError is a ValueError
        return {}
    return data if isinstance(data, dict) else {}


def write_state(path: Path, data: dict[str, Any]) -> None:
    """Save ``data`` at ``path``, compactly and atomically (a reader never sees half of it)."""
    atomic_write(path, msgspec.json.encode(data))
