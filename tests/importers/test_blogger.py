"""Blogger importer: classic backup, Takeout feed.atom, public feed; comments, drafts, labels."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from archiver import frontmatter
from archiver.build.pipeline import build
from archiver.config import load_config
from archiver.errors import ArchiverError
from archiver.importers import ImportContext
from archiver.importers.blogger import BloggerImporter, clean_blogger_html
from archiver.importers.html import html_to_markdown
from archiver.importing import run_import
from archiver.model import Entry
from archiver.store import Outcome

DATA = Path(__file__).resolve().parent.parent / "data" / "blogger"
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")


def read_all(path: Path, **options: object) -> tuple[list[Entry], ImportContext]:
    from zoneinfo import ZoneInfo

    context = ImportContext(timezone=ZoneInfo("UTC"))
    importer = BloggerImporter(no_download=True, **options)
    return [item.entry for item in importer.read(str(path), context)], context


def entries_in(site: Path) -> dict[str, Entry]:
    content = site / "content"
    return {p.relative_to(content).as_posix(): frontmatter.loads(
        p.read_text("utf-8"), p.relative_to(content).as_posix())
        for p in sorted(content.rglob("*.md"))}


def private_values(export: Path) -> set[str]:
    """Addresses the export holds outside post text: <email> elements and settings values."""
    text = export.read_text("utf-8")
    found = set(re.findall(r"<email>\s*([^<\s]+)\s*</email>", text))
    for settings in re.findall(r"kind#settings.*?</entry>", text, re.S):
        found |= set(EMAIL.findall(settings))
    return found


def assert_nothing_private(site: Path, values: set[str]) -> None:
    for folder in ("content", "public"):
        for path in (site / folder).rglob("*"):
            if path.suffix in (".md", ".html", ".xml", ".json") and path.is_file():
                text = path.read_text("utf-8", errors="replace")
                leaked = sorted(v for v in values if v in text)
                assert not leaked, f"{path}: {leaked}"


# -- the shared real exports ------------------------------------------------------------------
def test_pelican_backup_counts(shared_fixtures: Path) -> None:
    entries, context = read_all(shared_fixtures / "blogger" / "pelican-bloggerexport.xml")
    kinds = sorted((e.kind, e.status) for e in entries)
    assert kinds == [("page", "draft"), ("page", "published"), ("post", "draft"),
                     ("post", "published")]
    assert context.skipped == []
    assert context.notes == [f"{shared_fixtures / 'blogger' / 'pelican-bloggerexport.xml'}: "
                             "1 comments kept, 0 dropped (spam, pending, trashed or removed)"]
    post = next(e for e in entries if e.title == "The Steel Windpipe")
    assert post.url == "http://youngdoctornotes.blogspot.com/2010/11/the-steel-windpipe.html"
    assert post.aliases == ("/2010/11/the-steel-windpipe.html",)
    assert post.date.isoformat() == "2010-11-27T07:12:00-08:00"
    assert post.body == "It was a cold Winter's night.\n\n- Very cold indeed.\n- Note to self: pad out ending"
    [comment] = post.comments
    assert (comment.author, comment.id, comment.parent) == ("Thomas Isidore Noël Sankara",
                                                            "5590533389087749201", "")
    assert comment.body == ("Mishka, always a pleasure to read your adventures!\n\n"
                            "It's a shame you don't get more time for writing.")
    draft = next(e for e in entries if e.title == "Black as Egypt's Night")
    assert draft.tags == ("Interesting cases", "amputations")


def test_public_feed_counts(shared_fixtures: Path) -> None:
    entries, context = read_all(shared_fixtures / "blogger" / "blogger-public-feed-4fsodonline.atom")
    assert len(entries) == 25
    assert {e.kind for e in entries} == {"post"} and {e.status for e in entries} == {"published"}
    assert sum(len(e.comments) for e in entries) == 0
    assert context.skipped == []
    assert all(e.aliases and e.aliases[0].endswith(".html") for e in entries)


def test_shared_exports_build_without_private_data(shared_fixtures: Path, site: Path) -> None:
    exports = sorted((shared_fixtures / "blogger").iterdir())
    report = run_import(load_config(site), BloggerImporter(no_download=True),
                        [str(p) for p in exports])
    assert report.counts == {Outcome.IMPORTED: 29}
    build(load_config(site))
    values = set().union(*(private_values(p) for p in exports))
    assert "mikhail.afanasyevich.bulgakov@gmail.com" in values and "noreply@blogger.com" in values
    assert_nothing_private(site, values)
    public = site / "public"
    assert (public / "2010/11/the-steel-windpipe/index.html").is_file()
    assert (public / "2010/11/the-steel-windpipe.html").is_file()  # redirect from the old URL
    assert not list(public.rglob("black-as-egypt*"))  # a draft is never built
    assert "Write next story here" not in "".join(
        p.read_text("utf-8") for p in public.rglob("*.html"))


# -- own fixtures -----------------------------------------------------------------------------
def test_classic_backup_labels_comments_and_cleanup() -> None:
    entries, context = read_all(DATA / "classic-labels.xml")
    assert [(e.kind, e.title, e.status) for e in entries] == [
        ("post", "A winter drive", "published"), ("post", "Half-written thoughts", "draft"),
        ("page", "About me", "published")]
    post = entries[0]
    assert post.tags == ("Road trips", "Family History")  # spaces kept, Uncategorized dropped
    assert post.slug == "winter-drive"
    assert post.aliases == ("/2010/12/winter-drive.html",)
    assert post.body == ("We left at dawn.\n\nThe road was white.\n\n"
                         "![](https://1.bp.blogspot.com/-abc/s1600/road.jpg)")
    assert [(c.author, c.id, c.parent, c.url, c.body) for c in post.comments] == [
        ("Sam", "3001", "", "https://www.blogger.com/profile/42", "Lovely **photo**!click"),
        ("Robin", "3002", "3001", "", "Thank you, Sam."),
    ]
    assert context.skipped == [(f"{DATA / 'classic-labels.xml'}: comment 3004",
                                "its post (9999) is not in the export")]
    assert context.notes == [f"{DATA / 'classic-labels.xml'}: 2 comments kept, 1 dropped "
                             "(spam, pending, trashed or removed)"]
    assert entries[2].aliases == ("/p/about.html",) and entries[2].slug == "about"


def test_takeout_feed_statuses_and_threads() -> None:
    entries, context = read_all(DATA / "takeout-feed.atom")
    assert [(e.kind, e.slug, e.status) for e in entries] == [
        ("post", "snow-day", "published"), ("post", "unfinished", "draft"),
        ("post", "thrown-away", "deleted"), ("page", "contact", "published")]
    snow = entries[0]
    assert snow.tags == ("Weather Reports", "winter")
    assert snow.url == "" and snow.aliases == ("/2012/02/snow-day.html",)
    assert snow.date.isoformat() == "2012-02-03T09:15:00+00:00"
    assert [(c.author, c.id, c.parent, c.url) for c in snow.comments] == [
        ("Jo", "701", "", "https://jo.example.com/"), ("Alex", "702", "701", "")]
    assert context.notes[-1].endswith("2 comments kept, 1 dropped (spam, pending, trashed or removed)")


def test_takeout_full_urls_with_blog_url() -> None:
    entries, _ = read_all(DATA / "takeout-feed.atom", blog_url="https://takeout.blogspot.com/")
    assert [e.url for e in entries] == ["https://takeout.blogspot.com/2012/02/snow-day.html", "",
                                        "https://takeout.blogspot.com/2012/03/thrown-away.html",
                                        "https://takeout.blogspot.com/p/contact.html"]


def test_own_exports_build_without_private_data(site: Path) -> None:
    exports = [DATA / "classic-labels.xml", DATA / "takeout-feed.atom"]
    config = load_config(site)
    first = run_import(config, BloggerImporter(no_download=True), [str(p) for p in exports])
    assert first.counts == {Outcome.IMPORTED: 7}
    again = run_import(config, BloggerImporter(no_download=True), [str(p) for p in exports])
    assert again.counts == {Outcome.UNCHANGED: 7}  # re-import is idempotent
    build(config)
    values = private_values(DATA / "classic-labels.xml") | {"sam.secret@example.net"}
    assert values >= {"robin.private@example.org", "robin.admin@example.org"}
    assert_nothing_private(site, values)
    html = (site / "public/2010/12/winter-drive/index.html").read_text("utf-8")
    assert "Family History" in html and "Thank you, Sam." in html
    assert "<script" not in html.split("</header>", 1)[-1].lower()
    assert "javascript:" not in html
    assert (site / "public/tags/family-history/index.html").is_file()
    assert (site / "public/2010/12/winter-drive.html").is_file()
    assert not list((site / "public").rglob("*unfinished*"))
    assert not list((site / "public").rglob("*thrown-away*"))


def test_broken_xml_names_the_line(tmp_path: Path) -> None:
    broken = tmp_path / "blog.xml"
    broken.write_text("<?xml version='1.0'?>\n<feed xmlns='http://www.w3.org/2005/Atom'>\n"
                      "<entry><id>x</id>\n<title>oops</entry>\n</feed>\n")
    with pytest.raises(ArchiverError, match=r"not well-formed XML at line 4, column \d+"):
        read_all(broken)


def test_entity_bomb_is_refused(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.xml"
    bomb.write_text('<?xml version="1.0"?>\n<!DOCTYPE feed [<!ENTITY a "aaaaaaaaaa">'
                    '<!ENTITY b "&a;&a;&a;&a;">]>\n<feed xmlns="http://www.w3.org/2005/Atom">'
                    "<title>&b;</title></feed>")
    with pytest.raises(ArchiverError, match="refusing unsafe XML"):
        read_all(bomb)


def test_blogger_cleanup_rules() -> None:
    html = ('one<br><br/>two<br />three<div class="separator"><a href="https://x.bp.blogspot.com'
            '/a/s1600/big.png"><img src="https://x.bp.blogspot.com/a/s200/big.png"></a></div>'
            '<iframe src="https://www.blogger.com/video.g?token=t"></iframe>')
    assert clean_blogger_html(html) == (
        '<p>one</p>\n<p>two<br/>three</p>\n<div class="separator">'
        '<img src="https://x.bp.blogspot.com/a/s1600/big.png"/></div>'
        '\n<iframe src="https://www.blogger.com/video.g?token=t"></iframe>')
    assert html_to_markdown(clean_blogger_html(html)).endswith(
        "[Video on blogger.com](https://www.blogger.com/video.g?token=t)")


def test_cli_imports_a_backup(run_cli, site: Path) -> None:
    result = run_cli("import", "blogger", "--no-download", str(DATA / "classic-labels.xml"),
                     site=site)
    assert result.exit_code == 0, result.output
    assert sorted(entries_in(site)) == ["pages/about.md", "posts/2010/winter-drive.md",
                                        "posts/2011/half-written-thoughts.md"]
    missing = run_cli("import", "blogger", str(site / "nope.xml"), site=site)
    assert missing.exit_code == 1
    assert "nope.xml: no such file" in missing.output


def test_images_are_downloaded_unless_told_not_to(site: Path, monkeypatch) -> None:
    import archiver.importers.media as media

    fetched: list[str] = []

    def fake_fetch(url: str, timeout: float = 0, max_bytes: int = 0) -> tuple[bytes, str]:
        fetched.append(url)
        return b"JPEG bytes", "image/jpeg"

    monkeypatch.setattr(media, "fetch", fake_fetch)
    config = load_config(site)
    run_import(config, BloggerImporter(), [str(DATA / "classic-labels.xml")])
    assert fetched == ["https://1.bp.blogspot.com/-abc/s1600/road.jpg"]
    saved = site / "content/media/blogger/2010/winter-drive/road.jpg"
    assert saved.read_bytes() == b"JPEG bytes"
    post = entries_in(site)["posts/2010/winter-drive.md"]
    assert post.body.endswith("![](/media/blogger/2010/winter-drive/road.jpg)")
    fetched.clear()
    other = site.parent / "other"
    other.mkdir()
    from archiver.scaffold import create_site

    create_site(other / "site", title="t", author="a")
    run_import(load_config(other / "site"), BloggerImporter(no_download=True),
               [str(DATA / "classic-labels.xml")])
    assert fetched == [] and not (other / "site/content/media").exists()


def one_post_takeout(tmp_path: Path, content: str) -> Path:
    """A Takeout feed.atom of one live post, "Shot" at /2012/02/shot.html, with ``content``
    (HTML, escaped as the feed holds it)."""
    export = tmp_path / "feed.atom"
    export.write_text(
        "<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom' "
        "xmlns:blogger='http://schemas.google.com/blogger/2018'><id>tag:blogger.com,1999:blog-9</id>"
        "<title>B</title><entry><id>tag:blogger.com,1999:blog-9.post-1</id><blogger:type>POST</blogger:type>"
        "<blogger:status>LIVE</blogger:status><author><name>A</name></author><title>Shot</title>"
        f"<content type='html'>{content}</content><published>2012-02-03T09:15:00.000Z</published>"
        "<blogger:filename>/2012/02/shot.html</blogger:filename></entry></feed>", "utf-8")
    return export


def test_an_image_pasted_into_a_post_is_kept_as_a_media_file(tmp_path: Path) -> None:
    from zoneinfo import ZoneInfo

    from media_server import PASTED_PNG, PNG, pasted_png_path

    export = one_post_takeout(tmp_path, f"&lt;p&gt;See &lt;img src=\"{PASTED_PNG}\" alt=\"it\"&gt;&lt;/p&gt;")
    [item] = list(BloggerImporter(no_download=True).read(str(export), ImportContext(timezone=ZoneInfo("UTC"))))
    assert (item.entry.body, set(item.files)) == (f"See ![it](/{pasted_png_path('blogger')})",
                                                  {pasted_png_path("blogger")})
    assert item.files[pasted_png_path("blogger")]() == PNG


def test_a_relative_image_is_resolved_against_the_post_s_address(tmp_path: Path) -> None:
    """With --blog-url the post has a full old address: its relative image is the old blog's
    (downloaded, or kept there with --no-download); without it nothing can be resolved."""
    from zoneinfo import ZoneInfo

    export = one_post_takeout(tmp_path, "&lt;p&gt;See &lt;img src=\"/images/shot.jpg\" alt=\"it\"&gt; "
                                        "and &lt;a href=\"/2012/01/before.html\"&gt;before&lt;/a&gt;&lt;/p&gt;")
    context = ImportContext(timezone=ZoneInfo("UTC"))
    [item] = list(BloggerImporter(no_download=True, blog_url="https://walks.blogspot.com/").read(
        str(export), context))
    assert item.entry.body == ("See ![it](https://walks.blogspot.com/images/shot.jpg) and "
                               "[before](/2012/01/before.html)")
    [item] = list(BloggerImporter(no_download=True).read(str(export), context))
    assert item.entry.body == "See ![it](/images/shot.jpg) and [before](/2012/01/before.html)"
