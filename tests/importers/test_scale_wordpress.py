"""Scale regressions of the WordPress importer: costs that must grow linearly with the export.

Each test builds the smallest export that showed the problem and compares two runs of the
same reader (a ratio, not a wall time), so it stays fast and stable on a busy machine.
"""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path
from typing import Callable

import pytest

from archiver import frontmatter
from archiver.config import load_config
from archiver.importers.wordpress import WordPressImporter, convert
from archiver.importers.wordpress import shortcodes as shortcodes_module
from archiver.importers.wordpress.shortcodes import ShortcodeExpander
from archiver.importers.wordpress.wxr import WxrReader
from archiver.importing import run_import

_HEAD = ('<?xml version="1.0" encoding="UTF-8" ?><rss version="2.0" '
         'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
         'xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>Big</title>'
         '<link>http://big.example.org</link>')


def _item(number: int) -> str:
    return (f"<item><title>Post {number} &amp; more</title>"
            f"<content:encoded><![CDATA[<p>Body {number} & text</p>]]></content:encoded>"
            f"<wp:post_id>{number}</wp:post_id><wp:status><![CDATA[publish]]></wp:status>"
            f"<wp:post_type><![CDATA[post]]></wp:post_type>"
            + "".join(f"<wp:postmeta><wp:meta_key><![CDATA[k{k}]]></wp:meta_key>"
                      f"<wp:meta_value><![CDATA[v{k}]]></wp:meta_value></wp:postmeta>"
                      for k in range(10))
            + "</item>")


def _export(path: Path, items: int, separator: str) -> Path:
    path.write_text(_HEAD + separator + separator.join(_item(n) for n in range(1, items + 1))
                    + separator + "</channel></rss>" + separator, encoding="utf-8")
    return path


