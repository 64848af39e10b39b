"""The WordPress importer's parts: WXR reading and repair, shortcodes, dates, URLs, tags."""

from __future__ import annotations

import io
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from archiver.errors import ArchiverError
from archiver.importers.wordpress import convert
from archiver.importers.wordpress.shortcodes import (Attachment, ShortcodeExpander,
                                                     parse_attributes)
from archiver.importers.wordpress.wxr import RepairingReader, WxrChannel, WxrItem, WxrReader

BERLIN = ZoneInfo("Europe/Berlin")


# -- reading -----------------------------------------------------------------------------------
def repaired(text: str) -> tuple[str, int]:
    reader = RepairingReader(io.BytesIO(text.encode("utf-8")))
    return reader.read().decode("utf-8"), reader.repairs


def test_bare_ampersands_and_html_entities_are_repaired_outside_cdata_only() -> None:
    text = ("\ufeff<t>A & B &mdash; C &amp; &#8230; &nbsp;&bogus;</t>\n"
            "<c><![CDATA[x & y &mdash;\n still & cdata]]> & after</c>\n"
            "<!-- Tools & Import -->\n")
    assert repaired(text) == (
        "<t>A &amp; B &#8212; C &amp; &#8230; &#160;&amp;bogus;</t>\n"
        "<c><![CDATA[x & y &mdash;\n still & cdata]]> &amp; after</c>\n"
        "<!-- Tools & Import -->\n", 2)


def test_reader_streams_items_and_fills_the_channel(tmp_path: Path) -> None:
    path = tmp_path / "export.xml"
    path.write_text("""<?xml version="1.0"?>
<rss xmlns:wp="http://wordpress.org/export/1.1/"
     xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:excerpt="http://wordpress.org/export/1.1/excerpt/">
<channel><title>T &amp; U</title><wp:base_blog_url>https://www.ex.org/blog/</wp:base_blog_url>
<item><title>One</title><wp:post_id>1</wp:post_id><wp:status><![CDATA[publish]]></wp:status>
<content:encoded><![CDATA[

Body]]></content:encoded><excerpt:encoded>Short</excerpt:encoded>
<category domain="post_tag" nicename="a"><![CDATA[A tag]]></category>
<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key><wp:meta_value>9</wp:meta_value></wp:postmeta>
<wp:comment><wp:comment_id>5</wp:comment_id><wp:comment_author>Ann</wp:comment_author>
<wp:comment_author_email>ann@ex.org</wp:comment_author_email>
<wp:comment_author_IP>192.0.2.1</wp:comment_author_IP>
<wp:comment_content>Hi</wp:comment_content><wp:comment_approved>1</wp:comment_approved>
</wp:comment></item>
</channel></rss>""", "utf-8")
    reader = WxrReader(path, "export.xml")
    items = list(reader.items())
    assert reader.channel.title == "T & U"
    assert reader.channel.blog_url == "https://www.ex.org/blog/"
    assert len(items) == 1
    item = items[0]
    assert (item.title, item.post_id, item.status, item.content, item.excerpt) == (
        "One", "1", "publish", "\n\nBody", "Short")
    assert item.categories == [("post_tag", "A tag")]
    assert item.postmeta == {"_thumbnail_id": "9"}
    assert [(c.id, c.author, c.content, c.approved) for c in item.comments] == [
        ("5", "Ann", "Hi", "1")]
    assert "ann@ex.org" not in repr(item) and "192.0.2.1" not in repr(item)


def test_reader_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.xml"
    path.write_text('<rss>\n<channel>\n<item><title>x</title>\n<![CDATA[a]]>]]>\n</item>'
                    "</channel></rss>")
    with pytest.raises(ArchiverError) as caught:
        list(WxrReader(path, "bad.xml").items())
    assert str(caught.value) == ("bad.xml: not well-formed XML at line 4, column 16: not "
                                 "well-formed (invalid token) (the export is damaged; export "
                                 "it again from WordPress)")


def test_cdata_repair_only_when_asked_and_only_for_text_after_the_end(tmp_path: Path) -> None:
    text = ('<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><wp:wxr_version>1.2'
            "</wp:wxr_version><item><title><![CDATA[a ]]> b]]></title></item>\n"
            "<item><title><![CDATA[x]]]]><![CDATA[>y]]></title></item></channel></rss>")
    path = tmp_path / "cdata.xml"
    path.write_text(text)
    with pytest.raises(ArchiverError):
        list(WxrReader(path, "cdata.xml").items())
    repaired_reader = WxrReader(path, "cdata.xml", cdata_repair=True)
    assert [i.title for i in repaired_reader.items()] == ["a ]]> b", "x]]>y"]
    assert repaired_reader.repairs == 1


