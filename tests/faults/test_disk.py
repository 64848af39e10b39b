"""Disk full and read-only folders: one clear line, exit 1, nothing half-written that stays.

Real file systems where the machine allows it (a 256 KB tmpfs that fills up; a read-only
bind mount, or ``chattr +i`` — tests run as root, for whom ``chmod`` blocks nothing); and
simulated ENOSPC / EROFS (every write fails) everywhere, so the checks also run in CI
containers without mount rights.
"""

from __future__ import annotations

import builtins
import errno
import io
import os
import shutil
import subprocess
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import pytest

from archiver.build.pipeline import build
from archiver.config import load_config
from archiver.errors import ArchiverError
from archiver.importing import run_import
from archiver.scaffold import create_site
from faults.items import ListImporter, sample_items
from conftest import files_under
from security.scan import temp_files
from sitegen import POST, small_site, write

NO_SPACE = "free some disk space and run the command again"
READ_ONLY = "the folder is read-only: make it writable or choose another folder"


def fast_site(site: Path) -> Path:
    """The small test site (as the ``site`` fixture makes it) without the search index."""
    if not (site / "site.yaml").exists():
        create_site(site, title="Test site", author="Tester")
    small_site(site)
    with open(site / "site.yaml", "a", encoding="utf-8") as config:
        config.write("search: false\n")
    return site


def change(site: Path) -> None:
    write(site, "posts/2012/new.md", POST.format(title="New", date="2012-01-01T00:00:00+00:00",
                                                 tags="new", sid="n1", extra="", body="New post."))
    (site / "content/pages/about.md").write_text(
        "---\ntitle: About\ndate: 2009-01-01T00:00:00+00:00\n---\nAbout me, changed.\n", "utf-8")


@contextmanager
def failing_writes(code: int) -> Iterator[None]:
    """Every write to a file opened for writing fails with ``code`` (ENOSPC, EROFS ...)."""
    real_open = builtins.open

    class Failing:
        def __init__(self, handle: Any) -> None:
            self._handle = handle

        def write(self, data: Any) -> int:
            raise OSError(code, os.strerror(code))

        def fileno(self) -> int:
            raise OSError(code, os.strerror(code))

        def __enter__(self) -> "Failing":
            return self

        def __exit__(self, *exc: object) -> None:
            self._handle.close()

        def __getattr__(self, name: str) -> Any:
            return getattr(self._handle, name)

    def open_(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        handle = real_open(file, mode, *args, **kwargs)
        return Failing(handle) if any(flag in mode for flag in "wax+") else handle

    builtins.open = io.open = open_  # type: ignore[assignment]
    try:
        yield
    finally:
        builtins.open = io.open = real_open  # type: ignore[assignment]


def reference(tmp_path: Path) -> dict[str, bytes]:
    root = fast_site(tmp_path / "reference")
    change(root)
    build(load_config(root))
    return files_under(root / "public")


@pytest.mark.parametrize("code, hint", [(errno.ENOSPC, NO_SPACE), (errno.EROFS, READ_ONLY)])
def test_build_write_failure_is_one_line_and_recoverable(site: Path, tmp_path: Path, run_cli,
                                                          code: int, hint: str) -> None:
    fast_site(site)
    assert run_cli("build", site=site).exit_code == 0
    change(site)
    with failing_writes(code):
        result = run_cli("build", site=site)
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and result.output.startswith(f"error: {site}/")
    assert f": cannot write: {os.strerror(code)} ({hint})" in result.output
    assert run_cli("build", site=site).exit_code == 0  # space is back: the build completes
    assert files_under(site / "public") == reference(tmp_path)
    assert temp_files(site) == []


def test_import_write_failure_names_the_file_and_keeps_what_was_there(site: Path) -> None:
    config = load_config(site)
    run_import(config, ListImporter(sample_items(posts=2, tweets=2)), ["old"])
    before = files_under(site / "content")
    with failing_writes(errno.ENOSPC), pytest.raises(ArchiverError) as caught:
        run_import(config, ListImporter(sample_items(posts=4, tweets=4)), ["new"])
    message = str(caught.value)
    assert message.endswith(f": cannot write: No space left on device ({NO_SPACE})")
    assert message.startswith(str(site / "content") + "/")
    assert files_under(site / "content") == before
    assert temp_files(site) == []
    report = run_import(config, ListImporter(sample_items(posts=4, tweets=4)), ["new"])
    assert report.total == 8


# -- real file systems -----------------------------------------------------------------------

def _run(*command: str) -> bool:
    return subprocess.run(command, capture_output=True).returncode == 0


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 256 KB tmpfs (needs mount rights, as root in the dev container; else skipped)."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    if not shutil.which("mount") or not _run("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount)):
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield mount
    finally:
        _run("umount", "-l", str(mount))


