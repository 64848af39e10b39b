"""The build's helper processes (content/'s walk, the word clouds, the last build's missing
files) change no byte.

``forked.Call`` runs a computation in a forked process and hands back its result; when the
helper cannot deliver, the work is done in the calling process, so errors are the usual ones.
The build uses it from ``phases.MIN_ITEMS_FOR_HELPER`` items on; these tests lower that to 0.
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import time
from pathlib import Path

import pytest

from archiver import forked
from archiver.build import keyedpickle, loader, output, phases, pipeline
from archiver.build.loader import EntryCache
from archiver.build.layoutcache import LAYOUT_VERSION
from archiver.build.pipeline import STATE_DIR, build
from archiver.build.themes import default_theme_dir
from archiver.config import load_config
from archiver.errors import ArchiverError
from buildsite import generated_site, snapshot

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="helpers are forked on Linux only")

EDITED = "posts/2011/post-007.md"


def _pid_and_value() -> tuple[int, int]:
    return os.getpid(), 42


def test_call_computes_in_another_process() -> None:
    pid, value = forked.Call(_pid_and_value).result()
    assert (value, pid != os.getpid()) == (42, True)


def test_call_without_helper_computes_here() -> None:
    assert forked.Call(_pid_and_value, in_helper=False).result() == (os.getpid(), 42)


def test_a_failing_helper_leaves_the_work_and_its_error_to_the_caller() -> None:
    calls: list[int] = []

    def fails() -> None:
        calls.append(os.getpid())  # the helper's append stays in the helper's memory
        raise ValueError("bad input in item 7")

    pending = forked.Call(fails)
    with pytest.raises(ValueError, match="bad input in item 7"):
        pending.result()
    assert calls == [os.getpid()]  # done again here, where the error is raised as usual


def test_a_helper_killed_half_way_leaves_the_work_to_the_caller() -> None:
    parent = os.getpid()

    def dies_in_the_helper() -> int:
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)  # like the kernel's out-of-memory killer
        return 7

    assert forked.Call(dies_in_the_helper).result() == 7


def test_an_unpicklable_result_is_computed_here() -> None:
    pending = forked.Call(lambda: (os.getpid(), lambda: None))
    pid, function = pending.result()
    assert (pid, callable(function)) == (os.getpid(), True)


def test_cancel_stops_a_helper_whose_result_is_not_wanted() -> None:
    pending = forked.Call(lambda: os.getpid())
    pid = pending._pid
    pending.cancel()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaped: gone
    pending.cancel()  # twice is harmless


def test_ready_says_whether_result_would_wait() -> None:
    go_read, go_write = os.pipe()

    def waits_for_the_test() -> int:
        return len(os.read(go_read, 1))  # blocks until the test writes a byte

    pending = forked.Call(waits_for_the_test)
    try:
        assert not pending.ready()
        os.write(go_write, b"!")
        for _ in range(500):  # the helper answers within milliseconds
            if pending.ready():
                break
            time.sleep(0.01)
        assert pending.ready() and pending.result() == 1
    finally:
        pending.cancel()
        os.close(go_read)
        os.close(go_write)
    assert forked.Call(_pid_and_value, in_helper=False).ready()


def test_the_entry_cache_read_during_the_check_is_finished_by_the_read_phase(
        site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The build reads the cache's shards while its helper checks for changes, up to the
    answer; the read phase reads the rest, so no cached entry is parsed again."""
    generated_site(site)
    config = load_config(site)
    first = build(config)
    post = site / "content" / EDITED
    post.write_text(post.read_text("utf-8") + "\nOne more line.\n", "utf-8")
    _touch_later(post)
    shards_before_answer = iter([False, False, False, True, True])
    monkeypatch.setattr(forked.Call, "ready", lambda self: next(shards_before_answer))
    read_shards: list[int] = []
    real_read = EntryCache._read
    monkeypatch.setattr(EntryCache, "_read", lambda self, shard: read_shards.append(shard) or
                        real_read(self, shard))
    parsed: list[str] = []
    real_load_file = loader.load_file
    monkeypatch.setattr(loader, "load_file", lambda content, rel, tz: parsed.append(rel) or
                        real_load_file(content, rel, tz))
    again = build(config)
    # 3 shards read, then the answer (so the manifest is left to the writer)
    assert next(shards_before_answer, "asked 5 times") == "asked 5 times"
    assert read_shards == list(range(loader.SHARDS))  # ... and the rest after it
    assert parsed == [EDITED] and again.entries == first.entries


