"""Download the images and files a blog post links to, so the site keeps them.

Used by every blog importer (WordPress, Blogger, Movable Type, feeds)::

    downloader = MediaDownloader(context, enabled=not no_download, folder_prefix="wordpress")
    html, pasted = downloader.prepare_html(post_html, base=post_url)
    body, files = downloader.localize(html_to_markdown(html), item_folder="2010/my-post", where=where)
    yield ImportedItem(entry.with_changes(body=body), files={**pasted, **files})

``prepare_html(html, base)`` runs first, on the post's HTML before it is sanitised and
converted: its relative media URLs (``/wp-content/uploads/...``, ``gulls.png``) are made
absolute against ``base``, the post's old address, so they are kept like any other, and images
pasted into it as ``data:`` URLs become files under ``media/<folder_prefix>/pasted/``.
``localize(markdown, item_folder, where)`` then finds http(s) URLs of

* images: ``![alt](URL "title")`` and ``src="URL"`` in raw HTML (``<img>``, ``<video>``...);
* files: links ``[text](URL)``, ``<URL>`` and ``href="URL"`` whose path ends in a file
  extension of ``FILE_EXTENSIONS`` (``.pdf``, ``.mp3``, ``.jpg``...), or whose URL was kept
  as an image already (TypePad links each image, ``/.a/6a00...-pi``, to itself),

downloads each one and rewrites it in the text to the root-relative ``/media/...`` path (the
build copies every ``/media/`` file a published page links to). It returns the new text and
the ``files`` map for ``ImportedItem`` (content-relative ``media/...`` path -> function that
returns the bytes). ``localize_url(url, item_folder, where)`` does the same for one URL (e.g. a
WordPress attachment) and returns the new URL (or the old one) and the files map.

Rules:

* files go to ``media/<folder_prefix>/<item_folder>/<name>``; ``name`` is
  ``archiver.paths.safe_filename`` of the URL's last path segment (``../`` can never escape),
  ``-2``, ``-3``... when two different URLs of one item share a name, and an extension from the
  Content-Type when the URL has none; unsafe prefixes/folders are slugified segment by segment;
* only http and https (also after redirects, at most ``MAX_REDIRECTS``), a ``TIMEOUT`` per
  request and ``TOTAL_TIME_FACTOR`` timeouts per whole download, ``MAX_BYTES`` per file,
  User-Agent ``archiver/<version>``;
* a failed download is reported with ``context.note`` and the original URL is kept;
* a URL is fetched at most once per run (per downloader): later items reuse its path, and a
  failure is not retried;
* a file already under ``<site_root>/content/`` is not downloaded again (re-imports are cheap);
* ``enabled=False`` (``--no-download``) returns the text unchanged and no files (relative
  media URLs still become absolute, and pasted images still files: nothing is downloaded);
* a root-relative link to another post stays as it is: that post's old path becomes an alias
  of its new page, so the link keeps working inside the archive (the feed importer, whose
  items are pages of another site, asks for every relative link to be made absolute).
"""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import mimetypes
import re
import socket
import time
import urllib.error
import urllib.request
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Callable
from urllib.parse import unquote

import click
from bs4 import BeautifulSoup

from archiver import __version__
from archiver.importers import ImportContext, join_url, split_url, url_file_name, web_url
from archiver.paths import is_safe_relative, safe_filename, slugify
from archiver.store import Store

NO_DOWNLOAD_OPTION = click.Option(
    ["--no-download"], is_flag=True, default=False,
    help="Keep images and files at their original URLs instead of downloading them.")

TIMEOUT = 20.0  # seconds per request
TOTAL_TIME_FACTOR = 6  # a whole download may take this many TIMEOUTs (a server dripping bytes)
MAX_BYTES = 50 * 1024 * 1024  # per file
MAX_REDIRECTS = 5
USER_AGENT = f"archiver/{__version__} (+https://pypi.org/project/archiver/)"
FILE_EXTENSIONS = frozenset({
    "jpg", "jpeg", "png", "gif", "webp", "bmp", "tif", "tiff", "svg", "ico", "heic",
    "pdf", "doc", "docx", "odt", "rtf", "txt", "xls", "xlsx", "ods", "csv", "ppt", "pptx", "odp",
    "key", "pages", "epub", "mobi",
    "mp3", "m4a", "ogg", "oga", "wav", "flac", "aac", "wma", "mid", "midi",
    "mp4", "m4v", "mov", "avi", "wmv", "webm", "ogv", "flv", "mpg", "mpeg", "3gp",
    "zip", "gz", "tgz", "bz2", "7z", "rar", "dmg", "exe", "swf",
})
Files = dict[str, Callable[[], bytes]]
_SPACE = re.compile(r"\s+")

