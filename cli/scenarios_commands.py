"""``gluesim scenarios``: the trainee scenario library (list, show with hints, try, check an answer)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import typer

from gluesim.cli.common import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, Format, emit, emit_json, format_option, located

HELP = """Practise Glue Studio setup on broken (hypothetical) accounts.

Each scenario tells a short story about an account where something in the Glue Studio
setup is wrong. Read it, find what fails, fix the scenario file, and check your answer.

Examples:

  gluesim scenarios list

  gluesim scenarios show role-name-prefix --hint 1

  gluesim scenarios show role-name-prefix --yaml > mine.yaml

  gluesim scenarios try role-name-prefix

  gluesim scenarios check role-name-prefix --answer mine.yaml
"""


def register(app: typer.Typer) -> None:
    """Add the ``scenarios`` command group to app."""
    group = typer.Typer(name="scenarios", help=HELP, no_args_is_help=True, rich_markup_mode=None)
    group.command("list")(list_command)
    group.command("show")(show_command)
    group.command("try")(try_command)
    group.command("check")(check_command)
    app.add_typer(group, name="scenarios")


def list_command(
    difficulty: Optional[str] = typer.Option(
        None, "--difficulty", "-d", help="Only scenarios of this difficulty: beginner, intermediate or advanced."
    ),
    fmt: Format = format_option(),
) -> None:
    """List the scenarios in the library, easiest first."""
    from gluesim.cli.render import scenarios as render
    from gluesim.simulator import library

    entries = library.ordered()
    if difficulty is not None:
        if difficulty not in library.Difficulty.__members__:
            _usage(f"--difficulty: unknown difficulty {difficulty!r}; expected beginner, intermediate or advanced")
        entries = [entry for entry in entries if entry.training.difficulty.value == difficulty]
    _out(fmt, render.list_data(entries), render.list_text(entries), render.list_markdown(entries))


def show_command(
    name: str = typer.Argument(..., help="Scenario name (see 'gluesim scenarios list')."),
    hint: int = typer.Option(0, "--hint", "-n", min=0, help="Reveal hints 1 to N (0: none)."),
    yaml: bool = typer.Option(False, "--yaml", help="Print the scenario file itself, to copy and fix."),
    fmt: Format = format_option(),
) -> None:
    """Show a scenario's story and difficulty; reveal hints one at a time with --hint N."""
    from gluesim.cli.render import scenarios as render
    from gluesim.simulator import library

    with located("argument NAME"):
        entry = library.get(name)
    total = len(entry.training.hints)
    if hint > total:
        _usage(f"--hint: {name!r} has {total} hints; expected a number from 1 to {total}")
    if yaml:
        emit(entry.source())
        return
    _out(fmt, render.show_data(entry, hint), render.show_text(entry, hint), render.show_markdown(entry, hint))


def try_command(
    name: str = typer.Argument(..., help="Scenario name (see 'gluesim scenarios list')."),
    explain: bool = typer.Option(False, "--explain", help="Show the full IAM evaluation trace of each failure."),
    fmt: Format = format_option(),
) -> None:
    """Simulate a scenario and show which Glue Studio actions fail and why (exit 1 if any fails)."""
    from gluesim.cli.render import report as render
    from gluesim.simulator import library
    from gluesim.simulator.engine import simulate

    with located("argument NAME"):
        entry = library.get(name)
    report = simulate(entry.scenario)
    emit(render.render(report, fmt.value, explain))
    raise typer.Exit(EXIT_OK if report.passed else EXIT_PROBLEMS)


def check_command(
    name: str = typer.Argument(..., help="Scenario name (see 'gluesim scenarios list')."),
    answer: Path = typer.Option(..., "--answer", "-a", help="Your fixed version of the scenario file."),
    fmt: Format = format_option(),
) -> None:
    """Check a fixed scenario: every action the scenario wants passes, and its intent is kept."""
    from gluesim.cli.render import scenarios as render
    from gluesim.simulator import library

    with located("argument NAME"):
        library.get(name)
    result = library.check(name, answer)
    _out(fmt, render.check_data(result), render.check_text(result), render.check_markdown(result))
    raise typer.Exit(EXIT_OK if result.passed else EXIT_PROBLEMS)


def _out(fmt: Format, data: Any, text: str, markdown: str) -> None:
    if fmt is Format.json:
        emit_json(data)
    else:
        emit(markdown if fmt is Format.markdown else text)


def _usage(message: str) -> None:
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(EXIT_USAGE)
