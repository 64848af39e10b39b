"""``archiver init``: write a new site's site.yaml and folders (and optionally a publish workflow)."""

from __future__ import annotations

import importlib.metadata
import json
from pathlib import Path

import yaml

from archiver.config import validate
from archiver.errors import ArchiverError

CONTENT_FOLDERS = ("posts", "tweets", "pages")
# The built site and the build's state (manifest, caches: one computer's output folder) stay
# out of git; the import index stays in, so an import on another computer still knows which
# files were edited by hand.
GITIGNORE = "/public/\n/.archiver/*\n!/.archiver/store.json\n"

PUBLISH_WORKFLOW = """\
# Build the archive with archiver on every push to main, check it, and publish it on GitHub Pages.
# Turn Pages on once: repository Settings -> Pages -> Source: "GitHub Actions".
name: publish
on:
  push:
    branches: [main]
  workflow_dispatch: {}
permissions:
  contents: read
  pages: write
  id-token: write
concurrency:
  group: pages
  cancel-in-progress: false
env:
  # Where pip gets archiver: a git URL such as git+https://github.com/OWNER/archiver@TAG, or the
  # path of a wheel committed to this repository. (The name "archiver" on PyPI is another project.)
  ARCHIVER: "@SOURCE@"
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v6
      - name: Warn when this public repository holds what is never published
        if: github.event.repository.private == false
        run: |
          if grep -rqsE '^status:[[:space:]]*[^[:alnum:][:space:]]?(draft|private|deleted)' content; then
            echo "::warning::this repository is public and content/ holds drafts, private posts or deleted tweets (never built, but anyone can read them here): make the repository private, or build on your computer and publish only the built site"
          fi
      - uses: actions/setup-python@v6
        with:
          python-version: "3.11"
      - name: Install archiver
        run: |
          if [ -z "$ARCHIVER" ]; then
            echo "::error file=.github/workflows/publish.yml::set ARCHIVER to where pip gets archiver, e.g. git+https://github.com/OWNER/archiver@TAG"
            exit 1
          fi
          python -m pip install "$ARCHIVER"
      - name: Build the site
        run: archiver build --output _site
      - name: Check links, media and page sizes
        run: archiver check --output _site
      - uses: actions/upload-pages-artifact@v4
        with:
          path: _site
  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v5
"""


def install_source() -> str:
    """Where pip on another machine (a CI runner) gets this very archiver: the git repository
    and commit it was installed from (pip records them, PEP 610), or '' when it came from a
    local folder or a wheel, which a runner cannot reach."""
    try:
        recorded = importlib.metadata.distribution("archiver").read_text("direct_url.json")
        origin = json.loads(recorded or "{}")
    except (importlib.metadata.PackageNotFoundError, ValueError):
        return ""
    url, vcs = origin.get("url", ""), origin.get("vcs_info") or {}
    if vcs.get("vcs") == "git" and url.startswith("https://") and vcs.get("commit_id"):
        return f"git+{url}@{vcs['commit_id']}"
    return ""


def create_site(directory: Path, *, title: str, author: str = "", timezone: str = "UTC",
                github_pages: bool = False) -> list[Path]:
    """Create the site skeleton; refuses a folder that already holds a site.yaml."""
    settings = {"title": title, "author": author, "timezone": timezone, "language": "en",
                "base_url": "", "pagination": 20}
    problems = validate(settings)
    if problems:
        raise ArchiverError("; ".join(problems), where=str(directory),
                            hint="pass a valid --timezone / --title")
    config_path = directory / "site.yaml"
    if config_path.exists():
        raise ArchiverError("a site already exists here", where=str(config_path),
                            hint="choose another folder, or edit site.yaml")
    created: list[Path] = []
    directory.mkdir(parents=True, exist_ok=True)
    header = "# archiver site settings; see 'archiver --help' and the README for every key.\n"
    config_path.write_text(header + yaml.safe_dump(settings, sort_keys=False, allow_unicode=True),
                           "utf-8")
    created.append(config_path)
    for folder in CONTENT_FOLDERS:
        path = directory / "content" / folder
        path.mkdir(parents=True, exist_ok=True)
        created.append(path)
    if github_pages:
        workflow = directory / ".github" / "workflows" / "publish.yml"
        workflow.parent.mkdir(parents=True, exist_ok=True)
        workflow.write_text(PUBLISH_WORKFLOW.replace("@SOURCE@", install_source()), "utf-8")
        created.append(workflow)
    gitignore = directory / ".gitignore"
    if not gitignore.exists():
        gitignore.write_text(GITIGNORE, "utf-8")
        created.append(gitignore)
    return created
