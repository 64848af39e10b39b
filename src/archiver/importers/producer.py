"""An importer's producing half in a forked process, so that it uses the second core.

A large import is two chains of Python work on one core: reading the source (parsing and
converting its records) and storing the results (front matter, paths, the index). A
``ChildProducer`` runs the first in a forked helper (forked.py) while the importing process
does the second: the helper sends what it produces, in batches of pickles, and the importing
process yields the same items in the same order as if it had produced them itself.

* It starts at once, when created: it can work ahead while the importing process does
  something else first (the Twitter importer validates the whole archive before it writes).
  A full pipe does not stop it at once: up to ``AHEAD_BYTES`` wait in its memory.
* ``context.skip`` and ``context.note`` in the helper land in the importing process's
  context when the helper is done; an error there (``--strict``, a damaged file) is raised
  here after the items produced before it, exactly where the same code would raise in-process.
* Dropping the iteration (an error, Ctrl-C) kills the helper; it dies with its parent too.

The items must be picklable (no callables).
"""

from __future__ import annotations

import os
import select
import traceback
from collections import deque
from typing import Any, Callable, Iterable, Iterator

from archiver import forked
from archiver.errors import ArchiverError
from archiver.importers import ImportContext

AVAILABLE = forked.AVAILABLE
BATCH = 128  # items per message
AHEAD_BYTES = 32 * 1024**2  # produced items the helper keeps while the pipe is full
_ITEMS, _DONE = "items", "done"


class ChildProducer:
    """Iterates over ``produce(context)`` run in a helper process."""

    def __init__(self, produce: Callable[[ImportContext], Iterable[Any]],
                 context: ImportContext) -> None:
        self._context = context
        read_end, write_end = os.pipe()
        forked.widen(write_end)
        self._pid = forked.start(lambda: _serve(produce, _child_context(context), write_end),
                                 close_in_child=(read_end,), close_in_parent=(write_end,))
        self._stream = os.fdopen(read_end, "rb", buffering=forked.PIPE_BYTES)

    def __iter__(self) -> Iterator[Any]:
        try:
            while True:
                message = forked.receive(self._stream)
                if message is forked.END:
                    raise ArchiverError("the converting process stopped unexpectedly",
                                        hint="run the import again")
                kind, *content = message
                if kind == _ITEMS:
                    yield from content[0]
                    continue
                skipped, notes, error = content
                self._context.skipped.extend(skipped)
                self._context.notes.extend(notes)
                if isinstance(error, BaseException):
                    raise error
                if error:
                    raise RuntimeError(f"the converting process failed:\n{error}")
                return
        finally:
            self.close()

    def close(self) -> None:
        """Stop the helper if it still runs (the iteration was dropped) and reap it."""
        if self._pid:
            pid, self._pid = self._pid, 0
            self._stream.close()
            forked.stop(pid)


def _child_context(context: ImportContext) -> ImportContext:
    return ImportContext(timezone=context.timezone, strict=context.strict,
                         site_root=context.site_root, total=context.total)


def _serve(produce: Callable[[ImportContext], Iterable[Any]], context: ImportContext,
           pipe: int) -> None:
    sender = _Sender(pipe)
    batch: list[Any] = []
    error: object = None
    try:
        for item in produce(context):
            batch.append(item)
            if len(batch) >= BATCH:
                sender.send((_ITEMS, batch))
                batch = []
    except ArchiverError as exc:
        error = exc
    except Exception:  # noqa: BLE001 - a bug: its traceback goes to the importing process
        error = traceback.format_exc()
    if batch:
        sender.send((_ITEMS, batch))
    sender.send((_DONE, context.skipped, context.notes, error))
    sender.flush(0)


class _Sender:
    """Writes messages to a pipe without waiting while less than AHEAD_BYTES are queued."""

    def __init__(self, pipe: int) -> None:
        self._pipe = pipe
        os.set_blocking(pipe, False)
        self._queue: deque[memoryview] = deque()
        self._queued = 0

    def send(self, message: object) -> None:
        data = memoryview(forked.frame(message))
        self._queue.append(data)
        self._queued += len(data)
        self.flush(AHEAD_BYTES)

    def flush(self, keep: int) -> None:
        """Write what the pipe takes; wait for it while more than ``keep`` bytes are queued."""
        while self._queue:
            try:
                written = os.write(self._pipe, self._queue[0])
            except BlockingIOError:
                if self._queued <= keep:
                    return
                select.select([], [self._pipe], [])
                continue
            self._queued -= written
            if written == len(self._queue[0]):
                self._queue.popleft()
            else:
                self._queue[0] = self._queue[0][written:]
