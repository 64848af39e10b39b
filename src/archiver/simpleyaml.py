"""The plain subset of YAML front matter, read without libyaml: the same data, 5-10x faster.

Front matter is nearly always a handful of ``key: value`` lines: plain or quoted strings, a
date, a list of tags, maybe a list of media or a small mapping (what ``frontmatter.dumps``
writes, and what other tools write). ``simple_mapping`` reads exactly that subset and gives
what ``yaml.load(header, Loader=yaml.CSafeLoader)`` gives for it; for anything else (comments,
blank lines, tabs, anchors, block scalars, escapes, numbers other than plain integers,
booleans, nulls, deeper nesting, characters YAML treats specially, ...) it returns None and
the caller parses the header with libyaml. Where it is unsure, it gives up.

tests/test_simpleyaml.py compares both on many generated and hand-written headers.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

_STR_TAG = "tag:yaml.org,2002:str"
_INT_TAG = "tag:yaml.org,2002:int"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
_IMPLICIT = yaml.resolver.Resolver.yaml_implicit_resolvers  # first character -> [(tag, regexp)]
_CONSTRUCTOR = yaml.constructor.SafeConstructor()  # builds timestamps exactly as the loader does

# Anything but printable characters and "\n" (tabs, "\r", NEL, U+2028/9, BOM, controls): YAML
# treats them specially or refuses them, so such a header goes to libyaml.
_UNUSUAL = re.compile("[^\n\x20-\x7e\u00a0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd"
                      "\U00010000-\U0010ffff]")
_KEY = r"[A-Za-z_][A-Za-z0-9_-]{0,99}"  # YAML refuses a key of over 1,024 characters
_KEY_LINE = re.compile(rf"({_KEY}):(?: (.*))?")
_DOUBLE_QUOTED = re.compile(r'"([^"\\]*)"')
_SINGLE_QUOTED = re.compile(r"'((?:[^']|'')*)'")
# a plain scalar cannot start with an indicator, and ": ", " #" or a final ":" would end it
_PLAIN_START = frozenset("-?:,[]{}#&*!|>'\"%@` ")
_INTEGER = re.compile(r"0|[1-9][0-9]{0,17}")
_FLOW_ITEM = re.compile(r"[A-Za-z][A-Za-z0-9_./ -]*")  # a plain word list item: [a, b c, d-e]
_FLOW_QUOTED = re.compile(r'"([^"\\,]*)"')


class _NotSimple(Exception):
    """The header is outside the subset: libyaml reads it."""


def simple_mapping(header: str) -> dict[str, Any] | None:
    """The mapping a YAML header holds, when it is in the simple subset; else None."""
    if _UNUSUAL.search(header) is not None:
        return None
    lines = header.split("\n")
    if lines[-1] == "":
        lines.pop()
    try:
        return _Reader(lines).mapping()
    except _NotSimple:
        return None


class _Reader:
    """Reads the top-level mapping line by line; raises _NotSimple where it is unsure."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.at = 0

    def mapping(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        while self.at < len(self.lines):
            key, text = _key_line(self.lines[self.at])
            self.at += 1
            data[key] = _value(text) if text is not None else self._block_value()
        if not data:
            raise _NotSimple
        return data

    def _next_line(self) -> str | None:
        return self.lines[self.at] if self.at < len(self.lines) else None

    def _block_value(self) -> Any:
        """What follows ``key:`` on the next lines: a list, a mapping, or nothing (None)."""
        line = self._next_line()
        if line is None or line[:1] not in ("-", " "):
            return None
        if line.startswith("- "):
            return self._sequence("- ", "  ")
        if line.startswith("  - "):
            return self._sequence("  - ", "    ")
        if line.startswith("  ") and line[2:3] not in (" ", "-"):
            return self._nested_mapping("  ")
        raise _NotSimple

    def _sequence(self, dash: str, indent: str) -> list[Any]:
        """``- item`` lines: scalars, or flat mappings (``- key: value`` + indented lines)."""
        items: list[Any] = []
        while (line := self._next_line()) is not None and line.startswith(dash):
            self.at += 1
            rest = line[len(dash):]
            if _KEY_LINE.fullmatch(rest) is not None and not rest.startswith(("'", '"')):
                key, text = _key_line(rest)
                if text is None:
                    raise _NotSimple  # a nested block inside a list item
                item = {key: _value(text, flow=False)}
                item.update(self._nested_mapping(indent))
                items.append(item)
            else:
                items.append(_value(rest, flow=False))
        line = self._next_line()
        if line is not None and line[:1] in (" ", "-"):
            raise _NotSimple  # more indented lines, or a list at another indentation
        return items

    def _nested_mapping(self, indent: str) -> dict[str, Any]:
        """``key: value`` lines at ``indent``, values scalars only."""
        data: dict[str, Any] = {}
        while (line := self._next_line()) is not None and line.startswith(indent):
            rest = line[len(indent):]
            if rest[:1] in (" ", "-", ""):
                raise _NotSimple
            key, text = _key_line(rest)
            if text is None:
                raise _NotSimple
            self.at += 1
            data[key] = _value(text, flow=False)
        return data


def _key_line(line: str) -> tuple[str, str | None]:
    """``key: value`` -> (key, value text); ``key:`` -> (key, None)."""
    match = _KEY_LINE.fullmatch(line)
    if match is None:
        raise _NotSimple
    key, text = match.groups()
    if _resolve(key) != _STR_TAG:  # yes:, on:, null: are no string keys
        raise _NotSimple
    if text is not None and text == "":
        raise _NotSimple  # "key: " with a trailing space
    return key, text


def _value(text: str, flow: bool = True) -> Any:
    """A scalar (or, where ``flow``, a one-line list ``[a, b]``) written after ``key: ``."""
    first = text[0]
    if first == '"':
        match = _DOUBLE_QUOTED.fullmatch(text)
        if match is None:
            raise _NotSimple
        return match.group(1)
    if first == "'":
        match = _SINGLE_QUOTED.fullmatch(text)
        if match is None:
            raise _NotSimple
        return match.group(1).replace("''", "'")
    if first == "[" and flow:
        return _flow_list(text)
    return _plain(text)


def _plain(text: str) -> Any:
    """A plain (unquoted) scalar: a string, a decimal integer or a timestamp."""
    if (text[0] in _PLAIN_START or text[-1] in (" ", ":") or ": " in text or " #" in text):
        raise _NotSimple
    tag = _resolve(text)
    if tag == _STR_TAG:
        return text
    if tag == _INT_TAG and _INTEGER.fullmatch(text):
        return int(text)
    if tag == _TIMESTAMP_TAG:
        try:
            return _CONSTRUCTOR.construct_yaml_timestamp(yaml.ScalarNode(tag, text))
        except ValueError:  # 2019-02-30: libyaml reports it
            raise _NotSimple from None
    raise _NotSimple  # booleans, nulls, floats, octal or sexagesimal numbers, ...


def _flow_list(text: str) -> list[str]:
    """``[a, b c, "d"]``: words or simple double-quoted strings only."""
    if not text.endswith("]"):
        raise _NotSimple
    inside = text[1:-1]
    if not inside.strip():
        if inside:
            raise _NotSimple
        return []
    items = []
    for part in inside.split(","):
        item = part.strip(" ")
        quoted = _FLOW_QUOTED.fullmatch(item)
        if quoted is not None:
            items.append(quoted.group(1))
        elif _FLOW_ITEM.fullmatch(item) and not item.endswith(" ") and _resolve(item) == _STR_TAG:
            items.append(item)
        else:
            raise _NotSimple
    return items


def _resolve(value: str) -> str:
    """The tag the safe loader gives ``value`` written plain (yaml's Resolver.resolve)."""
    for tag, regexp in _IMPLICIT.get(value[0] if value else "", ()):
        if regexp.match(value):
            return tag
    return _STR_TAG
