"""The real exports in ../shared/fixtures: every private value they hold stays out.

Every WordPress, Blogger, Movable Type and Twitter fixture that imports is imported into one
site, which is built. The private values are read out of the fixture files themselves:
commenters' and authors' e-mail addresses and IP addresses (never in content/ or public/),
the text of unapproved, spam and trashed comments, and the titles of draft, pending, private
and trashed posts (never in public/). Every file is scanned, the search index decompressed.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from archiver.build.pipeline import build
from archiver.config import load_config
from archiver.errors import ArchiverError
from archiver.importers import load
from archiver.importing import run_import
from security.test_privacy import readable

CDATA = r"(?:<!\[CDATA\[)?(.*?)(?:\]\]>)?"
_ITEM = re.compile(r"<item>.*?</item>", re.DOTALL)
_COMMENT = re.compile(r"<wp:comment>.*?</wp:comment>", re.DOTALL)
COMMON_IPS = {"127.0.0.1", "0.0.0.0", "::1"}


def tag(text: str, name: str) -> list[str]:
    return [html.unescape(m.strip()) for m in re.findall(rf"<{name}>{CDATA}</{name}>", text, re.DOTALL)]


def wordpress_secrets(text: str) -> tuple[set[str], set[str]]:
    """(never anywhere, never published) from a WXR file."""
    never = set(tag(text, "wp:comment_author_email") + tag(text, "wp:author_email")
                + tag(text, "wp:comment_author_IP"))
    unpublished = set()
    for comment in _COMMENT.findall(text):
        if tag(comment, "wp:comment_approved")[:1] != ["1"]:
            unpublished.update(tag(comment, "wp:comment_content"))
    published = []
    for item in _ITEM.findall(text):
        status = tag(item, "wp:status")[:1]
        if status and status[0] in ("draft", "pending", "private", "trash", "future"):
            unpublished.update(tag(item, "title")[:1])
        else:
            published.append(item)
    # a draft titled "A normal post" next to a published "A normal post with ..." is no leak
    return never, {value for value in unpublished if not any(value in item for item in published)}


def movabletype_secrets(text: str) -> tuple[set[str], set[str]]:
    never = set(re.findall(r"^(?:AUTHOR EMAIL|EMAIL|IP): *(\S+)", text, re.MULTILINE))
    return never, set()


def blogger_secrets(text: str) -> tuple[set[str], set[str]]:
    never = set(tag(text, "email"))
    unpublished = set()
    for entry in re.findall(r"<entry>.*?</entry>", text, re.DOTALL):
        if re.search(r"<blogger:status>(?:SPAM|DRAFT|SOFT_TRASHED|PENDING)", entry) or "<app:draft>yes" in entry:
            unpublished.update(t for t in re.findall(r"<title[^>]*>(.*?)</title>", entry, re.DOTALL))
    return never, unpublished


def twitter_secrets(folder: Path) -> tuple[set[str], set[str]]:
    never: set[str] = set()
    for path in folder.rglob("account.js"):
        never.update(re.findall(r'"email" *: *"([^"]+)"', path.read_text("utf-8")))
    unpublished: set[str] = set()
    for path in folder.rglob("deleted-tweets.js"):
        unpublished.update(re.findall(r'"full_text" *: *"([^"]{25,})"', path.read_text("utf-8")))
    return never, unpublished


def meaningful(values: set[str]) -> set[str]:
    """Values long and specific enough that finding one means a leak, not a coincidence."""
    return {v.strip() for v in values if len(v.strip()) >= 8 and v.strip() not in COMMON_IPS}


def import_everything(shared_fixtures: Path, site: Path):  # noqa: ANN201
    """Import every fixture that imports, build; (count, never anywhere, never published)."""
    config = load_config(site)
    never: set[str] = set()
    unpublished: set[str] = set()
    sources = [("wordpress", p, wordpress_secrets, {"no_download": True})
               for p in sorted((shared_fixtures / "wordpress").glob("*.xml"))]
    sources += [("blogger", p, blogger_secrets, {"no_download": True})
                for p in sorted((shared_fixtures / "blogger").glob("*"))]
    sources += [("movabletype", p, movabletype_secrets, {})
                for p in sorted((shared_fixtures / "movable-type").glob("*.txt"))]
    imported_files = 0
    for name, path, secrets, options in sources:
        try:
            run_import(config, load(name)(**options), [str(path)])
        except ArchiverError:
            continue  # a fixture this importer refuses (broken on purpose): nothing imported
        imported_files += 1
        found_never, found_unpublished = secrets(path.read_text("utf-8", errors="replace"))
        never |= found_never
        unpublished |= found_unpublished
    for folder in sorted((shared_fixtures / "twitter-modern").iterdir()):
        try:
            run_import(config, load("twitter")(), [str(folder)])
        except ArchiverError:
            continue
        imported_files += 1
        found_never, found_unpublished = twitter_secrets(folder)
        never |= found_never
        unpublished |= found_unpublished
    build(config)
    return imported_files, meaningful(never), meaningful(unpublished) - meaningful(never)


def leaks(root: Path, values: set[str]) -> list[str]:
    found = []
    for path in root.rglob("*"):
        if path.is_file():
            data = readable(path.read_bytes()).decode("utf-8", "replace")
            text = html.unescape(data).lower()
            found += [f"{value!r} in {path.relative_to(root)}" for value in values
                      if value.lower() in text]
    return sorted(found)


def test_no_private_value_of_the_real_exports_leaks(shared_fixtures: Path, site: Path) -> None:
    count, never, unpublished = import_everything(shared_fixtures, site)
    assert count >= 15
    assert len(never) >= 10  # e-mail and IP addresses found in the fixtures
    assert len(unpublished) >= 5  # unapproved comments, drafts, deleted tweets
    assert len(list((site / "public").rglob("index.html"))) > 100
    assert leaks(site / "content", never) == []
    assert leaks(site / "public", never) == []
    found = leaks(site / "public", unpublished)
    assert found == [], "\n".join(found)
