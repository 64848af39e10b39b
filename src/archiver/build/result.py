"""What a build did (BuildResult) and the timing of its phases (``phase``)."""

from __future__ import annotations

import os
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator


@dataclass
class BuildResult:
    output: Path
    entries: int = 0
    pages: int = 0
    written: int = 0
    unchanged: int = 0
    rendered: int = 0  # pages rendered (the others' inputs were unchanged)
    removed: int = 0
    files: int = 0  # files of the output folder this build wrote or kept
    seconds: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)  # wall seconds
    phase_cpu: dict[str, float] = field(default_factory=dict)  # CPU seconds, workers included
    warnings: list[str] = field(default_factory=list)


def cpu_seconds() -> float:
    """User + system time of this process and of the worker processes it has reaped."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


@contextmanager
def phase(result: BuildResult, name: str) -> Iterator[None]:
    start, start_cpu = time.perf_counter(), cpu_seconds()
    yield
    result.phases[name] = result.phases.get(name, 0.0) + time.perf_counter() - start
    result.phase_cpu[name] = result.phase_cpu.get(name, 0.0) + cpu_seconds() - start_cpu
