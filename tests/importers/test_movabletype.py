"""Movable Type / TypePad export text: entries, sections, comments and pings, dates, privacy."""

from __future__ import annotations

import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from archiver import frontmatter
from archiver.build.pipeline import build
from archiver.config import load_config
from archiver.importers import ImportContext
from archiver.importers.movabletype import MovableTypeImporter, parse_mt_date, parse_tags
from archiver.importing import run_import
from archiver.model import Entry
from archiver.store import Outcome

DATA = Path(__file__).resolve().parent.parent / "data" / "movabletype"
MULTI = DATA / "multi-entry.txt"
PRIVATE_LINE = re.compile(r"^(?:EMAIL|AUTHOR EMAIL|IP):\s*(\S+)\s*$", re.MULTILINE)


def read_all(path: Path, tz: str = "UTC", **options: object) -> tuple[list[Entry], ImportContext]:
    context = ImportContext(timezone=ZoneInfo(tz))
    entries = [item.entry for item in MovableTypeImporter(**options).read(str(path), context)]
    return entries, context


def private_values(paths: list[Path]) -> set[str]:
    return {value for path in paths
            for value in PRIVATE_LINE.findall(path.read_text("utf-8-sig"))}


def assert_nothing_private(site: Path, values: set[str]) -> None:
    for folder in ("content", "public"):
        for path in (site / folder).rglob("*"):
            if path.suffix in (".md", ".html", ".xml", ".json") and path.is_file():
                # the theme's search page tells how to serve the site at http://127.0.0.1:8000/
                text = path.read_text("utf-8", errors="replace").replace("127.0.0.1:8000", "")
                leaked = sorted(v for v in values if v in text)
                assert not leaked, f"{path}: {leaked}"


