"""The build on a small site: which files, what they say, what never appears."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from defusedxml import ElementTree

from archiver.build.pipeline import build
from archiver.config import load_config
from archiver.errors import ArchiverError
from sitegen import small_site, write

EXPECTED_FILES = {
    "index.html", "404.html", "feed.xml", "feed.json", "sitemap.xml", "static/style.css",
    "2009/03/first-post/index.html", "2010/12/second-post/index.html", "about/index.html",
    "tweets/101/index.html", "tweets/102/index.html", "tweets/103/index.html", "tweets/200/index.html",
    "tags/index.html", "tags/open-web/index.html", "tags/baking/index.html", "tags/threads/index.html",
    "2009/index.html", "2009/03/index.html", "2010/index.html", "2010/12/index.html",
    "2009/03/first-post.html", "media/posts/2010/pic.png",
    "old-links.js",  # the first post's alias /?p=1
}


@pytest.fixture
def built(site: Path) -> Path:
    small_site(site)
    build(load_config(site))
    return site / "public"


def output_files(out: Path) -> set[str]:
    return {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}


def test_expected_files(built: Path) -> None:
    files = output_files(built)
    core = {f for f in files if not f.startswith(("pagefind/", "words/", "stats/", "search/", "on-this-day/"))
            and not (f.startswith("static/") and f != "static/style.css")}  # theme assets vary
    assert EXPECTED_FILES <= files
    assert core - EXPECTED_FILES == set()


def test_hidden_items_never_published(built: Path) -> None:
    for path in built.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for secret in (b"DRAFT-SECRET-TEXT", b"DELETED-SECRET-TWEET", b"Secret draft", b"hidden-tag"):
                assert secret not in data, f"{secret!r} leaked into {path}"
    assert not (built / "media/posts/2011/secret.png").exists()
    assert not (built / "media/tweets/2010/300-x.png").exists()


def test_tags_merge_case_and_keep_first_name(built: Path) -> None:
    page = (built / "tags/open-web/index.html").read_text()
    assert "<h1 class=\"page-title\">Tagged “Open Web”</h1>" in page
    assert page.count('class="h-entry post-summary"') == 2


def test_every_internal_link_resolves(built: Path) -> None:
    link = re.compile(r'(?:href|src)="([^"]+)"')
    for page in built.rglob("*.html"):
        if page.name == "404.html":
            continue
        for target in link.findall(page.read_text()):
            if target.startswith(("http://", "https://", "mailto:", "#")):
                continue
            assert not target.startswith("/"), f"{page}: absolute path {target}"
            resolved = (page.parent / target.split("#")[0].split("?")[0]).resolve()
            assert resolved.is_file(), f"{page.relative_to(built)} links to missing {target}"


def test_thread_on_first_tweet_page(built: Path) -> None:
    first = (built / "tweets/101/index.html").read_text()
    assert "A thread of 3 tweets" in first
    assert first.count('class="e-content"') == 3
    second = (built / "tweets/102/index.html").read_text()
    assert 'Tweet 2 of a <a href="../../tweets/101/index.html">thread of 3</a>.' in second
    assert '<a rel="prev" href="../../tweets/101/index.html">← Previous in thread</a>' in second
    assert '<a rel="next" href="../../tweets/103/index.html">Next in thread →</a>' in second


def test_timezone_groups_dates(site: Path) -> None:
    small_site(site)
    (site / "site.yaml").write_text("title: T\ntimezone: Pacific/Kiritimati\n")
    build(load_config(site))
    assert (site / "public/2011/01/index.html").is_file()
    assert "New year" in (site / "public/2011/01/index.html").read_text()


def test_comments_threaded_and_escaped(built: Path) -> None:
    page = (built / "2009/03/first-post/index.html").read_text()
    assert '<h2 id="comments-title">2 responses</h2>' in page
    assert re.search(r'id="comment-1">.*<ol class="comment-replies"><li[^>]*id="comment-2">', page, re.S)
    assert '<a class="p-author h-card" href="http://bob.example/" rel="nofollow ugc">Bob</a>' in page


def test_text_shows_as_written(built: Path) -> None:
    page = (built / "tweets/200/index.html").read_text()
    assert "<p>New year's eve &amp; &lt;3</p>" in page


def test_redirect_for_alias(built: Path) -> None:
    page = (built / "2009/03/first-post.html").read_text()
    assert '<meta http-equiv="refresh" content="0; url=../../2009/03/first-post/index.html">' in page
    assert '<a href="../../2009/03/first-post/index.html">First post</a>' in page


def test_feeds(built: Path) -> None:
    atom = ElementTree.parse(built / "feed.xml").getroot()
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [e.findtext("a:title", namespaces=ns) for e in atom.findall("a:entry", ns)]
    assert titles == ["New year's eve & <3", "Second post", "Thread part 3", "Thread part 2",
                      "Thread part 1", "First post"]
    feed = json.loads((built / "feed.json").read_text())
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert [i["url"] for i in feed["items"]][:2] == ["tweets/200/", "2010/12/second-post/"]
    sitemap = ElementTree.parse(built / "sitemap.xml").getroot()
    locs = {e.text for e in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    assert "2009/03/first-post/" in locs and "./" in locs


def test_absolute_feed_urls_with_base_url(site: Path) -> None:
    small_site(site)
    (site / "site.yaml").write_text("title: T\nbase_url: https://example.org/blog/\n")
    build(load_config(site))
    feed = json.loads((site / "public/feed.json").read_text())
    assert feed["items"][-1]["url"] == "https://example.org/blog/2009/03/first-post/"
    assert 'href="https://example.org/blog/tags/baking/"' in feed["items"][-1]["content_html"]
    not_found = (site / "public/404.html").read_text()
    assert 'href="/blog/tags/index.html"' in not_found


def test_rebuild_writes_nothing_and_is_identical(site: Path) -> None:
    small_site(site)
    config = load_config(site)
    build(config)
    before = {p: p.read_bytes() for p in (site / "public").rglob("*") if p.is_file()}
    result = build(config)
    assert result.written == 0
    assert {p: p.read_bytes() for p in (site / "public").rglob("*") if p.is_file()} == before


def test_deleting_an_item_removes_its_page(site: Path) -> None:
    small_site(site)
    config = load_config(site)
    build(config)
    tweet = site / "content/tweets/2010/12/200.md"
    tweet.write_text(tweet.read_text().replace("source_id: \"200\"\n", "source_id: \"200\"\nstatus: deleted\n"))
    result = build(config)
    assert not (site / "public/tweets/200").exists()
    assert result.removed >= 1


def test_each_output_folder_keeps_its_own_manifest(site: Path, tmp_path: Path) -> None:
    """Building into public/ and into another folder in turn: a tweet deleted meanwhile goes
    from both, and both can be cleaned (with one manifest for all, public/ kept the tweet and
    --clean refused its files as another program's)."""
    small_site(site)
    config = load_config(site)
    deploy = tmp_path / "deploy"
    build(config)
    build(config, output=deploy)
    assert (site / ".archiver/manifest.json").is_file()
    assert len(list((site / ".archiver").glob("manifest-*.json"))) == 1
    tweet = site / "content/tweets/2010/12/200.md"
    tweet.write_text(tweet.read_text().replace("source_id: \"200\"\n", "source_id: \"200\"\nstatus: deleted\n"))
    for output in (site / "public", deploy):
        result = build(config, output=output)
        assert not (output / "tweets/200").exists() and result.removed >= 1
        assert result.rendered < result.pages  # its pages were known: not all rendered again
    build(config, clean=True)
    build(config, output=deploy, clean=True)
    assert (deploy / "index.html").is_file() and (site / "public/index.html").is_file()


def test_a_folder_built_before_each_folder_had_its_manifest_is_still_known(site: Path,
                                                                           tmp_path: Path) -> None:
    """Builds before 2026-11-25 kept the manifest of the folder they built last in
    manifest.json: a folder given with --output then is known by its files, not a stranger."""
    small_site(site)
    config = load_config(site)
    deploy = tmp_path / "deploy"
    build(config, output=deploy)
    state = site / ".archiver"
    [own] = state.glob("manifest-*.json")
    own.rename(state / "manifest.json")  # where the older build left it
    assert build(config, output=deploy).written == 0  # up to date: its files are all there
    post = site / "content/posts/2009/first-post.md"
    post.write_text(post.read_text("utf-8") + "\nMore.\n", "utf-8")
    result = build(config, output=deploy)
    assert 0 < result.rendered < result.pages  # the last build's pages were known and kept
    assert not [w for w in result.warnings if "no build of this site recorded" in w]
    assert len(list(state.glob("manifest-*.json"))) == 1  # its own one from now on


def test_files_no_build_recorded_are_named_while_they_are_there(site: Path) -> None:
    """The state folder deleted after a tweet was: its page stays in public/, and each build
    says so (it cannot know the file is its own) until the file is gone."""
    small_site(site)
    config = load_config(site)
    build(config)
    tweet = site / "content/tweets/2010/12/200.md"
    tweet.write_text(tweet.read_text().replace("source_id: \"200\"\n", "source_id: \"200\"\nstatus: deleted\n"))
    shutil.rmtree(site / ".archiver")
    result = build(config)
    assert (site / "public/tweets/200/index.html").is_file()
    [warning] = [w for w in result.warnings if "no build of this site recorded" in w]
    assert warning.startswith(f"{site / 'public'} holds 2 file(s) that no build of this site "
                              "recorded writing (e.g. on-this-day/12-31/index.html, "
                              "tweets/200/index.html): ")  # the tweet's page and its day's
    assert warning in build(config).warnings  # nothing changed: the last build's report
    post = site / "content/posts/2009/first-post.md"
    post.write_text(post.read_text("utf-8") + "\nMore.\n", "utf-8")
    assert warning in build(config).warnings  # a build: still there
    shutil.rmtree(site / "public/tweets/200")
    shutil.rmtree(site / "public/on-this-day/12-31")
    assert not [w for w in build(config).warnings if "no build of this site recorded" in w]


def test_a_newer_post_never_takes_the_address_of_an_older_one(site: Path) -> None:
    """Two posts of one month with one slug (two blogs imported, a hand-written post): the
    older keeps the address people link to, though the newer one's file name sorts first."""
    write(site, "posts/2011/hello.md", "---\ntitle: Hello\ndate: 2011-05-01T10:00:00Z\n"
                                       "slug: hello\n---\nThe original.\n")
    config = load_config(site)
    build(config)
    write(site, "posts/2011/hello-2.md", "---\ntitle: Hello again\ndate: 2011-05-20T10:00:00Z\n"
                                         "slug: hello\n---\nThe second one.\n")
    result = build(config)
    assert "The original." in (site / "public/2011/05/hello/index.html").read_text("utf-8")
    assert "The second one." in (site / "public/2011/05/hello-2/index.html").read_text("utf-8")
    assert ("posts/2011/hello-2.md: URL /2011/05/hello/ is already used by posts/2011/hello.md; "
            "using /2011/05/hello-2/ (set a different 'slug')") in result.warnings


def test_the_sites_static_folder_is_copied_to_the_output_root(site: Path, tmp_path: Path) -> None:
    """static/ holds what the site needs at its root (robots.txt, CNAME, .well-known/ ...):
    copied as it is, watched by the up-to-date check, never a link or the build's own file."""
    small_site(site)
    static = site / "static"
    (static / ".well-known").mkdir(parents=True)
    (static / "robots.txt").write_text("User-agent: *\nDisallow:\n")
    (static / "CNAME").write_text("archive.example.org\n")
    (static / ".well-known" / "security.txt").write_text("Contact: mailto:me@example.org\n")
    (static / "index.html").write_text("not the home page")
    (static / ".DS_Store").write_bytes(b"\0")
    (static / ".git").mkdir()
    (static / ".git" / "config").write_text("[remote]\n")
    (tmp_path / "secret.txt").write_text("TOP-SECRET")
    os.symlink(tmp_path / "secret.txt", static / "leak.txt")
    config = load_config(site)
    result = build(config)
    public = site / "public"
    assert (public / "robots.txt").read_text() == "User-agent: *\nDisallow:\n"
    assert (public / "CNAME").read_text() == "archive.example.org\n"
    assert (public / ".well-known/security.txt").is_file()
    assert "not the home page" not in (public / "index.html").read_text()
    assert not (public / ".DS_Store").exists() and not (public / "leak.txt").exists()
    assert not (public / ".git").exists()
    assert "static/index.html is not copied: the build makes that file itself" in result.warnings
    assert any(w.startswith("static/leak.txt is a symbolic link") for w in result.warnings)
    (static / "robots.txt").write_text("User-agent: *\nDisallow: /\n")
    again = build(config)  # a change in static/ alone is a change of the site
    assert (again.written, (public / "robots.txt").read_text()) == (1, "User-agent: *\nDisallow: /\n")
    (static / "CNAME").unlink()
    assert build(config).removed == 1 and not (public / "CNAME").exists()
    with pytest.raises(ArchiverError, match="would overwrite the site"):
        build(config, output=static)


def test_template_override(site: Path) -> None:
    small_site(site)
    (site / "templates").mkdir()
    (site / "templates/tags.html").write_text("custom tags page {{ groups | length }}")
    build(load_config(site))
    assert (site / "public/tags/index.html").read_text() == "custom tags page 3"


def test_missing_theme_is_a_clear_error(site: Path) -> None:
    (site / "site.yaml").write_text("title: T\ntheme: fancy\n")
    with pytest.raises(ArchiverError, match="theme 'fancy' not found"):
        build(load_config(site))


def test_clean_removes_only_what_it_wrote(site: Path) -> None:
    small_site(site)
    config = load_config(site)
    build(config)
    assert (site / ".archiver/cache").is_dir()
    build(config, clean=True)
    assert (site / "public/index.html").is_file()
    (site / "public/CNAME").write_text("example.org")
    with pytest.raises(ArchiverError, match=r"refusing to clean: 1 file\(s\) archiver did not write \(e.g. CNAME\)"):
        build(config, clean=True)
    assert (site / "public/index.html").is_file()


def test_clean_refuses_site_root(site: Path) -> None:
    with pytest.raises(ArchiverError, match="would overwrite the site"):
        build(load_config(site), output=site, clean=True)


@pytest.mark.parametrize("folder", ["templates", "themes/mine", ".archiver", "content/posts", ".."])
def test_the_output_is_never_one_of_the_sites_own_folders(site: Path, folder: str) -> None:
    (site / "templates").mkdir()
    (site / "templates" / "404.html").write_text("{# my override #}")
    with pytest.raises(ArchiverError, match="would overwrite the site"):
        build(load_config(site), output=site / folder)
    assert (site / "templates" / "404.html").read_text() == "{# my override #}"


def test_sitemap_bytes_and_escaping(site: Path) -> None:
    from archiver.build.feeds import sitemap
    from archiver.build.site import build_index

    (site / "site.yaml").write_text("title: T\nbase_url: https://example.org/\n")
    index = build_index(load_config(site), [])
    data = sitemap(index, ["b/index.html", "a&b/<x>/index.html", "é/index.html", "index.html"])
    assert data == ('<?xml version="1.0" encoding="utf-8"?>\n'
                    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                    "<url><loc>https://example.org/a&amp;b/&lt;x&gt;/</loc></url>"
                    "<url><loc>https://example.org/b/</loc></url>"
                    "<url><loc>https://example.org/</loc></url>"
                    "<url><loc>https://example.org/é/</loc></url></urlset>").encode("utf-8")
    locs = [e.text for e in ElementTree.fromstring(data).iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert locs == ["https://example.org/a&b/<x>/", "https://example.org/b/", "https://example.org/",
                    "https://example.org/é/"]


def test_control_characters_never_make_the_feed_unreadable(site: Path) -> None:
    post = site / "content" / "posts" / "2020" / "c.md"
    post.parent.mkdir(parents=True)
    post.write_text('---\ntitle: "Red \\e[31m alert \\v here"\ndate: 2020-01-01T00:00:00Z\n'
                    'tags: ["bell\\aring"]\n---\nA \x01 body \x1b with \ufffe controls.\n', "utf-8")
    build(load_config(site))
    atom = ElementTree.parse(site / "public" / "feed.xml").getroot()  # raises if not XML
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entry = atom.find("a:entry", ns)
    assert entry.findtext("a:title", namespaces=ns) == "Red [31m alert  here"
    assert entry.find("a:category", ns).get("term") == "bellring"
    assert entry.findtext("a:content", namespaces=ns) == "<p>A  body  with  controls.</p>"


def test_more_pages_than_the_menu_holds_are_listed_at_pages(site: Path) -> None:
    small_site(site)  # has an About page
    for n in range(21):
        write(site, f"pages/p{n:02d}.md", f"---\ntitle: Page {n:02d}\ndate: 2012-01-01T00:00:00+00:00\n---\nText {n}\n")
    result = build(load_config(site))
    out = site / "public"
    menu = re.search(r'<nav class="site-nav".*?</nav>', (out / "tweets/101/index.html").read_text(), re.S)
    links = re.findall(r'<li><a href="([^"]+)"[^>]*>([^<]+)</a></li>', menu.group(0))
    assert links[-21:] == [("../../about/index.html", "About"),
                           *((f"../../p{n:02d}/index.html", f"Page {n:02d}") for n in range(19)),
                           ("../../pages/index.html", "All pages")]
    listed = re.findall(r'<h2 class="p-name"><a href="([^"]+)"',
                        (out / "pages/index.html").read_text())
    assert listed == ["../about/index.html", *(f"../p{n:02d}/index.html" for n in range(19))]
    assert re.findall(r'<h2 class="p-name"><a href="([^"]+)"',
                      (out / "pages/page/2/index.html").read_text()) == ["../../../p19/index.html",
                                                                          "../../../p20/index.html"]
    assert 'aria-current="page">All pages<' in (out / "pages/index.html").read_text()
    assert not [w for w in result.warnings if "page" in w]  # nothing is left out of the menu


def test_year_pages_link_the_nearest_years_with_items_across_empty_ones(site: Path) -> None:
    small_site(site)  # items in 2009 and 2010
    write(site, "posts/2013/later.md", "---\ntitle: Later\ndate: 2013-05-01T10:00:00+00:00\n---\nLater.\n")
    build(load_config(site))

    def neighbours(year: int) -> list[str]:
        page = (site / f"public/{year}/index.html").read_text()
        nav = page.split('<nav class="neighbours" aria-label="Other years">', 1)[1].split("</nav>", 1)[0]
        return re.findall(r'<a href="([^"]+)">([^<]+)</a>', nav)

    assert neighbours(2009) == [("../2010/index.html", "2010 →")]
    assert neighbours(2010) == [("../2013/index.html", "2013 →"), ("../2009/index.html", "← 2009")]
    assert neighbours(2013) == [("../2010/index.html", "← 2010")]


def test_the_feed_is_valid_atom_without_author_or_base_url(site: Path) -> None:
    small_site(site)
    config_file = site / "site.yaml"
    config_file.write_text(config_file.read_text().replace("author: Tester", "author: ''"))
    build(load_config(site))
    atom = ElementTree.parse(site / "public/feed.xml").getroot()
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert atom.findtext("a:id", namespaces=ns) == "tag:archiver,2000:Test%20site"  # no space
    assert atom.findtext("a:author/a:name", namespaces=ns) == "Test site"


def test_a_tweet_that_was_only_a_missing_photo_says_so(site: Path) -> None:
    small_site(site)
    write(site, "tweets/2010/12/400.md", "---\ndate: 2010-12-20T10:00:00+00:00\nsource: twitter\n"
                                         "source_id: '400'\nurl: https://twitter.com/robin/status/400\n---\n")
    build(load_config(site))
    note = ('<p class="meta media-missing">Only a photo or video, which the archive does not hold: '
            '<a href="https://twitter.com/robin/status/400">the tweet on Twitter</a>.</p>')
    assert note in (site / "public/tweets/400/index.html").read_text()
    assert note in (site / "public/2010/12/index.html").read_text()
    assert "media-missing" not in (site / "public/tweets/200/index.html").read_text()


def test_an_edit_of_the_same_size_with_the_old_mtime_put_back_is_built(site: Path) -> None:
    """cp -p, rsync -t, touch -r and restores from archives keep a file's old mtime; its
    ctime is new, and the build looks at both."""
    small_site(site)
    config = load_config(site)
    build(config)
    post = site / "content/posts/2009/first-post.md"
    before = post.stat()
    post.write_text(post.read_text().replace("title: First post", "title: First Post"))
    os.utime(post, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (post.stat().st_size, post.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    build(config)
    assert "First Post" in (site / "public/2009/03/first-post/index.html").read_text()


def test_an_alias_that_cannot_be_a_page_is_left_out_with_a_warning(site: Path) -> None:
    small_site(site)
    write(site, "posts/2012/odd.md", "---\ntitle: Odd\ndate: 2012-01-01T10:00:00+00:00\n"
                                    "aliases: ['/../etc/x.html', '/', '/2009/03/first-post/', '/old/', '/old', '/?p=9']\n---\nOdd.\n")
    result = build(load_config(site))
    odd = [w for w in result.warnings if w.startswith("content/posts/2012/odd.md")]
    assert odd == [
        "content/posts/2012/odd.md: alias '/../etc/x.html' cannot be a page of the site (empty, "
        "the home page or an unsafe path); left out",
        "content/posts/2012/odd.md: alias '/' cannot be a page of the site (empty, the home page "
        "or an unsafe path); left out",
        "content/posts/2012/odd.md: alias '/2009/03/first-post/' is the address of another page; left out"]
    assert "Odd" in (site / "public/old/index.html").read_text()


def test_month_pages_link_the_nearest_months_with_items_and_their_year(site: Path) -> None:
    small_site(site)  # items in 2009-03 and 2010-12 (and a page, in no month)
    write(site, "posts/2010/june.md", "---\ntitle: June\ndate: 2010-06-01T10:00:00+00:00\n---\nJune.\n")
    build(load_config(site))

    def neighbours(month: str) -> list[tuple[str, str]]:
        page = (site / f"public/{month}/index.html").read_text()
        nav = page.split('<nav class="neighbours" aria-label="Other months">', 1)[1].split("</nav>", 1)[0]
        return re.findall(r'<a href="([^"]+)">([^<]+)</a>', nav)

    assert neighbours("2009/03") == [("../../2010/06/index.html", "June 2010 →"),
                                     ("../../2009/index.html", "All of 2009")]
    assert neighbours("2010/06") == [("../../2010/12/index.html", "December 2010 →"),
                                     ("../../2010/index.html", "All of 2010"),
                                     ("../../2009/03/index.html", "← March 2009")]
    assert neighbours("2010/12") == [("../../2010/index.html", "All of 2010"),
                                     ("../../2010/06/index.html", "← June 2010")]
