"""A cache file of the build: ``(key, data)`` pickled, ignored when damaged or of another key.

Shared by the entry cache shards (loader.py) and the cloud layouts (layoutcache.py): the key
names the code and settings that made the data, so a changed one starts afresh.
"""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

from archiver.safewrite import atomic_write

# What unpickling a damaged, truncated or foreign file may raise.
_UNREADABLE = (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError,
               ImportError, IndexError, KeyError)


def read(path: Path, key: str) -> dict[Any, Any] | None:
    """The dict saved in ``path`` under ``key``; None when missing, damaged or of another key."""
    try:
        with open(path, "rb") as handle:
            saved_key, data = pickle.load(handle)
    except _UNREADABLE:
        return None
    return data if saved_key == key and isinstance(data, dict) else None


def write(path: Path, key: str, data: dict[Any, Any]) -> None:
    atomic_write(path, pickle.dumps((key, data), protocol=pickle.HIGHEST_PROTOCOL))
