"""Nothing private reaches public/: every built file (search index included) is scanned.

The site holds published items next to drafts, private and deleted items (with their own
tags, aliases, media and comments), a deleted tweet inside a thread and quoted by a published
one, and front matter carrying emails, IP addresses and spam-like values a careless import
might have kept. Each private value is a unique marker; none may appear in any file under
public/ — also not inside compressed files (the search index is gzip), not lower-cased (slugs).
"""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

import pytest

from archiver.build.pipeline import build
from archiver.config import load_config
from sitegen import write

PRIVATE = [
    # drafts, private and deleted items: every field
    "zqdrafttitle", "zqdraftbody", "zqdrafttag", "zqdraftslug", "zqdraftalias", "zqdraftphoto",
    "zqdraftcomment", "zqdraftcommenter", "zqprivatetitle", "zqprivatebody", "zqprivatetag",
    "zqdeletedtweet", "zqdeletedtag", "zqdeletedphoto", "zqprivatepage", "zqpendingpage",
    # contact data and spam-like values kept in front matter by a careless import
    "zqsecret@example.com", "zqcommenter@example.org", "203.0.113.77", "198.51.100.23",
    "2001:db8::77", "zqspamcomment", "zqviagra-spam.example", "zqfollowersonly",
]
PUBLIC = ["Published post", "Public tweet one", "Public reply", "A visible comment"]

FILES = {
    "posts/2012/published.md": """---
title: Published post
date: 2012-05-01T10:00:00+00:00
tags: [visible]
source: wordpress
source_id: "1"
author_email: zqsecret@example.com
author_ip: 203.0.113.77
comments:
- {author: Ann, body: A visible comment, date: 2012-05-02T10:00:00+00:00, email: zqcommenter@example.org, ip: 198.51.100.23}
spam_comments:
- {author: zqspamcomment, url: 'http://zqviagra-spam.example/', body: buy, ip: '2001:db8::77'}
visibility: zqfollowersonly
---
Published body text.
""",
    "posts/2012/draft.md": """---
title: zqdrafttitle
date: 2012-05-03T10:00:00+00:00
tags: [zqdrafttag, visible]
slug: zqdraftslug
aliases: [/old/zqdraftalias.html]
status: draft
source: wordpress
source_id: "2"
media: [{path: media/posts/zqdraftphoto.png, alt: a photo}]
comments:
- {author: zqdraftcommenter, body: zqdraftcomment, date: 2012-05-04T10:00:00+00:00}
---
zqdraftbody and more words zqdraftbody.
""",
    "posts/2012/private.md": """---
title: zqprivatetitle
date: 2012-05-05T10:00:00+00:00
tags: [zqprivatetag]
status: private
source: wordpress
source_id: "3"
---
zqprivatebody
""",
    "pages/private-page.md": """---
title: zqprivatepage
date: 2012-01-01T00:00:00+00:00
status: private
---
About zqprivatepage.
""",
    "pages/pending.md": """---
title: zqpendingpage
date: 2012-01-01T00:00:00+00:00
status: draft
---
Not yet.
""",
    "tweets/2012/05/100.md": """---
date: 2012-05-06T10:00:00+00:00
source: twitter
source_id: "100"
---
Public tweet one
""",
    "tweets/2012/05/101.md": """---
date: 2012-05-06T11:00:00+00:00
source: twitter
source_id: "101"
tags: [zqdeletedtag]
status: deleted
reply_to: {id: "100", user: me}
media: [{path: media/tweets/zqdeletedphoto.jpg, type: image}]
---
zqdeletedtweet
""",
    "tweets/2012/05/102.md": """---
date: 2012-05-06T12:00:00+00:00
source: twitter
source_id: "102"
reply_to: {id: "101", user: me}
quote_of: {id: "101", user: me}
---
Public reply
""",
}


def readable(data: bytes) -> bytes:
    """The file's bytes, and the bytes inside when it is gzip or zlib compressed."""
    for opener in (gzip.decompress, zlib.decompress):
        try:
            return data + b"\n" + opener(data)
        except (OSError, zlib.error, EOFError):
            continue
    return data


@pytest.fixture(scope="module")
def public(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from archiver.scaffold import create_site

    root = tmp_path_factory.mktemp("privacy") / "site"
    create_site(root, title="Privacy", author="Owner")
    for rel, text in FILES.items():
        write(root, rel, text)
    for media in ("posts/zqdraftphoto.png", "tweets/zqdeletedphoto.jpg"):
        path = root / "content/media" / media
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"\x89PNG private")
    build(load_config(root))  # with search: the index is scanned too
    return root / "public"


def test_no_private_value_in_any_built_file(public: Path) -> None:
    files = [p for p in public.rglob("*") if p.is_file()]
    assert len(files) > 20
    leaks = []
    for path in files:
        data = readable(path.read_bytes()).lower()
        name = path.relative_to(public).as_posix().lower().encode()
        for marker in PRIVATE:
            needle = marker.lower().encode()
            if needle in data or needle in name:
                leaks.append(f"{marker} in {path.relative_to(public)}")
    assert leaks == []


def test_the_public_items_are_there(public: Path) -> None:
    text = b"".join(readable(p.read_bytes()) for p in public.rglob("*.html")).decode("utf-8", "replace")
    for value in PUBLIC:
        assert value in text, value
    assert (public / "tweets/100/index.html").is_file()
    assert (public / "tweets/102/index.html").is_file()
    assert not (public / "tweets/101").exists()
    assert not (public / "tags/zqdrafttag").exists() and (public / "tags/visible/index.html").is_file()


def test_search_index_was_built_and_scanned(public: Path) -> None:
    """The scan above covered the search index (pagefind), not an empty folder."""
    index = [p for p in (public / "pagefind").rglob("*") if p.is_file()] if (public / "pagefind").is_dir() else []
    if not index:
        pytest.skip("the search index is not built in this build (search disabled or pagefind absent)")
    fragments = b"".join(readable(p.read_bytes()) for p in index)
    assert b"Published body text" in fragments
