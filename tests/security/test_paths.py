"""Tag, slug, id, alias and media values can never make a path outside content/ or the output.

Hostile values: ``../``, absolute paths, NUL and control characters, backslashes, Windows
device names and forbidden characters, very long names, Unicode normalisation twins and
full-width look-alikes of ``../``.
"""

from __future__ import annotations

import os
import re
import unicodedata
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archiver import frontmatter
from archiver.paths import alias_path
from archiver.build.pipeline import build
from archiver.config import load_config
from archiver.errors import ArchiverError
from archiver.model import Entry, Media
from archiver.paths import is_safe_relative, safe_filename, slugify
from archiver.store import ImportedItem, Store

NFC_CAFE, NFD_CAFE = "caf\u00e9", "cafe\u0301"
HOSTILE = [
    "../../../../evil", "/etc/passwd", "..", ".", "...", "a/../../b", "a\x00b", "nul\x00.html",
    "CON", "con.html", "Aux", "NUL.txt", "COM1", "lpt9.md", "prn/index.html",
    "x" * 300, "\u00e9" * 200, "\U0001F600" * 80, "a\\..\\..\\b", "C:\\Windows\\evil",
    "%2e%2e%2f%2e%2e%2fevil", "..%2F..%2Fevil", "%00", "file:///etc/passwd", "//evil.example/x",
    "\\\\server\\share", "trailing-dot.", "trailing space ", "<>:\"|?*", "\u202eexe.txt",
    "\uff0e\uff0e\uff0f\uff0e\uff0e\uff0fevil", NFC_CAFE, NFD_CAFE, "\ufb01le", "\u2167",
    "\t\n\r", "", " ", "#", "?p=1", "-", "a" * 81,
]
WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$", re.IGNORECASE)
START = datetime(2012, 3, 4, 5, 6, tzinfo=timezone.utc)


def assert_portable(rel: str) -> None:
    """A path that is safe on Linux, macOS and Windows file systems."""
    assert is_safe_relative(rel), rel
    for part in rel.split("/"):
        assert len(part.encode("utf-8")) <= 255, rel
        assert not WINDOWS_RESERVED.match(part), rel
        assert not re.search(r'[\x00-\x1f<>:"|?*\\]', part), rel
        assert not part.endswith((".", " ")), rel


@pytest.mark.parametrize("value", HOSTILE)
def test_slugify_is_one_plain_segment(value: str) -> None:
    slug = slugify(value)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*(-1)?", slug), slug
    assert len(slug) <= 83
    assert_portable(slug)


@pytest.mark.parametrize("value", HOSTILE)
def test_safe_filename_never_leaves_its_folder(value: str) -> None:
    name = safe_filename(value)
    assert "/" not in name and not name.startswith(".")
    assert_portable(name)


@pytest.mark.parametrize("path", [
    "../x", "/x", "a/../b", "a//b", "a/./b", "a\\b", "a\x00b", "c:/x", "con", "aux.png",
    "a/COM1.txt", "x" * 256, "a./b", "a /b", "a/b?", "a/b*", "a|b", 'a"b', "a<b", "a\x1fb", "",
])
def test_is_safe_relative_refuses(path: str) -> None:
    assert not is_safe_relative(path)


@pytest.mark.parametrize("path", ["a/b.html", "2010/12/caf\u00e9/index.html", ".well-known/x",
                                  "media/tweets/123-abc.jpg", "x" * 255, "console/index.html"])
def test_is_safe_relative_accepts(path: str) -> None:
    assert is_safe_relative(path)


@given(st.text(max_size=300))
@settings(max_examples=300, deadline=None)
def test_names_from_any_text_are_portable(text: str) -> None:
    assert_portable(slugify(text))
    assert_portable(safe_filename(text))
    path = alias_path(text)
    assert path == "" or is_safe_relative(path)


