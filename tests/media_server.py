"""A tiny HTTP server on 127.0.0.1 for tests that download media (http.server in a thread).

``LocalServer(routes)`` serves ``{path: (status, headers, body)}``; every request is recorded
in ``requests`` as ``(path, user_agent)``. Use it as a context manager::

    with LocalServer({"/cat.png": (200, {"Content-Type": "image/png"}, PNG)}) as server:
        url = server.url("/cat.png")
"""

from __future__ import annotations

import base64
import hashlib
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Route = tuple[int, dict[str, str], bytes]

# a valid 1x1 PNG (the smallest real image there is)
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


PASTED_PNG = "data:image/png;base64," + base64.b64encode(PNG).decode()  # PNG pasted into a post


def pasted_png_path(importer: str) -> str:
    """Where an import keeps PNG when it was pasted into a post (``PASTED_PNG``)."""
    return f"media/{importer}/pasted/{hashlib.sha256(PNG).hexdigest()[:16]}.png"


class LocalServer:
    def __init__(self, routes: dict[str, Route]) -> None:
        self.routes = routes
        self.requests: list[tuple[str, str]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                server.requests.append((self.path, self.headers.get("User-Agent", "")))
                status, headers, body = server.routes.get(
                    self.path, (404, {"Content-Type": "text/plain"}, b"not found"))
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value.replace("{base}", server.base))
                if "Content-Length" not in headers:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self._httpd.server_port}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)

    def url(self, path: str) -> str:
        return self.base + path

    def hits(self, path: str) -> int:
        return sum(1 for requested, _ in self.requests if requested == path)

    def __enter__(self) -> "LocalServer":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)