_URL = r"https?://[^\s()<>\"']+(?:\([^\s()<>\"']*\)[^\s()<>\"']*)*"
_MD_IMAGE = re.compile(rf"(!\[[^\]]*\]\(\s*<?)({_URL})(>?(?:\s+\"[^\"]*\")?\s*\))")
_MD_LINK = re.compile(rf"((?<!!)\[(?:[^\[\]]|!?\[[^\]]*\](?:\([^)]*\))?)*\]\(\s*<?)({_URL})(>?(?:\s+\"[^\"]*\")?\s*\))")
_AUTOLINK = re.compile(rf"<({_URL})>")
_HTML_SRC = re.compile(rf"(\s(?:src|poster)=[\"'])({_URL})([\"'])", re.IGNORECASE)
_HTML_HREF = re.compile(rf"(\shref=[\"'])({_URL})([\"'])", re.IGNORECASE)
# where an element's URL is, and a cheap look for one that is relative (not http, mailto, data, #)
_URL_ATTRIBUTES = {"a": ("href",), "img": ("src",), "video": ("src", "poster"), "audio": ("src",),
                   "source": ("src",), "iframe": ("src",)}
_RELATIVE = re.compile(r"""(?:href|src|poster)\s*=\s*["']?(?!https?:|mailto:|data:|#)""", re.IGNORECASE)
# an image pasted into a post as a data: URL (never SVG: it may hold scripts)
_PASTED_IMAGE = re.compile(r"""(\ssrc=)(["'])data:image/(png|jpeg|gif|webp);base64,([A-Za-z0-9+/=\s]+)\2""",
                           re.IGNORECASE)


class DownloadError(Exception):
    """Why one URL could not be downloaded (reported with context.note)."""


class _LimitedRedirects(urllib.request.HTTPRedirectHandler):
    max_redirections = MAX_REDIRECTS

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[override]
        if not web_url(newurl):
            raise urllib.error.URLError(f"redirect to a non-http(s) URL {newurl!r} refused")
        refused = _link_local(newurl)
        if refused:
            raise urllib.error.URLError(refused)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _link_local(url: str) -> str:
    """Why ``url`` is not fetched, when its host is a link-local address ('' otherwise): that
    is where a cloud machine answers with its credentials (169.254.169.254), so an export or a
    feed naming it could otherwise publish them as an "image". Hosts of a home network stay
    allowed: an old blog may have lived on one."""
    host = split_url(url).hostname or ""
    if host and _is_link_local(host):
        return f"{host} is a link-local address (a machine's own services): refused"
    return ""


@lru_cache(maxsize=1024)
def _is_link_local(host: str) -> bool:
    """Whether ``host`` is, or resolves to, a link-local address (looked up once per host: an
    export's thousand images on one host ask the resolver once)."""
    try:
        found = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except (OSError, UnicodeError):
        return False  # not resolvable: the download itself says why
    for address in found:
        try:
            if ipaddress.ip_address(str(address).split("%", 1)[0]).is_link_local:
                return True
        except ValueError:
            continue
    return False


_OPENER = urllib.request.build_opener(_LimitedRedirects)


def fetch(url: str, timeout: float = TIMEOUT, max_bytes: int = MAX_BYTES) -> tuple[bytes, str]:
    """The bytes and Content-Type at an http(s) URL; raises DownloadError with the reason."""
    if not web_url(url):
        raise DownloadError("only http and https URLs are downloaded")
    refused = _link_local(url)
    if refused:
        raise DownloadError(refused)
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise DownloadError(f"larger than the {max_bytes} byte limit")
            data = _read_capped(response, max_bytes, timeout * TOTAL_TIME_FACTOR)
            kind = response.headers.get_content_type() or ""
    except urllib.error.HTTPError as exc:
        raise DownloadError(f"HTTP {exc.code}") from None
    except urllib.error.URLError as exc:
        raise DownloadError(str(exc.reason)) from None
    except (OSError, ValueError) as exc:  # timeouts, resets, malformed URLs
        raise DownloadError(str(exc) or type(exc).__name__) from None
    return data, kind


