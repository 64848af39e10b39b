"""Entries in memory for the word and stats tests: no files, so a 20,000-tweet archive takes seconds.

``make_site`` runs the real ``build_index`` on them, so the pages see a real SiteIndex (URLs,
tags, years, threads) without parsing or rendering Markdown.
"""

from __future__ import annotations

import html
from dataclasses import fields
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable

from archiver.build.loader import Loaded
from archiver.build.site import SiteIndex, build_index
from archiver.config import Config
from archiver.model import Comment, Entry


def at(text: str) -> datetime:
    """'2010-12-14 21:00' -> an aware UTC datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


def tweet(when: str, text: str, sid: str, **extra: Any) -> Entry:
    kind = "retweet" if extra.get("retweet_of") else "tweet"
    url = extra.pop("url", f"https://twitter.com/robin/status/{sid}")
    return Entry(kind=kind, date=at(when), body=text, source="twitter", source_id=sid, url=url,
                 **extra)


def post(when: str, title: str, text: str, slug: str, comments: Iterable[Comment] = (),
         **extra: Any) -> Entry:
    return Entry(kind="post", date=at(when), title=title, body=text, slug=slug, source="blog",
                 source_id=slug, comments=tuple(comments), **extra)


def comment(body: str, kind: str = "comment") -> Comment:
    return Comment(author="Visitor", body=body, kind=kind)


def loaded(entry: Entry) -> Loaded:
    """The loader's record for an entry whose body is plain text."""
    record: dict[str, Any] = {"entry": entry, "html": f"<p>{html.escape(entry.body)}</p>"}
    if "text" in {f.name for f in fields(Loaded)}:  # the loader keeps the plain text too
        record["text"] = entry.body
    return Loaded(**record)


def make_site(entries: Iterable[Entry], root: Path, **config: Any) -> SiteIndex:
    """A SiteIndex over ``entries`` built by the real build_index."""
    return build_index(Config(root=root, **config), [loaded(e) for e in entries])
