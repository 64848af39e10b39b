"""The fast front-matter reader gives what libyaml gives, or steps aside.

``simpleyaml.simple_mapping`` reads the plain subset of YAML headers by hand; on every header
it either returns exactly what ``yaml.load(header, Loader=yaml.CSafeLoader)`` returns (same
types, same order, same time zones: compared by ``repr``), or None (then the caller uses
libyaml, which also reports the errors). The common headers must take the fast path.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archiver import frontmatter
from archiver.model import Comment, Entry, Media
from archiver.simpleyaml import simple_mapping

TRAPS = ["yes", "No", "on", "OFF", "y", "n", "~", "null", "Null", "true", "True", "1e3", "0x1F",
         "0o17", "012", "0", "00", "7", "1_000", "+1", "-1", "1.5", ".5", ".inf", "-.inf", ".nan",
         "190:20:30", "- x", "-x", "---", "...", "...x", ": x", "a: b", "a:", "a:b", "#x", "a #b",
         "a#b", "[a, b]", "[]", "[ ]", "[a,b]", "[a, b,]", "[yes]", "{a: b}", "x,y", "!x", "!!str x",
         "&a x", "*a", "|", ">", "|-", "%x", "@x", "`x", "'", '"', "''", '""', "'a''b'", '"a\\tb"',
         '"a"b', "x'y", 'x"y', "=", "<<", "2010-12-14", "2010-12-14T21:00:00",
         "2010-12-14T21:00:00Z", "2010-12-14t21:00:00.5+05:30", "2010-12-14 21:00:00 +01:00",
         "2010-2-4", "2019-02-30", "2019-13-01T00:00:00Z", "2010-12-14T25:00:00Z", "\ufeff", "\x85",
         "\xa0", "\u2028", "\u2029", "a\tb", " a", "a ", "a  b", "😀", "日本語", "…", "é", "\ufffd",
         "\ue000", "\x00", "\x7f", "?x", "x?", "https://t.co/x?a=1&b=2#frag", "a\\b", "C:\\x", "ü: x"]
ALPHABET = list("aZ09 -?:,[]{}#&*!|>'\"%@`.=<~+_/\\\t\r\x00\x7f\x85\xa0é…日😀\ufeff\u2028")
words = st.one_of(st.sampled_from(TRAPS), st.text(st.sampled_from(ALPHABET), max_size=10),
                  st.text(st.characters(blacklist_categories=("Cs",)), max_size=12))
keys = st.one_of(st.sampled_from(["title", "date", "tags", "id", "on", "yes", "null", "_x", "a-b",
                                  "a b", "1", "<<", "-x", "ü", "x "]), words)
INDENTS = ["", " ", "  ", "   ", "    ", "\t"]


@st.composite
def lines(draw: st.DrawFn) -> str:
    """One header line of a shape the fast reader knows (or nearly), with tricky parts."""
    indent = draw(st.sampled_from(INDENTS))
    key, value = draw(keys), draw(words)
    shape = draw(st.sampled_from(["key: value", "key:", "- value", "- key: value", "key: [list]",
                                  "key: 'value'", 'key: "value"', "value", "", "# comment"]))
    listed = ", ".join(draw(st.lists(words, max_size=3)))
    text = (shape.replace("key", key, 1).replace("value", value, 1).replace("list", listed, 1))
    return indent + text


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(header_lines=st.lists(lines(), min_size=1, max_size=6))
def test_random_headers_read_as_libyaml_reads_them_or_step_aside(header_lines: list[str]) -> None:
    _check("\n".join(header_lines) + "\n")


# mostly what the fast reader accepts, sometimes a trap: the headers of the next test are
# well-formed YAML of the simple shapes, with a small change here and there
plain_words = st.from_regex(r"[A-Za-z][A-Za-z0-9 ,.'/_-]{0,12}[A-Za-z0-9.]", fullmatch=True)
simple_words = st.one_of(plain_words, plain_words, plain_words,
                         st.from_regex(r"[A-Za-zé日😀][^\x00-\x1f\x7f-\x9f:#\u2028\u2029\ufeff]{0,10}",
                                       fullmatch=True),
                         st.sampled_from(TRAPS), st.integers(0, 99999).map(str))
plain_keys = st.from_regex(r"[a-z_][a-z0-9_-]{0,8}", fullmatch=True)
simple_keys = st.one_of(plain_keys, plain_keys, plain_keys, plain_keys, st.sampled_from(TRAPS))


def _scalar(word: str, style: str) -> str:
    if style == "single":
        return "'" + word.replace("'", "''") + "'"
    return f'"{word}"' if style == "double" else word


@st.composite
def simple_headers(draw: st.DrawFn) -> str:
    out: list[str] = []
    for key in draw(st.lists(simple_keys, min_size=1, max_size=5)):
        shape = draw(st.sampled_from(["scalar", "flow", "block", "indented", "mappings", "mapping", "none"]))
        style = draw(st.sampled_from(["plain", "plain", "single", "double"]))
        items = draw(st.lists(simple_words, max_size=3))
        if shape == "scalar":
            out.append(f"{key}: {_scalar(draw(simple_words), style)}")
        elif shape == "flow":
            out.append(f"{key}: [{', '.join(_scalar(w, style) for w in items)}]")
        elif shape in ("block", "indented"):
            dash = "- " if shape == "block" else "  - "
            out += [f"{key}:", *(dash + _scalar(w, style) for w in items)]
        elif shape == "mappings":
            out.append(f"{key}:")
            for _ in range(draw(st.integers(1, 2))):
                pairs = draw(st.lists(st.tuples(simple_keys, simple_words), min_size=1, max_size=3))
                out += [("- " if n == 0 else "  ") + f"{k}: {_scalar(w, style)}" for n, (k, w) in enumerate(pairs)]
        elif shape == "mapping":
            pairs = draw(st.lists(st.tuples(simple_keys, simple_words), min_size=1, max_size=3))
            out += [f"{key}:", *(f"  {k}: {_scalar(w, style)}" for k, w in pairs)]
        else:
            out.append(f"{key}:")
    if draw(st.booleans()):  # a small change: a character put in, or a line indented
        at = draw(st.integers(0, len(out) - 1))
        line = out[at]
        where = draw(st.integers(0, len(line)))
        change = draw(st.sampled_from([" ", "  ", ":", ": ", " #", "-", "'", '"', "\t", "[", "]", ",",
                                       "\\", "&", "*", "!", "|", "\x85", "\u2028", "\ufeff", "\r"]))
        out[at] = line[:where] + change + line[where:]
    return "\n".join(out) + "\n"


@settings(max_examples=2500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(header=simple_headers())
def test_simple_headers_read_as_libyaml_reads_them_or_step_aside(header: str) -> None:
    _check(header)


def _check(header: str) -> dict[str, Any] | None:
    fast = simple_mapping(header)
    try:
        slow = yaml.load(header, Loader=yaml.CSafeLoader)
    except (yaml.YAMLError, ValueError):
        assert fast is None, header
        return None
    if fast is not None:
        assert repr(fast) == repr(slow), header
    return fast


@settings(max_examples=700, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.dictionaries(keys, st.one_of(
    words, st.integers(-5, 10**20), st.booleans(), st.none(), st.lists(words, max_size=3),
    st.dictionaries(keys, words, max_size=3), st.lists(st.dictionaries(keys, words, max_size=3), max_size=2),
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 30),
                 timezones=st.sampled_from([timezone.utc, timezone(timedelta(hours=-5, minutes=-30))]))),
    min_size=1, max_size=5), flow=st.sampled_from([False, None]), indent=st.sampled_from([2, 4]))
def test_what_yaml_dump_writes_reads_back_the_same(data: dict[str, Any], flow: bool | None,
                                                   indent: int) -> None:
    _check(yaml.dump(data, Dumper=frontmatter._Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=flow, indent=indent, width=1000))
    _check(yaml.dump(data, allow_unicode=False, sort_keys=False, default_flow_style=flow))


@pytest.mark.parametrize("trap", TRAPS)
def test_each_trap_as_every_kind_of_value(trap: str) -> None:
    for header in (f"k: {trap}\n", f"{trap}: x\n", f"k: '{trap}'\n", f'k: "{trap}"\n', f"k: [{trap}]\n",
                   f"k: [a, {trap}]\n", f"k:\n- {trap}\n", f"k:\n  - {trap}\n", f"k:\n  a: {trap}\n",
                   f"k:\n- a: b\n  c: {trap}\n", f"k: x\n{trap}\n", f"k:\n- a\n{trap}\n",
                   f"k:\n  a: b\n  {trap}\n", f"k: a\n  {trap}\n"):
        _check(header)


def test_headers_archiver_writes_take_the_fast_path() -> None:
    tweet = Entry(kind="tweet", date=datetime(2019, 11, 3, 11, 22, tzinfo=timezone.utc),
                  body="tea", tags=("topic1", "café"), source="twitter", source_id="10110719",
                  url="https://twitter.com/me/status/10110719",
                  media=(Media(path="media/tweets/2019/10110719-P1.png", alt="photo 1"),
                         Media(path="media/tweets/2019/10110719-P2.mp4", type="video")),
                  reply_to={"id": "9015817", "user": "tea_lover"}, thread="9015817")
    post = Entry(kind="post", date=datetime(2011, 1, 2, 3, 4, 5, tzinfo=timezone(timedelta(hours=2))),
                 body="x", title="Bread, again: a recipe", tags=("baking",), slug="bread",
                 aliases=("/2011/01/bread/",), source="wordpress", id="123",
                 comments=(Comment(author="Ann", body="Nice", date=datetime(2011, 1, 3, tzinfo=timezone.utc),
                                   id="7"),))
    for entry, path in ((tweet, "tweets/2019/11/10110719.md"), (post, "posts/2011/bread.md")):
        header = frontmatter.dumps(entry, path).split("---\n")[1]
        if entry is tweet:
            assert simple_mapping(header) is not None, header
        _check(header)
        assert frontmatter.loads(frontmatter.dumps(entry, path), path) == entry.with_changes(path=path)


def test_common_headers_of_other_tools_take_the_fast_path() -> None:
    header = ('title: "A Of Always High Are"\ndate: 2007-05-08T14:44:32Z\ntags: [never, wonder, year]\n'
              'id: "a-of-always-high-are"\ndraft: 0\nempty: []\nnothing:\n')
    assert _check(header) == {
        "title": "A Of Always High Are",
        "date": datetime(2007, 5, 8, 14, 44, 32, tzinfo=timezone.utc),
        "tags": ["never", "wonder", "year"], "id": "a-of-always-high-are", "draft": 0, "empty": [],
        "nothing": None}
    assert _check("title: It's\ndate: 2007-05-08\ntags:\n  - a b\n  - 'c: d'\n") is not None


@pytest.mark.parametrize("header", [
    "title: x # a comment\n", "title: x\n\ntags: [a]\n", "title: |\n  text\n", "a: &x 1\nb: *x\n",
    "title: a\n  continued\n", "tags: [a, true]\n", "k: 'it''s'\n", "k: \"a\\\"b\"\n", "k:\n-  a\n",
    "k:\n- - a\n", "k:\n- a: b\n    c: d\n", "k:\n  a:\n    b: c\n", "k: x\r\n", "k:\tx\n",
    "k" * 1100 + ": x\n", "k: " + "x" * 5000 + "\n", "k: 123456789012345678901234\n",
])
def test_what_is_not_simple_steps_aside_or_matches(header: str) -> None:
    _check(header)


def test_front_matter_errors_are_still_reported() -> None:
    from archiver.errors import ArchiverError

    for text, message in (("---\ntitle: a: b\ndate: 2019-01-01\n---\n", "front matter is not valid YAML line 2"),
                          ("---\ndate: 2019-02-30T00:00:00Z\n---\n", "front matter has an impossible date"),
                          ("---\n- a\n---\n", "front matter must be a mapping of keys to values")):
        with pytest.raises(ArchiverError) as raised:
            frontmatter.loads(text, "posts/x.md")
        assert raised.value.message.startswith(message)
