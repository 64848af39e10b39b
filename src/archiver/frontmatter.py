"""Read and write an Entry as a Markdown file with YAML front matter.

The format opens in Hugo, Jekyll and Eleventy: ``---`` YAML ``---`` then the Markdown body.
Written with a safe dumper, read with libyaml's CSafeLoader when available; headers of the
common shape skip both (``fastyaml``: the same text and values, 5-10x faster). Text round-trips
exactly: the body is stored byte for byte after the closing ``---`` line (python-frontmatter
strips it, which would eat a leading indented code block, so we split ourselves).
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import yaml

from archiver.errors import ArchiverError
from archiver.fastyaml import dump_simple, load_simple
from archiver.model import (
    COMMENT_KINDS,
    FOLDER_KINDS,
    KIND_FOLDERS,
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


def dumps(entry: Entry, path: str | None = None) -> str:
    """The file text for an entry; ``path`` (default ``entry.path``) decides whether ``kind``
    is written (not when the top folder implies it)."""
    data = _front_matter(entry, entry.path if path is None else path)
    header = dump_simple(data)
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
        data = load_simple(header) if header.strip() else {}
        if data is None:
            data = yaml.load(header, Loader=_Loader)
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
    """Parse file text into an Entry. ``path`` is relative to content/ (decides the default kind).

    A value of the wrong type is a one-line error naming the file and the key (a list as a
    title would otherwise show as Python's ``['a', 'b']``); a number where text is expected
    becomes its text (``slug: 2010``, ``source_id: 123``).
    """
    data, body = split(text, path)
    folder = path.split("/", 1)[0]
    kind = _text(data.pop("kind", None), "kind", path) or FOLDER_KINDS.get(folder, "page")
    if kind not in KIND_FOLDERS:  # the build would show it as a post no page lists as one
        raise ArchiverError(f"unknown kind {kind!r}", where=path,
                            hint=f"use one of: {', '.join(KIND_FOLDERS)} (or leave 'kind' out: "
                                 "the top folder decides)")
    date = _parse_date(data.pop("date", None), path, default_tz)
    status = _text(data.pop("status", "published"), "status", path)
    if status not in STATUSES:
        raise ArchiverError(f"unknown status {status!r}", where=path,
                            hint=f"use one of: {', '.join(STATUSES)}")
    return Entry(
        kind=kind,
        date=date,
        body=body,
        title=_text(data.pop("title", ""), "title", path),
        tags=_tags(data.pop("tags", None), path),
        source=_text(data.pop("source", ""), "source", path),
        source_id=_text(data.pop("source_id", ""), "source_id", path),
        id=_text(data.pop("id", ""), "id", path),
        url=_text(data.pop("url", ""), "url", path),
        aliases=_aliases(data.pop("aliases", None), path),
        status=status,
        slug=_text(data.pop("slug", ""), "slug", path),
        media=tuple(_media(m, path) for m in _as_list(data.pop("media", None))),
        reply_to=_mapping(data.pop("reply_to", None), "reply_to", path),
        quote_of=_mapping(data.pop("quote_of", None), "quote_of", path),
        retweet_of=_mapping(data.pop("retweet_of", None), "retweet_of", path),
        thread=_text(data.pop("thread", ""), "thread", path),
        comments=tuple(_comment(c, path, default_tz) for c in _as_list(data.pop("comments", None))),
        extra=data,
        path=path,
    )


def _text(value: Any, key: str, where: str) -> str:
    """The text of a text key: a string as it is, a number or date as its text, null as "";
    a list or mapping is an error naming ``key``. An unquoted yes/no/on/off/true/false is
    YAML's true/false: it becomes "true"/"false", as Hugo and Jekyll show it (files written by
    them and by hand must build; how it was spelled is lost to YAML already)."""
    if type(value) is str:  # nearly every value: one check
        return value
    if value is None:
        return ""
    if isinstance(value, bool):  # before int: bool is an int
        return "true" if value else "false"
    if isinstance(value, str):  # a str subclass
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, (int, float)) or hasattr(value, "isoformat"):  # a number, a plain date
        return str(value)
    raise ArchiverError(f"'{key}' is {_shape(value)}, expected text", where=where,
                        hint=f"write one value after '{key}:', in quotes if it starts with '[' or '{{'")


def _shape(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return "a list"
    return "a mapping" if isinstance(value, dict) else f"a {type(value).__name__}"


def _tags(value: Any, where: str) -> tuple[str, ...]:
    """``tags`` as a tuple of text: a list (or one text); a number or true/false becomes its
    text (``_text``); a list or mapping inside is an error."""
    if value is None:
        return ()
    if type(value) is str:
        return (value,) if value else ()
    items = value if isinstance(value, list) else [value]
    tags: list[str] = []
    for item in items:
        if type(item) is not str:
            if isinstance(item, (list, tuple, dict)):
                raise ArchiverError("a tag is a list or mapping, expected text", where=where,
                                    hint="write tags as a list of words, e.g. tags: [travel, food]")
            item = _text(item, "tags", where)
        if item:
            tags.append(item)
    return tuple(tags)


def _aliases(value: Any, where: str) -> tuple[str, ...]:
    """``aliases``: old paths of the site, each text. One the build cannot serve ('', the
    site root, a '..' step) still loads as written: any text dumps writes must read back
    unchanged; importers leave such paths out (importers.usable_aliases)."""
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    return tuple(_text(alias, "aliases", where) for alias in items)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


def _mapping(value: Any, key: str, where: str) -> dict[str, str]:
    if not value:
        return {}
    if isinstance(value, dict):
        return {str(k): _text(v, f"{key}.{k}", where) for k, v in value.items() if v not in (None, "")}
    return {"id": _text(value, key, where)}


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
        return Media(path=_text(value["path"], "media.path", where),
                     alt=_text(value.get("alt", ""), "media.alt", where),
                     type=_text(value.get("type", "image"), "media.type", where) or "image")
    raise ArchiverError("each media item needs a 'path'", where=where,
                        hint="write media as a list of {path, alt, type}")


def _comment(value: Any, where: str, default_tz: Any) -> Comment:
    if not isinstance(value, dict):
        raise ArchiverError("each comment must be a mapping", where=where,
                            hint="write comments as a list of {author, date, body}")
    kind = _text(value.get("kind", "comment"), "comments.kind", where) or "comment"
    if kind not in COMMENT_KINDS:
        kind = "comment"
    date = value.get("date")
    return Comment(
        author=_text(value.get("author", ""), "comments.author", where),
        body=_text(value.get("body", ""), "comments.body", where),
        date=_parse_date(date, where, default_tz) if date else None,
        url=_text(value.get("url", ""), "comments.url", where),
        kind=kind,
        id=_text(value.get("id", ""), "comments.id", where),
        parent=_text(value.get("parent", ""), "comments.parent", where),
    )
