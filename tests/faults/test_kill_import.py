"""kill -9 (or Ctrl-C) at many points of an import, then import again: content/ is exactly a
clean import's.

Every file complete and identical, no item written twice (no ``-2`` twins), none missing,
the store index agrees, no temporary file left; a third import changes nothing.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from archiver import filewriter, forked
from archiver import store as store_module
from archiver.config import load_config
from archiver.importing import run_import
from archiver.scaffold import create_site
from archiver.store import Outcome
from faults.crash import FINISHED, KILLED, KillPlan, count_events, run_killed, spread
from faults.items import ListImporter, sample_items
from conftest import files_under
from security.scan import temp_files


def importing(root: Path):  # noqa: ANN201 - the work a child does
    return lambda: run_import(load_config(root), ListImporter(sample_items()), ["archive"])


def new_site(root: Path) -> Path:
    create_site(root, title="Imports")
    return root


def index_items(root: Path) -> dict:
    return json.loads((root / ".archiver/store.json").read_text())["items"]


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = new_site(tmp_path_factory.mktemp("reference") / "site")
    run_import(load_config(root), ListImporter(sample_items()), ["archive"])
    return root


def assert_recovered(root: Path, reference: Path) -> None:
    report = run_import(load_config(root), ListImporter(sample_items()), ["archive"])
    assert report.total == len(sample_items())
    assert files_under(root / "content") == files_under(reference / "content")
    assert index_items(root) == index_items(reference)
    assert temp_files(root) == []
    assert not (root / ".archiver/import.running").exists()
    again = run_import(load_config(root), ListImporter(sample_items()), ["archive"])
    assert dict(again.counts) == {Outcome.UNCHANGED: len(sample_items())}


@pytest.mark.parametrize("mode", ["write", "replace"])
def test_killed_import_recovers_at_many_points(tmp_path: Path, reference: Path, mode: str) -> None:
    total = count_events(importing(new_site(tmp_path / "count")), mode, tmp_path)
    assert total >= 33  # 8 posts + 8 photos + 16 tweets + the index
    outcomes = []
    for at in spread(total, 8):
        root = new_site(tmp_path / f"{mode}-{at}")
        outcomes.append(run_killed(importing(root), KillPlan(at=at, mode=mode)))
        assert_recovered(root, reference)
        shutil.rmtree(root)
    assert outcomes == [KILLED] * 8


def test_kill_before_the_index_is_saved_adopts_the_files(tmp_path: Path, reference: Path) -> None:
    """The files are written but the index is not: the next import recognises them as its own."""
    total = count_events(importing(new_site(tmp_path / "count")), "replace", tmp_path)
    root = new_site(tmp_path / "site")
    assert run_killed(importing(root), KillPlan(at=total, mode="replace")) == KILLED
    assert not (root / ".archiver/store.json").exists()
    assert len(temp_files(root)) == 1  # the complete index, never renamed into place
    assert_recovered(root, reference)


def test_killed_reimport_of_a_newer_archive(tmp_path: Path) -> None:
    """An import of a newer archive killed half-way; the next run adds exactly what is new."""
    newer = sample_items() + sample_items(posts=3, tweets=5, first=50)
    expected = new_site(tmp_path / "expected")
    run_import(load_config(expected), ListImporter(newer), ["new"])
    root = new_site(tmp_path / "site")
    run_import(load_config(root), ListImporter(sample_items()), ["old"])
    work = lambda: run_import(load_config(root), ListImporter(newer), ["new"])  # noqa: E731
    assert run_killed(work, KillPlan(at=6, mode="write")) == KILLED
    report = run_import(load_config(root), ListImporter(newer), ["new"])
    assert report.counts[Outcome.UPDATED] == 0
    assert report.counts[Outcome.IMPORTED] + report.counts[Outcome.UNCHANGED] == len(newer)
    assert files_under(root / "content") == files_under(expected / "content")
    assert temp_files(root) == []
    assert run_killed(work) == FINISHED


def test_killed_twitter_import_recovers(tmp_path: Path) -> None:
    """The real importer: a modern archive with photos, killed at several points."""
    from datetime import datetime, timezone

    from archiver.importers.twitter import TwitterImporter
    from twitter_archive import api_tweet, photo, write_modern

    when = datetime(2016, 5, 1, 8, tzinfo=timezone.utc)
    tweets = [api_tweet(500 + n, f"Tweet {n} https://t.co/{n} #kill", when.replace(hour=8 + n % 12),
                        media=[photo(500 + n, f"https://t.co/{n}", f"{n}.jpg")] if n % 2 else [])
              for n in range(12)]
    archive = write_modern(tmp_path / "archive.zip", tweets, as_zip=True,
                           media={f"{500 + n}-{n}.jpg": b"JPEG" * (50 + n) for n in range(1, 12, 2)})
    reference = new_site(tmp_path / "reference")
    run_import(load_config(reference), TwitterImporter(), [str(archive)])
    work = lambda root: lambda: run_import(load_config(root), TwitterImporter(), [str(archive)])  # noqa: E731
    total = count_events(work(new_site(tmp_path / "count")), "write", tmp_path)
    for at in spread(total, 4):
        root = new_site(tmp_path / f"kill-{at}")
        assert run_killed(work(root), KillPlan(at=at, mode="write")) == KILLED
        report = run_import(load_config(root), TwitterImporter(), [str(archive)])
        assert report.total == 12
        assert files_under(root / "content") == files_under(reference / "content")
        assert temp_files(root) == []
        again = run_import(load_config(root), TwitterImporter(), [str(archive)])
        assert dict(again.counts) == {Outcome.UNCHANGED: 12}


def test_a_second_process_cannot_write_the_same_site(tmp_path: Path, run_cli) -> None:
    """While another live archiver holds .archiver/import.running, a second import refuses."""
    import subprocess

    from archiver.errors import ArchiverError

    root = new_site(tmp_path / "site")
    marker = root / ".archiver/import.running"
    marker.parent.mkdir(parents=True, exist_ok=True)
    other = subprocess.Popen(["sleep", "30"])
    try:
        marker.write_text(str(other.pid))
        with pytest.raises(ArchiverError, match=rf"another archiver process \({other.pid}\) is writing"):
            importing(root)()
        assert not (root / "content/posts").exists() or not any((root / "content/posts").iterdir())
    finally:
        other.kill()
        other.wait()
    importing(root)()  # the process is gone: the marker is stale, the import runs
    assert not marker.exists()
    assert len(index_items(root)) == len(sample_items())


# -- Ctrl-C while the store's writer process works -------------------------------------------
def children() -> set[int]:
    """This process's live child processes."""
    return {int(pid) for task in Path("/proc/self/task").iterdir()
            for pid in (task / "children").read_text().split()}


