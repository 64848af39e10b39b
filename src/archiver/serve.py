"""``archiver serve``: build the site, serve the output folder, rebuild on change, reload the browser.

The server listens on 127.0.0.1 unless told otherwise and serves only files inside the output
folder (servefiles.py: a request path with ``..`` or ``.`` segments, also percent-encoded, an
encoded slash or backslash, a NUL, or one that resolves through a symlink outside the folder
is answered 404). Folders are served through their ``index.html``.

A watcher (watchfiles) follows content/, templates/, themes/, static/ and site.yaml; each
batch of changes runs the (incremental) build again. Every HTML *response* gets the reload
script of servefiles.py, which reloads the page when a newer build is ready and shows a
build's error at the foot of the page while the site stays at the last good build (as Hugo's
server does); the files in the output folder are never changed for this.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import sys
import threading
import time
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

from rich.markup import escape

from archiver.build.pipeline import STATE_DIR, BuildResult, build, resolve_output
from archiver.config import CONFIG_NAME, SITE_STATIC, Config, base_path, load_config
from archiver.errors import ArchiverError, describe_error
from archiver.servefiles import EVENTS_PATH, content_type, inject_reload, resolve_request

WATCHED = ("content", "templates", "themes", SITE_STATIC, CONFIG_NAME)
KEEPALIVE_SECONDS = 15.0
WATCH_TICK_MS = 250  # the watcher says it is watching after this long without a change
WATCH_READY_SECONDS = 10.0  # start() waits at most this long for the watcher
@dataclass
class BuildClock:
    """Counts finished builds and holds the error of the last one, if it failed; request
    threads wait on it for the next news."""

    generation: int = 0
    error: str = ""  # why the last build failed ('' when it did not)
    stopping: bool = False
    _changed: threading.Condition = field(default_factory=threading.Condition)

    def advance(self) -> None:
        with self._changed:
            self.generation += 1
            self.error = ""
            self._changed.notify_all()

    def fail(self, error: str) -> None:
        with self._changed:
            self.error = error
            self._changed.notify_all()

    def stop(self) -> None:
        with self._changed:
            self.stopping = True
            self._changed.notify_all()

    def wait_after(self, seen: tuple[int, str], timeout: float) -> tuple[int, str]:
        """(generation, error) once either differs from ``seen`` (or after ``timeout``)."""
        with self._changed:
            self._changed.wait_for(lambda: (self.generation, self.error) != seen or self.stopping,
                                   timeout)
            return self.generation, self.error


class _Handler(BaseHTTPRequestHandler):
    server: "_HTTPServer"
    server_version = "archiver-serve"

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        if urlsplit(self.path).path == EVENTS_PATH:
            self._stream_events()
        else:
            self._send_file(head=False)

    def do_HEAD(self) -> None:  # noqa: N802
        self._send_file(head=True)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - signature of the base
        self.server.log(escape(f"{self.address_string()} {format % args}"))  # a path is no markup

    def _send_file(self, head: bool) -> None:
        root = self.server.root
        path = self._site_path()
        target = resolve_request(root, path)
        if target is not None and target.is_dir():
            if not urlsplit(path).path.endswith("/"):
                self._redirect_to_folder()
                return
            target = resolve_request(root, urlsplit(path).path + "index.html")
        if target is None or not target.is_file():
            self._send_not_found(head)
            return
        self._send(HTTPStatus.OK, target, head)

    def _site_path(self) -> str:
        """The request's path in the output folder. The site is also served under the path of
        its base_url (``/archive/``), where it will be published: the 404 page's links start
        from there. A path that names a file or folder as it is keeps its meaning."""
        prefix = self.server.base_path.rstrip("/")
        plain = urlsplit(self.path).path
        if (prefix and (plain == prefix or plain.startswith(prefix + "/"))
                and resolve_request(self.server.root, self.path) is None):
            return self.path[len(prefix):] or "/"
        return self.path

    def _send(self, status: HTTPStatus, path: Path, head: bool) -> None:
        """Send a file: pages with the reload script, anything else streamed as it is."""
        is_page = path.suffix.lower() == ".html"
        try:
            handle = path.open("rb")
        except OSError:  # removed by a rebuild a moment ago
            if status != HTTPStatus.NOT_FOUND:
                self._send_not_found(head)
            return
        with handle:
            body = inject_reload(handle.read(), self.server.clock.generation) if is_page else b""
            size = len(body) if is_page else os.fstat(handle.fileno()).st_size
            self.send_response(status)
            self.send_header("Content-Type", content_type(path))
            self.send_header("Content-Length", str(size))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if head:
                return
            try:
                if is_page:
                    self.wfile.write(body)
                else:
                    shutil.copyfileobj(handle, self.wfile)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the browser went away (a reload, a closed tab)

    def _send_not_found(self, head: bool) -> None:
        page = resolve_request(self.server.root, "/404.html")
        if page is not None and page.is_file():
            self._send(HTTPStatus.NOT_FOUND, page, head)
            return
        body = b"Not found\n"
        self.send_response(HTTPStatus.NOT_FOUND)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _redirect_to_folder(self) -> None:
        parts = urlsplit(self.path)
        location = parts.path + "/" + (f"?{parts.query}" if parts.query else "")
        self.send_response(HTTPStatus.MOVED_PERMANENTLY)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _stream_events(self) -> None:
        """Server-sent events: the current build number now and after every rebuild, and a
        ``failed`` event with the error when a rebuild fails."""
        clock = self.server.clock
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        seen = (clock.generation, "")
        try:
            self.wfile.write(f"retry: 1000\ndata: {seen[0]}\n\n".encode())
            self.wfile.flush()
            while not clock.stopping:
                now = clock.wait_after(seen, KEEPALIVE_SECONDS)
                if now[0] != seen[0]:
                    message = f"data: {now[0]}\n\n"
                elif now[1] and now[1] != seen[1]:
                    message = f"event: failed\ndata: {json.dumps(now[1])}\n\n"
                else:
                    message = ": still here\n\n"
                seen = now
                self.wfile.write(message.encode())
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            pass


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    # socketserver listens with a backlog of 5: the search page opens each part of the index
    # (one per year on a big site), and a client fetching them all at once was reset
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], root: Path, clock: BuildClock,
                 log: Callable[[str], None], base_path: str = "/") -> None:
        self.root = root
        self.clock = clock
        self.log = log
        self.base_path = base_path  # the path of base_url: the site is served there too
        super().__init__(address, _Handler)

    def handle_error(self, request: object, client_address: object) -> None:
        """A browser that went away mid-answer (a reload, a closed tab) is no error to print;
        anything else still prints its traceback, as http.server does."""
        if isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError, TimeoutError)):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


class DevServer:
    """Build once, then serve the output and rebuild when the site's sources change.

    ``report`` takes rich markup (``console.print``): the messages style their labels, and
    every outside text in them (a path, an error, a request line) is ``escape``d.
    """

    def __init__(self, config: Config, *, output: Path | None = None, bind: str = "127.0.0.1",
                 port: int = 8000, report: Callable[[str], None] = lambda message: None,
                 log_requests: bool = False) -> None:
        self.config = config
        self.output_option = output
        self.output = resolve_output(config, output)
        self.bind = bind
        self.port = port
        self.report = report
        self.clock = BuildClock()
        self._log = report if log_requests else (lambda message: None)
        self._stop = threading.Event()
        self._watching = threading.Event()  # set once the watcher sees every change
        self._building = threading.Lock()
        self._threads: list[threading.Thread] = []
        self._httpd: _HTTPServer | None = None

    @property
    def url(self) -> str:
        host = f"[{self.bind}]" if ":" in self.bind else self.bind
        return f"http://{host}:{self.port}/"

    def build(self) -> BuildResult:
        """Build now (re-reading site.yaml); open pages reload when a file changed."""
        with self._building:  # the first build and a watcher's rebuild never overlap
            self.config = load_config(self.config.root)
            result = build(self.config, output=self.output_option)
        if result.written or result.removed or self.clock.generation == 0 or self.clock.error:
            self.clock.advance()  # (after a failed build, too: its error goes from open pages)
        return result

    def start(self, watch: bool = True) -> None:
        """Start serving (and watching) in background threads; returns once the watcher
        watches (a quarter of a second), so no change made after it returns is missed."""
        self.output.mkdir(parents=True, exist_ok=True)
        try:
            self._httpd = _HTTPServer((self.bind, self.port), self.output.resolve(), self.clock,
                                      self._log, base_path(self.config.base_url))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise ArchiverError(f"port {self.port} on {self.bind} is already in use",
                                    hint="stop the other server or choose another --port") from None
            raise ArchiverError(f"cannot listen on {self.bind}:{self.port}: {exc.strerror or exc}",
                                hint="check --bind and --port") from None
        self.port = self._httpd.server_address[1]
        self._spawn(self._httpd.serve_forever, "archiver-http")
        if watch:
            self._spawn(self._watch, "archiver-watch")
            self._watching.wait(WATCH_READY_SECONDS)

    def stop(self) -> None:
        self._stop.set()
        self.clock.stop()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        for thread in self._threads:
            thread.join(timeout=5)

    def watched_paths(self) -> list[Path]:
        return [self.config.root / name for name in WATCHED if (self.config.root / name).exists()]

    def _spawn(self, target: Callable[[], None], name: str) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        thread.start()
        self._threads.append(thread)

    def _watch(self) -> None:
        from watchfiles import DefaultFilter, watch

        skip = (self.output.resolve(), (self.config.root / STATE_DIR).resolve())
        default = DefaultFilter()

        def wanted(change: object, path: str) -> bool:
            resolved = Path(path).resolve()
            return default(change, path) and not any(
                resolved == folder or folder in resolved.parents for folder in skip)

        folders_changed = False
        while not self._stop.is_set():
            watched = self.watched_paths()
            # every WATCH_TICK_MS without a change it yields nothing: its watches are in place then
            for changes in watch(*watched, watch_filter=wanted, stop_event=self._stop,
                                 debounce=300, step=50, raise_interrupt=False,
                                 rust_timeout=WATCH_TICK_MS, yield_on_timeout=True):
                self._watching.set()
                if changes or folders_changed:  # (the latter once the new watches are in place:
                    folders_changed = False  # what changed before them is in this build)
                    self._rebuild(max(len(changes), 1))
                if self.watched_paths() != watched:  # templates/ or themes/ made (or removed):
                    folders_changed = True  # watch again, with the folder that came (or without
                    break  # the one that went), and build then

    def _rebuild(self, changed: int) -> None:
        started = time.perf_counter()
        try:
            result = self.build()
        except (ArchiverError, OSError) as exc:
            self.report(f"[red]error:[/] {escape(describe_error(exc))} (still serving the last good build)")
            self.clock.fail(describe_error(exc))
            return
        except Exception as exc:  # noqa: BLE001 - a bug in one build must not stop the server
            self.report(f"[red]error:[/] the build failed: {type(exc).__name__}: {escape(str(exc))} "
                        "(still serving the last good build; run 'archiver --debug build' for details)")
            self.clock.fail(f"the build failed: {type(exc).__name__}: {exc} "
                            "(run 'archiver --debug build' for details)")
            return
        seconds = time.perf_counter() - started
        self.report(f"{changed} change(s): rebuilt in {seconds:.2f} s "
                    f"({result.written} written, {result.removed} removed)")


def serve_site(config: Config, *, output: Path | None, bind: str, port: int,
               report: Callable[[str], None], log_requests: bool = False) -> None:
    """Build, serve and watch until interrupted (Ctrl+C)."""
    server = DevServer(config, output=output, bind=bind, port=port, report=report,
                       log_requests=log_requests)
    server.start()  # watching already, so an edit made during the first build is not missed
    try:
        result = server.build()
    except BaseException:
        server.stop()
        raise
    report(f"Built {result.pages} pages into {escape(str(result.output))} in {result.seconds:.2f} s")
    watched = ", ".join(p.name + ("/" if p.is_dir() else "") for p in server.watched_paths())
    report(f"Serving [bold]{escape(server.url)}[/] (watching {escape(watched)}); press Ctrl+C to stop")
    if bind not in ("127.0.0.1", "::1", "localhost"):
        report(f"[yellow]warning:[/] listening on {escape(bind)}: other machines that can reach this "
               "one can see the site")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        report("Stopped.")
    finally:
        server.stop()