def test_real_disk_full_during_build(site: Path, tiny_disk: Path, tmp_path: Path, run_cli) -> None:
    fast_site(site)
    change(site)
    (site / "content/media/posts/2010/pic.png").write_bytes(os.urandom(400_000))  # > the disk
    out = tiny_disk / "public"
    result = run_cli("build", "--output", out, site=site)
    assert result.exit_code == 1
    assert result.output.startswith(f"error: {out}/") and result.output.count("\n") == 1
    assert f": cannot write: No space left on device ({NO_SPACE})" in result.output
    assert _run("mount", "-o", "remount,size=4m", str(tiny_disk))
    assert run_cli("build", "--output", out, site=site).exit_code == 0
    expected = fast_site(tmp_path / "expected")
    change(expected)
    shutil.copy(site / "content/media/posts/2010/pic.png", expected / "content/media/posts/2010/pic.png")
    build(load_config(expected), output=tmp_path / "expected-out")
    assert files_under(out) == files_under(tmp_path / "expected-out")
    assert temp_files(out) == []


@contextmanager
def read_only(folder: Path) -> Iterator[str]:
    """Make ``folder`` read-only for real: a read-only bind mount, else chattr +i, else chmod."""
    if _run("mount", "--bind", str(folder), str(folder)):
        if _run("mount", "-o", "remount,bind,ro", str(folder)):
            try:
                yield "bind mount"
            finally:
                _run("umount", str(folder))
            return
        _run("umount", str(folder))
    if os.geteuid() == 0:
        if not (shutil.which("chattr") and _run("chattr", "-R", "+i", str(folder))):
            pytest.skip("root, and neither a read-only mount nor chattr +i works here")
        try:
            yield "chattr"
        finally:
            _run("chattr", "-R", "-i", str(folder))
        return
    modes = {p: p.stat().st_mode for p in [folder, *folder.rglob("*")]}
    for path in modes:
        path.chmod(modes[path] & ~0o222)
    try:
        yield "chmod"
    finally:
        for path, mode in modes.items():
            path.chmod(mode)


def test_real_read_only_output_folder(site: Path, tmp_path: Path, run_cli) -> None:
    fast_site(site)
    assert run_cli("build", site=site).exit_code == 0
    out = site / "public"
    before = files_under(out)
    change(site)
    with read_only(out):
        result = run_cli("build", site=site)
        assert files_under(out) == before
    assert result.exit_code == 1
    assert result.output.startswith(f"error: {out}/") and result.output.count("\n") == 1
    assert f": cannot write: Read-only file system ({READ_ONLY})" in result.output or (
        f"({READ_ONLY})" in result.output)  # chattr/chmod fallbacks: other errnos
    assert run_cli("build", site=site).exit_code == 0
    assert files_under(out) == reference(tmp_path)


def test_errors_keep_file_and_hint_across_processes() -> None:
    """Build workers send errors back pickled: the file and the hint must survive."""
    import pickle

    error = pickle.loads(pickle.dumps(ArchiverError("cannot write", where="public/a.html", hint="h")))
    assert str(error) == "public/a.html: cannot write (h)"
