"""Every real archive under ../shared/fixtures/twitter-*: exact counts, read in place."""

from __future__ import annotations

from collections import Counter
from datetime import timezone
from pathlib import Path

import pytest

from archiver import frontmatter
from archiver.build.markup import render_markdown
from archiver.config import load_config
from archiver.importers import ImportContext
from archiver.importers.twitter import TwitterImporter
from archiver.importing import run_import
from archiver.model import Entry
from archiver.scaffold import create_site
from archiver.store import Outcome

# fixture -> (tweets, retweets, deleted, replies, in threads)
EXPECTED = {
    "twitter-modern/alrocar-2024-tweets-js": (30, 2, 0, 15, 12),
    "twitter-modern/ajitg25-2025-deleted-note": (11, 0, 2, 12, 0),
    "twitter-modern/lumeninferius-2020-tweet-js": (22, 0, 0, 9, 0),
    "twitter-modern/dogsheep-zip_contents": (0, 0, 0, 0, 0),
    "twitter-legacy/dchest-2007-2018": (41, 7, 0, 5, 0),
    "twitter-legacy/dwradcliffe-2013-05-early-format": (42, 7, 0, 18, 0),
    "twitter-legacy/dwradcliffe-2013-10-later-format": (49, 8, 0, 26, 0),
    "twitter-legacy/sixworderbot-2015": (980, 0, 0, 0, 0),
}


def read(source: Path) -> tuple[list[Entry], ImportContext]:
    context = ImportContext(timezone=timezone.utc)
    return [i.entry for i in TwitterImporter().read(str(source), context)], context


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_counts(shared_fixtures: Path, name: str) -> None:
    entries, context = read(shared_fixtures / name)
    kinds = Counter((e.kind, e.status) for e in entries)
    counts = (kinds["tweet", "published"], kinds["retweet", "published"],
              kinds["tweet", "deleted"], sum(1 for e in entries if e.reply_to),
              sum(1 for e in entries if e.thread))
    assert counts == EXPECTED[name]
    assert len({e.source_id for e in entries}) == len(entries)
    assert context.total == len(entries)
    assert context.skipped == []


def test_alrocar_notes_edits_and_escaping(shared_fixtures: Path) -> None:
    entries, context = read(shared_fixtures / "twitter-modern/alrocar-2024-tweets-js")
    by_id = {e.source_id: e for e in entries}
    assert "37 long-tweet texts in note-tweet.js matched no tweet of this archive and were left " \
           "out" in context.notes  # 41 notes, 4 of whose tweets the trimmed file holds
    assert "1 earlier versions of edited tweets were left out (the last version is imported)" \
        in context.notes
    assert "1767496415922585688" not in by_id and "1767497756157866020" in by_id
    face = by_id["1775197948491542564"]  # truncated with "…" in tweets.js
    assert face.body.endswith("Ejemplo para el CI de un proyecto de Tinybird =>  "
                              "[github.com/tinybirdco/ci/…](https://github.com/tinybirdco/ci/pull/77/files)")
    quote = by_id["1775199867641475522"]  # full_text starts "&gt; Con 4 líneas"
    assert render_markdown(quote.body, tweet=True).startswith("<p>&gt; Con 4 líneas de bash")
    assert by_id["1775197945974960345"].thread == "1775197945974960345"


def test_ajitg25_note_joined_by_timestamp_and_deleted(shared_fixtures: Path) -> None:
    entries, context = read(shared_fixtures / "twitter-modern/ajitg25-2025-deleted-note")
    by_id = {e.source_id: e for e in entries}
    note = by_id["1995717789903192574"]
    assert note.body.startswith("[@BeautyofIndia9](https://twitter.com/BeautyofIndia9) Banaras,")
    assert note.body.endswith("the beautiful Ganga Aarti.🙏")
    assert not any("long-tweet" in n for n in context.notes)
    assert sorted(e.source_id for e in entries if e.status == "deleted") == [
        "1992836646023413808", "1995087998342631824"]


def test_lumeninferius_has_no_media_folder_and_email_is_never_written(
        shared_fixtures: Path, site: Path) -> None:
    source = shared_fixtures / "twitter-modern/lumeninferius-2020-tweet-js"
    report = run_import(load_config(site), TwitterImporter(), [str(source)])
    assert report.counts == {Outcome.IMPORTED: 22}
    assert report.notes == ["13 photos/videos are not in the modern archive and were not copied"]
    written = "".join(p.read_text("utf-8") for p in (site / "content").rglob("*.md"))
    assert "lumeninferius@gmail.com" not in written and "pbs.twimg.com" not in written
    assert "video.twimg.com" not in written


def test_legacy_csv_fills_missing_months(shared_fixtures: Path) -> None:
    entries, context = read(shared_fixtures / "twitter-legacy/sixworderbot-2015")
    assert len(entries) == 980
    assert "944 tweets came from tweets.csv (their month files are missing; it has no media " \
           "details)" in context.notes


def test_two_legacy_archives_of_one_account_merge(shared_fixtures: Path, site: Path) -> None:
    early = shared_fixtures / "twitter-legacy/dwradcliffe-2013-05-early-format"
    later = shared_fixtures / "twitter-legacy/dwradcliffe-2013-10-later-format"
    config = load_config(site)
    first = run_import(config, TwitterImporter(), [str(early), str(later)])
    assert first.counts[Outcome.IMPORTED] == 65  # 49 + 57 with 41 in both
    assert len(list((site / "content/tweets").rglob("*.md"))) == 65
    again = run_import(config, TwitterImporter(), [str(later)])
    assert again.counts == {Outcome.UNCHANGED: 57}


def test_two_legacy_archives_give_the_same_files_in_either_order(shared_fixtures: Path,
                                                                 tmp_path: Path) -> None:
    early = str(shared_fixtures / "twitter-legacy/dwradcliffe-2013-05-early-format")
    later = str(shared_fixtures / "twitter-legacy/dwradcliffe-2013-10-later-format")
    trees = []
    for name, order in (("a", [early, later]), ("b", [later, early])):
        root = tmp_path / name
        create_site(root, title="Merge")
        run_import(load_config(root), TwitterImporter(), order)
        content = root / "content/tweets"
        trees.append({p.relative_to(content).as_posix(): _essentials(p) for p in content.rglob("*.md")})
    assert len(trees[0]) == 65
    assert trees[0] == trees[1]


def _essentials(path: Path) -> tuple:
    """What must not depend on import order (a renamed account's handle follows the last import)."""
    entry = frontmatter.loads(path.read_text("utf-8"), "tweets/" + path.name)
    return (entry.date, entry.body, entry.kind, entry.tags, entry.media,
            entry.reply_to.get("id"), entry.retweet_of.get("id"), entry.quote_of.get("id"))
