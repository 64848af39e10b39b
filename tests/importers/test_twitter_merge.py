"""Legacy + modern archives of one account, in any order, and the same archive twice."""

from __future__ import annotations

from pathlib import Path

import pytest

from archiver import frontmatter
from archiver.config import load_config
from archiver.importers.twitter import TwitterImporter
from archiver.importing import run_import
from archiver.scaffold import create_site
from archiver.store import Outcome
from twitter_archive import write_legacy_archive, write_modern_archive

N = 200


@pytest.fixture(scope="module")
def archives(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, object]:
    folder = tmp_path_factory.mktemp("archives")
    stats = write_modern_archive(folder / "modern.zip", N, as_zip=True, seed=1, deleted=2)
    write_legacy_archive(folder / "legacy", N, seed=1)
    return folder / "modern.zip", folder / "legacy", stats


def contents(site: Path) -> dict[str, bytes]:
    root = site / "content"
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def new_site(tmp_path: Path, name: str) -> Path:
    root = tmp_path / name
    create_site(root, title="T", author="A")
    return root


def test_synthetic_archive_holds_every_case(archives) -> None:
    _, _, stats = archives
    assert (stats.tweets, stats.retweets, stats.replies_to_others, stats.self_replies) == (
        200, 3, 13, 13)
    assert (stats.notes, stats.photos, stats.deleted) == (4, 2, 2)


def test_legacy_then_modern_equals_modern_then_legacy(archives, tmp_path: Path) -> None:
    modern, legacy, stats = archives
    one, two = new_site(tmp_path, "one"), new_site(tmp_path, "two")
    first = run_import(load_config(one), TwitterImporter(), [str(legacy)])
    assert first.counts == {Outcome.IMPORTED: N}
    second = run_import(load_config(one), TwitterImporter(), [str(modern)])
    # photos and full note texts fill in; deleted tweets are new
    assert second.counts == {Outcome.UPDATED: stats.photos + stats.notes,
                             Outcome.UNCHANGED: N - stats.photos - stats.notes,
                             Outcome.IMPORTED: 2}
    run_import(load_config(two), TwitterImporter(), [str(modern)])
    last = run_import(load_config(two), TwitterImporter(), [str(legacy)])
    assert last.counts == {Outcome.UNCHANGED: N}
    assert contents(one) == contents(two)
    tweets = [p for p in contents(one) if p.endswith(".md")]
    assert len(tweets) == N + 2
    assert sum(1 for p in contents(one) if p.startswith("media/tweets/")) == stats.photos


def test_same_archive_twice_changes_nothing(archives, tmp_path: Path) -> None:
    modern, _, _ = archives
    site = new_site(tmp_path, "s")
    run_import(load_config(site), TwitterImporter(), [str(modern)])
    before = contents(site)
    again = run_import(load_config(site), TwitterImporter(), [str(modern)])
    assert again.counts == {Outcome.UNCHANGED: N + 2}
    assert contents(site) == before


def test_user_edit_is_kept(archives, tmp_path: Path) -> None:
    modern, legacy, _ = archives
    site = new_site(tmp_path, "s")
    run_import(load_config(site), TwitterImporter(), [str(legacy)])
    path = sorted((site / "content/tweets").rglob("*.md"))[0]
    edited = path.read_text("utf-8").replace("\n---\n", "\n---\nMy note. ", 1)
    path.write_text(edited, "utf-8")
    report = run_import(load_config(site), TwitterImporter(), [str(modern)])
    assert report.counts[Outcome.KEPT_EDIT] == 1
    assert path.read_text("utf-8") == edited
    assert frontmatter.loads(edited, "tweets/x.md").body.startswith("My note. ")
