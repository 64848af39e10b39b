"""Word counting and cloud layouts are cached between builds, with the same output bytes."""

from __future__ import annotations

import os
import pickle
import shutil
from pathlib import Path

import pytest

from archiver.build import cloud, words
from archiver.build.layoutcache import LAYOUT_VERSION, LayoutCache
from archiver.build.loader import load_file
from archiver.build.pipeline import STATE_DIR, build
from archiver.config import load_config
from buildsite import generated_site, snapshot
from sitegen import write

EDITED = "posts/2011/post-007.md"


@pytest.fixture
def gen_site(site: Path) -> Path:
    return generated_site(site)


def _touch_later(path: Path) -> None:
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))


class _Counting:
    """Wraps a function and remembers the first argument of every call."""

    def __init__(self, function) -> None:  # noqa: ANN001
        self.function = function
        self.calls: list[object] = []

    def __call__(self, first, *rest):  # noqa: ANN001, ANN204
        self.calls.append(first)
        return self.function(first, *rest)


def test_loaded_words_are_those_of_its_own_text(site: Path) -> None:
    config = load_config(site)
    write(site, "posts/a.md", "---\ntitle: Robin's Bread\ndate: 2020-01-02T10:00:00Z\n---\n"
                              "Sourdough *again*, see https://example.com/x and @sam.\n")
    write(site, "tweets/rt.md", "---\ndate: 2020-01-03T10:00:00Z\nkind: tweet\n"
                                "retweet_of: \"12\"\n---\nRetweeted bread words\n")
    write(site, "drafts/d.md", "---\ntitle: Draft\ndate: 2020-01-04T10:00:00Z\ndraft: true\n---\n"
                               "Secret words\n")
    post = load_file(config.content, "posts/a.md", config.tz)
    assert post.words == ("robin", "bread", "sourdough", "again", "see", "and")  # stop words go later
    assert post.words == words.item_words(f"{post.entry.title}\n{post.text}")
    assert load_file(config.content, "tweets/rt.md", config.tz).words is None
    assert load_file(config.content, "drafts/d.md", config.tz).words is None


def test_rebuild_after_one_edit_tokenises_one_file_and_lays_out_its_clouds_only(
        gen_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = load_config(gen_site)
    cloud.place_all.cache_clear()
    build(config)
    clouds = gen_site / STATE_DIR / "cache" / "clouds.pickle"
    key, layouts = pickle.loads(clouds.read_bytes())
    assert key == LAYOUT_VERSION
    assert len(layouts) == 7  # all words, tweets, posts, 2009, 2010, 2011, 2012
    post = gen_site / "content" / EDITED
    post.write_text(post.read_text("utf-8").replace("Second paragraph", "Edited paragraph"), "utf-8")
    _touch_later(post)
    tokenised = _Counting(words.item_words)
    placed = _Counting(cloud.place_all.__wrapped__)  # not the in-process lru_cache
    monkeypatch.setattr(words, "item_words", tokenised)
    monkeypatch.setattr(cloud, "place_all", placed)
    result = build(config)
    assert len(tokenised.calls) == 1 and "edited" in str(tokenised.calls[0]).lower()
    # "edited" is a new word in the clouds of everything, of posts and of 2011; the others are kept
    assert len(placed.calls) == 3
    assert all(("edited", 1) in weighted for weighted in placed.calls)
    assert result.rendered < result.pages / 4
    monkeypatch.undo()
    fresh = tmp_path / "fresh"
    shutil.copytree(gen_site / "content", fresh / "content")
    shutil.copy(gen_site / "site.yaml", fresh / "site.yaml")
    cloud.place_all.cache_clear()
    build(load_config(fresh))
    assert snapshot(fresh / "public") == snapshot(gen_site / "public")
    assert len(pickle.loads(clouds.read_bytes())[1]) == 7  # the 3 old layouts were dropped


def test_damaged_or_foreign_layout_cache_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "clouds.pickle"
    path.write_bytes(b"not a pickle")
    weighted = (("bread", 3), ("oven", 1))
    cache = LayoutCache(path)
    assert cache.old == {}
    assert cache.place(weighted) == cloud.place_all(weighted)
    cache.save()
    assert pickle.loads(path.read_bytes()) == (LAYOUT_VERSION, {weighted: cloud.place_all(weighted)})
    path.write_bytes(pickle.dumps(("0:other", {weighted: ()})))
    assert LayoutCache(path).old == {}
    stored = path.stat().st_mtime_ns
    again = LayoutCache(path)
    again.old = {weighted: cloud.place_all(weighted)}
    again.place(weighted)
    again.save()  # the same layouts as last time: nothing written
    assert path.stat().st_mtime_ns == stored


def test_new_cloud_layouts_are_made_in_parallel_with_the_same_result(tmp_path: Path) -> None:
    from archiver.build import cloud
    from archiver.build.layoutcache import LayoutCache

    clouds = [cloud.ordered([(f"w{n}x{k}", 100 - k * n % 37) for k in range(40)]) for n in range(1, 9)]
    layouts = LayoutCache(tmp_path / "clouds.pickle")
    layouts.prepare([*clouds, clouds[0]], jobs=2)
    assert list(layouts.new) == clouds  # each once, in order, made by two processes
    assert all(layouts.new[weighted] == cloud.place_all(weighted) for weighted in clouds)
    assert all(layouts.place(weighted) is layouts.new[weighted] for weighted in clouds)
    few = LayoutCache(tmp_path / "other.pickle")
    few.prepare(clouds[:1], jobs=2)  # one cloud: not worth a process
    assert few.new == {}
