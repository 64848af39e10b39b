"""Where a site's templates and static files come from: its own, then its theme's, then the default."""

from __future__ import annotations

from pathlib import Path

import archiver
from archiver.config import Config
from archiver.errors import ArchiverError


def default_theme_dir() -> Path:
    """The theme shipped with archiver (inside the wheel, or at the repo root when editable)."""
    packaged = Path(archiver.__file__).resolve().parent / "themes" / "default"
    if packaged.is_dir():
        return packaged
    return Path(archiver.__file__).resolve().parents[2] / "themes" / "default"


def theme_dirs(config: Config) -> list[Path]:
    """Theme folders, most specific first: the site's theme, then the default theme."""
    dirs = []
    if config.theme != "default":
        own = config.root / "themes" / config.theme
        if not own.is_dir():
            raise ArchiverError(f"theme {config.theme!r} not found at {own}", where="site.yaml",
                                hint="create themes/<name>/ or set 'theme: default'")
        dirs.append(own)
    elif (config.root / "themes" / "default").is_dir():
        dirs.append(config.root / "themes" / "default")
    dirs.append(default_theme_dir())
    return dirs


def template_folders(config: Config) -> list[Path]:
    """Where templates are looked up, first match wins: the site's templates/, then themes."""
    search = [config.root / "templates", *(d / "templates" for d in theme_dirs(config))]
    return [p for p in search if p.is_dir()]
