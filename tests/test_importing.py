"""The import runner: counts per outcome, skipped items, --strict, failures keep what was saved."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import pytest

from archiver.config import load_config
from archiver.errors import ArchiverError
from archiver.importers import ImportContext, Importer
from archiver.importing import run_import
from archiver.model import Entry
from archiver.store import ImportedItem, Outcome


def tweet(n: int) -> ImportedItem:
    return ImportedItem(Entry(kind="tweet", date=datetime(2012, 1, n, tzinfo=timezone.utc),
                              body=f"tweet {n}", source="test", source_id=str(n)))


class ListImporter(Importer):
    """Yields tweets 1..n from a source named 'n'; 'bad' items are skipped; 'boom' fails."""

    name = "list"

    def read(self, source: str, context: ImportContext) -> Iterator[ImportedItem]:
        context.total = 3
        yield tweet(1)
        context.skip(f"{source} item 2", "no date")
        yield tweet(3)
        if source == "boom":
            raise ArchiverError("truncated file", where=source, hint="download the archive again")


def test_counts_and_skips(site: Path) -> None:
    config = load_config(site)
    seen: list[tuple[int, int | None]] = []
    report = run_import(config, ListImporter(), ["a"], on_item=lambda d, t: seen.append((d, t)))
    assert report.counts == {Outcome.IMPORTED: 2}
    assert report.skipped == [("a item 2", "no date")]
    assert seen == [(1, 3), (2, 3)]
    again = run_import(config, ListImporter(), ["a"])
    assert again.counts == {Outcome.UNCHANGED: 2}


def test_strict_stops_at_first_bad_item(site: Path) -> None:
    with pytest.raises(ArchiverError, match="a item 2: no date"):
        run_import(load_config(site), ListImporter(), ["a"], strict=True)
    assert len(list((site / "content/tweets").rglob("*.md"))) == 1
    assert (site / ".archiver/store.json").is_file()


def test_failure_keeps_what_was_saved(site: Path) -> None:
    with pytest.raises(ArchiverError, match="boom: truncated file"):
        run_import(load_config(site), ListImporter(), ["boom"])
    assert sorted(p.name for p in (site / "content/tweets").rglob("*.md")) == ["1.md", "3.md"]
    assert '"test\\t3"' in (site / ".archiver/store.json").read_text()
