"""``build(progress=...)`` is told every phase as it starts and how far reading and rendering
got, in one process and in several; the command line shows it only on a terminal."""

from __future__ import annotations

from pathlib import Path

import pytest

from archiver.build.pipeline import build
from archiver.config import load_config
from buildsite import generated_site


def followed_build(site: Path, jobs: int, **options: object) -> tuple[list, object]:
    events: list[tuple[str, int, int | None]] = []
    result = build(load_config(site), jobs=jobs, progress=lambda *event: events.append(event),
                   **options)
    return events, result


@pytest.mark.parametrize("jobs", [1, 2])
def test_every_phase_is_told_and_reading_and_rendering_count_up(site: Path, jobs: int) -> None:
    generated_site(site)
    files = len(list((site / "content").rglob("*.md")))
    events, result = followed_build(site, jobs)
    starts = [phase for phase, done, total in events if done == 0 and total is None]
    search = ["search"] if load_config(site).search else []
    assert starts == ["check", "read", "index", "pages", "plan", "render", "feeds", "assets",
                      *search, "finish"]
    for phase, total in (("read", files), ("render", result.rendered)):
        counts = [done for name, done, count in events if name == phase and count is not None]
        assert counts == sorted(counts) and counts[-1] == total
        assert {count for name, _, count in events if name == phase and count is not None} == {total}


def test_a_build_with_nothing_to_do_is_told_only_the_check(site: Path) -> None:
    generated_site(site)
    build(load_config(site))
    events, _ = followed_build(site, 1)
    assert events == [("check", 0, None)]


def test_the_command_line_shows_no_progress_when_not_on_a_terminal(site: Path, run_cli) -> None:
    generated_site(site)
    result = run_cli("build", site=site)
    assert result.exit_code == 0
    assert result.output.startswith("Built ")
    assert "Rendering" not in result.output and "Reading files" not in result.output
