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
``html.parser`` on a 20,000-tweet site. Reading the pages and resolving their references
(each distinct one once) is ``archiver.checkscan``, spread over the cores on a big site.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from archiver import __version__
from archiver.build.pipeline import resolve_output
from archiver.checkscan import ChunkResult, SiteScanner, scan_site, walk_output
from archiver.config import Config
from archiver.errors import ArchiverError

HTML_WARN_BYTES = 1_000_000
FILE_LIMIT_BYTES = 100 * 1024 * 1024  # GitHub Pages, Netlify and most hosts refuse larger files
USER_AGENT = f"archiver/{__version__} link check (static site checker; one request per host per second)"
MAX_LISTED = 200


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


def check_output(output: Path, base_url: str, jobs: int | None = None) -> tuple[CheckReport, dict[str, str]]:
    """The report on the files in ``output``, and the external URLs with the first page
    that links each; links to a missing ``#fragment`` are reported last, once every page's
    ids are known."""
    files, folders = walk_output(str(output))
    scanner = SiteScanner(str(output), files, folders, base_url, FILE_LIMIT_BYTES, HTML_WARN_BYTES)
    report = CheckReport(output=output, files=len(files))
    ids: dict[str, set[str]] = {}
    fragments: list[tuple[str, str, str]] = []
    external: dict[str, str] = {}
    chunk: ChunkResult
    for chunk in scan_site(scanner, jobs):
        report.pages += chunk.pages
        report.internal += chunk.internal
        report.problems += [Finding(where, message) for where, message in chunk.problems]
        report.warnings += [Finding(where, message) for where, message in chunk.warnings]
        fragments += chunk.fragments
        ids.update(chunk.ids)
        for url, page in chunk.external.items():
            external.setdefault(url, page)
    for page, target, fragment in fragments:
        if fragment not in ids.get(target, ()):
            report.problems.append(Finding(page, f"broken link: no id {fragment!r} in {target}"))
    # a page that links the same missing file twice has that problem once (and is named once)
    report.problems = list(dict.fromkeys(report.problems))
    report.warnings = list(dict.fromkeys(report.warnings))
    report.external = len(external)
    return report, external


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
               delay: float = 1.0, timeout: float = 10.0, jobs: int | None = None) -> CheckReport:
    """Check the built site in ``output`` (default: the site's output folder).

    ``jobs``: processes reading the pages (default: every core, when the site is big)."""
    folder = resolve_output(config, output)
    if not folder.is_dir() or not any(folder.iterdir()):
        raise ArchiverError(f"nothing to check: {folder} is empty or missing",
                            hint="run 'archiver build' first")
    report, external_links = check_output(folder, config.base_url, jobs)
    if external:
        check_external(report, external_links, delay, timeout)
    return report


def print_check_report(report: CheckReport) -> None:
    """The summary line, then problems and warnings, each message once with the files it is in."""
    from archiver.report import console, print_line

    checked = (f", {report.external_checked} requested" if report.external_checked else
               " (not requested; use --external)")
    print_line(f"Checked {report.pages:,} pages and {report.files:,} files in {report.output}: "
               f"{report.internal:,} internal references, {report.external:,} external links"
               f"{checked}.")
    for label, style, findings in (("Problems", "red", report.problems),
                                   ("Warnings", "yellow", report.warnings)):
        if not findings:
            continue
        grouped = group_findings(findings)
        console().print(f"[bold {style}]{label} ({len(findings):,}):[/]")
        for message, files in list(grouped.items())[:MAX_LISTED]:
            sample = ", ".join(files[:3]) + (f" and {len(files) - 3:,} more" if len(files) > 3 else "")
            print_line(f"  {message} — in {sample}")
        if len(grouped) > MAX_LISTED:
            console().print(f"  ... and {len(grouped) - MAX_LISTED:,} more kinds")
    verdict = "[bold red]problems found[/]" if report.problems else "[bold green]all good[/]"
    console().print(f"{len(report.problems):,} problem(s), {len(report.warnings):,} warning(s): {verdict}")


def group_findings(findings: list[Finding]) -> dict[str, list[str]]:
    """message -> the files it was found in (first seen first)."""
    grouped: dict[str, list[str]] = {}
    for finding in findings:
        grouped.setdefault(finding.message, []).append(finding.where)
    return grouped
