"""Scale regressions of the WordPress importer: costs that must grow linearly with the export.

Each test builds the smallest export that showed the problem and compares two runs of the
same reader (a ratio, not a wall time), so it stays fast and stable on a busy machine.
"""

from __future__ import annotations

import time
from pathlib import Path

from archiver.importers.wordpress.wxr import WxrReader

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
