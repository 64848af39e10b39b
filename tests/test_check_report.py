"""archiver check on a built site with deliberate problems: the exact report, in order, and the
same report whether one process or several check the pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import archiver.check as check
from archiver.build.pipeline import build
from archiver.check import Finding, check_site
from archiver.config import load_config
from sitegen import small_site

BIG_COMMENT = "<!--" + "x" * 1_100_000 + "-->"


def inject(public: Path, rel: str, before: str, added: str) -> None:
    """Put ``added`` in front of the first ``before`` in the page ``rel``."""
    path = public / rel
    text = path.read_text("utf-8")
    assert before in text, (rel, before)
    path.write_text(text.replace(before, added + before, 1), "utf-8")


@pytest.fixture(scope="module")
def broken_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small site, built with a base_url, then damaged in its output folder."""
    from archiver.scaffold import create_site

    root = tmp_path_factory.mktemp("check") / "site"
    create_site(root, title="Test site", author="Tester")
    config = root / "site.yaml"
    config.write_text(config.read_text("utf-8").replace("base_url: ''", "base_url: https://site.example/"))
    small_site(root)
    build(load_config(root))
    public = root / "public"
    inject(public, "tweets/101/index.html", "</main>",
           '<a href="../../tweets/999/index.html">gone</a><img src="../../media/posts/2010/gone.png" alt="">'
           '<a href="../../2010/12/second-post/index.html#nowhere">anchor</a><a href="#main">ok</a>'
           '<a href="#nope">self</a><a href="https://site.example/nothere/">own</a>'
           # the same broken image and anchor again: a page has each problem once
           '<img src="../../media/posts/2010/gone.png" alt="">'
           '<a href="../../2010/12/second-post/index.html#nowhere">again</a><a href="#nope">again</a>')
    inject(public, "tweets/102/index.html", "</main>",
           '<script src="https://cdn.example/x.js"></script><img src="https://cdn.example/p.png" alt="">'
           '<a href="/tags/index.html">root</a><a href="../../tags">folder</a>'
           '<a href="../../../x.html">out</a><a href="../../tweets/999/index.html">gone</a>'
           '<video src="../../v.mp4" poster="../../tweets/101/index.html#main"></video>')
    inject(public, "about/index.html", "</body>", BIG_COMMENT)
    about = public / "about" / "index.html"
    about.write_text(re.sub(r"<title>.*?</title>", "<title> </title>", about.read_text("utf-8"), count=1), "utf-8")
    inject(public, "404.html", "</main>", '<a href="/missing/">x</a><a href="/index.html">home</a>')
    inject(public, "2009/index.html", "</head>",
           '<link rel="stylesheet" href="https://fonts.example/css"><meta http-equiv="refresh" '
           'content="0; url=../moved/index.html"><link rel="icon" href="gone.svg">')
    with (public / "static" / "style.css").open("a", encoding="utf-8") as css:
        css.write("\n.a{background:url(../fonts/gone.woff2)} .b{src:url('https://f.example/a.woff')}")
    return root


EXPECTED_PROBLEMS = [
    Finding("2009/index.html", "loads a stylesheet from another host: https://fonts.example/css"),
    Finding("2009/index.html", "broken link: no file moved/index.html"),
    Finding("2009/index.html", "broken link: no file 2009/gone.svg"),
    Finding("404.html", "broken link: no file missing/index.html"),
    Finding("about/index.html", "file is 1 MB; most hosts refuse files over 1 MB"),
    Finding("about/index.html", "page has no <title> (or an empty one)"),
    Finding("static/style.css", "broken link: no file fonts/gone.woff2"),
    Finding("static/style.css", "loads a font from another host: https://f.example/a.woff"),
    Finding("tweets/101/index.html", "broken link: no file tweets/999/index.html"),
    Finding("tweets/101/index.html", "broken link: no file media/posts/2010/gone.png"),
    Finding("tweets/101/index.html", "broken link: no file nothere/index.html"),
    Finding("tweets/102/index.html", "loads a script from another host: https://cdn.example/x.js"),
    Finding("tweets/102/index.html", "link ../../../x.html points outside the site folder"),
    Finding("tweets/102/index.html", "broken link: no file tweets/999/index.html"),
    # once, though the <video> matches two of the selectors read_page asks Lexbor for ([src]
    # and [poster]), and Lexbor lists an element once per selector it matches
    Finding("tweets/102/index.html", "broken link: no file v.mp4"),
    Finding("tweets/101/index.html", "broken link: no id 'nowhere' in 2010/12/second-post/index.html"),
    Finding("tweets/101/index.html", "broken link: no id 'nope' in tweets/101/index.html"),
]
EXPECTED_WARNINGS = [
    Finding("about/index.html", "page is 1.1 MB (over 1 MB): slow to load; lower 'pagination' in site.yaml"),
    Finding("tweets/102/index.html", "loads media from another host: https://cdn.example/p.png"),
    Finding("tweets/102/index.html", "root-relative link /tags/index.html: breaks when the site is opened "
                                     "from a file or a sub-folder"),
    Finding("tweets/102/index.html", "link ../../tags names a folder: add index.html so it opens from a file"),
]


