"""Every CLI error path: one line on stderr naming the file, exit 1; usage errors exit 2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from archiver import __version__


def test_version(run_cli) -> None:
    result = run_cli("--version")
    assert result.exit_code == 0
    assert result.output == f"archiver, version {__version__}\n"


def test_help_lists_commands(run_cli) -> None:
    result = run_cli("--help")
    assert result.exit_code == 0
    for command in ("init", "import", "build"):
        assert f"  {command} " in result.output


def test_init_creates_site(tmp_path: Path, run_cli) -> None:
    result = run_cli("init", tmp_path / "s", "--title", "Mine", "--timezone", "Europe/Berlin")
    assert result.exit_code == 0
    assert (tmp_path / "s/site.yaml").read_text().splitlines()[1:4] == [
        "title: Mine", "author: ''", "timezone: Europe/Berlin"]
    assert sorted(p.name for p in (tmp_path / "s/content").iterdir()) == ["pages", "posts", "tweets"]


def test_init_refuses_existing_site(site: Path, run_cli) -> None:
    result = run_cli("init", site)
    assert result.exit_code == 1
    assert result.output == f"error: {site / 'site.yaml'}: a site already exists here (choose another folder, or edit site.yaml)\n"


def test_init_bad_timezone(tmp_path: Path, run_cli) -> None:
    result = run_cli("init", tmp_path / "s", "--timezone", "Nowhere/City")
    assert result.exit_code == 1
    assert "timezone: unknown time zone 'Nowhere/City'" in result.output
    assert not (tmp_path / "s").exists()


def test_build_without_site(tmp_path: Path, run_cli) -> None:
    result = run_cli("build", site=tmp_path)
    assert result.exit_code == 1
    assert result.output == (f"error: {tmp_path}: no site.yaml here (run 'archiver init DIR' to make "
                              "a site, or pass --site DIR)\n")


def test_build_bad_config_lists_every_problem(site: Path, run_cli) -> None:
    (site / "site.yaml").write_text("pagination: 0\ntimezone: Bad/Zone\ncolour: red\n")
    result = run_cli("build", site=site)
    assert result.exit_code == 1
    assert result.output.count("\n") == 1
    assert "3 problem(s)" in result.output
    assert "colour: unknown key" in result.output


@pytest.mark.parametrize(("header", "error"), [
    ("title: [oops", "front matter is not valid YAML line 3 (fix the YAML between the '---' lines)"),
    ("title: Leap\ndate: 2019-02-30T00:00:00Z",
     "front matter has an impossible date (day is out of range for month) "
     "(write a real date as YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)"),
    ("title: Year one\ndate: 0001-01-01T00:00:00Z",  # a zone west of UTC could not show it
     "date 0001-01-01T00:00:00+00:00 is out of range (write a date between the years 2 and 9998)"),
    ("title: Far\ndate: 2010-01-01\ncomments:\n- author: A\n  body: b\n  date: 9999-12-31T23:00:00-12:00",
     "date 9999-12-31T23:00:00-12:00 is out of range (write a date between the years 2 and 9998)"),
])
def test_build_bad_front_matter_names_file(site: Path, run_cli, header: str, error: str) -> None:
    bad = site / "content/posts/2020/bad.md"
    bad.parent.mkdir(parents=True)
    bad.write_text(f"---\n{header}\n---\nbody\n")
    result = run_cli("build", site=site)
    assert result.exit_code == 1
    assert result.output == f"error: posts/2020/bad.md: {error}\n"


def test_build_missing_date(site: Path, run_cli) -> None:
    bad = site / "content/posts/x.md"
    bad.write_text("---\ntitle: No date\n---\nbody\n")
    result = run_cli("build", site=site)
    assert result.exit_code == 1
    assert "posts/x.md: missing or invalid date None" in result.output


def test_build_output_inside_content_refused(site: Path, run_cli) -> None:
    result = run_cli("build", "--output", site / "content/out", site=site)
    assert result.exit_code == 1
    assert "would overwrite the site" in result.output


def test_unknown_importer_is_usage_error(site: Path, run_cli) -> None:
    result = run_cli("import", "myspace", "x", site=site)
    assert result.exit_code == 2
    assert "No such command 'myspace'" in result.output


def test_unknown_command_is_usage_error(run_cli) -> None:
    assert run_cli("frobnicate").exit_code == 2


def test_debug_shows_traceback(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "archiver", "--debug", "--site", str(tmp_path), "build"],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "Traceback" in result.stderr
    assert "ArchiverError" in result.stderr


def test_no_traceback_without_debug(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "archiver", "--site", str(tmp_path), "build"],
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr.startswith("error: ")
    assert "Traceback" not in result.stderr


def test_describe_error_gives_the_file_reason_and_hint_of_an_os_error() -> None:
    import errno

    from archiver.errors import ArchiverError, describe_error

    full = OSError(errno.ENOSPC, "No space left on device", "public/a.html")
    assert describe_error(full) == ("public/a.html: No space left on device "
                                    "(free some disk space and run the command again)")
    assert describe_error(OSError(errno.ENOENT, "No such file")) == "No such file"
    assert describe_error(ArchiverError("bad", where="x", hint="fix")) == "x: bad (fix)"


def test_a_build_run_as_a_program_flushes_its_report_and_saves_its_state(site: Path) -> None:
    """After a successful build the process ends with os._exit: nothing may be lost by it."""
    post = site / "content" / "posts" / "2024" / "hello.md"
    post.parent.mkdir(parents=True)
    post.write_text("---\ntitle: Hello\ndate: 2024-05-01T10:00:00Z\n---\n\nFirst post.\n", "utf-8")
    command = [sys.executable, "-m", "archiver", "--site", str(site), "build"]
    first = subprocess.run(command, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("Built ")
    assert "from 1 items" in first.stdout
    assert (site / "public" / "2024" / "05" / "hello" / "index.html").is_file()
    assert (site / ".archiver" / "build.json").is_file()
    again = subprocess.run(command, capture_output=True, text=True)
    assert again.returncode == 0
    assert "(0 written," in again.stdout  # the saved state said nothing changed


def test_a_build_with_no_terminal_does_not_import_rich(site: Path) -> None:
    """rich draws progress bars and tables; a build run by a script or CI prints plain lines
    and starts ~30 ms sooner without it (report.py)."""
    post = site / "content" / "posts" / "2024" / "hello.md"
    post.parent.mkdir(parents=True)
    post.write_text("---\ntitle: Hello\ndate: 2024-05-01T10:00:00Z\n---\n\nFirst post.\n", "utf-8")
    command = [sys.executable, "-X", "importtime", "-m", "archiver", "--site", str(site), "build"]
    result = subprocess.run(command, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Built 12 pages (33 written, 0 unchanged) from 1 items ")
    imported = [line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()]
    assert "click" in imported
    assert [name for name in imported if name.split(".")[0] == "rich"] == []


@pytest.mark.parametrize(("slug", "taken"), [("tags", "tags"), ("stats", "stats"),
                                             ("on-this-day", "on this day")])
def test_a_page_at_a_url_the_site_uses_is_an_error_naming_its_file(
        site: Path, run_cli, slug: str, taken: str) -> None:
    page = site / "content" / "pages" / "mine.md"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(f"---\ntitle: Mine\ndate: 2020-01-01T00:00:00Z\nkind: page\nslug: {slug}\n---\n"
                    "text\n", "utf-8")
    result = run_cli("build", site=site)
    assert result.exit_code == 1
    assert result.output == (f"error: content/pages/mine.md: page 'Mine' and the site's {taken} "
                             f"page both want /{slug}/ (give it another 'slug' in its front matter)\n")


def test_the_build_report_shows_brackets_in_paths_as_they_are(tmp_path: Path, run_cli) -> None:
    """File and folder names may hold brackets ("[draft] notes.md"); the report prints them as
    written, one line each however long, where rich read them as markup: "[old]" vanished from
    the output folder's path and "[/b]" in a warning ended the command with a MarkupError (and
    ":smile:" would be an emoji)."""
    root = tmp_path / "[old] site"
    made = run_cli("init", root, "--title", "Mine")
    assert made.exit_code == 0
    assert f"  created {root / 'site.yaml'}" in made.output.splitlines()
    assert f"Next: cd {root} and " in made.output
    post = "---\ntitle: Same\nslug: same\ndate: 2010-05-02T10:00:00+00:00\n---\nText.\n"
    (root / "content/posts/[draft] one :smile:.md").write_text(post, "utf-8")
    (root / "content/posts/[").mkdir()
    (root / "content/posts/[/b].md").write_text(post, "utf-8")  # the file b].md in a folder "["
    result = run_cli("build", site=root)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("Built ") and f" into {root / 'public'} in " in lines[0]
    assert ("  warning: posts/[draft] one :smile:.md: URL /2010/05/same/ is already used by posts/[/b].md; "
            "using /2010/05/same-2/ (set a different 'slug')") in lines
    checked = run_cli("check", site=root)
    assert checked.exit_code == 0, checked.output
    assert f" files in {root / 'public'}: " in checked.output.splitlines()[0]
