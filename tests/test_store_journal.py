"""Files created in place (no temporary file) stay crash-safe through the store journal.

The store creates new files in place, in its writer process, once a run has created
``IN_PLACE_AFTER`` of them; here that is 0, so every file of the sample takes that path.
kill -9 of the import at any moment, then import again: content/ and the index are exactly a
clean import's. Plus the journal's replay rules and the writer's failures.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
from pathlib import Path

import pytest

from archiver import filewriter
from archiver import store as store_module
from archiver.config import load_config
from archiver.errors import ArchiverError
from archiver.importing import run_import
from archiver.safewrite import create_new
from archiver.scaffold import create_site
from archiver.store import ImportedItem, Outcome, Store
from archiver.storejournal import KEPT, NEW, REPLACE, Journal
from conftest import files_under
from faults.crash import KILLED, run_killed, timed
from faults.items import ListImporter, sample_items
from security.scan import temp_files


def new_site(root: Path) -> Path:
    create_site(root, title="Imports")
    return root


def index_items(root: Path) -> dict:
    return json.loads((root / ".archiver/store.json").read_text())["items"]


@pytest.fixture
def in_place(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_module, "IN_PLACE_AFTER", 0)


def recovered(root: Path, reference: Path, items: list[ImportedItem]) -> None:
    """The next import makes ``root`` exactly ``reference``; the one after changes nothing."""
    report = run_import(load_config(root), ListImporter(items), ["archive"])
    assert report.total == len(items)
    assert report.counts[Outcome.KEPT_EDIT] == 0
    assert files_under(root / "content") == files_under(reference / "content")
    assert index_items(root) == index_items(reference)
    assert temp_files(root) == []
    assert not (root / ".archiver/store.journal").exists()
    again = run_import(load_config(root), ListImporter(items), ["archive"])
    assert dict(again.counts) == {Outcome.UNCHANGED: len(items)}


def test_killed_at_any_moment_recovers(tmp_path: Path, in_place: None) -> None:
    """kill -9 of the import from outside at six moments of its run (its writer dies with it)."""
    items = sample_items(posts=10, tweets=300)
    reference = new_site(tmp_path / "reference")
    run_import(load_config(reference), ListImporter(items), ["archive"])
    work = lambda root: lambda: run_import(load_config(root), ListImporter(items), ["a"])  # noqa: E731
    duration = timed(work(new_site(tmp_path / "timed")))
    outcomes = []
    for step in range(6):
        root = new_site(tmp_path / f"kill-{step}")
        outcomes.append(run_killed(work(root), delay=duration * (0.1 + 0.15 * step)))
        recovered(root, reference, items)
        shutil.rmtree(root)
    assert KILLED in outcomes


def test_a_half_written_file_is_removed_and_written_again(tmp_path: Path, in_place: None) -> None:
    """The import is killed while its writer has written half of the 10th tweet: the next run
    removes that half file, keeps the 9 complete ones (journal) and writes the rest."""
    root = new_site(tmp_path / "site")
    tweets = [item for item in sample_items() if item.entry.kind == "tweet"]
    calls = [0]

    def dying_create(path: str, data: bytes) -> bool:
        calls[0] += 1
        if calls[0] == 10:
            with open(path, "xb") as handle:
                handle.write(data[: len(data) // 2])
            os.kill(os.getppid(), signal.SIGKILL)  # the import
            os.kill(os.getpid(), signal.SIGKILL)  # its writer
        return create_new(path, data)

    def work() -> None:
        filewriter.create_new = dying_create  # in the forked child only
        run_import(load_config(root), ListImporter(tweets), ["a"])

    assert run_killed(work) == KILLED
    assert not (root / ".archiver/store.json").exists()
    logged = [json.loads(line) for line in (root / ".archiver/store.journal").read_text().splitlines()]
    assert [mode for mode, *_ in logged] == [NEW] * 16  # one batch, logged before it was sent
    written = {rel: (root / "content" / rel).stat().st_size for _m, _k, rel, _d, _s in logged
               if (root / "content" / rel).exists()}
    assert len(written) == 10
    assert [rel for _m, _k, rel, _d, size in logged if rel in written and written[rel] < size] == [
        logged[9][2]]
    report = run_import(load_config(root), ListImporter(tweets), ["a"])
    assert dict(report.counts) == {Outcome.UNCHANGED: 9, Outcome.IMPORTED: 7}
    assert len(index_items(root)) == 16


def test_replay_keeps_complete_files_and_other_peoples_text(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "a").mkdir(parents=True)
    complete, cut, longer, cancelled = (content / "a" / name for name in ("1.md", "2.md", "3.md", "4.md"))
    complete.write_bytes(b"complete")
    cut.write_bytes(b"hal")
    longer.write_bytes(b"the user's own, longer text")
    cancelled.write_bytes(b"x")
    journal = Journal(tmp_path / "store.journal")
    digest = hashlib.sha256(b"what the import meant to write").hexdigest()
    journal.log(NEW, "t\t1", "a/1.md", hashlib.sha256(b"complete").hexdigest(), 8)
    journal.log(NEW, "t\t2", "a/2.md", digest, 8)
    journal.log(NEW, "t\t3", "a/3.md", digest, 8)
    journal.log(NEW, "t\t4", "a/4.md", digest, 8)
    journal.log(KEPT, "t\t4", "a/4.md", "", 0)
    journal.log(REPLACE, "t\t5", "../escape.md", digest, 8)
    with open(journal.path, "ab") as handle:
        handle.write(b'["new", "t\\t6", "a/6.m')  # the line the kill cut off
    index: dict[str, dict[str, str]] = {}
    assert journal.replay(content, index) == 1
    assert index == {"t\t1": {"path": "a/1.md", "hash": hashlib.sha256(b"complete").hexdigest()}}
    assert sorted(p.name for p in (content / "a").iterdir()) == ["1.md", "3.md", "4.md"]


def test_a_file_that_appears_during_the_import_is_not_overwritten(site: Path, in_place: None) -> None:
    tweet = sample_items(posts=0, tweets=1)[0]
    store = Store(site)
    path = site / "content" / store.path_for(tweet.entry)
    with pytest.raises(ArchiverError, match="a file appeared while importing"):
        with store:
            store._names_in(path.parent.relative_to(site / "content").as_posix())  # listed: empty
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("someone else's", "utf-8")
            store.save(ImportedItem(tweet.entry))  # raised here or when the writer is closed
    assert path.read_text("utf-8") == "someone else's"
    assert not (site / ".archiver/store.journal").exists()


@pytest.mark.parametrize("failing", ["journal", "files"])
def test_a_full_disk_is_one_clear_error_and_leaves_no_half_file(site: Path, in_place: None,
                                                                  failing: str) -> None:
    """ENOSPC while logging or while the writer creates a file: an ArchiverError naming the
    file, nothing half-written, and the next import (with space again) completes."""
    import builtins
    import errno
    import io
    import stat

    items = [item for item in sample_items() if item.entry.kind == "tweet"]
    real_open = builtins.open

    def full_disk(file: object, mode: str = "r", *args: object, **kwargs: object) -> object:
        if "w" in mode or "a" in mode or "x" in mode:
            if (failing == "journal") == str(file).endswith("store.journal"):
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_open(file, mode, *args, **kwargs)

    real_write = os.write

    def full_disk_write(fd: int, data: bytes) -> int:  # create_new writes with os.write
        if failing == "files" and stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(fd, data)

    builtins.open = io.open = full_disk  # type: ignore[assignment]
    os.write = full_disk_write  # type: ignore[assignment]
    try:
        with pytest.raises(ArchiverError) as caught:
            run_import(load_config(site), ListImporter(items), ["a"])
    finally:
        builtins.open = io.open = real_open  # type: ignore[assignment]
        os.write = real_write  # type: ignore[assignment]
    message = str(caught.value)
    assert message.endswith(": cannot write: No space left on device "
                            "(free some disk space and run the command again)")
    assert ("store.journal" in message) == (failing == "journal")
    assert list((site / "content/tweets").rglob("*.md")) == []
    report = run_import(load_config(site), ListImporter(items), ["a"])
    assert dict(report.counts) == {Outcome.IMPORTED: 16}


def test_an_item_saved_twice_in_one_run_waits_for_its_file(site: Path, in_place: None) -> None:
    """The second save of an identity reads the file the writer may not have written yet."""
    first = sample_items(posts=0, tweets=1)[0]
    fuller = ImportedItem(first.entry.with_changes(body=first.entry.body + " and the rest"))
    with Store(site) as store:
        assert store.save(first) is Outcome.IMPORTED
        assert store.save(fuller) is Outcome.UPDATED
        assert store.save(fuller) is Outcome.UNCHANGED
    [path] = (site / "content/tweets").rglob("*.md")
    assert path.read_text("utf-8").endswith("Tweet 0 #faults and the rest")


def test_without_the_helper_process_the_files_are_the_same(tmp_path: Path, in_place: None,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Where there is no fork (Windows, macOS) the store's own process creates the files."""
    items = sample_items()
    reference = new_site(tmp_path / "reference")
    run_import(load_config(reference), ListImporter(items), ["a"])
    monkeypatch.setattr(filewriter, "HELPER", False)
    root = new_site(tmp_path / "site")
    assert dict(run_import(load_config(root), ListImporter(items), ["a"]).counts) == {
        Outcome.IMPORTED: len(items)}
    assert files_under(root / "content") == files_under(reference / "content")
    assert index_items(root) == index_items(reference)
