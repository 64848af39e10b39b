"""kill -9 at many points of a build, then build again: the output is exactly a clean build's.

Every file is complete and byte-identical to a build that was never interrupted, nothing is
missing or extra, the manifest lists exactly the files there, and no temporary file is left.
Kill points are spread over the whole build: half-way through writing a file, and with a
temporary file complete but not yet renamed into place; and at random moments from outside.
The pages a killed build wrote stay archiver's: ``--clean`` removes them, and a later build
removes those it does not make again.
"""

from __future__ import annotations

import difflib
import json
import os
import random
import shutil
import signal
from pathlib import Path

import pytest

from archiver.build import output
from archiver.build.pipeline import build
from archiver.config import load_config
from archiver.errors import ArchiverError
from archiver.scaffold import create_site
from faults.crash import KILLED, KillPlan, count_events, run_killed, spread, timed
from conftest import files_under
from security.scan import temp_files
from sitegen import POST, small_site, write


def make_site(root: Path, search: bool = False) -> Path:
    create_site(root, title="Faults", author="Tester")
    small_site(root)
    for number in range(4):
        write(root, f"posts/2012/post-{number}.md", POST.format(
            title=f"Post {number}", date=f"2012-0{1 + number % 9}-1{number % 10}T08:00:00+00:00",
            tags=f"tag{number % 4}, common", sid=f"x{number}", extra="",
            body=f"Paragraph {number}. " * 40))
    if not search:
        with open(root / "site.yaml", "a", encoding="utf-8") as config:
            config.write("search: false\n")
    return root


def change_content(root: Path) -> None:
    """A second version of the content: an edit, a deletion, a new post, a new tag."""
    write(root, "posts/2012/post-3.md", POST.format(
        title="Post 3, edited", date="2012-04-13T08:00:00+00:00", tags="tag3, new-tag", sid="x3",
        extra="", body="Edited text."))
    (root / "content/tweets/2010/12/200.md").unlink()
    write(root, "posts/2013/brand-new.md", POST.format(
        title="Brand new", date="2013-01-01T00:00:00+00:00", tags="common", sid="y1", extra="",
        body="New."))


def reference_output(tmp_path: Path, changed: bool) -> dict[str, bytes]:
    root = make_site(tmp_path / f"reference-{changed}")
    if changed:
        change_content(root)
    build(load_config(root))
    return files_under(root / "public")


def assert_recovered(root: Path, expected: dict[str, bytes]) -> None:
    """Build again (normally) and compare with the uninterrupted build."""
    result = build(load_config(root))
    out = root / "public"
    got = files_under(out)
    differing = sorted(rel for rel in set(got) | set(expected) if got.get(rel) != expected.get(rel))
    assert differing == [], first_difference(differing[0], got, expected)
    manifest = json.loads((root / ".archiver/manifest.json").read_text())["files"]
    assert sorted(manifest) == sorted(expected)
    assert temp_files(root) == []
    assert not (root / ".archiver/build.running").exists()
    assert result.pages > 20


def first_difference(rel: str, got: dict[str, bytes], expected: dict[str, bytes]) -> str:
    lines = difflib.unified_diff(expected.get(rel, b"").decode("utf-8", "replace").splitlines(),
                                 got.get(rel, b"").decode("utf-8", "replace").splitlines(),
                                 "expected", "after recovery", lineterm="", n=1)
    return f"{rel}:\n" + "\n".join(list(lines)[:40])


def building(root: Path):  # noqa: ANN201 - the work a child does
    return lambda: build(load_config(root))


@pytest.fixture(scope="module")
def expected(tmp_path_factory: pytest.TempPathFactory) -> dict[bool, dict[str, bytes]]:
    scratch = tmp_path_factory.mktemp("reference")
    return {changed: reference_output(scratch, changed) for changed in (False, True)}


def kill_and_recover(tmp_path: Path, expected: dict[bool, dict[str, bytes]], mode: str,
                     points: int, changed: bool) -> list[str]:
    template = make_site(tmp_path / "template")
    if changed:
        build(load_config(template))
        change_content(template)
    total = count_events(building(shutil.copytree(template, tmp_path / "count")), mode, tmp_path)
    outcomes = []
    for at in spread(total, points):
        root = tmp_path / f"{mode}-{at}"
        shutil.copytree(template, root)
        outcomes.append(run_killed(building(root), KillPlan(at=at, mode=mode)))
        assert_recovered(root, expected[changed])
        shutil.rmtree(root)
    return outcomes


