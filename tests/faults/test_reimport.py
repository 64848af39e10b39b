"""Importing the same archive again changes no file, not even its mtime; edits survive.

Also: a newer archive adds only what is new; building unchanged content touches no file.
"""

from __future__ import annotations

import os
from pathlib import Path

from archiver.build.pipeline import build
from archiver.config import load_config
from archiver.importing import run_import
from archiver.store import Outcome
from faults.items import ListImporter, sample_items


def stamps(root: Path) -> dict[str, tuple[int, bytes]]:
    """Every file under ``root`` with its mtime (ns) and bytes."""
    return {p.relative_to(root).as_posix(): (p.stat().st_mtime_ns, p.read_bytes())
            for p in sorted(root.rglob("*")) if p.is_file()}


def import_items(site: Path, items=None):  # noqa: ANN001, ANN201
    return run_import(load_config(site), ListImporter(items or sample_items()), ["archive"])


def test_same_archive_twice_changes_no_file(site: Path) -> None:
    first = import_items(site)
    assert dict(first.counts) == {Outcome.IMPORTED: 24}
    before = stamps(site / "content")
    index_before = stamps(site / ".archiver")
    second = import_items(site)
    assert dict(second.counts) == {Outcome.UNCHANGED: 24}
    assert stamps(site / "content") == before
    assert stamps(site / ".archiver") == index_before
    assert len(before) == 8 + 8 + 16  # posts, their photos, tweets: nothing twice


def test_an_edit_survives_reimport(site: Path) -> None:
    import_items(site)
    post = site / "content/posts/2011/post-number-3.md"
    edited = post.read_text("utf-8").replace("Text of post 3.", "Text of post 3, corrected by me.")
    post.write_text(edited, "utf-8")
    tweet = site / "content/tweets/2011/05/1005.md"
    tweet.write_text(tweet.read_text("utf-8") + "\nA note I added.\n", "utf-8")
    report = import_items(site)
    assert report.counts[Outcome.KEPT_EDIT] == 2
    assert report.counts[Outcome.UNCHANGED] == 22
    assert post.read_text("utf-8") == edited
    assert tweet.read_text("utf-8").endswith("\nA note I added.\n")
    third = import_items(site)  # still kept, and still reported
    assert third.counts[Outcome.KEPT_EDIT] == 2


def test_a_deleted_file_is_not_resurrected_as_a_twin(site: Path) -> None:
    """If the user deletes an imported file, a re-import writes it once again, at the same path."""
    import_items(site)
    post = site / "content/posts/2011/post-number-2.md"
    text = post.read_text("utf-8")
    post.unlink()
    report = import_items(site)
    assert report.counts[Outcome.IMPORTED] == 1
    assert post.read_text("utf-8") == text
    assert not list(site.rglob("post-number-2-2.md"))


def test_a_newer_archive_adds_only_what_is_new(site: Path) -> None:
    import_items(site)
    before = stamps(site / "content")
    newer = sample_items() + sample_items(posts=2, tweets=3, first=40)
    report = import_items(site, newer)
    assert dict(report.counts) == {Outcome.UNCHANGED: 24, Outcome.IMPORTED: 5}
    after = stamps(site / "content")
    assert {rel: after[rel] for rel in before} == before
    assert len(set(after) - set(before)) == 2 + 2 + 3


def test_building_unchanged_content_touches_no_output_file(site: Path) -> None:
    import_items(site)
    first = build(load_config(site))
    assert first.written > 30
    before = stamps(site / "public")
    second = build(load_config(site))
    assert second.written == 0
    assert stamps(site / "public") == before
    os.utime(site / "content/posts/2011/post-number-1.md")  # touched, not changed
    third = build(load_config(site))
    assert third.written == 0
    assert stamps(site / "public") == before


def test_carriage_returns_in_a_body_are_not_mistaken_for_an_edit(site: Path) -> None:
    """Tweets can hold \\r; reading the file back must not turn it into \\n (was: 'kept your edit')."""
    items = sample_items(posts=0, tweets=2)
    items = [type(item)(item.entry.with_changes(body="line one\r\nline two\rthree"), item.files)
             for item in items]
    assert dict(import_items(site, items).counts) == {Outcome.IMPORTED: 2}
    assert dict(import_items(site, items).counts) == {Outcome.UNCHANGED: 2}


def test_a_newer_twitter_archive_adds_only_its_new_tweets(site: Path, tmp_path: Path) -> None:
    from datetime import datetime, timezone

    from archiver.importers.twitter import TwitterImporter
    from twitter_archive import api_tweet, photo, write_modern

    when = datetime(2017, 6, 1, 9, tzinfo=timezone.utc)
    tweets = [api_tweet(700 + n, f"Tweet {n} https://t.co/{n}", when.replace(minute=n),
                        media=[photo(700 + n, f"https://t.co/{n}", f"{n}.jpg")])
              for n in range(10)]
    media = {f"{700 + n}-{n}.jpg": b"JPEG" + bytes([n]) for n in range(13)}
    older = write_modern(tmp_path / "2017.zip", tweets, as_zip=True, media=media)
    newer_tweets = tweets + [api_tweet(700 + n, f"Tweet {n} https://t.co/{n}", when.replace(minute=n),
                                       media=[photo(700 + n, f"https://t.co/{n}", f"{n}.jpg")])
                             for n in range(10, 13)]
    newer = write_modern(tmp_path / "2018.zip", newer_tweets, as_zip=True, media=media)
    config = load_config(site)
    assert dict(run_import(config, TwitterImporter(), [str(older)]).counts) == {Outcome.IMPORTED: 10}
    before = stamps(site / "content")
    again = run_import(config, TwitterImporter(), [str(older)])
    assert dict(again.counts) == {Outcome.UNCHANGED: 10}
    assert stamps(site / "content") == before
    report = run_import(config, TwitterImporter(), [str(newer)])
    assert dict(report.counts) == {Outcome.UNCHANGED: 10, Outcome.IMPORTED: 3}
    after = stamps(site / "content")
    assert {rel: after[rel] for rel in before} == before
    assert len(after) - len(before) == 3 + 3  # three tweets and their photos
