"""An export whose addresses cannot be parsed (a malformed IPv6 host, ``http://[bad/``, in the
blog URL, an item's link, a comment author's site, links and images in the body) imports
every item; the unreadable addresses are dropped, never written, and nothing crashes."""

from __future__ import annotations

from pathlib import Path

import pytest

from archiver.importers import join_url, split_url, web_url

BAD = "http://[bad/"

WXR = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:wp="http://wordpress.org/export/1.2/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Blog</title><link>{BAD}</link><wp:wxr_version>1.2</wp:wxr_version>
<wp:base_blog_url>{BAD}</wp:base_blog_url>
<item><title>Hello</title><link>{BAD}2010/01/hello/</link>
<content:encoded><![CDATA[Hi <a href="{BAD}x">there</a> <img src="{BAD}y.jpg">]]></content:encoded>
<wp:post_id>1</wp:post_id><wp:post_date_gmt>2010-01-01 10:00:00</wp:post_date_gmt>
<wp:post_name>hello</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
<wp:comment><wp:comment_id>5</wp:comment_id><wp:comment_author>Bob</wp:comment_author>
<wp:comment_author_url>{BAD}</wp:comment_author_url>
<wp:comment_date_gmt>2010-01-02 10:00:00</wp:comment_date_gmt>
<wp:comment_content>Nice</wp:comment_content><wp:comment_approved>1</wp:comment_approved>
</wp:comment></item>
<item><title>pic</title><link>{BAD}pic</link><wp:post_id>2</wp:post_id>
<wp:post_date_gmt>2010-01-01 10:00:00</wp:post_date_gmt><wp:status>inherit</wp:status>
<wp:post_type>attachment</wp:post_type><wp:post_parent>1</wp:post_parent>
<wp:attachment_url>{BAD}y.jpg</wp:attachment_url></item>
</channel></rss>
"""

BLOGGER = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:thr="http://purl.org/syndication/thread/1.0">
<id>tag:blogger.com,1999:blog-1</id><title>B</title><link rel="alternate" href="{BAD}"/>
<generator>Blogger</generator>
<entry><id>tag:blogger.com,1999:blog-1.post-2</id>
<category scheme="http://schemas.google.com/g/2005#kind" term="http://schemas.google.com/blogger/2008/kind#post"/>
<published>2011-01-01T10:00:00Z</published><updated>2011-01-01T10:00:00Z</updated><title>P</title>
<content type="html">&lt;a href="{BAD}z"&gt;zed&lt;/a&gt;</content>
<link rel="alternate" href="{BAD}2011/01/p.html"/><author><name>me</name></author></entry>
<entry><id>tag:blogger.com,1999:blog-1.post-3</id>
<category scheme="http://schemas.google.com/g/2005#kind" term="http://schemas.google.com/blogger/2008/kind#comment"/>
<published>2011-01-02T10:00:00Z</published><updated>2011-01-02T10:00:00Z</updated><title>c</title>
<content type="html">hi</content><author><name>x</name><uri>{BAD}</uri></author>
<thr:in-reply-to ref="tag:blogger.com,1999:blog-1.post-2" href="{BAD}2011/01/p.html"/></entry>
</feed>
"""


def test_the_shared_url_helpers_drop_what_they_cannot_read() -> None:
    assert split_url(BAD).scheme == "" and split_url(BAD).path == ""
    assert split_url("https://example.com/a?b=1").path == "/a"
    assert web_url(BAD) == ""
    assert web_url(" https://example.com/ ") == "https://example.com/"
    assert web_url("javascript:alert(1)") == ""
    assert join_url(BAD, "/x") == ""


@pytest.mark.parametrize(("importer", "export", "written"), [
    ("wordpress", WXR, {
        "posts/2010/hello.md": "---\ntitle: Hello\ndate: 2010-01-01T10:00:00+00:00\n"
        "source: wordpress\nsource_id: wordpress/1\naliases:\n- /?p=1\nslug: hello\ncomments:\n- author: Bob\n"
        "  date: 2010-01-02T10:00:00+00:00\n  kind: comment\n  id: '5'\n  body: Nice\n---\n"
        "Hi there"}),
    ("blogger", BLOGGER, {
        "posts/2011/p.md": "---\ntitle: P\ndate: 2011-01-01T10:00:00+00:00\nsource: blogger\n"
        "source_id: tag:blogger.com,1999:blog-1.post-2\nslug: p\ncomments:\n- author: x\n"
        "  date: 2011-01-02T10:00:00+00:00\n  kind: comment\n  id: '3'\n  body: hi\n---\nzed"}),
])
def test_an_export_full_of_unreadable_addresses_imports_every_item(
        site: Path, run_cli, importer: str, export: str, written: dict[str, str]) -> None:
    source = site / "export.xml"
    source.write_text(export, "utf-8")
    result = run_cli("import", importer, source, site=site)
    assert result.exit_code == 0, result.output
    assert " imported        1 " in result.output
    files = {str(p.relative_to(site / "content")): p.read_text("utf-8")
             for p in (site / "content").rglob("*.md")}
    assert files == written
    assert "[bad" not in "".join(files.values())
