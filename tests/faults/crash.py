"""Kill a forked copy of the test process with SIGKILL at chosen points of its work.

``run_killed(work, KillPlan(at=5, mode="write"))`` forks; the child counts the files it opens
for writing (``mode="write"``: it dies half-way through writing the 5th one, leaving half a
file) or its ``os.replace`` calls (``mode="replace"``: it dies with the 5th temporary file
complete but not yet renamed into place), then SIGKILLs itself: no ``finally``, no ``atexit``,
exactly like ``kill -9``. ``run_killed(work, delay=0.3)`` kills the child from outside after
0.3 s instead. A plan with ``at=None`` only counts, so a test can spread its kill points over
the whole run.
"""

from __future__ import annotations

import builtins
import io
import os
import signal
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

KILLED, FINISHED = "killed", "finished"


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


class _DyingFile:
    """A file object that writes half of the first chunk it is given, then kills the process."""

    def __init__(self, handle: Any) -> None:
        self._handle = handle

    def write(self, data: Any) -> int:
        self._handle.write(data[: len(data) // 2])
        self._handle.flush()
        _die()
        return 0

    def writelines(self, lines: Any) -> None:
        self.write(b"".join(lines) if lines and isinstance(lines[0], bytes) else "".join(lines))

    def fileno(self) -> int:  # shutil.copyfile uses sendfile on the descriptor
        _die()
        return -1

    def __enter__(self) -> "_DyingFile":
        return self

    def __exit__(self, *exc: object) -> None:
        self._handle.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._handle, name)


@dataclass
class KillPlan:
    """Where the child dies: the ``at``-th write-open or replace (None: count only)."""

    at: int | None = None
    mode: str = "write"  # "write" | "replace"
    count_file: Path | None = None  # the child writes its event count here when it finishes

    def install(self) -> Callable[[], int]:
        events = [0]
        real_open, real_replace = builtins.open, os.replace

        def writing(mode: str) -> bool:
            return any(flag in mode for flag in "wax") or "+" in mode

        def counted_open(opener: Callable[..., Any]) -> Callable[..., Any]:
            def open_(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
                handle = opener(file, mode, *args, **kwargs)
                if self.mode == "write" and writing(mode):
                    events[0] += 1
                    if events[0] == self.at:
                        return _DyingFile(handle)
                return handle
            return open_

        def replace(src: Any, dst: Any, **kwargs: Any) -> None:
            if self.mode == "replace":
                events[0] += 1
                if events[0] == self.at:
                    _die()
            real_replace(src, dst, **kwargs)

        # os.fdopen and pathlib call io.open, so this sees every file opened for writing
        builtins.open = io.open = counted_open(real_open)  # type: ignore[assignment]
        os.replace = replace  # type: ignore[assignment]
        return lambda: events[0]


def run_killed(work: Callable[[], object], plan: KillPlan | None = None,
               delay: float | None = None) -> str:
    """Run ``work`` in a forked child; KILLED if it died by SIGKILL, FINISHED if it completed."""
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 0
        try:
            count = plan.install() if plan else (lambda: 0)
            work()
            if plan and plan.count_file:
                plan.count_file.write_text(str(count()))
        except BaseException:  # noqa: BLE001 - report anything to the parent, then leave
            traceback.print_exc()
            code = 3
        os._exit(code)
    if delay is not None:
        time.sleep(delay)
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL:
        return KILLED
    if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0:
        return FINISHED
    raise AssertionError(f"the child failed (wait status {status}); see its traceback above")


def count_events(work: Callable[[], object], mode: str, scratch: Path) -> int:
    """How many write-opens (or replaces) a full run of ``work`` makes."""
    count_file = scratch / f"events-{mode}.txt"
    assert run_killed(work, KillPlan(at=None, mode=mode, count_file=count_file)) == FINISHED
    return int(count_file.read_text())


def spread(total: int, points: int) -> list[int]:
    """``points`` kill points from the first event to the last, evenly apart."""
    if total <= points:
        return list(range(1, total + 1))
    return sorted({1 + round(i * (total - 1) / (points - 1)) for i in range(points)})


def timed(work: Callable[[], object]) -> float:
    """Seconds a full run of ``work`` takes in a child."""
    start = time.perf_counter()
    assert run_killed(work) == FINISHED
    return time.perf_counter() - start
