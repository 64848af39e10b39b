"""Bench for issue 6: /stats/ and word counting over 100,000 items (95,000 tweets + 5,000 posts).

    .venv/bin/python bench/stats.py

Prints wall and CPU seconds of ``compute_stats`` and ``count_words`` for five runs (the first
``count_words`` is cold; later ones reuse the per-text cache, as ``archiver serve`` does).
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from itemgen import make_site, post, tweet  # noqa: E402

from archiver.build.stats import compute_stats  # noqa: E402
from archiver.build.words import count_words, stopwords_for  # noqa: E402


def corpus(folder: Path):  # noqa: ANN201 - the test helper's SiteIndex
    entries = []
    for i in range(95_000):
        day = date(2008, 1, 1) + timedelta(days=i % 3000)
        if i % 10 == 1:
            extra = {"reply_to": {"id": str(i - 1), "user": "robin"}}
        elif i % 10 == 2:
            extra = {"reply_to": {"id": "x", "user": f"user{i % 50}"}}
        else:
            extra = {}
        entries.append(tweet(f"{day} {i % 24:02d}:00", f"Tweet {i} about bread and the oven #t{i % 40}",
                             str(i), tags=(f"t{i % 40}",), **extra))
    for i in range(5_000):
        day = date(2008, 1, 1) + timedelta(days=i % 3000)
        entries.append(post(f"{day} 12:00", f"Post {i}", "Some words about bread and flour. " * 20, f"p{i}"))
    return make_site(entries, folder)


def timed(function, *args):  # noqa: ANN001, ANN201
    wall, cpu = time.perf_counter(), time.process_time()
    function(*args)
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        site = corpus(Path(folder))
        stop = stopwords_for("en")
        for _ in range(5):
            stats_wall, stats_cpu = timed(compute_stats, site.items, site.tags)
            words_wall, words_cpu = timed(count_words, site.items, stop)
            print(f"items {len(site.items):,}  compute_stats {stats_wall:.3f} s wall {stats_cpu:.3f} s cpu"
                  f"  count_words {words_wall:.3f} s wall {words_cpu:.3f} s cpu")


if __name__ == "__main__":
    main()
