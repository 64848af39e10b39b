"""The fast front-matter writer and reader do what the YAML library does, or step aside.

``fastyaml.dump_simple`` writes the common case (plain strings, dates, lists of strings,
flat mappings) by hand; on every random mapping it either returns exactly what ``yaml.dump``
with the same dumper writes, or None (then ``dumps`` uses yaml.dump). The common tweet must
take the fast path, and whatever it writes parses back with CSafeLoader to the same data.
``fastyaml.load_simple`` reads headers of the common shape: on random headers of that shape
and near it, it gives exactly the values (and types) CSafeLoader gives, or None.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archiver import fastyaml, frontmatter
from archiver.model import Entry, Media

TRAPS = ["yes", "No", "on", "off", "~", "null", "Null", "true", "1e3", "0x1F", "0o17", "012", "1_000",
         "+1", "-1", ".5", ".inf", "- x", "---", "...", "...x", ": x", "a: b", "a:", "a:b", "#x",
         "a #b", "a#b", "[a, b]", "{a: b}", "x,y", "!x", "&a", "*a", "|", ">", "%x", "@x", "`x", "'",
         '"', "x'y", "=", "<<", "2010-12-14", "2010-12-14T21:00:00", "2010-12-14 21:00:00 +01:00",
         "\ufeff", "\x85", "\xa0", "\u2028", "\u2029", "a\tb", " a", "a ", "a  b", "😀", "日本語",
         "…", "é", "\ufffd", "\ue000", "?x", "x?", "https://t.co/x?a=1&b=2#frag"]
ALPHABET = st.sampled_from(list("aZ09 -?:,[]{}#&*!|>'\"%@`.=<~+_/\\\t\n\r\x00\x7f\x85\xa0é…日😀\ufeff\u2028"))
texts = st.one_of(st.sampled_from(TRAPS), st.text(ALPHABET, max_size=12),
                  st.text(st.characters(blacklist_categories=("Cs",)), max_size=20),
                  st.integers(790, 810).map(lambda n: "x" * n),
                  st.integers(240, 260).map(lambda n: "a b " * n + "c"))
keys = st.one_of(st.sampled_from(["id", "user", "url", "title", "y", "on", "1", "a b", "a:"]), texts)
scalars = st.one_of(texts, st.integers(), st.booleans(), st.none())
flat = st.dictionaries(keys, st.one_of(texts, scalars), max_size=3)
values = st.one_of(texts, scalars, st.lists(st.one_of(texts, flat), max_size=3), flat,
                   st.lists(st.lists(texts, max_size=2), max_size=2))


@st.composite
def dates(draw: st.DrawFn) -> datetime:
    moment = draw(st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 30)))
    offset = timedelta(seconds=draw(st.sampled_from([0, 3600, -19800, 34200, 61, -(23 * 3600 + 59 * 60)])))
    return moment.replace(tzinfo=timezone(offset))


def slow(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=frontmatter._Dumper, allow_unicode=True, sort_keys=False, width=1000)


@settings(max_examples=700, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.dictionaries(keys, st.one_of(values, dates()), max_size=6))
def test_fast_writer_is_yaml_dump_or_steps_aside(data: dict[str, Any]) -> None:
    fast = fastyaml.dump_simple(data)
    if fast is not None:
        assert fast == slow(data)
        assert yaml.load(fast, Loader=yaml.CSafeLoader) == data


@settings(max_examples=700, deadline=None)
@given(text=texts)
def test_each_string_alone_and_in_lists_and_mappings(text: str) -> None:
    for data in ({"k": text}, {"tags": [text, "x"]}, {"media": [{"path": "p", "alt": text}]},
                 {"reply_to": {"id": text, "user": "u"}}):
        fast = fastyaml.dump_simple(data)
        if fast is not None:
            assert fast == slow(data)


def test_a_common_tweet_takes_the_fast_path_and_writes_what_yaml_dump_writes() -> None:
    entry = Entry(kind="tweet", date=datetime(2019, 11, 3, 11, 22, tzinfo=timezone.utc),
                  body="[@tea\\_lover](https://twitter.com/tea_lover) tea", tags=("topic1", "café"),
                  source="twitter", source_id="10110719", url="https://twitter.com/me/status/10110719",
                  media=(Media(path="media/tweets/2019/10110719-P1.png", alt="photo: 1"),),
                  reply_to={"id": "9015817", "user": "tea_lover"}, thread="9015817")
    data = frontmatter._front_matter(entry, "tweets/2019/11/10110719.md")
    assert fastyaml.dump_simple(data) is None  # "photo: 1" needs quotes: yaml.dump writes it
    plain = entry.with_changes(media=(Media(path="media/tweets/2019/10110719-P1.png", alt="photo 1"),))
    data = frontmatter._front_matter(plain, "tweets/2019/11/10110719.md")
    assert fastyaml.dump_simple(data) == (
        "date: 2019-11-03T11:22:00+00:00\ntags:\n- topic1\n- café\nsource: twitter\n"
        "source_id: '10110719'\nurl: https://twitter.com/me/status/10110719\nmedia:\n"
        "- path: media/tweets/2019/10110719-P1.png\n  type: image\n  alt: photo 1\nreply_to:\n"
        "  id: '9015817'\n  user: tea_lover\nthread: '9015817'\n") == slow(data)
    assert frontmatter.dumps(plain, "tweets/2019/11/10110719.md") == (
        "---\n" + slow(data) + "---\n" + plain.body)


def test_the_same_list_twice_goes_to_yaml_dump() -> None:
    shared = ["a"]
    assert fastyaml.dump_simple({"x_one": shared, "x_two": shared}) is None
    assert fastyaml.dump_simple({"x_one": ["a"], "x_two": ["a"]}) == slow({"x_one": ["a"], "x_two": ["a"]})


# -- reading: load_simple is yaml.load with CSafeLoader, or steps aside -------------------------

def typed(value: Any) -> Any:
    """``value`` with the type of every part spelled out: 1 == True and 1 == 1.0 must not pass."""
    if isinstance(value, dict):
        return ("dict", [(typed(key), typed(sub)) for key, sub in value.items()])
    if isinstance(value, list):
        return ("list", [typed(sub) for sub in value])
    return (type(value).__name__, repr(value))


def assert_reads_as_yaml(header: str) -> bool:
    """load_simple(header) is what the library reads, or None; True when it read it."""
    try:
        expected = yaml.load(header, Loader=yaml.CSafeLoader)
    except Exception:  # noqa: BLE001 - whatever the library refuses, the fast reader must too
        expected = Exception
    fast = fastyaml.load_simple(header)
    if fast is None:
        return False
    assert expected is not Exception, header
    assert typed(fast) == typed(expected), header
    return True


@settings(max_examples=700, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.dictionaries(keys, st.one_of(values, dates()), min_size=1, max_size=6),
       style=st.sampled_from([None, '"', "'"]), flow=st.sampled_from([False, None, True]),
       indent=st.sampled_from([2, 4]))
def test_fast_reader_reads_what_yaml_dump_writes_as_yaml_load_does(
        data: dict[str, Any], style: str | None, flow: bool | None, indent: int) -> None:
    header = yaml.dump(data, Dumper=frontmatter._Dumper, allow_unicode=True, sort_keys=False,
                       width=1000, default_style=style, default_flow_style=flow, indent=indent)
    assert_reads_as_yaml(header)
    fast = fastyaml.dump_simple(data)
    if fast is not None:
        assert_reads_as_yaml(fast)


FRAGMENTS = [*TRAPS, "", " ", "a", "Tweet 1", "2019-03-16T05:57:21Z", "2019-03-16T05:57:21+05:30",
             "2019-03-16T05:57:21-00:00", "2019-02-30T00:00:00Z", "2019-03-16", "2019-03-16 05:57:21",
             "12", "012", "0x1F", "1.5", "1e3", "yes", "~", "<<", "=", "it''s", "it's", "a\\b", '\\"',
             "x, y", "[]", "{}", "[a]", "[a, b]", "[a,b]", "[ a ]", "[yes, 012, ~]", "['a', \"b\"]",
             "[a: b]", "[#x]", "{a: b}", "- a", "a: b", "a #b"]
named_keys = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,4}", fullmatch=True)
simple_keys = st.one_of(named_keys, named_keys, named_keys,  # one of each 4 a known or a trap key
                        st.sampled_from(["title", "date", "tags", "id", "on", "yes", "y", "null", "True"]))
friendly_text = st.text("ab09 .-_/é", min_size=1, max_size=8)
hostile_text = st.text("ab 09:-#,'\"[]{}.\\", max_size=8)
line_values = st.one_of(friendly_text, friendly_text, hostile_text, st.sampled_from(FRAGMENTS), texts)


@st.composite
def scalars_on_a_line(draw: st.DrawFn) -> str:
    value = draw(line_values)
    quote = draw(st.sampled_from(["", "", '"', "'"]))
    return f"{quote}{value}{quote}"


@st.composite
def header_parts(draw: st.DrawFn) -> list[str]:
    """One key of a front matter block and what is under it, in the shapes the fast reader
    knows (and their near misses)."""
    key = draw(simple_keys)
    shape = draw(st.sampled_from(["scalar", "flow", "bare", "list", "pairs", "mapping"]))
    if shape == "scalar":
        return [f"{key}: {draw(scalars_on_a_line())}"]
    if shape == "flow":
        return [f"{key}: [" + ", ".join(draw(st.lists(scalars_on_a_line(), max_size=3))) + "]"]
    if shape == "bare":
        return [f"{key}:"]
    indent = draw(st.sampled_from(["", "  "]))
    if shape == "list":
        return [f"{key}:", *(f"{indent}- {item}" for item in draw(st.lists(scalars_on_a_line(), min_size=1, max_size=3)))]
    pairs = [f"{draw(simple_keys)}: {draw(scalars_on_a_line())}" for _ in range(draw(st.integers(1, 3)))]
    if shape == "mapping":
        return [f"{key}:", *(f"  {pair}" for pair in pairs)]
    return [f"{key}:", f"{indent}- {pairs[0]}", *(f"{indent}  {pair}" for pair in pairs[1:])]


@st.composite
def headers(draw: st.DrawFn) -> str:
    lines = [line for part in draw(st.lists(header_parts(), min_size=1, max_size=4)) for line in part]
    if draw(st.integers(0, 5)) == 5:  # now and then a line that does not belong
        odd = draw(st.sampled_from(["# note", "", "  x", " - y", "...", "---", "a:b", "\tk: v", "k: v #c"]))
        lines.insert(draw(st.integers(0, len(lines))), odd)
    return "\n".join(lines) + "\n"


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(header=headers())
def test_fast_reader_on_headers_of_and_near_the_simple_shape(header: str) -> None:
    assert_reads_as_yaml(header)


def test_the_common_headers_take_the_fast_path_with_the_library_s_types() -> None:
    tweet = ('title: "Tweet 1106796573225913071"\ndate: 2019-03-16T05:57:21Z\ntags: []\n'
             'id: "1106796573225913071"\n')
    assert fastyaml.load_simple(tweet) == {
        "title": "Tweet 1106796573225913071",
        "date": datetime(2019, 3, 16, 5, 57, 21, tzinfo=timezone.utc), "tags": [],
        "id": "1106796573225913071"}
    written = ("date: 2019-11-03T11:22:00+05:30\ntags:\n- topic1\n- café\nsource_id: '10110719'\n"
               "media:\n- path: media/p.png\n  type: image\nreply_to:\n  id: '9015817'\n  user: tea\n"
               "flags: [yes, 012, ~, 1.5, a b]\nempty:\n")
    assert typed(fastyaml.load_simple(written)) == typed({
        "date": datetime(2019, 11, 3, 11, 22, tzinfo=timezone(timedelta(hours=5, minutes=30))),
        "tags": ["topic1", "café"], "source_id": "10110719",
        "media": [{"path": "media/p.png", "type": "image"}],
        "reply_to": {"id": "9015817", "user": "tea"}, "flags": [True, 10, None, 1.5, "a b"],
        "empty": None})


def test_anything_out_of_the_ordinary_goes_to_the_library() -> None:
    for header in ("title: x # note\n", "# note\ntitle: x\n", "title: x\ntitle: y\n", "on: x\n",
                   'title: "a\\"b"\n', "title: a\n  b\n", "tags:\n  - a\n - b\n", "a: &x 1\nb: *x\n",
                   "date: 2019-02-30T00:00:00Z\n", "title: a\tb\n", "title: x\n\ndate: y\n",
                   "body: |\n  text\n", "- a\n", "tags: [a,b]\n", "<<: {a: 1}\n"):
        assert fastyaml.load_simple(header) is None, header


def test_front_matter_reads_the_same_either_way(tmp_path: Any) -> None:
    text = ("---\ntitle: Hello\ndate: 2020-01-02T03:04:05Z\ntags: [a, b]\n---\nBody\n")
    commented = text.replace("title: Hello", "title: Hello  # a comment")
    assert fastyaml.load_simple("title: Hello  # a comment\n") is None
    assert frontmatter.split(text, "posts/x.md") == frontmatter.split(commented, "posts/x.md")


def test_the_character_tests_are_the_complements_they_stand_for() -> None:
    """``fastyaml._UNUSUAL`` and ``feeds._NOT_XML`` list the characters they find (they compile
    faster so); each must find exactly what the set of allowed characters leaves out, checked
    on every character of the Basic Multilingual Plane and the edges of the others."""
    import re

    from archiver.build import feeds

    allowed_by_yaml = re.compile(
        "[\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
    allowed_by_xml = re.compile("[\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
    points = [*range(0x10000), 0x10000, 0x1F600, 0xFFFFF, 0x10FFFF]
    for finder, allowed in ((fastyaml._UNUSUAL, allowed_by_yaml), (feeds._NOT_XML, allowed_by_xml)):
        wrong = [hex(point) for point in points
                 if bool(finder.match(chr(point))) == bool(allowed.match(chr(point)))]
        assert wrong == []
