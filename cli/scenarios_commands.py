"""``gluesim scenarios``: the trainee scenario library (list, next, show with hints, try, check, watch).

Progress (which scenarios are passed, how many hints were read) is kept in the user's state
folder (``gluesim.simulator.library.progress``): ``list`` shows it, ``next`` picks up from it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import typer

from gluesim.cli.common import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, Format, emit, emit_json, format_option, located

HELP = """Practise Glue Studio setup on broken (hypothetical) accounts.

Each scenario tells a short story about an account where something in the Glue Studio
setup is wrong. Read it, find what fails, fix your copy of the scenario file, and check
your answer. Your progress is remembered (in $GLUESIM_STATE_DIR, else
$XDG_STATE_HOME/gluesim, else ~/.local/state/gluesim).

Examples:

  gluesim scenarios next

  gluesim scenarios show role-name-prefix --yaml > mine.yaml

  gluesim scenarios try role-name-prefix

  gluesim scenarios show role-name-prefix --hint 1

  gluesim scenarios watch mine.yaml

  gluesim scenarios check role-name-prefix --answer mine.yaml
"""


def register(app: typer.Typer) -> None:
    """Add the ``scenarios`` command group to app."""
    group = typer.Typer(name="scenarios", help=HELP, no_args_is_help=True, rich_markup_mode=None)
    group.command("list")(list_command)
    group.command("next")(next_command)
    group.command("show")(show_command)
    group.command("try")(try_command)
    group.command("check")(check_command)
    group.command("watch")(watch_command)
    app.add_typer(group, name="scenarios")


def list_command(
    difficulty: Optional[str] = typer.Option(
        None, "--difficulty", "-d", help="Only scenarios of this difficulty: beginner, intermediate or advanced."
    ),
    fmt: Format = format_option(),
) -> None:
    """List the scenarios in the library, easiest first, with the ones you have passed marked done."""
    from gluesim.cli.render import scenarios as render
    from gluesim.simulator import library
    from gluesim.simulator.library import progress

    entries = library.ordered()
    if difficulty is not None:
        if difficulty not in library.Difficulty.__members__:
            _usage(f"--difficulty: unknown difficulty {difficulty!r}; expected beginner, intermediate or advanced")
        entries = [entry for entry in entries if entry.training.difficulty.value == difficulty]
    done = set(progress.load().passed)
    _out(fmt, render.list_data(entries, done), render.list_text(entries, done), render.list_markdown(entries, done))


def next_command(fmt: Format = format_option()) -> None:
    """Show the first scenario, easiest first, that you have not passed yet (references with nothing to fix are skipped)."""
    from gluesim.cli.render import scenarios as render
    from gluesim.simulator import library
    from gluesim.simulator.library import progress

    ordered = [entry for entry in library.ordered() if entry.training.fails]  # the others are references
    name = progress.next_name([entry.name for entry in ordered], progress.load())
    if name is None:
        _out(fmt, {"next": None, "total": len(ordered)}, render.all_done(len(ordered)), render.all_done(len(ordered)))
        return
    entry = library.get(name)
    _out(fmt, {"next": render.show_data(entry, 0)}, render.show_text(entry, 0), render.show_markdown(entry, 0))


def show_command(
    name: str = typer.Argument(..., help="Scenario name (see 'gluesim scenarios list')."),
    hint: int = typer.Option(0, "--hint", "-n", min=0, help="Reveal hints 1 to N (0: none)."),
    yaml: bool = typer.Option(False, "--yaml", help="Print your starting file: the account to fix (no hints, no answer)."),
    answer: bool = typer.Option(False, "--answer", help="Print the whole shipped file, answer key (training.expect) included."),
    fmt: Format = format_option(),
) -> None:
    """Show a scenario's story and difficulty; reveal hints one at a time with --hint N."""
    from gluesim.cli.render import scenarios as render
    from gluesim.simulator import library
    from gluesim.simulator.library import progress

    with located("argument NAME"):
        entry = library.get(name)
    total = len(entry.training.hints)
    if hint > total:
        _usage(f"--hint: {name!r} has {total} hints; expected a number from 1 to {total}")
    if answer or yaml:
        emit(entry.source() if answer else entry.starting())
        return
    if hint:
        progress.record_hints(entry.name, hint)
    _out(fmt, render.show_data(entry, hint), render.show_text(entry, hint), render.show_markdown(entry, hint))


