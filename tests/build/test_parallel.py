"""Parallel builds (forked workers parse and render) give the bytes of a single-process build."""

from __future__ import annotations

import multiprocessing
import shutil
import sys
from pathlib import Path

import pytest

from archiver import forked
from archiver.build import loader, phases, render, renderjobs
from archiver.build.pipeline import build
from archiver.build.themes import default_theme_dir
from archiver.config import load_config
from archiver.errors import ArchiverError
from buildsite import generated_site, snapshot

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux only")


def _copy_site(source: Path, target: Path) -> Path:
    shutil.copytree(source / "content", target / "content")
    shutil.copy(source / "site.yaml", target / "site.yaml")
    return target


@pytest.fixture
def two_sites(site: Path, tmp_path: Path) -> tuple[Path, Path]:
    generated_site(site)
    return site, _copy_site(site, tmp_path / "twin")


def test_parallel_build_writes_the_same_bytes_as_one_process(two_sites: tuple[Path, Path],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    single, parallel = two_sites
    forks: list[str] = []
    real = multiprocessing.get_context

    def counting(method: str):  # noqa: ANN202
        forks.append(method)
        return real(method)

    monkeypatch.setattr(renderjobs.multiprocessing, "get_context", counting)
    one = build(load_config(single), jobs=1)
    assert forks == []
    many = build(load_config(parallel), jobs=2)
    assert forks == ["fork", "fork"]  # parsing, then rendering
    assert (many.pages, many.written, many.rendered) == (one.pages, one.written, one.rendered)
    assert snapshot(parallel / "public") == snapshot(single / "public")
    assert many.rendered == one.pages + 2  # + the 404 page and the alias redirect page


def test_parallel_rebuild_writes_only_changed_files(two_sites: tuple[Path, Path]) -> None:
    site = two_sites[0]
    config = load_config(site)
    build(config, jobs=2)
    before = {p: p.stat().st_mtime_ns for p in (site / "public").rglob("*.html")}
    (site / "templates").mkdir()
    (site / "templates" / "404.html").write_text(
        '{% extends "base.html" %}{% block main %}<p>Gone.</p>{% endblock %}', "utf-8")
    shutil.copy(default_theme_dir() / "templates" / "base.html", site / "templates" / "base.html")
    result = build(config, jobs=2)
    changed = [p for p in before if p.stat().st_mtime_ns != before[p]]
    # a copy of base.html in the site is a new base.html: every page that extends it is
    # rendered (all but the redirect of an old address) ...
    assert result.rendered == len(before) - 1
    assert changed == [site / "public" / "404.html"]  # ... and only the 404 page's bytes differ
    assert result.written == 1


def test_remembered_cards_give_the_same_bytes(two_sites: tuple[Path, Path],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    remembered, plain = two_sites
    build(load_config(remembered), jobs=1)
    monkeypatch.setattr(render, "_remember_cards", lambda env: None)
    build(load_config(plain), jobs=1)
    assert snapshot(plain / "public") == snapshot(remembered / "public")


def test_a_template_error_in_a_worker_is_reported_like_in_one_process(site: Path) -> None:
    generated_site(site)
    (site / "templates").mkdir()
    (site / "templates" / "entry.html").write_text("{{ item.no_such_field }}", "utf-8")
    with pytest.raises(ArchiverError) as raised:
        build(load_config(site), jobs=2)
    assert "no_such_field" in raised.value.message
    assert raised.value.hint == "fix the template"


def test_a_bad_file_in_a_worker_is_reported_with_its_path(site: Path) -> None:
    generated_site(site)
    (site / "content" / "posts" / "2011" / "broken.md").write_bytes(b"---\ntitle: x\n---\n\xff\xfe")
    with pytest.raises(ArchiverError) as raised:
        build(load_config(site), jobs=2)
    assert raised.value.message == "not UTF-8 text"
    assert raised.value.where.endswith("posts/2011/broken.md")


def test_worker_count_uses_cores_only_when_worth_it() -> None:
    assert loader.worker_count(None, 10, 300) == 1
    assert loader.worker_count(1, 10_000, 300) == 1
    assert loader.worker_count(4, 3, 300) == 3
    assert loader.worker_count(None, 10_000, 300) == min(len(loader.os.sched_getaffinity(0)), 33)


def _manifest(site: Path) -> dict:
    import json

    return json.loads((site / ".archiver" / "manifest.json").read_text("utf-8"))


@pytest.mark.parametrize("helper", [False, True], ids=["alone", "with-helper"])
@pytest.mark.parametrize("jobs", [1, 2])
def test_first_build_records_the_inputs_a_planned_build_would(site: Path, jobs: int, helper: bool,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """A first build leaves the fingerprints to the rendering (workers), or works them out
    while its helper lays out the clouds; they must be the plan's: the next build, made to
    plan every page, keeps them all."""
    monkeypatch.setattr(phases, "MIN_ITEMS_FOR_HELPER", 0 if helper else 10**9)
    generated_site(site)
    first = build(load_config(site), jobs=jobs)
    recorded = _manifest(site)["inputs"]
    assert len(recorded) == first.pages + 2  # every HTML page, + the 404 and redirect pages
    (site / ".archiver" / "build.json").unlink()  # no shortcut: plan every page
    again = build(load_config(site), jobs=jobs)
    assert (again.rendered, again.written) == (0, 0)
    assert _manifest(site)["inputs"] == recorded


def test_of_two_bad_files_the_first_in_path_order_is_reported_as_in_one_process(
        site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    generated_site(site)
    monkeypatch.setattr(loader, "CHUNK_FILES", 5)  # many chunks, taken by both processes
    for rel in ("posts/2003/aaa-broken.md", "tweets/2020/zzz-broken.md"):
        (site / "content" / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / "content" / rel).write_bytes(b"---\ntitle: x\n---\n\xff\xfe")
    for jobs in (1, 2, 2):
        with pytest.raises(ArchiverError) as raised:
            build(load_config(site), jobs=jobs)
        assert raised.value.where.endswith("posts/2003/aaa-broken.md")


def test_the_read_workers_results_pipe_holds_a_chunk_of_results() -> None:
    """A worker's results for a chunk of files are ~100 KB-2 MB: with Linux's 64 KB pipe the
    worker waited for this process (busy parsing) to take them; the pipe is widened."""
    fcntl = pytest.importorskip("fcntl")
    get_size = getattr(fcntl, "F_GETPIPE_SZ", 1032)
    with open("/proc/sys/fs/pipe-max-size", encoding="ascii") as limit:
        allowed = int(limit.read())
    with multiprocessing.get_context("fork").Pool(1) as pool:
        writer = pool._outqueue._writer.fileno()
        assert fcntl.fcntl(writer, get_size) == 65536  # Linux's default
        loader._widen_results_pipe(pool)
        # (a system whose limit is lower refuses the new size: the pool then works as before)
        assert fcntl.fcntl(writer, get_size) == (forked.PIPE_BYTES if allowed >= forked.PIPE_BYTES else 65536)
        assert pool.apply(len, ("four",)) == 4  # and the pool still works
    loader._widen_results_pipe(object())  # a pool without that pipe: left as it is
