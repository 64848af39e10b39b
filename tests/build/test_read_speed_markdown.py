"""simple_html gives the bytes render_markdown gives, on every body it accepts.

Run on generated bodies (the plain subset, with hostile pieces mixed in), on tweet bodies
written by the Twitter importer from random texts, on the real archives of ../shared/fixtures
and on this repo's demo content; each accepted body is compared with Python-Markdown, for
tweets and posts, sanitised and trusted.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from random import Random

import pytest

from archiver import frontmatter
from archiver.build.loader import render_body
from archiver.build.markup import render_markdown
from archiver.build.simplemd import simple_html
from archiver.importers import ImportContext
from archiver.importers.twitter import TwitterImporter
from archiver.importers.twitter.text import render_tweet_text
from archiver.importers.twitter.tweet import Link
from archiver.model import Entry

REPO = Path(__file__).resolve().parents[2]
WORDS = ["the", "Tea", "é", "naïve", "日本語", "🎉", "it's", '"quoted"', "(aside)", "end.", "ok!",
         "why?", "a:b", "x;y", "50%", "$5", "~", "^", "=", "+", "-", ">", "&", "&amp;", "&lt;",
         "&gt;", "@bob", "#tag", "C#", "1.", "3)", "2020", "…", "’", "\\#", "\\_", "\\>", "\\!",
         "\\[", "\\*", "!", ")", "(", "👨\u200d💻"]
HOSTILE = ["*em*", "_u_", "`c`", "|", "{x}", "<b>", "&copy;", "&#61;", "&quot;", "\\:", "\\",
           "![i](/x.png)", "[ref][1]", "[^1]", "\t", "\u00a0", "\u200b", "\u2028", "<", "[", "]",
           "**", "a_b", "<!-- c -->", "&#x41;", "&AMP;", "*[HTML]: x", "\x02", "<https://e.com"]
HOSTS = ["example.com", "e.co.uk", "a-b.org", "x1.io", "localhost", "twitter.com", "1.2.3.4",
         "Ex.com", "xn--abc.com", "-a.com", "a..b", "a.1", "", "a_b.com", "é.com"]
ODD_URLS = ["//e.com/x", "javascript:alert(1)", "HTTP://E.COM/", "mailto:a@b.c", "ftp://e.com",
            "https://e.com:80/", "https://u@e.com/", "data:text/html,x", "/\\e.com", "x.html",
            "#top", "https://e.com/a b", "https://e.com/(x)", "<https://e.com/>", "/a 'b'"]
PREFIXES = ["- ", "# ", "## ", "###### ", "####### ", "#", " ", "    ", "> ", "1. ", "12) ", "* ",
            "+ ", ": ", "=== ", "--- ", "<", "[x]: /y ", "~~~ ", "| ", "\\- ", "\\# ", "&#35; "]


def reference(text: str, tweet: bool, sanitize: bool) -> str:
    return render_markdown(text, tweet=tweet, sanitize=sanitize)


def assert_same_where_accepted(bodies: list[str]) -> int:
    """Compares every accepted body with Python-Markdown; returns how many were accepted."""
    accepted = 0
    for body in bodies:
        for tweet in (False, True):
            fast = simple_html(body, tweet=tweet)
            if fast is None:
                continue
            accepted += 1
            for sanitize in (False, True):
                assert fast == reference(body, tweet, sanitize), (body, tweet, sanitize)
    return accepted


def url(rng: Random, hostile: float) -> str:
    odd = rng.random() < hostile * 2
    if odd and rng.random() < 0.3:
        return rng.choice(ODD_URLS)
    path = "".join(rng.choice("ab/_-.?=&;#%:@!~x1") for _ in range(rng.randint(0, 12)))
    if rng.random() < 0.2:
        return "/" + path
    host = rng.choice(HOSTS) if odd else rng.choice(HOSTS[:6])
    tail = rng.choice(["", "/", "?", "#", "/a_b?x=1&y=2", "/x&amp;y", "/&copy;" if odd else "/", ":8" if odd else ""])
    return rng.choice(["https://", "http://"]) + host + tail + ("/" + path if tail else "")


def token(rng: Random, hostile: float) -> str:
    roll = rng.random()
    if roll < hostile:
        return rng.choice(HOSTILE)
    if roll < hostile + 0.12:
        label = " ".join(rng.choice(WORDS[:19]) for _ in range(rng.randint(1, 3)))
        return f"[{label}]({url(rng, hostile)})"
    if roll < hostile + 0.18:
        return f"<{url(rng, hostile)}>"
    return rng.choice(WORDS)


def line(rng: Random, hostile: float) -> str:
    text = "" if rng.random() < hostile * 2 else rng.choice(WORDS[:13]) + " "
    for _ in range(rng.randint(1, 9)):
        text += token(rng, hostile) + rng.choice([" "] * 8 + ["", ", ", "  "])
    text = text.rstrip(" ") if rng.random() > hostile * 2 else text
    roll = rng.random()
    if roll < 0.15:
        return rng.choice(["- ", "## ", "# "]) + text
    if roll < 0.15 + hostile * 3:
        return rng.choice(PREFIXES) + text
    return text


def generated_bodies(seed: int, count: int, hostile: float) -> list[str]:
    rng = Random(seed)
    bodies = []
    for _ in range(count):
        body = ""
        for _ in range(rng.randint(1, 5)):
            text = line(rng, hostile)
            if text[:1] in ("#", "-") and rng.random() > hostile:  # a heading or item: its own block
                body = body.rstrip("\n") + ("\n\n" if body else "")
                text += "\n\n"
            odd = rng.random() < hostile * 2
            body += text + rng.choice(["\n\n\n", "\n \n", " \n"] if odd else ["\n", "\n\n"])
        bodies.append(rng.choice(["", "\n"]) + (body if rng.random() < 0.5 else body.rstrip("\n")))
    return bodies


def test_the_plain_subset_renders_as_python_markdown_does() -> None:
    bodies = generated_bodies(seed=7, count=1000, hostile=0.02)
    assert assert_same_where_accepted(bodies) > 600


def test_hostile_pieces_fall_back_to_markdown() -> None:
    bodies = generated_bodies(seed=8, count=1000, hostile=0.08)
    assert assert_same_where_accepted(bodies) > 100
    for piece in HOSTILE:
        assert simple_html(f"Some text {piece} here") is None, piece
    for prefix in PREFIXES[1:]:  # "- " starts a list, which the subset has
        escaped = prefix.startswith("\\")
        assert (simple_html(f"Line\n{prefix}text") is None) is not escaped, prefix
    for odd in ODD_URLS:
        assert simple_html(f"a [link]({odd}) b") is None and simple_html(f"a <{odd}> b") is None, odd


def test_exact_html_of_the_subset() -> None:
    body = ("Intro with [a link](https://example.com/a_b?x=1&y=2) & <https://e.co.uk/q> \\> it\n"
            "second line\n\n## A heading\n\n- one [@x\\_y](https://twitter.com/x_y)\n- two\n")
    assert simple_html(body) == (
        '<p>Intro with <a href="https://example.com/a_b?x=1&amp;y=2">a link</a> &amp; '
        '<a href="https://e.co.uk/q">https://e.co.uk/q</a> &gt; it\nsecond line</p>\n'
        '<h2>A heading</h2>\n<ul>\n<li>one <a href="https://twitter.com/x_y">@x_y</a></li>\n'
        '<li>two</li>\n</ul>')
    assert simple_html("a\nb", tweet=True) == "<p>a<br>\nb</p>"
    assert simple_html("\n\n") == "" and simple_html("") == ""
    assert simple_html("- a\n\n- b") is None  # a loose list: <li><p>


def tweet_text(rng: Random) -> tuple[str, list[Link]]:
    pieces = ["hello", "world", "@someone", "@a_b", "#Tea", "#tag_x", "https://example.com/a_b?x=1&y=2",
              "http://t.co/abc", "<3", "a & b", "AT&T", "*", "_", "1. ", "\n", "\n\n", "> ", "¡hola!",
              "日本語", "🎉", "don’t", "(x)", "[y]", "`c`", "#1", "&amp;", "e.com", "—", "…", "'q'"]
    text = " ".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))
    return text, [Link("http://t.co/abc", "https://example.org/long_path/x?q=1", "example.org/long_path…")]


def test_tweets_written_by_the_importer() -> None:
    rng = Random(3)
    bodies = [render_tweet_text(*tweet_text(rng)).body for _ in range(800)]
    assert assert_same_where_accepted(bodies) > 2 * 600


def test_real_archives_and_demo_content(shared_fixtures: Path) -> None:
    bodies = []
    for archive in sorted((shared_fixtures / "twitter-legacy").iterdir()) + sorted(
            (shared_fixtures / "twitter-modern").iterdir()):
        context = ImportContext(timezone=timezone.utc)
        bodies += [item.entry.body for item in TwitterImporter().read(str(archive), context)]
    files = sorted((REPO / "content").rglob("*.md"))
    bodies += [frontmatter.loads(path.read_text("utf-8"), path.name).body for path in files]
    assert len(bodies) > 1250
    assert assert_same_where_accepted(bodies) > 2 * 1200


@pytest.mark.parametrize("source", ["", "twitter"])
def test_render_body_uses_it_for_posts_and_tweets(source: str) -> None:
    when = datetime(2020, 1, 1, tzinfo=timezone.utc)
    for kind, body in [("post", "Para [x](https://e.com/).\n\n## H\n\n- a\n- b\n"),
                       ("tweet", "Hi [@bob](https://twitter.com/bob) <https://e.com/x?a=1&b=2>\nbye"),
                       ("post", "Has *emphasis* and `code`.")]:
        entry = Entry(kind=kind, date=when, body=body, source=source)
        assert render_body(entry) == render_markdown(body, tweet=kind == "tweet", sanitize=bool(source))
