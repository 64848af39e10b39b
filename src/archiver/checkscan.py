"""The page-by-page part of ``archiver check``: read each page once, resolve its references.

A big site has a million references to a few tens of thousands of distinct URLs (every page
links the same stylesheet, feeds, years and tags), so what a reference comes to, its
*outcome* (is it internal, which findings, which external URL, which ``#fragment`` to look
up later), is worked out once and remembered:

* by the URL and what it loads, when the answer does not depend on the page (external,
  root-relative and own-``base_url`` URLs, ``#fragment`` alone);
* for a relative URL, also by the folder it lands in: ``../../x/`` from any page two folders
  deep is the same target, so the answer is remembered by the folders the ``../`` leave of
  the page.

Findings are pairs ``(where, message)``, in the order the pages and their references come;
the site's files are scanned in chunks of the sorted file list, in forked worker processes
when the site is big, and the chunks' results are joined in chunk order, so the report is
the same as one process reading the files one by one.
"""

from __future__ import annotations

import multiprocessing
import os
import posixpath
import re
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from archiver.build.loader import worker_count
from archiver.checkpage import Reference, css_references, read_page
from archiver.config import base_path

CHUNK_FILES = 256
MIN_FILES_PER_WORKER = 4000  # below this a process pool costs more than it saves
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_LOADS = {"script": "a script", "style": "a stylesheet", "font": "a font", "media": "media",
          "icon": "an icon"}

# internal references counted, findings (is a problem?, message), external URL, (target, fragment)
Outcome = tuple[int, tuple[tuple[bool, str], ...], "str | None", "tuple[str, str] | None"]
_NOTHING: Outcome = (0, (), None, None)
_CLEAN: Outcome = (1, (), None, None)


def walk_output(output: str) -> tuple[list[str], set[str]]:
    """The files (sorted) and folders under ``output``, as paths from it with ``/``.

    Like ``Path.rglob('*')``: symlinked folders are listed but not entered, a symlink counts
    as what it points to, a broken one as nothing, and an unreadable folder is skipped.
    """
    files: list[str] = []
    folders: set[str] = set()
    pending = [("", output)]
    while pending:
        prefix, folder = pending.pop()
        try:
            with os.scandir(folder) as entries:
                listed = list(entries)
        except PermissionError:
            continue
        for entry in listed:
            rel = prefix + entry.name
            if entry.is_dir():
                folders.add(rel)
                if not entry.is_symlink():
                    pending.append((rel + "/", entry.path))
            elif entry.is_file():
                files.append(rel)
    files.sort()
    return files, folders


@dataclass
class ChunkResult:
    """What checking a run of files found, in file order."""

    pages: int = 0
    internal: int = 0
    problems: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    fragments: list[tuple[str, str, str]] = field(default_factory=list)  # page, target, fragment
    ids: dict[str, set[str]] = field(default_factory=dict)  # page -> its ids (when it has some)
    external: dict[str, str] = field(default_factory=dict)  # url -> first page that links it


