"""Note tweets' bold and italic (``styletags``) become Markdown emphasis, exactly.

The ranges count UTF-16 code units (checked on the real alrocar archive: after an emoji, only
that reading gives whole words); each case below asserts the Markdown body and the HTML the
build makes of it.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

from archiver.build.markup import render_markdown
from archiver.importers import ImportContext
from archiver.importers.twitter import TwitterImporter
from archiver.importers.twitter.styles import BOLD, ITALIC, Style, styles_from_note
from archiver.importers.twitter.text import render_tweet_text
from archiver.importers.twitter.tweet import Link
from twitter_archive import api_tweet, note, write_modern

BOLD_TAG = [{"value": "0", "name": "Bold", "originalName": "BOLD", "annotations": {}}]
ITALIC_TAG = [{"value": "1", "name": "Italic", "originalName": "ITALIC", "annotations": {}}]


def styletag(types: list[dict], start: int, end: int) -> dict:
    return {"styleTypes": types, "fromIndex": str(start), "toIndex": str(end)}


def styled(text: str, *styles: Style, links: list[Link] | None = None) -> tuple[str, str]:
    body = render_tweet_text(text, links or [], styles=styles).body
    return body, render_markdown(body, tweet=True)


def test_bold_inside_quotes() -> None:
    assert styled('Se llama "CULTURA" y mola', Style(10, 17, BOLD)) == (
        'Se llama "**CULTURA**" y mola', '<p>Se llama "<strong>CULTURA</strong>" y mola</p>')


def test_italic_trimmed_of_spaces_and_its_asterisks_escaped() -> None:
    assert styled("TIL\n\n** + TAB en fzf", Style(5, 14, ITALIC)) == (
        "TIL\n\n*\\*\\* + TAB* en fzf", "<p>TIL</p>\n<p><em>** + TAB</em> en fzf</p>")


def test_bold_and_italic_together_over_the_whole_text() -> None:
    assert styled("all of it", Style(0, 9, BOLD | ITALIC)) == (
        "***all of it***", "<p><strong><em>all of it</em></strong></p>")


def test_links_mentions_and_tags_are_never_split() -> None:
    text = "mira @alrocar y #tag ya https://t.co/abc hoy"
    link = Link("https://t.co/abc", "https://example.com/x", "example.com/x")
    body, html = styled(text, Style(7, 18, BOLD), Style(30, 44, ITALIC), links=[link])
    assert body == ("mira **[@alrocar](https://twitter.com/alrocar) y [#tag](/tags/tag/)** ya "
                    "*[example.com/x](https://example.com/x) hoy*")
    assert html == ('<p>mira <strong><a href="https://twitter.com/alrocar">@alrocar</a> y '
                    '<a href="/tags/tag/">#tag</a></strong> ya <em><a href="https://example.com/x">'
                    'example.com/x</a> hoy</em></p>')


def test_a_range_over_a_line_break_is_closed_on_each_line() -> None:
    assert styled("line one\nline two", Style(5, 13, BOLD)) == (
        "line **one**\n**line** two", "<p>line <strong>one</strong><br>\n<strong>line</strong> two</p>")


def test_escaping_still_holds_inside_and_around() -> None:
    assert styled("# not a heading <3 a_b", Style(2, 22, ITALIC)) == (
        "\\# *not a heading &lt;3 a\\_b*", "<p># <em>not a heading &lt;3 a_b</em></p>")


def test_carriage_returns_do_not_shift_the_ranges() -> None:
    assert styled("one\r\ntwo three", Style(5, 8, BOLD))[0] == "one\n**two** three"


def test_utf16_offsets_after_an_emoji_become_code_points() -> None:
    text = "🤷‍♂️ bastante on-point 🐦 y mola"  # 🤷 and 🐦 take two UTF-16 units each
    styles = styles_from_note([styletag(ITALIC_TAG, 6, 14), styletag(BOLD_TAG, 29, 33)], text)
    assert styles == (Style(5, 13, ITALIC), Style(27, 31, BOLD))
    assert styled(text, *styles)[0] == "🤷\u200d♂️ *bastante* on-point 🐦 y **mola**"


def test_unknown_or_broken_styletags_are_ignored() -> None:
    tags = [styletag([{"name": "Underline"}], 0, 3), {"styleTypes": BOLD_TAG, "fromIndex": "x"},
            "junk", styletag(BOLD_TAG, 5, 2), styletag(ITALIC_TAG, 0, 99)]
    assert styles_from_note(tags, "short") == (Style(0, 5, ITALIC),)
    assert styles_from_note(None, "short") == ()


def test_every_range_of_the_real_alrocar_notes_is_whole_words(shared_fixtures: Path) -> None:
    raw = (shared_fixtures / "twitter-modern/alrocar-2024-tweets-js/data/note-tweet.js").read_text("utf-8")
    ranges = []
    for record in json.loads(raw[raw.index("["):]):
        core = record["noteTweet"]["core"]
        for style in styles_from_note(core.get("styletags"), core["text"]):
            ranges.append(core["text"][style.start:style.end])
    assert ranges == [
        "** + TAB ", "CULTURA", "company principles", "que no tape el texto",
        "y la imagen se publicó esa misma tarde", "PINGÜINO",
        "bastante on-point, recordemos que la empresa se llama Tinybird", "Hasta aquí todo OK pero "
        "ahora empieza lo bueno", "mola", "ME FLIPA", "cómo se hizo", "lo hace mal",
        "¿Cómo hacemos que el despliegue sea atómico y transparente para los usuarios?",
        "Dogfooding at its best.", 'cómo hemos resuelto "Preview Deployments" en proyectos de '
        "datos en streaming", "Preview Deployments", "en producción", "en streaming", "mismatch",
        "automático"]


def test_a_note_tweet_imports_with_its_emphasis(tmp_path: Path) -> None:
    when = datetime(2024, 4, 2, 9, 30, tzinfo=timezone.utc)
    long_text = "Eso se llama \"CULTURA\" 🚀 y " + "es lo que hay. " * 20 + "Fin."
    record = note(7, long_text, when)
    record["noteTweet"]["core"]["styletags"] = [styletag(BOLD_TAG, 14, 21),
                                                styletag(ITALIC_TAG, 28, 42)]
    archive = write_modern(tmp_path / "a", [api_tweet(70, long_text[:270] + "…", when)],
                           notes=[record])
    context = ImportContext(timezone=timezone.utc)
    [item] = list(TwitterImporter().read(str(archive), context))
    assert item.entry.body == ('Eso se llama "**CULTURA**" 🚀 y *es lo que hay.* '
                               + "es lo que hay. " * 19 + "Fin.")
