"""Every real-world export in ../shared/fixtures/wordpress, read in place (see SOURCES.md).

Each file: the exact counts of posts and pages per status, comments kept and dropped and items
that are not posts (from the importer's one-line summary), the number of Markdown files, and a
scan proving that none of the file's commenter/author emails and IPs reaches content/.
``*-NOT-WELLFORMED.*`` are read tolerantly and the repair is reported: a bare ``&`` or an HTML
entity is fixed while streaming; an unescaped ``]]>`` inside CDATA is read the way WordPress's
own fallback parser reads it (after a strict parse failed). Errors: tests/data/wordpress.
Media downloads are off (``no_download``): tests only talk to servers they start.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from leak_scan import EMAIL, leaks, private_values_of_wxr

from archiver import frontmatter
from archiver.config import load_config
from archiver.errors import ArchiverError
from archiver.importers.wordpress import WordPressImporter
from archiver.importers.wordpress.wxr import WxrReader
from archiver.importing import run_import
from archiver.model import Comment

# file -> (summary note after "<path>: ", number of .md files written)
EXPECTED = {
    "jekyll-import-wordpressdotcom-2025-01-19.xml": (
        "7 posts published, 1 pages published, 0 comments kept, 0 comments dropped; not posts, "
        "left out: 6 attachment, 1 wp_global_styles, 1 wp_navigation", 8),
    "pelican-wordpressexport.xml": (
        "7 posts published, 4 posts draft, 2 pages published, 3 comments kept, "
        "1 comments dropped; not posts, left out: 4 attachment, 2 custom1, 1 custom2", 13),
    "tryghost-migrate-squarespace-wxr-sample-NOT-WELLFORMED.xml": (
        "2 posts published, 1 posts draft, 2 pages published, 0 comments kept, "
        "0 comments dropped; not posts, left out: 1 attachment; repaired 3 spot(s) that were not "
        "well-formed XML", 5),
    "tryghost-migrate-wp-xml-co-authors-plus.xml": (
        "4 posts published, 0 comments kept, 0 comments dropped", 4),
    "tryghost-migrate-wp-xml-has-yoast-meta.xml": (
        "2 posts published, 0 comments kept, 0 comments dropped", 2),
    "tryghost-migrate-wp-xml-sample-NOT-WELLFORMED.xml": (
        "2 posts published, 1 posts draft, 1 pages published, 0 comments kept, "
        "0 comments dropped; not posts, left out: 1 attachment, 1 customcpt; repaired 2 spot(s) "
        "that were not well-formed XML", 4),
    "wp-theme-unit-test-data.trimmed.xml": (
        "33 posts published, 2 posts draft, 1 posts private, 12 pages published, "
        "30 comments kept, 3 comments dropped; not posts, left out: 4 attachment, "
        "3 nav_menu_item", 48),
    "wpimporter-crazy-cdata-NOT-WELLFORMED.xml": (
        "1 posts published, 0 comments kept, 0 comments dropped; repaired 4 spot(s) that were "
        "not well-formed XML", 1),
    "wpimporter-crazy-cdata-escaped.xml": (
        "1 posts published, 0 comments kept, 0 comments dropped", 1),
    "wpimporter-post-content-blank-lines.xml": (
        "1 posts published, 0 comments kept, 0 comments dropped", 1),
    "wpimporter-serialized-comment-meta.xml": (
        "1 posts draft, 1 comments kept, 0 comments dropped", 1),
    "wpimporter-serialized-postmeta-no-cdata.xml": (
        "1 posts draft, 0 comments kept, 0 comments dropped", 1),
    "wpimporter-slashes.xml": ("1 posts published, 1 comments kept, 0 comments dropped", 1),
    "wpimporter-small-export.xml": (
        "5 posts published, 1 posts private, 4 pages published, 1 pages draft, "
        "1 comments kept, 0 comments dropped", 11),
    "wpimporter-valid-wxr-1.0.xml": (
        "3 posts published, 3 pages published, 1 comments kept, 0 comments dropped", 6),
    "wpimporter-valid-wxr-1.1.xml": (
        "1 posts published, 1 pages published, 1 comments kept, 0 comments dropped", 2),
    "wpimporter-wxr-utf-8-challenges.xml": (
        "1 posts published, 0 comments kept, 0 comments dropped", 1),
}


def import_file(site: Path, path: Path):
    return run_import(load_config(site), WordPressImporter(no_download=True), [str(path)])


def markdown_files(site: Path) -> list[str]:
    content = site / "content"
    return sorted(p.relative_to(content).as_posix() for p in content.rglob("*.md"))


def entry(site: Path, rel: str):
    return frontmatter.loads((site / "content" / rel).read_text("utf-8"), rel)


def secrets_of(path: Path) -> set[str]:
    text = path.read_text("utf-8", errors="replace")
    return private_values_of_wxr(path) | set(EMAIL.findall(text))


def test_every_fixture_is_covered(shared_fixtures: Path) -> None:
    names = {p.name for p in (shared_fixtures / "wordpress").glob("*.xml")}
    assert names == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_counts_and_privacy(name: str, shared_fixtures: Path, site: Path) -> None:
    path = shared_fixtures / "wordpress" / name
    summary, files = EXPECTED[name]
    report = import_file(site, path)
    assert f"{path}: {summary}" in report.notes
    assert report.skipped == []
    assert len(markdown_files(site)) == files
    assert leaks([site / "content"], secrets_of(path)) == []


def test_unescaped_cdata_end_is_read_like_wordpress(shared_fixtures: Path, site: Path) -> None:
    path = shared_fixtures / "wordpress" / "wpimporter-crazy-cdata-NOT-WELLFORMED.xml"
    with pytest.raises(ArchiverError) as strict:
        list(WxrReader(path, "crazy").items())
    assert strict.value.message == ("not well-formed XML at line 18, column 72: not well-formed "
                                    "(invalid token)")
    items = list(WxrReader(path, "crazy", cdata_repair=True).items())
    # what WordPress's phpunit/tests/parser.php expects from its regex parser
    assert items[0].content == "Content with nested <![CDATA[ tags ]]> :)"
    assert items[0].postmeta["Closing CDATA"] == "]]>"
    report = import_file(site, path)
    assert report.notes[0] == (f"{path}: not well-formed XML at line 18, column 72: not "
                               "well-formed (invalid token); read like WordPress does, taking ]]> "
                               "inside CDATA as text")
    # in HTML "<![CDATA[ ... ]]>" is a bogus comment: browsers never showed it either
    assert entry(site, "posts/2012/hello-world.md").body == "Content with nested :)"


def test_pelican_drafts_with_zero_gmt_dates_use_post_date_in_the_site_zone(
        shared_fixtures: Path, site: Path) -> None:
    settings = site / "site.yaml"
    settings.write_text(settings.read_text("utf-8").replace("timezone: UTC",
                                                            "timezone: America/New_York"))
    import_file(site, shared_fixtures / "wordpress" / "pelican-wordpressexport.xml")
    draft = entry(site, "posts/2012/a-normal-post.md")
    assert (draft.status, draft.date) == (
        "draft", datetime(2012, 2, 16, 15, 52, 55, tzinfo=timezone(timedelta(hours=-5))))
    with_comments = entry(site, "posts/2012/with-comments.md")
    # the trashed pingback is dropped; "bob" answers comment 121, absent, so is top level
    assert [(c.id, c.author, c.kind, c.parent) for c in with_comments.comments] == [
        ("116", "User2", "comment", ""), ("117", "Bob", "comment", "116"),
        ("122", "bob", "comment", "")]
    custom = [rel for rel in markdown_files(site) if "custpost" in rel]
    assert custom == []


def test_theme_unit_test_statuses_threads_and_pingbacks(shared_fixtures: Path,
                                                        site: Path) -> None:
    import_file(site, shared_fixtures / "wordpress" / "wp-theme-unit-test-data.trimmed.xml")
    protected = entry(site, "posts/2012/template-password-protected.md")
    assert protected.status == "private"
    assert entry(site, "posts/2030/scheduled.md").status == "draft"
    threaded = entry(site, "posts/2012/template-comments.md")
    depth = {c.id: c.parent for c in threaded.comments}
    assert [depth[i] for i in ("905", "906", "907")] == ["904", "905", "906"]
    pings = entry(site, "posts/2012/template-pingbacks-an-trackbacks.md")
    assert [(c.id, c.kind) for c in pings.comments] == [
        ("921", "pingback"), ("922", "pingback"), ("924", "pingback"), ("923", "pingback"),
        ("925", "comment")]  # two trackbacks, two pingbacks, a comment; oldest first
    assert pings.comments[0].author == "Ping 1 « What’s a tellyworth?"
    assert pings.comments[0].url == "http://tellyworth.wordpress.com/2007/11/21/ping-1/"


def test_wordpress_com_dates_come_from_gmt(shared_fixtures: Path, site: Path) -> None:
    import_file(site, shared_fixtures / "wordpress" / "jekyll-import-wordpressdotcom-2025-01-19.xml")
    dates = {entry(site, rel).date.utcoffset() for rel in markdown_files(site)}
    assert dates == {timedelta(0)}


def test_small_export_private_post_and_draft_page(shared_fixtures: Path, site: Path) -> None:
    import_file(site, shared_fixtures / "wordpress" / "wpimporter-small-export.xml")
    statuses = sorted((entry(site, rel).status, rel) for rel in markdown_files(site)
                      if entry(site, rel).status != "published")
    assert [status for status, _ in statuses] == ["draft", "private"]
    hello = entry(site, "posts/2011/hello-world.md")
    assert hello.comments == (Comment(
        "Mr WordPress", "Hi, this is a comment.  \nTo delete a comment, just log in and view "
        "the post's comments. There you will have the option to edit or delete them.",
        datetime(2011, 1, 18, 7, 40, 14, tzinfo=timezone.utc), "http://wordpress.org/",
        "comment", "1", ""),)
    assert hello.tags == ()  # only "Uncategorized"


def test_slashes_and_nested_cdata_are_kept_as_written(shared_fixtures: Path, site: Path) -> None:
    import_file(site, shared_fixtures / "wordpress" / "wpimporter-slashes.xml")
    post = entry(site, "posts/2011/hello-world.md")
    assert post.body == 'Slashes aren\\\\\'t \\\\"cool\\\\"'
    assert post.comments[0].body == "\\\\o/ ¯\\\\\\_(ツ)\\_/¯"


@pytest.mark.slow
def test_all_fixtures_in_one_command_then_build_publish_no_private_data(
        shared_fixtures: Path, site: Path, run_cli) -> None:
    paths = [shared_fixtures / "wordpress" / name for name in sorted(EXPECTED)]
    result = run_cli("import", "wordpress", "--no-download", *paths, site=site)
    assert result.exit_code == 0, result.output
    assert run_cli("build", site=site).exit_code == 0
    secrets = set().union(*(secrets_of(path) for path in paths))
    assert len(secrets) == 25  # distinct emails and IPs over the 16 files
    assert leaks([site / "content"], secrets) == []
    # the theme's search page explains how to serve the site at http://127.0.0.1:8000/
    assert leaks([site / "public"], secrets - {"127.0.0.1"}) == []
    assert leaks([site / "public"], ["This comment should not be visible until the password",
                                     "Not approved", "comment_author_IP"]) == []
