"""The plan's shortcuts never keep a stale page: after each kind of edit, an incremental build
writes exactly the bytes of a full build of the edited site, and renders only a few pages."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from archiver.build.pipeline import STATE_DIR, build
from archiver.build.themes import default_theme_dir
from archiver.config import load_config
from buildsite import generated_site, snapshot
from sitegen import TWEET, write

EDITED_POST = "posts/2011/post-007.md"


@pytest.fixture
def built(site: Path) -> Path:
    generated_site(site, posts=16, tweets=24)
    write(site, "tweets/2010/12/400.md", TWEET.format(
        date="2010-12-31T23:45:00+00:00", sid="400", extra='quote_of: {id: "200", user: me}\n',
        body="Quoting my own tweet"))
    build(load_config(site))
    return site


def _inputs(site: Path) -> dict[str, str]:
    return json.loads((site / STATE_DIR / "manifest.json").read_text("utf-8"))["inputs"]


def _edit(site: Path, rel: str, old: str, new: str) -> None:
    path = site / "content" / rel
    text = path.read_text("utf-8")
    assert old in text
    stat = path.stat()
    path.write_text(text.replace(old, new), "utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))


def _rebuild(site: Path) -> tuple[set[str], dict[str, bytes]]:
    """Build again; the pages rendered (inputs changed) and the output."""
    before = _inputs(site)
    build(load_config(site))
    after = _inputs(site)
    return {rel for rel in after if before.get(rel) != after[rel]}, snapshot(site / "public")


def _full_build(site: Path, tmp_path: Path) -> dict[str, bytes]:
    fresh = tmp_path / "fresh"
    shutil.copytree(site / "content", fresh / "content")
    shutil.copy(site / "site.yaml", fresh / "site.yaml")
    if (site / "templates").is_dir():
        shutil.copytree(site / "templates", fresh / "templates")
    build(load_config(fresh))
    return snapshot(fresh / "public")


def _pages_with(output: dict[str, bytes], text: str) -> set[str]:
    return {rel for rel, data in output.items() if rel.endswith(".html") and text.encode() in data}


def test_a_new_post_title_reaches_every_page_that_shows_it(built: Path, tmp_path: Path) -> None:
    showing = _pages_with(snapshot(built / "public"), "Post number 7<")
    _edit(built, EDITED_POST, "title: Post number 7", "title: Renamed seventh post")
    rendered, output = _rebuild(built)
    assert output == _full_build(built, tmp_path)
    assert not _pages_with(output, "Post number 7<")
    now_showing = _pages_with(output, "Renamed seventh post")
    assert showing <= rendered and now_showing <= rendered
    kinds = {path.split("/")[0] for path in now_showing}
    assert {"tags", "2011", "on-this-day"} <= kinds  # tag pages, month/year archives, its day
    assert len(rendered) < 40  # of the ~200 pages, only those showing the post (and neighbours)


def test_a_post_edit_renders_its_own_day_page_not_the_days_around_it(built: Path) -> None:
    _edit(built, EDITED_POST, "Second paragraph", "An edited paragraph")
    rendered, output = _rebuild(built)
    day_pages = sorted(rel for rel in rendered if rel.startswith("on-this-day/") and rel.count("/") > 1)
    assert len(day_pages) == 1
    assert b"An edited paragraph" in output[day_pages[0]]


def test_editing_a_tweet_in_a_thread_renders_the_thread_page(built: Path, tmp_path: Path) -> None:
    _edit(built, "tweets/2010/12/102.md", "Thread part 2", "Thread part two, edited")
    rendered, output = _rebuild(built)
    assert output == _full_build(built, tmp_path)
    assert {"tweets/101/index.html", "tweets/102/index.html", "tweets/103/index.html"} <= rendered
    assert b"Thread part two, edited" in output["tweets/101/index.html"]  # the thread's page
    assert len(rendered) < 30


def test_editing_a_quoted_tweet_renders_the_quoting_tweets_page(built: Path, tmp_path: Path) -> None:
    assert b"New year&#39;s eve" in snapshot(built / "public")["tweets/400/index.html"]
    _edit(built, "tweets/2010/12/200.md", "New year's eve", "Last evening of the year")
    rendered, output = _rebuild(built)
    assert output == _full_build(built, tmp_path)
    assert "tweets/400/index.html" in rendered
    assert b"Last evening of the year" in output["tweets/400/index.html"]


def test_a_new_reply_joins_the_thread_everywhere(built: Path, tmp_path: Path) -> None:
    write(built, "tweets/2010/12/104.md", TWEET.format(
        date="2010-12-14T09:00:00+00:00", sid="104", extra='reply_to: {id: "103", user: me}\n',
        body="Thread part 4"))
    rendered, output = _rebuild(built)
    assert output == _full_build(built, tmp_path)
    assert b"A thread of 4 tweets" in output["tweets/101/index.html"]
    assert {"tweets/101/index.html", "tweets/102/index.html", "tweets/103/index.html",
            "tweets/104/index.html"} <= rendered


def test_deleting_a_post_removes_it_from_every_page(built: Path, tmp_path: Path) -> None:
    _edit(built, EDITED_POST, "title: Post number 7", "status: deleted\ntitle: Post number 7")
    rendered, output = _rebuild(built)
    assert output == _full_build(built, tmp_path)
    assert not _pages_with(output, "Post number 7<")
    assert rendered


def test_editing_a_standalone_pages_text_renders_that_page_only(built: Path, tmp_path: Path) -> None:
    """Every page's menu links the About page by its title and address, not by its text."""
    _edit(built, "pages/about.md", "About me.", "About me, at more length.")
    rendered, output = _rebuild(built)
    assert output == _full_build(built, tmp_path)
    assert rendered == {"about/index.html"}
    assert b"About me, at more length." in output["about/index.html"]