# -- shortcodes --------------------------------------------------------------------------------
def expand(text: str, attachments: dict[str, Attachment] | None = None) -> tuple[str, list[str]]:
    notes: list[str] = []
    expander = ShortcodeExpander(attachments or {}, "10", notes.append)
    return expander.expand(text), notes


def test_parse_attributes_like_wordpress() -> None:
    assert parse_attributes(' id="a_1" align=\'left\' width=300 "pos one" flag') == (
        {"id": "a_1", "align": "left", "width": "300"}, ["pos one", "flag"])
    assert parse_attributes("caption=&quot;Hi&quot;") == ({"caption": "Hi"}, [])


@pytest.mark.parametrize(("text", "html"), [
    ('[caption id="a" width="300" caption="Old style"]<img src="x.jpg" alt="X">[/caption]',
     '<figure><img src="x.jpg" alt="X"><figcaption>Old style</figcaption></figure>'),
    ('[caption]<a href="b.jpg"><img src="x.jpg"></a> New <em>style</em>[/caption]',
     '<figure><a href="b.jpg"><img src="x.jpg"></a><figcaption>New <em>style</em>'
     "</figcaption></figure>"),
    ("[caption]Only words[/caption]", "Only words"),
    ('[code lang="js"]if (a < b && c) {}[/code]',
     '<pre><code class="language-js">if (a &lt; b &amp;&amp; c) {}</code></pre>'),
    ("[sourcecode]x[/sourcecode]", "<pre><code>x</code></pre>"),
    ("a [sic] b [edge case] [[gallery]] [1]", "a [sic] b [edge case] [gallery] [1]"),
])
def test_shortcodes_with_their_own_rules(text: str, html: str) -> None:
    assert expand(text) == (html, [])


@pytest.mark.parametrize(("text", "url"), [
    ("[embed width=500]https://vimeo.com/1[/embed]", "https://vimeo.com/1"),
    ("[youtube https://www.youtube.com/watch?v=abc]", "https://www.youtube.com/watch?v=abc"),
    ("[youtube=http://www.youtube.com/watch?v=abc&amp;w=425]",
     "http://www.youtube.com/watch?v=abc&amp;w=425"),
    ('[youtube id="abc-1"]', "https://www.youtube.com/watch?v=abc-1"),
    ("[vimeo 12345]", "https://vimeo.com/12345"),
    ('[audio mp3="http://ex.org/a.mp3"][/audio]', "http://ex.org/a.mp3"),
    ('[video width="640" src="http://ex.org/v.mp4"]', "http://ex.org/v.mp4"),
    ('[soundcloud url="https://api.soundcloud.com/tracks/1" params="x"]',
     "https://api.soundcloud.com/tracks/1"),
])
def test_embeds_become_links(text: str, url: str) -> None:
    name = text[1:].split("=")[0].split(" ")[0].split("]")[0]
    assert expand(text) == (f'<a href="{url}">{url}</a>',
                            [f"[{name}] shortcode replaced by a link"])


def test_unknown_shortcodes_keep_their_text_or_vanish_and_are_reported() -> None:
    text = ('[pullquote align="left"]Quoted [b]bold[/b][/pullquote] '
            '[contact-form] [poll id="3"] [myplugin_widget size=2]')
    assert expand(text) == ("Quoted bold   ", [
        "[pullquote] shortcode removed, its text kept",
        "[b] shortcode removed, its text kept",
        "[contact-form] shortcode removed (nothing to show without WordPress)",
        "[poll] shortcode removed (nothing to show without WordPress)",
        "[myplugin_widget] shortcode removed (nothing to show without WordPress)",
    ])


