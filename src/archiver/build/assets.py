"""The files a build copies as they are: theme static files, the media that items use, and the
site's own static/ folder (robots.txt, CNAME, favicon.ico, .well-known/ ...).

No page is made from them. So when only static files changed since the last build (a theme's
stylesheet was edited, a robots.txt was added), ``copy_static_only`` copies them again and
keeps every other file of the last build, without reading content/ or rendering a page.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from archiver.build.output import OutputWriter
from archiver.build.search import BUNDLE as SEARCH_BUNDLE
from archiver.build.site import SiteIndex
from archiver.build.stamps import file_stats
from archiver.build.themes import theme_dirs
from archiver.config import SITE_STATIC, Config
from archiver.paths import is_safe_relative

_LITTER = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})  # what file managers leave in folders
_VERSION_CONTROL = (".git", ".hg", ".svn")  # a repository's history is never published
_MEDIA_LINK = re.compile(r'(?:src|href|poster)="/(media/[^"#?]+)"')


def copy_theme_static(config: Config, writer: OutputWriter) -> None:
    """Theme static files; a more specific theme's file wins over the default's."""
    chosen: dict[str, Path] = {}
    for theme in reversed(theme_dirs(config)):
        static = theme / "static"
        if static.is_dir():
            for path in static.rglob("*"):
                if path.is_file() and not path.is_symlink():
                    chosen[f"static/{path.relative_to(static).as_posix()}"] = path
    for rel, path in sorted(chosen.items()):
        writer.copy(rel, path, static=True)


def copy_site_files(config: Config, writer: OutputWriter) -> list[str]:
    """The site's own static/ folder, copied as it is to the output's root; returns warnings.
    A file where the build made one is left out, and so is a symbolic link (as with media),
    a version control folder (``.git``) and the litter of file managers."""
    folder = config.root / SITE_STATIC
    links = SymlinkFinder(folder)
    warnings = []
    for rel in file_stats(folder, skip_dirs=_VERSION_CONTROL):
        if rel.rpartition("/")[2] in _LITTER:
            continue
        if links.on_path(rel):
            warnings.append(f"{SITE_STATIC}/{rel} is a symbolic link or in a linked folder; not copied "
                            "(a link could publish any file of this computer: copy the file in)")
        elif not is_safe_relative(rel):
            warnings.append(f"{SITE_STATIC}/{rel}: a name that not every system can hold; not copied")
        elif rel in writer.new or (config.search and rel.startswith(f"{SEARCH_BUNDLE}/")):
            warnings.append(f"{SITE_STATIC}/{rel} is not copied: the build makes that file itself")
        else:
            writer.copy(rel, folder / rel, static=True)
    return warnings


def copy_media(config: Config, site: SiteIndex, writer: OutputWriter) -> list[str]:
    """Copy the media that published items use (never that of drafts or deleted tweets)."""
    wanted: set[str] = set()
    for item in site.all_items:
        if item.entry.media:  # most items have none: no generator for them
            wanted.update(m.path for m in item.entry.media)
        if '"/media/' in item.html:  # most items link no media: skip the regex
            wanted.update(_MEDIA_LINK.findall(item.html))
    warnings = []
    content = config.content.resolve()
    links = SymlinkFinder(content)
    for rel in sorted(wanted):
        source = content / rel
        if not is_safe_relative(rel) or not rel.startswith("media/"):
            warnings.append(f"media path {rel!r} is not under content/media/; not copied")
        elif links.on_path(rel):
            warnings.append(f"content/{rel} is a symbolic link or in a linked folder; not copied "
                            "(a link could publish any file of this computer: copy the file in)")
        elif not source.is_file():
            warnings.append(f"missing media file content/{rel}")
        else:
            writer.copy(rel, source)
    return warnings


def copy_static_only(config: Config, writer: OutputWriter) -> list[str]:
    """A build whose pages, feeds and media are those of the last build (only static files
    changed since): keep those, copy the static files again; returns the static/ folder's
    warnings. The last build's static files that are gone are removed by ``writer.finish``."""
    for rel, mark in writer.old.items():
        if rel not in writer.old_static:
            writer.record(rel, mark, False, writer.old_inputs.get(rel))
    copy_theme_static(config, writer)
    return copy_site_files(config, writer)


class SymlinkFinder:
    """Whether a path under a folder goes through a symbolic link (each folder looked at once)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._linked: dict[str, bool] = {"": False}

    def on_path(self, rel: str) -> bool:
        folder = rel.rpartition("/")[0]
        return self._is_linked(folder) or os.path.islink(self.root / rel)

    def _is_linked(self, folder: str) -> bool:
        known = self._linked.get(folder)
        if known is None:
            known = self._is_linked(folder.rpartition("/")[0]) or os.path.islink(self.root / folder)
            self._linked[folder] = known
        return known