def try_command(
    name: str = typer.Argument(..., help="Scenario name (see 'gluesim scenarios list')."),
    reveal: bool = typer.Option(False, "--reveal", help="Also show each failure's fix (the answer)."),
    explain: bool = typer.Option(False, "--explain", help="Show the full IAM evaluation trace of each failure."),
    fmt: Format = format_option(),
) -> None:
    """Simulate a scenario and show which Glue Studio actions fail and why (exit 1 if any fails).

    The fixes stay hidden unless you pass --reveal: finding them is the exercise.
    """
    from gluesim.cli.render import report as render
    from gluesim.cli.render import scenarios as trainee
    from gluesim.simulator import library
    from gluesim.simulator.engine import simulate

    with located("argument NAME"):
        entry = library.get(name)
    report = simulate(entry.scenario)
    shown = report if reveal else trainee.without_fixes(report, name)
    text = render.render(shown, fmt.value, explain)
    emit(text if fmt is not Format.text or report.passed or reveal else text + "\n" + trainee.try_footer(name))
    raise typer.Exit(EXIT_OK if report.passed else EXIT_PROBLEMS)


def check_command(
    name: str = typer.Argument(..., help="Scenario name (see 'gluesim scenarios list')."),
    answer: Path = typer.Option(..., "--answer", "-a", help="Your fixed version of the scenario file."),
    fmt: Format = format_option(),
) -> None:
    """Check a fixed scenario: every action the scenario wants passes, and its intent is kept."""
    from gluesim.simulator import library

    with located("argument NAME"):
        library.get(name)
    result = library.check(name, answer)
    _report_check(result, fmt)
    raise typer.Exit(EXIT_OK if result.passed else EXIT_PROBLEMS)


def watch_command(
    answer: Path = typer.Argument(..., metavar="FILE", help="Your answer file (from 'scenarios show NAME --yaml')."),
    name: Optional[str] = typer.Option(
        None, "--scenario", "-s", help="The scenario FILE answers (default: the file's own 'name:')."
    ),
) -> None:
    """Check FILE now and again every time you save it, until it passes (Ctrl+C stops)."""
    from gluesim.kb.errors import GluesimError
    from gluesim.simulator import library
    from gluesim.simulator import scenario as loader
    from gluesim.simulator.library.watch import watch

    with located("--scenario" if name else "argument FILE"):
        entry = library.get(name or loader.load(answer).meta.name)

    def check_once() -> bool:
        try:
            result = library.check_model(entry, loader.load(answer), str(answer))
        except GluesimError as exc:
            typer.echo(f"Error: {exc}", err=True)
            return False
        _report_check(result, Format.text)
        if not result.passed:
            typer.echo(f"\nWatching {answer} for changes (Ctrl+C to stop)...")
        return result.passed

    try:
        watch(answer, check_once)
    except KeyboardInterrupt:
        raise typer.Exit(130) from None


def _report_check(result: Any, fmt: Format) -> None:
    """Print a check; a pass is remembered and followed by what to do next."""
    from gluesim.cli.render import scenarios as render
    from gluesim.simulator import library
    from gluesim.simulator.library import progress

    following = None
    if result.passed:
        saved = progress.record_pass(result.name)
        exercises = [entry.name for entry in library.ordered() if entry.training.fails]
        following = progress.next_name(exercises, saved) or ""
    _out(fmt, render.check_data(result), render.check_text(result, following), render.check_markdown(result))


def _out(fmt: Format, data: Any, text: str, markdown: str) -> None:
    if fmt is Format.json:
        emit_json(data)
    else:
        emit(markdown if fmt is Format.markdown else text)


def _usage(message: str) -> None:
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(EXIT_USAGE)
