"""Front matter values of the wrong type are one clear error naming the file and the key.

A list as a title once built as ``<title>['a', 'b']``, a bare ``NO`` in tags as a tag
"false", ``kind: banana`` as a post no page listed. Now: text keys take text (a number
becomes its text), ``kind`` is a known kind, tags are text (a YAML 1.1 boolean asks to be
quoted), aliases are text. The fast reader (fastyaml) and the
library give the same values, so both ways give the same entry or the same error; what an
importer writes always loads back unchanged.
"""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archiver import fastyaml, frontmatter
from archiver.errors import ArchiverError
from archiver.importers import usable_aliases
from archiver.importers.feed import _aliases as feed_aliases
from archiver.importers.movabletype import _alias as movabletype_alias
from archiver.model import KIND_FOLDERS, Comment, Entry, Media

DATE = datetime(2021, 1, 1, tzinfo=timezone.utc)


def load(lines: str, path: str = "posts/2021/x.md") -> Entry:
    return frontmatter.loads(f"---\ndate: 2021-01-01T00:00:00Z\n{lines}---\nbody\n", path)


def load_both_ways(lines: str) -> Entry | str:
    """The entry (or the error) read the fast way, checked to equal the library's way (a
    comment line sends the same header to yaml.load)."""
    results = []
    for header in (lines, "# a comment\n" + lines):
        try:
            results.append(load(header))
        except ArchiverError as exc:
            results.append(str(exc))
    assert results[0] == results[1]
    return results[0]


def test_the_reported_file_is_one_error_naming_the_file_and_the_key() -> None:
    text = ("---\ntitle: [a, b]\ndate: 2021-01-01T00:00:00Z\nurl: [1]\n"
            "tags: [Norway, NO, {a: 1}]\n---\nbody\n")
    with pytest.raises(ArchiverError) as caught:
        frontmatter.loads(text, "posts/2021/x.md")
    assert str(caught.value) == ("posts/2021/x.md: 'title' is a list, expected text (write one "
                                 "value after 'title:', in quotes if it starts with '[' or '{')")


@pytest.mark.parametrize(("lines", "error"), [
    ("title: [a, b]\n", "'title' is a list, expected text"),
    ("url: [1]\n", "'url' is a list, expected text"),
    ("slug: {a: 1}\n", "'slug' is a mapping, expected text"),
    ("source: [twitter]\n", "'source' is a list, expected text"),
    ("source_id: [1]\n", "'source_id' is a list, expected text"),
    ("thread: {id: 1}\n", "'thread' is a mapping, expected text"),
    ("reply_to:\n  id: [1]\n", "'reply_to.id' is a list, expected text"),
    ("media:\n- path: [a]\n", "'media.path' is a list, expected text"),
    ("kind: banana\n", "unknown kind 'banana'"),
    ("kind: [post]\n", "'kind' is a list, expected text"),
    ("tags: [x, {a: 1}]\n", "a tag is a list or mapping, expected text"),
    ("tags:\n- a: 1\n", "a tag is a list or mapping, expected text"),
    ("aliases: [[/a]]\n", "'aliases' is a list, expected text"),
    ("aliases: {a: 1}\n", "'aliases' is a mapping, expected text"),
])
def test_a_value_of_the_wrong_type_is_an_error_either_way(lines: str, error: str) -> None:
    with pytest.raises(ArchiverError) as caught:
        load(lines)
    assert (caught.value.where, caught.value.message) == ("posts/2021/x.md", error)
    assert caught.value.hint
    assert load_both_ways(lines) == str(caught.value)


def test_the_hints_say_what_to_write() -> None:
    hints = {}
    for lines in ("kind: banana\n", "url: [1]\n"):
        with pytest.raises(ArchiverError) as caught:
            load(lines)
        hints[lines] = caught.value.hint
    assert hints == {
        "kind: banana\n": "use one of: post, page, tweet, retweet (or leave 'kind' out: the top "
                          "folder decides)",
        "url: [1]\n": "write one value after 'url:', in quotes if it starts with '[' or '{'",
    }


def test_numbers_and_dates_become_their_text() -> None:
    lines = ("title: 1.5\nslug: 2010\nid: 7\nsource_id: 123\nthread: 99\n"
             "tags: [1, 2.5, a, ~, '', 2010-05-06]\nreply_to:\n  id: 42\naliases: [2010]\n")
    assert fastyaml.load_simple(lines) is not None  # the fast way, as the test reads it
    entry = load_both_ways(lines)
    assert isinstance(entry, Entry)
    assert (entry.title, entry.slug, entry.id, entry.source_id, entry.thread) == (
        "1.5", "2010", "7", "123", "99")
    assert entry.tags == ("1", "2.5", "a", "2010-05-06")
    assert (entry.reply_to, entry.aliases) == ({"id": "42"}, ("2010",))