def test_gallery_uses_ids_or_the_posts_attachments() -> None:
    attachments = {
        "1": Attachment("1", "http://ex.org/a.jpg", "A", "Cap A", parent="10"),
        "2": Attachment("2", "http://ex.org/b.jpg", "B <b>", "", parent="10"),
        "3": Attachment("3", "http://ex.org/c.jpg", "C", "", parent="99"),
    }
    own = ('<figure><img src="http://ex.org/a.jpg" alt="A"><figcaption>Cap A</figcaption>'
           '</figure><figure><img src="http://ex.org/b.jpg" alt="B &lt;b&gt;"></figure>')
    assert expand("[gallery columns=2]", attachments) == (
        own, ["[gallery] shortcode replaced by its images"])
    assert expand('[gallery ids="3"]', attachments)[0] == (
        '<figure><img src="http://ex.org/c.jpg" alt="C"></figure>')
    assert expand('[gallery ids="7"]', attachments) == (
        "", ["[gallery] shortcode removed: the export has none of its images"])


# -- conversion rules --------------------------------------------------------------------------
def item(**fields: object) -> WxrItem:
    return WxrItem(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(("status", "password", "expected"), [
    ("publish", "", "published"), ("publish", "secret", "private"), ("private", "", "private"),
    ("draft", "", "draft"), ("pending", "", "draft"), ("future", "", "draft"),
    ("auto-draft", "", "draft"), ("trash", "", "deleted"), ("weird", "", "draft"),
])
def test_statuses(status: str, password: str, expected: str) -> None:
    assert convert.status_of(item(status=status, password=password)) == expected


def test_dates_prefer_gmt_then_local_time_in_the_blog_zone_then_pubdate() -> None:
    channel = WxrChannel(pub_date="Fri, 01 Mar 2019 10:00:00 +0000")
    gmt = item(post_date="2010-07-10 20:30:00", post_date_gmt="2010-07-10 18:30:00")
    assert convert.item_date(gmt, channel, BERLIN) == datetime(2010, 7, 10, 18, 30,
                                                                tzinfo=timezone.utc)
    local = item(post_date="2010-07-10 20:30:00", post_date_gmt="0000-00-00 00:00:00")
    assert convert.item_date(local, channel, BERLIN) == datetime(2010, 7, 10, 20, 30,
                                                                  tzinfo=BERLIN)
    assert convert.item_date(local, channel, BERLIN).utcoffset() == timedelta(hours=2)
    rss = item(post_date_gmt="0000-00-00 00:00:00", pub_date="Sat, 10 Jul 2010 18:30:00 +0200",
               status="publish")
    assert convert.item_date(rss, channel, BERLIN) == datetime(
        2010, 7, 10, 18, 30, tzinfo=timezone(timedelta(hours=2)))
    undated_draft = item(pub_date="Thu, 01 Jan 1970 00:00:00 +0000", status="draft")
    assert convert.item_date(undated_draft, channel, BERLIN) == datetime(
        2019, 3, 1, 10, 0, tzinfo=timezone.utc)  # the export's own date
    assert convert.item_date(item(status="publish", pub_date="Wed, 30 Nov -0001 00:00:00"),
                             channel, BERLIN) is None


def test_old_urls_keep_the_blog_path_and_the_query_form() -> None:
    channel = WxrChannel(base_blog_url="http://ex.org/blog")
    pretty = item(link="http://ex.org/blog/2010/07/slug/", post_id="10")
    assert convert.old_urls(pretty, channel, "post") == (
        "http://ex.org/blog/2010/07/slug/", ("/blog/2010/07/slug/", "/blog/?p=10"))
    query = item(link="http://ex.org/blog/?p=11", post_id="11")
    assert convert.old_urls(query, channel, "post") == (
        "http://ex.org/blog/?p=11", ("/blog/?p=11",))
    page = item(link="/about/", post_id="20")  # Squarespace: site-relative
    assert convert.old_urls(page, channel, "page") == (
        "http://ex.org/about/", ("/about/", "/blog/?page_id=20"))
    assert convert.old_urls(item(link="javascript:x", post_id="x"), channel, "post") == ("", ())


def test_tags_join_categories_and_tags_without_uncategorized() -> None:
    tagged = item(categories=[("category", "Uncategorized"), ("category", "Open Web"),
                              ("post_tag", "open web"), ("post_tag", "Caf&eacute;"),
                              ("post_format", "post-format-aside"), ("nav_menu", "Main")])
    assert convert.tags_of(tagged) == ("Open Web", "Café")


def test_site_key_and_titles() -> None:
    assert convert.site_key(WxrChannel(base_blog_url="https://www.Ex.org/blog/")) == \
        "ex.org/blog"
    assert convert.site_key(WxrChannel()) == "wordpress"
    assert convert.plain_title("Markup: <em>Title</em> &amp; <b>more</b>") == \
        "Markup: Title & more"
