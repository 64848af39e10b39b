"""Command line: thin click commands that call the library and print its report.

Exit codes: 0 success, 1 user error (one line naming the file and the fix), 2 usage error.
``--debug`` shows the traceback instead of the one line.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from archiver import __version__
from archiver.config import load_config
from archiver.errors import ArchiverError, describe_error
from archiver.report import (
    build_progress,
    console,
    import_progress,
    print_build_summary,
    print_import_summary,
    print_line,
)

if TYPE_CHECKING:
    from archiver.importers import Importer


class Context:
    """Options shared by all commands."""

    def __init__(self, site: Path, debug: bool) -> None:
        self.site = site
        self.debug = debug

    def config(self):  # noqa: ANN201 - Config, imported lazily to keep --help fast
        return load_config(self.site)


pass_context = click.make_pass_decorator(Context)


class ArchiverGroup(click.Group):
    """The top-level group: turns user errors into one line on stderr and exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (ArchiverError, OSError) as exc:
            if ctx.obj is not None and ctx.obj.debug:
                raise
            click.echo(f"error: {describe_error(exc)}", err=True)
            ctx.exit(1)


@click.group(cls=ArchiverGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--site", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              show_default=True, help="The site folder (holds site.yaml and content/).")
@click.option("--debug", is_flag=True, help="Show a full traceback on errors.")
@click.version_option(__version__, prog_name="archiver")
@click.pass_context
def cli(ctx: click.Context, site: Path, debug: bool) -> None:
    """Save your tweets and blog posts as Markdown and build them into a static site.

    \b
    archiver init mysite && cd mysite
    archiver import twitter ~/Downloads/twitter-archive.zip
    archiver import wordpress export.xml
    archiver build
    """
    ctx.obj = Context(site=site, debug=debug)


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--title", default="My archive", show_default=True, help="The site's title.")
@click.option("--author", default="", help="Your name, shown on the site and in feeds.")
@click.option("--timezone", "tz", default="UTC", show_default=True,
              help="IANA time zone used to group dates (e.g. Europe/Berlin).")
@click.option("--github-pages", is_flag=True,
              help="Also write .github/workflows/publish.yml to publish on GitHub Pages.")
def init(directory: Path, title: str, author: str, tz: str, github_pages: bool) -> None:
    """Make a new site in DIRECTORY: site.yaml and an empty content/ folder."""
    from archiver.scaffold import create_site, install_source

    created = create_site(directory, title=title, author=author, timezone=tz,
                          github_pages=github_pages)
    for path in created:
        print_line(f"  created {path}")
    if github_pages:
        print_line("  note: the repository will hold all of content/, also drafts, private posts "
                   "and deleted tweets (never built): keep it private, or publish only public/")
    if github_pages and not install_source():
        print_line("  note: set ARCHIVER in .github/workflows/publish.yml to where pip gets "
                   "archiver, e.g. git+https://github.com/OWNER/archiver@TAG (this archiver was "
                   "installed from a folder or a wheel, which GitHub's runner cannot reach)")
    from rich.markup import escape

    console().print(f"Site ready. Next: [bold]cd {escape(str(directory))}[/] and "
                  "[bold]archiver import twitter ARCHIVE.zip[/], then [bold]archiver build[/].",
                  soft_wrap=True)


@cli.command()
@click.option("--output", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Write the site here instead of output_dir from site.yaml.")
@click.option("--clean", is_flag=True,
              help="First remove the output and cache of a previous build (only files it wrote).")
@click.option("--profile", is_flag=True, help="Print how long each phase took (wall and CPU seconds).")
@pass_context
def build(obj: Context, output: Path | None, clean: bool, profile: bool) -> None:
    """Build the static site from content/ into public/ (or --output)."""
    from archiver.build.pipeline import build as run_build

    config = obj.config()
    with build_progress() as progress:
        result = run_build(config, output=output, clean=clean, progress=progress)
    print_build_summary(result, profile=profile)
    _finished_build.append(True)


@cli.command()
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on (0 picks a free one).")
@click.option("--bind", default="127.0.0.1", show_default=True,
              help="Address to listen on. Only this computer can connect to 127.0.0.1; "
                   "give 0.0.0.0 to let other machines on your network see the site.")
@click.option("--output", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Build and serve this folder instead of output_dir from site.yaml.")
@click.option("--log", "log_requests", is_flag=True, help="Print every request.")
@pass_context
def serve(obj: Context, port: int, bind: str, output: Path | None, log_requests: bool) -> None:
    """Build the site, serve it on http://127.0.0.1:8000/ and rebuild when files change.

    Watches content/, templates/, themes/ and site.yaml; open pages reload after each build.
    """
    from archiver.serve import serve_site

    serve_site(obj.config(), output=output, bind=bind, port=port, report=console().print,
               log_requests=log_requests)


@cli.command()
@click.option("--output", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Check this folder instead of output_dir from site.yaml.")
@click.option("--external", is_flag=True,
              help="Also request every external link (slowly, one request per host per second).")
@click.option("--delay", type=click.FloatRange(0.0), default=1.0, show_default=True,
              help="With --external: seconds between two requests to the same host.")
@click.option("--timeout", type=click.FloatRange(0.1), default=10.0, show_default=True,
              help="With --external: seconds to wait for each answer.")
@pass_context
def check(obj: Context, output: Path | None, external: bool, delay: float, timeout: float) -> None:
    """Check the built site: links, media, titles, outside resources and page sizes.

    Exit code 1 when a problem is found; warnings alone do not fail.
    """
    from archiver.check import check_site, print_check_report

    config = obj.config()
    report = check_site(config, output=output, external=external, delay=delay, timeout=timeout)
    print_check_report(report)
    if report.problems:
        raise click.exceptions.Exit(1)


class ImportGroup(click.Group):
    """``archiver import NAME ...``: one subcommand per registered importer.

    The importers (and the store) are imported only here, so ``build`` starts faster.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        from archiver import importers

        return importers.loadable()

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        from archiver import importers

        if name not in importers.available():
            return None
        return _import_command(name, importers.load(name))


def _import_command(name: str, importer_cls: type[Importer]) -> click.Command:
    @click.pass_obj
    def run(obj: Context, sources: tuple[str, ...], strict: bool, **options: Any) -> None:
        from archiver.importing import run_import

        config = obj.config()
        importer = importer_cls(**options)
        with import_progress(f"Importing {name}") as on_item:
            report = run_import(config, importer, sources, strict=strict, on_item=on_item)
        print_import_summary(report)

    params: list[click.Parameter] = [
        click.Argument(["sources"], nargs=-1, required=True, metavar=f"{importer_cls.source_help}..."),
        click.Option(["--strict"], is_flag=True, help="Fail on the first bad item instead of skipping it."),
        *importer_cls.options,
    ]
    return click.Command(name, callback=run, params=params, help=importer_cls.help,
                         short_help=importer_cls.help.split("\n")[0])


cli.add_command(ImportGroup("import", help="Import an archive or export into content/."))


# Set by a successful ``build``: its process may end without tearing down the site it built.
_finished_build: list[bool] = []


def main() -> None:
    """Console-script entry point.

    After a successful build the process ends at once (``os._exit``) once its output is
    flushed: freeing the objects of a built site one by one took 0.15-0.3 s (10% of a one-post
    rebuild) and does nothing useful, as every file is closed and every worker reaped by then.
    """
    try:
        cli.main(prog_name="archiver")
    except SystemExit as exc:
        if not (_finished_build and exc.code in (None, 0)):
            raise
    else:
        if not _finished_build:
            return
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
