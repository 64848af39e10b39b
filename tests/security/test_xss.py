"""88 XSS payloads in every field an item has: nothing in the built site can run.

Each payload from ``payloads.txt`` goes into an imported post (title, body, tags, slug, url,
aliases, comment author/url/body, media alt), an imported tweet (text, reply/quote/retweet
user and URL) and a post the owner wrote (no ``source``: every field but the trusted body). The site is built and ``scan.py`` checks every HTML page and feed for scripts,
event handlers, ``style``, dangerous URL schemes (``javascript:``, ``data:``, ``vbscript:``)
and protocol-relative media.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml

from archiver import frontmatter
from archiver.build.markup import neutralize_urls, render_markdown, safe_url
from archiver.build.pipeline import build
from archiver.config import load_config
from archiver.model import Comment, Entry, Media
from archiver.store import Store
from security.scan import scan_output, theme_scripts, unsafe_markup

PAYLOADS = [line for line in (Path(__file__).parent / "payloads.txt").read_text("utf-8").splitlines()
            if line and not line.startswith("#")]
START = datetime(2011, 1, 1, 12, 0, tzinfo=timezone.utc)


def write_entry(site: Path, entry: Entry, rel: str = "") -> None:
    rel = rel or Store(site).path_for(entry)
    target = site / "content" / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(frontmatter.dumps(entry.with_changes(path=rel)), "utf-8")


def hostile_post(number: int, payload: str, source: str = "wordpress") -> Entry:
    return Entry(
        kind="post", date=START + timedelta(hours=number), title=payload,
        body=f"{payload}\n\nSafe text {number}.\n\n{payload}", tags=(payload, "safe"),
        source=source, source_id=f"p{number}" if source else "", slug=payload, url=payload,
        aliases=(payload, f"/old/{payload}"),
        media=(Media(path="media/posts/pic.png", alt=payload),),
        comments=(Comment(author=payload, url=payload, body=payload, id=f"c{number}",
                          date=START),
                  Comment(author="Reply", body=f"> {payload}", id=f"r{number}", parent=f"c{number}",
                          kind="pingback", url="http://ok.example/")),
    )


def hostile_tweet(number: int, payload: str) -> Entry:
    return Entry(
        kind="retweet" if number % 2 else "tweet", date=START + timedelta(hours=number, minutes=30),
        body=payload, tags=(payload,), source="twitter", source_id=str(9000 + number), url=payload,
        reply_to={"id": payload, "user": payload},
        quote_of={"id": payload, "user": payload, "url": payload},
        retweet_of={"id": payload, "user": payload, "url": payload},
        media=(Media(path="media/tweets/pic.png", alt=payload, type=("image", "video", "gif")[number % 3]),),
    )


def hostile_site(site: Path, source: str = "wordpress") -> Path:
    config = yaml.safe_load((site / "site.yaml").read_text("utf-8"))
    config.update(title=PAYLOADS[0], description=PAYLOADS[7], author=PAYLOADS[2])
    (site / "site.yaml").write_text(yaml.safe_dump(config), "utf-8")
    for number, payload in enumerate(PAYLOADS):
        write_entry(site, hostile_post(number, payload, source))
        write_entry(site, hostile_tweet(number, payload))
        # the owner's own file (no source): the body is trusted, every other field is not
        owner = hostile_post(number, payload, source="").with_changes(
            body=f"Plain body {number}.", date=START + timedelta(days=400, hours=number))
        write_entry(site, owner, f"posts/2012/owner-{number}.md")
    for folder in ("posts", "tweets"):
        media = site / "content" / "media" / folder / "pic.png"
        media.parent.mkdir(parents=True, exist_ok=True)
        media.write_bytes(b"\x89PNG test")
    return site


def test_payload_list_is_large_and_unique() -> None:
    assert len(PAYLOADS) == 88
    assert len(set(PAYLOADS)) == len(PAYLOADS)


def test_every_payload_is_caught_by_the_scanner_when_unsanitised() -> None:
    """The scanner is not blind: raw payload HTML is flagged (all but the inert text forms)."""
    inert = {p for p in PAYLOADS if not unsafe_markup(render_markdown(p, sanitize=False))}
    assert len(PAYLOADS) - len(inert) >= 60


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from archiver.scaffold import create_site

    site = tmp_path_factory.mktemp("xss") / "site"
    create_site(site, title="x")
    hostile_site(site)
    build(load_config(site))
    return site / "public"


def test_nothing_executable_in_the_built_site(hostile_build: Path) -> None:
    assert scan_output(hostile_build) == []


def test_every_hostile_item_was_built(hostile_build: Path) -> None:
    tweets = [p for p in (hostile_build / "tweets").iterdir() if (p / "index.html").is_file()]
    assert len(tweets) == len(PAYLOADS)
    owner_posts = [p for p in (hostile_build / "2012").glob("*/*/index.html")]
    assert len(owner_posts) == len(PAYLOADS)
    page = (hostile_build / "tweets/9000/index.html").read_text("utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # shown as text, not run


def test_no_dangerous_scheme_anywhere_in_attributes(hostile_build: Path) -> None:
    for path in hostile_build.rglob("*.html"):
        text = path.read_text("utf-8").lower()
        for needle in ('href="javascript:', 'src="javascript:', 'href="data:', 'src="data:',
                       'href="vbscript:', 'src="//', 'href="//'):
            assert needle not in text, f"{needle} in {path.relative_to(hostile_build)}"


@pytest.mark.parametrize("url, expected", [
    ("http://example.org/a?b=1", "http://example.org/a?b=1"),
    ("https://example.org/", "https://example.org/"),
    ("mailto:me@example.org", "mailto:me@example.org"),
    ("/2010/12/post/", "/2010/12/post/"),
    ("relative/path", "relative/path"),
    ("#top", "#top"),
    ("javascript:alert(1)", ""),
    (" JavaScript:alert(1)", ""),
    ("java\tscript:alert(1)", ""),
    ("java\x00script:alert(1)", ""),
    ("data:text/html,x", ""),
    ("vbscript:x", ""),
    ("//evil.example/x", "https://evil.example/x"),
    (" //evil.example/x", "https://evil.example/x"),
    ("/\\evil.example/x", ""),
    ("\\\\evil.example\\x", ""),
    ("", ""),
])
def test_safe_url(url: str, expected: str) -> None:
    assert safe_url(url) == expected


def test_scanner_trusts_only_the_themes_own_scripts(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text("<p>x</p>\n<script>\n  var names = {{ names | tojson }};\n"
                                        "  show(names);\n</script>\n", "utf-8")
    trusted = theme_scripts(tmp_path)
    assert unsafe_markup('<script>var names = ["Jan", "Feb"]; show(names);</script>', trusted) == []
    assert unsafe_markup('<script src="../../static/search.js"></script>', trusted) == []
    assert unsafe_markup('<script type="application/json">{"a": [1]}</script>', trusted) == []
    for hostile in ('<script>var names = 1; show(names); alert(1)</script>',
                    '<script>alert(1)</script>',
                    '<script src="https://cdn.example/x.js"></script>',
                    '<script src="../../../../elsewhere/static/x.js"></script>',
                    '<script src="//cdn.example/static/x.js"></script>',
                    '<script type="application/json">{"a": </script>'):
        assert len(unsafe_markup(hostile, trusted)) == 1, hostile


def test_page_level_net_empties_only_unsafe_urls() -> None:
    page = ('<a href="javascript:x">a</a><a href="HTTPS://x">b</a><a href="//e.x/y">c</a>'
            '<a href="/\\e.x">d</a><a href="index.html">e</a><img src="data:x"><a href="/ok/">f</a>'
            '<a href="../ok">g</a><a href="jav&#x09;ascript:1">i</a><p title="javascript:x">t</p>')
    assert neutralize_urls(page) == (
        '<a href="">a</a><a href="HTTPS://x">b</a><a href="https://e.x/y">c</a>'
        '<a href="">d</a><a href="index.html">e</a><img src=""><a href="/ok/">f</a>'
        '<a href="../ok">g</a><a href="">i</a><p title="javascript:x">t</p>')
