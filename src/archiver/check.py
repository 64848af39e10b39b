"""``archiver check``: is the built site whole, self-contained and light enough to host?

Problems (exit code 1): an internal link, image, script or stylesheet that names a missing
file or a missing ``#fragment``, a link out of the output folder, a page without a ``<title>``,
a script, stylesheet or font loaded from another host (in HTML or CSS), a file too large for
common hosts, and, with ``--external``, external links that fail. Warnings: pages over 1 MB,
root-relative links (they break from file:// and sub-folders), folder links without
``index.html`` and media loaded from another host.

Relative links are resolved against the page, folders through their ``index.html``, absolute
links to the site's own ``base_url`` like internal ones. External links are only requested
with ``--external``: one at a time, at most one request per host per ``delay`` seconds.
Pages are read with selectolax (the Lexbor HTML5 parser): twenty times faster than
``html.parser`` on a 20,000-tweet site.
"""

from __future__ import annotations

import posixpath
import re
import time
import urllib.error
import urllib.request
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from selectolax.lexbor import LexborHTMLParser

from archiver import __version__
from archiver.build.pipeline import resolve_output
from archiver.config import Config
from archiver.errors import ArchiverError

HTML_WARN_BYTES = 1_000_000
FILE_LIMIT_BYTES = 100 * 1024 * 1024  # GitHub Pages, Netlify and most hosts refuse larger files
USER_AGENT = f"archiver/{__version__} link check (static site checker; one request per host per second)"
MAX_LISTED = 200
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)|@import\s+(['"])([^'"]+)\3""", re.IGNORECASE)
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_FONT_SUFFIXES = {".woff", ".woff2", ".ttf", ".otf", ".eot"}
_REFRESH_URL = re.compile(r"url\s*=\s*['\"]?([^'\"]+)", re.IGNORECASE)
# tag -> attributes holding a URL, and what the reference loads
_URL_ATTRIBUTES = {
    "a": (("href", "link"),), "area": (("href", "link"),),
    "img": (("src", "media"),), "video": (("src", "media"), ("poster", "media")),
    "audio": (("src", "media"),), "source": (("src", "media"),), "track": (("src", "media"),),
    "iframe": (("src", "media"),), "embed": (("src", "media"),), "object": (("data", "media"),),
    "script": (("src", "script"),),
}
_INTERESTING = ("[id], [href], [src], [srcset], [poster], object[data], "
                'meta[http-equiv="refresh" i]')
_LOADS = {"script": "a script", "style": "a stylesheet", "font": "a font", "media": "media",
          "icon": "an icon"}


@dataclass(frozen=True)
class Finding:
    where: str  # file in the output folder
    message: str


@dataclass
class CheckReport:
    output: Path
    pages: int = 0
    files: int = 0
    internal: int = 0
    external: int = 0
    external_checked: int = 0
    problems: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)


@dataclass(frozen=True)
class Reference:
    url: str
    kind: str  # link, media, script, style, font, icon, canonical


@dataclass
class PageFacts:
    """What the checker needs from one page."""

    title: str | None
    ids: set[str]
    references: list[Reference]


def read_page(html: bytes) -> PageFacts:
    """The title, ids and URL references of a page, in document order (Lexbor HTML5 parser)."""
    tree = LexborHTMLParser(html)
    title = tree.css_first("head > title")
    ids: set[str] = set()
    references: list[Reference] = []
    for node in tree.css(_INTERESTING):
        tag = node.tag
        values = {name: value or "" for name, value in node.attributes.items()}
        if values.get("id"):
            ids.add(values["id"])
        if tag == "a" and values.get("name"):
            ids.add(values["name"])
        for attribute, kind in _URL_ATTRIBUTES.get(tag, ()):
            if attribute in values:
                references.append(Reference(values[attribute], kind))
        if "srcset" in values:
            references.extend(Reference(candidate.split()[0], "media")
                              for candidate in values["srcset"].split(",") if candidate.strip())
        if tag == "link" and values.get("href"):
            references.append(Reference(values["href"], _link_kind(values)))
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            match = _REFRESH_URL.search(values.get("content", ""))
            if match:
                references.append(Reference(match.group(1).strip(), "link"))
    return PageFacts(title.text() if title is not None else None, ids, references)


def _link_kind(values: dict[str, str]) -> str:
    rel = set(values.get("rel", "").lower().split())
    if "stylesheet" in rel:
        return "style"
    if rel & {"preload", "modulepreload", "prefetch"}:
        return {"font": "font", "style": "style", "script": "script"}.get(values.get("as", ""), "media")
    if rel & {"icon", "apple-touch-icon", "mask-icon", "manifest"}:
        return "icon"
    if rel & {"canonical", "alternate", "search"}:
        return "canonical"
    return "link"


