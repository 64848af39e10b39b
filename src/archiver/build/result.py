"""What a build did (BuildResult), the timing of its phases (``phase``) and its progress."""

from __future__ import annotations

import os
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator

if TYPE_CHECKING:  # output.py does not need this module
    from archiver.build.output import OutputWriter

# told each phase as it starts (done 0, total None) and how far the long ones got:
# (phase, done, total); the command line shows it as a progress bar on a terminal
Progress = Callable[[str, int, "int | None"], None]
Reporter = Callable[[int, int], None]  # within one phase: (done, total)


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
    page_warnings: list[str] = field(default_factory=list)  # those of ``warnings`` about content
    progress: Progress | None = field(default=None, repr=False, compare=False)

    def report(self, phase: str, done: int, total: int | None = None) -> None:
        """Tell whoever follows the build how far ``phase`` got."""
        if self.progress is not None:
            self.progress(phase, done, total)


def close_result(result: BuildResult, writer: OutputWriter, page_warnings: list[str],
                 static_warnings: list[str], base_url: str) -> None:
    """Note in ``result`` the files ``writer`` wrote and kept, and the build's warnings, in the
    one order every build gives them: those about content (``page_warnings``: the index's,
    the media's; a build of static files only repeats the last build's), those about the
    output folder, then those about the site's static/ folder."""
    result.files = len(writer.new)
    result.written, result.unchanged = writer.written, writer.unchanged
    result.page_warnings = page_warnings
    result.warnings = [*page_warnings, *_output_warnings(result.output, writer.unrecorded, base_url),
                       *static_warnings]


def _output_warnings(out: Path, unrecorded: list[str], base_url: str) -> list[str]:
    """What a build says about its output folder: files no build made (``unrecorded``, see
    ``OutputWriter.finish``), and links that need ``base_url``."""
    warnings = []
    if unrecorded:
        warnings.append(
            f"{out} holds {len(unrecorded)} file(s) that no build of this site recorded "
            f"writing (e.g. {', '.join(unrecorded[:3])}): left from an older build or "
            "another program, they stay published; delete those you do not want, or build into "
            "an empty folder")
    if not base_url:
        warnings.append("site.yaml has no base_url: feed.xml and sitemap.xml use relative "
                        "URLs, and 404.html links from the host's root (set base_url when "
                        "the site lives in a sub-folder, as a GitHub Pages project site does)")
    return warnings


def cpu_seconds() -> float:
    """User + system time of this process and of the worker processes it has reaped."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


@contextmanager
def phase(result: BuildResult, name: str) -> Iterator[None]:
    start, start_cpu = time.perf_counter(), cpu_seconds()
    result.report(name, 0)
    yield
    result.phases[name] = result.phases.get(name, 0.0) + time.perf_counter() - start
    result.phase_cpu[name] = result.phase_cpu.get(name, 0.0) + cpu_seconds() - start_cpu
