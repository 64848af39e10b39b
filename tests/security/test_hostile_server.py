"""Hostile web servers for the downloads archiver makes when asked (feed pages, media).

A server on 127.0.0.1 that drips its body one byte at a time, promises a body it never sends,
sends more than the size cap, or redirects to ``file://`` or to a link-local address (a cloud
machine's metadata service): each download ends within its time budget with a reason, never
hangs, never reads a local file and never asks the machine's own services.
"""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterator

import pytest

from archiver.importers import media
from archiver.importers.media import DownloadError, fetch


class Hostile(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802
        if self.path == "/drip":
            self.send_response(200)
            self.send_header("Content-Length", "100000")
            self.end_headers()
            try:
                for _ in range(100000):
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(0.05)
            except OSError:
                return
        elif self.path == "/huge":
            self.send_response(200)
            self.end_headers()  # no Content-Length: only the read cap stops it
            try:
                for _ in range(100):
                    self.wfile.write(b"y" * 65536)
            except OSError:
                return
        elif self.path == "/to-file":
            self.send_response(302)
            self.send_header("Location", "file:///etc/hostname")
            self.end_headers()
        elif self.path == "/to-metadata":
            self.send_response(302)
            self.send_header("Location", "http://169.254.169.254/latest/meta-data/iam/")
            self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Hostile)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_a_dripping_server_is_cut_off_by_the_total_time_budget(server: str) -> None:
    """Each byte arrives well within the per-read timeout; only a total budget can stop it."""
    started = time.monotonic()
    with pytest.raises(DownloadError, match="took longer than"):
        fetch(f"{server}/drip", timeout=0.2)
    assert time.monotonic() - started < 0.2 * media.TOTAL_TIME_FACTOR + 2


def test_a_body_over_the_cap_is_refused(server: str) -> None:
    with pytest.raises(DownloadError, match="larger than the 100000 byte limit"):
        fetch(f"{server}/huge", timeout=5, max_bytes=100_000)


def test_a_redirect_to_a_local_file_is_refused(server: str) -> None:
    with pytest.raises(DownloadError) as refused:
        fetch(f"{server}/to-file", timeout=5)
    assert str(refused.value) in ("HTTP 302", "redirect to a non-http(s) URL 'file:///etc/hostname' refused")


@pytest.mark.parametrize("url", ["http://169.254.169.254/latest/meta-data/iam/security-credentials/",
                                 "http://[fe80::1]/x.png"])
def test_a_link_local_address_is_never_fetched(url: str) -> None:
    """Where a cloud machine hands out its credentials: an export or feed naming it as an image
    would otherwise put them into content/media/ and onto the site."""
    started = time.monotonic()
    with pytest.raises(DownloadError, match="is a link-local address"):
        fetch(url, timeout=5)
    assert time.monotonic() - started < 1  # refused before any connection is tried


def test_a_redirect_to_a_link_local_address_is_refused(server: str) -> None:
    with pytest.raises(DownloadError, match="169.254.169.254 is a link-local address"):
        fetch(f"{server}/to-metadata", timeout=5)
