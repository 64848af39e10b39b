"""Rendering the pages: skip those whose inputs are unchanged, spread the rest over the cores.

Each page's input fingerprint (``incremental.Fingerprints``) is compared with the one the
manifest holds from the last build; only pages whose inputs differ are rendered. When there
are many of them, forked worker processes render chunks of pages and this process writes
them as they come back: creating files and folders is the kernel's work, done fastest by one
process (two processes creating folders in one folder wait for each other: measured 1.7x
the system time). At most IN_FLIGHT chunks per worker are out at a time, so the parent never
holds the HTML of more than a few hundred pages, and the output is the same bytes as a
single-process build.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from multiprocessing.pool import AsyncResult
from typing import Any, Iterator, Sequence

import jinja2

from archiver.build.incremental import Fingerprints
from archiver.build.loader import worker_count
from archiver.build.output import OutputWriter
from archiver.build.render import Page, render_page
from archiver.errors import ArchiverError

MIN_PAGES_PER_WORKER = 300  # below this a process pool costs more than it saves
CHUNK_PAGES = 64
IN_FLIGHT = 3  # chunks per worker given out before their pages are written

# What forked workers need, set by the parent just before it forks (inherited, not pickled).
_shared: dict[str, Any] = {}


Planned = list[tuple[Page, "str | None"]]  # pages to render, with their input fingerprints


def plan_pages(pages: Sequence[Page], writer: OutputWriter,
               fingerprints: Fingerprints | None) -> Planned:
    """The pages whose inputs changed since the last build; the others are kept as they are.

    Only the pages to render have their paths checked (``writer.target`` refuses unsafe ones
    before any worker writes): a kept page is not written, and ``keep`` keeps only a path
    that the manifest lists with the same inputs, i.e. one a previous build checked and wrote.
    """
    todo: Planned = []
    keep, target = writer.keep, writer.target
    inputs_of = fingerprints.page if fingerprints is not None else None
    for page in pages:
        inputs = inputs_of(page) if inputs_of is not None else None
        if not keep(page.path, inputs):
            target(page.path)
            todo.append((page, inputs))
    return todo


def render_planned(env: jinja2.Environment, common: dict[str, Any], todo: Planned,
                   writer: OutputWriter, jobs: int | None = None,
                   fingerprints: Fingerprints | None = None) -> int:
    """Render and write the planned pages; returns how many processes did it.

    ``fingerprints``: the pages planned without their input fingerprint (a first build, where
    nothing can be kept) get it here, where the rendering is spread over the cores.
    """
    workers = worker_count(jobs, len(todo), MIN_PAGES_PER_WORKER)
    if workers == 1:
        for page, inputs in todo:
            writer.write(page.path, render_page(env, page, common),
                         inputs=_inputs(page, inputs, fingerprints))
        return 1
    for template in sorted({page.template for page, _ in todo}):
        _load_template(env, template)  # compiled once here, before the fork
    _shared.update(env=env, common=common, todo=todo, fingerprints=fingerprints)
    errors: list[tuple[int, tuple[str, str, str]]] = []
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for rows in _results(pool, workers, len(todo)):
                for index, html, inputs, error in rows:
                    if error is not None:
                        errors.append((index, error))
                    else:
                        writer.write(todo[index][0].path, html, inputs=inputs)
    finally:
        _shared.clear()
    if errors:
        message, where, hint = min(errors)[1]  # the first page's, as in one process
        raise ArchiverError(message, where=where, hint=hint)
    return workers


def _results(pool: Any, workers: int, count: int) -> Iterator[list[Row]]:
    """The rendered chunks in order, with at most IN_FLIGHT per worker given out at a time."""
    chunks = _chunks(count)
    pending: deque[AsyncResult] = deque()
    for chunk in chunks:
        pending.append(pool.apply_async(_render_chunk, (chunk,)))
        if len(pending) >= IN_FLIGHT * workers:
            break
    while pending:
        rows = pending.popleft().get()
        following = next(chunks, None)
        if following is not None:
            pending.append(pool.apply_async(_render_chunk, (following,)))
        yield rows


def _inputs(page: Page, planned: str | None, fingerprints: Fingerprints | None) -> str | None:
    """The page's input fingerprint: as planned, or made now when the plan left it out."""
    if planned is not None or fingerprints is None:
        return planned
    return fingerprints.page(page)


def _load_template(env: jinja2.Environment, name: str) -> None:
    try:
        env.get_template(name)
    except jinja2.TemplateError:
        pass  # render_page reports it with the page that uses it


def _chunks(count: int) -> Iterator[range]:
    for start in range(0, count, CHUNK_PAGES):
        yield range(start, min(start + CHUNK_PAGES, count))


Row = tuple[int, bytes, "str | None", "tuple[str, str, str] | None"]


def _render_chunk(indexes: range) -> list[Row]:
    """In a worker: render some pages; (index, HTML bytes, input fingerprint, error) each."""
    env, common, todo, fingerprints = _shared["env"], _shared["common"], _shared["todo"], _shared["fingerprints"]
    rows: list[Row] = []
    for index in indexes:
        page, planned = todo[index]
        try:
            html = render_page(env, page, common).encode("utf-8")
        except ArchiverError as exc:
            rows.append((index, b"", None, (exc.message, exc.where, exc.hint)))
            continue
        rows.append((index, html, _inputs(page, planned, fingerprints), None))
    return rows
