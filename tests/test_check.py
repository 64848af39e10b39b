"""archiver check: a built site passes; a hand-made output folder shows each kind of problem
and warning exactly; --external asks a 127.0.0.1 server politely."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from archiver.build.pipeline import build
from archiver.check import USER_AGENT, Finding, check_site
from archiver.config import load_config
from sitegen import small_site

PAGE = "<!doctype html><html><head><title>{title}</title>{head}</head><body>{body}</body></html>"


def page(body: str = "", head: str = "", title: str = "A page") -> str:
    return PAGE.format(title=title, head=head, body=body)


def make_output(out: Path, files: dict[str, str | bytes]) -> Path:
    for rel, data in files.items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, "utf-8")
    return out


def test_a_built_site_has_no_problems(site: Path, run_cli) -> None:
    small_site(site)
    build(load_config(site))
    report = check_site(load_config(site))
    assert report.problems == [] and report.warnings == []
    assert report.pages == sum(1 for _ in (site / "public").rglob("*.html"))
    assert report.internal > 500
    result = run_cli("check", site=site)
    assert result.exit_code == 0
    assert result.output.splitlines()[-1] == "0 problem(s), 0 warning(s): all good"


def test_every_kind_of_problem_and_warning(site: Path, tmp_path: Path) -> None:
    out = make_output(tmp_path / "out", {
        "index.html": page(
            '<a href="a/index.html">ok</a> <a href="a/">folder ok</a> <a href="a/index.html#here">ok</a>'
            '<a href="a/index.html#gone">no id</a> <a href="#top">top</a> <a href="#self">self</a>'
            '<p id="self"></p><a href="missing.html">broken</a> <a href="../up.html">outside</a>'
            '<a href="mailto:me@example.org">mail</a> <a href="https://elsewhere.example/x">out</a>'
            '<img src="img/a.png" srcset="img/a.png 1x, img/b%20c.png 2x" alt="">'
            '<img src="https://cdn.example/pic.png" alt=""><a href="/a/index.html">root</a>'
            '<a href="a">bare folder</a><a href="https://site.example/blog/a/index.html">own</a>',
            head='<link rel="stylesheet" href="static/s.css"><script src="https://cdn.example/x.js"></script>'
                 '<link rel="stylesheet" href="https://fonts.example/css"><link rel="icon" href="fav.svg">'),
        "a/index.html": page('<h2 id="here">Here</h2><a href="../index.html">home</a>'),
        "img/a.png": b"png", "img/b c.png": b"png",
        "static/s.css": "@font-face{src:url(../fonts/f.woff2)} body{background:url('https://x.example/font.woff')}",
        "untitled.html": page(title="  "),
        "big.html": page("x" * 1_100_000),
        "old.html": '<html><head><title>Moved</title><meta http-equiv="refresh" content="0; url=gone/index.html">'
                    "</head></html>",
        "404.html": page('<a href="/blog/a/index.html">root is fine here</a>'),
    })
    (site / "site.yaml").write_text("title: T\nbase_url: https://site.example/blog/\n")
    report = check_site(load_config(site), output=out)
    assert sorted(report.problems, key=lambda f: (f.where, f.message)) == [
        Finding("index.html", "broken link: no file fav.svg"),
        Finding("index.html", "broken link: no file missing.html"),
        Finding("index.html", "broken link: no id 'gone' in a/index.html"),
        Finding("index.html", "link ../up.html points outside the site folder"),
        Finding("index.html", "loads a script from another host: https://cdn.example/x.js"),
        Finding("index.html", "loads a stylesheet from another host: https://fonts.example/css"),
        Finding("old.html", "broken link: no file gone/index.html"),
        Finding("static/s.css", "broken link: no file fonts/f.woff2"),
        Finding("static/s.css", "loads a font from another host: https://x.example/font.woff"),
        Finding("untitled.html", "page has no <title> (or an empty one)"),
    ]
    assert sorted(report.warnings, key=lambda f: (f.where, f.message)) == [
        Finding("big.html", "page is 1.1 MB (over 1 MB): slow to load; lower 'pagination' in site.yaml"),
        Finding("index.html", "link a names a folder: add index.html so it opens from a file"),
        Finding("index.html", "loads media from another host: https://cdn.example/pic.png"),
        Finding("index.html", "root-relative link /a/index.html: breaks when the site is opened "
                              "from a file or a sub-folder"),
    ]
    assert (report.pages, report.files, report.external) == (6, 9, 2)


def test_cli_reports_problems_grouped_and_exits_1(site: Path, tmp_path: Path, run_cli) -> None:
    out = make_output(tmp_path / "out", {
        f"p{i}.html": page('<a href="nowhere.html">x</a>') for i in range(5)})
    result = run_cli("check", "--output", str(out), site=site)
    assert result.exit_code == 1
    assert result.output.splitlines()[1:] == [
        "Problems (5):",
        "  broken link: no file nowhere.html — in p0.html, p1.html, p2.html and 2 more",
        "5 problem(s), 0 warning(s): problems found",
    ]


def test_nothing_built_is_one_clear_error(site: Path, run_cli) -> None:
    result = run_cli("check", site=site)
    assert result.exit_code == 1
    assert result.output.strip() == (f"error: nothing to check: {(site / 'public').resolve()} is empty "
                                     "or missing (run 'archiver build' first)")


class _LinkTarget(BaseHTTPRequestHandler):
    seen: list[tuple[str, str, str, float]] = []

    def _answer(self) -> None:
        _LinkTarget.seen.append((self.command, self.path, self.headers["User-Agent"], time.monotonic()))
        status = {"/ok": 200, "/gone": 404}.get(self.path, 200)
        if self.path == "/no-head" and self.command == "HEAD":
            status = 405
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_HEAD = do_GET = _answer  # noqa: N815

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def link_server():
    _LinkTarget.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _LinkTarget)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_external_links_checked_politely(site: Path, tmp_path: Path, link_server: str) -> None:
    links = "".join(f'<a href="{link_server}{path}">x</a>' for path in ("/ok", "/gone", "/no-head", "/ok"))
    out = make_output(tmp_path / "out", {"index.html": page(links + '<a href="http://127.0.0.1:9/">closed</a>')})
    config = load_config(site)
    assert check_site(config, output=out).external_checked == 0
    assert _LinkTarget.seen == []
    report = check_site(config, output=out, external=True, delay=0.2, timeout=5)
    assert report.external_checked == 4
    assert [(method, path) for method, path, _, _ in _LinkTarget.seen] == [
        ("HEAD", "/gone"), ("HEAD", "/no-head"), ("GET", "/no-head"), ("HEAD", "/ok")]
    assert {agent for _, _, agent, _ in _LinkTarget.seen} == {USER_AGENT}
    gaps = [b[3] - a[3] for a, b in zip(_LinkTarget.seen, _LinkTarget.seen[1:])
            if a[1] != b[1]]  # HEAD then GET of one URL is one check
    assert min(gaps) >= 0.19
    messages = sorted(f.message for f in report.problems)
    assert messages[0] == f"external link {link_server}/gone failed: HTTP 404"
    assert messages[1].startswith("external link http://127.0.0.1:9/ failed: could not connect")
    assert len(messages) == 2


def test_relative_links_resolve_like_posixpath() -> None:
    import itertools
    import posixpath

    from archiver.checkscan import join_relative as _join_relative

    pages = ["index.html", "a/index.html", "a/b/index.html", "a/b/c/x.html"]
    paths = ["../../x/index.html", "../c/", "./x", "x/y.html", "../..", "../../", "c", "../x", "..",
             "../x/../y", "../../../../a/", "x/", "../", ".", "./", "../a.b/c.png", "..a/b", "a/./b",
             "a//b", "tags/index.html"]
    for page, path in itertools.product(pages, paths):
        expected = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
        got = _join_relative(page, path)
        if expected == ".." or expected.startswith("../"):
            assert got == ".." or got.startswith("../"), (page, path, got)
        else:
            assert got == expected, (page, path, got)