def _read(path: Path) -> tuple[list[tuple[str, str, str]], float]:
    """The (id, title, content) of every item, and the best time of three reads."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        items = [(i.post_id, i.title, i.content) for i in WxrReader(path, path.name).items()]
        best = min(best, time.perf_counter() - started)
    return items, best


def test_an_export_written_on_one_line_reads_as_fast_as_one_with_line_breaks(tmp_path: Path
                                                                            ) -> None:
    # Some tools write the whole export without a line break. The & repair searched the rest
    # of the line for each opener once per CDATA section: quadratic in the line's length
    # (1,000 posts on one line, 3.8 MB: 52 s instead of 0.4 s).
    lines, lines_time = _read(_export(tmp_path / "lines.xml", 200, "\n"))
    one_line, one_line_time = _read(_export(tmp_path / "one-line.xml", 200, ""))
    assert one_line == lines
    assert len(one_line) == 200
    assert one_line[199] == ("200", "Post 200 & more", "<p>Body 200 & text</p>")
    assert one_line_time < 3 * lines_time + 0.05


def _best_time(work: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return best


def test_brackets_that_are_not_shortcodes_cost_linear_time() -> None:
    # Each [sic] searched the rest of the body for a [/sic]: 8,000 of them in a 1.9 MB post
    # took 5.7 s (0.03 s now). Four times the brackets must cost about four times as much.
    def body(brackets: int) -> str:
        return "".join(f"<p>word [sic] and [edge case {n}] {'x' * 200}</p>\n"
                       for n in range(brackets)) + '[code lang="py"]a[i] = 1[/code]'

    small, large = body(1000), body(4000)
    expanded = ShortcodeExpander({}, "1", lambda message: None).expand(large)
    assert expanded == large.removesuffix('[code lang="py"]a[i] = 1[/code]') + (
        '<pre><code class="language-py">a[i] = 1</code></pre>')
    small_time = _best_time(lambda: ShortcodeExpander({}, "1", print).expand(small))
    large_time = _best_time(lambda: ShortcodeExpander({}, "1", print).expand(large))
    assert large_time < 8 * small_time + 0.02


def _gallery_export(path: Path, posts: int, images: int) -> Path:
    items = []
    for post in range(1, posts + 1):
        items.append(f"<item><title>Day {post}</title><content:encoded><![CDATA[Photos.\n\n"
                     f"[gallery]]]></content:encoded><wp:post_id>{post}</wp:post_id>"
                     "<wp:post_date_gmt>2012-01-01 10:00:00</wp:post_date_gmt>"
                     f"<wp:post_name>day-{post}</wp:post_name><wp:status>publish</wp:status>"
                     "<wp:post_type>post</wp:post_type></item>")
        for image in range(images):
            number = 1000 + post * images + image
            items.append(f"<item><title>pic {number}</title><wp:post_id>{number}</wp:post_id>"
                         "<wp:post_type>attachment</wp:post_type>"
                         f"<wp:post_parent>{post}</wp:post_parent><wp:attachment_url>"
                         f"http://big.example.org/up/{number}.jpg</wp:attachment_url></item>")
    path.write_text(_HEAD + "\n".join(items) + "</channel></rss>", encoding="utf-8")
    return path


def test_galleries_look_up_their_images_in_one_index_per_run(
        site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Each [gallery] scanned every attachment of the export: posts x attachments (4,000
    # gallery posts with 20,000 attachments: 13.7 s, now 8.8 s). The index is built once.
    built: list[int] = []
    index = shortcodes_module.attachments_by_parent

    def counted(attachments):  # type: ignore[no-untyped-def]
        built.append(len(attachments))
        return index(attachments)

    monkeypatch.setattr("archiver.importers.wordpress.attachments_by_parent", counted)
    export = _gallery_export(tmp_path / "galleries.xml", posts=30, images=3)
    report = run_import(load_config(site), WordPressImporter(no_download=True), [str(export)])
    assert report.total == 30 and not report.skipped
    assert built == [90]
    post = frontmatter.loads((site / "content/posts/2012/day-17.md").read_text("utf-8"),
                             "day-17.md")
    assert [line for line in post.body.splitlines() if "up/" in line] == [
        f"![pic {n}](http://big.example.org/up/{n}.jpg)" for n in (1051, 1052, 1053)]


def _export_with_terms(path: Path, terms: int) -> Path:
    listed = "".join(f"<wp:tag><wp:term_id>{n}</wp:term_id><wp:tag_slug>t{n}</wp:tag_slug>"
                     f"<wp:tag_name><![CDATA[Tag {n}]]></wp:tag_name></wp:tag>\n"
                     for n in range(terms))
    path.write_text(_HEAD + listed + "\n".join(_item(n) for n in range(1, 4))
                    + "</channel></rss>", encoding="utf-8")
    return path


def _peak_memory(path: Path) -> tuple[int, int]:
    """(items read, peak bytes allocated while reading)."""
    tracemalloc.start()
    try:
        count = sum(1 for _ in WxrReader(path, path.name).items())
        return count, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_the_tags_and_terms_listed_before_the_items_are_not_kept(tmp_path: Path) -> None:
    # The channel kept every <wp:tag>/<wp:category>/<wp:term> it lists before the items, and
    # dropping each item searched past all of them: items x terms (10,000 posts after 15,000
    # terms: reading 6.5 s -> 4.5 s; 4.2 s without the terms). Memory now stays flat.
    few_count, few_peak = _peak_memory(_export_with_terms(tmp_path / "few.xml", 100))
    many_count, many_peak = _peak_memory(_export_with_terms(tmp_path / "many.xml", 10000))
    assert few_count == many_count == 3
    assert many_peak < few_peak + 1_000_000


def test_emails_in_a_comment_with_a_long_word_are_hidden_in_linear_time() -> None:
    # The address pattern was tried from every letter of a long word to its end: a comment
    # holding "hahaha..." 40,000 letters long took 5.2 s; now 0.02 s, same addresses hidden.
    def comment(letters: int) -> str:
        return f"{'ha' * (letters // 2)} write to ann.b+x@mail.example.com, or a@b.c@d.org"

    assert convert.hide_emails(comment(10)) == (
        "hahahahaha write to [email hidden], or [email hidden]@d.org")
    small = _best_time(lambda: convert.hide_emails(comment(2_000)))
    large = _best_time(lambda: convert.hide_emails(comment(16_000)))
    assert large < 16 * small + 0.01
