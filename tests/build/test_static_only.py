"""When only static files changed (a theme's stylesheet, the site's static/ folder), a build
copies them and keeps every page, without reading content/: the same output as a full build."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from archiver.build.pipeline import build
from archiver.build.result import BuildResult
from archiver.config import load_config
from buildsite import snapshot
from sitegen import small_site, write

STYLE = "themes/default/static/style.css"  # the site's copy of the default theme's stylesheet


def _site(site: Path, search: bool = False) -> Path:
    """A small site with static files (without base_url, for its warning); Pagefind's index
    differs between two folders, so only the test about it has search on."""
    small_site(site)
    (site / "site.yaml").write_text(f"title: Static test\nsearch: {str(search).lower()}\n")
    (site / "static").mkdir()
    (site / "static" / "robots.txt").write_text("User-agent: *\nDisallow:\n")
    (site / "static" / "index.html").write_text("not the home page")  # the build's file wins
    (site / "themes/default/static").mkdir(parents=True)
    (site / STYLE).write_text("body { color: black }\n")
    write(site, "posts/2009/again.md",  # wants the first post's URL: a warning of the content
          "---\ntitle: Again\ndate: 2009-03-05T10:00:00+00:00\nslug: first-post\n---\nOnce more.\n")
    return site


def _change(path: Path, text: str) -> None:
    """Write ``text``, with a later change time than the build before (as an editor would)."""
    path.write_text(text)
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))


def _full_build(site: Path, tmp_path: Path) -> tuple[dict[str, bytes], BuildResult]:
    fresh = tmp_path / "fresh"
    shutil.copytree(site, fresh, ignore=shutil.ignore_patterns("public", ".archiver"))
    return snapshot(fresh / "public") if (result := build(load_config(fresh))) else {}, result


def test_a_changed_stylesheet_is_copied_and_no_page_is_rendered(site: Path, tmp_path: Path) -> None:
    config = load_config(_site(site))
    first = build(config)
    _change(site / STYLE, "body { color: navy }\n")
    result = build(config)
    assert "read" not in result.phases and "render" not in result.phases  # content/ not even read
    assert (result.rendered, result.written, result.removed) == (0, 1, 0)
    assert (result.entries, result.pages, result.files) == (first.entries, first.pages, first.files)
    assert (site / "public/static/style.css").read_text() == "body { color: navy }\n"
    expected, full = _full_build(site, tmp_path)
    assert snapshot(site / "public") == expected
    assert result.warnings == full.warnings  # the content's (a URL taken twice), then static/'s
    assert result.warnings == first.warnings
    assert any("is already used by" in warning for warning in result.warnings)
    assert any("site.yaml has no base_url" in warning for warning in result.warnings)
    assert result.warnings[-1] == "static/index.html is not copied: the build makes that file itself"
    assert build(config).phases.keys() == {"check"}  # and then nothing is left to do


def test_static_files_added_and_removed_alone(site: Path, tmp_path: Path) -> None:
    config = load_config(_site(site))
    build(config)
    (site / "static/CNAME").write_text("archive.example.org\n")
    (site / "static/robots.txt").unlink()
    (site / "static/index.html").unlink()
    result = build(config)
    assert "render" not in result.phases
    assert (result.written, result.removed) == (1, 1)
    public = site / "public"
    assert (public / "CNAME").read_text() == "archive.example.org\n"
    assert not (public / "robots.txt").exists()
    assert snapshot(public) == _full_build(site, tmp_path)[0]
    assert not any(warning.startswith("static/") for warning in result.warnings)


def test_a_content_change_beside_a_static_one_builds_the_pages(site: Path, tmp_path: Path) -> None:
    config = load_config(_site(site))
    build(config)
    _change(site / STYLE, "body { color: navy }\n")
    _change(site / "content/posts/2009/again.md",
            "---\ntitle: Again\ndate: 2009-03-05T10:00:00+00:00\nslug: first-post\n---\nEdited.\n")
    result = build(config)
    assert result.rendered > 0
    assert snapshot(site / "public") == _full_build(site, tmp_path)[0]


def test_a_page_deleted_by_hand_is_made_again_beside_a_static_change(site: Path) -> None:
    config = load_config(_site(site))
    build(config)
    home = (site / "public/index.html").read_bytes()
    (site / "public/index.html").unlink()
    _change(site / STYLE, "body { color: navy }\n")
    result = build(config)
    assert result.rendered >= 1 and (site / "public/index.html").read_bytes() == home


def test_the_search_index_is_kept_as_the_last_build_made_it(site: Path) -> None:
    config = load_config(_site(site, search=True))
    build(config)
    before = snapshot(site / "public")
    assert any(rel.startswith("pagefind/") for rel in before)
    _change(site / STYLE, "body { color: navy }\n")
    result = build(config)
    assert "render" not in result.phases and "search" not in result.phases
    after = snapshot(site / "public")
    assert {rel for rel in after if after[rel] != before.get(rel)} == {"static/style.css"}
    assert after.keys() == before.keys()
