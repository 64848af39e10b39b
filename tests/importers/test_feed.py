"""Feed importer: RSS 2.0, Atom, RDF and JSON Feed files; URLs with pagination; media; privacy."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Iterator
from zoneinfo import ZoneInfo

import pytest

from archiver.build.pipeline import build
from archiver.config import load_config
from archiver.errors import ArchiverError
from archiver.importers import ImportContext
from archiver.importers.feed import FeedImporter
from archiver.importers.feed.pages import with_paged
from archiver.importing import run_import
from archiver.model import Entry
from archiver.store import Outcome
import media_server
from media_server import PASTED_PNG, LocalServer, pasted_png_path

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
       b"\x00\x00\x00\x00IEND\xaeB`\x82")


def read_all(source: str | Path, **options: object) -> tuple[list[Entry], ImportContext]:
    context = ImportContext(timezone=ZoneInfo("UTC"))
    options.setdefault("no_download", True)
    return [item.entry for item in FeedImporter(**options).read(str(source), context)], context


@functools.cache
def read_shared(path: Path) -> tuple[tuple[Entry, ...], ImportContext]:
    """A shared fixture feed read once per test session (entries are immutable)."""
    entries, context = read_all(path)
    return tuple(entries), context


# -- a feed server on 127.0.0.1 -----------------------------------------------------------------
class FeedServer(LocalServer):
    """A LocalServer that feeds are added to one by one."""

    def __init__(self) -> None:
        super().__init__({})

    def add(self, path: str, body: str | bytes, kind: str = "application/xml") -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.routes[path] = (200, {"Content-Type": kind}, data)

    def paths(self) -> list[str]:
        return [path for path, _agent in self.requests]


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as feed_server:
        yield feed_server


def atom_page(base: str, numbers: range, next_path: str = "") -> str:
    entries = "".join(
        f"<entry><id>urn:post:{n}</id><title>Post {n}</title>"
        f'<link rel="alternate" href="{base}/2020/01/post-{n}/"/>'
        f"<published>2020-01-{n:02d}T10:00:00+02:00</published>"
        f'<category term="Topic {n % 2}"/><category term="Uncategorized"/>'
        f'<content type="html">&lt;p&gt;Body {n}&lt;/p&gt;</content></entry>' for n in numbers)
    next_link = f'<link rel="next" href="{base}{next_path}"/>' if next_path else ""
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f'<title>Paged</title><link rel="alternate" href="{base}/"/>{next_link}{entries}</feed>')


def wordpress_page(base: str, numbers: range) -> str:
    items = "".join(
        f"<item><title>WP {n}</title><link>{base}/2019/05/wp-{n}/</link>"
        f"<guid isPermaLink=\"false\">{base}/?p={n}</guid>"
        f"<pubDate>Mon, {n:02d} May 2019 08:00:00 +0000</pubDate>"
        f"<category><![CDATA[Notes]]></category>"
        f"<description>short {n}</description>"
        f"<content:encoded><![CDATA[<p>Full text {n}</p>]]></content:encoded></item>"
        for n in numbers)
    return ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>WP</title>'
            f"<link>{base}</link><generator>https://wordpress.org/?v=6.4</generator>"
            f"<webMaster>wp.owner@example.org</webMaster>{items}</channel></rss>")


# -- the shared real feeds --------------------------------------------------------------------
EXPECTED = {  # file -> (posts, posts with tags, posts with an alias, untitled posts)
    "allthis-wordpress-4.0-rss-misnamed.atom": (12, 0, 12, 0),
    "bio-rss1.0.rdf": (30, 0, 30, 0),
    "daringfireball-2016-atom-misnamed.rss": (47, 0, 46, 0),
    "daringfireball-2017.atom": (48, 0, 48, 0),
    "donthitsave-utf8-bom.xml": (10, 0, 10, 0),
    "inessential-jsonfeed-v1.json": (20, 0, 20, 0),
    "katiefloyd-squarespace.rss": (20, 0, 0, 0),
    "kc0011-gb2312.rss": (20, 0, 20, 0),
    "manton-wordpress-4.2-wfw-slash.rss": (10, 10, 10, 4),
    "natasha-wordpress-4.7-wfw-slash.xml": (10, 10, 10, 0),
    "onefoottsunami-wordpress-4.3.atom": (25, 0, 7, 0),
    "phpxml-bogus-prolog.rss": (20, 0, 20, 0),
    "rubenerd-hugo.rss": (10, 10, 10, 0),
    "scriptingnews-2017-oldschool.rss": (50, 0, 0, 39),
    "typepad-expertopinionent.atom": (43, 2, 43, 0),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_shared_feed_counts(shared_fixtures: Path, name: str) -> None:
    entries, context = read_shared(shared_fixtures / "feeds" / name)
    counts = (len(entries), sum(bool(e.tags) for e in entries),
              sum(bool(e.aliases) for e in entries), sum(not e.title for e in entries))
    assert counts == EXPECTED[name]
    assert context.skipped == []
    assert all(e.date.tzinfo is not None and e.body for e in entries)
    assert len({e.source_id for e in entries}) == len(entries)


def test_shared_feed_details(shared_fixtures: Path) -> None:
    feeds = shared_fixtures / "feeds"
    chinese, _ = read_shared(feeds / "kc0011-gb2312.rss")
    assert chinese[0].title == "建国35周年纪念，华表，和平鸽"
    assert chinese[0].date.isoformat() == "2020-01-10T14:33:00+00:00"  # no offset: site zone
    typepad, _ = read_shared(feeds / "typepad-expertopinionent.atom")
    assert typepad[0].date.isoformat() == "2017-04-07T12:20:50+10:30"
    rdf, _ = read_shared(feeds / "bio-rss1.0.rdf")
    assert rdf[0].date.isoformat() == "2019-08-27T00:00:00+00:00"
    assert rdf[0].aliases == ("/cgi/content/short/743294v1?rss=1",)  # query: kept, not built
    natasha, _ = read_shared(feeds / "natasha-wordpress-4.7-wfw-slash.xml")
    assert natasha[0].tags == ("iPhone", "event", "ios", "passkit", "passkit pass", "wallet")
    assert natasha[0].url == "https://www.natashatherobot.com/url-apple-wallet-passkit-pass/"
    assert natasha[0].aliases == ("/url-apple-wallet-passkit-pass/",)
    assert natasha[0].slug == "url-apple-wallet-passkit-pass"
    assert natasha[0].body.startswith("For [try! Swift NYC](https://www.tryswift.co/events/")
    fireball, _ = read_shared(feeds / "daringfireball-2016-atom-misnamed.rss")
    linked = fireball[0]  # a link-blog entry: its permalink on the blog, not the linked page
    assert linked.url == "http://daringfireball.net/linked/2016/02/27/swisher-apple-event"
    scripting, _ = read_shared(feeds / "scriptingnews-2017-oldschool.rss")
    same_guid = [e for e in scripting if e.url == "http://scripting.com/2017/06/24.html#a100632"]
    assert len(same_guid) == 2  # two items share a guid: both kept, not merged
    dutch, _ = read_shared(feeds / "phpxml-bogus-prolog.rss")
    assert "](https://www.fcutrecht.net/pictures/100/scheids.jpg)" in dutch[0].body  # made absolute


def private_metadata(path: Path) -> set[str]:
    """E-mail addresses in a feed's author/webMaster/managingEditor/email elements."""
    text = path.read_bytes().decode("utf-8", errors="replace")
    found: set[str] = set()
    for value in re.findall(r"<(?:author|webMaster|managingEditor|email)>([^<]+)<", text):
        found |= set(re.findall(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", value))
    return found


def test_shared_feeds_build_without_private_data(shared_fixtures: Path, site: Path) -> None:
    # every feed is imported by test_shared_feed_counts; the ones holding addresses are built
    files = [p for p in sorted((shared_fixtures / "feeds").iterdir()) if private_metadata(p)]
    assert [p.name for p in files] == ["kc0011-gb2312.rss", "phpxml-bogus-prolog.rss"]
    config = load_config(site)
    report = run_import(config, FeedImporter(no_download=True), [str(p) for p in files])
    assert report.counts == {Outcome.IMPORTED: 40}
    build(config)
    private = set().union(*(private_metadata(p) for p in files))
    assert private == {"webmaster@fcutrecht.net", "zcb1972@21cn.com"}
    for folder in ("content", "public"):
        for path in (site / folder).rglob("*"):
            if path.suffix in (".md", ".html", ".xml", ".json"):
                text = path.read_text("utf-8", errors="replace")
                assert not [v for v in private if v in text], path
    assert (site / "public/2021/09/serdar-g-z-b-y-k-scheidsrechter-bij-fc-twente-fc-utrecht-8805"
            "/index.html").is_file()


# -- URLs, pagination, downloads --------------------------------------------------------------
def test_atom_rel_next_pages_until_nothing_new(server: FeedServer) -> None:
    base = server.base
    server.add("/feed.atom", atom_page(base, range(1, 3), "/feed.atom?page=2"))
    server.add("/feed.atom?page=2", atom_page(base, range(3, 5), "/feed.atom?page=3"))
    server.add("/feed.atom?page=3", atom_page(base, range(3, 5), "/feed.atom?page=4"))
    server.add("/feed.atom?page=4", atom_page(base, range(5, 7)))
    entries, context = read_all(f"{base}/feed.atom")
    assert [e.title for e in entries] == ["Post 1", "Post 2", "Post 3", "Post 4"]
    assert server.paths() == ["/feed.atom", "/feed.atom?page=2", "/feed.atom?page=3"]
    server.requests.clear()
    one, context = read_all(f"{base}/feed.atom", max_pages=1)
    assert len(one) == 2 and server.paths() == ["/feed.atom"]
    assert context.notes == [f"{base}/feed.atom: stopped after 1 pages (--max-pages); the feed "
                             f"has more at {base}/feed.atom?page=2"]
    entries, context = read_all(f"{base}/feed.atom")
    assert all(agent.startswith("archiver/") for _path, agent in server.requests)
    assert entries[0].tags == ("Topic 1",)
    assert entries[0].url == f"{base}/2020/01/post-1/"
    assert entries[0].aliases == ("/2020/01/post-1/",)
    assert entries[0].date.isoformat() == "2020-01-01T10:00:00+02:00"
    assert context.skipped == []


def test_wordpress_paged_and_max_pages(server: FeedServer) -> None:
    base = server.base
    server.add("/feed/", wordpress_page(base, range(1, 4)))
    server.add("/feed/?paged=2", wordpress_page(base, range(4, 7)))
    server.add("/feed/?paged=3", wordpress_page(base, range(7, 8)))
    entries, context = read_all(f"{base}/feed/")
    assert [e.title for e in entries] == [f"WP {n}" for n in range(1, 8)]
    assert server.paths() == ["/feed/", "/feed/?paged=2", "/feed/?paged=3", "/feed/?paged=4"]
    assert context.skipped == []  # the 404 past the last page is the normal end
    assert entries[0].body == "Full text 1"  # content:encoded wins over description
    assert entries[0].tags == ("Notes",)
    assert entries[0].source_id == f"{base}/?p=1"
    server.requests.clear()
    limited, context = read_all(f"{base}/feed/", max_pages=2)
    assert len(limited) == 6 and server.paths() == ["/feed/", "/feed/?paged=2"]
    assert context.notes == [f"{base}/feed/: stopped after 2 pages (--max-pages); the feed may "
                             f"have more at {base}/feed/?paged=3"]
    assert with_paged("http://x.org/feed/?a=1&paged=9", 3) == "http://x.org/feed/?a=1&paged=3"


def test_wordpress_without_generator_is_recognised_by_its_guids(server: FeedServer) -> None:
    base = server.base
    server.add("/feed/", wordpress_page(base, range(1, 3)).replace(
        "<generator>https://wordpress.org/?v=6.4</generator>", ""))
    server.add("/feed/?paged=2", wordpress_page(base, range(3, 4)))
    entries, _ = read_all(f"{base}/feed/")
    assert len(entries) == 3
    assert server.paths() == ["/feed/", "/feed/?paged=2", "/feed/?paged=3"]


def test_broken_later_page_keeps_earlier_ones(server: FeedServer) -> None:
    base = server.base
    server.add("/a.atom", atom_page(base, range(1, 3), "/b.atom"))
    server.add("/b.atom", "<feed><entry>")
    entries, context = read_all(f"{base}/a.atom")
    assert len(entries) == 2
    assert len(context.skipped) == 1
    where, reason = context.skipped[0]
    assert where == f"{base}/b.atom"
    assert reason.startswith("the next feed page is not a feed: not well-formed XML at line 1")
    with pytest.raises(ArchiverError, match="could not fetch the feed: HTTP 404"):
        read_all(f"{base}/missing.atom")


def test_image_is_downloaded_from_the_server(server: FeedServer, site: Path) -> None:
    base = server.base
    server.add("/img/photo.png", PNG, "image/png")
    html = (f'&lt;p&gt;Look:&lt;/p&gt;&lt;img src="/img/photo.png" alt="A photo"&gt;'
            f'&lt;img src="{base}/img/missing.jpg"&gt;')
    server.add("/pics.atom", '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">'
               f'<link rel="alternate" href="{base}/"/><entry><id>urn:pic</id><title>Pictures</title>'
               f'<link href="{base}/2021/03/pictures.html"/><updated>2021-03-04T05:06:07Z</updated>'
               f'<content type="html">{html}</content></entry></feed>')
    config = load_config(site)
    report = run_import(config, FeedImporter(), [f"{base}/pics.atom"])
    assert report.counts == {Outcome.IMPORTED: 1}
    assert report.notes == [f"{base}/pics.atom: item 1 'Pictures': could not download "
                            f"{base}/img/missing.jpg (HTTP 404); kept the original URL"]
    saved = site / "content/media/feed/2021/pictures/photo.png"
    assert saved.read_bytes() == PNG
    text = (site / "content/posts/2021/pictures.md").read_text("utf-8")
    assert "![A photo](/media/feed/2021/pictures/photo.png)" in text
    assert f"![]({base}/img/missing.jpg)" in text
    assert "aliases:\n- /2021/03/pictures.html\n" in text
    build(config)
    assert (site / "public/media/feed/2021/pictures/photo.png").read_bytes() == PNG
    assert (site / "public/2021/03/pictures.html").is_file()


def test_cli_url_and_file_errors(run_cli, server: FeedServer, site: Path, tmp_path: Path) -> None:
    server.add("/feed/", wordpress_page(server.base, range(1, 3)))
    result = run_cli("import", "feed", "--no-download", f"{server.base}/feed/", site=site)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (site / "content/posts/2019").iterdir()) == ["wp-1.md", "wp-2.md"]
    assert "wp.owner@example.org" not in (site / "content/posts/2019/wp-1.md").read_text("utf-8")
    again = run_cli("import", "feed", "--no-download", f"{server.base}/feed/", site=site)
    assert again.exit_code == 0 and re.search(r"unchanged\s+2", again.output)
    broken = tmp_path / "broken.rss"
    broken.write_text('<?xml version="1.0"?>\n<rss><channel>\n<item><title>x</item>\n')
    bad = run_cli("import", "feed", str(broken), site=site)
    assert bad.exit_code == 1
    assert f"{broken}: not well-formed XML at line 3" in bad.output
    html = tmp_path / "page.html"
    html.write_text("<!DOCTYPE html><html><body>hi</body></html>")
    not_feed = run_cli("import", "feed", str(html), site=site)
    assert not_feed.exit_code == 1 and "not a feed" in not_feed.output


def test_a_file_never_follows_next_links(shared_fixtures: Path) -> None:
    # the saved Blogger public feed links to page 2 on blogger.com: a file is read as it is
    entries, context = read_all(shared_fixtures / "blogger" / "blogger-public-feed-4fsodonline.atom")
    assert len(entries) == 25 and context.skipped == []


@pytest.mark.parametrize("bad", ["http://[fuzz.example/", "http://[]fuzz.example/"])
def test_a_malformed_ipv6_address_is_dropped_not_a_crash(tmp_path: Path, bad: str) -> None:
    """Found by the fuzz test: urllib raises ValueError for a host in broken brackets."""
    feed = tmp_path / "feed.rss"
    feed.write_text(f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><link>{bad}</link>'
                    f'<item><title>One</title><link>{bad}1</link><guid isPermaLink="false">g1</guid>'
                    '<pubDate>Mon, 01 Mar 2010 10:00:00 +0000</pubDate>'
                    f'<description>&lt;a href="{bad}x"&gt;a&lt;/a&gt; &lt;iframe src="{bad}v"&gt;'
                    '&lt;/iframe&gt;</description></item></channel></rss>', "utf-8")
    entries, _ = read_all(feed)
    assert [(entry.title, entry.url, entry.body) for entry in entries] == [("One", "", "a")]


def test_join_url() -> None:
    from archiver.importers import join_url

    assert join_url("https://blog.example/a/", "b/c") == "https://blog.example/a/b/c"
    assert join_url("https://blog.example/a/", "") == "https://blog.example/a/"
    assert join_url("https://blog.example/", "http://[::1]/x") == "http://[::1]/x"
    assert join_url("https://blog.example/", "http://[nope/") == ""
    assert join_url("http://[]x/", "/y") == ""


def test_an_image_pasted_into_a_feed_item_is_kept_as_a_media_file(tmp_path: Path) -> None:
    feed = tmp_path / "feed.rss"
    feed.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
                    '<link>https://b.example/</link><item><title>Shot</title><link>https://b.example/1</link>'
                    '<pubDate>Mon, 01 Mar 2010 10:00:00 +0000</pubDate><description>&lt;p&gt;See '
                    f'&lt;img src="{PASTED_PNG}" alt="it"&gt;&lt;/p&gt;</description></item></channel></rss>',
                    "utf-8")
    [item] = list(FeedImporter(no_download=True).read(str(feed), ImportContext(timezone=ZoneInfo("UTC"))))
    assert item.entry.body == f"See ![it](/{pasted_png_path('feed')})"
    assert {name: read() for name, read in item.files.items()} == {pasted_png_path("feed"): media_server.PNG}