@pytest.fixture
def writer_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every new Markdown file goes to the writer process, 4 to a message (several messages)."""
    if not filewriter.HELPER:
        pytest.skip("the writer process runs on Linux only")
    monkeypatch.setattr(store_module, "IN_PLACE_AFTER", 0)
    monkeypatch.setattr(filewriter, "BATCH", 4)


def import_interrupted(root: Path) -> None:
    """Import into ``root``, which a Ctrl-C stops: it must end within 2 s (it hung forever)."""
    def hung(signum: int, frame: object) -> None:
        raise TimeoutError("the interrupted import hangs")

    handlers = (signal.signal(signal.SIGINT, signal.default_int_handler),  # as in a terminal
                signal.signal(signal.SIGALRM, hung))
    signal.setitimer(signal.ITIMER_REAL, 2)
    start = time.monotonic()
    try:
        with pytest.raises(KeyboardInterrupt):
            importing(root)()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGINT, handlers[0])
        signal.signal(signal.SIGALRM, handlers[1])
    assert time.monotonic() - start < 2
    assert children() == set()  # the writer process ended and was reaped


class _OsWritingInPieces:
    """``os`` for forked.py: ``write`` takes 1,000 bytes at a time, so that a message takes
    several, and a Ctrl-C reaches this thread during the second."""

    def __init__(self) -> None:
        self.writes = 0

    def write(self, fd: int, data: Any) -> int:
        self.writes += 1
        if self.writes == 2:
            signal.pthread_kill(threading.get_ident(), signal.SIGINT)
        return os.write(fd, data[:1000])

    def __getattr__(self, name: str) -> Any:
        return getattr(os, name)


def test_ctrl_c_while_a_message_is_sent_waits_for_its_end(
        tmp_path: Path, reference: Path, writer_process: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """A Ctrl-C between two writes of one message to the writer process: it cut the message,
    the writer took the store's last message for its rest and never answered, and the import
    hung. Now the message is finished first, then the import stops as after any Ctrl-C: the
    files of the messages sent are written, the index saved."""
    root = new_site(tmp_path / "site")
    patched_os = _OsWritingInPieces()
    monkeypatch.setattr(forked, "os", patched_os)
    import_interrupted(root)
    assert patched_os.writes > 2  # the message went on after the Ctrl-C
    assert len(list((root / "content/posts").rglob("*.md"))) == filewriter.BATCH
    assert not (root / ".archiver/store.journal").exists()
    monkeypatch.undo()
    assert_recovered(root, reference)


def test_a_message_cut_by_an_interrupt_kills_the_writer(
        tmp_path: Path, reference: Path, writer_process: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """Should a KeyboardInterrupt still cut a message (another thread took the signal), the
    store does not wait for the writer's answer through the broken pipe: it kills the writer
    and leaves the journal, and the next import recovers as after a kill."""
    root = new_site(tmp_path / "site")
    send = forked.send
    sent = []

    def cut_third(fd: int, message: object) -> None:
        sent.append(message)
        if len(sent) == 3:
            os.write(fd, forked.frame(message)[:100])
            raise KeyboardInterrupt
        send(fd, message)

    monkeypatch.setattr(forked, "send", cut_third)
    import_interrupted(root)
    assert not (root / ".archiver/store.json").exists()  # it could list a file cut short
    assert not (root / ".archiver/import.running").exists()
    monkeypatch.undo()
    assert_recovered(root, reference)


def test_close_after_a_reported_write_failure_does_not_wait(
        tmp_path: Path, writer_process: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """The writer fails (disk full) and the store raises that failure from a later ``submit``:
    ``close`` then waited for an answer that the failed writer never sends."""
    import errno
    import select

    from archiver.errors import ArchiverError
    from archiver.storejournal import Journal

    def disk_full(path: str, data: bytes) -> bool:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(filewriter, "create_new", disk_full)  # in the forked writer
    writer = filewriter.FileWriter(Journal(tmp_path / "journal"), tmp_path)
    with pytest.raises(ArchiverError, match="No space left"):
        for number in range(filewriter.BATCH):  # sent with the last one, whose send may
            writer.submit(f"key{number}", f"{number}.md", b"text", "hash")  # get the answer
        assert select.select([writer._from_child], [], [], 2)[0]  # its failure is on the way
        for number in range(filewriter.BATCH, 100):
            writer.submit(f"key{number}", f"{number}.md", b"text", "hash")

    def hung(signum: int, frame: object) -> None:
        raise TimeoutError("close hangs")

    handler = signal.signal(signal.SIGALRM, hung)
    signal.setitimer(signal.ITIMER_REAL, 2)
    try:
        writer.close()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, handler)
    assert children() == set()