def test_report_on_a_damaged_built_site_is_exact(broken_site: Path, run_cli,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(check, "FILE_LIMIT_BYTES", 1024 * 1024)
    report = check_site(load_config(broken_site))
    assert report.problems == EXPECTED_PROBLEMS
    assert report.warnings == EXPECTED_WARNINGS
    public = (broken_site / "public").resolve()
    assert (report.pages, report.files, report.external) == (
        sum(1 for _ in public.rglob("*.html")), sum(1 for p in public.rglob("*") if p.is_file()), 2)
    result = run_cli("check", site=broken_site)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"Checked {report.pages} pages and {report.files} files in {public}: {report.internal:,} "
        "internal references, 2 external links (not requested; use --external).",
        "Problems (17):",
        "  loads a stylesheet from another host: https://fonts.example/css — in 2009/index.html",
        "  broken link: no file moved/index.html — in 2009/index.html",
        "  broken link: no file 2009/gone.svg — in 2009/index.html",
        "  broken link: no file missing/index.html — in 404.html",
        "  file is 1 MB; most hosts refuse files over 1 MB — in about/index.html",
        "  page has no <title> (or an empty one) — in about/index.html",
        "  broken link: no file fonts/gone.woff2 — in static/style.css",
        "  loads a font from another host: https://f.example/a.woff — in static/style.css",
        "  broken link: no file tweets/999/index.html — in tweets/101/index.html, tweets/102/index.html",
        "  broken link: no file media/posts/2010/gone.png — in tweets/101/index.html",
        "  broken link: no file nothere/index.html — in tweets/101/index.html",
        "  loads a script from another host: https://cdn.example/x.js — in tweets/102/index.html",
        "  link ../../../x.html points outside the site folder — in tweets/102/index.html",
        "  broken link: no file v.mp4 — in tweets/102/index.html",
        "  broken link: no id 'nowhere' in 2010/12/second-post/index.html — in tweets/101/index.html",
        "  broken link: no id 'nope' in tweets/101/index.html — in tweets/101/index.html",
        "Warnings (4):",
        "  page is 1.1 MB (over 1 MB): slow to load; lower 'pagination' in site.yaml — in about/index.html",
        "  loads media from another host: https://cdn.example/p.png — in tweets/102/index.html",
        "  root-relative link /tags/index.html: breaks when the site is opened from a file or a "
        "sub-folder — in tweets/102/index.html",
        "  link ../../tags names a folder: add index.html so it opens from a file — in tweets/102/index.html",
        "17 problem(s), 4 warning(s): problems found",
    ]


def test_worker_processes_give_the_same_report(broken_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks of five files over two forked processes: findings joined in the same order."""
    import os

    from archiver import checkscan

    pids: list[int] = []
    scan, scan_site = checkscan.SiteScanner.scan, check.scan_site

    def scan_noting_process(self, start: int, stop: int):  # noqa: ANN001, ANN202
        result = scan(self, start, stop)
        result.pid = os.getpid()
        return result

    def scan_site_noting_processes(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        results = scan_site(*args, **kwargs)
        pids.extend(result.pid for result in results)
        return results

    monkeypatch.setattr(check, "FILE_LIMIT_BYTES", 1024 * 1024)
    monkeypatch.setattr(checkscan, "CHUNK_FILES", 5)
    monkeypatch.setattr(checkscan.SiteScanner, "scan", scan_noting_process)
    monkeypatch.setattr(check, "scan_site", scan_site_noting_processes)
    one = check_site(load_config(broken_site), jobs=1)
    assert set(pids) == {os.getpid()}
    pids.clear()
    two = check_site(load_config(broken_site), jobs=2)
    assert len(pids) == -(-one.files // 5) and os.getpid() not in pids  # forked workers did it
    assert two.problems == one.problems == EXPECTED_PROBLEMS
    assert two.warnings == one.warnings == EXPECTED_WARNINGS
    assert (two.pages, two.files, two.internal, two.external) == (one.pages, one.files, one.internal, one.external)


def test_an_element_matching_several_selectors_is_read_once() -> None:
    from archiver.checkpage import read_page

    facts = read_page(b'<title>T</title><a id="top" href="a.html">a</a>'
                      b'<img src="p.png" srcset="p2.png 2x, p3.png 3x">'
                      b'<video id="v" src="v.mp4" poster="v.jpg"></video>')
    assert facts.references == [("a.html", "link"), ("p.png", "media"), ("p2.png", "media"),
                                 ("p3.png", "media"), ("v.mp4", "media"), ("v.jpg", "media")]
    assert facts.ids == {"top", "v"} and facts.title == "T"