class SiteScanner:
    """Checks the site's files and their references, remembering each reference's outcome."""

    def __init__(self, output: str, files: list[str], folders: set[str], base_url: str,
                 file_limit: int, page_warn: int) -> None:
        self.output = output
        self.files = files
        self.known = set(files)
        self.folders = folders
        self.base_url = base_url.rstrip("/") + "/" if base_url else ""
        self.base_path = base_path(base_url)
        self.file_limit = file_limit
        self.page_warn = page_warn
        self._plans: dict[Reference, tuple] = {}
        # relative URL -> outcome, by the folder its ../ land in (the page's, or one above)
        self._relative: dict[str, dict[str, Outcome]] = {}
        self._outside: dict[str, Outcome] = {}  # more ../ than the page has folders
        self._by_folder: dict[tuple[str, str], Outcome] = {}  # (page's folder, URL) -> outcome

    def scan(self, start: int, stop: int) -> ChunkResult:
        """Check files ``start`` to ``stop`` of the sorted file list."""
        result = ChunkResult()
        for rel in self.files[start:stop]:
            path = os.path.join(self.output, rel)
            size = os.stat(path).st_size
            if size > self.file_limit:
                result.problems.append((rel, f"file is {size / 1e6:.0f} MB; most hosts refuse files over "
                                             f"{self.file_limit // (1024 * 1024)} MB"))
            if rel.endswith((".html", ".htm")):
                self._check_page(result, rel, path, size)
            elif rel.endswith(".css"):
                with open(path, encoding="utf-8", errors="replace") as css:
                    self._check_references(result, rel, css_references(css.read()), set())
        return result

    def _check_page(self, result: ChunkResult, rel: str, path: str, size: int) -> None:
        result.pages += 1
        if size > self.page_warn:
            result.warnings.append((rel, f"page is {size / 1e6:.1f} MB (over {self.page_warn / 1e6:.0f} MB): "
                                         "slow to load; lower 'pagination' in site.yaml"))
        with open(path, "rb") as page:
            facts = read_page(page.read())
        if facts.ids:
            result.ids[rel] = facts.ids
        if not (facts.title or "").strip():
            result.problems.append((rel, "page has no <title> (or an empty one)"))
        self._check_references(result, rel, facts.references, facts.ids)

    def _check_references(self, result: ChunkResult, page: str, references: list[Reference],
                          ids: set[str]) -> None:
        """Count and check ``references`` of ``page`` (a page's own ``ids`` settle its own
        ``#fragment`` links at once; the others are looked up when every page is read)."""
        plans = self._plans
        tables: list[dict[str, Outcome]] | None = None  # by how many ../ a relative URL has
        internal = 0
        for reference in references:
            plan = plans.get(reference)
            if plan is None:
                plan = plans[reference] = self._plan(reference)
            how = plan[0]
            if how == "relative":
                if tables is None:
                    tables = self._relative_tables(page)
                table = tables[plan[1]] if plan[1] < len(tables) else self._outside
                outcome = table.get(plan[2])
                if outcome is None:
                    outcome = table[plan[2]] = self._relative_outcome(page, plan[3], plan[4], plan[2])
            elif how == "fixed":
                outcome = plan[1]
            elif how == "self":
                internal += 1
                fragment = plan[1]
                if fragment and fragment != "top" and page.endswith((".html", ".htm")) and fragment not in ids:
                    result.fragments.append((page, page, fragment))
                continue
            elif how == "root":
                outcome = plan[2] if page == "404.html" else plan[1]
            else:  # a path that needs posixpath.normpath: by the page's folder
                key = (posixpath.dirname(page), plan[1])
                outcome = self._by_folder.get(key)
                if outcome is None:
                    outcome = self._by_folder[key] = self._relative_outcome(page, plan[2], plan[3], plan[1])
            if outcome is _CLEAN:
                internal += 1
            else:
                internal += self._apply(result, page, outcome)
        result.internal += internal

    def _relative_tables(self, page: str) -> list[dict[str, Outcome]]:
        """The outcomes of relative URLs from ``page``, by how many ``../`` they start with."""
        folders = page.split("/")[:-1]
        return [self._relative.setdefault("/".join(folders[:len(folders) - up]), {})
                for up in range(len(folders) + 1)]

    @staticmethod
    def _apply(result: ChunkResult, page: str, outcome: Outcome) -> int:
        counted, findings, external, fragment = outcome
        for is_problem, message in findings:
            (result.problems if is_problem else result.warnings).append((page, message))
        if external is not None:
            result.external.setdefault(external, page)
        if fragment is not None:
            result.fragments.append((page, *fragment))
        return counted

    def _plan(self, reference: Reference) -> tuple:
        """How to find a reference's outcome: ``("fixed", outcome)`` when it is the same from
        every page, else what is needed to work it out for a page."""
        url = reference[0].strip()
        kind = reference[1]
        scheme = _SCHEME.match(url)
        if not url or (scheme and scheme.group(1).lower() not in ("http", "https")):
            return ("fixed", _NOTHING)  # mailto:, data:, tel: ... (unsafe schemes are the sanitiser's job)
        own = False
        if scheme or url.startswith("//"):
            absolute = url if scheme else "https:" + url
            if not (self.base_url and absolute.startswith(self.base_url)):
                return ("fixed", _outside_outcome(absolute, kind))
            path, fragment = _split("/" + absolute[len(self.base_url):])
            own = True
        else:
            path, fragment = _split(url)
        if not path:
            return ("self", fragment)
        if own:  # a path from "/" that may be written so, whatever the page
            return ("fixed", self._root_outcome(path, fragment, kind, url, root_relative_ok=True))
        if path.startswith("/"):
            return ("root", self._root_outcome(path, fragment, kind, url, root_relative_ok=False),
                    self._root_outcome(path, fragment, kind, url, root_relative_ok=True))
        ups, rest = _leading_ups(path)
        if not _is_plain(rest):
            return ("by folder", url, path, fragment)
        return ("relative", ups, url, path, fragment)

    def _root_outcome(self, path: str, fragment: str, kind: str, shown: str,
                      root_relative_ok: bool) -> Outcome:
        findings: list[tuple[bool, str]] = []
        if not root_relative_ok and kind != "canonical":
            findings.append((False, f"root-relative link {shown}: breaks when the site is opened "
                                    "from a file or a sub-folder"))
        if self.base_path != "/" and path.startswith(self.base_path):
            path = "/" + path[len(self.base_path):]
        target = posixpath.normpath(path.lstrip("/")) + ("/" if path.endswith("/") else "")
        return self._target_outcome(findings, target, fragment, shown)

    def _relative_outcome(self, page: str, path: str, fragment: str, shown: str) -> Outcome:
        joined = join_relative(page, path)
        if joined == ".." or joined.startswith("../"):
            return (1, ((True, f"link {shown} points outside the site folder"),), None, None)
        return self._target_outcome([], joined + ("/" if path.endswith("/") else ""), fragment, shown)

    def _target_outcome(self, findings: list[tuple[bool, str]], target: str, fragment: str,
                        shown: str) -> Outcome:
        """The file a resolved target names, reported missing, and its fragment to look up."""
        target = "" if target in (".", "./") else target
        if target.endswith("/") or target == "":
            candidate = target + "index.html"
        elif target in self.folders:
            findings.append((False, f"link {shown} names a folder: add index.html so it opens from a file"))
            candidate = target + "/index.html"
        else:
            candidate = target
        pair = None
        if candidate not in self.known:
            findings.append((True, f"broken link: no file {candidate}"))
        elif fragment and fragment != "top" and candidate.endswith((".html", ".htm")):
            pair = (candidate, fragment)
        if not findings and pair is None:
            return _CLEAN
        return (1, tuple(findings), None, pair)