def test_killed_first_build_recovers(tmp_path: Path, expected) -> None:
    outcomes = kill_and_recover(tmp_path, expected, "write", points=3, changed=False)
    assert outcomes == [KILLED] * 3


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["write", "replace"])
@pytest.mark.parametrize("changed", [False, True], ids=["first-build", "rebuild"])
def test_killed_build_recovers_at_many_points(tmp_path: Path, expected, mode: str, changed: bool) -> None:
    outcomes = kill_and_recover(tmp_path, expected, mode, points=5, changed=changed)
    assert outcomes == [KILLED] * 5


def test_half_written_temp_files_are_removed_by_the_next_build(tmp_path: Path, expected) -> None:
    total = count_events(building(make_site(tmp_path / "count")), "replace", tmp_path)
    root = make_site(tmp_path / "site")
    assert run_killed(building(root), KillPlan(at=total, mode="replace")) == KILLED
    assert temp_files(root)  # the kill left a complete but unrenamed temporary file
    assert_recovered(root, expected[False])


@pytest.mark.slow
def test_killed_at_random_moments_from_outside(tmp_path: Path, expected) -> None:
    template = make_site(tmp_path / "template")
    seconds = timed(building(shutil.copytree(template, tmp_path / "timing")))
    rng = random.Random(8)
    outcomes = []
    for attempt in range(5):
        root = shutil.copytree(template, tmp_path / f"random-{attempt}")
        outcomes.append(run_killed(building(root), delay=rng.uniform(0.05, 0.95) * seconds))
        assert_recovered(root, expected[False])
    assert outcomes.count(KILLED) >= 3


def killed_after_pages(root: Path, pages: int) -> str:
    """Build ``root`` in a child killed (-9) when it starts writing the file after ``pages``
    new files: the pages are there, the manifest is not (it is written last)."""
    def work() -> None:
        real, written = output.put_bytes, [0]

        def dying(*args: object) -> None:
            written[0] += 1
            if written[0] > pages:
                os.kill(os.getpid(), signal.SIGKILL)
            real(*args)

        output.put_bytes = dying
        build(load_config(root))
    return run_killed(work)


def test_clean_after_a_killed_first_build_removes_what_it_wrote(tmp_path: Path, expected) -> None:
    """The killed build wrote pages but no manifest: they are still archiver's to clean."""
    root = make_site(tmp_path / "site")
    assert killed_after_pages(root, 20) == KILLED
    assert len(files_under(root / "public")) == 20
    assert not (root / ".archiver/manifest.json").exists()
    build(load_config(root), clean=True)
    assert files_under(root / "public") == expected[False]
    assert temp_files(root) == []


def test_a_stranger_file_still_stops_clean_after_a_killed_build(tmp_path: Path) -> None:
    root = make_site(tmp_path / "site")
    stranger = root / "public" / "notes.txt"
    stranger.parent.mkdir()
    stranger.write_text("mine")
    os.utime(stranger, ns=(0, 1_000_000_000))  # from long before the build
    assert killed_after_pages(root, 20) == KILLED
    with pytest.raises(ArchiverError, match="refusing to clean: 1 file"):
        build(load_config(root), clean=True)
    assert stranger.read_text() == "mine"


def test_pages_of_a_killed_build_that_are_no_longer_made_are_removed(tmp_path: Path, expected) -> None:
    """Killed after writing the pages of changed content, built again after the change was
    undone: the pages only that content made (a new post's) do not stay behind."""
    template = make_site(tmp_path / "template")
    build(load_config(template))
    root = shutil.copytree(template, tmp_path / "site")
    change_content(root)
    assert killed_after_pages(root, 40) == KILLED
    assert any("brand-new" in rel for rel in files_under(root / "public"))
    shutil.rmtree(root / "content")
    shutil.copytree(template / "content", root / "content")
    assert_recovered(root, expected[False])


def test_clean_waits_for_no_build_that_is_running(tmp_path: Path) -> None:
    """While another live archiver builds (it holds .archiver/build.running), --clean deletes
    nothing under it; once that process is gone the marker is stale and clean runs."""
    import subprocess

    root = make_site(tmp_path / "site")
    build(load_config(root))
    before = files_under(root / "public")
    other = subprocess.Popen(["sleep", "30"])
    try:
        (root / ".archiver/build.running").write_text(f"{other.pid}\n")
        with pytest.raises(ArchiverError, match=rf"another archiver process \({other.pid}\) is writing"):
            build(load_config(root), clean=True)
        assert files_under(root / "public") == before
    finally:
        other.kill()
        other.wait()
    build(load_config(root), clean=True)
    assert files_under(root / "public") == before
