"""Creates the store's new files in a helper process, so that writing overlaps parsing.

An import is two kinds of work: Python parsing (one core, the GIL) and the kernel creating
files (create + write + close: about half of a large first import on ext4). A thread cannot
overlap them well: it needs the GIL back after every system call, and a busy parser gives it
up only every few milliseconds. A forked process has its own interpreter: the store sends it
batches of (path, bytes) through a pipe and it creates them in order with ``create_new``.

Crash safety is the journal's (storejournal.py): the helper logs each batch in the journal
before it creates its files (the store's ``drain`` before saving its index waits for that).
The helper dies with its parent (``PR_SET_PDEATHSIG``), so a killed import leaves at most a
file cut short, which the next run removes. It is used on Linux only (fork is missing on
Windows and unsafe with some macOS system libraries); elsewhere the store's own process writes
the files, the same way, without the overlap.
Failures (disk full, a file that appeared meanwhile) come back through a second pipe and are
raised by the store's next ``submit``, ``drain`` or ``close``.
A Ctrl-C waits until the message being sent is whole in the pipe (``forked.interrupts_held``);
then the store's exit drains the helper as usual. Should an exception still cut a message to
or from the helper in two (another thread took the signal, a second Ctrl-C while waiting for
the helper's answer), the pipes no longer parse: the helper would read the next message as the
rest of the cut one and never answer. ``close`` then kills the helper instead (``cut_off``),
and the store leaves the journal for the next run to replay, exactly as after a kill.
"""

from __future__ import annotations

import json
import os
import select
from pathlib import Path

from archiver import forked
from archiver.errors import ArchiverError
from archiver.safewrite import create_new, write_error
from archiver.storejournal import KEPT, NEW, Journal

BATCH = 64  # files per message
HELPER = forked.AVAILABLE  # elsewhere the files are written in the store's own process
_SYNC = "sync"


class FileWriter:
    """Sends new files to the helper process; ``drain`` waits until they are all written."""

    def __init__(self, journal: Journal, content: Path) -> None:
        self._journal = journal
        self._content = str(content)
        self._batch: list[tuple[str, str, bytes, str]] = []
        self.pending: set[str] = set()  # content-relative paths sent since the last drain
        self._pid = 0
        self._to_child = -1
        self._from_child = -1
        self._replies = b""
        self.cut_off = False  # True while a message is half sent or read (see the docstring)
        self._failed = False  # it reported a failure: it answers nothing more, syncs included

    def submit(self, key: str, rel: str, data: bytes, digest: str) -> None:
        self._batch.append((key, rel, data, digest))
        self.pending.add(rel)
        if len(self._batch) >= BATCH:
            self._send_batch()

    def drain(self) -> None:
        """Wait until every submitted file is written; raise the first failure."""
        self._send_batch()
        if self._pid and not self._failed:  # else the failure was raised already
            self._send(_SYNC)
            while not self._read_replies(block=True):
                pass
        self.pending.clear()

    def close(self) -> None:
        """Wait until every file is written and end the helper; if a message was cut off,
        kill it at once (``cut_off`` stays True: what it wrote is in the journal only)."""
        try:
            if not self.cut_off:
                self.drain()
        finally:
            if self._pid:
                pid, self._pid = self._pid, 0
                os.close(self._to_child)
                os.close(self._from_child)
                if self.cut_off:
                    forked.stop(pid)
                else:
                    os.waitpid(pid, 0)  # it writes what is still in the pipe, then leaves

    # -- the store's side --------------------------------------------------------------
    def _send_batch(self) -> None:
        if not self._batch:
            return
        if not HELPER:  # the same work in this process
            batch, self._batch = self._batch, []
            failure = _create_all(batch, self._content, self._journal)
            if failure is not None:
                raise _failure(failure)
            return
        if not self._pid:
            self._start()
        self._send()
        self._read_replies(block=False)

    def _send(self, message: object = None) -> None:
        """Send a message to the helper; None: the batch (taken here, so a Ctrl-C cannot drop
        it between taking and sending: it waits until the message is whole in the pipe)."""
        with forked.interrupts_held():  # 3 us a message: nothing beside 64 files
            self.cut_off = True  # set before, cleared after: an exception in between leaves it
            if message is None:
                message, self._batch = self._batch, []
            forked.send(self._to_child, message)
            self.cut_off = False

    def _read_replies(self, *, block: bool) -> bool:
        """Read what the helper said; True once it acknowledged a sync. Raises its failure."""
        while b"\n" not in self._replies:
            if not block and not select.select([self._from_child], [], [], 0)[0]:
                return False
            self.cut_off = True  # a Ctrl-C between the read and the += would lose a reply
            chunk = os.read(self._from_child, 65536)
            if not chunk:
                raise ArchiverError("the file writer stopped unexpectedly", where=self._content,
                                    hint="run the import again")
            self._replies += chunk
            self.cut_off = False
        line, self._replies = self._replies.split(b"\n", 1)
        reply = json.loads(line)
        if reply[0] == "ok":
            return True
        self._failed = True
        raise _failure(reply)

    def _start(self) -> None:
        requests_in, requests_out = os.pipe()  # store -> helper
        replies_in, replies_out = os.pipe()  # helper -> store
        forked.widen(requests_out)
        self._pid = forked.start(
            lambda: _serve(requests_in, replies_out, self._content, self._journal),
            close_in_child=(requests_out, replies_in), close_in_parent=(requests_in, replies_out))
        self._to_child, self._from_child = requests_out, replies_in


def _failure(reply: list) -> ArchiverError:
    _kind, path, code, message = reply
    if code:
        return write_error(Path(path), OSError(code, message))
    return ArchiverError(message, where=path, hint="run the import again")


# -- the helper's side -------------------------------------------------------------------
def _serve(pipe_in: int, pipe_out: int, content: str, journal: Journal) -> None:
    failed = False
    with os.fdopen(pipe_in, "rb") as messages:
        while True:
            message = forked.receive(messages)
            if message is forked.END:
                return  # the store closed the pipe (or died)
            if message == _SYNC:
                if not failed:
                    os.write(pipe_out, b'["ok"]\n')
                continue
            if failed:
                continue
            reply = _create_all(message, content, journal)
            if reply is not None:
                failed = True
                os.write(pipe_out, json.dumps(reply).encode() + b"\n")


def _create_all(batch: list[tuple[str, str, bytes, str]], content: str,
                journal: Journal) -> list | None:
    """Log a batch (key, path, bytes, hash) in the journal, then create its files; the failure
    as a reply, or None."""
    try:
        journal.log_many((NEW, key, rel, digest, len(data)) for key, rel, data, digest in batch)
    except ArchiverError as exc:
        return _error_reply(str(journal.path), exc.__cause__ or exc)
    for key, rel, data, _digest in batch:
        target = os.path.join(content, rel)
        try:
            created = create_new(target, data)
        except OSError as exc:
            return _error_reply(target, exc)
        if not created:  # appeared since the store listed the folder: not ours
            journal.log(KEPT, key, rel, "", 0)
            return ["error", target, 0, "a file appeared while importing"]
    return None


def _error_reply(path: str, exc: BaseException) -> list:
    if isinstance(exc, OSError):
        return ["error", path, exc.errno or 0, exc.strerror or str(exc)]
    return ["error", path, 0, str(exc)]