def test_the_manifest_is_read_during_the_check_when_the_cache_is_read_before_its_answer(
        site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the whole cache read and the check still running, the build reads the output
    folder's manifest (the writer then does not): the same work and files as without."""
    generated_site(site)
    twin = _twin(site, tmp_path / "twin")
    for root in (site, twin):
        build(load_config(root))
        post = root / "content" / EDITED
        post.write_text(post.read_text("utf-8") + "\nOne more line.\n", "utf-8")
        _touch_later(post)
    plain = build(load_config(twin))
    monkeypatch.setattr(forked.Call, "ready", lambda self: False)  # no answer before it is asked for
    reads: list[str] = []
    for module in (pipeline, output):
        real = module.read_manifest_data
        monkeypatch.setattr(module, "read_manifest_data",
                            lambda path, out, real=real, name=module.__name__: reads.append(name) or real(path, out))
    early = build(load_config(site))
    assert reads == ["archiver.build.pipeline"]  # once, early; not again by the writer
    assert (early.rendered, early.written) == (plain.rendered, plain.written) and early.written > 0
    assert snapshot(site / "public") == snapshot(twin / "public")


def _twin(source: Path, target: Path) -> Path:
    shutil.copytree(source / "content", target / "content")
    shutil.copy(source / "site.yaml", target / "site.yaml")
    return target


def _touch_later(path: Path) -> None:
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))


def _build_edit_delete(site: Path) -> list[tuple[int, int, int]]:
    """A first build, one post edited, a page deleted from public/: (pages, rendered, written)."""
    config = load_config(site)
    steps = [build(config)]
    post = site / "content" / EDITED
    post.write_text(post.read_text("utf-8").replace("Second paragraph", "An edited paragraph"), "utf-8")
    _touch_later(post)
    steps.append(build(config))
    (site / "public" / "tags" / "index.html").unlink()
    (site / "public" / "words" / "index.html").unlink()
    steps.append(build(config))
    return [(step.pages, step.rendered, step.written) for step in steps]


