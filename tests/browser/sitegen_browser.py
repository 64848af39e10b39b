"""A small but complete site for the browser tests, written from scratch into a folder.

Posts with nested comments and a pingback, a three-tweet thread, a tweet with four real PNG
photos, a retweet, a reply, tags, items in five years (three on 14 March, for "on this day"),
a long unbroken URL and a wide table and code block (for the 375 px check), and a page.
``pagination: 3`` so the home page, a tag page and a month are paginated.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import yaml

# Paths the tests visit (without index.html); kept next to the content that makes them.
POST_WITH_COMMENTS = "/2009/03/a-post-with-comments/"
WIDE_POST = "/2012/03/wide-things/"
THREAD_START = "/tweets/1100/"
PHOTO_TWEET = "/tweets/1200/"
TAG_PAGE = "/tags/baking/"
SEARCH_WORD = "sourdough"  # appears in one post's text only
OLD_HOME_ADDRESS = "/?p=42"  # the old WordPress address of POST_WITH_COMMENTS
OLD_SCRIPT_ADDRESS = "/index.php?p=43"  # and of RYE_POST
RYE_POST = "/2010/03/rye/"


def png_bytes(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A real PNG: a colour fading to dark from top to bottom (RGB, 8 bits, no filter)."""
    rows = []
    for y in range(height):
        shade = 1 - 0.6 * y / max(1, height - 1)
        pixel = bytes(int(c * shade) for c in rgb)
        rows.append(b"\x00" + pixel * width)
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b""))


def _write(root: Path, rel: str, meta: dict, body: str) -> None:
    path = root / "content" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True)
    path.write_text(f"---\n{front}---\n{body}\n", "utf-8")


def _tweet(root: Path, tweet_id: str, date: str, body: str, **meta: object) -> None:
    year, month = date[:4], date[5:7]
    _write(root, f"tweets/{year}/{month}/{tweet_id}.md",
           {"date": date, "source": "twitter", "source_id": tweet_id,
            "url": f"https://twitter.com/tester/status/{tweet_id}", **meta}, body)


def _post(root: Path, rel: str, title: str, date: str, body: str, **meta: object) -> None:
    _write(root, f"posts/{rel}", {"title": title, "date": date, "source": "wordpress",
                                  "source_id": rel, **meta}, body)


def make_site(root: Path) -> Path:
    """Write site.yaml and content/ for the browser tests into ``root``; returns ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "site.yaml").write_text(yaml.safe_dump({
        "title": "Browser test archive", "author": "Tess Tester",
        "description": "Posts and tweets kept for the browser tests.",
        "base_url": "https://example.org/archive/", "language": "en", "timezone": "UTC",
        "pagination": 3,
    }), "utf-8")
    _posts(root)
    _tweets(root)
    _write(root, "pages/about.md", {"title": "About", "date": "2008-01-01T00:00:00+00:00"},
           "I write about baking and the open web.")
    return root


def _posts(root: Path) -> None:
    _post(root, "2009/a-post-with-comments.md", "A post with comments", "2009-03-14T10:00:00+00:00",
          "My first *sourdough* loaf. It rose, slowly.\n\nMore on [baking](/tags/baking/).",
          tags=["Baking", "Bread"], comments=[
              {"author": "Ann", "date": "2009-03-14T12:00:00+00:00", "id": "1",
               "body": "Lovely crumb!"},
              {"author": "Bob", "url": "https://bob.example/", "date": "2009-03-14T13:00:00+00:00",
               "id": "2", "parent": "1", "body": "Agreed, **very** nice."},
              {"author": "Crumbs blog", "url": "https://crumbs.example/p/1", "kind": "pingback",
               "date": "2009-03-15T08:00:00+00:00", "id": "3", "body": "Linked from Crumbs."},
          ], aliases=[OLD_HOME_ADDRESS])
    _post(root, "2010/rye.md", "Rye, again", "2010-03-14T18:30:00+00:00",
          "Rye needs less kneading than wheat.", tags=["baking"], aliases=[OLD_SCRIPT_ADDRESS])
    _post(root, "2011/the-open-web.md", "The open web", "2011-07-02T09:00:00+00:00",
          "Links are the web's memory.\n\n> Cool URIs don't change.", tags=["Open Web"])
    _post(root, "2012/wide-things.md", "Wide things", "2012-03-14T08:00:00+00:00",
          "A long address: https://example.org/a/very/long/path/that/does/not/break/"
          "anywhere-at-all-because-it-has-no-spaces-in-it-whatsoever-0123456789\n\n"
          "| Year | Loaves | Flour | Water | Salt | Starter | Notes about the bake |\n"
          "|---|---|---|---|---|---|---|\n"
          "| 2009 | 12 | 6 kg | 4.2 kg | 120 g | 1.2 kg | slow rise in a cold kitchen all winter |\n\n"
          "    a_long_line_of_code = compute_the_hydration(flour_grams=1000, water_grams=700, salt=20)\n",
          tags=["baking", "tables"])


def _tweets(root: Path) -> None:
    for position, (tweet_id, day) in enumerate((("1100", "10"), ("1101", "10"), ("1102", "11"))):
        reply = {"reply_to": {"id": str(int(tweet_id) - 1), "user": "tester"}} if position else {}
        _tweet(root, tweet_id, f"2011-05-{day}T2{position}:00:00+00:00",
               f"Thread about starters, part {position + 1} of 3.", **reply,
               **({"tags": ["baking"]} if not position else {}))
    colours = [(200, 60, 40), (40, 140, 70), (40, 80, 190), (210, 170, 30)]
    media = []
    for index, colour in enumerate(colours, start=1):
        rel = f"media/tweets/2013/1200-{index}.png"
        path = root / "content" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(png_bytes(120, 90, colour))
        media.append({"path": rel, "alt": f"Loaf number {index} on the bench", "type": "image"}
                     if index != 4 else {"path": rel, "type": "image"})  # one without alt text
    _tweet(root, "1200", "2013-03-14T07:15:00+00:00", "Four loaves from one batch #baking",
           media=media, tags=["baking"])
    _tweet(root, "1300", "2010-09-01T12:00:00+00:00", "Reading about the history of bread.",
           kind="retweet", retweet_of={"id": "999", "user": "breadhistory"})
    _tweet(root, "1301", "2010-09-02T12:00:00+00:00", "@someone Yes, a cold oven works too.",
           reply_to={"id": "998", "user": "someone"})
    _tweet(root, "1302", "2008-03-14T20:00:00+00:00", "Hello, world. My first tweet.")
    _tweet(root, "1303", "2012-11-05T09:00:00+00:00", "Flour on everything. #baking",
           tags=["baking"])
