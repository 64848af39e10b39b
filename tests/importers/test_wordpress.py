"""``archiver import wordpress`` end to end on tests/data/wordpress/blog.xml.

The fixture's media URLs point at ``MEDIA_SERVER``, replaced by a server this test starts on
127.0.0.1. It holds wpautop text, a [caption], a [gallery] of two attachments, [embed],
[youtube=...], an unknown enclosing shortcode, [code], threaded comments, a pingback, a
trackback answering a trashed comment, spam/pending/trash comments with emails and IPs, a
draft with a zero GMT date, a private post, a password-protected post, a trashed post, a page,
a menu item, custom CSS and a contact-form message.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from leak_scan import leaks, private_values_of_wxr
from media_server import PNG, LocalServer

from archiver import frontmatter
from archiver.config import load_config
from archiver.importers.wordpress import WordPressImporter
from archiver.importing import run_import
from archiver.model import Comment, Media

DATA = Path(__file__).resolve().parent.parent / "data" / "wordpress"
PDF = b"%PDF-1.4 route"
BERLIN = timezone(timedelta(hours=1))
PRIVATE_TEXT = ["BUY PILLS", "PENDING-TEXT", "TRASHED-TEXT", "FEEDBACK-TEXT", "hunter2",
                "Cheap Pills", "Waiting Walter", "Trashy Tom", "body { color: red }"]
UNPUBLISHED_TEXT = ["DRAFT-SECRET-TEXT", "PRIVATE-SECRET-TEXT", "PASSWORD-SECRET-TEXT",
                    "TRASHED-POST-TEXT"]


@pytest.fixture
def media_server():
    routes = {
        "/uploads/2010/07/pier.png": (200, {"Content-Type": "image/png"}, PNG),
        "/uploads/2010/07/boat.png": (200, {"Content-Type": "image/png"}, PNG + b"boat"),
        "/files/route.pdf": (200, {"Content-Type": "application/pdf"}, PDF),
    }
    with LocalServer(routes) as server:
        yield server


@pytest.fixture
def blog_xml(tmp_path: Path, media_server: LocalServer) -> Path:
    path = tmp_path / "blog.xml"
    text = (DATA / "blog.xml").read_text("utf-8").replace("MEDIA_SERVER", media_server.base)
    path.write_text(text, "utf-8")
    return path


@pytest.fixture
def berlin_site(site: Path) -> Path:
    settings = site / "site.yaml"
    settings.write_text(settings.read_text("utf-8").replace("timezone: UTC",
                                                            "timezone: Europe/Berlin"))
    return site


def content_files(site: Path) -> list[str]:
    content = site / "content"
    return sorted(p.relative_to(content).as_posix() for p in content.rglob("*") if p.is_file())


def load(site: Path, rel: str):
    return frontmatter.loads((site / "content" / rel).read_text("utf-8"), rel)


SUMMER_BODY = """We went swimming every day.  
The water was cold.

<figure markdown="1">
[![A wooden pier](/media/wordpress/2010/summer-at-the-lake/pier.png "pier")](/media/wordpress/2010/summer-at-the-lake/pier.png)
<figcaption markdown="span">The pier at dawn</figcaption>
</figure>

Here is the [sic] list I promised, and how to write [gallery] in WordPress:

- towels
- sun cream

<figure markdown="1">
![pier](/media/wordpress/2010/summer-at-the-lake/pier.png)
<figcaption markdown="span">The pier at dawn</figcaption>
</figure>

![boat](/media/wordpress/2010/summer-at-the-lake/boat.png)

<http://vimeo.com/12345>

<http://www.youtube.com/watch?v=dQw4w9WgXcQ&w=425&h=350>

Cold water is good for you.

```python
if depth < 2: swim()
```

