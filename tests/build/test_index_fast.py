"""The index's shortcuts give what the slow way gives: slugs, URLs, threads."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from random import Random

import pytest

from archiver.build.loader import Loaded
from archiver.build.site import build_index, cached_slugify
from archiver.config import Config
from archiver.errors import ArchiverError
from archiver.model import Entry
from archiver.paths import MAX_SLUG, is_safe_relative, slugify

START = datetime(2020, 5, 1, 12, 0, tzinfo=timezone.utc)


def test_text_that_is_already_a_slug_is_its_own_slug_exactly_as_slugify_says() -> None:
    rng = Random(11)
    alphabet = "abz019-- XY._é'"
    samples = ["con", "com1", "lpt9", "aux", "nul", "prn", "a", "ab-c", "abcde", "a" * MAX_SLUG,
               "a" * (MAX_SLUG + 1), "-abcde", "abcde-", "ab--cd", "1106796573225913071",
               *("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 90))) for _ in range(1500))]
    for text in samples:
        for fallback in ("item", "tag"):
            assert cached_slugify(text, fallback) == slugify(text, fallback=fallback), text


def _entry(n: int, **fields: object) -> Loaded:
    values: dict = {"kind": "tweet", "date": START + timedelta(minutes=n), "body": f"t{n}",
                    "source": "twitter", "source_id": str(1000 + n), "path": f"tweets/{1000 + n}.md"}
    values.update(fields)
    return Loaded(entry=Entry(**values), html=f"<p>t{n}</p>", text=f"t{n}")


def test_an_unsafe_part_in_a_permalink_pattern_is_a_site_yaml_error(tmp_path: Path) -> None:
    config = Config(root=tmp_path, permalinks={"post": "/:year/../:slug/", "page": "/:slug/",
                                               "tweet": "/tweets/:id/"})
    with pytest.raises(ArchiverError) as caught:
        build_index(config, [_entry(1, kind="post", source="", source_id="", path="posts/a.md")])
    assert caught.value.where == "site.yaml"
    assert "'..'" in caught.value.message


def test_hostile_slugs_and_ids_give_safe_unique_urls(tmp_path: Path) -> None:
    hostile = ["../../etc", "con", "a/b", "..", " ", "nul.html", "x" * 300, "é", "", "CON", "a\\b"]
    loaded = [_entry(n, kind="post", source="", source_id="", slug=value, title=value,
                     path=f"posts/p{n}.md") for n, value in enumerate(hostile)]
    loaded += [_entry(50 + n, source_id=value) for n, value in enumerate(hostile)]
    site = build_index(Config(root=tmp_path), loaded)
    urls = [item.url for item in site.all_items]
    assert len(urls) == len(set(urls)) == 2 * len(hostile)
    assert all(is_safe_relative(url.strip("/")) for url in urls)


def test_threads_in_date_order_with_cycles_and_self_replies_left_alone(tmp_path: Path) -> None:
    def reply(n: int, parent: int, **fields: object) -> Loaded:
        return _entry(n, reply_to={"id": str(1000 + parent), "user": "me"}, **fields)

    loaded = [_entry(1), reply(2, 1), reply(3, 2), reply(4, 1),  # a thread 1-2-3-4 (4 answers 1)
              reply(10, 11), reply(11, 10),  # a cycle: no thread
              reply(20, 20),  # a reply to itself
              _entry(30), reply(31, 30, date=START + timedelta(minutes=30)),  # same date as 30
              reply(40, 99)]  # the parent is not in the archive
    site = build_index(Config(root=tmp_path), loaded)
    by_id = {item.entry.source_id: item for item in site.items}
    thread = [item.entry.source_id for item in by_id["1001"].thread]
    assert thread == ["1001", "1002", "1003", "1004"]
    assert by_id["1003"].thread is by_id["1001"].thread
    assert by_id["1003"].reply_parent is by_id["1002"]
    assert [by_id[key].thread for key in ("1010", "1011", "1020", "1040")] == [[], [], [], []]
    assert by_id["1040"].reply_parent is None
    # tweets of the same second: by id, so the reply comes after the tweet it answers
    assert [item.entry.source_id for item in by_id["1030"].thread] == ["1030", "1031"]


def test_a_long_chain_of_replies_is_one_thread_and_a_reply_into_a_cycle_is_in_none(tmp_path: Path) -> None:
    def reply(n: int, parent: int) -> Loaded:
        return _entry(n, reply_to={"id": str(1000 + parent), "user": "me"})

    chain = [_entry(0), *(reply(n, n - 1) for n in range(1, 3000)), reply(3000, 1500)]
    into_cycle = [reply(5000, 5001), reply(5001, 5000), reply(5002, 5001)]
    site = build_index(Config(root=tmp_path), [*reversed(chain), *into_cycle])
    by_id = {item.entry.source_id: item for item in site.items}
    expected = [str(1000 + n) for n in range(3001)]
    assert [item.entry.source_id for item in by_id["1000"].thread] == expected
    assert all(by_id[key].thread is by_id["1000"].thread for key in expected)
    assert by_id["4000"].reply_parent is by_id["2500"]
    assert [by_id[key].thread for key in ("6000", "6001", "6002")] == [[], [], []]


def test_pages_outside_pages_folder_are_named_and_the_menu_links_at_most_twenty(tmp_path: Path) -> None:
    from archiver.build.phases import common_context

    loaded = [_entry(n, kind="page", source="", source_id="", title=f"Page {n:02d}",
                     path=f"content/posts/2011/p{n}.md") for n in range(23)]
    loaded += [_entry(30, kind="page", source="", source_id="", title="About", path="pages/about.md"),
               _entry(31, kind="page", source="", source_id="", title="Colophon", path="colophon.md"),
               _entry(32, kind="page", source="", source_id="", title="Old", path="blog/old.md"),
               _entry(33, kind="page", source="", source_id="", title="Set", path="posts/2011/set.md")]
    site = build_index(Config(root=tmp_path), loaded)
    assert site.warnings == [
        "content/blog/: 1 file(s) outside posts/, tweets/ and pages/ are built as standalone pages; "
        "move posts to content/posts/ and tweets to content/tweets/ (or set 'kind:' in their front matter)",
        "content/content/: 23 file(s) outside posts/, tweets/ and pages/ are built as standalone pages; "
        "move posts to content/posts/ and tweets to content/tweets/ (or set 'kind:' in their front matter)",
    ]
    common = common_context(site)
    assert [page.title for page in common["standalone_pages"]] == [
        "About", "Colophon", "Old", *(f"Page {n:02d}" for n in range(17))]
    assert common["pages_index"] == site.pages_index == "/pages/"
    assert len(site.pages) == 27

    twenty = build_index(Config(root=tmp_path), [
        _entry(n, kind="page", source="", source_id="", title=f"P{n}", path=f"pages/p{n}.md")
        for n in range(20)])
    assert (twenty.pages_index, twenty.warnings) == ("", [])
    taken = build_index(Config(root=tmp_path), [
        _entry(n, kind="page", source="", source_id="", title=f"P{n}", path=f"pages/p{n}.md",
               slug="pages" if n == 7 else f"p{n}") for n in range(21)])
    assert (taken.pages_index, taken.warnings) == ("", [
        "21 standalone pages: the menu links only the first 20, since /pages/ (the list of all of "
        "them) is content/pages/p7.md"])


def test_every_comment_is_in_the_tree_even_when_parents_form_a_cycle() -> None:
    from archiver.build.comments import comment_tree
    from archiver.model import Comment

    def comment(cid: str, parent: str) -> Comment:
        return Comment(author=f"A{cid}", date=START, body=f"c{cid}", id=cid, parent=parent)

    tree = comment_tree([comment("1", ""), comment("2", "1"), comment("3", "4"), comment("4", "3"),
                         comment("5", "5"), comment("6", "99"), comment("7", "4")])

    def shape(nodes: list) -> list:
        return [(node.comment.id, shape(node.children)) for node in nodes]

    assert shape(tree) == [("1", [("2", [])]), ("3", [("4", [("7", [])])]), ("5", []), ("6", [])]
    assert tree[0].children[0].html == "<p>c2</p>"


def test_replies_deeper_than_ten_are_shown_at_the_tenth_level() -> None:
    from archiver.build.comments import MAX_COMMENT_DEPTH, comment_tree
    from archiver.model import Comment

    chain = [Comment(author="A", date=START, body=f"c{n}", id=str(n), parent=str(n - 1) if n else "")
             for n in range(300)]
    tree = comment_tree(reversed(chain))  # parents after their replies: the order does not matter
    level, node = 1, tree[0]
    while len(node.children) == 1:
        level, node = level + 1, node.children[0]
    assert (len(tree), level, MAX_COMMENT_DEPTH) == (1, 9, 10)
    assert [child.comment.id for child in node.children] == [str(n) for n in range(299, 8, -1)]


def test_c_cplusplus_and_csharp_keep_tag_pages_of_their_own(tmp_path: Path) -> None:
    """A slug drops '+' and '#': C, C++ and C# shared one page, named after the commonest."""
    loaded = [_entry(n, kind="post", source="", source_id="", title=f"P{n}", tags=tags,
                     path=f"posts/2020/p{n}.md")
              for n, tags in enumerate([("C",), ("c",), ("C++",), ("C#", "#C"), ("Google+",)])]
    site = build_index(Config(root=tmp_path), loaded)
    assert {slug: (group.tag.name, len(group.items)) for slug, group in site.tags.items()} == {
        "c": ("C", 3), "c-plus-plus": ("C++", 1), "c-sharp": ("C#", 1), "google-plus": ("Google+", 1)}
    assert site.tags["c-plus-plus"].tag.url == "/tags/c-plus-plus/"