def test_unquoted_booleans_are_their_text_as_other_generators_show_them() -> None:
    """A tag "true" (the benchmark corpus has one) or "no" must build: yes/no/on/off/true/false
    unquoted are YAML's true/false, shown as "true"/"false" (Hugo and Jekyll do the same)."""
    entry = load_both_ways("title: yes\ntags: [field, true, bring, NO]\nid: off\n")
    assert isinstance(entry, Entry)
    assert (entry.title, entry.tags, entry.id) == ("true", ("field", "true", "bring", "false"), "false")
    assert load_both_ways("status: no\n") == ("posts/2021/x.md: unknown status 'false' (use one "
                                               "of: published, draft, private, deleted)")


def test_quoted_booleans_one_text_and_good_aliases_load() -> None:
    entry = load_both_ways("tags: [Norway, 'NO', \"yes\"]\naliases: ['/?p=1', /a/b.html, "
                           "rel/x, '/caf%C3%A9/', /a..b/]\n")
    assert isinstance(entry, Entry)
    assert entry.tags == ("Norway", "NO", "yes")
    assert entry.aliases == ("/?p=1", "/a/b.html", "rel/x", "/caf%C3%A9/", "/a..b/")
    assert load("tags: travel\n").tags == ("travel",)


@pytest.mark.parametrize("kind", list(KIND_FOLDERS))
def test_every_known_kind_loads_and_no_kind_is_the_folder_s(kind: str) -> None:
    assert load(f"kind: {kind}\n").kind == kind
    assert load("", "tweets/2021/1.md").kind == "tweet"
    assert load("kind:\n", "pages/about.md").kind == "page"
    assert load("", "notes/x.md").kind == "page"


def test_an_alias_the_build_cannot_serve_loads_as_written() -> None:
    """Any text dumps writes must load unchanged (tests/security/test_frontmatter_fuzz.py),
    so an alias the build leaves out ('', the root, '..') is no error here; importers do not
    write one (below)."""
    entry = load_both_ways("aliases: ['', /, //, ../x, /a/./b/, /%2e%2e/x]\n")
    assert isinstance(entry, Entry)
    assert entry.aliases == ("", "/", "//", "../x", "/a/./b/", "/%2e%2e/x")


def test_importers_leave_out_old_paths_that_can_name_no_page() -> None:
    assert usable_aliases(["", " ", "/", "//", "../x", "/a/./b/", "/%2e%2e/x", "/?p=1", "/a..b/",
                           "?p=1", "/con/"]) == ("/?p=1", "/a..b/", "?p=1")
    assert usable_aliases(["/a/", "", "/", "/x/../y", "/a/", "/?p=1"]) == ("/a/", "/?p=1")
    assert feed_aliases("https://example.com/a/../b/", "https://example.com/") == ()
    assert feed_aliases("https://example.com/a/b/", "https://example.com/") == ("/a/b/",)
    assert movabletype_alias("https://example.com//") == ()
    assert movabletype_alias("https://example.com/./x.html") == ()


printable = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
                    max_size=40)
words = printable.filter(bool)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(printable, min_size=8, max_size=8), tags=st.lists(words, max_size=4),
       aliases=st.lists(printable, max_size=3), kind=st.sampled_from(list(KIND_FOLDERS)),
       status=st.sampled_from(["published", "draft"]))
def test_what_an_importer_writes_loads_back_unchanged(
        texts: list[str], tags: list[str], aliases: list[str], kind: str, status: str) -> None:
    title, source_id, url, slug, thread, alt, author, reply = texts
    entry = Entry(kind=kind, date=DATE, title=title, body="b", tags=tuple(tags), source="s",
                  source_id=source_id, id=source_id, url=url, aliases=usable_aliases(aliases),
                  status=status, slug=slug, thread=thread,
                  media=(Media(path="media/a.png", alt=alt),),
                  reply_to={"id": reply} if reply else {},
                  comments=(Comment(author=author, body="hi"),), path="posts/2021/x.md")
    assert frontmatter.loads(frontmatter.dumps(entry), entry.path) == entry
