"""Browser test fixtures: the test site built once, served on 127.0.0.1, and Debian's chromium.

Every test here is marked ``browser`` and skips (with the reason) when Playwright's Python
package, the chromium binary or axe-core (tests/browser/node_modules) is missing;
``.ci/browser-setup.sh`` installs all three.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path
from typing import Iterator

import pytest

from archiver.build.pipeline import build
from archiver.config import load_config

HERE = Path(__file__).resolve().parent
AXE_JS = HERE / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = HERE.parents[1] / "test-artifacts" / "screenshots"
CHROMIUM_NAMES = ("chromium", "chromium-browser")
# No sandbox (root in CI); no background connections (this machine has no network).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SUB_PATH = "/archive/"  # the path of base_url in the test site's site.yaml


def chromium_path() -> str | None:
    """Debian's chromium (Playwright's own browser download cannot be used here)."""
    configured = os.environ.get("ARCHIVER_CHROMIUM")
    if configured:
        return configured if Path(configured).is_file() else None
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """A headless chromium driven by Playwright; skips when either is missing."""
    sync_api = pytest.importorskip("playwright.sync_api",
                                   reason="playwright is not installed (run .ci/browser-setup.sh)")
    executable = chromium_path()
    if executable is None:
        pytest.skip("chromium is not installed (run .ci/browser-setup.sh)")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, headless=True,
                                              args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_JS.is_file():
        pytest.skip(f"axe-core is not installed at {AXE_JS} (run .ci/browser-setup.sh)")
    return AXE_JS.read_text("utf-8")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The browser test site, built; returns the output folder. Its search index has one
    part per year (a site this small has one), so the search page merges them as on a big one."""
    from browser.sitegen_browser import make_site

    from archiver.build import search

    root = make_site(tmp_path_factory.mktemp("browser") / "site")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search, "MIN_PART_PAGES", 1)
        result = build(load_config(root))
    assert len(list((result.output / "pagefind").glob("*/pagefind-entry.json"))) == 6
    return result.output


class _SubPathHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the output folder under SUB_PATH only (like a project site on GitHub Pages)."""

    def translate_path(self, path: str) -> str:
        if not path.startswith(SUB_PATH):
            return str(Path(self.directory) / "missing-outside-the-sub-path")
        return super().translate_path("/" + path[len(SUB_PATH):])

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Answer a missing page with the site's 404.html, as static hosts do."""
        not_found = Path(self.directory) / "404.html"
        if code != 404 or not not_found.is_file():
            return super().send_error(code, message, explain)
        body = not_found.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (stdlib name)
        pass


@pytest.fixture(scope="session")
def server(built_site: Path) -> Iterator[str]:
    """The built site over HTTP on 127.0.0.1 (a free port) under SUB_PATH; yields its URL
    without the trailing slash, so ``server + "/tags/"`` is a page."""
    handler = functools.partial(_SubPathHandler, directory=str(built_site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}{SUB_PATH.rstrip('/')}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """Where screenshots go (test-artifacts/screenshots/ at the repo root, git-ignored)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