Our route: [route.pdf](/media/wordpress/2010/summer-at-the-lake/route.pdf)"""  # noqa: W291


def test_import_writes_posts_pages_comments_and_media(berlin_site: Path, blog_xml: Path,
                                                       media_server: LocalServer,
                                                       run_cli) -> None:
    result = run_cli("import", "wordpress", blog_xml, site=berlin_site)
    assert result.exit_code == 0, result.output
    assert content_files(berlin_site) == [
        "media/wordpress/2010/summer-at-the-lake/boat.png",
        "media/wordpress/2010/summer-at-the-lake/pier.png",
        "media/wordpress/2010/summer-at-the-lake/route.pdf",
        "pages/about.md",
        "posts/2010/summer-at-the-lake.md",
        "posts/2011/deleted-musings.md",
        "posts/2011/half-written-thoughts.md",
        "posts/2011/members-only.md",
        "posts/2011/only-for-me.md",
    ]
    media = berlin_site / "content" / "media" / "wordpress" / "2010" / "summer-at-the-lake"
    assert (media / "pier.png").read_bytes() == PNG
    assert (media / "route.pdf").read_bytes() == PDF
    assert sorted(path for path, _ in media_server.requests) == [
        "/files/route.pdf", "/uploads/2010/07/boat.png", "/uploads/2010/07/pier.png"]

    summer = load(berlin_site, "posts/2010/summer-at-the-lake.md")
    assert summer.title == "Summer at the lake"
    assert summer.date == datetime(2010, 7, 10, 18, 30, tzinfo=timezone.utc)
    assert summer.status == "published"
    assert summer.tags == ("Open Web", "Swimming")
    assert summer.source == "wordpress" and summer.source_id == "lake.example.org/blog/10"
    assert summer.url == "http://lake.example.org/blog/2010/07/summer-at-the-lake/"
    assert summer.aliases == ("/blog/2010/07/summer-at-the-lake/", "/blog/?p=10")
    assert summer.slug == "summer-at-the-lake"
    assert summer.media == (Media("media/wordpress/2010/summer-at-the-lake/pier.png", "pier"),)
    assert summer.body == SUMMER_BODY
    utc = timezone.utc
    assert summer.comments == (
        Comment("Ann Reader", "Lovely!  \nWhich lake is it?", datetime(2010, 7, 11, 7, 15,
                tzinfo=utc), "http://ann.example.net/", "comment", "101", ""),
        Comment("Owner", "Lake Tahoe. Map", datetime(2010, 7, 11, 8, 0, tzinfo=utc),
                "http://lake.example.org/blog", "comment", "102", "101"),
        Comment("[email hidden]", "Thanks! Write me at [email hidden]",
                datetime(2010, 7, 11, 9, 0, tzinfo=utc), "", "comment", "103", "102"),
        Comment("Swim Club", "[…] a great post about summer at the lake […]",
                datetime(2010, 7, 12, 10, 0, tzinfo=utc),
                "http://swimclub.example.com/2010/07/links/", "pingback", "104", ""),
        Comment("Reply To Trash", "Replying to a comment that was trashed.",
                datetime(2010, 7, 15, 2, 0, tzinfo=utc), "https://reply.example.net/",
                "pingback", "108", ""),
    )

    draft = load(berlin_site, "posts/2011/half-written-thoughts.md")
    assert (draft.status, draft.date) == ("draft", datetime(2011, 2, 3, 9, 30, tzinfo=BERLIN))
    assert draft.aliases == ("/blog/?p=11",)
    assert [load(berlin_site, f"posts/2011/{name}.md").status
            for name in ("only-for-me", "members-only", "deleted-musings")] == \
        ["private", "private", "deleted"]
    about = load(berlin_site, "pages/about.md")
    assert (about.kind, about.body, about.aliases) == (
        "page", "I write about **lakes**.", ("/blog/about/", "/blog/?page_id=20"))

    output = " ".join(result.output.split())
    assert ("blog.xml: 1 posts published, 1 posts draft, 2 posts private, 1 posts deleted, "
            "1 pages published, 5 comments kept, 3 comments dropped; not posts, left out: "
            "2 attachment, 1 custom_css, 1 feedback, 1 nav_menu_item") in output
    assert "[pullquote] shortcode removed, its text kept: 1 time(s)" in output


def test_nothing_private_reaches_content_or_the_built_site(blog_xml: Path, site: Path,
                                                           run_cli) -> None:
    assert run_cli("import", "wordpress", blog_xml, site=site).exit_code == 0
    assert run_cli("build", site=site).exit_code == 0
    secrets = private_values_of_wxr(blog_xml)
    assert len(secrets) == 13  # 6 distinct emails (commenters, the author) + 7 IPs
    content, public = site / "content", site / "public"
    assert leaks([content, public], [*secrets, *PRIVATE_TEXT,
                                     "bob@mail.example.com", "carol.contact"]) == []
    assert leaks([public], UNPUBLISHED_TEXT) == []
    assert (public / "2010" / "07" / "summer-at-the-lake" / "index.html").is_file()
    assert (public / "blog" / "2010" / "07" / "summer-at-the-lake" / "index.html").is_file()
    assert (public / "media" / "wordpress" / "2010" / "summer-at-the-lake" / "pier.png")\
        .read_bytes() == PNG
    assert not (public / "2011").exists()  # only drafts, private and deleted posts there
    page = (public / "2010" / "07" / "summer-at-the-lake" / "index.html").read_text("utf-8")
    assert "javascript:" not in page and "<script>alert" not in page
    assert '<figcaption>The pier at dawn</figcaption>' in page


def test_no_download_keeps_the_old_urls(blog_xml: Path, site: Path, media_server: LocalServer,
                                        run_cli) -> None:
    result = run_cli("import", "wordpress", "--no-download", blog_xml, site=site)
    assert result.exit_code == 0, result.output
    assert media_server.requests == []
    assert not (site / "content" / "media").exists()
    summer = load(site, "posts/2010/summer-at-the-lake.md")
    assert f"![boat]({media_server.base}/uploads/2010/07/boat.png)" in summer.body
    assert f"[route.pdf]({media_server.base}/files/route.pdf)" in summer.body
    assert summer.media == ()


def test_reimport_changes_nothing_and_downloads_nothing(blog_xml: Path, site: Path,
                                                       media_server: LocalServer,
                                                       run_cli) -> None:
    assert run_cli("import", "wordpress", blog_xml, site=site).exit_code == 0
    before = {p: (site / "content" / p).read_bytes() for p in content_files(site)}
    again = run_cli("import", "wordpress", blog_xml, site=site)
    assert " unchanged 6 " in " ".join(again.output.split())
    assert {p: (site / "content" / p).read_bytes() for p in content_files(site)} == before
    assert len(media_server.requests) == 3  # the second run found the files in content/


def test_a_failed_download_is_reported_and_the_url_kept(tmp_path: Path, site: Path) -> None:
    with LocalServer({}) as empty:
        path = tmp_path / "blog.xml"
        path.write_text((DATA / "blog.xml").read_text("utf-8").replace("MEDIA_SERVER",
                                                                        empty.base))
        report = run_import(load_config(site), WordPressImporter(), [str(path)])
    summer = load(site, "posts/2010/summer-at-the-lake.md")
    assert f"![boat]({empty.base}/uploads/2010/07/boat.png)" in summer.body
    failures = [note for note in report.notes if "could not download" in note]
    assert failures == [
        f"{path}: post 10 'Summer at the lake': could not download {empty.base}{file} "
        "(HTTP 404); kept the original URL"
        for file in ("/uploads/2010/07/pier.png", "/uploads/2010/07/boat.png",
                     "/files/route.pdf")]


def test_several_files_in_one_command_share_attachments_and_downloads(
        tmp_path: Path, blog_xml: Path, site: Path, media_server: LocalServer, run_cli) -> None:
    part_two = tmp_path / "blog-part-2.xml"
    part_two.write_text(f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:wp="http://wordpress.org/export/1.0/">
<channel>
  <title>Notes from the Lake</title><link>http://lake.example.org/blog</link>
  <wp:base_blog_url>http://lake.example.org/blog</wp:base_blog_url>
  <item>
    <title>Autumn</title>
    <link>http://lake.example.org/blog/2010/10/autumn/</link>
    <content:encoded><![CDATA[Same pier: <img src="{media_server.base}/uploads/2010/07/pier.png" alt="pier again">
[gallery ids="31"]]]></content:encoded>
    <wp:post_id>50</wp:post_id>
    <wp:post_date>2010-10-01 10:00:00</wp:post_date>
    <wp:post_date_gmt>2010-10-01 08:00:00</wp:post_date_gmt>
    <wp:post_name>autumn</wp:post_name>
    <wp:status>publish</wp:status>
    <wp:post_type>post</wp:post_type>
  </item>
</channel>
</rss>""", "utf-8")
    result = run_cli("import", "wordpress", blog_xml, part_two, site=site)
    assert result.exit_code == 0, result.output
    autumn = load(site, "posts/2010/autumn.md")
    assert autumn.body == ("Same pier: ![pier again](/media/wordpress/2010/summer-at-the-lake/"
                           "pier.png)\n\n![boat](/media/wordpress/2010/summer-at-the-lake/"
                           "boat.png)")
    assert media_server.hits("/uploads/2010/07/pier.png") == 1


