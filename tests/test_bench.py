"""The benchmark's arithmetic (bench/run.py): medians and the ratios paired by round."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from buildsite import generated_site

BENCH = Path(__file__).resolve().parents[1] / "bench" / "run.py"


def _bench():  # noqa: ANN202 - a script, loaded by path
    spec = importlib.util.spec_from_file_location("bench_run", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_a_step_is_its_median_run_and_its_ratio_the_median_of_the_rounds_ratios() -> None:
    bench = _bench()
    hugo = [bench.Row("Hugo", 8.0), bench.Row("Hugo", 10.0), bench.Row("Hugo", 6.0)]
    build = [bench.Row("build", 9.0, 100.0, 150.0, 14.0), bench.Row("build", 10.0, 120.0, 140.0, 15.0),
             bench.Row("build", 9.6, 110.0, 160.0, 16.0)]
    row = bench.median_row(build, hugo)
    # median time 9.6 s (its own CPU seconds), the largest memory; rounds 1.125, 1.0, 1.6
    assert (row.seconds, row.cpu_seconds, row.max_rss_mb, row.tree_pss_mb) == (9.6, 16.0, 120.0, 160.0)
    assert row.paired == 1.125 and row.note == "runs: 9.00, 10.00, 9.60 s"
    assert bench.median_row(build[:2], hugo[:2]).paired == (1.125 + 1.0) / 2
    failed = bench.Row("build", note="failed (exit 1)")
    assert bench.median_row([build[0], failed], hugo[:2]) is failed


def test_the_archiver_steps_run_on_a_site_and_measure_each_build(tmp_path: Path) -> None:
    """The five timed builds of a round, on a small site laid out as the corpus's neutral
    layout (content/posts, content/tweets): each row has a time, CPU and memory, and the
    edited post and the added tweets are in the site."""
    bench = _bench()
    corpus = tmp_path / "corpus"
    generated_site(corpus / "neutral")
    site = bench.fresh_site(tmp_path / "site", corpus)
    rows = bench.run_archiver_builds([sys.executable, "-m", "archiver"], site)
    assert [row.name for row in rows] == ["archiver build --clean", "no-change rebuild",
                                          "rebuild after editing 1 post", "rebuild after adding 1 tweet",
                                          "rebuild after adding another"]
    assert all(row.seconds and row.cpu_seconds is not None and row.max_rss_mb for row in rows)
    assert (site / "public" / "tweets" / "1999999999999999999" / "index.html").is_file()
    assert (site / "public" / "tweets" / "1999999999999999998" / "index.html").is_file()
    import_site = bench.fresh_import_site(tmp_path / "import-site")
    assert (import_site / "site.yaml").read_text("utf-8") == bench.SITE_YAML
    assert list((import_site / "content").iterdir()) == []
