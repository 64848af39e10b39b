"""Publishing: `archiver init --github-pages` writes a valid GitHub Actions workflow that builds,
checks and deploys the site with the Pages actions; without the flag there is none."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import yaml

from archiver import scaffold

WORKFLOW = Path(".github") / "workflows" / "publish.yml"
PRIVACY_STEP = """\
if grep -rqsE '^status:[[:space:]]*[^[:alnum:][:space:]]?(draft|private|deleted)' content; then
  echo "::warning::this repository is public and content/ holds drafts, private posts or deleted tweets (never built, but anyone can read them here): make the repository private, or build on your computer and publish only the built site"
fi
"""
INSTALL_STEP = """\
if [ -z "$ARCHIVER" ]; then
  echo "::error file=.github/workflows/publish.yml::set ARCHIVER to where pip gets archiver, e.g. git+https://github.com/OWNER/archiver@TAG"
  exit 1
fi
python -m pip install "$ARCHIVER"
"""


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
    # installed from a folder (editable), not a git URL: ARCHIVER is left for the person to set
    assert workflow["env"] == {"ARCHIVER": ""}
    assert "note: set ARCHIVER in .github/workflows/publish.yml" in result.output
    assert "also drafts, private posts and deleted tweets" in " ".join(result.output.split())
    assert set(workflow["jobs"]) == {"build", "deploy"}


def test_build_job_installs_builds_checks_and_uploads(tmp_path: Path, run_cli) -> None:
    site = tmp_path / "mysite"
    run_cli("init", str(site), "--github-pages")
    build = load_workflow(site)["jobs"]["build"]
    assert build["runs-on"] == "ubuntu-latest"
    steps = build["steps"]
    assert [step.get("uses") or step["run"] for step in steps] == [
        "actions/checkout@v6",
        PRIVACY_STEP,
        "actions/setup-python@v6",
        INSTALL_STEP,
        "archiver build --output _site",
        "archiver check --output _site",
        "actions/upload-pages-artifact@v4",
    ]
    assert steps[1]["if"] == "github.event.repository.private == false"
    assert steps[2]["with"] == {"python-version": "3.11"}
    assert steps[6]["with"] == {"path": "_site"}


def test_a_public_repository_is_warned_about_items_that_are_never_published(tmp_path: Path) -> None:
    posts = tmp_path / "content" / "posts"
    posts.mkdir(parents=True)
    (posts / "a.md").write_text("---\ntitle: A\nstatus: published\n---\nText\n")

    def warning() -> str:
        done = subprocess.run(["bash", "-c", PRIVACY_STEP], cwd=tmp_path, capture_output=True,
                              text=True, env={"PATH": "/usr/bin:/bin"}, check=True)
        return done.stdout

    assert warning() == ""
    for status in ("draft", "'private'", '"deleted"'):
        (posts / "b.md").write_text(f"---\ntitle: B\nstatus: {status}\n---\nText\n")
        assert warning().startswith("::warning::this repository is public and content/ holds drafts")


def test_the_install_step_stops_with_an_error_until_archiver_has_a_source(tmp_path: Path) -> None:
    unset = subprocess.run(["bash", "-c", INSTALL_STEP], env={"ARCHIVER": "", "PATH": "/usr/bin:/bin"},
                           capture_output=True, text=True)
    assert unset.returncode == 1
    assert unset.stdout.startswith("::error file=.github/workflows/publish.yml::set ARCHIVER")


def test_a_git_install_is_what_the_workflow_installs(tmp_path: Path, monkeypatch) -> None:
    recorded = {"url": "https://github.com/someone/archiver",
                "vcs_info": {"vcs": "git", "commit_id": "0123abc", "requested_revision": "v1"}}

    class Installed:
        def read_text(self, name: str) -> str:
            return json.dumps(recorded) if name == "direct_url.json" else ""

    monkeypatch.setattr(scaffold.importlib.metadata, "distribution", lambda name: Installed())
    assert scaffold.install_source() == "git+https://github.com/someone/archiver@0123abc"
    scaffold.create_site(tmp_path / "s", title="T", github_pages=True)
    assert load_workflow(tmp_path / "s")["env"] == {
        "ARCHIVER": "git+https://github.com/someone/archiver@0123abc"}
    recorded = {"url": "file:///home/me/archiver", "dir_info": {"editable": True}}
    assert scaffold.install_source() == ""


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
    assert (site / ".gitignore").read_text() == "/public/\n/.archiver/*\n!/.archiver/store.json\n"
    if shutil.which("git"):  # what git makes of it: the build's state out, the import index in
        subprocess.run(["git", "init", "-q", str(site)], check=True)
        paths = [".archiver/manifest.json", ".archiver/cache/entries-00.pickle", "public/index.html",
                 ".archiver/store.json", "content/posts/a.md"]
        ignored = subprocess.run(["git", "-C", str(site), "check-ignore", *paths],
                                 capture_output=True, text=True).stdout.split()
        assert ignored == paths[:3]
