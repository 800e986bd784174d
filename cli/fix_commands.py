"""``gluesim fix``: the plan of smallest changes, and the fixed scenario written (or shown as a diff).

The fixed file is the user's own file edited where the fix changes it
(:mod:`gluesim.simulator.scenario.edit`), never a re-dump that loses comments and layout.
"""

from __future__ import annotations

from typing import Any, Optional

import typer

from gluesim.cli.common import EXIT_OK, EXIT_PROBLEMS, Format, emit, format_option

FIX_HELP = """Print the ordered plan of smallest changes that makes the failing actions pass.

Changes: exact inline grants (only the missing actions, on the exact ARNs), key policy and
trust policy statements, recreating a role under the AWSGlueServiceRole prefix, a NAT gateway,
an S3 gateway endpoint, the self-referencing security group rule, missing catalog tables,
a role on the Redshift cluster, console access, Billing activation. Explicit denies and
unknowns are listed as unresolved, never guessed away. --write saves the fixed scenario
(atomically; the scenario itself to fix it in place), editing only what changes: comments,
key order, flow lists and quoting stay as written; --diff prints that change as a unified
diff instead.

\b
Examples:
  gluesim fix my-account.yaml
  gluesim fix my-account.yaml --write fixed.yaml && gluesim simulate fixed.yaml
  gluesim fix my-account.yaml --write my-account.yaml   # in place, comments kept
  gluesim fix my-account.yaml --diff

Exit status: 0 the (fixed) scenario passes, 1 something remains unresolved, 2 bad input or
nothing to check (a scenario with no jobs and no checks).
"""


def register(app: typer.Typer) -> None:
    """Add ``fix`` to app."""
    app.command("fix", help=FIX_HELP)(fix)


def fix(
    scenario_path: Optional[str] = typer.Argument(None, metavar="SCENARIO",
                                                  help="Scenario YAML file (default: the built-in default)."),
    write: Optional[str] = typer.Option(None, "--write", "-w", metavar="FIXED.yaml",
                                        help="Write the fixed scenario to this file (the scenario itself: fix it in place)."),
    diff: bool = typer.Option(False, "--diff", help="Print the change as a unified diff instead of writing it."),
    fmt: Format = format_option(),
) -> None:
    """Plan (and optionally write, or show as a diff) the fixes of a scenario."""
    from gluesim.cli.render.report import render_fix
    from gluesim.cli.scenario_files import load
    from gluesim.simulator.fix import fix as run

    if write is not None:
        _writable(write, scenario_path)
    loaded = load(scenario_path)
    _something_to_check(loaded.model)
    result = run(loaded.model)
    in_place = write is not None and scenario_path is not None and _same_file(write, scenario_path)
    fixed = _fixed_text(loaded, result.fixed_scenario, f"--write {write!r}" if in_place else None) if write is not None or diff else ""
    if write is not None:
        from gluesim.kb.atomic import write_text_atomic

        write_text_atomic(write, fixed, f"--write {write!r}")
    if diff:
        _emit_diff(loaded, fixed, result, fmt)
    else:
        emit(render_fix(result, fmt.value, write))
    raise typer.Exit(EXIT_OK if result.after.passed else EXIT_PROBLEMS)


def _something_to_check(model: Any) -> None:
    """A scenario that checks nothing has nothing to fix: say why on one line (exit 2), not "passes"."""
    from gluesim.simulator.engine import NothingChecked, nothing_checked

    why = nothing_checked(model)
    if why is not None:
        where, _, what = why.partition(": ")
        raise NothingChecked(where, what)


def _fixed_text(loaded: Any, fixed: Any, in_place: str | None = None) -> str:
    """The scenario file with the fixes made in place of what they change.

    ``in_place`` (the option, for the message) when the user's own file is to be rewritten:
    then a change the editor cannot make while keeping the file's layout is refused rather than
    replacing the user's file with a re-dump that loses its comments.
    """
    from gluesim.kb.errors import LocatedError
    from gluesim.simulator.scenario import dump
    from gluesim.simulator.scenario.edit import edited

    result = edited(loaded.text, loaded.model, fixed, loaded.name)
    if result is None and in_place is not None:
        raise LocatedError(in_place, "cannot keep this file's comments and layout for this change; "
                           "write the fixed scenario to another file, or review it with --diff")
    if result is None:  # a layout the editor cannot keep: say so, and write the whole scenario
        typer.echo("Note: could not keep the file's layout for this change; the fixed scenario is written whole",
                   err=True)
        return dump(fixed)
    return result.text


def _emit_diff(loaded: Any, fixed: str, result: Any, fmt: Format) -> None:
    """The unified diff on standard output (for ``patch -p0`` or ``git apply``); json adds it to the plan."""
    import difflib

    lines = difflib.unified_diff(loaded.text.splitlines(True), fixed.splitlines(True), loaded.name, loaded.name)
    text = "".join(lines)
    if fmt is Format.json:
        from gluesim.cli.common import emit_json

        emit_json({**result.as_dict(), "diff": text, "written": None})
    elif text:
        typer.echo(text, nl=False)


def _writable(path: str, scenario_path: Optional[str]) -> None:
    """Refuse a --write target before any work (gluesim.kb.atomic); the scenario itself may be the target."""
    from gluesim.kb.atomic import check_writable

    check_writable(path, f"--write {path!r}")


def _same_file(path: str, other: str) -> bool:
    from gluesim.kb.atomic import same_file

    return same_file(path, other)
