"""Page fingerprints: equal for equal inputs, different for different ones, None when unreadable."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path, PurePosixPath

import pytest

from archiver.build.incremental import Fingerprints
from archiver.build.render import Page
from archiver.build.site import SiteIndex
from itemgen import make_site, post, tweet


@dataclass(frozen=True)
class Box:
    name: str
    items: tuple


@dataclass
class Bag:
    values: list


@pytest.fixture
def index(tmp_path: Path) -> SiteIndex:
    entries = [post("2011-01-02 10:00", "A post", "Words.", "a-post", tags=("x",), path="posts/a.md"),
               tweet("2011-01-03 10:00", "root", "1", path="tweets/1.md"),
               tweet("2011-01-04 10:00", "reply", "2", reply_to={"id": "1", "user": "me"},
                     path="tweets/2.md"),
               tweet("2011-01-05 10:00", "quoting", "3", quote_of={"id": "1"}, path="tweets/3.md")]
    return make_site(entries, tmp_path)


def _prints(index: SiteIndex, stamps: dict[str, str] | None = None) -> Fingerprints:
    return Fingerprints(index, stamps or {}, ["code"], {"site": index.config, "years": [2011]})


def _page(context: dict) -> Page:
    return Page("x/index.html", "list.html", context)


def test_values_of_different_types_or_shapes_never_share_a_fingerprint(index: SiteIndex) -> None:
    prints = _prints(index)
    contexts = [{"v": "1"}, {"v": 1}, {"v": True}, {"v": 1.0}, {"v": None}, {"v": "None"},
                {"v": ["a", "b"]}, {"v": ["a\x1es1:b"]}, {"v": [["a"], "b"]}, {"v": ("a", "b", "")},
                {"v": {"a": "b"}}, {"v": Bag(["a", "b"])}, {"v": Box("a", ("b",))},
                {"v": date(2011, 1, 2)}, {"v": "2011-01-02"}, {"v": datetime(2011, 1, 2, tzinfo=timezone.utc)},
                {"v": PurePosixPath("a/b")}, {"v": "a/b"}, {"v": {"b", "a"}}, {"v": index.items[0]},
                {"v": index.items[1]}, {"v": [index.items[0]]}, {}]
    fingerprints = [prints.page(_page(context)) for context in contexts]
    assert None not in fingerprints
    assert len(set(fingerprints)) == len(contexts)
    assert prints.page(_page({"v": {"a", "b"}})) == prints.page(_page({"v": {"b", "a"}}))


def test_a_frozen_dataclass_seen_before_gives_the_same_fingerprint(index: SiteIndex) -> None:
    shared = Box("day", tuple(index.items))
    long = Box("long", tuple(index.items) * 30)  # remembered by its digest
    first, fresh = _prints(index), _prints(index)
    for box in (shared, long):
        first.page(_page({"a": box}))
        assert first.page(_page({"b": box})) == fresh.page(_page({"b": box}))
        assert first.page(_page({"b": box})) == fresh.page(_page({"b": Box(box.name, box.items)}))
        assert first.page(_page({"b": box})) != fresh.page(_page({"b": Box("other", box.items)}))


def test_what_cannot_be_read_is_rendered_every_time(index: SiteIndex) -> None:
    prints = _prints(index)
    assert prints.page(_page({"f": len})) is None
    assert prints.page(_page({"v": [object()]})) is None
    assert prints.page(_page({"v": Bag([{1: object()}])})) is None
    nested: list = []
    for _ in range(60):
        nested = [nested]
    assert prints.page(_page({"v": nested})) is None


def test_an_item_stands_for_its_file_its_url_and_the_items_it_shows(index: SiteIndex) -> None:
    by_id = {item.entry.source_id: item for item in index.items}
    root, reply, quoting = by_id["1"], by_id["2"], by_id["3"]
    assert reply.thread == [root, reply] and quoting.quoted is root
    pages = {key: Page(item.out_path, "entry.html", {"item": item}) for key, item in by_id.items()}
    lists = {key: _page({"items": [item]}) for key, item in by_id.items()}
    stamps = {item.entry.path: "1:1" for item in index.all_items}
    before = _prints(index, stamps)
    old = {key: (before.page(page), before.page(lists[key])) for key, page in pages.items()}
    again = _prints(index, stamps)
    assert {key: (again.page(page), again.page(lists[key])) for key, page in pages.items()} == old
    after = _prints(index, {**stamps, root.entry.path: "2:2"})  # the root tweet's file changed
    new = {key: (after.page(page), after.page(lists[key])) for key, page in pages.items()}
    changed = {key for key in old if old[key][1] != new[key][1]}
    assert changed == {"1", "2", "3"}  # its card, its thread's cards, the card that quotes it
    changed_pages = {key for key in old if old[key][0] != new[key][0]}
    assert changed_pages == {"1", "2", "3", "a-post"}  # and the page of its older neighbour


def test_a_page_to_render_at_an_unsafe_path_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    from archiver.build.output import OutputWriter
    from archiver.build.renderjobs import plan_pages
    from archiver.errors import ArchiverError

    writer = OutputWriter(tmp_path / "public", tmp_path / ".archiver")
    safe = Page("a/index.html", "list.html", {})
    assert plan_pages([safe], writer, None) == [(safe, None)]
    for path in ("../evil/index.html", "/etc/index.html", "a/con/index.html", "a//index.html"):
        with pytest.raises(ArchiverError) as caught:
            plan_pages([Page(path, "list.html", {})], writer, None)
        assert "refusing to write" in caught.value.message
    writer.marker.finish()
    assert not (tmp_path / "evil").exists() and not (tmp_path / "public").exists()