def _read_capped(response, max_bytes: int, seconds: float) -> bytes:  # noqa: ANN001
    """The body, refused beyond ``max_bytes`` or when it takes longer than ``seconds`` in all
    (the per-request timeout only bounds each wait, so a server sending a byte a second
    would otherwise never be cut off)."""
    deadline = time.monotonic() + seconds
    chunks, size = [], 0
    while chunk := response.read1(65536):
        chunks.append(chunk)
        size += len(chunk)
        if size > max_bytes:
            raise DownloadError(f"larger than the {max_bytes} byte limit")
        if time.monotonic() > deadline:
            raise DownloadError(f"took longer than {seconds:.0f} s")
    return b"".join(chunks)


def _safe_folder(folder: str) -> str:
    folder = folder.strip("/")
    if folder and is_safe_relative(folder):
        return folder
    return "/".join(slugify(part) for part in folder.split("/") if part.strip(". ")) or "item"


def is_file_url(url: str) -> bool:
    """Whether ``url`` names a file to keep (its path ends in one of ``FILE_EXTENSIONS``)."""
    suffix = PurePosixPath(unquote(split_url(url).path)).suffix.lower().lstrip(".")
    return suffix in FILE_EXTENSIONS


class MediaDownloader:
    """Localizes the media URLs of one import run (see the module docstring)."""

    def __init__(self, context: ImportContext, enabled: bool, folder_prefix: str, *,
                 timeout: float = TIMEOUT, max_bytes: int = MAX_BYTES) -> None:
        self.context = context
        self.enabled = enabled
        self.prefix = _safe_folder(folder_prefix)
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.done: dict[str, str] = {}  # URL -> content-relative media path (this run)
        self.failed: dict[str, str] = {}  # URL -> reason (not retried in this run)
        self._names: dict[str, dict[str, str]] = {}  # folder -> file name -> URL
        self.downloaded = 0  # files fetched over the network in this run

    # -- public --------------------------------------------------------------------------
    def localize(self, markdown: str, item_folder: str, where: str) -> tuple[str, Files]:
        """``markdown`` with its media URLs pointing at local copies, and their files."""
        if not self.enabled or "http" not in markdown:
            return markdown, {}
        files: Files = {}

        def swap(match: re.Match[str], always: bool = True) -> str:
            url = match.group(2)
            if not always and not is_file_url(url) and url not in self.done:
                return match.group(0)  # a web page, not a file (an image already kept is one)
            new_url, new_files = self.localize_url(url, item_folder, where)
            files.update(new_files)
            return f"{match.group(1)}{new_url}{match.group(3)}"

        text = _MD_IMAGE.sub(swap, markdown)
        text = _MD_LINK.sub(lambda m: swap(m, always=False), text)
        text = _HTML_SRC.sub(swap, text)
        text = _HTML_HREF.sub(lambda m: swap(m, always=False), text)
        text = _AUTOLINK.sub(lambda m: self._swap_autolink(m, item_folder, where, files), text)
        return text, files

    def prepare_html(self, html: str, base: str, *, links: bool = False) -> tuple[str, Files]:
        """The post's HTML before it is sanitised and converted: relative media URLs made
        absolute against ``base`` (every relative link too with ``links``; see the module
        docstring), pasted images made files (``keep_pasted_images``); and their files."""
        return self.keep_pasted_images(absolute_urls(html, base, links=links))

    def keep_pasted_images(self, html: str) -> tuple[str, Files]:
        """``html`` with each image pasted into it as a ``data:`` URL (PNG, JPEG, GIF, WebP)
        made a file, ``media/<prefix>/pasted/<digest>.<ext>``, and its files.

        The HTML sanitiser removes every ``data:`` URL, so such an image was lost; this runs
        before it. Nothing is downloaded, so it runs with ``--no-download`` too.
        """
        if "data:" not in html.lower():
            return html, {}
        files: Files = {}

        def save(match: re.Match[str]) -> str:
            try:
                data = base64.b64decode(_SPACE.sub("", match.group(4)), validate=True)
            except ValueError:  # binascii.Error: not base64 after all (the sanitiser drops it)
                return match.group(0)
            if not data or len(data) > self.max_bytes:
                return match.group(0)
            kind = match.group(3).lower()
            name = f"{hashlib.sha256(data).hexdigest()[:16]}.{'jpg' if kind == 'jpeg' else kind}"
            path = Store.media_path(f"{self.prefix}/pasted", name)
            files[path] = lambda data=data: data
            return f"{match.group(1)}{match.group(2)}/{path}{match.group(2)}"

        return _PASTED_IMAGE.sub(save, html), files

    def localize_url(self, url: str, item_folder: str, where: str) -> tuple[str, Files]:
        """The root-relative local path for ``url`` (or ``url`` on failure) and its files."""
        if not self.enabled or not web_url(url):
            return url, {}
        if url in self.done:
            return "/" + self.done[url], {}
        if url in self.failed:
            return url, {}
        folder = f"{self.prefix}/{_safe_folder(item_folder)}"
        name = self._name_for(url, folder)
        existing = self._existing(folder, name)
        if existing:
            self._claim(folder, existing.rsplit("/", 1)[-1], url)
            self.done[url] = existing
            return "/" + existing, {}
        try:
            data, content_type = fetch(url, self.timeout, self.max_bytes)
        except DownloadError as exc:
            self.failed[url] = str(exc)
            self.context.note(f"{where}: could not download {url} ({exc}); "
                              "kept the original URL")
            return url, {}
        if "." not in name:
            name = self._name_for(url, folder, _extension(content_type))
        self._claim(folder, name, url)
        path = Store.media_path(folder, name)
        self.done[url] = path
        self.downloaded += 1
        return "/" + path, {path: lambda data=data: data}

    # -- helpers -------------------------------------------------------------------------
    def _swap_autolink(self, match: re.Match[str], item_folder: str, where: str,
                       files: Files) -> str:
        url = match.group(1)
        if not is_file_url(url) and url not in self.done:
            return match.group(0)
        new_url, new_files = self.localize_url(url, item_folder, where)
        if new_url == url:
            return match.group(0)
        files.update(new_files)
        return f"[{url}]({new_url})"

    def _name_for(self, url: str, folder: str, extension: str = "") -> str:
        """A safe file name for ``url`` in ``folder``, unique among this run's other URLs."""
        last = url_file_name(url)
        name = safe_filename(last, fallback="file")
        if extension and "." not in name:
            name = f"{name}.{extension}"
        taken = self._names.get(folder, {})
        stem, dot, ext = name.rpartition(".")
        if not dot:
            stem, ext = name, ""
        candidate, attempt = name, 1
        while taken.get(candidate, url) != url:
            attempt += 1
            candidate = f"{stem}-{attempt}.{ext}" if ext else f"{stem}-{attempt}"
        return candidate

    def _claim(self, folder: str, name: str, url: str) -> None:
        self._names.setdefault(folder, {})[name] = url

    def _existing(self, folder: str, name: str) -> str | None:
        """The content-relative path of a copy from an earlier run, if there is one."""
        if self.context.site_root is None:
            return None
        directory = Path(self.context.site_root) / "content" / "media" / folder
        if (directory / name).is_file():
            return Store.media_path(folder, name)
        if "." not in name and directory.is_dir():
            for candidate in sorted(directory.glob(f"{name}.*")):
                if candidate.is_file() and candidate.name.count(".") == 1:
                    return Store.media_path(folder, candidate.name)
        return None


def absolute_urls(html: str, base: str, *, links: bool = True) -> str:
    """``html`` with relative URLs made absolute against ``base`` (an http(s) address; else
    nothing changes); with ``links=False`` only media and links to files. Unchanged HTML is
    returned as it was (not re-serialised)."""
    if not html.strip():
        return ""
    if not web_url(base) or not _RELATIVE.search(html):
        return html
    soup = BeautifulSoup(html, "html.parser")
    changed = False
    for tag in soup.find_all(list(_URL_ATTRIBUTES)):
        for attribute in _URL_ATTRIBUTES[tag.name]:
            value = str(tag.get(attribute) or "").strip()
            if not value or value.startswith("#"):
                continue
            absolute = join_url(base, value)
            if tag.name == "a" and not links and not is_file_url(absolute):
                continue  # a page: its old path is an alias in the new site
            if absolute != tag.get(attribute):
                tag[attribute] = absolute
                changed = True
    return str(soup) if changed else html


def _extension(content_type: str) -> str:
    """A file extension for a Content-Type ('' when unknown)."""
    guessed = mimetypes.guess_extension(content_type or "") or ""
    return {".jpe": "jpg", ".jpeg": "jpg"}.get(guessed, guessed.lstrip("."))
