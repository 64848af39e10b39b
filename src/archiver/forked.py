"""Forked helper processes: start one, exchange pickled messages with it through pipes.

Two parts of an import run in helper processes so that they use the second core: the store's
file writer (filewriter.py) and the Twitter importer's converter (importers/producer.py); a
build works out its word clouds and statistics in one (``Call``) while it makes the other pages.
They are all started the same way: ``os.fork`` (Linux only: fork is missing on Windows and unsafe
with some macOS system libraries; elsewhere the work stays in the importing process), the
helper ignores Ctrl-C (the importing process stops it cleanly) and dies with its parent
(``PR_SET_PDEATHSIG``), and it leaves with ``os._exit``, never running the parent's cleanup.

Messages are length-prefixed pickles: 8 bytes of length, then the payload. A message cut in
two (a Ctrl-C between two writes of it) makes the reader take the next one for its rest and
wait forever: a process that may be interrupted writes it inside ``interrupts_held()``.
"""

from __future__ import annotations

import ctypes  # imported here, never in a helper: a thread may hold the import lock at fork
import gc
import os
import pickle
import select
import signal
import sys
from contextlib import contextmanager
from typing import IO, Callable, Generic, Iterable, Iterator, TypeVar

AVAILABLE = sys.platform.startswith("linux")
PIPE_BYTES = 1 << 20
HEADER = 8
END = object()  # what ``receive`` returns when the other side closed the pipe
T = TypeVar("T")


def start(serve: Callable[[], None], *, close_in_child: Iterable[int] = (),
          close_in_parent: Iterable[int] = ()) -> int:
    """Run ``serve()`` in a forked process; returns its pid (in the parent only).

    The helper's exit code is 0 when ``serve`` returns, 1 when it raises.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the helper: never returns
        code = 0
        try:
            for fd in close_in_child:
                os.close(fd)
            gc.freeze()  # the parent's objects: never scanned here (and their pages not copied)
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C: the parent stops it
            _die_with_parent()
            serve()
        except BaseException:  # noqa: BLE001 - nothing may escape into the parent's code
            code = 1
        os._exit(code)
    for fd in close_in_parent:
        os.close(fd)
    return pid


class Call(Generic[T]):
    """``work()`` computed in a forked helper while this process goes on; ``result()`` gives it.

    The helper sends its pickled result and leaves. When it cannot (``work`` raised, its
    result does not pickle, it was killed) or where there is no fork, ``result()`` runs
    ``work()`` here instead: the result, or the error, is then exactly the one-process one.
    ``work`` must only compute: what it changes in its (copied) memory stays in the helper.
    ``in_helper=False``: no helper (the work is too small to pay for one); ``result()`` does it.
    """

    def __init__(self, work: Callable[[], T], in_helper: bool = True) -> None:
        self._work = work
        self._pid = 0
        self._stream: IO[bytes] | None = None
        if AVAILABLE and in_helper:
            read_end, write_end = os.pipe()
            self._pid = start(lambda: send(write_end, work()), close_in_child=(read_end,),
                              close_in_parent=(write_end,))
            self._stream = os.fdopen(read_end, "rb")

    @property
    def in_helper(self) -> bool:
        """Whether a helper is working on it (else ``result()`` will)."""
        return self._pid != 0

    def ready(self) -> bool:
        """Whether ``result()`` would not wait for the helper (its answer, or its end, is in
        the pipe); True without a helper."""
        return self._stream is None or bool(select.select([self._stream], [], [], 0)[0])

    def result(self) -> T:
        message: object = END
        if self._stream is not None:
            with self._stream:
                message = receive(self._stream)
            self._stream = None
            os.waitpid(self._pid, 0)
        return self._work() if message is END else message  # type: ignore[return-value]

    def cancel(self) -> None:
        """Stop the helper if its result was not taken (the caller failed meanwhile)."""
        if self._stream is not None:
            self._stream.close()
            self._stream = None
            stop(self._pid)


def frame(message: object) -> bytes:
    """``message`` as one length-prefixed pickle."""
    payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return len(payload).to_bytes(HEADER, "little") + payload


def send(fd: int, message: object) -> None:
    """Write one message to a blocking pipe."""
    view = memoryview(frame(message))
    while view:
        view = view[os.write(fd, view):]


@contextmanager
def interrupts_held() -> Iterator[None]:
    """Hold Ctrl-C back until the block ends (KeyboardInterrupt is raised then), so that what
    it writes is never cut in two. It blocks SIGINT in this thread only: with other threads,
    Python may still raise KeyboardInterrupt inside (the writer must cope, see filewriter.py)."""
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def receive(stream: IO[bytes]) -> object:
    """The next message from a buffered binary stream; ``END`` when the writer closed it
    (or died half-way through a message)."""
    header = stream.read(HEADER)
    if len(header) < HEADER:
        return END
    size = int.from_bytes(header, "little")
    payload = stream.read(size)
    if len(payload) < size:
        return END
    return pickle.loads(payload)


def widen(pipe: int) -> None:
    """Let the pipe hold ~PIPE_BYTES (Linux's default 64 KB is little): a burst of quick
    items, or a slow moment of the disk, then does not stop the other process."""
    import fcntl  # Unix only, like the helpers

    try:
        fcntl.fcntl(pipe, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    except (AttributeError, OSError):
        pass  # an older kernel or a lower /proc/sys/fs/pipe-max-size: the default size works


def stop(pid: int) -> None:
    """Kill a helper that is still running and reap it."""
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass  # gone already (reaped by a SIGCHLD handler)


def _die_with_parent() -> None:
    """Ask Linux to SIGKILL this process when its parent dies (kill -9 of the import)."""
    pr_set_pdeathsig = 1
    try:
        ctypes.CDLL(None).prctl(pr_set_pdeathsig, signal.SIGKILL)  # libc's, already loaded
    except (AttributeError, OSError):
        return  # no prctl (another libc): the helper stops at the end of its pipe instead
    if os.getppid() == 1:  # the parent died before prctl took effect
        os._exit(1)
