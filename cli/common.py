"""What every command shares: output formats, exit codes, writing output."""

from __future__ import annotations

import contextlib
import enum
import json
from collections.abc import Iterator
from typing import Any

import typer

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3


class Format(str, enum.Enum):
    """Output formats every command accepts."""

    text = "text"
    json = "json"
    markdown = "markdown"


FORMAT_OPTION_HELP = "Output format: text (for people), json (stable, documented), markdown."


def format_option(default: Format = Format.text) -> Any:
    """The ``--format`` option, the same on every command."""
    return typer.Option(default, "--format", "-f", help=FORMAT_OPTION_HELP, case_sensitive=False)


def emit(text: str) -> None:
    """Print a rendered result to standard output, ending with exactly one newline.

    Escape codes are kept (``color=True``): renderers add them only when colour was chosen
    (``gluesim.cli.terminal``), and click would otherwise strip them off a non-terminal.
    """
    typer.echo(text.rstrip("\n"), color=True)


def emit_json(data: Any) -> None:
    """Print ``data`` as stable JSON: sorted keys, two-space indent."""
    typer.echo(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False))


def package_version() -> str:
    """Return the gluesim version (a constant: reading package metadata costs start-up time)."""
    from gluesim.cli.version import VERSION

    return VERSION


@contextlib.contextmanager
def located(where: str) -> Iterator[None]:
    """Name the command-line argument or option (``where``) in an error that names no place."""
    from gluesim.kb.errors import GluesimError, LocatedError

    try:
        yield
    except LocatedError:
        raise
    except GluesimError as exc:
        raise LocatedError(where, str(exc)) from None


def _show_help(ctx: typer.Context, value: bool) -> None:
    if value:
        typer.echo(ctx.get_help())
        raise typer.Exit(0)


def help_option() -> Any:
    """``-h/--help`` as a plain flag.

    typer 0.29 coerces the value of its own help option (None when the flag is absent)
    through pydantic, which costs ~100 ms; a flag whose default is False is skipped.
    """
    return typer.Option(False, "--help", "-h", is_eager=True, callback=_show_help,
                        help="Show this message and exit.")