def test_broken_xml_is_an_error_with_its_line(site: Path, run_cli) -> None:
    result = run_cli("import", "wordpress", DATA / "broken.xml", site=site)
    assert result.exit_code == 1
    assert "not well-formed XML at line 8, column 4: mismatched tag" in result.output
    assert "Traceback" not in result.output
    assert content_files(site) == []


def test_a_file_that_is_not_an_export_is_an_error(tmp_path: Path, site: Path, run_cli) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_text('<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"></feed>')
    result = run_cli("import", "wordpress", feed, site=site)
    assert result.exit_code == 1
    assert "not a WordPress export (root element <feed>, expected <rss>)" in result.output
    missing = run_cli("import", "wordpress", tmp_path / "nope.xml", site=site)
    assert missing.exit_code == 1 and "no such file" in missing.output


def test_entity_declarations_are_refused(tmp_path: Path, site: Path, run_cli) -> None:
    bomb = tmp_path / "bomb.xml"
    bomb.write_text('<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaa">]>'
                    "<rss><channel><title>&a;</title></channel></rss>")
    result = run_cli("import", "wordpress", bomb, site=site)
    assert result.exit_code == 1
    assert "refusing unsafe XML (EntitiesForbidden)" in result.output


HOSTILE = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Hostile</title><link>http://evil.example.org</link>
<item>
  <title><![CDATA[<script>alert("title")</script>Evil]]></title>
  <link>http://evil.example.org/2012/01/evil/</link>
  <content:encoded><![CDATA[<p>Hi<script>alert(1)</script></p>
<p><iframe src="javascript:alert(2)"></iframe><svg onload="alert(3)"></svg>
<a href="jav&#x09;ascript:alert(4)">x</a> <img src="x.png" onerror="alert(5)"></p>
[caption caption='<img src=x onerror=alert(6)>']<img src="javascript:alert(7)">[/caption]
[embed]javascript:alert(8)[/embed] [gallery ids="9"]
<style>body{display:none}</style><form action="http://evil.example.org"><input></form>]]></content:encoded>
  <wp:post_id>1</wp:post_id>
  <wp:post_date_gmt>2012-01-01 10:00:00</wp:post_date_gmt>
  <wp:post_name>evil</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
  <wp:comment><wp:comment_id>1</wp:comment_id>
    <wp:comment_author><![CDATA[<b onmouseover="alert(9)">Mallory</b>]]></wp:comment_author>
    <wp:comment_author_url>javascript:alert(10)</wp:comment_author_url>
    <wp:comment_date_gmt>2012-01-02 10:00:00</wp:comment_date_gmt>
    <wp:comment_content><![CDATA[<img src=x onerror=alert(11)><a href="javascript:alert(12)">click</a>]]></wp:comment_content>
    <wp:comment_approved>1</wp:comment_approved></wp:comment>
