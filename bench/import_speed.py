"""``archiver import twitter`` of the generated 100,000-tweet archive, alone (bench/run.py's row).

    .venv/bin/python bench/import_speed.py [--work DIR] [--runs N]

The same archive (tests/twitter_archive.py, seed 7, made once into the work folder), the same
snapshot of src/ and the same measurement as the last row of bench/run.py (wall seconds,
ru_maxrss, peak PSS of the process tree; each run into a fresh site, after the same wait for
deleted inodes), without the Hugo and build steps; plus what a
shared machine needs to read the figure: CPU seconds (user and system, of the import and its
writer process) and the load average before and after each run.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run  # noqa: E402 - bench/run.py, next to this file


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "archiver-bench")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--no-settle", action="store_true",
                        help="do not wait for deleted inodes to become reusable (see run.py)")
    args = parser.parse_args()
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    archiver = run.snapshot_archiver(work)
    archive = run.import_archive(work)
    if archive is None:
        sys.exit("tests/twitter_archive.py (the archive generator) not found")
    run.remove_outputs(work)
    sites = [run.fresh_import_site(work / f"import-site-{n}") for n in range(1, args.runs + 1)]
    if not args.no_settle:
        run.settle(work)
    for site in sites:
        load_before = os.getloadavg()[0]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        row = run.run_import(archiver, archive, site)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if row.seconds is None:
            sys.exit(f"{row.name}: {row.note}")
        print(f"{row.name}: {row.seconds:.2f} s wall, "
              f"CPU {after.ru_utime - before.ru_utime:.2f} s user + "
              f"{after.ru_stime - before.ru_stime:.2f} s system, max RSS {row.max_rss_mb:.0f} MB, "
              f"tree PSS {row.tree_pss_mb:.0f} MB, load {load_before:.1f} -> "
              f"{os.getloadavg()[0]:.1f} ({row.note})", flush=True)
    run.remove_outputs(work)


if __name__ == "__main__":
    main()
