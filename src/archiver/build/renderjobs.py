"""Rendering the pages: skip those whose inputs are unchanged, spread the rest over the cores.

Each page's input fingerprint (``incremental.Fingerprints``) is compared with the one the
manifest holds from the last build; only pages whose inputs differ are rendered. When there
are many of them, this process and forked workers render chunks of pages and write the files
themselves, the workers sending back only each file's fingerprint: no process holds the
rendered HTML of the whole site, and the output is the same bytes as a single-process build.
This process renders too rather than wait for the workers: on two cores, waiting for and
receiving the results of two workers cost about a tenth of the render phase's time.

Each worker remembers the cards it rendered (``render._remember_cards``), and pages of one
template list the same items (a tag page and a month page show the same cards), so the
workers share the pages out by template as far as they can: one takes chunks from the front
of the pages grouped by template, the others from the back (``_Ends``); only the group where
they meet is split between them.
"""

from __future__ import annotations

import multiprocessing
from dataclasses import dataclass
from typing import Any, Sequence

import jinja2

from archiver.build.incremental import Fingerprints
from archiver.build.keptcards import KeptCards
from archiver.build.loader import worker_count
from archiver.build.output import OutputWriter, write_if_changed
from archiver.build.render import Page, load_templates, render_page
from archiver.build.result import Reporter
from archiver.errors import ArchiverError

MIN_PAGES_PER_WORKER = 300  # below this a process pool costs more than it saves
CHUNK_PAGES = 64

# What forked workers need, set by the parent just before it forks (inherited, not pickled).
_shared: dict[str, Any] = {}


Planned = list[tuple[Page, "str | None"]]  # pages to render, with their input fingerprints


def plan_pages(pages: Sequence[Page], writer: OutputWriter,
               fingerprints: Fingerprints | None) -> Planned:
    """The pages whose inputs changed since the last build; the others are kept as they are.

    Only the pages to render have their paths checked (``writer.check`` refuses unsafe ones
    before any worker writes): a kept page is not written, and ``keep`` keeps only a path
    that the manifest lists with the same inputs, i.e. one a previous build checked and wrote.
    """
    todo: Planned = []
    keep, check = writer.keep, writer.check
    inputs_of = fingerprints.page if fingerprints is not None else None
    for page in pages:
        inputs = inputs_of(page) if inputs_of is not None else None
        if not keep(page.path, inputs):
            check(page.path)
            todo.append((page, inputs))
    return todo


def render_planned(env: jinja2.Environment, common: dict[str, Any], todo: Planned,
                   writer: OutputWriter, jobs: int | None = None,
                   fingerprints: Fingerprints | None = None,
                   report: Reporter | None = None) -> int:
    """Render and write the planned pages; returns how many processes did it.

    ``fingerprints``: the pages planned without their input fingerprint (a first build, where
    nothing can be kept) get it here, where the rendering is spread over the cores.
    ``report(done, total)``: pages rendered (or, with workers, taken) so far, every chunk.
    """
    workers = worker_count(jobs, len(todo), MIN_PAGES_PER_WORKER)
    kept: KeptCards | None = getattr(env, "kept_cards", None)
    if workers == 1:
        for done, (page, inputs) in enumerate(todo, 1):
            writer.write(page.path, render_page(env, page, common),
                         inputs=_inputs(page, inputs, fingerprints))
            if report is not None and (done % CHUNK_PAGES == 0 or done == len(todo)):
                report(done, len(todo))
        if kept is not None:
            kept.save_as_first_of(1)
        return 1
    load_templates(env, sorted({page.template for page, _ in todo}))  # once here, before the fork
    context = multiprocessing.get_context("fork")
    order = by_template(todo)
    chunks = [order[start:start + CHUNK_PAGES] for start in range(0, len(order), CHUNK_PAGES)]
    # this process is worker 0 and takes from the front; the forked ones are 1, 2 ...
    ends = _Ends(context.Array("i", [0, len(chunks)]), context.Value("i", 1), len(chunks))
    _shared.update(env=env, common=common, todo=todo, output=str(writer.output), old=writer.old,
                   finished=writer.finished, fingerprints=fingerprints, chunks=chunks, ends=ends,
                   worker=0)
    try:
        with context.Pool(workers - 1, initializer=_set_ends, initargs=(ends,)) as pool:
            # one task per chunk: each takes the next chunk from its worker's end
            theirs = pool.imap_unordered(_render_next_chunk, range(len(chunks)))
            results: list[Row] = []
            while (taken := ends.take(0)) is not None:
                results += _render_chunk(chunks[taken])
                if report is not None:
                    report(min(ends.taken() * CHUNK_PAGES, len(todo)), len(todo))
            if kept is not None:  # while the workers render their last chunks
                kept.save_as_first_of(workers)
            for chunk in theirs:
                results += chunk
            if report is not None:
                report(len(todo), len(todo))
            results.sort()
    finally:
        _shared.clear()
    for index, mark, written, inputs, error in results:
        if error is not None:
            raise ArchiverError(error[0], where=error[1], hint=error[2])
        writer.record(todo[index][0].path, mark, written, inputs)
    return workers