def test_nfd_and_nfc_spellings_are_one_slug_and_one_alias() -> None:
    assert slugify(NFC_CAFE) == slugify(NFD_CAFE) == "cafe"
    assert alias_path(f"/{NFD_CAFE}.html") == alias_path(f"/{NFC_CAFE}.html") == f"{NFC_CAFE}.html"
    assert unicodedata.is_normalized("NFC", alias_path(f"/x/{NFD_CAFE}/"))


def test_store_paths_stay_inside_content(site: Path) -> None:
    before = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    with Store(site) as store:
        for number, value in enumerate(HOSTILE):
            store.save(ImportedItem(Entry(kind="post", date=START, title=value, slug=value,
                                          body="b", source="wordpress", source_id=f"p{number}")))
            store.save(ImportedItem(Entry(kind="tweet", date=START, body="t", source="twitter",
                                          source_id=value or "empty")))
            store.save(ImportedItem(Entry(kind="page", date=START, title=value, body="p",
                                          source="blogger", source_id=f"g{number}")))
    written = [p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()]
    assert sorted(set(written) - before - {p for p in written if p.startswith("content/")}) == [
        ".archiver/store.json"]
    content_files = [p.removeprefix("content/") for p in written if p.startswith("content/")]
    assert len(content_files) == 3 * len(HOSTILE)  # colliding names got -2, -3 ...
    for rel in content_files:
        assert_portable(rel)


@pytest.mark.parametrize("media_path", ["../evil.png", "/etc/passwd", "media/../../evil.png",
                                        "content/x.png", "media/a\x00b.png", "media\\..\\x.png",
                                        "media/con.png"])
def test_store_refuses_media_outside_content_media(site: Path, media_path: str) -> None:
    entry = Entry(kind="tweet", date=START, body="t", source="twitter", source_id="1")
    with pytest.raises(ArchiverError, match="refusing media path"):
        Store(site).save(ImportedItem(entry, files={media_path: lambda: b"evil"}))
    assert [p.name for p in site.parent.rglob("evil*")] == []


def test_hostile_tags_slugs_ids_and_aliases_stay_inside_the_output(tmp_path: Path, site: Path) -> None:
    before = {p for p in tmp_path.rglob("*")}
    for number, value in enumerate(HOSTILE):
        date = START + timedelta(days=number)
        post = Entry(kind="post", date=date, title=f"Post {number}", slug=value, tags=(value, f"t{value}"),
                     aliases=(value, f"/{value}", f"/old/{value}/", f"/{value}.html"),
                     media=(Media(path=value or "-"), Media(path=f"media/{value}")),
                     source="wordpress", source_id=f"p{number}", body=f"Body {number}")
        tweet = Entry(kind="tweet", date=date, body=f"Tweet {number}", source="twitter",
                      source_id=value, tags=(value,), aliases=(f"/status/{value}",))
        for rel, entry in ((f"posts/{date:%Y}/p{number}.md", post),
                           (f"tweets/{date:%Y/%m}/t{number}.md", tweet)):
            target = site / "content" / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(frontmatter.dumps(entry.with_changes(path=rel)), "utf-8")
    result = build(load_config(site))
    out = site / "public"
    new = {p for p in tmp_path.rglob("*")} - before
    outside = sorted(str(p.relative_to(tmp_path)) for p in new
                     if not p.is_relative_to(out) and not p.is_relative_to(site / ".archiver")
                     and not p.is_relative_to(site / "content"))
    assert outside == []
    built = [p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()]
    for rel in built:
        assert_portable(rel)
    posts = [rel for rel in built if re.fullmatch(r"2012/\d\d/[^/]+/index\.html", rel)]
    assert len(posts) == len(HOSTILE)
    tweets = [rel for rel in built if re.fullmatch(r"tweets/[^/]+/index\.html", rel)]
    assert len(tweets) == len(HOSTILE)
    assert any("media path" in warning for warning in result.warnings)
    assert not (tmp_path / "evil").exists() and not Path("/etc/passwd.html").exists()
    assert os.path.isfile(out / f"{NFC_CAFE}.html")  # the NFD twin wrote the same file once
