"""A large Twitter archive is converted in a helper process: the result is exactly the same.

``PARALLEL_BYTES`` is set to 0 (every archive takes the helper) or to infinity (none does),
and the two imports are compared byte for byte: files, store index, counts, skips, notes.
Plus what only the helper can do wrong: die, fail, be dropped half-way.
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from archiver import forked
from archiver.config import load_config
from archiver.errors import ArchiverError
from archiver.importers import ImportContext
from archiver.importers import twitter as twitter_module
from archiver.importers.producer import ChildProducer
from archiver.importers.twitter import TwitterImporter
from archiver.importing import ImportReport, run_import
from archiver.scaffold import create_site
from conftest import files_under
from twitter_archive import api_tweet, note, write_grailbird, grailbird_tweet, write_modern
from twitter_archive import write_modern_archive

pytestmark = pytest.mark.skipif(not forked.AVAILABLE, reason="helper processes are Linux-only")
T0 = datetime(2019, 6, 1, 12, 0, tzinfo=timezone.utc)
FIXTURES = ["twitter-modern/alrocar-2024-tweets-js", "twitter-modern/ajitg25-2025-deleted-note",
            "twitter-modern/lumeninferius-2020-tweet-js", "twitter-legacy/dchest-2007-2018",
            "twitter-legacy/dwradcliffe-2013-05-early-format",
            "twitter-legacy/sixworderbot-2015"]


def helper_processes() -> set[int]:
    """This process's live children (threads' children files list them)."""
    children: set[int] = set()
    for task in Path("/proc/self/task").iterdir():
        children |= {int(pid) for pid in (task / "children").read_text().split()}
    return children


def imported(site: Path, sources: list[Path], parallel: bool, **options: object
             ) -> tuple[ImportReport, dict[str, bytes], dict]:
    if not (site / "site.yaml").exists():
        create_site(site, title="T")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(twitter_module, "PARALLEL_BYTES", 0 if parallel else 1 << 62)
        report = run_import(load_config(site), TwitterImporter(**options),
                            [str(s) for s in sources], **{k: v for k, v in options.items()
                                                          if k == "strict"})
    index = json.loads((site / ".archiver/store.json").read_text())
    return report, files_under(site / "content"), index


def assert_same_both_ways(tmp_path: Path, sources: list[Path], **options: object) -> ImportReport:
    before = helper_processes()
    alone, files, index = imported(tmp_path / "alone", sources, False, **options)
    helped, helped_files, helped_index = imported(tmp_path / "helped", sources, True, **options)
    assert helped_files == files
    assert helped_index == index
    assert (helped.counts, helped.skipped, helped.notes) == (alone.counts, alone.skipped,
                                                             alone.notes)
    assert helper_processes() == before
    return helped


@pytest.mark.parametrize("name", FIXTURES)
def test_real_archives_the_same_with_the_helper(shared_fixtures: Path, tmp_path: Path,
                                                name: str) -> None:
    report = assert_same_both_ways(tmp_path, [shared_fixtures / name])
    assert report.total > 0


@pytest.mark.parametrize("options", [{}, {"no_retweets": True, "no_replies": True}])
def test_synthetic_zip_with_notes_media_and_deleted(tmp_path: Path, options: dict) -> None:
    archive = tmp_path / "archive.zip"
    stats = write_modern_archive(archive, 1500, as_zip=True, seed=3, deleted=5)
    report = assert_same_both_ways(tmp_path, [archive], **options)
    assert stats.photos > 5 and stats.notes > 5 and stats.self_replies > 20
    assert report.total == (1505 if not options else 1505 - stats.retweets
                            - stats.replies_to_others)


def test_legacy_and_modern_of_one_account_in_one_run(tmp_path: Path) -> None:
    tweets = [api_tweet(100 + n, f"tweet {n} #both", T0 + timedelta(hours=n)) for n in range(30)]
    modern = write_modern(tmp_path / "modern.zip", tweets[10:], as_zip=True)
    legacy = write_grailbird(tmp_path / "legacy", [grailbird_tweet(t) for t in tweets[:20]])
    report = assert_same_both_ways(tmp_path, [legacy, modern])
    assert report.total == 40  # 20 + 20, of which 10 are the same tweets: updated or unchanged


def test_helper_started_while_the_writer_runs_and_a_failed_fork(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The second archive's helper is forked while the store's writer process runs (it must
    not keep the writer's pipe open: the import would hang at the end); a fork that fails
    converts in-process."""
    from archiver import store

    monkeypatch.setattr(store, "IN_PLACE_AFTER", 0)
    first = write_modern(tmp_path / "first.zip", [api_tweet(100 + n, f"first {n}", T0 + timedelta(
        hours=n)) for n in range(300)], as_zip=True)
    second = write_modern(tmp_path / "second.zip", [api_tweet(900 + n, f"second {n}", T0 + timedelta(
        days=n)) for n in range(300)], as_zip=True)
    assert assert_same_both_ways(tmp_path / "both", [first, second]).total == 600

    def no_fork() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    monkeypatch.setattr(store, "IN_PLACE_AFTER", 10**9)  # the writer needs a fork too
    report, files, _ = imported(tmp_path / "no-fork", [first], True)
    assert report.total == 300 and len(files) == 300