def _split(url: str) -> tuple[str, str]:
    """The path and fragment of an internal URL, percent-decoded."""
    if "?" in url or "#" in url or "%" in url:
        parts = urlsplit(url)
        return unquote(parts.path), unquote(parts.fragment)
    return url, ""


def _outside_outcome(url: str, kind: str) -> Outcome:
    if kind in ("script", "style", "font"):
        return (0, ((True, f"loads {_LOADS[kind]} from another host: {url}"),), None, None)
    if kind in ("media", "icon"):
        return (0, ((False, f"loads {_LOADS[kind]} from another host: {url}"),), url, None)
    return (0, (), url, None)


def join_relative(page: str, path: str) -> str:
    """``path`` (relative to the page ``page``) as a normalised path from the site root.

    The common shape ``../../x/index.html`` is resolved with string operations; anything else
    goes through ``posixpath.normpath``. A result starting with ``..`` is outside the site.
    """
    ups, rest = _leading_ups(path)
    if not _is_plain(rest):
        return posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
    folders = page.split("/")[:-1]
    rest = rest.rstrip("/")
    if ups > len(folders):
        return "../" + rest
    return "/".join([*folders[:len(folders) - ups], rest]) if rest else "/".join(
        folders[:len(folders) - ups]) or "."


def _leading_ups(path: str) -> tuple[int, str]:
    """How many ``../`` ``path`` starts with, and the rest of it."""
    ups = 0
    while path.startswith("../", ups * 3):
        ups += 1
    return ups, path[ups * 3:]


def _is_plain(rest: str) -> bool:
    """True when the rest of a relative path has no ``.``/``..`` part or empty part to
    normalise (so string operations resolve it)."""
    return not ("./" in rest or rest.startswith(".") or "//" in rest)


# The scanner the forked workers use, set by the parent just before it forks (inherited).
_shared: dict[str, SiteScanner] = {}


def scan_site(scanner: SiteScanner, jobs: int | None = None) -> list[ChunkResult]:
    """Every file checked, in chunks of the sorted file list, in chunk order; spread over
    forked processes when the site is big enough (``jobs``: how many, default one per core)."""
    total = len(scanner.files)
    chunks = [(start, min(start + CHUNK_FILES, total)) for start in range(0, total, CHUNK_FILES)]
    workers = worker_count(jobs, len(chunks), MIN_FILES_PER_WORKER // CHUNK_FILES)
    if workers == 1:
        return [scanner.scan(start, stop) for start, stop in chunks]
    _shared["scanner"] = scanner
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            return list(pool.imap(_scan_chunk, chunks))
    finally:
        _shared.clear()


def _scan_chunk(chunk: tuple[int, int]) -> ChunkResult:
    return _shared["scanner"].scan(*chunk)
