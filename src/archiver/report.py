"""Terminal output: progress bars on a terminal, one-screen summaries at the end (rich).

rich is imported when first needed (a progress bar, a table, a styled line): a build run by
a script or a CI job needs none of it, and starts ~30 ms sooner (a tenth of a build with
nothing to do). Its summary is plain lines, ``print_line``.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from functools import lru_cache
from typing import TYPE_CHECKING, Callable, Iterator

import click

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress

    from archiver.build.pipeline import BuildResult
    from archiver.importing import ImportReport

MAX_LISTED_SKIPS = 20


@lru_cache(maxsize=None)
def console() -> "Console":
    """The rich console, for progress bars, tables and lines styled with rich markup."""
    from rich.console import Console

    return Console(highlight=False)


def on_terminal() -> bool:
    """Whether output goes to a terminal (progress bars are shown only there)."""
    return sys.stdout.isatty()


def print_line(text: str) -> None:
    """Print a line that holds outside text (a path, a warning, a reason) as it is: "[draft]"
    or ":smile:" in a file name is no markup, and the line is not cut at the terminal's width
    (in a pipe or a CI log, 80 columns, inside words) but left whole, one line per message.
    Terminal escape codes are dropped where the output is no terminal (click.echo)."""
    click.echo(text)


@contextmanager
def import_progress(label: str) -> Iterator[Callable[[int, int | None], None]]:
    """A progress bar while items stream in (silent when not on a terminal)."""
    if not on_terminal():
        yield lambda done, total: None
        return
    with _progress_bar() as progress:
        task = progress.add_task(label, total=None)

        def update(done: int, total: int | None) -> None:
            if done % 50 == 0 or (total and done == total):
                progress.update(task, completed=done, total=total)

        yield update


def _progress_bar() -> "Progress":
    """A spinner, the task's name, a bar, done/total and the time taken; gone when it ends."""
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn,
                               TimeElapsedColumn)

    return Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                    MofNCompleteColumn(), TimeElapsedColumn(), console=console(), transient=True)


BUILD_PHASES = {
    "clean": "Removing the last build", "check": "Looking for changes", "read": "Reading files",
    "index": "Indexing", "pages": "Laying out pages", "plan": "Finding changed pages",
    "render": "Rendering pages", "feeds": "Writing feeds", "assets": "Copying media",
    "search": "Indexing for search", "finish": "Saving the cache",
}


@contextmanager
def build_progress() -> Iterator[Callable[[str, int, int | None], None] | None]:
    """What the build is doing, with a bar for reading and rendering (nothing when not on a
    terminal, and gone when the build ends: the summary follows)."""
    if not on_terminal():
        yield None
        return
    with _progress_bar() as progress:
        shown = {"phase": "", "task": progress.add_task("Building", total=None)}

        def update(phase: str, done: int, total: int | None) -> None:
            if phase != shown["phase"]:  # a task of its own: a phase may have no total
                progress.remove_task(shown["task"])
                shown["phase"] = phase
                shown["task"] = progress.add_task(BUILD_PHASES.get(phase, phase), total=total)
            progress.update(shown["task"], completed=done, total=total)

        yield update


def print_import_summary(report: "ImportReport") -> None:
    from rich.table import Table

    from archiver.store import Outcome

    table = Table(title="Import summary", show_header=False, box=None)
    for outcome in Outcome:
        table.add_row(outcome.value, str(report.counts.get(outcome, 0)))
    table.add_row("skipped", str(len(report.skipped)))
    console().print(table)
    for where, reason in report.skipped[:MAX_LISTED_SKIPS]:
        print_line(f"  skipped {where}: {reason}")
    if len(report.skipped) > MAX_LISTED_SKIPS:
        console().print(f"  ... and {len(report.skipped) - MAX_LISTED_SKIPS} more skipped")
    for note in report.notes[:MAX_LISTED_SKIPS]:
        print_line(f"  note: {note}")
    if len(report.notes) > MAX_LISTED_SKIPS:
        console().print(f"  ... and {len(report.notes) - MAX_LISTED_SKIPS} more notes")


def print_build_summary(result: "BuildResult", profile: bool = False) -> None:
    print_line(f"Built {result.pages} pages ({result.written} written, "
               f"{result.unchanged} unchanged) from {result.entries} items "
               f"into {result.output} in {result.seconds:.2f}s.")
    for warning in result.warnings:
        print_line(f"  warning: {warning}")
    if profile:
        from rich.table import Table

        table = Table(title="Build profile", show_header=True)
        table.add_column("phase")
        table.add_column("seconds", justify="right")
        table.add_column("CPU seconds", justify="right")  # worker processes included
        for phase, seconds in result.phases.items():
            table.add_row(phase, f"{seconds:.3f}", f"{result.phase_cpu.get(phase, 0.0):.3f}")
        table.add_row("total", f"{result.seconds:.3f}", f"{sum(result.phase_cpu.values()):.3f}")
        console().print(table)
