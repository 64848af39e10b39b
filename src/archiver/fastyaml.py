"""YAML front matter of the common shape, written and read without the YAML library's
Python layers (5-10x faster), with exactly the library's results, or not at all.

Writing: ``dump_simple`` gives the text ``yaml.dump`` (libyaml, safe dumper) would give for a
mapping of plain strings, dates, lists of strings and flat mappings, or None for anything
else. Reading: ``load_simple`` gives what ``yaml.load`` with CSafeLoader gives for a header
of that shape (``key: value`` lines, block lists and flat mappings under a key, flow lists
of plain items), or None for anything else. Scalars are typed by the library's own resolver
patterns and constructors (a date, ``yes``, ``012`` mean what they mean to PyYAML); what is
done here is only splitting lines and unquoting, so both take the library's way (the caller's
fallback) at the first thing out of the ordinary: a comment, an escape, a tab, a multi-line
scalar, an anchor, a duplicate key. ``tests/test_frontmatter_fast.py`` compares both
directions with the library on thousands of random mappings and texts.
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache
from typing import Any

import yaml

__all__ = ["dump_simple", "load_simple"]

_COMMON_KEYS = (  # what archiver writes most: known before the first file
    "title", "date", "kind", "tags", "id", "source", "source_id", "url", "aliases", "status",
    "slug", "media", "reply_to", "quote_of", "retweet_of", "thread", "comments",
)

# -- writing ---------------------------------------------------------------------------------
# A string is written plain when libyaml would write it plain: printable, within the BMP
# (libyaml escapes the rest), no line break, no leading/trailing space, no indicator first,
# no ": " / " #" / final ":", short enough never to be folded at ``width``; if the resolver
# reads it as another type ('123', 'yes', '~') it is single-quoted, as the emitter does.
# Anything else (comments, unknown keys, a newline in an alt text, a date offset in seconds)
# goes through yaml.dump. tests/test_frontmatter_fast.py compares both on random entries.
_SIMPLE = re.compile(r"(?![-?:,\[\]{}#&*!|>'\"%@`. ]|.*(?:: | #))"
                     r"[\x20-\x7e\u00a1-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]{1,800}"
                     r"(?<![ :])")
_STR_TAG = "tag:yaml.org,2002:str"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_IMPLICIT = yaml.resolver.Resolver.yaml_implicit_resolvers  # first character -> [(tag, regexp)]
_MAX_KEY = 100
# A date to the second with "Z" or a whole-minute offset (what isoformat() writes, what most
# files hold): always a YAML timestamp, and PyYAML makes of it what datetime.fromisoformat does.
_COMMON_STAMP = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:Z|[+-][0-9]{2}:[0-9]{2})")
_keys_written: dict[str, str | None] = {key: key for key in _COMMON_KEYS}
_short_written: dict[str, str | None] = {}  # "twitter", tags, user names: seen again and again
_UNSEEN = object()


def _resolve(value: str) -> str:
    """The tag the loader gives ``value`` written plain (yaml's Resolver.resolve, inlined)."""
    for tag, regexp in _IMPLICIT.get(value[0] if value else "", ()):
        if regexp.match(value):
            return tag
    return _STR_TAG


def _scalar(value: str) -> str | None:
    """``value`` as the emitter writes it in block context, or None when not a simple case."""
    written = _short_written.get(value, _UNSEEN)
    if written is not _UNSEEN:
        return written  # type: ignore[return-value]
    written = _scalar_style(value)
    if len(value) <= 40:
        if len(_short_written) >= 20_000:
            _short_written.clear()
        _short_written[value] = written
    return written


def _scalar_style(value: str) -> str | None:
    if not value:
        return "''"
    if not _SIMPLE.fullmatch(value):
        return None
    if _resolve(value) == _STR_TAG:
        return value
    return "'" + value.replace("'", "''") + "'"


def _key(key: Any) -> str | None:
    """A mapping key written plain, or None."""
    if not isinstance(key, str) or len(key) > _MAX_KEY:
        return None
    if key not in _keys_written:
        if len(_keys_written) > 1000:
            _keys_written.clear()
        _keys_written[key] = key if _scalar(key) == key else None
    return _keys_written[key]


def dump_simple(data: dict[str, Any]) -> str | None:
    """The YAML text ``yaml.dump`` would write for ``data``, or None when not a simple case."""
    lines: list[str] = []
    containers: list[int] = []
    for key, value in data.items():
        name = _keys_written.get(key) or _key(key)
        if name is None:
            return None
        if isinstance(value, str):
            text = _short_written.get(value) if len(value) <= 40 else None
            if text is None:
                text = _scalar(value)
                if text is None:
                    return None
            lines.append(f"{name}: {text}")
        elif isinstance(value, datetime):
            stamp = value.isoformat()
            if not _COMMON_STAMP.fullmatch(stamp) and _resolve(stamp) != _TIMESTAMP_TAG:
                return None
            lines.append(f"{name}: {stamp}")
        elif isinstance(value, list) and value:
            containers.append(id(value))
            lines.append(f"{name}:")
            for element in value:
                if not _block_item(lines, "- ", element):
                    return None
        elif isinstance(value, dict) and value:
            containers.append(id(value))
            lines.append(f"{name}:")
            if not _mapping_lines(lines, "  ", "  ", value):
                return None
        else:
            return None
    if not lines or (len(containers) > 1 and len(set(containers)) != len(containers)):
        return None  # the same list twice: yaml.dump writes an anchor and an alias
    lines.append("")
    return "\n".join(lines)


def _block_item(lines: list[str], dash: str, element: Any) -> bool:
    """One list element (a string or a flat mapping of strings) as block YAML lines."""
    if isinstance(element, str):
        text = _scalar(element)
        if text is None:
            return False
        lines.append(dash + text)
        return True
    if isinstance(element, dict) and element:
        return _mapping_lines(lines, dash, "  ", element)
    return False


def _mapping_lines(lines: list[str], first: str, rest: str, mapping: dict[Any, Any]) -> bool:
    """A flat mapping of strings; ``first`` prefixes its first line, ``rest`` the others."""
    prefix = first
    for key, value in mapping.items():
        name = _key(key)
        text = _scalar(value) if isinstance(value, str) else None
        if name is None or text is None:
            return False
        lines.append(f"{prefix}{name}: {text}")
        prefix = rest
    return True


# -- reading ---------------------------------------------------------------------------------
# Only characters that libyaml reads as themselves: no tab, no carriage return, no NEL or
# line/paragraph separator (YAML 1.1 line breaks), no BOM, no control character. Written as
# the characters it finds, not as the complement of those it allows: the same set (checked on
# every code point), compiled in a fifth of the time (every build imports this module).
_UNUSUAL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")
_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_]{0,99}):(?: (.+))?")  # key: value, or key: alone
_DOUBLE = re.compile(r'"([^"\\]*)"')  # no escape sequence in it
_SINGLE = re.compile(r"'((?:[^']|'')*)'")
_FLOW_SEPARATOR = ", "
_NOT_IN_FLOW = re.compile(r"[,\[\]{}:#]")  # what ends or nests a plain scalar in a flow list
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_SCALAR_CONSTRUCTORS = {tag: _CONSTRUCTOR.yaml_constructors[tag] for tag in (
    "tag:yaml.org,2002:null", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float", _TIMESTAMP_TAG)}
_NOT_SIMPLE = object()  # a value is not of the simple shape (None is a value: YAML's null)


def load_simple(header: str) -> dict[str, Any] | None:
    """What ``yaml.load(header, CSafeLoader)`` gives, for a header of the simple shape; None
    for any other header (also a wrong one: the library then says what is wrong)."""
    if not header.endswith("\n") or _UNUSUAL.search(header):
        return None
    lines = header[:-1].split("\n")
    data: dict[str, Any] = {}
    at = 0
    while at < len(lines):
        line = _LINE.fullmatch(lines[at])
        key = _plain_key(line[1]) if line is not None else None
        if key is None or key in data:
            return None
        at += 1
        if line[2] is None:  # "key:": a list or mapping below it, or null
            value, at = _block(lines, at)
        else:
            value = _top_value(line[2])
        if value is _NOT_SIMPLE:
            return None
        data[key] = value
    return data


@lru_cache(maxsize=4096)
def _plain_key(text: str) -> str | None:
    return text if _resolve(text) == _STR_TAG else None  # not "on", "yes", "null" ...


def _block(lines: list[str], at: int) -> tuple[Any, int]:
    """The value under a "key:" line: a block list (indented 0 or 2), a flat mapping
    (indented 2) or, when the next line is another key, null."""
    following = lines[at] if at < len(lines) else ""
    if following.startswith("- "):
        return _block_list(lines, at, "")
    if following.startswith("  - "):
        return _block_list(lines, at, "  ")
    if following.startswith("  "):
        return _block_mapping(lines, at, "  ")
    return _read_scalar(""), at


def _block_list(lines: list[str], at: int, indent: str) -> tuple[Any, int]:
    """``- item`` lines: scalars, or flat mappings (``- key: value`` + ``  key: value``)."""
    dash = indent + "- "
    items: list[Any] = []
    while at < len(lines) and lines[at].startswith(dash):
        text = lines[at][len(dash):]
        at += 1
        first = _LINE.fullmatch(text)
        if first is None:
            item = _read_scalar(text)
        elif first[2] is None:
            return _NOT_SIMPLE, at  # "- key:" opens a nested block
        else:
            item, at = _block_mapping(lines, at, indent + "  ", text)
        if item is _NOT_SIMPLE:
            return _NOT_SIMPLE, at
        items.append(item)
    return items, at


def _block_mapping(lines: list[str], at: int, indent: str, first: str | None = None
                   ) -> tuple[Any, int]:
    """``key: value`` lines of scalars at ``indent`` (after ``first``, a list item's first pair)."""
    mapping: dict[str, Any] = {}
    texts = [first] if first is not None else []
    while at < len(lines) and lines[at].startswith(indent) and lines[at][len(indent):len(indent) + 1] not in " -":
        texts.append(lines[at][len(indent):])
        at += 1
    if not texts:
        return _NOT_SIMPLE, at
    for text in texts:
        line = _LINE.fullmatch(text)
        key = _plain_key(line[1]) if line is not None and line[2] is not None else None
        value = _read_scalar(line[2]) if key is not None else _NOT_SIMPLE
        if key is None or key in mapping or value is _NOT_SIMPLE:
            return _NOT_SIMPLE, at
        mapping[key] = value
    return mapping, at


def _top_value(text: str) -> Any:
    """A value on its key's line: a scalar, ``[]``, ``{}`` or a flow list of scalars."""
    if text[0] == "[" and text[-1] == "]":
        inside = text[1:-1]
        if not inside:
            return []
        items = [_flow_item(part) for part in inside.split(_FLOW_SEPARATOR)]
        return _NOT_SIMPLE if _NOT_SIMPLE in items else items
    if text == "{}":
        return {}
    return _read_scalar(text)


def _flow_item(text: str) -> Any:
    if not text or (text[0] not in ("'", '"') and _NOT_IN_FLOW.search(text)):
        return _NOT_SIMPLE  # "[a, ]" is [a] and "[, a]" an error: the library decides
    return _read_scalar(text)


def _read_scalar(text: str) -> Any:
    """One scalar on one line: double-quoted without escapes, single-quoted, or plain (typed
    by the library's resolver and constructor); _NOT_SIMPLE for anything else."""
    first = text[:1]
    if first == '"':
        quoted = _DOUBLE.fullmatch(text)
        return quoted[1] if quoted is not None else _NOT_SIMPLE
    if first == "'":
        quoted = _SINGLE.fullmatch(text)
        return quoted[1].replace("''", "'") if quoted is not None else _NOT_SIMPLE
    if _COMMON_STAMP.fullmatch(text):
        try:
            return datetime.fromisoformat(text)
        except ValueError:  # 2019-02-30: the library says so
            return _NOT_SIMPLE
    if text and not _SIMPLE.fullmatch(text):
        return _NOT_SIMPLE
    tag = _resolve(text)
    if tag == _STR_TAG:
        return text
    construct = _SCALAR_CONSTRUCTORS.get(tag)
    if construct is None:  # a merge key "<<", a value "="
        return _NOT_SIMPLE
    try:
        return construct(_CONSTRUCTOR, yaml.ScalarNode(tag, text))
    except (ValueError, OverflowError, yaml.YAMLError):  # 2019-02-30: the library says so
        return _NOT_SIMPLE
