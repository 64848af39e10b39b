"""Shared test helpers: temporary sites, the shared fixtures folder, CLI runner."""

from __future__ import annotations

from pathlib import Path

import shutil

import pytest
from click.testing import CliRunner

from archiver.cli import cli
from archiver.scaffold import create_site

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_FIXTURES = REPO_ROOT.parent / "shared" / "fixtures"


def files_under(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (relative path -> bytes): to compare folders byte for byte."""
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A fresh empty site (site.yaml + content/)."""
    root = tmp_path / "site"
    create_site(root, title="Test site", author="Tester")
    return root


@pytest.fixture
def shared_fixtures() -> Path:
    """../shared/fixtures beside the repo; tests using it skip when it is absent."""
    if not SHARED_FIXTURES.is_dir():
        pytest.skip("../shared/fixtures is not present")
    return SHARED_FIXTURES


@pytest.fixture
def run_cli():
    """Run the CLI in-process; returns click's Result (exit_code, output)."""
    runner = CliRunner()

    def run(*args: str, site: Path | None = None):
        argv = (["--site", str(site)] if site is not None else []) + [str(a) for a in args]
        return runner.invoke(cli, argv, catch_exceptions=False)

    return run


@pytest.fixture(scope="session")
def demo_public(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the repository's demo site (site.yaml + content/), built once: its public/."""
    from archiver.build.pipeline import build
    from archiver.config import load_config

    root = tmp_path_factory.mktemp("demo")
    shutil.copy(REPO_ROOT / "site.yaml", root / "site.yaml")
    shutil.copytree(REPO_ROOT / "content", root / "content")
    build(load_config(root))
    return root / "public"
