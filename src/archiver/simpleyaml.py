"""The plain subset of YAML front matter, read without PyYAML: the same values, ~10x faster.

libyaml scans fast, but PyYAML builds every value in Python (resolver, constructor): ~100 us
of a tweet file's ~150 us read. Front matter as archiver writes it, as Hugo and the benchmark
corpus write it, is a few ``key: value`` lines; ``simple_mapping`` reads exactly:

    key: plain scalar | "double quoted" | 'single quoted' | [flow, list] | timestamp | date
    key:                          then "- item" lines (scalars, or one-level "- k: v" mappings)
    key:                          then "  k: v" lines (a one-level mapping)

with plain scalars that resolve to strings, dates and timestamps (YAML 1.1 implicit types as
PyYAML resolves them), and returns None for anything else (numbers, booleans, nulls,
escapes, anchors, comments, block scalars, deeper nesting, duplicate keys, tabs or other
unprintable characters, ...), which PyYAML then reads. tests/build/test_read_speed_yaml.py
compares both on generated, written and real front matter.
"""

from __future__ import annotations

import datetime
import re
from functools import lru_cache
from typing import Any

import yaml

_IMPLICIT = yaml.resolver.Resolver.yaml_implicit_resolvers  # first character -> [(tag, regexp)]
_STR = "tag:yaml.org,2002:str"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_TIMESTAMP_PARTS = yaml.constructor.SafeConstructor.timestamp_regexp

_KEY = r"[A-Za-z_][A-Za-z0-9_]*"
_DOUBLE = r'"[^"\\]*+"'  # no escapes
_SINGLE = r"'(?:[^']++|'')*+'"
# a plain scalar in block context: no indicator first, no ": " or " #", no trailing space/colon
_PLAIN = r"(?![-?:,\[\]{}#&*!|>'\"%@` ])(?:[^:#\n ]++|:(?! )|#| (?!#))*+(?<![ :])"
_FLOW_PLAIN = r"(?![-?:,\[\]{}#&*!|>'\"%@` ])[^,\[\]{}:#\n]++(?<! )"
_FLOW_ITEM = rf"(?:{_DOUBLE}|{_SINGLE}|{_FLOW_PLAIN})"
_FLOW_LIST = rf"\[(?:{_FLOW_ITEM}(?:, {_FLOW_ITEM})*)?\]"
_VALUE = rf"(?:{_DOUBLE}|{_SINGLE}|{_FLOW_LIST}|{_PLAIN})"

_TOP = re.compile(rf"({_KEY}):(?: ({_VALUE}))?")
_NESTED = re.compile(rf"  ({_KEY}): ({_VALUE})")
_ITEM = re.compile(rf"- (?:({_KEY}): ({_VALUE})|({_VALUE}))")
_FLOW_ITEMS = re.compile(rf"({_FLOW_ITEM})(?:, |\]$)")


class _NotSimple(Exception):
    """Raised inside the reader when the header leaves the subset."""


def simple_mapping(header: str) -> dict[str, Any] | None:
    """What ``yaml.load(header, CSafeLoader)`` returns, for a header in the subset; else None."""
    if not header.endswith("\n") or not header.replace("\n", " ").isprintable():
        return None
    lines = header[:-1].split("\n")
    try:
        return _mapping(lines)
    except _NotSimple:
        return None


def _mapping(lines: list[str]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    index = 0
    while index < len(lines):
        top = _TOP.fullmatch(lines[index])
        if top is None:
            raise _NotSimple
        key, text = top.groups()
        index += 1
        if text is not None:
            value = _value(text)
        else:
            value, index = _block(lines, index)
        _put(data, _key(key), value)
    return data


def _block(lines: list[str], index: int) -> tuple[Any, int]:
    """The block value that starts at ``lines[index]`` (after a bare ``key:``) and where it ends."""
    if index >= len(lines) or not lines[index].startswith(("- ", "  ")):
        raise _NotSimple  # an empty value is null: PyYAML reads it
    if lines[index].startswith("  "):
        nested: dict[str, Any] = {}
        while index < len(lines) and lines[index].startswith("  "):
            item = _NESTED.fullmatch(lines[index])
            if item is None:
                raise _NotSimple
            _put(nested, _key(item.group(1)), _value(item.group(2)))
            index += 1
        return nested, index
    items: list[Any] = []
    while index < len(lines) and lines[index].startswith("- "):
        item = _ITEM.fullmatch(lines[index])
        if item is None:
            raise _NotSimple
        index += 1
        if item.group(3) is not None:
            items.append(_value(item.group(3)))
            continue
        mapping = {_key(item.group(1)): _value(item.group(2))}
        while index < len(lines) and lines[index].startswith("  "):
            more = _NESTED.fullmatch(lines[index])
            if more is None:
                raise _NotSimple
            _put(mapping, _key(more.group(1)), _value(more.group(2)))
            index += 1
        items.append(mapping)
    return items, index


def _put(data: dict[str, Any], key: str, value: Any) -> None:
    if key in data:
        raise _NotSimple  # PyYAML keeps the last one; rare enough to leave to it
    data[key] = value


def _key(text: str) -> str:
    if not _is_string(text):  # "on:", "no:", "null:" are not string keys
        raise _NotSimple
    return text


@lru_cache(maxsize=4096)  # keys and tags repeat in every file
def _is_string(text: str) -> bool:
    return _tag(text) == _STR


def _value(text: str) -> Any:
    first = text[0]
    if first == '"':
        return text[1:-1]
    if first == "'":
        return text[1:-1].replace("''", "'")
    if first == "[":
        return [_value(item) for item in _flow_items(text)]
    if _is_string(text):
        return text
    if _tag(text) == _TIMESTAMP:
        return _timestamp(text)
    raise _NotSimple  # numbers, booleans, nulls, merge keys, ...


def _flow_items(text: str) -> list[str]:
    if text == "[]":
        return []
    items = _FLOW_ITEMS.findall(text, 1)
    if ", ".join(items) != text[1:-1]:
        raise _NotSimple
    return items


def _tag(text: str) -> str:
    """The tag PyYAML's resolver gives ``text`` written plain."""
    for tag, regexp in _IMPLICIT.get(text[0], ()):
        if regexp.match(text):
            return tag
    return _STR


def _timestamp(text: str) -> datetime.date:
    """``SafeConstructor.construct_yaml_timestamp``, for a plain scalar."""
    parts = _TIMESTAMP_PARTS.match(text)
    if parts is None:
        raise _NotSimple
    values = parts.groupdict()
    try:
        year, month, day = int(values["year"]), int(values["month"]), int(values["day"])
        if not values["hour"]:
            return datetime.date(year, month, day)
        fraction = int((values["fraction"] or "")[:6].ljust(6, "0"))
        tzinfo: datetime.tzinfo | None = None
        if values["tz_sign"]:
            delta = datetime.timedelta(hours=int(values["tz_hour"]), minutes=int(values["tz_minute"] or 0))
            tzinfo = datetime.timezone(-delta if values["tz_sign"] == "-" else delta)
        elif values["tz"]:
            tzinfo = datetime.timezone.utc
        return datetime.datetime(year, month, day, int(values["hour"]), int(values["minute"]),
                                 int(values["second"]), fraction, tzinfo=tzinfo)
    except ValueError:  # February 30th, hour 25: PyYAML raises its own way
        raise _NotSimple from None
