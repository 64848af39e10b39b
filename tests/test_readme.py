"""The README's set-up commands match the CLI and .ci/run; documented commands exist."""

from __future__ import annotations

import re

from click.testing import CliRunner

from archiver.cli import cli
from conftest import REPO_ROOT

README = (REPO_ROOT / "README.md").read_text("utf-8")


def setup_commands() -> list[str]:
    block = README.split("<!-- setup-commands", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    return [line for line in block.splitlines() if line.strip()]


def test_two_setup_commands() -> None:
    install_and_build, install_and_test = setup_commands()
    assert install_and_build.startswith("python3 -m venv .venv && ")
    assert install_and_build.endswith("archiver build")
    assert "'.[test]'" in install_and_test and install_and_test.endswith("pytest")


def test_ci_runs_the_readme_commands() -> None:
    ci = (REPO_ROOT / ".ci/run").read_text("utf-8")
    install_and_build, install_and_test = setup_commands()
    assert install_and_test.replace("pip install -e", "pip install -q -e") in ci
    assert install_and_build.replace("pip install -e", "pip install -q -e") in ci
    assert '"$status" -eq 5' in ci


def test_documented_commands_exist() -> None:
    documented = set(re.findall(r"`archiver ([a-z]+)", README))
    runner = CliRunner()
    for command in sorted(documented):
        result = runner.invoke(cli, [command, "--help"])
        assert result.exit_code == 0, f"README documents 'archiver {command}' but it fails: {result.output}"


def test_documented_importers_exist() -> None:
    documented = set(re.findall(r"`archiver import ([a-z]+)", README))
    runner = CliRunner()
    for name in sorted(documented):
        result = runner.invoke(cli, ["import", name, "--help"])
        assert result.exit_code == 0, f"README documents 'archiver import {name}': {result.output}"


def test_documented_site_keys_are_the_real_ones() -> None:
    from archiver.config import _SCHEMA

    table = README.split("## site.yaml", 1)[1].split("##", 1)[0]
    keys = re.findall(r"^\| `([a-z_]+)` \|", table, re.M)
    assert sorted(keys) == sorted(_SCHEMA)
