"""Which template files a page is made with, as a key, so an edited template re-renders only
the pages that use it (issue 7).

A page's template reaches other templates by name: ``{% extends "base.html" %}``,
``{% include %}``, ``{% import %}`` and ``{% from ... import %}``. The key of a template is the
folder, name, size and change time of every file it reaches, itself included; each name is the
file Jinja's loader picks, the first of the template folders that has it (the site's
templates/, its theme's, the default theme's). So editing ``stats.html`` re-renders /stats/,
editing ``base.html`` every page, and a new override in the site's templates/ the pages of
that template. A name Jinja computes while rendering (a variable, a list of names) cannot be
read ahead: a template that has one depends on every template file.
"""

from __future__ import annotations

import re
from pathlib import Path

from archiver.build.stamps import digest, file_stats

# a tag that loads another template: the name as a string, or anything else (computed)
_LOADS = re.compile(r"""\{%-?\s*(?:extends|include|import|from)\s+(?:(["'])(.*?)\1)?""")


class TemplateKeys:
    """The key of each template by name (``key``), from the template folders, most specific first."""

    def __init__(self, folders: list[Path]) -> None:
        self._files: dict[str, tuple[Path, str]] = {}  # name -> (file, its stamp)
        for folder in reversed(folders):  # a more specific folder's file replaces the others'
            for rel, (size, changed) in file_stats(folder).items():
                self._files[rel] = (folder / rel, f"{folder}/{rel} {size} {changed}")
        self._all = digest(sorted(stamp for _, stamp in self._files.values()))
        self._keys: dict[str, str] = {}

    def key(self, name: str) -> str:
        """The key of template ``name`` and every template it reaches."""
        known = self._keys.get(name)
        if known is None:
            known = self._keys[name] = self._closure_key(name)
        return known

    def _closure_key(self, name: str) -> str:
        reached: set[str] = set()
        waiting = [name]
        while waiting:
            current = waiting.pop()
            if current in reached:
                continue
            reached.add(current)
            names = self._references(current)
            if names is None:
                return self._all
            waiting.extend(names)
        return digest(sorted(self._files[n][1] if n in self._files else f"missing {n}" for n in reached))

    def _references(self, name: str) -> list[str] | None:
        """The templates ``name`` loads by name; None when it computes a name (or cannot be read)."""
        found = self._files.get(name)
        if found is None:
            return []  # rendering it fails, with Jinja's own error
        try:
            text = found[0].read_text("utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        names = []
        for match in _LOADS.finditer(text):
            if match.group(2) is None:
                return None
            names.append(match.group(2))
        return names
