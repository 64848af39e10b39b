"""Publishing: `archiver init --github-pages` writes a valid GitHub Actions workflow that builds,
checks and deploys the site with the Pages actions; without the flag there is none."""

from __future__ import annotations

from pathlib import Path

import yaml

from archiver import __version__

WORKFLOW = Path(".github") / "workflows" / "publish.yml"


def load_workflow(site: Path) -> dict:
    data = yaml.safe_load((site / WORKFLOW).read_text("utf-8"))
    assert isinstance(data, dict)
    # YAML 1.1 reads the key `on` as True; GitHub reads it as "on".
    data["on"] = data.pop(True)
    return data


def test_init_github_pages_writes_the_workflow(tmp_path: Path, run_cli) -> None:
    site = tmp_path / "mysite"
    result = run_cli("init", str(site), "--github-pages")
    assert result.exit_code == 0
    assert str(site / WORKFLOW) in "".join(result.output.split())  # rich may wrap the long path
    workflow = load_workflow(site)
    assert workflow["on"] == {"push": {"branches": ["main"]}, "workflow_dispatch": {}}
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert workflow["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    assert workflow["env"] == {"ARCHIVER": f"archiver=={__version__}"}
    assert set(workflow["jobs"]) == {"build", "deploy"}


def test_build_job_installs_builds_checks_and_uploads(tmp_path: Path, run_cli) -> None:
    site = tmp_path / "mysite"
    run_cli("init", str(site), "--github-pages")
    build = load_workflow(site)["jobs"]["build"]
    assert build["runs-on"] == "ubuntu-latest"
    steps = build["steps"]
    assert [step.get("uses") or step["run"] for step in steps] == [
        "actions/checkout@v6",
        "actions/setup-python@v6",
        'python -m pip install "$ARCHIVER"',
        "archiver build --output _site",
        "archiver check --output _site",
        "actions/upload-pages-artifact@v4",
    ]
    assert steps[1]["with"] == {"python-version": "3.11"}
    assert steps[5]["with"] == {"path": "_site"}


def test_deploy_job_uses_deploy_pages_after_build(tmp_path: Path, run_cli) -> None:
    site = tmp_path / "mysite"
    run_cli("init", str(site), "--github-pages")
    deploy = load_workflow(site)["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["environment"] == {"name": "github-pages",
                                     "url": "${{ steps.deployment.outputs.page_url }}"}
    assert deploy["steps"] == [{"id": "deployment", "uses": "actions/deploy-pages@v5"}]


def test_the_workflow_commands_exist_in_the_cli(tmp_path: Path, run_cli) -> None:
    site = tmp_path / "mysite"
    run_cli("init", str(site), "--github-pages")
    for step in load_workflow(site)["jobs"]["build"]["steps"]:
        command = step.get("run", "")
        if command.startswith("archiver "):
            args = command.split()[1:]
            result = run_cli(args[0], "--help")
            assert result.exit_code == 0, command
            assert all(arg in result.output for arg in args[1:] if arg.startswith("--")), command


def test_no_workflow_without_the_flag(tmp_path: Path, run_cli) -> None:
    site = tmp_path / "plain"
    assert run_cli("init", str(site)).exit_code == 0
    assert not (site / ".github").exists()
    assert (site / ".gitignore").read_text() == "/public/\n/.archiver/cache/\n"
