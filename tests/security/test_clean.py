"""``build --clean`` deletes only what a previous build recorded; it refuses everything else.

Lessons from Jekyll #902 and MkDocs #346 (a clean that deleted the user's files): the
output folder, the home folder, ``/``, the site, content/ and any folder holding a file
archiver did not write are refused with a one-line error, and nothing is deleted.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from archiver.build.cleanup import clean
from archiver.errors import ArchiverError
from conftest import files_under
from sitegen import small_site


def fast_site(site: Path) -> Path:
    """The small test site without the search index (pagefind adds a second per build)."""
    small_site(site)
    with open(site / "site.yaml", "a", encoding="utf-8") as config:
        config.write("search: false\n")
    return site


@pytest.fixture
def built_site(site: Path, run_cli) -> Path:
    fast_site(site)
    assert run_cli("build", site=site).exit_code == 0
    return site


def everything(root: Path) -> dict[str, bytes]:
    return files_under(root)


def test_clean_rebuild_gives_the_same_files(built_site: Path, run_cli) -> None:
    before = everything(built_site / "public")
    result = run_cli("build", "--clean", site=built_site)
    assert result.exit_code == 0, result.output
    assert everything(built_site / "public") == before


def test_clean_removes_exactly_the_manifest_files_and_the_cache(built_site: Path) -> None:
    state = built_site / ".archiver"
    manifest = json.loads((state / "manifest.json").read_text())["files"]
    content_before = everything(built_site / "content")
    removed = clean(built_site / "public", built_site, state)
    assert removed == len(manifest) > 20
    assert not (built_site / "public").exists()
    assert not (state / "manifest.json").exists() and not (state / "cache").exists()
    assert everything(built_site / "content") == content_before
    assert (built_site / "site.yaml").is_file()


def test_a_foreign_file_stops_clean_and_nothing_is_deleted(built_site: Path, run_cli) -> None:
    out = built_site / "public"
    (out / "2009" / "my-notes.txt").write_text("mine")
    before = everything(out)
    result = run_cli("build", "--clean", site=built_site)
    assert result.exit_code == 1
    assert result.output == (f"error: {out}: refusing to clean: 1 file(s) archiver did not write "
                             "(e.g. 2009/my-notes.txt) (move them away or choose another --output)\n")
    assert everything(out) == before


def test_a_foreign_hidden_file_or_symlink_stops_clean(built_site: Path, tmp_path: Path) -> None:
    out = built_site / "public"
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.tex").write_text("years of work")
    (out / "linked").symlink_to(precious)
    with pytest.raises(ArchiverError, match=r"1 file\(s\) archiver did not write \(e.g. linked\)"):
        clean(out, built_site, built_site / ".archiver")
    (out / "linked").unlink()
    (out / ".htaccess").write_text("Deny from all")
    with pytest.raises(ArchiverError, match=r"e.g. \.htaccess"):
        clean(out, built_site, built_site / ".archiver")
    assert (precious / "thesis.tex").read_text() == "years of work"
    assert (out / "index.html").is_file()


def test_an_unknown_folder_without_manifest_is_refused(site: Path, tmp_path: Path, run_cli) -> None:
    fast_site(site)
    other = tmp_path / "photos"
    other.mkdir()
    (other / "holiday.jpg").write_bytes(b"jpg")
    result = run_cli("build", "--clean", "--output", other, site=site)
    assert result.exit_code == 1
    assert "refusing to clean: 1 file(s) archiver did not write (e.g. holiday.jpg)" in result.output
    assert (other / "holiday.jpg").read_bytes() == b"jpg"


def test_manifest_of_another_output_folder_is_not_trusted(built_site: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "index.html").write_text("someone else's page")
    with pytest.raises(ArchiverError, match="did not write"):
        clean(other, built_site, built_site / ".archiver")
    assert (other / "index.html").read_text() == "someone else's page"


def test_a_tampered_manifest_cannot_delete_outside_the_output(built_site: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep")
    inside = built_site / "site.yaml"
    state = built_site / ".archiver"
    data = json.loads((state / "manifest.json").read_text())
    for rel in ("../../victim.txt", str(victim), "../site.yaml", "/etc/hostname", "a/../../site.yaml"):
        data["files"][rel] = "x"
    (state / "manifest.json").write_text(json.dumps(data))
    clean(built_site / "public", built_site, state)
    assert victim.read_text() == "keep"
    assert inside.is_file()
    assert Path("/etc/hostname").exists() or not Path("/etc").exists()


@pytest.mark.parametrize("target", ["root", "home", "site", "content", "parent", "posts"])
def test_dangerous_output_folders_are_refused(built_site: Path, tmp_path: Path, run_cli,
                                              monkeypatch: pytest.MonkeyPatch, target: str) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "diary.txt").write_text("private")
    monkeypatch.setenv("HOME", str(home))
    folders = {"root": Path("/"), "home": home, "site": built_site, "content": built_site / "content",
               "parent": built_site.parent, "posts": built_site / "content" / "posts"}
    before = everything(tmp_path)
    result = run_cli("build", "--clean", "--output", folders[target], site=built_site)
    assert result.exit_code == 1
    assert result.output.startswith("error: ")
    assert ("would overwrite the site" in result.output or "refusing to clean" in result.output)
    assert everything(tmp_path) == before


@pytest.mark.parametrize("target", ["/", "home", "site", "content"])
def test_clean_itself_refuses_dangerous_folders(built_site: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch, target: str) -> None:
    """clean() refuses these even when called directly, without the build's own check."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    folder = {"/": Path("/"), "home": home, "site": built_site, "content": built_site / "content"}[target]
    with pytest.raises(ArchiverError, match="refusing to clean"):
        clean(folder, built_site, built_site / ".archiver")


def test_normal_rebuild_keeps_foreign_files_and_removes_only_stale_own(built_site: Path, run_cli) -> None:
    out = built_site / "public"
    (out / "CNAME").write_text("example.org")
    (built_site / "content/tweets/2010/12/200.md").unlink()
    assert run_cli("build", site=built_site).exit_code == 0
    assert (out / "CNAME").read_text() == "example.org"
    assert not (out / "tweets/200").exists()
    assert (out / "tweets/101/index.html").is_file()


def test_clean_of_a_folder_never_built_is_harmless(site: Path, run_cli) -> None:
    fast_site(site)
    result = run_cli("build", "--clean", site=site)
    assert result.exit_code == 0, result.output
    assert (site / "public/index.html").is_file()


def test_a_moved_site_still_knows_its_files(built_site: Path, tmp_path: Path, run_cli) -> None:
    """After the site folder is moved, a deleted tweet's page is still removed, and --clean works."""
    moved = tmp_path / "moved-site"
    built_site.rename(moved)
    (moved / "content/tweets/2010/12/200.md").unlink()
    assert run_cli("build", site=moved).exit_code == 0
    assert not (moved / "public/tweets/200").exists()
    result = run_cli("build", "--clean", site=moved)
    assert result.exit_code == 0, result.output