class _SiteChecker:
    """Walks the output folder once, then checks every collected reference."""

    def __init__(self, output: Path, base_url: str) -> None:
        self.output = output
        self.base_url = base_url.rstrip("/") + "/" if base_url else ""
        self.base_path = urlsplit(self.base_url).path if base_url else "/"
        self.report = CheckReport(output=output)
        self.files = {p.relative_to(output).as_posix(): p for p in output.rglob("*") if p.is_file()}
        self.folders = {p.relative_to(output).as_posix() for p in output.rglob("*") if p.is_dir()}
        self.ids: dict[str, set[str]] = {}
        self.fragments: list[tuple[str, str, str]] = []  # page, target, fragment
        self.external: dict[str, str] = {}  # url -> first page that links it

    def problem(self, where: str, message: str) -> None:
        self.report.problems.append(Finding(where, message))

    def warn(self, where: str, message: str) -> None:
        self.report.warnings.append(Finding(where, message))

    def run(self) -> CheckReport:
        self.report.files = len(self.files)
        for rel, path in sorted(self.files.items()):
            size = path.stat().st_size
            if size > FILE_LIMIT_BYTES:
                self.problem(rel, f"file is {size / 1e6:.0f} MB; most hosts refuse files over "
                                  f"{FILE_LIMIT_BYTES // (1024 * 1024)} MB")
            if rel.endswith((".html", ".htm")):
                self._check_page(rel, path, size)
            elif rel.endswith(".css"):
                self._check_css(rel, path)
        for page, target, fragment in self.fragments:
            if fragment not in self.ids.get(target, set()):
                self.problem(page, f"broken link: no id {fragment!r} in {target}")
        self.report.external = len(self.external)
        return self.report

    def _check_page(self, rel: str, path: Path, size: int) -> None:
        self.report.pages += 1
        if size > HTML_WARN_BYTES:
            self.warn(rel, f"page is {size / 1e6:.1f} MB (over {HTML_WARN_BYTES / 1e6:.0f} MB): "
                           "slow to load; lower 'pagination' in site.yaml")
        facts = read_page(path.read_bytes())
        self.ids[rel] = facts.ids
        if not (facts.title or "").strip():
            self.problem(rel, "page has no <title> (or an empty one)")
        for reference in facts.references:
            self._check_reference(rel, reference)

    def _check_css(self, rel: str, path: Path) -> None:
        for match in _CSS_URL.finditer(path.read_text("utf-8", errors="replace")):
            url = (match.group(2) or match.group(4) or "").strip()
            suffix = posixpath.splitext(urlsplit(url).path)[1].lower()
            kind = "style" if match.group(4) else "font" if suffix in _FONT_SUFFIXES else "media"
            self._check_reference(rel, Reference(url, kind))

    def _check_reference(self, page: str, reference: Reference) -> None:
        url = reference.url.strip()
        scheme = _SCHEME.match(url)
        if not url or (scheme and scheme.group(1).lower() not in ("http", "https")):
            return  # mailto:, data:, tel: ... (unsafe schemes are the sanitiser's job)
        if scheme or url.startswith("//"):
            absolute = url if scheme else "https:" + url
            if self.base_url and absolute.startswith(self.base_url):
                self._check_internal(page, "/" + absolute[len(self.base_url):], reference, url,
                                     root_relative_ok=True)
            else:
                self._check_outside(page, absolute, reference)
            return
        self._check_internal(page, url, reference, url, root_relative_ok=page == "404.html")

    def _check_outside(self, page: str, url: str, reference: Reference) -> None:
        if reference.kind in ("script", "style", "font"):
            self.problem(page, f"loads {_LOADS[reference.kind]} from another host: {url}")
            return
        if reference.kind in ("media", "icon"):
            self.warn(page, f"loads {_LOADS[reference.kind]} from another host: {url}")
        self.external.setdefault(url, page)

    def _check_internal(self, page: str, url: str, reference: Reference, shown: str,
                        root_relative_ok: bool) -> None:
        self.report.internal += 1
        if "?" in url or "#" in url or "%" in url:
            parts = urlsplit(url)
            path, fragment = unquote(parts.path), unquote(parts.fragment)
        else:
            path, fragment = url, ""
        if not path:
            target = page
        elif path.startswith("/"):
            if not root_relative_ok and reference.kind != "canonical":
                self.warn(page, f"root-relative link {shown}: breaks when the site is opened "
                                "from a file or a sub-folder")
            if self.base_path != "/" and path.startswith(self.base_path):
                path = "/" + path[len(self.base_path):]
            target = posixpath.normpath(path.lstrip("/")) + ("/" if path.endswith("/") else "")
        else:
            joined = _join_relative(page, path)
            if joined == ".." or joined.startswith("../"):
                self.problem(page, f"link {shown} points outside the site folder")
                return
            target = joined + ("/" if path.endswith("/") else "")
        target = self._existing(page, target, shown)
        if target and fragment and fragment != "top" and target.endswith((".html", ".htm")):
            self.fragments.append((page, target, fragment))

    def _existing(self, page: str, target: str, shown: str) -> str:
        """The file a resolved target names ('' after reporting it missing)."""
        target = "" if target in (".", "./") else target
        if target.endswith("/") or target == "":
            candidate = target + "index.html"
        elif target in self.folders:
            self.warn(page, f"link {shown} names a folder: add index.html so it opens from a file")
            candidate = target + "/index.html"
        else:
            candidate = target
        if candidate in self.files:
            return candidate
        self.problem(page, f"broken link: no file {candidate}")
        return ""


