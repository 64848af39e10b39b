"""archiver serve: files inside the output folder only, live reload in responses (never in the
files), a rebuild after a content change, and the CLI's defaults."""

from __future__ import annotations

import http.client
import json
import os
import threading
import time
from pathlib import Path

import pytest

from archiver.cli import cli
from archiver.config import load_config
from archiver.errors import ArchiverError, describe_error
from archiver.scaffold import create_site
from archiver.serve import DevServer
from archiver.servefiles import EVENTS_PATH, inject_reload, resolve_request
from sitegen import small_site, write


def get(server: DevServer, path: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    """Send ``path`` exactly as given (no client-side normalisation)."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        connection.putrequest(method, path, skip_accept_encoding=True)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def start_server(site: Path, outside: Path) -> DevServer:
    """A built small site served on a free port, with symlinks that point out of the output."""
    small_site(site)
    (outside / "secret.txt").write_text("TOP-SECRET")
    server = DevServer(load_config(site), port=0)
    server.build()
    os.symlink(outside / "secret.txt", site / "public" / "leak.txt")
    os.symlink(outside, site / "public" / "outside")
    server.start()
    return server


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory):
    """One server for the tests that only read."""
    root = tmp_path_factory.mktemp("serve")
    create_site(root / "site", title="Test site")
    server = start_server(root / "site", root)
    yield server
    server.stop()


@pytest.fixture
def own_server(site: Path, tmp_path: Path):
    """A server of its own, for a test that changes the content."""
    server = start_server(site, tmp_path)
    yield server
    server.stop()


def test_serves_pages_with_reload_script_only_in_the_response(served: DevServer) -> None:
    status, headers, body = get(served, "/tweets/200/")
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert b"New year's eve &amp; &lt;3" in body
    assert body.count(EVENTS_PATH.encode()) == 1
    assert body.index(EVENTS_PATH.encode()) < body.rindex(b"</body>")
    on_disk = (served.output / "tweets" / "200" / "index.html").read_bytes()
    assert EVENTS_PATH.encode() not in on_disk
    assert int(headers["Content-Length"]) == len(body) > len(on_disk)


def test_files_folders_and_redirects(served: DevServer) -> None:
    status, headers, body = get(served, "/static/style.css?v=1")
    assert (status, headers["Content-Type"]) == (200, "text/css; charset=utf-8")
    assert body == (served.output / "static" / "style.css").read_bytes()
    status, headers, _ = get(served, "/tags?x=1")
    assert (status, headers["Location"]) == (301, "/tags/?x=1")
    status, headers, body = get(served, "/pagefind/2009-2010/wasm.en.pagefind", "HEAD")
    assert (status, body) == (200, b"")
    status, headers, _ = get(served, "/pagefind/2009-2010/pagefind-entry.json")
    assert headers["Content-Type"] == "application/json"


@pytest.mark.parametrize("path", [
    "/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/%2e%2e/secret.txt", "/tags/..%2f..%2fsecret.txt",
    "/..%5csecret.txt", "/tags/%2e%2e/%2e%2e/secret.txt", "/leak.txt", "/outside/secret.txt",
    "/index.html%00.txt", "//etc/passwd", "/%ff", "/tags/./index.html", "/nope/",
])
def test_outside_or_odd_paths_are_not_found(served: DevServer, path: str) -> None:
    status, headers, body = get(served, path)
    assert status == 404
    assert b"TOP-SECRET" not in body
    assert b"Page not found" in body  # the site's own 404 page


def test_resolve_request_stays_inside(tmp_path: Path) -> None:
    root = (tmp_path / "out").resolve()
    (root / "a").mkdir(parents=True)
    (root / "a" / "b.html").write_text("x")
    assert resolve_request(root, "/a/b.html?q=1#f") == root / "a" / "b.html"
    assert resolve_request(root, "/a/%62.html") == root / "a" / "b.html"
    assert resolve_request(root, "/") == root
    assert resolve_request(root, "/a/../a/b.html") is None
    assert resolve_request(root, "a/b.html") is None


def test_inject_reload_before_the_last_body_end() -> None:
    html = b"<html><body><p>&lt;/body&gt;</p></BODY >\n</html>"
    injected = inject_reload(html, 7)
    assert injected.startswith(b"<html><body><p>&lt;/body&gt;</p><script>")
    assert injected.endswith(b"</script></BODY >\n</html>")
    assert b'var built="7"' in injected
    assert inject_reload(b"<p>x</p>", 1).startswith(b"<p>x</p><script>")


def test_rebuilds_after_a_content_change_and_tells_the_browser(own_server: DevServer, site: Path) -> None:
    served = own_server
    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=20)
    connection.request("GET", EVENTS_PATH)
    events = connection.getresponse()
    assert events.headers["Content-Type"] == "text/event-stream"
    assert events.fp.readline() == b"retry: 1000\n"
    first = events.fp.readline()
    assert first == f"data: {served.clock.generation}\n".encode()
    write(site, "tweets/2010/12/200.md", "---\ndate: 2010-12-31T23:30:00+00:00\nsource: twitter\n"
                                          "source_id: '200'\n---\nChanged while serving\n")
    events.fp.readline()  # the blank line that ends the first event
    started = time.monotonic()
    second = events.fp.readline()
    assert second == b"data: 2\n"
    assert time.monotonic() - started < 15
    connection.close()
    _, _, body = get(served, "/tweets/200/")
    assert b"Changed while serving" in body


def test_a_failed_rebuild_is_shown_in_open_pages_until_the_next_build(own_server: DevServer,
                                                                      site: Path) -> None:
    served = own_server
    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=20)
    connection.request("GET", EVENTS_PATH)
    events = connection.getresponse()
    assert [events.fp.readline() for _ in range(3)] == [
        b"retry: 1000\n", f"data: {served.clock.generation}\n".encode(), b"\n"]
    tweet = site / "content/tweets/2010/12/200.md"
    good = tweet.read_text("utf-8")
    tweet.write_text("---\ndate: [never closed\n---\nBroken\n", "utf-8")
    assert events.fp.readline() == b"event: failed\n"
    error = json.loads(events.fp.readline().decode().removeprefix("data: "))
    assert error.startswith("tweets/2010/12/200.md: front matter is not valid YAML")
    assert events.fp.readline() == b"\n"
    _, _, body = get(served, "/")
    assert b'addEventListener("failed"' in body and b"archiver-serve-error" in body
    tweet.write_text(good, "utf-8")  # the same bytes as the last good build: nothing to write
    assert events.fp.readline() == f"data: {served.clock.generation}\n".encode()  # pages reload
    assert served.clock.error == ""
    connection.close()


def test_a_change_made_as_soon_as_start_returns_is_seen(site: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """start() returns once the watcher watches: on a busy machine its thread starts late,
    and a change made before its watches are in place would be missed."""
    import watchfiles

    real_watch = watchfiles.watch

    def late_watch(*paths, **options):  # noqa: ANN002, ANN003, ANN202
        time.sleep(0.5)  # the watcher thread, slow to start
        yield from real_watch(*paths, **options)

    monkeypatch.setattr(watchfiles, "watch", late_watch)
    server = start_server(site, tmp_path)
    try:
        before = server.clock.generation
        write(site, "tweets/2010/12/200.md", "---\ndate: 2010-12-31T23:30:00+00:00\nsource: twitter\n"
                                              "source_id: '200'\n---\nChanged at once\n")
        assert server.clock.wait_after((before, ""), 10) == (before + 1, "")
    finally:
        server.stop()
    assert b"Changed at once" in (server.output / "tweets" / "200" / "index.html").read_bytes()


def test_cli_serve_defaults_to_localhost_port_8000() -> None:
    options = {param.name: param for param in cli.commands["serve"].params}
    assert options["bind"].default == "127.0.0.1"
    assert options["port"].default == 8000


def test_port_in_use_is_one_clear_error(served: DevServer) -> None:
    other = DevServer(served.config, port=served.port)
    with pytest.raises(ArchiverError) as caught:
        other.start(watch=False)
    assert str(caught.value) == (f"port {served.port} on 127.0.0.1 is already in use "
                                 "(stop the other server or choose another --port)")


def test_a_build_that_changes_nothing_does_not_reload_pages(served: DevServer) -> None:
    before = served.clock.generation
    result = served.build()
    assert (result.written, result.removed) == (0, 0)
    assert served.clock.generation == before


def test_cli_serve_port_in_use_is_one_line(served: DevServer, run_cli) -> None:
    result = run_cli("serve", "--port", str(served.port), site=served.config.root)
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1] == (
        f"error: port {served.port} on 127.0.0.1 is already in use "
        "(stop the other server or choose another --port)")


def test_a_browser_that_went_away_prints_no_traceback(served: DevServer,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    httpd = served._httpd
    for gone in (BrokenPipeError(32, "Broken pipe"), ConnectionResetError(104, "reset")):
        try:
            raise gone
        except OSError:
            httpd.handle_error(None, ("127.0.0.1", 5000))
    assert capsys.readouterr().err == ""
    try:
        raise ValueError("a real bug")
    except ValueError:
        httpd.handle_error(None, ("127.0.0.1", 5000))
    assert "ValueError: a real bug" in capsys.readouterr().err


def test_a_burst_of_connections_is_answered(served: DevServer) -> None:
    """The search page fetches one index part per year at once; with socketserver's listen
    backlog of 5, a burst of connections timed out or was reset."""
    start = threading.Barrier(100)
    statuses: list[object] = []

    def fetch() -> None:
        start.wait()
        try:
            statuses.append(get(served, "/pagefind/2009-2010/pagefind-entry.json")[0])
        except OSError as exc:
            statuses.append(repr(exc))

    threads = [threading.Thread(target=fetch) for _ in range(100)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * 100


def test_the_site_is_also_served_under_the_path_of_its_base_url(site: Path, tmp_path: Path) -> None:
    """Published at https://example.org/archive/, the 404 page links /archive/static/style.css:
    the preview answers there too, and a path that exists as it is keeps its meaning."""
    settings = site / "site.yaml"
    settings.write_text(settings.read_text("utf-8").replace("base_url: ''",
                                                            "base_url: https://example.org/archive/"))
    small_site(site)
    write(site, "pages/archive.md", "---\ntitle: Archive\ndate: 2010-01-01T00:00:00+00:00\n---\nMine.\n")
    server = DevServer(load_config(site), port=0)
    server.build()
    server.start(watch=False)
    try:
        status, _, missing = get(server, "/no/such/page/")
        assert status == 404 and b'href="/archive/static/style.css"' in missing
        assert get(server, "/archive/static/style.css")[0] == 200
        assert get(server, "/static/style.css")[0] == 200
        home = get(server, "/")[2]
        assert get(server, "/archive/2009/03/first-post/")[2] == get(server, "/2009/03/first-post/")[2]
        status, headers, _ = get(server, "/archive/2009/03/first-post")
        assert status == 301 and headers["Location"] == "/archive/2009/03/first-post/"
        assert b"Mine." in get(server, "/archive/")[2]  # the page at /archive/ is that page
        assert b"Mine." not in home
        assert get(server, "/archive/no/such/")[0] == 404
    finally:
        server.stop()



def test_a_failed_rebuild_is_reported_with_brackets_as_they_are(site: Path, tmp_path: Path) -> None:
    """The server's messages are rich markup; a build error naming "posts/[/b].md" is shown as
    written, not read as a closing tag (which ended the watcher with a MarkupError)."""
    import io

    from rich.console import Console

    shown = io.StringIO()
    server = DevServer(load_config(site), output=tmp_path / "out", port=0,
                       report=Console(file=shown, width=300).print)
    error = ArchiverError("front matter is not valid YAML line 3", where="posts/[/b].md",
                          hint="fix the YAML")

    def failing_build() -> None:
        raise error

    server.build = failing_build  # type: ignore[method-assign]
    server._rebuild(1)
    assert shown.getvalue() == f"error: {describe_error(error)} (still serving the last good build)\n"
    assert "posts/[/b].md" in shown.getvalue()


def test_a_logged_request_shows_its_path_as_it_is(site: Path) -> None:
    """With --log-requests each request's line goes to the markup report: a request for
    "/[/b]" is logged as written (it was read as a closing tag and made a MarkupError)."""
    import io

    from rich.console import Console

    small_site(site)
    shown = io.StringIO()
    server = DevServer(load_config(site), port=0, report=Console(file=shown, width=300).print,
                       log_requests=True)
    server.build()
    server.start()
    try:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=20)
        connection.request("GET", "/[/b]")
        assert connection.getresponse().status == 404
        connection.close()
    finally:
        server.stop()
    assert '"GET /[/b] HTTP/1.1" 404' in shown.getvalue()


def test_a_templates_folder_made_while_serving_is_used_and_then_watched(own_server: DevServer,
                                                                       site: Path) -> None:
    server = own_server
    assert not (site / "templates").exists()
    before = server.clock.generation
    (site / "templates").mkdir()
    (site / "templates" / "404.html").write_text("Lost: first version", "utf-8")
    assert server.clock.wait_after((before, ""), 15)[0] > before
    deadline = time.monotonic() + 15
    while b"first version" not in (server.output / "404.html").read_bytes():
        assert time.monotonic() < deadline, "the new templates/ folder was not used"
        time.sleep(0.1)
    (site / "templates" / "404.html").write_text("Lost: second version", "utf-8")
    while b"second version" not in (server.output / "404.html").read_bytes():
        assert time.monotonic() < deadline, "an edit in the new templates/ folder was missed"
        time.sleep(0.1)