def test_renaming_a_standalone_page_reaches_every_menu(built: Path, tmp_path: Path) -> None:
    pages = {rel for rel in snapshot(built / "public") if rel.endswith(".html")}
    _edit(built, "pages/about.md", "title: About", "title: Who I am")
    rendered, output = _rebuild(built)
    assert output == _full_build(built, tmp_path)
    menus = _pages_with(output, ">Who I am</a>")
    assert len(menus) > 100 and not _pages_with(output, ">About</a>")
    assert menus <= rendered <= pages


def test_an_edited_template_renders_the_pages_made_with_it(built: Path, tmp_path: Path) -> None:
    """A template's pages depend on it and on what it extends, includes and imports; a new
    override in the site's templates/ is an edit of that template."""
    default = default_theme_dir() / "templates"
    (built / "templates").mkdir()
    stats = (default / "stats.html").read_text("utf-8")
    (built / "templates/stats.html").write_text(stats.replace("<h1", "<h1 data-own"), "utf-8")
    rendered, output = _rebuild(built)
    assert rendered == {"stats/index.html"}
    assert b"<h1 data-own" in output["stats/index.html"]
    assert output == _full_build(built, tmp_path)
    base = (default / "base.html").read_text("utf-8")
    (built / "templates/base.html").write_text(base.replace("<body", "<body data-own"), "utf-8")
    rendered, output = _rebuild(built)
    assert len(rendered) > 100 and all(b"<body data-own" in output[rel] for rel in rendered)
    # every page but the redirect of an old address, whose template extends no other
    assert set(_inputs(built)) - rendered == {"2009/03/first-post.html"}
    assert output == _full_build(built, tmp_path / "again")


def test_a_template_that_computes_a_name_depends_on_every_template(built: Path) -> None:
    (built / "templates").mkdir()
    (built / "templates/tags.html").write_text(
        '{% set part = "partials/" ~ "note.html" %}{% include part %} {{ groups | length }}', "utf-8")
    (built / "templates/partials").mkdir()
    (built / "templates/partials/note.html").write_text("first note", "utf-8")
    _rebuild(built)
    _edit(built, "../templates/partials/note.html", "first", "second")
    rendered, output = _rebuild(built)
    assert rendered == {"tags/index.html"}
    assert output["tags/index.html"].startswith(b"second note")


def test_files_saved_again_unchanged_render_no_page(built: Path, tmp_path: Path) -> None:
    """A file's pages depend on its text, not on its time: an editor's "save all", a copy
    without times (rsync without -t) or a restore from a backup changes no page."""
    before = snapshot(built / "public")
    for path in (built / "content").rglob("*.md"):
        _edit(built, str(path.relative_to(built / "content")), "---", "---")
    result = build(load_config(built))
    assert (result.rendered, result.written) == (0, 0)
    assert snapshot(built / "public") == before
    _edit(built, EDITED_POST, "Second paragraph", "An edited paragraph")  # and a real edit
    rendered, output = _rebuild(built)
    assert any(rel.endswith("/post-007/index.html") for rel in rendered)
    assert output == _full_build(built, tmp_path)
