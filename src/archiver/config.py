"""Load and validate site.yaml; every problem is reported at once, each with its key."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from archiver.errors import ArchiverError

CONFIG_NAME = "site.yaml"
SITE_STATIC = "static"  # the site's own files, copied as they are to the output's root
PERMALINK_KINDS = ("post", "page", "tweet")
PERMALINK_FIELDS = (":year", ":month", ":day", ":slug", ":id")
DEFAULT_PERMALINKS = {
    "post": "/:year/:month/:slug/",
    "page": "/:slug/",
    "tweet": "/tweets/:id/",
}


def base_path(base_url: str) -> str:
    """The path of ``base_url``, where the site is published, ending in "/": ``/archive/`` for
    ``https://example.org/archive``, ``/`` for none."""
    return urlsplit(base_url).path.rstrip("/") + "/"


@dataclass(frozen=True)
class Config:
    """A validated site.yaml. ``root`` is the site folder."""

    root: Path
    title: str = "My archive"
    author: str = ""
    description: str = ""
    base_url: str = ""
    language: str = "en"
    timezone: str = "UTC"
    output_dir: str = "public"
    theme: str = "default"
    pagination: int = 20
    permalinks: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_PERMALINKS))
    search: bool = True
    words: dict[str, Any] = field(default_factory=dict)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def output(self) -> Path:
        return (self.root / self.output_dir).resolve()

    @property
    def content(self) -> Path:
        return self.root / "content"


# key -> (python type(s), description shown in errors)
_SCHEMA: dict[str, tuple[tuple[type, ...], str]] = {
    "title": ((str,), "a text"),
    "author": ((str,), "a text"),
    "description": ((str,), "a text"),
    "base_url": ((str,), "a URL like https://example.org/ (or empty)"),
    "language": ((str,), "a language code like en or de"),
    "timezone": ((str,), "an IANA time zone like Europe/Berlin"),
    "output_dir": ((str,), "a folder name like public"),
    "theme": ((str,), "a theme name (default, or a folder under themes/)"),
    "pagination": ((int,), "a whole number from 1 to 1000"),
    "permalinks": ((dict,), "a mapping like {post: /:year/:month/:slug/}"),
    "search": ((bool,), "true or false"),
    "words": ((dict,), "a mapping like {stopwords: [word, ...]}"),
}


def load_config(root: Path) -> Config:
    """Read ``root/site.yaml``; raise ArchiverError listing every problem found."""
    path = root / CONFIG_NAME
    if not path.is_file():
        raise ArchiverError("no site.yaml here", where=str(root),
                            hint="run 'archiver init DIR' to make a site, or pass --site DIR")
    try:
        data = yaml.safe_load(path.read_text("utf-8")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" at line {mark.line + 1}" if mark is not None else ""
        raise ArchiverError(f"not valid YAML{line}", where=str(path),
                            hint="fix the syntax (indentation, colons, quotes)") from None
    except UnicodeDecodeError:
        raise ArchiverError("not UTF-8 text", where=str(path), hint="save it as UTF-8") from None
    if not isinstance(data, dict):
        raise ArchiverError("must be a mapping of keys to values", where=str(path),
                            hint="write 'key: value' lines, e.g. 'title: My archive'")
    problems = validate(data)
    if problems:
        listed = "; ".join(problems)
        raise ArchiverError(f"{len(problems)} problem(s): {listed}", where=str(path),
                            hint="fix these keys and run again")
    values = dict(data)
    values["permalinks"] = {**DEFAULT_PERMALINKS, **values.get("permalinks", {})}
    return Config(root=root, **values)


def validate(data: dict[str, Any]) -> list[str]:
    """Every problem in a site.yaml mapping, as 'key: what is wrong' strings."""
    problems: list[str] = []
    for key, value in data.items():
        key = str(key)
        if key not in _SCHEMA:
            close = difflib.get_close_matches(key, list(_SCHEMA), n=1)
            guess = f" (did you mean '{close[0]}'?)" if close else ""
            problems.append(f"{key}: unknown key{guess}; allowed: {', '.join(_SCHEMA)}")
            continue
        types, wanted = _SCHEMA[key]
        if not isinstance(value, types) or (bool not in types and isinstance(value, bool)):
            problems.append(f"{key}: expected {wanted}, got {value!r}")
            continue
        problems.extend(_check_value(key, value))
    return problems


# what output_dir must not name: the site itself, above it, and its own folders (pipeline.py
# resolve_output refuses them, and anything inside them, when a build starts)
SITE_FOLDERS = (".", "..", "content", "templates", "themes", SITE_STATIC, ".archiver")


def _check_value(key: str, value: Any) -> list[str]:
    if key == "timezone":
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            return [f"timezone: unknown time zone {value!r}; use an IANA name like Europe/Berlin"]
    if key == "pagination" and not 1 <= value <= 1000:
        return [f"pagination: expected a whole number from 1 to 1000, got {value}"]
    if key == "output_dir" and (not value.strip() or value.strip().rstrip("/") in SITE_FOLDERS):
        return [f"output_dir: {value!r} would overwrite the site; use a folder like public"]
    if key == "base_url" and value and not value.startswith(("http://", "https://")):
        return [f"base_url: expected an http(s) URL, got {value!r}"]
    if key == "permalinks":
        return _check_permalinks(value)
    if key == "words":
        stop = value.get("stopwords", [])
        unknown = [k for k in value if k != "stopwords"]
        out = [f"words.{k}: unknown key; allowed: stopwords" for k in unknown]
        if not isinstance(stop, list) or not all(isinstance(w, str) for w in stop):
            out.append("words.stopwords: expected a list of words")
        return out
    return []


def _check_permalinks(value: dict[str, Any]) -> list[str]:
    problems = []
    for kind, pattern in value.items():
        if kind not in PERMALINK_KINDS:
            problems.append(f"permalinks.{kind}: unknown kind; allowed: {', '.join(PERMALINK_KINDS)}")
        elif not isinstance(pattern, str) or not pattern.startswith("/") or not pattern.endswith("/"):
            problems.append(f"permalinks.{kind}: expected a path like /:year/:slug/ (starts and ends with /)")
        elif ":slug" not in pattern and ":id" not in pattern:
            problems.append(f"permalinks.{kind}: must contain :slug or :id so every item gets its own page")
        else:
            bad = [p for p in pattern.split("/") if p.startswith(":") and p not in PERMALINK_FIELDS]
            if bad:
                problems.append(f"permalinks.{kind}: unknown field {bad[0]}; allowed: {', '.join(PERMALINK_FIELDS)}")
    return problems