def test_many_items_wanting_one_url_get_the_next_numbers_and_one_warning(tmp_path: Path) -> None:
    loaded = [_entry(n, kind="post", source="", source_id="", title="Untitled", slug="untitled",
                     path=f"posts/2020/untitled-{n:04d}.md") for n in range(1, 3001)]
    loaded.append(_entry(0, kind="post", source="", source_id="", title="Mine", slug="untitled-5",
                         path="posts/2020/a-mine.md"))
    loaded.append(_entry(3001, kind="post", source="", source_id="", title="Other", slug="other",
                         path="posts/2020/other.md"))
    loaded.append(_entry(3002, kind="post", source="", source_id="", title="Other", slug="other",
                         path="posts/2020/other-2.md"))
    loaded.sort(key=lambda record: record.entry.path)  # the order the loader gives
    site = build_index(Config(root=tmp_path), loaded)
    url_of = {item.entry.path: item.url for item in site.items}
    assert url_of["posts/2020/a-mine.md"] == "/2020/05/untitled-5/"
    assert url_of["posts/2020/untitled-0001.md"] == "/2020/05/untitled/"
    assert [url_of[f"posts/2020/untitled-{n:04d}.md"] for n in (2, 3, 4, 5, 3000)] == [
        "/2020/05/untitled-2/", "/2020/05/untitled-3/", "/2020/05/untitled-4/",
        "/2020/05/untitled-6/", "/2020/05/untitled-3001/"]
    assert len(set(url_of.values())) == len(url_of) == 3003
    # the older of two posts keeps the address, though its file's name sorts after the other's
    assert (url_of["posts/2020/other.md"], url_of["posts/2020/other-2.md"]) == (
        "/2020/05/other/", "/2020/05/other-2/")
    assert site.warnings == [
        "posts/2020/other-2.md: URL /2020/05/other/ is already used by posts/2020/other.md; "
        "using /2020/05/other-2/ (set a different 'slug')",
        "3000 files want URL /2020/05/untitled/, which posts/2020/untitled-0001.md has: "
        "posts/2020/untitled-0002.md gets /2020/05/untitled-2/ ... posts/2020/untitled-3000.md "
        "gets /2020/05/untitled-3001/ (set different 'slug's)",
    ]
