"""The XML, date and feed-format helpers shared by the feed and Blogger importers."""

from __future__ import annotations

from datetime import timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from archiver.errors import ArchiverError
from archiver.importers.dates import parse_date
from archiver.importers.feed.formats import atom_html, parse_feed
from archiver.importers.media import absolute_urls
from archiver.importers.feed.xmltools import iter_elements, local, parse_bytes
from archiver.importers.html import html_to_markdown

ATOM = "{http://www.w3.org/2005/Atom}"
BERLIN = ZoneInfo("Europe/Berlin")


def test_dates() -> None:
    def iso(text: str) -> str | None:
        parsed = parse_date(text, BERLIN)
        return parsed.isoformat() if parsed else None

    assert iso("Mon, 26 Jun 2017 19:40:58 GMT") == "2017-06-26T19:40:58+00:00"
    assert iso("26 Jun 2017 19:40:58 -0000") == "2017-06-26T19:40:58+00:00"
    assert iso("Mon, 26 Jun 2017 19:40:58") == "2017-06-26T19:40:58+02:00"  # no zone: site's
    assert iso(" 2010-11-27T08:21:00.877-08:00\n ") == "2010-11-27T08:21:00-08:00"
    assert iso("2016-02-28T21:06:52Z") == "2016-02-28T21:06:52+00:00"
    assert iso("2019-08-27") == "2019-08-27T00:00:00+02:00"
    assert iso("2020/1/10 14:33:00") == "2020-01-10T14:33:00+01:00"
    assert iso("last Tuesday") is None and iso("") is None
    assert iso("Mon, 9999999999999999999901 Mar 2010 10:00:00 +0000") is None  # found by fuzzing
    assert iso("Mon, 01 Mar 99999 10:00:00 +9999") is None


def test_encodings_bom_and_prolog_repairs() -> None:
    gb = '<?xml version="1.0" encoding="gb2312"?>\n<rss><channel><title>纪念币</title></channel></rss>'
    root = parse_bytes(gb.encode("gb2312"), "gb.rss")
    assert root.find("channel/title").text == "纪念币"
    assert parse_bytes(b"\xef\xbb\xbf\n\n<?xml version='1.0'?><a>x</a>", "bom.xml").text == "x"
    latin = "<?xml version='1.0' encoding='ISO-8859-1'?><a>caf\xe9 \x93quoted\x94</a>"
    assert parse_bytes(latin.encode("latin-1"), "latin.xml").text == "café “quoted”"


def test_undeclared_known_prefix_is_declared(tmp_path: Path) -> None:
    text = ("<?xml version='1.0'?>\n<feed xmlns='http://www.w3.org/2005/Atom'>\n"
            "<entry><id>1</id></entry>\n<entry><id>2</id>\n"
            "<app:control><app:draft>yes</app:draft></app:control></entry>\n</feed>")
    path = tmp_path / "export.xml"
    path.write_text(text)
    ids = [el.findtext(f"{ATOM}id") for el in iter_elements(path, frozenset({f"{ATOM}entry"}), "x")]
    assert ids == ["1", "2"]  # the retry after the repair does not repeat entry 1
    root = parse_bytes(text.encode(), "export.xml")
    assert root.find(f"{ATOM}entry/{{http://purl.org/atom/app#}}control") is not None
    with pytest.raises(ArchiverError, match=r"line 2, column \d+: unbound prefix"):
        parse_bytes(b"<?xml version='1.0'?>\n<feed><zz:x/></feed>", "unknown-prefix.xml")


def test_streaming_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "big.xml"
    path.write_text("<feed>\n" + "<entry>ok</entry>\n" * 5000 + "<entry>broken</feed>\n")
    seen = 0
    with pytest.raises(ArchiverError) as raised:
        for _element in iter_elements(path, frozenset({"entry"}), str(path)):
            seen += 1
    assert seen == 5000
    assert str(raised.value).startswith(f"{path}: not well-formed XML at line 5002, column ")


