"""Read and write an Entry as a Markdown file with YAML front matter.

The format opens in Hugo, Jekyll and Eleventy: ``---`` YAML ``---`` then the Markdown body.
Written with a safe dumper, read with libyaml's CSafeLoader when available. Text round-trips
exactly: the body is stored byte for byte after the closing ``---`` line (python-frontmatter
strips it, which would eat a leading indented code block, so we split ourselves).
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any

import yaml

from archiver.errors import ArchiverError
from archiver.model import (
    COMMENT_KINDS,
    FOLDER_KINDS,
    STATUSES,
    Comment,
    Entry,
    Media,
    showable_date,
)

try:  # libyaml is 5-10x faster; fall back to pure Python where it is missing
    _Loader: type = yaml.CSafeLoader
    _BaseDumper: type = yaml.CSafeDumper
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader
    _BaseDumper = yaml.SafeDumper


class _Dumper(_BaseDumper):  # type: ignore[misc, valid-type]
    """Safe dumper that writes datetimes as ISO 8601 with a ``T`` and an offset."""


def _represent_datetime(dumper: yaml.SafeDumper, value: datetime) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:timestamp", value.isoformat())


_Dumper.add_representer(datetime, _represent_datetime)

DELIMITER = "---\n"
# keys written in this order; anything else read from a file is kept in Entry.extra
_KNOWN_KEYS = (
    "title", "date", "kind", "tags", "id", "source", "source_id", "url", "aliases", "status",
    "slug", "media", "reply_to", "quote_of", "retweet_of", "thread", "comments",
)


def dumps(entry: Entry, path: str | None = None) -> str:
    """The file text for an entry; ``path`` (default ``entry.path``) decides whether ``kind``
    is written (not when the top folder implies it)."""
    data = _front_matter(entry, entry.path if path is None else path)
    header = _fast_yaml(data)
    if header is None:
        header = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)
    return DELIMITER + header + DELIMITER + entry.body


def _front_matter(entry: Entry, path: str) -> dict[str, Any]:
    """The front matter mapping of an entry, keys in their written order."""
    data: dict[str, Any] = {}
    if entry.title:
        data["title"] = entry.title
    data["date"] = entry.date
    folder = path.split("/", 1)[0] if path else ""
    if FOLDER_KINDS.get(folder) != entry.kind:
        data["kind"] = entry.kind
    if entry.tags:
        data["tags"] = list(entry.tags)
    if entry.id:
        data["id"] = entry.id
    if entry.source:
        data["source"] = entry.source
    if entry.source_id:
        data["source_id"] = entry.source_id
    if entry.url:
        data["url"] = entry.url
    if entry.aliases:
        data["aliases"] = list(entry.aliases)
    if entry.status != "published":
        data["status"] = entry.status
    if entry.slug:
        data["slug"] = entry.slug
    if entry.media:
        data["media"] = [_media_dict(m) for m in entry.media]
    if entry.reply_to:
        data["reply_to"] = dict(entry.reply_to)
    if entry.quote_of:
        data["quote_of"] = dict(entry.quote_of)
    if entry.retweet_of:
        data["retweet_of"] = dict(entry.retweet_of)
    if entry.thread:
        data["thread"] = entry.thread
    if entry.comments:
        data["comments"] = [_comment_dict(c) for c in entry.comments]
    for key, value in entry.extra.items():
        data.setdefault(key, value)
    return data


# -- the common case without the YAML emitter (5-10x faster, byte-identical) -----------------
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
# isoformat() of a date to the second with a whole-minute offset: always a YAML timestamp
_UTC_STAMP = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2}")
_keys_written: dict[str, str | None] = {key: key for key in _KNOWN_KEYS}
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


def _fast_yaml(data: dict[str, Any]) -> str | None:
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
            if not _UTC_STAMP.fullmatch(stamp) and _resolve(stamp) != _TIMESTAMP_TAG:
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


def _media_dict(media: Media) -> dict[str, str]:
    out = {"path": media.path, "type": media.type}
    if media.alt:
        out["alt"] = media.alt
    return out


def _comment_dict(comment: Comment) -> dict[str, Any]:
    out: dict[str, Any] = {"author": comment.author}
    if comment.url:
        out["url"] = comment.url
    if comment.date is not None:
        out["date"] = comment.date
    out["kind"] = comment.kind
    if comment.id:
        out["id"] = comment.id
    if comment.parent:
        out["parent"] = comment.parent
    out["body"] = comment.body
    return out


def split(text: str, where: str) -> tuple[dict[str, Any], str]:
    """Split file text into (front matter mapping, body). A file without front matter is all body."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if text.startswith("---\r\n"):  # a file saved with Windows line ends
        text = text.replace("\r\n", "\n")
    if not text.startswith(DELIMITER):
        return {}, text
    end = text.find("\n" + DELIMITER, len(DELIMITER) - 1)
    if end == -1:
        if text.endswith("\n---"):
            end = len(text) - 4
        else:
            raise ArchiverError("front matter has no closing '---' line", where=where,
                                hint="add a line with three dashes after the YAML block")
    header = text[len(DELIMITER):end + 1]
    body = text[end + 1 + len(DELIMITER):]
    try:
        data = yaml.load(header, Loader=_Loader) if header.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" line {mark.line + 2}" if mark is not None else ""
        raise ArchiverError(f"front matter is not valid YAML{line}", where=where,
                            hint="fix the YAML between the '---' lines") from None
    except ValueError as exc:  # a timestamp that is no date: 2019-02-30, month 13, ...
        raise ArchiverError(f"front matter has an impossible date ({exc})", where=where,
                            hint="write a real date as YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ") from None
    if not isinstance(data, dict):
        raise ArchiverError("front matter must be a mapping of keys to values", where=where,
                            hint="write 'key: value' lines between the '---' lines")
    return data, body


