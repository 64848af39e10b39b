"""Scale regressions of the Movable Type importer: every entry of a big export survives."""

from __future__ import annotations

from pathlib import Path

from archiver import frontmatter
from archiver.config import load_config
from archiver.importers.movabletype import MovableTypeImporter
from archiver.importing import run_import
from archiver.store import Outcome


def _entry(body: str) -> str:
    return ("TITLE: Untitled\nDATE: 01/02/2005 10:00:00 AM\n-----\n"
            f"BODY:\n{body}\n-----\n--------\n")


def test_entries_with_the_same_title_and_date_are_all_kept(site: Path, tmp_path: Path) -> None:
    # Without BASENAME or UNIQUE URL (Movable Type 2 and 3), an entry's identity is its title
    # and date; in a big export of untitled entries the later ones were saved over the
    # earlier ones (5,000 entries, 2,500 of them untitled at 90 distinct times: 2,590 files).
    export = tmp_path / "export.txt"
    bodies = [f"Photo {n} of the day." for n in range(1, 41)]
    export.write_text("".join(_entry(body) for body in bodies) + _entry(bodies[6]),
                      encoding="utf-8")
    report = run_import(load_config(site), MovableTypeImporter(no_download=True), [str(export)])
    assert report.counts == {Outcome.IMPORTED: 40}
    assert report.notes == [f"{export}: 1 entries appeared twice and were imported once"]
    files = sorted((site / "content/posts/2005").glob("*.md"))
    entries = [frontmatter.loads(f.read_text("utf-8"), f.name) for f in files]
    assert sorted(e.body for e in entries) == sorted(bodies)
    assert len({e.source_id for e in entries}) == 40
    again = run_import(load_config(site), MovableTypeImporter(no_download=True), [str(export)])
    assert again.counts == {Outcome.UNCHANGED: 40}