def test_atom_text_constructs() -> None:
    xhtml = parse_bytes(b'<content xmlns="http://www.w3.org/2005/Atom" type="xhtml">'
                        b'<div xmlns="http://www.w3.org/1999/xhtml"><p>Hi <b>there</b></p>'
                        b"<br/></div></content>", "x")
    assert atom_html(xhtml) == "<p>Hi <b>there</b></p><br>"
    text = parse_bytes(b'<content xmlns="http://www.w3.org/2005/Atom">a &lt; b\n\nc</content>', "x")
    assert atom_html(text) == "<p>a &lt; b</p><p>c</p>"
    assert local("{http://www.w3.org/2005/Atom}feed") == "feed"


def test_rss_with_atom_next_link_and_json_feed() -> None:
    rss = (b'<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>'
           b"<link>https://blog.example/</link>"
           b'<atom:link rel="next" href="/feed?page=2"/>'
           b"<item><title>T</title><guid>g1</guid><pubDate>Tue, 02 Jan 2018 03:04:05 +0100</pubDate>"
           b"<description>&lt;p&gt;short&lt;/p&gt;</description></item></channel></rss>")
    page = parse_feed(rss, "https://blog.example/feed", timezone.utc)
    assert (page.format, page.next_url, page.site_url) == (
        "rss", "https://blog.example/feed?page=2", "https://blog.example/")
    assert page.items[0].link == ""  # a guid is a permalink only when it is a URL
    assert page.items[0].guid == "g1"
    json_feed = (b'{"version": "https://jsonfeed.org/version/1.1", "home_page_url": "https://j.example/",'
                 b' "next_url": "https://j.example/feed2.json", "items": [{"id": "1",'
                 b' "content_text": "a\\n\\nb", "date_published": "2020-05-06T07:08:09Z",'
                 b' "tags": ["x y"]}]}')
    page = parse_feed(json_feed, "https://j.example/feed.json", timezone.utc)
    assert page.next_url == "https://j.example/feed2.json"
    assert page.items[0].html == "<p>a</p><p>b</p>" and page.items[0].categories == ("x y",)
    with pytest.raises(ArchiverError, match="not a JSON Feed"):
        parse_feed(b'{"items": []}', "x.json", timezone.utc)


def test_absolute_urls() -> None:
    html = ('<p><a href="../about/">me</a> <img src="/i.png"></p>'
            '<iframe src="//www.youtube.com/embed/abc_1" title="My talk"></iframe>'
            '<iframe src="javascript:alert(1)"></iframe>')
    prepared = absolute_urls(html, "https://b.example/2020/01/post/")
    assert prepared == (
        '<p><a href="https://b.example/2020/01/about/">me</a> <img src="https://b.example/i.png"/>'
        '</p><iframe src="https://www.youtube.com/embed/abc_1" title="My talk"></iframe>'
        '<iframe src="javascript:alert(1)"></iframe>')
    assert html_to_markdown(prepared) == (
        "[me](https://b.example/2020/01/about/) ![](https://b.example/i.png)\n\n"
        "[My talk](https://www.youtube.com/watch?v=abc_1)")


def test_absolute_urls_of_media_only_and_without_a_web_address() -> None:
    html = ('<p><a href="/2010/04/beach/">beach</a> <a href="/files/tides.pdf">tides</a> '
            '<img src="gulls.png"><video src="/v.mp4" poster="/v.jpg"></video> <a href="#top">top</a></p>')
    assert absolute_urls(html, "https://b.example/2010/05/harbour/", links=False) == (
        '<p><a href="/2010/04/beach/">beach</a> <a href="https://b.example/files/tides.pdf">tides</a> '
        '<img src="https://b.example/2010/05/harbour/gulls.png"/><video poster="https://b.example/v.jpg" '
        'src="https://b.example/v.mp4"></video> <a href="#top">top</a></p>')
    only_pages = '<p><a href="/2010/04/beach/">beach</a></p>'
    assert absolute_urls(only_pages, "https://b.example/", links=False) is only_pages  # as it was
    for base in ("", "/2010/05/harbour.html", "ftp://b.example/"):  # no web address: nothing to resolve against
        assert absolute_urls(html, base, links=False) == html
