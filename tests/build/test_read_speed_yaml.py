"""simple_mapping reads what yaml.load (CSafeLoader) reads, on every header it accepts.

Headers come from a generator of front-matter-like YAML (with hostile values mixed in), from
frontmatter.dumps of random entries and of the real archives in ../shared/fixtures, and from
the demo content; values are compared with their types, datetimes with their offsets.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from random import Random
from typing import Any

import yaml

from archiver import frontmatter
from archiver.importers import ImportContext
from archiver.importers.twitter import TwitterImporter
from archiver.model import Comment, Entry, Media
from archiver.simpleyaml import simple_mapping

REPO = Path(__file__).resolve().parents[2]
KEYS = ["title", "date", "tags", "id", "source", "slug", "url", "status", "kind", "_x", "a1",
        "on", "yes", "No", "null", "true", "y", "n", "x-y", "2x", "<<"]
PLAIN = ["Bread", "two words", "naïve café", "日本語", "🎉 party", "a:b", "http://e.com/a#b",
         "a [b] c", "a, b", "it's", 'say "hi"', "x#y", "C#", "end.", "-x", "?x", ":x", "x:",
         "1", "0x1F", "1_000", "1:30", "3.5", ".inf", "-.5", "1e3", "true", "False", "on", "OFF",
         "yes", "n", "null", "~", "NULL", "=", "<<", "2019-03-16", "2019-3-6",
         "2019-03-16T05:57:21Z", "2019-03-16T05:57:21+02:00", "2019-03-16T05:57:21-05:30",
         "2019-03-16T05:57:21", "2019-03-16t05:57:21z", "2019-03-16 05:57:21 +2",
         "2019-03-16T05:57:21.5Z", "2019-03-16T05:57:21.1234567Z", "2019-02-30T00:00:00Z",
         "2019-03-16T25:00:00Z", "a #comment", "a  b", "trailing ", "tab\there", "nbsp\u00a0x",
         "line\u2028sep", "bom\ufeff", "%x", "@x", "`x`", "!x", "&x", "*x", "|", ">", "'", '"',
         "[a", "{a: b}", "a: b", "é:", "x\\y", "#x"]
QUOTED = ['"Tweet 123"', '"with \\"escape\\""', '"tab\\t"', "'it''s'", "'plain'", '""', "''",
          '"a: b"', "'# not a comment'", '"unclosed', "'unclosed", '"x" y', "'x' y", '"é 🎉"']
FLOW = ["[]", "[a]", "[a, b]", "[a,b]", "[ a ]", "[a, true]", "[1, 2]", "[a b, c]", '["x", y]',
        "['x y', z]", "[a, [b]]", "[a, {b: c}]", "[a, ]", "[, a]", "[a:b]", "[a#b]", "[é, 日本]",
        "[null]", "[~]", "[2019-03-16]"]


def deep_same(left: Any, right: Any) -> bool:
    """Equal, with the same types all the way down (1 != True here; offsets compared)."""
    if type(left) is not type(right):
        return False
    if isinstance(left, dict):
        return list(left) == list(right) and all(deep_same(left[k], right[k]) for k in left)
    if isinstance(left, list):
        return len(left) == len(right) and all(deep_same(a, b) for a, b in zip(left, right))
    if isinstance(left, datetime):
        return left == right and left.utcoffset() == right.utcoffset() and left.tzinfo == right.tzinfo
    return bool(left == right)


def check(headers: list[str]) -> int:
    """Every accepted header reads as yaml reads it; returns how many were accepted."""
    accepted = 0
    for header in headers:
        fast = simple_mapping(header)
        try:
            expected = yaml.load(header, Loader=yaml.CSafeLoader)
        except (yaml.YAMLError, ValueError):  # ValueError: a timestamp such as February 30th
            assert fast is None, header
            continue
        if fast is not None:
            accepted += 1
            assert deep_same(fast, expected), (header, fast, expected)
    return accepted


def value(rng: Random, hostile: float) -> str:
    roll = rng.random()
    if roll < hostile:
        return rng.choice(PLAIN[6:] + QUOTED + FLOW)
    if roll < 0.4:
        return rng.choice(PLAIN[:6] + ["2019-03-16T05:57:21Z", "2019-03-16T05:57:21+02:00", "2019-03-16"])
    if roll < 0.7:
        return rng.choice([QUOTED[0], QUOTED[3], QUOTED[4], '"' + rng.choice(PLAIN[:8]) + '"'])
    return rng.choice(FLOW[:3] + ["[" + ", ".join(rng.choice(["bread", "a b", "日本"]) for _ in range(3)) + "]"])


def header(rng: Random, hostile: float) -> str:
    lines = []
    for _ in range(rng.randint(1, 6)):
        key = rng.choice(KEYS) if rng.random() < hostile else rng.choice(KEYS[:6]) + str(rng.randint(0, 9))
        shape = rng.random()
        if shape < 0.7:
            lines.append(f"{key}: {value(rng, hostile)}")
        elif shape < 0.85:
            lines.append(f"{key}:")
            lines += [f"- {value(rng, hostile)}" for _ in range(rng.randint(0, 3))]
        elif shape < 0.93:
            lines.append(f"{key}:")
            lines += [f"  {rng.choice(KEYS[:6])}{n}: {value(rng, hostile)}" for n in range(rng.randint(1, 3))]
        else:
            lines.append(f"{key}:")
            lines.append(f"- path: {value(rng, hostile)}")
            lines += [f"  alt{n}: {value(rng, hostile)}" for n in range(rng.randint(0, 2))]
        if rng.random() < hostile / 2:
            lines.append(rng.choice(["# comment", "  continued", "...", "---", "\tx: y", "x:  y", "x: y ",
                                     "- stray", "   x: y", "x: &a y", "x: *a", "x: !!str y", "? x"]))
    return "\n".join(lines) + "\n"


def test_generated_headers() -> None:
    rng = Random(11)
    assert check([header(rng, 0.03) for _ in range(3000)]) > 1500
    assert check([header(rng, 0.3) for _ in range(3000)]) > 200


def test_exact_values() -> None:
    header = ('title: "Tweet 1"\ndate: 2019-03-16T05:57:21+02:00\ntags: [bread, two words]\n'
              "slug: it's-a-b\nreply_to:\n  id: '123'\n  user: bob\nmedia:\n- path: media/a.jpg\n"
              "  alt: A loaf\naliases:\n- /old/\n")
    assert simple_mapping(header) == {
        "title": "Tweet 1", "date": datetime(2019, 3, 16, 5, 57, 21, tzinfo=timezone(timedelta(hours=2))),
        "tags": ["bread", "two words"], "slug": "it's-a-b", "reply_to": {"id": "123", "user": "bob"},
        "media": [{"path": "media/a.jpg", "alt": "A loaf"}], "aliases": ["/old/"]}
    assert simple_mapping("date: 2019-03-16\n") == {"date": date(2019, 3, 16)}
    for odd in ["id: 123\n", "draft: true\n", "x:\n", "x: ~\n", "t: a # c\n", "a: 1\na: 2\n",
                "t: |\n  text\n", "x: [1]\n", "on: x\n", "x: 'a'\n  b\n", "x: y\r\n"]:
        assert simple_mapping(odd) is None, odd


def random_entry(rng: Random) -> Entry:
    def text() -> str:
        return " ".join(rng.choice(PLAIN + ["Bread"] * 20) for _ in range(rng.randint(1, 4)))

    when = datetime(2010, 1, 2, 3, 4, 5, rng.choice([0, 500000]),
                    tzinfo=rng.choice([timezone.utc, timezone(timedelta(hours=-5)), timezone(timedelta(minutes=330))]))
    return Entry(kind=rng.choice(["post", "tweet", "page"]), date=when, title=text() if rng.random() < 0.8 else "",
                 tags=tuple(text() for _ in range(rng.randint(0, 3))), id=str(rng.randint(1, 10**19)),
                 source=rng.choice(["", "twitter", "wordpress"]), source_id=str(rng.randint(1, 10**6)),
                 url=rng.choice(["", "https://e.com/a?b=1#c"]), slug=rng.choice(["", "a-b", "x"]),
                 status=rng.choice(["published", "draft"]), aliases=tuple(rng.choice([[], ["/a/"]])),
                 media=tuple(Media(path=f"media/{text()}.jpg", alt=text()) for _ in range(rng.randint(0, 2))),
                 reply_to=rng.choice([{}, {"id": "12", "user": "bob"}]),
                 comments=tuple(Comment(author="A", body=text()) for _ in range(rng.randint(0, 1))),
                 path="posts/a.md")


def written_header(entry: Entry) -> str:
    text = frontmatter.dumps(entry)
    return text[4:text.index("\n---\n", 3) + 1]


def test_headers_written_by_archiver() -> None:
    rng = Random(5)
    assert check([written_header(random_entry(rng)) for _ in range(2000)]) > 800


def test_real_archives_and_demo_content(shared_fixtures: Path) -> None:
    headers = []
    for archive in sorted((shared_fixtures / "twitter-legacy").iterdir()) + sorted(
            (shared_fixtures / "twitter-modern").iterdir()):
        context = ImportContext(timezone=timezone.utc)
        headers += [written_header(item.entry) for item in TwitterImporter().read(str(archive), context)]
    for path in sorted((REPO / "content").rglob("*.md")):
        text = path.read_text("utf-8")
        headers.append(text[4:text.index("\n---\n", 3) + 1])
    assert len(headers) > 1250
    assert check(headers) > 1200
