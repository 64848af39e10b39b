"""Run an importer into a site's store and count what happened."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable

from archiver.config import Config
from archiver.importers import ImportContext, Importer
from archiver.model import with_showable_dates
from archiver.store import Outcome, Store


@dataclass
class ImportReport:
    """Counts per outcome, plus skipped items with their reasons and notes."""

    counts: Counter[Outcome] = field(default_factory=Counter)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def run_import(config: Config, importer: Importer, sources: Iterable[str], *, strict: bool = False,
               on_item: Callable[[int, int | None], None] | None = None) -> ImportReport:
    """Import every source into ``config.root``'s content/.

    Items are saved one by one as they stream in; if a source fails half-way, what was already
    saved stays saved (and the store index is written) before the error propagates.
    """
    report = ImportReport()
    context = ImportContext(timezone=config.tz, strict=strict, site_root=Path(config.root))
    counts = report.counts
    done = 0
    with Store(Path(config.root)) as store:
        for source in sources:
            for item in importer.read(source, context):
                entry = with_showable_dates(item.entry)
                if entry is None:
                    what = item.entry.title or item.entry.source_id
                    context.skip(f"{source}: {item.entry.kind} {what!r}",
                                 f"its date ({item.entry.date.date().isoformat()}) is out of range")
                    continue
                if entry is not item.entry:
                    item = replace(item, entry=entry)
                counts[store.save(item)] += 1
                done += 1
                if on_item is not None:
                    on_item(done, context.total)
        if store.kept_without_comments:
            context.note(_kept_without_comments(store.kept_without_comments))
        if store.kept_unknown:
            context.note(f"{store.kept_unknown} files were kept as they are: .archiver/store.json, "
                         "which records what imports wrote, was missing or damaged, so archiver "
                         "cannot tell its text from your edits (delete such a file to import it again)")
    report.skipped = context.skipped
    report.notes = context.notes
    return report


def _kept_without_comments(kept: list[tuple[str, int]]) -> str:
    """The note for files kept with the person's edits that lack comments the import has."""
    rel, count = kept[0]
    how = ("copy them from the export into the file, or move the file away, import again and "
           "redo your edit")
    if len(kept) == 1:
        return f"{rel}: kept your edit, but the import has {count} comment(s) the file does not ({how})"
    return (f"{len(kept)} files kept with your edits lack comments the import has (e.g. {rel}: "
            f"{count}): {how}")
