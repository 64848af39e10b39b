"""Hostile Twitter archives: zip slip, links, duplicate names, zip bombs, damaged JSON.

Unsafe members are skipped with a reason (and nothing is written outside content/), the
tweets still come in; damaged data files stop the import with one line naming the file and
the line, exit 1, before anything in content/ changes.
"""

from __future__ import annotations

import stat
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import pytest

from archiver.config import load_config
from archiver.importers.twitter import TwitterImporter, jsdata
from archiver.importing import run_import
from archiver.store import Outcome
from conftest import files_under
from twitter_archive import api_tweet, photo, write_modern

WHEN = datetime(2015, 3, 1, 12, tzinfo=timezone.utc)
HINT = "(the file is truncated or damaged; download the archive again)"


def good_archive(folder: Path, first_id: int = 100) -> Path:
    tweets = [api_tweet(first_id, "Hello https://t.co/p", WHEN,
                        media=[photo(first_id, "https://t.co/p", "a.jpg")]),
              api_tweet(first_id + 1, "Second https://t.co/q", WHEN,
                        media=[photo(first_id + 1, "https://t.co/q", "b.jpg")])]
    return write_modern(folder, tweets, media={f"{first_id}-a.jpg": b"JPEG" * 100})


def zip_with(folder: Path, target: Path, extra: list[tuple[str, bytes, bool]]) -> Path:
    """The archive folder as a zip, plus extra members (name, data, is a symbolic link)."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                out.write(path, path.relative_to(folder).as_posix())
        for name, data, link in extra:
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            if link:
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
            with pytest.warns(UserWarning) if name in out.namelist() else _no_warning():
                out.writestr(info, data)
    return target


class _no_warning:  # noqa: N801 - a tiny stand-in context manager
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def import_archive(site: Path, archive: Path):  # noqa: ANN201
    return run_import(load_config(site), TwitterImporter(), [str(archive)])


def test_unsafe_member_names_are_skipped_and_nothing_lands_outside(site: Path, tmp_path: Path) -> None:
    archive = zip_with(good_archive(tmp_path / "a"), tmp_path / "a.zip", [
        ("../../evil.txt", b"evil", False), ("data/tweets_media/../../../evil2.jpg", b"x", False),
        ("/abs/evil3.txt", b"x", False), ("data\\..\\..\\evil4.txt", b"x", False)])
    report = import_archive(site, archive)
    assert dict(report.counts) == {Outcome.IMPORTED: 2}
    reason = "unsafe name (absolute, '..' or '\\'): not read"
    assert report.skipped == [(f"{archive}:{name}", reason) for name in (
        "../../evil.txt", "data/tweets_media/../../../evil2.jpg", "/abs/evil3.txt",
        "data\\..\\..\\evil4.txt")]
    assert [p for p in tmp_path.rglob("evil*")] == []  # the site is tmp_path/site
    assert not Path("/abs/evil3.txt").exists() and not (Path.cwd() / "evil.txt").exists()
    assert sorted(files_under(site / "content/media")) == ["tweets/2015/100-a.jpg"]


def test_symbolic_links_are_never_followed(site: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_bytes(b"TOP SECRET CONTENT")
    archive = zip_with(good_archive(tmp_path / "a"), tmp_path / "a.zip",
                       [("data/tweets_media/101-b.jpg", str(secret).encode(), True)])
    report = import_archive(site, archive)
    assert report.skipped == [(f"{archive}:data/tweets_media/101-b.jpg", "a symbolic link: not followed")]
    folder = good_archive(tmp_path / "b", first_id=200)
    (folder / "data/tweets_media/201-b.jpg").symlink_to(secret)
    assert dict(import_archive(site, folder).counts) == {Outcome.IMPORTED: 2}
    copied = files_under(site / "content/media")
    assert sorted(copied) == ["tweets/2015/100-a.jpg", "tweets/2015/200-a.jpg"]
    assert all(b"TOP SECRET" not in data for data in files_under(site / "content").values())


def test_a_duplicate_member_cannot_replace_the_real_one(site: Path, tmp_path: Path) -> None:
    """A second, empty data/tweets.js used to win silently: every tweet was lost."""
    archive = zip_with(good_archive(tmp_path / "a"), tmp_path / "a.zip", [
        ("data/tweets.js", b"window.YTD.tweets.part0 = []", False),
        ("data/tweets_media/100-a.jpg", b"REPLACED", False)])
    report = import_archive(site, archive)
    assert dict(report.counts) == {Outcome.IMPORTED: 2}
    assert [reason for _, reason in report.skipped] == ["a second member with this name: the first is used"] * 2
    assert (site / "content/media/tweets/2015/100-a.jpg").read_bytes() == b"JPEG" * 100


def test_a_zip_bomb_media_file_is_skipped(site: Path, tmp_path: Path) -> None:
    archive = zip_with(good_archive(tmp_path / "a"), tmp_path / "a.zip",
                       [("data/tweets_media/101-b.jpg", b"\0" * 5_000_000, False)])
    report = import_archive(site, archive)
    assert dict(report.counts) == {Outcome.IMPORTED: 2}
    ((where, reason),) = report.skipped
    assert where == f"{archive}:data/tweets_media/101-b.jpg"
    assert reason.startswith("file inflates ") and reason.endswith(":1 when unpacked (a zip bomb?): not copied")
    assert not (site / "content/media/tweets/2015/101-b.jpg").exists()


@pytest.mark.parametrize("damage, message", [
    ("truncated", "file ends in the middle of a record at line 41"),
    ("nested", "data nested too deeply at line 1"),
    ("garbage-tail", "expected ',' or ']' but found 'x' at line 86"),
    ("not-json", "not a Twitter archive data file (no 'name = ' assignment)"),
])
def test_damaged_tweets_js_is_one_line_exit_1_and_changes_nothing(site: Path, tmp_path: Path, run_cli,
                                                                  damage: str, message: str) -> None:
    assert run_cli("import", "twitter", good_archive(tmp_path / "first", 500), site=site).exit_code == 0
    before = files_under(site / "content")
    folder = good_archive(tmp_path / "damaged", first_id=100)
    data = folder / "data/tweets.js"
    text = data.read_text("utf-8")
    data.write_text({
        "truncated": text[: len(text) // 2],
        "nested": "window.YTD.tweets.part0 = [" + "[" * 100_000 + "]" * 100_000 + "]",
        "garbage-tail": text.rstrip().rstrip("]") + "x]",
        "not-json": "<html>Rate limit exceeded</html>",
    }[damage], "utf-8")
    result = run_cli("import", "twitter", folder, site=site)
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines[-1] == f"error: {data}: {message} " + (
        HINT if damage != "not-json" else "(check that this is a Twitter archive)")
    assert files_under(site / "content") == before


def test_a_huge_record_is_refused_not_buffered(site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jsdata, "CHUNK", 4096)
    monkeypatch.setattr(jsdata, "MAX_RECORD", 50_000)
    folder = tmp_path / "a"
    write_modern(folder, [api_tweet(1, "x" * 200_000, WHEN)])
    data = folder / "data/tweets.js"
    text = data.read_text("utf-8")
    data.write_text(text.replace('"x', '"x\\', 1), "utf-8")  # the string never ends: invalid
    with pytest.raises(Exception) as caught:
        import_archive(site, folder)
    assert type(caught.value).__name__ == "ArchiverError"
    assert str(caught.value).startswith(f"{data}: record larger than 0 MB or invalid")
