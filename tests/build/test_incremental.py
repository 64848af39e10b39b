"""Incremental builds: same bytes as a full build, and only the affected pages re-rendered."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from archiver.build.loader import load_content
from archiver.build.pipeline import STATE_DIR, build
from archiver.build.site import build_index
from archiver.config import load_config
from buildsite import generated_site, snapshot

# page kinds made by other parts of the build; each may show the edited post
OTHER_SECTIONS = ("words/", "stats/", "on-this-day/", "search/")
EDITED = "posts/2011/post-007.md"


@pytest.fixture
def gen_site(site: Path) -> Path:
    return generated_site(site)


def _inputs(site: Path) -> dict[str, str]:
    return json.loads((site / STATE_DIR / "manifest.json").read_text("utf-8"))["inputs"]


def _touch_later(path: Path) -> None:
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))


def test_edit_then_revert_gives_the_bytes_of_a_full_build(gen_site: Path, tmp_path: Path) -> None:
    config = load_config(gen_site)
    build(config)
    first = snapshot(gen_site / "public")
    post = gen_site / "content" / EDITED
    original = post.read_text("utf-8")
    post.write_text(original.replace("Second paragraph", "An edited paragraph"), "utf-8")
    _touch_later(post)
    edited = build(config)
    changed = snapshot(gen_site / "public")
    assert edited.rendered < edited.pages / 4
    page = f"2011/{_month(gen_site)}/post-007/index.html"
    assert b"An edited paragraph" in changed[page] and b"An edited paragraph" not in first[page]
    post.write_text(original, "utf-8")
    _touch_later(post)
    build(config)
    assert snapshot(gen_site / "public") == first
    fresh = tmp_path / "fresh"
    shutil.copytree(gen_site / "content", fresh / "content")
    shutil.copy(gen_site / "site.yaml", fresh / "site.yaml")
    build(load_config(fresh))
    assert snapshot(fresh / "public") == first


def _month(site: Path) -> str:
    text = (site / "content" / EDITED).read_text("utf-8")
    return text.split("date: 2011-", 1)[1][:2]


def test_one_post_edit_renders_its_page_neighbours_lists_and_feeds_only(gen_site: Path) -> None:
    config = load_config(gen_site)
    build(config)
    before = _inputs(gen_site)
    post = gen_site / "content" / EDITED
    post.write_text(post.read_text("utf-8") + "\nOne more line.\n", "utf-8")
    _touch_later(post)
    result = build(config)
    after = _inputs(gen_site)
    rendered = {rel for rel in after if before.get(rel) != after[rel]}
    assert result.rendered == len(rendered)
    core = {rel for rel in rendered if not rel.startswith(OTHER_SECTIONS)}
    assert core == _expected_pages(gen_site, EDITED)
    assert len(core) == 7 + len(_item(gen_site, EDITED).tags)


def _expected_pages(site: Path, rel: str) -> set[str]:
    """The item's page, its neighbours' pages, and each list page that shows it."""
    index, item = _index_and_item(site, rel)
    config = index.config
    position = index.items.index(item)
    size = config.pagination
    expected = {item.out_path, item.newer.out_path, item.older.out_path, "tags/index.html",
                f"{item.local_date.year}/index.html", _paged("", position // size + 1)}
    for tag in item.tags:
        members = index.tags[tag.slug].items
        expected.add(_paged(f"tags/{tag.slug}/", members.index(item) // size + 1))
    month_items = index.years[item.local_date.year][item.local_date.month]
    expected.add(_paged(f"{item.local_date.year}/{item.local_date.month:02d}/",
                        month_items.index(item) // size + 1))
    return expected


def _index_and_item(site: Path, rel: str):  # noqa: ANN202
    config = load_config(site)
    index = build_index(config, load_content(config.content, config.tz, None))
    return index, next(i for i in index.items if i.entry.path == rel)


def _item(site: Path, rel: str):  # noqa: ANN202
    return _index_and_item(site, rel)[1]


def _paged(base: str, number: int) -> str:
    return f"{base}index.html" if number == 1 else f"{base}page/{number}/index.html"


def test_no_change_rebuild_renders_nothing_and_restores_a_deleted_file(gen_site: Path) -> None:
    config = load_config(gen_site)
    first = build(config)
    again = build(config)
    assert (again.rendered, again.written, again.pages) == (0, 0, first.pages)
    assert again.unchanged == first.written
    (gen_site / "public" / "tags" / "index.html").unlink()
    repaired = build(config)
    assert (repaired.rendered, repaired.written) == (1, 1)
    assert (gen_site / "public" / "tags" / "index.html").is_file()


def test_a_page_edited_in_the_output_is_built_again(gen_site: Path) -> None:
    """An output file changed after the build (by hand, by a tool) is what a build from
    scratch would write again, though nothing of the site changed."""
    config = load_config(gen_site)
    first = build(config)
    page = gen_site / "public" / "tags" / "index.html"
    built = page.read_bytes()
    page.write_bytes(built.replace(b"</main>", b"<p>a hand edit</p></main>"))
    _touch_later(page)
    repaired = build(config)
    assert (repaired.rendered, repaired.written, repaired.pages) == (1, 1, first.pages)
    assert page.read_bytes() == built
    again = build(config)
    assert (again.rendered, again.written) == (0, 0)


def test_a_template_change_renders_the_pages_made_with_it(gen_site: Path) -> None:
    config = load_config(gen_site)
    build(config)
    override = gen_site / "templates" / "404.html"
    override.parent.mkdir()
    override.write_text('{% extends "base.html" %}{% block main %}<p>Lost.</p>{% endblock %}', "utf-8")
    result = build(config)
    assert result.rendered == 1
    assert b"<p>Lost.</p>" in (gen_site / "public" / "404.html").read_bytes()
    assert result.written == 1


def test_cache_shards_rewrite_only_what_changed(gen_site: Path) -> None:
    config = load_config(gen_site)
    build(config)
    cache = gen_site / STATE_DIR / "cache"
    stamps = {p.name: p.stat().st_mtime_ns for p in cache.iterdir() if p.is_file()}
    post = gen_site / "content" / EDITED
    post.write_text(post.read_text("utf-8") + "\nMore.\n", "utf-8")
    _touch_later(post)
    build(config)
    rewritten = [p.name for p in cache.iterdir() if p.is_file() and p.stat().st_mtime_ns != stamps.get(p.name)]
    assert len(rewritten) == 1
    assert len(stamps) == 32 + 1  # 32 entry shards and clouds.pickle (and templates/, compiled)


def test_plain_tweets_skip_markdown_with_the_same_html() -> None:
    from random import Random

    from archiver.build.loader import _PLAIN_TWEET, render_body
    from archiver.build.markup import render_markdown
    from archiver.model import Entry
    from datetime import datetime, timezone

    rng = Random(5)
    alphabet = "abcXYZ019 ,;'?@#.!"
    samples = ["Hello world", "@bob it's #tea time, ok?", "Word 1. two", "a  b", "x #y!", "I. J.",
               *("".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40))) for _ in range(3000))]
    fast = 0
    for text in samples:
        for source in ("", "twitter"):
            entry = Entry(kind="tweet", date=datetime(2020, 1, 1, tzinfo=timezone.utc),
                          body=rng.choice(("", "\n")) + text + rng.choice(("", "\n", "\n\n")),
                          source=source)
            slow = render_markdown(entry.body, tweet=True, sanitize=bool(source))
            assert render_body(entry) == slow, text
            fast += bool(_PLAIN_TWEET.fullmatch(text))
    assert fast > 2000


def test_the_site_folder_named_another_way_is_the_same_site(gen_site: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    build(load_config(gen_site))
    post = gen_site / "content" / EDITED
    post.write_text(post.read_text("utf-8") + "\nMore.\n", "utf-8")
    _touch_later(post)
    monkeypatch.chdir(gen_site)
    result = build(load_config(Path(".")))
    assert 0 < result.rendered < 20  # the edited post's pages, not every page of the site


def test_fast_relativize_gives_relative_url_for_every_link() -> None:
    from random import Random

    from archiver.build.markup import relative_url, relativize

    rng = Random(9)
    pieces = ["", "/", "a", "b/", "tags/", "x.html", "?q=1", "#top", "?", "#", "//", "é", " ", "index.html"]
    links = ["/" + "".join(rng.choice(pieces) for _ in range(rng.randint(0, 5))) for _ in range(2000)]
    for root in ("./", "../", "../../../"):
        for link in links:
            html = f'<a href="{link}">x</a> <img src="{link}"> <a title="t" href="http://e/{link}">'
            expected = (f'<a href="{relative_url(link, root)}">x</a> <img src="{relative_url(link, root)}">'
                        f' <a title="t" href="http://e/{link}">')
            if link.startswith("//"):
                expected = html  # protocol-relative: not a site link
            assert relativize(html, root) == expected, (link, root)
