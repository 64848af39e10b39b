"""A non-editable `pip install .` into a fresh venv builds sites (the theme ships in the wheel)."""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

import pytest

from conftest import REPO_ROOT

EXPECTED = ["404.html", "feed.json", "feed.xml", "index.html", "sitemap.xml", "tags/index.html"]


@pytest.mark.slow
def test_fresh_venv_install_init_build(tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    pip = [str(env_dir / "bin/python"), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    subprocess.run([*pip, str(REPO_ROOT)], check=True, capture_output=True, timeout=600)
    archiver = str(env_dir / "bin/archiver")
    site = tmp_path / "s"
    subprocess.run([archiver, "init", str(site)], check=True, capture_output=True, cwd=tmp_path)
    done = subprocess.run([archiver, "build"], capture_output=True, text=True, cwd=site)
    assert done.returncode == 0, done.stderr
    for name in EXPECTED:
        assert (site / "public" / name).is_file(), name
    installed_theme = subprocess.run(
        [str(env_dir / "bin/python"), "-c",
         "import archiver.build.themes as t; print(t.default_theme_dir())"],
        capture_output=True, text=True, check=True).stdout.strip()
    assert installed_theme.startswith(str(env_dir)), installed_theme
    assert (site / "public/static/style.css").read_bytes() == (
        REPO_ROOT / "themes/default/static/style.css").read_bytes()


def test_python_dash_m(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "archiver", "--help"], capture_output=True, text=True)
    assert done.returncode == 0
    assert done.stdout.startswith("Usage: archiver")
