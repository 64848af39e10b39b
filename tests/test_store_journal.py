"""Files created in place (no temporary file) stay crash-safe through the store journal.

The store creates new files in place once a run has created ``IN_PLACE_AFTER`` of them; here
that is 0, so every file of the small sample takes that path. kill -9 in the middle of writing
any of them, then import again: content/ and the index are exactly a clean import's.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from archiver import store as store_module
from archiver.config import load_config
from archiver.importing import run_import
from archiver.scaffold import create_site
from archiver.store import ImportedItem, Outcome, Store
from archiver.storejournal import KEPT, NEW, REPLACE, Journal
from conftest import files_under
from faults.crash import KILLED, KillPlan, count_events, run_killed, spread
from faults.items import ListImporter, sample_items
from security.scan import temp_files


def importing(root: Path):  # noqa: ANN201 - the work a forked child does
    return lambda: run_import(load_config(root), ListImporter(sample_items()), ["archive"])


def new_site(root: Path) -> Path:
    create_site(root, title="Imports")
    return root


def index_items(root: Path) -> dict:
    return json.loads((root / ".archiver/store.json").read_text())["items"]


@pytest.fixture
def in_place(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_module, "IN_PLACE_AFTER", 0)


def test_killed_while_creating_files_in_place_recovers(tmp_path: Path, in_place: None) -> None:
    reference = new_site(tmp_path / "reference")
    run_import(load_config(reference), ListImporter(sample_items()), ["archive"])
    total = count_events(importing(new_site(tmp_path / "count")), "write", tmp_path)
    assert total == 2 + 8 + 8 + 16  # journal, 8 photos (temp + rename), 8 posts + 16 tweets, index
    for at in spread(total, 8):
        root = new_site(tmp_path / f"kill-{at}")
        assert run_killed(importing(root), KillPlan(at=at, mode="write")) == KILLED
        report = run_import(load_config(root), ListImporter(sample_items()), ["archive"])
        assert report.total == len(sample_items())
        assert report.counts[Outcome.KEPT_EDIT] == 0
        assert files_under(root / "content") == files_under(reference / "content")
        assert index_items(root) == index_items(reference)
        assert temp_files(root) == []
        assert not (root / ".archiver/store.journal").exists()
        again = run_import(load_config(root), ListImporter(sample_items()), ["archive"])
        assert dict(again.counts) == {Outcome.UNCHANGED: len(sample_items())}
        shutil.rmtree(root)


def test_a_half_written_file_is_removed_and_written_again(tmp_path: Path, in_place: None) -> None:
    """Killed half-way through the 10th tweet: that file holds half its text, the index is not
    saved; the next run removes the half file, keeps the 9 complete ones and writes the rest."""
    root = new_site(tmp_path / "site")
    tweets = [item for item in sample_items() if item.entry.kind == "tweet"]
    work = lambda: run_import(load_config(root), ListImporter(tweets), ["a"])  # noqa: E731
    assert run_killed(work, KillPlan(at=1 + 10, mode="write")) == KILLED  # the journal, then tweets
    assert not (root / ".archiver/store.json").exists()
    lines = (root / ".archiver/store.journal").read_text().splitlines()
    assert [json.loads(line)[0] for line in lines] == [NEW] * 10
    half = root / "content" / json.loads(lines[-1])[2]
    assert 0 < half.stat().st_size < json.loads(lines[-1])[4]
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
    with Store(site) as store:
        path = site / "content" / store.path_for(tweet.entry)
        store._names_in(path.parent.relative_to(site / "content").as_posix())  # listed: empty
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("someone else's", "utf-8")
        with pytest.raises(Exception, match="a file appeared while importing"):
            store.save(ImportedItem(tweet.entry))
    assert path.read_text("utf-8") == "someone else's"
    assert not (site / ".archiver/store.journal").exists()
