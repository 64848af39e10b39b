"""Tweet text -> Markdown -> HTML: every escaping case shows exactly what was written."""

from __future__ import annotations

import pytest

from archiver.build.markup import render_markdown
from archiver.importers.twitter.text import render_tweet_text
from archiver.importers.twitter.tweet import Link, unescape


def html(text: str, links: list[Link] | None = None, removed: tuple[str, ...] = ()) -> str:
    body = render_tweet_text(text, links or [], removed=removed).body
    return render_markdown(body, tweet=True)


@pytest.mark.parametrize(("text", "expected"), [
    ("#followfriday @ann_reader", '<p><a href="/tags/followfriday/">#followfriday</a> '
                                  '<a href="https://twitter.com/ann_reader">@ann_reader</a></p>'),
    ("# not a heading", "<p># not a heading</p>"),
    ("#1 is not a tag", "<p>#1 is not a tag</p>"),
    ("thanks @some_user_name and @other_name_",
     '<p>thanks <a href="https://twitter.com/some_user_name">@some_user_name</a> and '
     '<a href="https://twitter.com/other_name_">@other_name_</a></p>'),
    ("snake_case_name and _under_ and *stars*", "<p>snake_case_name and _under_ and *stars*</p>"),
    ("I <3 you", "<p>I &lt;3 you</p>"),
    ("bread & butter", "<p>bread &amp; butter</p>"),
    ("typed &amp; and &copy; literally", "<p>typed &amp;amp; and &amp;copy; literally</p>"),
    ("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"),
    ("<b>bold?</b>", "<p>&lt;b&gt;bold?&lt;/b&gt;</p>"),
    ("> not a quote", "<p>&gt; not a quote</p>"),
    ("- not a list\n+ nor this", "<p>- not a list<br>\n+ nor this</p>"),
    ("1. not a list\n2) either", "<p>1. not a list<br>\n2) either</p>"),
    ("Title\n===", "<p>Title<br>\n===</p>"),
    ("Title\n---", "<p>Title<br>\n---</p>"),
    ("Term\n: not a definition", "<p>Term<br>\n: not a definition</p>"),
    ("~~~\nnot code\n~~~", "<p>~~~<br>\nnot code<br>\n~~~</p>"),
    ("    indented", "<p>indented</p>"),
    ("`tick` [x](y) {a} a|b \\o/", "<p>`tick` [x](y) {a} a|b \\o/</p>"),
    ("*[HTML]: abbreviation", "<p>*[HTML]: abbreviation</p>"),
    ("a [^1] footnote", "<p>a [^1] footnote</p>"),
    ("line one\nline two\n\nnew paragraph", "<p>line one<br>\nline two</p>\n<p>new paragraph</p>"),
    ("mail me: a@b.example", "<p>mail me: a@b.example</p>"),
    ("wow!#tag", '<p>wow!<a href="/tags/tag/">#tag</a></p>'),
    ("café #ñandú #日本", '<p>café <a href="/tags/nandu/">#ñandú</a> '
                         '<a href="/tags/ri-ben/">#日本</a></p>'),
    ("see http://example.com/a_b_c).", '<p>see <a href="http://example.com/a_b_c">'
                                       'example.com/a_b_c</a>).</p>'),
])
def test_escaping_shows_text_as_written(text: str, expected: str) -> None:
    assert html(text) == expected


def test_tco_links_become_expanded_links_with_display_text() -> None:
    links = [Link("https://t.co/abc", "https://example.com/a_long/path(1)", "example.com/a_long/…")]
    assert html("read https://t.co/abc now", links) == (
        '<p>read <a href="https://example.com/a_long/path%281%29">example.com/a_long/…</a> now</p>')


def test_tco_followed_by_punctuation_and_longer_tco_not_confused() -> None:
    links = [Link("https://t.co/ab", "https://one.example/", "one.example"),
             Link("https://t.co/abc", "https://two.example/", "two.example")]
    assert html("https://t.co/abc, https://t.co/ab.", links) == (
        '<p><a href="https://two.example/">two.example</a>, '
        '<a href="https://one.example/">one.example</a>.</p>')


def test_trailing_media_link_removed() -> None:
    assert html("two photos https://t.co/pic", [], removed=("https://t.co/pic",)) == (
        "<p>two photos</p>")


def test_hashtags_become_tags_once_per_slug() -> None:
    rendered = render_tweet_text("#Baking and #baking, #FollowFriday", [])
    assert rendered.tags == ("Baking", "FollowFriday")
    assert rendered.body == ("[#Baking](/tags/baking/) and [#baking](/tags/baking/), "
                             "[#FollowFriday](/tags/followfriday/)")


def test_hashtag_with_combining_marks_uses_the_archive_entity() -> None:
    rendered = render_tweet_text("#हिन्दी rocks", [], hashtags=["हिन्दी"])
    assert rendered.tags == ("हिन्दी",)
    assert rendered.body.startswith("[#हिन्दी](/tags/")


def test_full_text_unescaped_exactly_once() -> None:
    assert unescape("a &amp;lt;b&amp;gt; &amp;amp; &lt;3 &gt; &amp;") == "a &lt;b&gt; &amp; <3 > &"


def test_windows_line_ends_are_plain_line_breaks() -> None:
    assert html("one\r\ntwo\rthree") == "<p>one<br>\ntwo<br>\nthree</p>"