def _join_relative(page: str, path: str) -> str:
    """``path`` (relative to the page ``page``) as a normalised path from the site root.

    The common shape ``../../x/index.html`` is resolved with string operations; anything else
    goes through ``posixpath.normpath``. A result starting with ``..`` is outside the site.
    """
    ups = 0
    while path.startswith("../", ups * 3):
        ups += 1
    rest = path[ups * 3:]
    if "./" in rest or rest.startswith(".") or "//" in rest:
        return posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
    folders = page.split("/")[:-1]
    rest = rest.rstrip("/")
    if ups > len(folders):
        return "../" + rest
    return "/".join([*folders[:len(folders) - ups], rest]) if rest else "/".join(
        folders[:len(folders) - ups]) or "."


def check_external(report: CheckReport, external: dict[str, str], delay: float, timeout: float,
                   fetch=None) -> None:  # noqa: ANN001 - fetch is a test seam: url -> status
    """Request each external URL once, at most one request per host per ``delay`` seconds."""
    fetch = fetch or (lambda url: fetch_status(url, timeout))
    by_host: dict[str, list[str]] = defaultdict(list)
    for url in sorted(external):
        by_host[urlsplit(url).netloc.lower()].append(url)
    next_allowed = dict.fromkeys(by_host, 0.0)
    while by_host:
        host = min(by_host, key=lambda name: (next_allowed[name], name))
        wait = next_allowed[host] - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        url = by_host[host].pop(0)
        status = fetch(url)
        next_allowed[host] = time.monotonic() + delay
        report.external_checked += 1
        if isinstance(status, str) or status >= 400:
            reason = status if isinstance(status, str) else f"HTTP {status}"
            report.problems.append(Finding(external[url], f"external link {url} failed: {reason}"))
        if not by_host[host]:
            del by_host[host]


def fetch_status(url: str, timeout: float) -> int | str:
    """The HTTP status of ``url`` (HEAD, then GET when HEAD is refused), or why it failed."""
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - http(s) only
                return response.status
        except urllib.error.HTTPError as exc:
            if method == "HEAD" and exc.code in (403, 405, 501):
                continue
            return exc.code
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            return f"could not connect ({reason})"
    return "no answer"


def check_site(config: Config, *, output: Path | None = None, external: bool = False,
               delay: float = 1.0, timeout: float = 10.0) -> CheckReport:
    """Check the built site in ``output`` (default: the site's output folder)."""
    folder = resolve_output(config, output)
    if not folder.is_dir() or not any(folder.iterdir()):
        raise ArchiverError(f"nothing to check: {folder} is empty or missing",
                            hint="run 'archiver build' first")
    checker = _SiteChecker(folder, config.base_url)
    report = checker.run()
    if external:
        check_external(report, checker.external, delay, timeout)
    return report


def print_check_report(report: CheckReport) -> None:
    """The summary line, then problems and warnings, each message once with the files it is in."""
    from archiver.report import console

    checked = (f", {report.external_checked} requested" if report.external_checked else
               " (not requested; use --external)")
    console.print(f"Checked {report.pages:,} pages and {report.files:,} files in {report.output}: "
                  f"{report.internal:,} internal references, {report.external:,} external links"
                  f"{checked}.", soft_wrap=True)
    for label, style, findings in (("Problems", "red", report.problems),
                                   ("Warnings", "yellow", report.warnings)):
        if not findings:
            continue
        grouped = group_findings(findings)
        console.print(f"[bold {style}]{label} ({len(findings):,}):[/]")
        for message, files in list(grouped.items())[:MAX_LISTED]:
            sample = ", ".join(files[:3]) + (f" and {len(files) - 3:,} more" if len(files) > 3 else "")
            console.print(f"  {message} — in {sample}", markup=False, soft_wrap=True)
        if len(grouped) > MAX_LISTED:
            console.print(f"  ... and {len(grouped) - MAX_LISTED:,} more kinds")
    verdict = "[bold red]problems found[/]" if report.problems else "[bold green]all good[/]"
    console.print(f"{len(report.problems):,} problem(s), {len(report.warnings):,} warning(s): {verdict}")


def group_findings(findings: list[Finding]) -> dict[str, list[str]]:
    """message -> the files it was found in (first seen first)."""
    grouped: dict[str, list[str]] = {}
    for finding in findings:
        grouped.setdefault(finding.message, []).append(finding.where)
    return grouped
