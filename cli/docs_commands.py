"""``gluesim docs``: build the onboarding site (a plain mkdocs project) and serve it on localhost."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from gluesim.cli.common import Format, emit, emit_json, format_option

BUILD_HELP = """Generate the onboarding site from the knowledge base and simulated scenarios.

Writes a plain mkdocs project (markdown + mkdocs.yml) and builds it with
mkdocs-material into a static site that makes no network request: open
OUT/index.html from disk, or run 'gluesim docs serve'. The output is built
beside OUT and moved into place only when complete; --force replaces only a
folder an earlier build made (docs/guides/writing-files.md).

Examples:

  gluesim docs build --out site

  gluesim docs build --scenarios my-account.yaml --title "Our Glue setup" --out site

  gluesim docs build --markdown-only --out site-src
"""

SERVE_HELP = """Serve a built site on http://127.0.0.1:PORT/ (this machine only).

Example:

  gluesim docs serve --out site --port 8000
"""


def register(app: typer.Typer) -> None:
    """Add the ``docs`` command group to app."""
    docs = typer.Typer(name="docs", help="Build and serve the offline onboarding site.", no_args_is_help=True)
    docs.command("build", help=BUILD_HELP)(build)
    docs.command("serve", help=SERVE_HELP)(serve)
    app.add_typer(docs)


def build(
    scenarios: Optional[list[Path]] = typer.Option(
        None, "--scenarios", metavar="PATH", help="A scenario file or folder of them (repeatable); default: the shipped library."
    ),
    title: str = typer.Option("AWS Glue Studio setup", "--title", metavar="TEXT", help="The site's title."),
    out: Path = typer.Option(Path("site"), "--out", metavar="DIR", help="Folder to write (created; must be new or empty)."),
    markdown_only: bool = typer.Option(
        False, "--markdown-only", help="Write the mkdocs project (markdown + mkdocs.yml) instead of the built site."
    ),
    force: bool = typer.Option(
        False, "--force", help="Replace OUT if an earlier 'gluesim docs build' made it (it holds .gluesim-site); "
        "no other non-empty folder is ever replaced."
    ),
    strict: bool = typer.Option(False, "--strict", help="Fail on any mkdocs warning (a broken link, for one)."),
    source: Optional[Path] = typer.Option(
        None, "--source", metavar="DIR", help="Build a hand-written docs folder (mkdocs.yml + pages), like gluesim's docs/."
    ),
    fmt: Format = format_option(),
) -> None:
    """Generate and build the site."""
    from gluesim.cli.docsite import build as site_build
    from gluesim.cli.docsite import selfdocs

    from gluesim.cli.terminal import progress_bar

    with progress_bar("Building the site"):  # no step counts to report: an indeterminate bar, terminals only
        if source is not None:
            summary = selfdocs.build_source(source, out, force=force, strict=strict, markdown_only=markdown_only)
        else:
            summary = site_build.build(out, title, scenarios or None, markdown_only, force, strict)
    if fmt is Format.json:
        emit_json({"out": str(summary.out), "markdown_only": summary.markdown_only, "pages": summary.pages,
                   "files": summary.files, "bytes": summary.bytes, "warnings": list(summary.warnings)})
        return
    what = "mkdocs project" if summary.markdown_only else "site"
    emit(
        f"Wrote the {what} ({summary.pages} pages, {summary.files} files, {summary.bytes / 1e6:.1f} MB) to {summary.out}"
        + ("" if summary.markdown_only else f"; open {summary.out / 'index.html'}")
    )
    for warning in summary.warnings:
        typer.echo(f"Warning: mkdocs: {warning}", err=True)


def serve(
    out: Path = typer.Option(Path("site"), "--out", metavar="DIR", help="The built site folder to serve."),
    port: int = typer.Option(8000, "--port", metavar="PORT", min=0, max=65535, help="Port on 127.0.0.1 (0: any free port)."),
) -> None:
    """Serve the built site on localhost."""
    from gluesim.cli.docsite.serve import serve as run

    run(out, port, lambda url: typer.echo(f"Serving {out} at {url} (press Ctrl+C to stop)"))