def test_builds_with_the_helper_write_the_bytes_of_builds_without(site: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    generated_site(site)
    twin = _twin(site, tmp_path / "twin")
    helper_pids: list[int] = []
    real_start = forked.start

    def counted_start(serve, **kwargs):  # noqa: ANN001, ANN202
        pid = real_start(serve, **kwargs)
        helper_pids.append(pid)
        return pid

    monkeypatch.setattr(forked, "start", counted_start)
    monkeypatch.setattr(phases, "MIN_ITEMS_FOR_HELPER", 10**9)
    monkeypatch.setattr(phases, "MIN_ENTRIES_FOR_HELPER", 10**9)
    without = _build_edit_delete(twin)
    assert len(helper_pids) == 3  # each build walks content/ in a helper
    monkeypatch.setattr(phases, "MIN_ITEMS_FOR_HELPER", 0)
    monkeypatch.setattr(phases, "MIN_ENTRIES_FOR_HELPER", 0)
    with_helper = _build_edit_delete(site)
    assert len(helper_pids) == 3 + 3 * 3  # ... and now lays out its clouds and saves its cache in two more
    assert with_helper == without
    shards = sorted(path.name for path in (site / STATE_DIR / "cache").glob("entries-*.pickle"))
    assert shards == sorted(path.name for path in (twin / STATE_DIR / "cache").glob("entries-*.pickle"))
    assert len(shards) > 5
    for name in shards:  # the helper saved the entries as this process would have
        assert _saved_entries(site, name) == _saved_entries(twin, name)
    assert with_helper[2][1:] == (2, 2)  # the two deleted pages, and only they, made again
    assert snapshot(site / "public") == snapshot(twin / "public")
    clouds = STATE_DIR + "/cache/clouds.pickle"  # the helper's cloud layouts are saved
    saved = keyedpickle.read(site / clouds, LAYOUT_VERSION)
    assert saved and saved == keyedpickle.read(twin / clouds, LAYOUT_VERSION)


def test_a_first_build_compiles_every_template_in_its_helper(site: Path, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Beside the index, the helper compiles every template of the theme into the cache of
    compiled templates (the build then loads them instead of compiling them on its path);
    without it, the build compiles only what its pages use. The pages are the same bytes."""
    generated_site(site)
    twin = _twin(site, tmp_path / "twin")
    monkeypatch.setattr(phases, "MIN_ENTRIES_FOR_HELPER", 10**9)
    build(load_config(twin))
    monkeypatch.setattr(phases, "MIN_ENTRIES_FOR_HELPER", 0)
    build(load_config(site))
    templates = sorted((default_theme_dir() / "templates").rglob("*.html"))
    compiled = sorted((site / STATE_DIR / phases.COMPILED_TEMPLATES).iterdir())
    compiled_here = sorted((twin / STATE_DIR / phases.COMPILED_TEMPLATES).iterdir())
    assert len(compiled) == len(templates) > len(compiled_here)  # search.html: no search here
    assert {path.name for path in compiled_here} < {path.name for path in compiled}
    assert snapshot(site / "public") == snapshot(twin / "public")


def test_a_file_in_templates_that_does_not_compile_stops_no_build_that_does_not_use_it(
        site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The helper compiles every .html under templates/: one with a syntax error, or not in
    UTF-8, is skipped there; no page uses them, so the build succeeds as without the helper."""
    generated_site(site)
    (site / "templates").mkdir()
    (site / "templates" / "draft.html").write_text("{% if %}", "utf-8")
    (site / "templates" / "old.html").write_bytes("<p>caf\xe9</p>".encode("latin-1"))
    monkeypatch.setattr(phases, "MIN_ENTRIES_FOR_HELPER", 0)
    result = build(load_config(site))
    assert result.pages > 0 and (site / "public" / "index.html").is_file()


def _saved_entries(site: Path, shard: str) -> dict[str, tuple[int, loader.Loaded]]:
    """A cache shard's entries by path, with their file's size (the edit's mtime differs)."""
    saved = keyedpickle.read(site / STATE_DIR / "cache" / shard, _cache_key(site))
    assert saved is not None
    return {rel: (size, loaded) for rel, (size, _, loaded) in saved.items()}


def _cache_key(site: Path) -> str:
    return EntryCache(site / STATE_DIR / "cache", load_config(site).timezone).key


def test_a_build_that_fails_after_reading_still_saves_what_it_parsed(
        site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The entry cache is saved by a helper while the build goes on; a template error later
    still leaves it saved (and reported as the build's error), so the build after the fix
    parses nothing again."""
    generated_site(site)
    monkeypatch.setattr(phases, "MIN_ENTRIES_FOR_HELPER", 0)
    (site / "templates").mkdir()
    (site / "templates" / "entry.html").write_text("{% extends 'base.html' %}{% block main %}"
                                                   "{{ item.no_such_thing }}{% endblock %}", "utf-8")
    with pytest.raises(ArchiverError, match="template error"):
        build(load_config(site))
    shards = list((site / STATE_DIR / "cache").glob("entries-*.pickle"))
    assert shards and all(keyedpickle.read(path, _cache_key(site)) is not None for path in shards)
    (site / "templates" / "entry.html").unlink()
    parsed: list[str] = []
    real_load_file = loader.load_file
    monkeypatch.setattr(loader, "load_file", lambda content, rel, tz: parsed.append(rel) or
                        real_load_file(content, rel, tz))
    assert build(load_config(site)).pages > 0 and parsed == []


def test_where_there_is_no_fork_the_build_does_the_helpers_work_itself(
        site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    generated_site(site)
    twin = _twin(site, tmp_path / "twin")
    monkeypatch.setattr(phases, "MIN_ITEMS_FOR_HELPER", 0)
    with_helpers = _build_edit_delete(site)
    monkeypatch.setattr(forked, "AVAILABLE", False)  # Windows, macOS
    monkeypatch.setattr(forked, "start", None)  # never called
    assert _build_edit_delete(twin) == with_helpers
    assert snapshot(twin / "public") == snapshot(site / "public")