def _inputs(page: Page, planned: str | None, fingerprints: Fingerprints | None) -> str | None:
    """The page's input fingerprint: as planned, or made now when the plan left it out."""
    if planned is not None or fingerprints is None:
        return planned
    return fingerprints.page(page)


def by_template(todo: Planned) -> list[int]:
    """The indexes of the pages grouped by template: the largest group first, then the others
    by template name (the order the workers take them in; see ``_Ends``)."""
    groups: dict[str, list[int]] = {}
    for index, (page, _) in enumerate(todo):
        groups.setdefault(page.template, []).append(index)
    largest = max(groups, key=lambda name: (len(groups[name]), name))
    return [index for name in sorted(groups, key=lambda name: (name != largest, name))
            for index in groups[name]]


@dataclass
class _Ends:
    """The chunks not taken yet, ``chunks[front:back]``, shared by the workers.

    Worker 0 (the build's own process) takes from the front (the largest group of pages,
    usually the items' own pages), the forked ones from the back (the lists, which show the
    same cards again and again), so each group of pages stays with one worker until they meet.
    """

    left: Any  # multiprocessing Array("i", [front, back]) with its lock
    workers: Any  # multiprocessing Value("i"): the number the next worker started takes
    chunks: int  # how many there are in all

    def take(self, worker: int) -> int | None:
        """The index of the next chunk for ``worker`` to render, or None when none is left."""
        with self.left.get_lock():
            front, back = self.left[0], self.left[1]
            if front >= back:
                return None
            if worker == 0:
                self.left[0] = front + 1
                return front
            self.left[1] = back - 1
            return back - 1

    def taken(self) -> int:
        """How many chunks the workers have taken so far."""
        front, back = self.left[0], self.left[1]
        return front + self.chunks - back if front < back else self.chunks


def _set_ends(ends: _Ends) -> None:
    """Pool initializer: the shared chunk ends, and this worker's number."""
    with ends.workers.get_lock():
        _shared["worker"] = ends.workers.value
        ends.workers.value += 1
    _shared["ends"] = ends


Row = tuple[int, str, bool, "str | None", "tuple[str, str, str] | None"]


def _render_next_chunk(_: int) -> list[Row]:
    """In a worker: render the next chunk from this worker's end (see ``_Ends``); once none
    is left, save the cards this worker used (``keptcards``), when the build keeps them."""
    ends: _Ends = _shared["ends"]
    taken = ends.take(_shared["worker"])
    rows = [] if taken is None else _render_chunk(_shared["chunks"][taken])
    if ends.taken() == ends.chunks:
        _save_cards()
    return rows


def _save_cards() -> None:
    """In a worker: save the cards it used, once (see ``_render_next_chunk``)."""
    kept: KeptCards | None = getattr(_shared["env"], "kept_cards", None)
    if kept is not None and kept.used and not _shared.get("cards_saved"):
        kept.save(_shared["worker"])
        _shared["cards_saved"] = True


def _render_chunk(indexes: Sequence[int]) -> list[Row]:
    """In a worker: render and write some pages; (index, file fingerprint, written, input
    fingerprint, error) each."""
    env, common, todo = _shared["env"], _shared["common"], _shared["todo"]
    output, old, fingerprints = _shared["output"], _shared["old"], _shared["fingerprints"]
    made_dirs: set[str] = _shared.setdefault("made_dirs", set())
    rows: list[Row] = []
    for index in indexes:
        page, planned = todo[index]
        try:
            raw = render_page(env, page, common).encode("utf-8")
        except ArchiverError as exc:
            rows.append((index, "", False, None, (exc.message, exc.where, exc.hint)))
            continue
        mark, written = write_if_changed(output, page.path, raw, old.get(page.path), made_dirs,
                                         _shared["finished"])
        rows.append((index, mark, written, _inputs(page, planned, fingerprints), None))
    return rows
