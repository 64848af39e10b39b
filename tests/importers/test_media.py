"""MediaDownloader: finds media URLs in Markdown, downloads them from a 127.0.0.1 server."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from media_server import PASTED_PNG, PNG, LocalServer, pasted_png_path

from archiver import __version__
from archiver.importers import ImportContext
from archiver.importers.media import MediaDownloader

PDF = b"%PDF-1.4 test"


@pytest.fixture
def server():
    routes = {
        "/img/cat.png": (200, {"Content-Type": "image/png"}, PNG),
        "/other/cat.png": (200, {"Content-Type": "image/png"}, PNG + b"2"),
        "/files/report.pdf": (200, {"Content-Type": "application/pdf"}, PDF),
        "/files/talk.mp3": (200, {"Content-Type": "audio/mpeg"}, b"ID3"),
        "/noext": (200, {"Content-Type": "image/png"}, PNG),
        "/moved.png": (302, {"Location": "{base}/img/cat.png"}, b""),
        "/loop.png": (302, {"Location": "{base}/loop.png"}, b""),
        "/to-file.png": (302, {"Location": "file:///etc/passwd"}, b""),
        "/big.jpg": (200, {"Content-Type": "image/jpeg"}, b"x" * 5000),
        "/page": (200, {"Content-Type": "text/html"}, b"<html></html>"),
    }
    with LocalServer(routes) as running:
        yield running


def downloader(tmp_path: Path | None = None, enabled: bool = True,
               **limits: int) -> MediaDownloader:
    context = ImportContext(timezone=ZoneInfo("UTC"), site_root=tmp_path)
    return MediaDownloader(context, enabled, "wordpress", **limits)


def test_images_and_file_links_are_downloaded_and_rewritten(server: LocalServer) -> None:
    media = downloader()
    text = (f'![A cat]({server.url("/img/cat.png")} "Title") and '
            f'[the report]({server.url("/files/report.pdf")}), '
            f'[a page]({server.url("/page")}), <{server.url("/files/talk.mp3")}>, '
            f'<img src="{server.url("/noext")}" alt="raw">')
    body, files = media.localize(text, "2010/my-post", "post 1")
    assert body == ('![A cat](/media/wordpress/2010/my-post/cat.png "Title") and '
                    '[the report](/media/wordpress/2010/my-post/report.pdf), '
                    f'[a page]({server.url("/page")}), '
                    f'[{server.url("/files/talk.mp3")}](/media/wordpress/2010/my-post/talk.mp3), '
                    '<img src="/media/wordpress/2010/my-post/noext.png" alt="raw">')
    assert {path: read() for path, read in files.items()} == {
        "media/wordpress/2010/my-post/cat.png": PNG,
        "media/wordpress/2010/my-post/report.pdf": PDF,
        "media/wordpress/2010/my-post/talk.mp3": b"ID3",
        "media/wordpress/2010/my-post/noext.png": PNG,
    }
    assert server.hits("/page") == 0
    assert {agent for _, agent in server.requests} == {
        f"archiver/{__version__} (+https://pypi.org/project/archiver/)"}
    assert media.context.notes == []


def test_same_url_is_downloaded_once_per_run(server: LocalServer) -> None:
    media = downloader()
    first, files_one = media.localize(f"![a]({server.url('/img/cat.png')})", "2010/one", "one")
    second, files_two = media.localize(f"![b]({server.url('/img/cat.png')})", "2011/two", "two")
    assert first == "![a](/media/wordpress/2010/one/cat.png)"
    assert second == "![b](/media/wordpress/2010/one/cat.png)"
    assert list(files_one) == ["media/wordpress/2010/one/cat.png"]
    assert files_two == {}
    assert server.hits("/img/cat.png") == 1


def test_two_urls_with_one_name_get_two_files(server: LocalServer) -> None:
    media = downloader()
    text = (f"[![t]({server.url('/img/cat.png')})]({server.url('/other/cat.png')})")
    body, files = media.localize(text, "2010/post", "post")
    assert body == "[![t](/media/wordpress/2010/post/cat.png)](/media/wordpress/2010/post/cat-2.png)"
    assert files["media/wordpress/2010/post/cat-2.png"]() == PNG + b"2"


def test_a_file_already_in_content_is_not_downloaded_again(server: LocalServer,
                                                           tmp_path: Path) -> None:
    existing = tmp_path / "content" / "media" / "wordpress" / "2010" / "post" / "cat.png"
    existing.parent.mkdir(parents=True)
    existing.write_bytes(b"kept")
    media = downloader(tmp_path)
    body, files = media.localize(f"![a]({server.url('/img/cat.png')})", "2010/post", "post")
    assert body == "![a](/media/wordpress/2010/post/cat.png)"
    assert files == {}
    assert server.hits("/img/cat.png") == 0


def test_failures_keep_the_url_and_are_reported(server: LocalServer) -> None:
    media = downloader(max_bytes=1000)
    urls = [server.url(p) for p in ("/missing.png", "/loop.png", "/to-file.png", "/big.jpg")]
    text = " ".join(f"![x]({url})" for url in urls)
    body, files = media.localize(text, "2010/post", "post 7")
    assert body == text
    assert files == {}
    assert media.context.notes == [
        f"post 7: could not download {urls[0]} (HTTP 404); kept the original URL",
        f"post 7: could not download {urls[1]} (HTTP 302); kept the original URL",
        f"post 7: could not download {urls[2]} (HTTP 302); kept the original URL",
        f"post 7: could not download {urls[3]} (larger than the 1000 byte limit); "
        "kept the original URL",
    ]
    media.localize(text, "2011/again", "post 8")
    assert server.hits("/missing.png") == 1  # a failure is not retried in the same run
    assert server.hits("/loop.png") == 5  # a redirect loop stops after MAX_REDIRECTS requests


def test_redirects_are_followed(server: LocalServer) -> None:
    body, files = downloader().localize(f"![m]({server.url('/moved.png')})", "p", "p")
    assert body == "![m](/media/wordpress/p/moved.png)"
    assert files["media/wordpress/p/moved.png"]() == PNG


def test_dot_dot_in_a_url_or_folder_never_escapes_the_media_folder(server: LocalServer) -> None:
    media = downloader()
    server.routes["/a/%2e%2e/%2e%2e/secret.png"] = (200, {}, PNG)
    server.routes["/files/..%2f..%2fevil.png"] = (200, {}, PNG)
    body, files = media.localize(f"![x]({server.base}/a/%2e%2e/%2e%2e/secret.png) "
                                 f"![y]({server.base}/files/..%2f..%2fevil.png)",
                                 "../../outside", "p")
    assert sorted(files) == ["media/wordpress/outside/evil.png",
                             "media/wordpress/outside/secret.png"]
    assert body == ("![x](/media/wordpress/outside/secret.png) "
                    "![y](/media/wordpress/outside/evil.png)")


def test_only_http_and_https_are_touched() -> None:
    text = "![a](ftp://example.org/a.png) ![b](file:///etc/passwd.png) ![c](/local/c.png)"
    assert downloader().localize(text, "p", "p") == (text, {})


def test_no_download_changes_nothing(server: LocalServer) -> None:
    text = f"![a]({server.url('/img/cat.png')})"
    assert downloader(enabled=False).localize(text, "p", "p") == (text, {})
    assert server.requests == []


def test_images_pasted_as_data_urls_become_files_even_without_downloads() -> None:
    encoded = PASTED_PNG.removeprefix("data:image/png;base64,")
    wrapped = "\n".join(encoded[i:i + 40] for i in range(0, len(encoded), 40))  # as editors wrap
    html = (f'<p><img src="{PASTED_PNG}" alt="dot"> and '
            f"<img alt='again' src='DATA:image/PNG;base64,{wrapped}'> "
            '<img src="data:image/svg+xml;base64,PHN2Zy8+" alt="svg"> '
            '<img src="data:image/gif;base64,%%%" alt="broken"> '
            '<a href="data:image/png;base64,AAAA">a link</a></p>')
    path = pasted_png_path("wordpress")
    for enabled in (True, False):
        kept, files = downloader(enabled=enabled).keep_pasted_images(html)
        assert kept == (f'<p><img src="/{path}" alt="dot"> and <img alt=\'again\' src=\'/{path}\'> '
                        '<img src="data:image/svg+xml;base64,PHN2Zy8+" alt="svg"> '
                        '<img src="data:image/gif;base64,%%%" alt="broken"> '
                        '<a href="data:image/png;base64,AAAA">a link</a></p>')
        assert {name: read() for name, read in files.items()} == {path: PNG}
    assert downloader().keep_pasted_images("<p>no images</p>") == ("<p>no images</p>", {})
