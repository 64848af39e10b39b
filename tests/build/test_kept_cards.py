"""Cards kept between builds (keptcards.py): a build that renders many list pages takes the
cards the last one kept, and writes the bytes a fresh build of the same site writes."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from archiver.build import keptcards
from archiver.build.keptcards import KeptCards
from archiver.build.pipeline import build
from archiver.build.themes import default_theme_dir
from archiver.config import load_config
from buildsite import generated_site, snapshot
from sitegen import write

CACHE = Path(".archiver") / "cache"


@pytest.fixture
def kept_site(site: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The generated site, with every build that keeps pages keeping cards too."""
    monkeypatch.setattr(keptcards, "MIN_PAGES", 0)
    return generated_site(site)


def _add_tweet(site: Path, number: int) -> None:
    """A new tweet at the top of the timeline: every home page shows other cards."""
    write(site, f"tweets/2012/12/{9000 + number}.md",
          f"---\ndate: 2012-12-31T20:{number:02d}:00+00:00\nsource: twitter\n"
          f"source_id: \"{9000 + number}\"\n---\nBrand new tweet {number}\n")


def _card_files(site: Path) -> list[str]:
    return sorted(path.name for path in (site / CACHE).glob("cards-*.pickle"))


def _fresh_build(site: Path, twin: Path) -> dict[str, bytes]:
    """The output of a first build of a copy of ``site``."""
    for name in ("content", "templates"):
        if (site / name).is_dir():
            shutil.copytree(site / name, twin / name)
    shutil.copy(site / "site.yaml", twin / "site.yaml")
    build(load_config(twin), jobs=1)
    return snapshot(twin / "public")


class _Counted:
    """Counts the cards rendered (not taken from the kept ones) in this process."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.rendered: list[str] = []
        real = KeptCards.card

        def card(kept: KeptCards, name: str, item, arguments, render):  # noqa: ANN001, ANN202
            def counted() -> str:
                self.rendered.append(f"{name}:{item.entry.path}:{arguments!r}")
                return render()

            return real(kept, name, item, arguments, counted)

        monkeypatch.setattr(KeptCards, "card", card)


def test_a_first_build_keeps_no_cards(kept_site: Path) -> None:
    result = build(load_config(kept_site), jobs=1)
    assert result.rendered > 0 and _card_files(kept_site) == []


def test_a_new_tweet_takes_the_kept_cards_and_writes_a_fresh_builds_bytes(
        kept_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = load_config(kept_site)
    build(config, jobs=1)
    _add_tweet(kept_site, 1)
    build(config, jobs=1)  # renders every card the changed pages show, and keeps them
    assert _card_files(kept_site) == ["cards-0.pickle"]
    _add_tweet(kept_site, 2)
    counted = _Counted(monkeypatch)
    result = build(config, jobs=1)
    # the home pages, 2012's lists and the tags of the tweets on them are rendered again,
    # yet only the new tweet's card is rendered: once in the lists, once on "on this day"
    assert result.rendered > 10
    assert counted.rendered == ["tweet_card:tweets/2012/12/9002.md:((), ())",
                                "tweet_card:tweets/2012/12/9002.md:((), (('heading', 'h3'),))"]
    assert snapshot(kept_site / "public") == _fresh_build(kept_site, tmp_path / "fresh")


@pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux only")
def test_each_rendering_process_keeps_the_cards_it_used(kept_site: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("archiver.build.renderjobs.MIN_PAGES_PER_WORKER", 1)
    monkeypatch.setattr("archiver.build.renderjobs.CHUNK_PAGES", 1)  # both processes take pages
    config = load_config(kept_site)
    build(config, jobs=2)
    (kept_site / CACHE / "cards-7.pickle").write_bytes(b"left by a build with 8 processes")
    _add_tweet(kept_site, 1)
    build(config, jobs=2)
    assert "cards-0.pickle" in _card_files(kept_site) and "cards-7.pickle" not in _card_files(kept_site)
    # whichever process rendered a page, its cards were kept: the next build renders only
    # the cards of the new tweet
    _add_tweet(kept_site, 2)
    counted = _Counted(monkeypatch)
    build(config, jobs=1)
    assert counted.rendered == ["tweet_card:tweets/2012/12/9002.md:((), ())",
                                "tweet_card:tweets/2012/12/9002.md:((), (('heading', 'h3'),))"]
    assert _card_files(kept_site) == ["cards-0.pickle"]  # one process: the worker's file goes
    assert snapshot(kept_site / "public") == _fresh_build(kept_site, tmp_path / "fresh")


def test_an_edited_tweet_shows_its_new_text_where_its_card_was_kept(
        kept_site: Path, tmp_path: Path) -> None:
    config = load_config(kept_site)
    build(config, jobs=1)
    _add_tweet(kept_site, 1)
    build(config, jobs=1)
    _add_tweet(kept_site, 2)  # its card is kept by the next build ...
    build(config, jobs=1)
    write(kept_site, "tweets/2012/12/9002.md",  # ... then its text changes
          "---\ndate: 2012-12-31T20:02:00+00:00\nsource: twitter\nsource_id: \"9002\"\n---\n"
          "Edited words\n")
    _add_tweet(kept_site, 3)
    build(config, jobs=1)
    home = (kept_site / "public" / "index.html").read_text("utf-8")
    assert "Edited words" in home and "Brand new tweet 2" not in home
    assert snapshot(kept_site / "public") == _fresh_build(kept_site, tmp_path / "fresh")


def test_an_edited_card_template_renders_the_cards_again(kept_site: Path, tmp_path: Path) -> None:
    config = load_config(kept_site)
    build(config, jobs=1)
    _add_tweet(kept_site, 1)
    build(config, jobs=1)
    macros = kept_site / "templates" / "partials" / "macros.html"
    macros.parent.mkdir(parents=True)
    shutil.copy(default_theme_dir() / "templates" / "partials" / "macros.html", macros)
    text = macros.read_text("utf-8")
    macros.write_text(text.replace('<article class="h-entry tweet', '<article class="h-entry edited tweet'),
                      "utf-8")
    _add_tweet(kept_site, 2)
    build(config, jobs=1)
    assert 'class="h-entry edited tweet' in (kept_site / "public" / "index.html").read_text("utf-8")
    assert snapshot(kept_site / "public") == _fresh_build(kept_site, tmp_path / "fresh")


def test_a_card_is_kept_only_for_an_item_and_plain_arguments(tmp_path: Path) -> None:
    item, other = object(), object()
    tokens = {id(item): "token-of-item"}
    kept = KeptCards(tmp_path, "key", lambda value: tokens.get(id(value)))
    kept.card("tweet_card", item, ((), (("heading", "h3"),)), lambda: "<article>3</article>")
    kept.card("tweet_card", item, ((object(),), ()), lambda: "<article>object</article>")
    kept.card("tweet_card", other, ((), ()), lambda: "<article>not an item</article>")
    assert kept.used == {"tweet_card\x1ftoken-of-item\x1f((), (('heading', 'h3'),))": "<article>3</article>"}
    kept.save(0)
    again = KeptCards(tmp_path, "key", lambda value: tokens.get(id(value))).read()
    assert again.card("tweet_card", item, ((), (("heading", "h3"),)), lambda: None) == "<article>3</article>"
    assert again.card("tweet_card", item, ((), ()), lambda: None) is None
    assert KeptCards(tmp_path, "another key", lambda value: "token-of-item").read().old == {}