</item>
<item><title>att</title><wp:post_id>9</wp:post_id><wp:post_type>attachment</wp:post_type>
  <wp:attachment_url>javascript:alert(13)</wp:attachment_url></item>
</channel></rss>"""


def test_hostile_export_builds_a_site_with_nothing_that_runs(tmp_path: Path, site: Path,
                                                             run_cli) -> None:
    from security.scan import scan_output, theme_scripts, unsafe_markup

    path = tmp_path / "hostile.xml"
    path.write_text(HOSTILE, "utf-8")
    assert run_cli("import", "wordpress", "--no-download", path, site=site).exit_code == 0
    post = load(site, "posts/2012/evil.md")
    assert post.title == "Evil"  # the script's text goes with it
    assert post.comments[0].author == "Mallory" and post.comments[0].url == ""
    assert "alert(" not in post.body.replace("javascript:alert(8)", "")
    # handlers and javascript: sources go; a caption that was an <img> stays an image of "x";
    # x.png and x, relative images of the post, are made absolute against its old address
    assert post.body == ("Hi\n\nx ![](http://evil.example.org/2012/01/evil/x.png)\n\n"
                         "![](http://evil.example.org/2012/01/evil/x)\n\njavascript:alert(8)\n\natt")
    assert post.comments[0].body == "![](x)click"
    assert run_cli("build", site=site).exit_code == 0
    page = (site / "public" / "2012" / "01" / "evil" / "index.html").read_text("utf-8")
    assert unsafe_markup(page, theme_scripts()) == []
    assert [p for p in scan_output(site / "public") if "feed" in p] == []
    assert "onerror" not in page and "javascript:" not in page.replace(
        "javascript:alert(8)", "")


def test_reimport_keeps_a_post_the_user_edited(blog_xml: Path, site: Path, run_cli) -> None:
    assert run_cli("import", "wordpress", "--no-download", blog_xml, site=site).exit_code == 0
    about = site / "content" / "pages" / "about.md"
    edited = about.read_text("utf-8").replace("I write about", "These days I write about")
    about.write_text(edited, "utf-8")
    again = run_cli("import", "wordpress", "--no-download", blog_xml, site=site)
    assert " kept your edit 1 " in " ".join(again.output.split())
    assert about.read_text("utf-8") == edited
    posts = sorted((site / "content" / "posts").rglob("*.md"))
    commented = next(path for path in posts if "comments:" in path.read_text("utf-8"))
    text = commented.read_text("utf-8")
    start = text.index("comments:")
    end = text.index("\n---\n", start)  # from comments: to the end of the front matter
    commented.write_text(text[:start] + text[end + 1:], "utf-8")
    third = run_cli("import", "wordpress", "--no-download", blog_xml, site=site)
    rel = commented.relative_to(site / "content").as_posix()
    assert f"{rel}: kept your edit, but the import has " in " ".join(third.output.split())


def test_a_wordpress_com_zip_with_split_parts(tmp_path: Path, site: Path) -> None:
    import zipfile

    blog = (DATA / "blog.xml").read_text("utf-8").replace("MEDIA_SERVER", "http://127.0.0.1:9")
    head, _, rest = blog.partition("\t<item>")
    items = ("\t<item>" + rest).rsplit("</channel>", 1)[0]
    attachments = "".join(f"\t<item>{part}" for part in items.split("\t<item>")[1:]
                          if "<wp:post_type><![CDATA[attachment]]>" in part)
    others = "".join(f"\t<item>{part}" for part in items.split("\t<item>")[1:]
                     if "<wp:post_type><![CDATA[attachment]]>" not in part)
    archive = tmp_path / "lake.wordpress.com-2019-03-01.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("lake.wordpress.2019-03-01.001.xml", head + attachments + "</channel></rss>")
        zipped.writestr("lake.wordpress.2019-03-01.002.xml", head + others + "</channel></rss>")
        zipped.writestr("../outside.xml", "<rss/>")
        zipped.writestr("readme.txt", "not an export")
    importer = WordPressImporter(no_download=True)
    report = run_import(load_config(site), importer, [str(archive)])
    assert importer.stats["posts published"] == 1 and importer.stats["pages published"] == 1
    assert f"{archive}:lake.wordpress.2019-03-01.001.xml: 0 comments kept, 0 comments dropped; " \
           "not posts, left out: 2 attachment" in report.notes
    summer = load(site, "posts/2010/summer-at-the-lake.md")
    assert "![boat](http://127.0.0.1:9/uploads/2010/07/boat.png)" in summer.body  # gallery


def test_a_zip_without_an_export_is_an_error(tmp_path: Path, site: Path, run_cli) -> None:
    import zipfile

    archive = tmp_path / "photos.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("a.jpg", b"\xff\xd8")
    result = run_cli("import", "wordpress", archive, site=site)
    assert result.exit_code == 1 and "the zip holds no .xml export" in result.output


def test_an_image_pasted_into_a_post_is_kept_as_a_media_file_and_shown(site: Path, run_cli) -> None:
    from media_server import PASTED_PNG, pasted_png_path

    export = site / "pasted.xml"
    export.write_text(f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Blog</title><link>https://example.com/</link><wp:wxr_version>1.2</wp:wxr_version>
<item><title>Screenshot</title><link>https://example.com/shot/</link>
<content:encoded><![CDATA[<p>Look: <img src="{PASTED_PNG}" alt="the dot"></p>]]></content:encoded>
<wp:post_id>1</wp:post_id><wp:post_date_gmt>2010-01-01 10:00:00</wp:post_date_gmt>
<wp:post_name>shot</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
</item></channel></rss>""", "utf-8")
    assert run_cli("import", "wordpress", "--no-download", export, site=site).exit_code == 0
    path = pasted_png_path("wordpress")
    assert (site / "content/posts/2010/shot.md").read_text("utf-8").endswith(f"---\nLook: ![the dot](/{path})")
    assert (site / "content" / path).read_bytes() == PNG
    assert run_cli("build", site=site).exit_code == 0
    assert (site / "public" / path).read_bytes() == PNG
    page = (site / "public/2010/01/shot/index.html").read_text("utf-8")
    assert f'<p>Look: <img alt="the dot" src="../../../{path}"></p>' in page