def loads(text: str, path: str, default_tz: timezone | Any = timezone.utc) -> Entry:
    """Parse file text into an Entry. ``path`` is relative to content/ (decides the default kind)."""
    data, body = split(text, path)
    folder = path.split("/", 1)[0]
    kind = str(data.pop("kind", FOLDER_KINDS.get(folder, "page")))
    date = _parse_date(data.pop("date", None), path, default_tz)
    status = str(data.pop("status", "published"))
    if status not in STATUSES:
        raise ArchiverError(f"unknown status {status!r}", where=path,
                            hint=f"use one of: {', '.join(STATUSES)}")
    return Entry(
        kind=kind,
        date=date,
        body=body,
        title=_text(data.pop("title", "")),
        tags=tuple(_text(t) for t in _as_list(data.pop("tags", None)) if t not in (None, "")),
        source=_text(data.pop("source", "")),
        source_id=_text(data.pop("source_id", "")),
        id=_text(data.pop("id", "")),
        url=_text(data.pop("url", "")),
        aliases=tuple(_text(a) for a in _as_list(data.pop("aliases", None))),
        status=status,
        slug=_text(data.pop("slug", "")),
        media=tuple(_media(m, path) for m in _as_list(data.pop("media", None))),
        reply_to=_mapping(data.pop("reply_to", None)),
        quote_of=_mapping(data.pop("quote_of", None)),
        retweet_of=_mapping(data.pop("retweet_of", None)),
        thread=_text(data.pop("thread", "")),
        comments=tuple(_comment(c, path, default_tz) for c in _as_list(data.pop("comments", None))),
        extra=data,
        path=path,
    )


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


def _mapping(value: Any) -> dict[str, str]:
    if not value:
        return {}
    if isinstance(value, dict):
        return {str(k): _text(v) for k, v in value.items() if v not in (None, "")}
    return {"id": _text(value)}


def _parse_date(value: Any, where: str, default_tz: Any) -> datetime:
    parsed = _date_of(value, default_tz)
    if parsed is None:
        raise ArchiverError(f"missing or invalid date {value!r}", where=where,
                            hint="add 'date: 2010-12-14T21:00:00+00:00' to the front matter")
    if not showable_date(parsed):
        raise ArchiverError(f"date {parsed.isoformat()} is out of range", where=where,
                            hint="write a date between the years 2 and 9998")
    return parsed


def _date_of(value: Any, default_tz: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=default_tz)
    if hasattr(value, "year") and not isinstance(value, datetime):  # a plain date
        return datetime(value.year, value.month, value.day, tzinfo=default_tz)
    if isinstance(value, str) and value.strip():
        try:
            parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            pass
        else:
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=default_tz)
    return None


def _media(value: Any, where: str) -> Media:
    if isinstance(value, str):
        return Media(path=value)
    if isinstance(value, dict) and value.get("path"):
        return Media(path=_text(value["path"]), alt=_text(value.get("alt", "")),
                     type=_text(value.get("type", "image")) or "image")
    raise ArchiverError("each media item needs a 'path'", where=where,
                        hint="write media as a list of {path, alt, type}")


def _comment(value: Any, where: str, default_tz: Any) -> Comment:
    if not isinstance(value, dict):
        raise ArchiverError("each comment must be a mapping", where=where,
                            hint="write comments as a list of {author, date, body}")
    kind = _text(value.get("kind", "comment")) or "comment"
    if kind not in COMMENT_KINDS:
        kind = "comment"
    date = value.get("date")
    return Comment(
        author=_text(value.get("author", "")),
        body=_text(value.get("body", "")),
        date=_parse_date(date, where, default_tz) if date else None,
        url=_text(value.get("url", "")),
        kind=kind,
        id=_text(value.get("id", "")),
        parent=_text(value.get("parent", "")),
    )
