"""Word cloud layouts kept between builds (``.archiver/cache/clouds.pickle``).

A cloud's layout depends only on its weighted words (the top words and their counts, in
order) and on the layout code, so an unchanged year's cloud is taken from the last build
instead of being laid out again. The key of each layout is the exact weighted-words tuple;
the file also carries a checksum of cloud.py, so a changed layout algorithm starts afresh.
Only the layouts used by the latest build are kept. A damaged or foreign file is ignored.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.pool  # noqa: F401 - loaded before the build's helper forks (it may lay out here)
import zlib
from pathlib import Path
from typing import Iterable

from archiver.build import cloud, keyedpickle
from archiver.build.loader import worker_count

Weighted = tuple[tuple[str, int], ...]
Placed = cloud.Placed

LAYOUT_VERSION = f"1:{zlib.crc32(Path(cloud.__file__).read_bytes()):08x}"
MIN_CLOUDS_PER_WORKER = 4  # below this a process pool costs more than it saves


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

    def prepare(self, clouds: Iterable[Weighted], jobs: int | None = None) -> None:
        """Lay out, spread over the cores, the clouds that no build has laid out yet (a
        first build has ~20 of them, ~0.07 s each); ``place`` then finds them here."""
        missing = list(dict.fromkeys(w for w in clouds if w not in self.new and w not in self.old))
        workers = worker_count(jobs, len(missing), MIN_CLOUDS_PER_WORKER)
        if workers == 1:
            return
        cloud.lattice()  # made here once, not in each worker
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            self.new.update(zip(missing, pool.map(cloud.place_all, missing, chunksize=1)))

    def adopt(self, placed: dict[Weighted, Placed]) -> None:
        """Take the placements that ``place`` made in a copy of this cache (another process)."""
        self.new.update(placed)

    def save(self) -> None:
        """Keep the layouts this build used; written only when they differ from the last build's."""
        if self.new.keys() == self.old.keys():
            return
        keyedpickle.write(self.path, LAYOUT_VERSION, self.new)
