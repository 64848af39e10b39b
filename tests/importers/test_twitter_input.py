"""Reading archives safely, and bad input: one clear error naming the file, nothing changed."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import pytest

from archiver.errors import ArchiverError
from archiver.importers import ImportContext
from archiver.importers.twitter import TwitterImporter
from archiver.importers.twitter.archive import Archive
from archiver.importers.twitter.jsdata import iter_records
from archiver.importers.twitter.tweet import MAX_TWEET_CHARS
from conftest import files_under
from twitter_archive import api_tweet, grailbird_tweet, note, write_grailbird, write_modern

T0 = datetime(2021, 3, 4, 10, 0, tzinfo=timezone.utc)


def read(source: Path | str) -> list[str]:
    context = ImportContext(timezone=timezone.utc)
    return [i.entry.source_id for i in TwitterImporter().read(str(source), context)]


def good_archive(tmp_path: Path, n: int = 3) -> Path:
    return write_modern(tmp_path / "good", [api_tweet(100 + i, f"tweet {i}", T0) for i in range(n)])


# -- streaming JSON ---------------------------------------------------------------------------
def test_records_stream_across_chunk_boundaries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("archiver.importers.twitter.jsdata.CHUNK", 64)
    text = "window.YTD.tweets.part0 = [ " + ", ".join(
        '{"tweet": {"id_str": "%d", "t": "%s"}}' % (n, "é" * n) for n in range(50)) + " ]"
    records = list(iter_records(io.StringIO(text), "x.js"))
    assert [r["tweet"]["id_str"] for r in records] == [str(n) for n in range(50)]
    assert records[49]["tweet"]["t"] == "é" * 49


@pytest.mark.parametrize(("text", "message"), [
    ('window.YTD.tweets.part0 = [ {"a": 1}, {"b": ', "x.js: file ends in the middle of a record at line 1"),
    ('window.YTD.tweets.part0 = [ {"a": 1},\n {"b": 2}', "x.js: file ends before the closing ']' at line 2"),
    ('window.YTD.tweets.part0 = [ {"a": 1} {"b": 2} ]', "x.js: expected ',' or ']' but found '{' at line 1"),
    ('hello world', "x.js: not a Twitter archive data file (no 'name = ' assignment)"),
    ('window.YTD.tweets.part0 = {"a": 1}', "x.js: expected a JSON array at line 1"),
])
def test_damaged_data_file_errors_name_file_and_line(text: str, message: str) -> None:
    with pytest.raises(ArchiverError) as error:
        list(iter_records(io.StringIO(text), "x.js"))
    assert f"{error.value.where}: {error.value.message}" == message


def test_empty_arrays_in_both_layouts() -> None:
    assert list(iter_records(io.StringIO("window.YTD.article.part0 = [ ]"), "a.js")) == []
    assert list(iter_records(io.StringIO("window.YTD.x.part0 = []"), "a.js")) == []


# -- archives -----------------------------------------------------------------------------------
def test_zip_members_with_unsafe_names_are_ignored(tmp_path: Path) -> None:
    archive = write_modern(tmp_path / "a.zip", [api_tweet(1, "safe", T0)], as_zip=True)
    with zipfile.ZipFile(archive, "a") as handle:
        handle.writestr("../evil.js", "x")
        handle.writestr("/abs/data/tweets.js", "x")
        handle.writestr("data/tweets_media/../../x", "x")
    with Archive(str(archive)) as opened:
        assert not any(".." in n or n.startswith("/") for n in opened.matching("", ""))
    assert read(archive) == ["1"]
    assert not (tmp_path / "evil.js").exists()


def test_member_size_is_capped(tmp_path: Path) -> None:
    archive = write_modern(tmp_path / "a.zip", [api_tweet(1, "x" * 500, T0)], as_zip=True)
    with Archive(str(archive)) as opened, pytest.raises(ArchiverError, match="larger than"):
        opened.read_bytes("data/tweets.js", limit=100)


@pytest.mark.parametrize("case", ["missing", "not-zip", "empty-folder", "unknown-layout"])
def test_bad_source_is_one_error_naming_it(tmp_path: Path, case: str) -> None:
    source = tmp_path / case
    if case == "not-zip":
        source.write_text("this is not a zip")
    elif case == "empty-folder":
        source.mkdir()
    elif case == "unknown-layout":
        (source / "photos").mkdir(parents=True)
        (source / "photos/cat.jpg").write_bytes(b"x")
    with pytest.raises(ArchiverError) as error:
        read(source)
    assert error.value.where == str(source)
    expected = {"missing": "no such file or folder", "not-zip": "not a zip file",
                "empty-folder": "not a Twitter archive", "unknown-layout": "not a Twitter archive"}
    assert error.value.message.startswith(expected[case])


def test_manifest_lists_a_part_that_is_missing(tmp_path: Path) -> None:
    archive = write_modern(tmp_path / "a", [api_tweet(n, "x", T0) for n in range(1, 5)], parts=2)
    (archive / "data/tweets-part1.js").unlink()
    with pytest.raises(ArchiverError) as error:
        read(archive)
    assert error.value.where == str(archive / "data/tweets-part1.js")
    assert "the manifest lists data/tweets-part1.js (2 items)" in error.value.message


def test_truncated_tweets_js_fails_before_anything_changes(site: Path, tmp_path: Path,
                                                           run_cli) -> None:
    first = good_archive(tmp_path)
    assert run_cli("import", "twitter", first, site=site).exit_code == 0
    before = files_under(site)
    bigger = write_modern(tmp_path / "bigger.zip", [api_tweet(100 + i, f"changed {i}", T0)
                                                    for i in range(6)], as_zip=True)
    damaged = tmp_path / "damaged.zip"
    with zipfile.ZipFile(bigger) as src, zipfile.ZipFile(damaged, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            dst.writestr(info.filename, data[: len(data) * 2 // 3] if
                         info.filename == "data/tweets.js" else data)
    result = run_cli("import", "twitter", damaged, site=site)
    assert result.exit_code == 1
    assert f"{damaged}:data/tweets.js" in result.output
    assert "Traceback" not in result.output
    assert files_under(site) == before


def test_cli_error_for_missing_archive(site: Path, tmp_path: Path, run_cli) -> None:
    result = run_cli("import", "twitter", tmp_path / "nope.zip", site=site)
    assert result.exit_code == 1
    assert "nope.zip: no such file or folder" in result.output


# -- absurd sizes ------------------------------------------------------------------------------
def test_a_tweet_with_an_absurdly_long_text_is_skipped_with_its_size(tmp_path: Path) -> None:
    """One 50 MB text once made a build take 75 s and 4 GB: the import skips it (--strict:
    stops), keeps a text at the limit, and says where the record is and how long it was."""
    longest = "a " * (MAX_TWEET_CHARS // 2)
    archive = write_modern(tmp_path / "a", [api_tweet(1, "fine", T0), api_tweet(2, longest + "b", T0),
                                            api_tweet(3, longest, T0)])
    context = ImportContext(timezone=timezone.utc)
    items = list(TwitterImporter().read(str(archive), context))
    assert [item.entry.source_id for item in items] == ["1", "3"]
    assert [(where.rsplit("/", 2)[-2:], reason) for where, reason in context.skipped] == [
        (["data", "tweets.js record 2"], "text of 100,001 characters is over the limit of 100,000")]
    with pytest.raises(ArchiverError, match="text of 100,001 characters"):
        list(TwitterImporter().read(str(archive), ImportContext(timezone=timezone.utc, strict=True)))


def test_a_legacy_tweet_or_note_with_an_absurdly_long_text_is_skipped(tmp_path: Path) -> None:
    huge = "x" * (MAX_TWEET_CHARS + 1)
    legacy = write_grailbird(tmp_path / "old", [grailbird_tweet(api_tweet(5, "ok", T0)),
                                                grailbird_tweet(api_tweet(6, huge, T0))])
    context = ImportContext(timezone=timezone.utc)
    assert [i.entry.source_id for i in TwitterImporter().read(str(legacy), context)] == ["5"]
    assert [reason for _, reason in context.skipped] == [
        "text of 100,001 characters is over the limit of 100,000"]
    # a long tweet's full text comes from note-tweet.js: the note's length is what counts
    face = "The start of a long text… https://t.co/abc"
    modern = write_modern(tmp_path / "new", [api_tweet(7, face, T0)],
                          notes=[note(99, "The start of a long text" + huge, T0)])
    context = ImportContext(timezone=timezone.utc)
    assert list(TwitterImporter().read(str(modern), context)) == []
    assert [reason for _, reason in context.skipped] == [
        "text of 100,025 characters is over the limit of 100,000"]
