"""2,000 random Entries: Entry -> frontmatter.dumps -> file -> loads is exact; no traceback.

Every field is filled with arbitrary Unicode (control characters, NUL, ``\\r``, line and
paragraph separators, YAML look-alikes such as ``yes``, ``~``, ``1e3``, ``- x``, ``---``),
dates with any minute offset, media, comments, relations and unknown keys. The text goes
through the disk exactly as the store writes and reads it. And random bytes in place of a
file: ``loads`` raises ArchiverError or returns an Entry, never anything else.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archiver import frontmatter
from archiver.errors import ArchiverError
from archiver.model import COMMENT_KINDS, STATUSES, Comment, Entry, Media
from archiver.store import read_exact

YAML_TRAPS = ["yes", "No", "on", "~", "null", "1e3", "0x1F", "012", "- x", "---", "...", ": x",
              "#x", "[a, b]", "{a: b}", "!!python/object:os.system", "&a", "*a", "2010-12-14",
              "2010-12-14T21:00:00", "'", '"', "|", ">", "%YAML 1.2", "\ufeff", "\x85", "\u2028"]
any_text = st.one_of(st.sampled_from(YAML_TRAPS),
                     st.text(st.characters(blacklist_categories=("Cs",)), max_size=60))
some_text = any_text.filter(bool)
KEYS = ("id", "user", "url")


@st.composite
def dates(draw: st.DrawFn) -> datetime:
    moment = draw(st.datetimes(min_value=datetime(1000, 1, 1), max_value=datetime(9998, 12, 31)))
    offset = timedelta(minutes=draw(st.integers(min_value=-14 * 60 + 1, max_value=14 * 60 - 1)))
    return moment.replace(tzinfo=timezone(offset))


relations = st.dictionaries(st.sampled_from(KEYS), some_text, max_size=3)
media = st.builds(Media, path=some_text, alt=any_text, type=st.sampled_from(["image", "video", "gif", "file"]))
comments = st.builds(Comment, author=any_text, body=any_text, date=st.none() | dates(), url=any_text,
                     kind=st.sampled_from(COMMENT_KINDS), id=any_text, parent=any_text)
extra_values = st.one_of(any_text, st.integers(), st.booleans(), st.lists(any_text, max_size=3))
extras = st.dictionaries(st.from_regex(r"x_[a-z_]{1,10}", fullmatch=True), extra_values, max_size=3)


@st.composite
def entries(draw: st.DrawFn) -> Entry:
    folder = draw(st.sampled_from(["posts", "pages", "tweets", "notes"]))
    return Entry(
        kind=draw(st.sampled_from(["post", "page", "tweet", "retweet"])),
        date=draw(dates()), body=draw(any_text), title=draw(any_text),
        tags=tuple(draw(st.lists(some_text, max_size=4))), source=draw(any_text),
        source_id=draw(any_text), id=draw(any_text), url=draw(any_text),
        aliases=tuple(draw(st.lists(any_text, max_size=3))), status=draw(st.sampled_from(STATUSES)),
        slug=draw(any_text), media=tuple(draw(st.lists(media, max_size=2))),
        reply_to=draw(relations), quote_of=draw(relations), retweet_of=draw(relations),
        thread=draw(any_text), comments=tuple(draw(st.lists(comments, max_size=2))),
        extra=draw(extras), path=f"{folder}/2010/x.md",
    )


@pytest.mark.slow
@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(entry=entries())
def test_two_thousand_round_trips_are_exact(tmp_path_factory: pytest.TempPathFactory, entry: Entry) -> None:
    text = frontmatter.dumps(entry)
    assert frontmatter.loads(text, entry.path) == entry
    target = tmp_path_factory.getbasetemp() / "roundtrip.md"
    target.write_bytes(text.encode("utf-8"))  # the bytes the store writes
    assert frontmatter.loads(read_exact(target), entry.path) == entry


@settings(max_examples=200, deadline=None)
@given(entry=entries())
def test_round_trips_quick(entry: Entry) -> None:
    assert frontmatter.loads(frontmatter.dumps(entry), entry.path) == entry


@settings(max_examples=300, deadline=None)
@given(raw=st.one_of(st.binary(max_size=300).map(lambda b: "---\n" + b.decode("utf-8", "replace")),
                     st.text(max_size=300).map(lambda t: "---\n" + t + "\n---\nbody"),
                     st.text(max_size=300)))
def test_any_file_text_loads_or_raises_archiver_error(raw: str) -> None:
    try:
        entry = frontmatter.loads(raw, "posts/2010/x.md")
    except ArchiverError as error:
        assert error.where == "posts/2010/x.md"
    else:
        assert isinstance(entry, Entry)


def test_a_file_that_is_not_utf8_is_a_clear_error(site: Path, run_cli) -> None:
    bad = site / "content/posts/2010/latin1.md"
    bad.parent.mkdir(parents=True)
    bad.write_bytes("---\ntitle: caf\xe9\ndate: 2010-01-01T00:00:00+00:00\n---\nx".encode("latin-1"))
    result = run_cli("build", site=site)
    assert result.exit_code == 1
    assert result.output == f"error: {bad}: not UTF-8 text (save the file as UTF-8)\n"