RELATIVE_MEDIA = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Moved blog</title><link>BLOG</link><wp:base_site_url>BLOG</wp:base_site_url>
<item>
  <title>Harbour</title>
  <link>BLOG/2010/05/harbour/</link>
  <content:encoded><![CDATA[<a href="/wp-content/uploads/2010/05/harbour.png"><img src="/wp-content/uploads/2010/05/harbour-300x200.png" alt="Harbour" /></a>
<img src="gulls.png" alt="Gulls" />
The <a href="/files/tides.pdf">tide table</a>, the <a href="/2010/04/beach/">beach</a> and the <a href="#map">map</a>.]]></content:encoded>
  <wp:post_id>7</wp:post_id>
  <wp:post_date_gmt>2010-05-02 10:00:00</wp:post_date_gmt>
  <wp:post_name>harbour</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
</item>
</channel></rss>"""


def test_media_at_relative_urls_are_kept_and_links_to_posts_stay(tmp_path: Path, site: Path,
                                                                  run_cli) -> None:
    """An image at /wp-content/uploads/... (root-relative) or gulls.png (relative to the post)
    is the old blog's: it is downloaded like any other. A root-relative link to a post stays:
    that post's old path is an alias of its new page."""
    routes = {"/wp-content/uploads/2010/05/harbour.png": (200, {"Content-Type": "image/png"}, PNG),
              "/wp-content/uploads/2010/05/harbour-300x200.png": (200, {"Content-Type": "image/png"},
                                                                  PNG + b"small"),
              "/2010/05/harbour/gulls.png": (200, {"Content-Type": "image/png"}, PNG + b"gulls"),
              "/files/tides.pdf": (200, {"Content-Type": "application/pdf"}, PDF)}
    with LocalServer(routes) as server:
        path = tmp_path / "moved.xml"
        path.write_text(RELATIVE_MEDIA.replace("BLOG", server.base.rstrip("/")), "utf-8")
        assert run_cli("import", "wordpress", path, site=site).exit_code == 0
        local = "/media/wordpress/2010/harbour"
        assert load(site, "posts/2010/harbour.md").body == (
            f"[![Harbour]({local}/harbour-300x200.png)]({local}/harbour.png)  \n"  # wpautop's <br>
            f"![Gulls]({local}/gulls.png)  \n"
            f"The [tide table]({local}/tides.pdf), the [beach](/2010/04/beach/) and the [map](#map).")
        media = site / "content" / "media" / "wordpress" / "2010" / "harbour"
        assert sorted(p.name for p in media.iterdir()) == [
            "gulls.png", "harbour-300x200.png", "harbour.png", "tides.pdf"]
        assert (media / "tides.pdf").read_bytes() == PDF
        other = tmp_path / "other-site"
        other.mkdir()
        (other / "site.yaml").write_text((site / "site.yaml").read_text("utf-8"), "utf-8")
        assert run_cli("import", "wordpress", "--no-download", path, site=other).exit_code == 0
        blog = server.base.rstrip("/")
        assert load(other, "posts/2010/harbour.md").body == (
            f"[![Harbour]({blog}/wp-content/uploads/2010/05/harbour-300x200.png)]"
            f"({blog}/wp-content/uploads/2010/05/harbour.png)  \n"
            f"![Gulls]({blog}/2010/05/harbour/gulls.png)  \n"
            f"The [tide table]({blog}/files/tides.pdf), the [beach](/2010/04/beach/) and the [map](#map).")
