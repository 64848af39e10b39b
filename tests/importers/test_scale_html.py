"""Scale regressions of the shared HTML-to-Markdown step: long lists convert in linear time."""

from __future__ import annotations

import time

from archiver.importers.html import autop, html_to_markdown


def _best_time(html: str) -> float:
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        html_to_markdown(html)
        best = min(best, time.perf_counter() - started)
    return best


def _ordered_list(items: int) -> str:
    return '<ol start="3">' + "".join(f"<li>note {n}</li>" for n in range(items)) + "</ol>"


def test_a_long_ordered_list_is_numbered_in_linear_time() -> None:
    # markdownify counted the earlier items of every item of an <ol> (a footnote list is
    # one): 8,000 items took 8.3 s, 6,000 footnotes 18 s; now 1.8 s and linear.
    # Eight times the items: about 8 times the time now, 26 times before.
    markdown = html_to_markdown(_ordered_list(4000))
    lines = markdown.split("\n")
    assert len(lines) == 4000
    assert lines[0] == "3. note 0"
    assert lines[3999] == "4002. note 3999"
    small, large = _best_time(_ordered_list(500)), _best_time(_ordered_list(4000))
    assert large < 14 * small + 0.05


def test_numbered_items_keep_their_numbers_blocks_and_nesting() -> None:
    html = ('<ol start="9"><li>x<br>y</li><li><p>a</p><p>b</p></li><li></li>'
            "<li>z<ol><li>in</li></ol></li></ol>")
    assert html_to_markdown(html) == ("9. x  \n    y\n10. a\n\n    b\n\n12. z\n    1. in")


def _spaced(blanks: int) -> str:
    run = " " * blanks
    return (f"<h2>a{run}b</h2><p>c{run}d\t\t<br>{run}e</p><ul><li>f{run}g</li></ul>"
            f"<pre>h{'  ' * 3}i</pre>")


def test_long_runs_of_blanks_convert_in_linear_time() -> None:
    # A run of spaces (padding in generated HTML, a pasted row of blanks) was tried from each
    # of its blanks by markdownify's newline regex, ours for trailing spaces and wpautop's line
    # break: 20,000 spaces took 3 s in a heading or paragraph, 0.7 s in wpautop; now 0.01 s.
    assert html_to_markdown(_spaced(3)) == "## a b\n\nc d   \n e\n\n- f g\n\n```\nh      i\n```"
    assert html_to_markdown(_spaced(8000)) == html_to_markdown(_spaced(3))
    small, large = _best_time(_spaced(2000)), _best_time(_spaced(8000))
    assert large < 8 * small + 0.05


def test_wpautop_breaks_lines_after_a_long_run_of_blanks_in_linear_time() -> None:
    def text(blanks: int) -> str:
        return "a" + " " * blanks + "b\n  c<br />  \nd"

    assert autop(text(50_000)) == "<p>a" + " " * 50_000 + "b<br />\nc<br /> <br />\nd</p>"
    best: list[float] = []
    for blanks in (5_000, 50_000):  # 50,000 blanks took 4.6 s (100 times 5,000's time)
        runs = []
        for _ in range(3):
            started = time.perf_counter()
            autop(text(blanks))
            runs.append(time.perf_counter() - started)
        best.append(min(runs))
    assert best[1] < 30 * best[0] + 0.01
