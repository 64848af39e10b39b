"""Write small sites for tests: a few posts, tweets (with a thread), a page, hidden items."""

from __future__ import annotations

from pathlib import Path

POST = """---
title: {title}
date: {date}
tags: [{tags}]
source: wordpress
source_id: "{sid}"
{extra}---
{body}
"""

TWEET = """---
date: {date}
source: twitter
source_id: "{sid}"
{extra}---
{body}
"""


def write(root: Path, rel: str, text: str) -> Path:
    path = root / "content" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


def small_site(root: Path) -> Path:
    """Two posts, four tweets (three in a thread), one page, a draft, a deleted tweet, media."""
    write(root, "posts/2009/first-post.md", POST.format(
        title="First post", date="2009-03-01T10:00:00+00:00", tags="Open Web, baking", sid="1",
        extra='aliases: ["/2009/03/first-post.html", "/?p=1"]\n'
              "comments:\n- {author: Ann, date: 2009-03-02T10:00:00+00:00, id: '1', body: Lovely}\n"
              "- {author: Bob, url: 'http://bob.example/', date: 2009-03-02T11:00:00+00:00, id: '2', parent: '1', body: Indeed}\n",
        body="Hello *world*. See [the tag](/tags/baking/)."))
    write(root, "posts/2010/second-post.md", POST.format(
        title="Second post", date="2010-12-14T21:00:00+00:00", tags="open web", sid="2",
        extra="media: [{path: media/posts/2010/pic.png, alt: A picture, type: image}]\n",
        body="![A picture](/media/posts/2010/pic.png)"))
    write(root, "posts/2011/secret.md", POST.format(
        title="Secret draft", date="2011-01-01T00:00:00+00:00", tags="hidden-tag", sid="3",
        extra="status: draft\nmedia: [{path: media/posts/2011/secret.png, type: image}]\n",
        body="DRAFT-SECRET-TEXT"))
    for i, day in enumerate(("11", "12", "13"), start=1):
        extra = f'reply_to: {{id: "10{i - 1}", user: me}}\n' if i > 1 else "tags: [threads]\n"
        write(root, f"tweets/2010/12/10{i}.md", TWEET.format(
            date=f"2010-12-{day}T09:00:00+00:00", sid=f"10{i}", extra=extra, body=f"Thread part {i}"))
    write(root, "tweets/2010/12/200.md", TWEET.format(
        date="2010-12-31T23:30:00+00:00", sid="200", extra="", body="New year's eve & <3"))
    write(root, "tweets/2010/12/300.md", TWEET.format(
        date="2010-12-20T09:00:00+00:00", sid="300",
        extra="status: deleted\nmedia: [{path: media/tweets/2010/300-x.png, type: image}]\n",
        body="DELETED-SECRET-TWEET"))
    write(root, "pages/about.md", "---\ntitle: About\ndate: 2009-01-01T00:00:00+00:00\n---\nAbout me.\n")
    for media in ("posts/2010/pic.png", "posts/2011/secret.png", "tweets/2010/300-x.png"):
        path = root / "content/media" / media
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"\x89PNG fake " + media.encode())
    return root