def test_bad_records_skipped_and_strict_stops_at_the_same_record(tmp_path: Path) -> None:
    tweets = [api_tweet(n, f"good {n}", T0 + timedelta(minutes=n)) for n in range(1, 300)]
    tweets.insert(200, {"id_str": "x", "full_text": "no date"})
    archive = write_modern(tmp_path / "a.zip", tweets, as_zip=True)
    report = assert_same_both_ways(tmp_path / "skip", [archive])
    assert [reason for _, reason in report.skipped] == ["unusable tweet (no tweet id)"]
    for parallel in (False, True):
        site = tmp_path / f"strict-{parallel}"
        with pytest.raises(ArchiverError, match=r"tweets\.js record 201"):
            imported(site, [archive], parallel, strict=True)
        assert len(list((site / "content/tweets").rglob("*.md"))) == 200


@pytest.mark.parametrize("damaged", ["tweets", "note-tweet"])
def test_a_damaged_file_fails_with_nothing_written(tmp_path: Path, damaged: str) -> None:
    tweets = [api_tweet(n, f"tweet {n}", T0 + timedelta(minutes=n)) for n in range(1, 200)]
    archive = write_modern(tmp_path / "a", tweets, notes=[note(9, "a note " * 50, T0)])
    data = archive / f"data/{damaged}.js"
    data.write_bytes(data.read_bytes()[:-40])
    before = helper_processes()
    for parallel in (False, True):
        site = tmp_path / f"site-{parallel}"
        with pytest.raises(ArchiverError, match=f"{damaged}.js.*ends in the middle of a record"):
            imported(site, [archive], parallel)
        assert list((site / "content").rglob("*.md")) == []
    assert helper_processes() == before


def test_the_helper_dying_is_a_clear_error(tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    tweets = [api_tweet(n, f"tweet {n}", T0 + timedelta(minutes=n)) for n in range(1, 400)]
    archive = write_modern(tmp_path / "a.zip", tweets, as_zip=True)
    convert = twitter_module.convert

    def dying(tweet, media):  # noqa: ANN001, ANN202 - runs in the helper only
        if tweet.id == "300":
            os._exit(9)
        return convert(tweet, media)

    monkeypatch.setattr(twitter_module, "convert", dying)
    with pytest.raises(ArchiverError, match="the converting process stopped unexpectedly"):
        imported(tmp_path / "site", [archive], True)
    written = len(list((tmp_path / "site/content/tweets").rglob("*.md")))
    assert written == 256  # the two batches sent before it died
    monkeypatch.setattr(twitter_module, "convert", convert)
    report, _, _ = imported(tmp_path / "site", [archive], True)
    assert report.total == 399


def test_dropping_the_import_half_way_stops_the_helper(tmp_path: Path) -> None:
    """Ctrl-C (here: from the progress callback) while items stream in: no helper is left
    behind and the next run completes the import."""
    tweets = [api_tweet(n, f"tweet {n}", T0 + timedelta(minutes=n)) for n in range(1, 1000)]
    archive = write_modern(tmp_path / "a.zip", tweets, as_zip=True)
    before = helper_processes()

    def interrupt(done: int, total: int | None) -> None:
        if done == 500:
            raise KeyboardInterrupt

    site = tmp_path / "site"
    create_site(site, title="T")
    with pytest.MonkeyPatch.context() as patch, pytest.raises(KeyboardInterrupt):
        patch.setattr(twitter_module, "PARALLEL_BYTES", 0)
        run_import(load_config(site), TwitterImporter(), [str(archive)], on_item=interrupt)
    assert helper_processes() == before
    assert len(list((site / "content/tweets").rglob("*.md"))) == 500
    report, _, _ = imported(site, [archive], True)
    assert (report.counts.total(), len(list((site / "content/tweets").rglob("*.md")))) == (999, 999)


def test_producer_items_skips_notes_and_bugs_cross_over() -> None:
    """The generic helper: order kept past a full pipe, context filled, a bug's traceback."""
    def produce(context: ImportContext):  # noqa: ANN202
        context.note("first note")
        for number in range(20_000):
            if number == 7:
                context.skip("item 7", "odd")
            yield (number, "x" * 500)  # 10 MB: far more than the pipe holds

    context = ImportContext(timezone=timezone.utc)
    items = list(ChildProducer(produce, context))
    assert [number for number, _ in items] == list(range(20_000))
    assert (context.notes, context.skipped) == (["first note"], [("item 7", "odd")])

    def buggy(context: ImportContext):  # noqa: ANN202
        yield 1
        raise ZeroDivisionError("boom")

    with pytest.raises(RuntimeError, match="(?s)converting process failed.*ZeroDivisionError"):
        list(ChildProducer(buggy, ImportContext(timezone=timezone.utc)))
    unused = ChildProducer(produce, ImportContext(timezone=timezone.utc))
    unused.close()