# -- the shared real exports ------------------------------------------------------------------
EXPECTED = {  # file -> [(title, status, comments, pingbacks)]
    "labocho-example.movable_type.txt": [("A dummy title", "published", 2, 1),
                                         ("Here is a new entry", "published", 1, 0)],
    "mtparsernet-MultiplePosts.txt": [("Foo post title", "published", 2, 2),
                                      ("Here is a 2nd entry", "published", 0, 0),
                                      ("Here is a 3rd entry", "published", 0, 0)],
    "mtparsernet-PostWithComments.txt": [("Foo post title", "published", 2, 0)],
    "mtparsernet-PostWithCommentsAndPings.txt": [("Foo post title", "published", 2, 2)],
    "mtparsernet-PostWithPings.txt": [("Foo post title", "published", 0, 2)],
    "mtparsernet-SimplePost.txt": [("Foo post title", "published", 0, 0)],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_shared_export_counts(shared_fixtures: Path, name: str) -> None:
    entries, context = read_all(shared_fixtures / "movable-type" / name)
    assert [(e.title, e.status, sum(c.kind == "comment" for c in e.comments),
             sum(c.kind == "pingback" for c in e.comments)) for e in entries] == EXPECTED[name]
    assert context.skipped == []


def test_labocho_example_fields(shared_fixtures: Path) -> None:
    entries, _ = read_all(shared_fixtures / "movable-type" / "labocho-example.movable_type.txt",
                          tz="America/New_York")
    first, second = entries
    assert first.date.isoformat() == "2002-01-31T15:31:05-05:00"
    assert second.date.isoformat() == "2002-01-31T03:31:05-05:00"  # 24-hour form
    assert first.tags == ("Media", "News")
    assert first.body == ("This is the body.\n\nAnother paragraph here.\n\nAnother paragraph here."
                          "\n\nHere is some more text.\n\nAnother paragraph here.\n\n"
                          "Another paragraph here.")
    bar = first.comments[1]
    assert (bar.author, bar.url, bar.date.isoformat()) == ("Bar", "", "2002-02-01T04:02:07-05:00")
    ping = first.comments[2]
    assert (ping.kind, ping.author, ping.url) == ("pingback", "My Weblog",
                                                  "http://www.foo.com/old/2002/08/")
    assert ping.body == "**My Entry**\n\nThis is the start of my  \nentry, and here it..."
    assert second.extra == {"summary": "See, this entry does not have an extended piece; but "
                                       "it does have an excerpt. It is special."}


def test_mtparsernet_headers(shared_fixtures: Path) -> None:
    [entry], context = read_all(shared_fixtures / "movable-type" / "mtparsernet-SimplePost.txt")
    assert entry.tags == ("Foo primary category", "Foo category", "Bar category",
                          "Foo bar category", "Foo bar", "Foo", "Bar")
    assert entry.body == "Foo body text\n\nFoo extended body"
    assert entry.url == "https://www.example.com/foo-bar.html"
    assert entry.aliases == ("/foo-bar.html",)
    assert entry.slug == "foo-post-basename"
    assert entry.extra == {"summary": "Foo excerpt", "keywords": "Foo keywords"}
    assert entry.date.isoformat() == "2020-01-01T09:50:00+00:00"


def test_shared_exports_build_without_private_data(shared_fixtures: Path, site: Path) -> None:
    files = sorted((shared_fixtures / "movable-type").iterdir())
    config = load_config(site)
    report = run_import(config, MovableTypeImporter(), [str(p) for p in files])
    # the five mtparsernet files hold the same entry (same UNIQUE URL): merged, not duplicated;
    # its comments and pings are told apart by author and date, not by their place in a file
    assert report.counts == {Outcome.IMPORTED: 5, Outcome.UNCHANGED: 4}
    assert len(list((site / "content").rglob("*.md"))) == 5
    merged = frontmatter.loads((site / "content/posts/2020/foo-post-basename.md").read_text(),
                               "posts/2020/foo-post-basename.md")
    assert [(c.kind, c.author, c.id) for c in merged.comments] == [
        ("comment", "Jane Doe", ""), ("comment", "Mr Smith", ""),
        ("pingback", "Foo blog name 1", ""), ("pingback", "Foo blog name 2", "")]
    build(config)
    values = private_values(files)
    assert values == {"joe@bloggs.com", "jane@doe.com", "mrsmith@example.com", "127.0.0.1",
                      "me@bar.com", "205.66.1.32", "206.22.1.53"}
    assert_nothing_private(site, values)


# -- own multi-entry file ---------------------------------------------------------------------
def test_multi_entry_file() -> None:
    entries, context = read_all(MULTI, tz="Europe/Berlin")
    assert [(e.title, e.status) for e in entries] == [
        ("First snow", "published"), ("Notes for later", "draft"),
        ("Written in Markdown", "published")]
    assert context.skipped == [(f"{MULTI}:108", "entry 'Broken date' has no readable DATE "
                                               "('yesterday')")]
    assert context.notes == [f"{MULTI}:1: 1 comments or pings without text dropped"]
    snow, draft, markdown = entries
    assert snow.date.isoformat() == "2004-12-05T23:45:00+01:00"
    assert snow.tags == ("Weather", "winter walks", "snow")
    assert snow.body == ("The first snow came at night.  \nIt covered everything.\n\n"
                         "We went out at once.\n\n**More** about the walk.")
    assert snow.slug == "first-snow"
    assert snow.extra == {"summary": "Snow, at last.", "keywords": "snow walk night"}
    assert [(c.kind, c.author, c.url) for c in snow.comments] == [
        ("comment", "Sam", "http://sam.example.net/"), ("comment", "Mallory", ""),
        ("pingback", "Other blog", "http://other.example.com/2004/12/snow.html")]
    assert snow.comments[0].body == "Beautiful!  \nWish I had been there."
    assert snow.comments[1].body == "Nice post"
    assert snow.comments[2].date.isoformat() == "2004-12-07T14:00:00+01:00"
    assert draft.body == "Not finished." and draft.tags == ("Drafts",)
    assert markdown.body == "Some *emphasis* and a list:\n\n- one\n- two"
    # the NO ENTRY section's comment joined the entry with its title
    assert [(c.kind, c.author) for c in markdown.comments] == [("pingback", "Third blog"),
                                                               ("comment", "Late reader")]


def test_own_file_site_is_private_and_idempotent(site: Path) -> None:
    config = load_config(site)
    first = run_import(config, MovableTypeImporter(), [str(MULTI)])
    assert first.counts == {Outcome.IMPORTED: 3}
    assert run_import(config, MovableTypeImporter(), [str(MULTI)]).counts == {Outcome.UNCHANGED: 3}
    build(config)
    values = private_values([MULTI])
    assert len(values) == 11
    assert_nothing_private(site, values)
    html = (site / "public/2004/12/first-snow/index.html").read_text("utf-8")
    assert "Wish I had been there." in html and "Other blog" in html
    assert "javascript:" not in html and "alert(1)" not in html
    assert (site / "public/archives/2004/12/first_snow.html").is_file()  # old URL redirects
    assert not list((site / "public").rglob("*notes-for-later*"))


def test_timezone_option_and_errors(run_cli, site: Path) -> None:
    result = run_cli("import", "movabletype", "--timezone", "Asia/Tokyo", str(MULTI), site=site)
    assert result.exit_code == 0, result.output
    text = (site / "content/posts/2004/first-snow.md").read_text("utf-8")
    assert "date: 2004-12-05T23:45:00+09:00" in text
    assert "sam.hidden" not in text and "192.0.2.44" not in text
    bad_zone = run_cli("import", "movabletype", "--timezone", "Mars/Base", str(MULTI), site=site)
    assert bad_zone.exit_code == 1 and "unknown time zone 'Mars/Base'" in bad_zone.output
    not_mt = site / "notes.txt"
    not_mt.write_text("just some text\n")
    wrong = run_cli("import", "movabletype", str(not_mt), site=site)
    assert wrong.exit_code == 1 and "no Movable Type entries found" in wrong.output


def test_date_and_tag_parsing() -> None:
    tz = ZoneInfo("UTC")
    assert parse_mt_date("01/31/2002 03:31:05 PM", tz).isoformat() == "2002-01-31T15:31:05+00:00"
    assert parse_mt_date("12/31/2002 12:00:00 AM", tz).isoformat() == "2002-12-31T00:00:00+00:00"
    assert parse_mt_date("2002-01-31 15:31:05", tz).isoformat() == "2002-01-31T15:31:05+00:00"
    assert parse_mt_date("31/01/2002 10:00:00", tz) is None
    assert parse_tags('"Foo bar",Foo,Bar') == ["Foo bar", "Foo", "Bar"]
    assert parse_tags('"a, b", c') == ["a, b", "c"]
    assert parse_tags("") == []


def test_loose_layout(tmp_path: Path) -> None:
    export = tmp_path / "loose.txt"
    export.write_text("\ufeffTITLE: Loose \r\nDATE: 03/04/2005 05:06:07 PM\r\n----- \r\n"
                      "STATUS: Draft\r\n-----\r\nBODY:\r\nfirst line\r\n\r\nsecond\r\n-----  \r\n"
                      "--------\r\n\r\nTITLE: Unfinished last entry\r\nDATE: 03/05/2005 10:00:00 AM\r\n"
                      "-----\r\nBODY:\r\n<p>no closing dashes</p>\r\n", encoding="utf-8")
    entries, context = read_all(export)
    assert [(e.title, e.status, e.body) for e in entries] == [
        ("Loose", "draft", "first line\n\nsecond"),
        ("Unfinished last entry", "published", "no closing dashes")]
    assert context.skipped == []


# -- media ------------------------------------------------------------------------------------
def typepad_export(tmp_path: Path, base: str) -> Path:
    """One TypePad-style entry: an image URL without extension, a linked PDF, a pasted PNG."""
    from media_server import PASTED_PNG

    export = tmp_path / "typepad.txt"
    export.write_text(
        "AUTHOR: Robin\nTITLE: Harbour walk\nBASENAME: harbour_walk\nSTATUS: Publish\n"
        "CONVERT BREAKS: 0\nDATE: 06/12/2008 09:30:00 AM\n-----\nBODY:\n"
        f'<p><a href="{base}/.a/6a00d8-pi"><img alt="Harbour" src="{base}/.a/6a00d8-pi" /></a></p>\n'
        f'<p>The <a href="{base}/files/map.pdf">map</a> and a sketch: '
        f'<img src="{PASTED_PNG}" alt="sketch" /></p>\n-----\n--------\n', "utf-8")
    return export


def test_images_and_files_are_downloaded_into_the_site(tmp_path: Path, site: Path) -> None:
    from media_server import PNG, LocalServer, pasted_png_path

    routes = {"/.a/6a00d8-pi": (200, {"Content-Type": "image/jpeg"}, b"JPEG harbour"),
              "/files/map.pdf": (200, {"Content-Type": "application/pdf"}, b"%PDF-1.4 map")}
    with LocalServer(routes) as server:
        export = typepad_export(tmp_path, server.base)
        config = load_config(site)
        assert run_import(config, MovableTypeImporter(), [str(export)]).counts == {Outcome.IMPORTED: 1}
        assert sorted(path for path, _ in server.requests) == ["/.a/6a00d8-pi", "/files/map.pdf"]
        again = run_import(config, MovableTypeImporter(), [str(export)])
        assert again.counts == {Outcome.UNCHANGED: 1} and len(server.requests) == 2
    folder = site / "content/media/movabletype/2008/harbour-walk"
    assert sorted(p.name for p in folder.iterdir()) == ["6a00d8-pi.jpg", "map.pdf"]
    assert (folder / "6a00d8-pi.jpg").read_bytes() == b"JPEG harbour"
    assert (site / "content" / pasted_png_path("movabletype")).read_bytes() == PNG
    text = (site / "content/posts/2008/harbour-walk.md").read_text("utf-8")
    assert text.split("---\n", 2)[2] == (
        "[![Harbour](/media/movabletype/2008/harbour-walk/6a00d8-pi.jpg)]"
        "(/media/movabletype/2008/harbour-walk/6a00d8-pi.jpg)\n\n"
        "The [map](/media/movabletype/2008/harbour-walk/map.pdf) and a sketch: "
        f"![sketch](/{pasted_png_path('movabletype')})")
    build(config)
    page = (site / "public/2008/06/harbour-walk/index.html").read_text("utf-8")
    assert page.count('src="../../../media/movabletype/2008/harbour-walk/6a00d8-pi.jpg"') == 1
    assert (site / "public/media/movabletype/2008/harbour-walk/map.pdf").read_bytes() == b"%PDF-1.4 map"
    assert (site / "public" / pasted_png_path("movabletype")).read_bytes() == PNG


def test_no_download_keeps_the_old_urls(tmp_path: Path, site: Path, run_cli) -> None:
    from media_server import LocalServer, pasted_png_path

    with LocalServer({}) as server:
        export = typepad_export(tmp_path, server.base)
        result = run_cli("import", "movabletype", "--no-download", str(export), site=site)
        assert result.exit_code == 0, result.output
        assert server.requests == []
    text = (site / "content/posts/2008/harbour-walk.md").read_text("utf-8")
    assert f"[![Harbour]({server.base}/.a/6a00d8-pi)]({server.base}/.a/6a00d8-pi)" in text
    assert f"[map]({server.base}/files/map.pdf)" in text
    assert f"![sketch](/{pasted_png_path('movabletype')})" in text  # nothing to download


def test_a_failed_download_keeps_the_url_and_says_so(tmp_path: Path) -> None:
    from media_server import LocalServer

    with LocalServer({"/files/map.pdf": (200, {"Content-Type": "application/pdf"}, b"%PDF")}) as server:
        export = typepad_export(tmp_path, server.base)
        [entry], context = read_all(export)
    assert f"[![Harbour]({server.base}/.a/6a00d8-pi)]" in entry.body
    assert [note.split(" (")[0] for note in context.notes] == [
        f"{export}:1: could not download {server.base}/.a/6a00d8-pi"]


def test_relative_images_of_an_html_entry_are_kept_and_a_markdown_entry_is_left_as_written(
        tmp_path: Path, site: Path) -> None:
    """Relative media URLs are resolved against the entry's UNIQUE URL, then downloaded; a
    Markdown entry (CONVERT BREAKS: markdown) is not read as HTML."""
    from media_server import PNG, LocalServer

    routes = {"/images/gull.png": (200, {"Content-Type": "image/png"}, PNG),
              "/2008/06/tern.png": (200, {"Content-Type": "image/png"}, PNG + b"tern")}
    with LocalServer(routes) as server:
        base = server.base.rstrip("/")
        export = tmp_path / "relative.txt"
        export.write_text(
            f"TITLE: Birds\nBASENAME: birds\nUNIQUE URL: {base}/2008/06/birds.html\nSTATUS: Publish\n"
            "CONVERT BREAKS: 0\nDATE: 06/12/2008 09:30:00 AM\n-----\nBODY:\n"
            '<p><img alt="Gull" src="/images/gull.png" /> <img alt="Tern" src="tern.png" /> '
            '<a href="/2008/05/fish.html">fish</a></p>\n-----\n--------\n'
            f"TITLE: Notes\nBASENAME: notes\nUNIQUE URL: {base}/2008/06/notes.html\nSTATUS: Publish\n"
            "CONVERT BREAKS: markdown\nDATE: 06/13/2008 09:30:00 AM\n-----\nBODY:\n"
            'See <http://example.org/a?b=1&c=2> and <img src="/images/gull.png" alt="gull"> & more.\n'
            "-----\n--------\n", "utf-8")
        run_import(load_config(site), MovableTypeImporter(), [str(export)])
        assert sorted(path for path, _ in server.requests) == ["/2008/06/tern.png", "/images/gull.png"]
    birds = (site / "content/posts/2008/birds.md").read_text("utf-8").split("---\n", 2)[2]
    assert birds == ("![Gull](/media/movabletype/2008/birds/gull.png) "
                     "![Tern](/media/movabletype/2008/birds/tern.png) [fish](/2008/05/fish.html)")
    notes = (site / "content/posts/2008/notes.md").read_text("utf-8").split("---\n", 2)[2]
    assert notes == 'See <http://example.org/a?b=1&c=2> and <img src="/images/gull.png" alt="gull"> & more.'
