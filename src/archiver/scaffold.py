"""``archiver init``: write a new site's site.yaml and folders (and optionally a publish workflow)."""

from __future__ import annotations

from pathlib import Path

import yaml

from archiver import __version__
from archiver.config import validate
from archiver.errors import ArchiverError

CONTENT_FOLDERS = ("posts", "tweets", "pages")

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
  # What pip installs: this archiver release, or e.g. git+https://github.com/OWNER/archiver@TAG
  ARCHIVER: "archiver==@VERSION@"
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v6
      - uses: actions/setup-python@v6
        with:
          python-version: "3.11"
      - name: Install archiver
        run: python -m pip install "$ARCHIVER"
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
""".replace("@VERSION@", __version__)


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
        workflow.write_text(PUBLISH_WORKFLOW, "utf-8")
        created.append(workflow)
    gitignore = directory / ".gitignore"
    if not gitignore.exists():
        gitignore.write_text("/public/\n/.archiver/cache/\n", "utf-8")
        created.append(gitignore)
    return created
