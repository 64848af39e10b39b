"""Word cloud layouts kept between builds (``.archiver/cache/clouds.pickle``).

A cloud's layout depends only on its weighted words (the top words and their counts, in
order) and on the layout code, so an unchanged year's cloud is taken from the last build
instead of being laid out again. The key of each layout is the exact weighted-words tuple;
the file also carries a checksum of cloud.py, so a changed layout algorithm starts afresh.
Only the layouts used by the latest build are kept. A damaged or foreign file is ignored.
"""

from __future__ import annotations

import zlib
from pathlib import Path

from archiver.build import cloud, keyedpickle

Weighted = tuple[tuple[str, int], ...]
Placed = cloud.Placed

LAYOUT_VERSION = f"1:{zlib.crc32(Path(cloud.__file__).read_bytes()):08x}"


class LayoutCache:
    """Placements by weighted words: those of the last build, and those of this one."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.old = self._read()
        self.new: dict[Weighted, Placed] = {}

    def _read(self) -> dict[Weighted, Placed]:
        return keyedpickle.read(self.path, LAYOUT_VERSION) or {}

    def place(self, weighted: Weighted) -> Placed:
        """The placement of ``weighted`` (sorted, most used first): remembered or computed."""
        placed = self.new.get(weighted)
        if placed is None:
            placed = self.old.get(weighted)
            if placed is None:
                placed = cloud.place_all(weighted)
            self.new[weighted] = placed
        return placed

    def save(self) -> None:
        """Keep the layouts this build used; written only when they differ from the last build's."""
        if self.new.keys() == self.old.keys():
            return
        keyedpickle.write(self.path, LAYOUT_VERSION, self.new)
