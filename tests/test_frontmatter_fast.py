"""The fast front-matter writer is byte-identical to yaml.dump, or steps aside.

``frontmatter._fast_yaml`` writes the common case (plain strings, dates, lists of strings,
flat mappings) by hand; on every random mapping it either returns exactly what ``yaml.dump``
with the same dumper writes, or None (then ``dumps`` uses yaml.dump). The common tweet must
take the fast path, and whatever it writes parses back with CSafeLoader to the same data.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archiver import frontmatter
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
    fast = frontmatter._fast_yaml(data)
    if fast is not None:
        assert fast == slow(data)
        assert yaml.load(fast, Loader=yaml.CSafeLoader) == data


@settings(max_examples=700, deadline=None)
@given(text=texts)
def test_each_string_alone_and_in_lists_and_mappings(text: str) -> None:
    for data in ({"k": text}, {"tags": [text, "x"]}, {"media": [{"path": "p", "alt": text}]},
                 {"reply_to": {"id": text, "user": "u"}}):
        fast = frontmatter._fast_yaml(data)
        if fast is not None:
            assert fast == slow(data)


def test_a_common_tweet_takes_the_fast_path_and_writes_what_yaml_dump_writes() -> None:
    entry = Entry(kind="tweet", date=datetime(2019, 11, 3, 11, 22, tzinfo=timezone.utc),
                  body="[@tea\\_lover](https://twitter.com/tea_lover) tea", tags=("topic1", "café"),
                  source="twitter", source_id="10110719", url="https://twitter.com/me/status/10110719",
                  media=(Media(path="media/tweets/2019/10110719-P1.png", alt="photo: 1"),),
                  reply_to={"id": "9015817", "user": "tea_lover"}, thread="9015817")
    data = frontmatter._front_matter(entry, "tweets/2019/11/10110719.md")
    assert frontmatter._fast_yaml(data) is None  # "photo: 1" needs quotes: yaml.dump writes it
    plain = entry.with_changes(media=(Media(path="media/tweets/2019/10110719-P1.png", alt="photo 1"),))
    data = frontmatter._front_matter(plain, "tweets/2019/11/10110719.md")
    assert frontmatter._fast_yaml(data) == (
        "date: 2019-11-03T11:22:00+00:00\ntags:\n- topic1\n- café\nsource: twitter\n"
        "source_id: '10110719'\nurl: https://twitter.com/me/status/10110719\nmedia:\n"
        "- path: media/tweets/2019/10110719-P1.png\n  type: image\n  alt: photo 1\nreply_to:\n"
        "  id: '9015817'\n  user: tea_lover\nthread: '9015817'\n") == slow(data)
    assert frontmatter.dumps(plain, "tweets/2019/11/10110719.md") == (
        "---\n" + slow(data) + "---\n" + plain.body)


def test_the_same_list_twice_goes_to_yaml_dump() -> None:
    shared = ["a"]
    assert frontmatter._fast_yaml({"x_one": shared, "x_two": shared}) is None
    assert frontmatter._fast_yaml({"x_one": ["a"], "x_two": ["a"]}) == slow({"x_one": ["a"], "x_two": ["a"]})
