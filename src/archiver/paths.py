"""Safe names: slugs for URLs and file names that can never leave their folder."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from urllib.parse import unquote, urlsplit

from slugify import slugify as _slugify

MAX_SLUG = 80
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
                     *(f"lpt{i}" for i in range(10))}
_UNSAFE_FILE_CHARS = re.compile(r"[^A-Za-z0-9._-]+")
_FORBIDDEN_PATH_CHARS = re.compile(r'[\x00-\x1f\x7f<>:"|?*\\]')
# Segments of lower-case letters, digits, "_" and "-", with dots only between them, none a
# device name before its first dot: what slugs and page paths are, and all safe (above)
_DEVICE_NAME = "|".join(sorted(_WINDOWS_RESERVED))
_PLAIN_SEGMENT = rf"(?!(?:{_DEVICE_NAME})(?:[./]|\Z))[a-z0-9_-]+(?:\.[a-z0-9_-]+)*"
_PLAIN_PATH = re.compile(rf"(?:{_PLAIN_SEGMENT}/)*{_PLAIN_SEGMENT}")


def slugify(text: str, fallback: str = "item") -> str:
    """A lowercase ASCII slug safe as one path segment ('' never returned).

    Non-Latin text transliterates (python-slugify + text-unidecode); what cannot becomes
    ``fallback``. Windows reserved names and dot-only names are suffixed so they stay files.
    """
    slug = _slugify(unicodedata.normalize("NFKC", text or ""), max_length=MAX_SLUG,
                    word_boundary=True, save_order=True)
    if not slug:
        slug = _slugify(fallback, max_length=MAX_SLUG) or "item"
    if slug in _WINDOWS_RESERVED:
        slug += "-1"
    return slug


_TAG_SIGNS = str.maketrans({"+": " plus ", "#": " sharp "})


@lru_cache(maxsize=4096)
def tag_slug(name: str) -> str:
    """The slug of a tag's page (``/tags/<slug>/``): ``slugify``, with ``+`` and ``#`` in the
    name spelled out, so that C, C++ and C# keep pages of their own (a hashtag has neither).
    Remembered: an archive's hashtags repeat thousands of times."""
    return slugify(name.translate(_TAG_SIGNS), fallback="tag")


def safe_filename(name: str, fallback: str = "file") -> str:
    """A file name from untrusted input: no folders, no leading dots, ASCII, bounded length."""
    name = unicodedata.normalize("NFKC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    stem = _UNSAFE_FILE_CHARS.sub("-", stem).strip("-.")[:100] or fallback
    ext = _UNSAFE_FILE_CHARS.sub("", ext)[:10].lower()
    if stem.lower() in _WINDOWS_RESERVED:
        stem += "-1"
    return f"{stem}.{ext}" if ext else stem


def is_safe_relative(path: str) -> bool:
    """True when ``path`` is a relative '/'-separated path that stays inside its folder everywhere.

    Refused: absolute paths, empty, '.' and '..' segments, backslashes, NUL and control
    characters, characters Windows forbids (``<>:"|?*``), segments ending in a dot or space,
    Windows device names (``con``, ``aux.html``, ``com1`` ...) and segments longer than 255
    bytes (the limit of common file systems), so the output also copies to a USB stick.
    """
    if len(path) <= 255 and _PLAIN_PATH.fullmatch(path):
        return True  # the common case (every page of a build), decided by one regex
    if not path or path.startswith("/") or _FORBIDDEN_PATH_CHARS.search(path):
        return False
    return all(_is_safe_segment(part) for part in path.split("/"))


def _is_safe_segment(part: str) -> bool:
    if part in ("", ".", "..") or part.endswith((".", " ")) or len(part.encode("utf-8")) > 255:
        return False
    return part.split(".", 1)[0].strip().lower() not in _WINDOWS_RESERVED


def decoded_path(path: str) -> str:
    """An old URL's path as text: percent-escapes decoded and NFC-normalised, so that
    ``/caf%C3%A9/``, ``/café/`` and its NFD twin name one address (and one file)."""
    return unicodedata.normalize("NFC", unquote(path))


def alias_path(alias: str) -> str:
    """The output file for an old URL path: '/a/b.html' -> 'a/b.html', '/a/b/' -> 'a/b/index.html'.

    Returns '' for what cannot be a file: query strings (``/?p=123``), the site root, unsafe paths.
    """
    parts = urlsplit(alias)
    if parts.query or not parts.path.strip("/"):
        return ""
    path = decoded_path(parts.path).lstrip("/")
    if not path.endswith((".html", ".htm")):
        path = path.rstrip("/") + "/index.html"
    return path if is_safe_relative(path) else ""


def usable_alias(alias: str) -> bool:
    """Whether an old address can still lead to its item: as a file of the site
    (``alias_path``) or, with a query string (``/?p=123``), through old-links.js."""
    return bool(alias_path(alias) or urlsplit(alias).query)
