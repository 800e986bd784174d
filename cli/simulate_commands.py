"""``gluesim simulate``, ``gluesim fix`` and ``gluesim scenario schema|check``.

Thin commands: load the scenario, call the engine, render with ``gluesim.cli.render.report``,
pick the exit code (0 every action passes, 1 some action fails or is unknown, 2 bad input).
The scenario loader, the engine and the IAM evaluator are imported inside the commands.
"""

from __future__ import annotations

import enum
from typing import Any, List, Optional

import typer

from gluesim.cli.common import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, Format, emit, format_option

SIMULATE_HELP = """Simulate which Glue Studio actions would pass or fail in a scenario, and why.

For every job in the scenario (who builds it, who runs it) and every other action it lists,
each requirement from the knowledge base is checked against the account: IAM requests go
through the offline IAM evaluator (identity policies, boundaries, SCPs, bucket, key and
secret policies); role names, trust, catalog tables, Redshift roles and the VPC are checked
directly. Each failure names the KB requirement, its AWS documentation section, the IAM
request and deciding statement (or "no statement allows it"), and the fix.

Without SCENARIO the built-in default scenario runs (it shows typical failures).

\b
Examples:
  gluesim simulate
  gluesim simulate my-account.yaml --actor analyst --action run-job
  gluesim simulate my-account.yaml --explain
  gluesim simulate my-account.yaml --format junit > gluesim.xml

Exit status: 0 every checked action passes, 1 some action fails or is unknown, 2 bad input.
"""

FIX_HELP = """Print the ordered plan of smallest changes that makes the failing actions pass.

Changes: exact inline grants (only the missing actions, on the exact ARNs), key policy and
trust policy statements, recreating a role under the AWSGlueServiceRole prefix, a NAT gateway,
an S3 gateway endpoint, the self-referencing security group rule, missing catalog tables,
a role on the Redshift cluster, console access, Billing activation. Explicit denies and
unknowns are listed as unresolved, never guessed away. --write saves the fixed scenario
(atomically).

\b
Examples:
  gluesim fix my-account.yaml
  gluesim fix my-account.yaml --write fixed.yaml && gluesim simulate fixed.yaml

Exit status: 0 the (fixed) scenario passes, 1 something remains unresolved, 2 bad input.
"""


class ReportFormat(str, enum.Enum):
    """Output formats of ``gluesim simulate``."""

    text = "text"
    json = "json"
    markdown = "markdown"
    junit = "junit"


def register(app: typer.Typer) -> None:
    """Add ``simulate``, ``fix`` and the ``scenario`` group to app."""
    app.command("simulate", help=SIMULATE_HELP)(simulate)
    app.command("fix", help=FIX_HELP)(fix)
    group = typer.Typer(help="The scenario file format: print its JSON Schema, validate a file.",
                        no_args_is_help=True)
    group.command("schema", help="Print the JSON Schema (draft 2020-12) of scenario files.")(schema)
    group.command("check", help="Validate a scenario file without simulating it (exit 0 valid, 2 invalid).")(check)
    app.add_typer(group, name="scenario")


def _load(path: Optional[str]):  # noqa: ANN202 - returns gluesim.simulator.model.Scenario
    from gluesim.simulator import scenario

    if path is not None:
        return scenario.load(path)
    from importlib.resources import as_file, files

    resource = files("gluesim.simulator") / "data/scenarios/default.yaml"
    if not resource.is_file():
        from gluesim.kb.errors import GluesimError

        raise GluesimError("the built-in default scenario is missing from this installation; pass a SCENARIO file")
    with as_file(resource) as real:
        return scenario.load(real)


def simulate(
    scenario_path: Optional[str] = typer.Argument(None, metavar="SCENARIO", help="Scenario YAML file."),
    action: Optional[List[str]] = typer.Option(None, "--action", "-a", metavar="ACTION",
                                                help="Only this action, e.g. run-job (repeatable)."),
    actor: Optional[List[str]] = typer.Option(None, "--actor", metavar="USER",
                                               help="Only this user (repeatable)."),
    explain: bool = typer.Option(False, "--explain", help="Add the evaluator's full trace."),
    fmt: ReportFormat = typer.Option(ReportFormat.text, "--format", "-f", case_sensitive=False,
                                     help="text, json, markdown or junit."),
) -> None:
    """Simulate a scenario."""
    from gluesim.cli.render.report import render
    from gluesim.simulator.engine import simulate as run

    report = run(_load(scenario_path), actions=action or None, actors=actor or None)
    emit(render(report, fmt.value, explain))
    raise typer.Exit(EXIT_OK if report.passed else EXIT_PROBLEMS)


def fix(
    scenario_path: Optional[str] = typer.Argument(None, metavar="SCENARIO",
                                                  help="Scenario YAML file (default: the built-in default)."),
    write: Optional[str] = typer.Option(None, "--write", "-w", metavar="FIXED.yaml",
                                        help="Write the fixed scenario (the same file edits it in place)."),
    diff: bool = typer.Option(False, "--diff", help="Print the change as a unified diff instead of writing it."),
    fmt: Format = format_option(),
) -> None:
    """Plan (and optionally write, or show as a diff) the fixes of a scenario."""
    from gluesim.cli.render.report import render_fix
    from gluesim.simulator.fix import fix as run

    if write is not None:
        _writable(write, scenario_path)
    model = _load(scenario_path)
    result = run(model)
    change = _fixed_file(scenario_path, model, result.fixed_scenario) if write or diff else None
    if write is not None and change is not None:
        from gluesim.kb.atomic import write_text_atomic

        write_text_atomic(write, change[1], f"--write {write!r}")
    if diff and change is not None:
        _emit_diff(change, scenario_path, result, fmt)
    else:
        emit(render_fix(result, fmt.value, write))
    raise typer.Exit(EXIT_OK if result.after.passed else EXIT_PROBLEMS)


def _fixed_file(path: Optional[str], model: Any, fixed: Any) -> tuple[str, str]:
    """(the scenario file's text, the same file with the fixes made in place)."""
    from gluesim.simulator.scenario import dump
    from gluesim.simulator.scenario.edit import edited

    original = _source_text(path)
    result = edited(original, model, fixed, path or "default.yaml")
    if result is None:  # a layout the editor cannot keep: say so, and write the whole scenario
        typer.echo("Note: could not keep the file's layout for this change; the fixed scenario is written whole",
                   err=True)
        return original, dump(fixed)
    return original, result.text


def _source_text(path: Optional[str]) -> str:
    if path is not None:
        from pathlib import Path

        return Path(path).read_text(encoding="utf-8")
    from importlib.resources import files

    return (files("gluesim.simulator") / "data/scenarios/default.yaml").read_text(encoding="utf-8")


def _emit_diff(change: tuple[str, str], path: Optional[str], result: Any, fmt: Format) -> None:
    """The unified diff on standard output (for patch -p0 or git apply); json adds it to the plan."""
    import difflib

    name = path or "default.yaml"
    text = "".join(difflib.unified_diff(change[0].splitlines(True), change[1].splitlines(True), name, name))
    if fmt is Format.json:
        from gluesim.cli.common import emit_json

        emit_json({**result.as_dict(), "diff": text, "written": None})
    elif text:
        typer.echo(text, nl=False)


def _writable(path: str, scenario_path: Optional[str]) -> None:
    """Refuse a --write target before any work: see gluesim.kb.atomic for the rules."""
    from gluesim.kb.atomic import check_not_an_input, check_writable

    where = f"--write {path!r}"
    check_writable(path, where)
    check_not_an_input(path, [scenario_path] if scenario_path else [], where)


def schema() -> None:
    """Print the JSON Schema (draft 2020-12) of scenario files, for editors to validate and complete.

    \b
    Example:
      gluesim scenario schema > gluesim-scenario.schema.json
    """
    from gluesim.cli.common import emit_json
    from gluesim.simulator.scenario import schema as get

    emit_json(get())


def check(
    scenario_paths: List[str] = typer.Argument(..., metavar="FILE...", help="Scenario YAML files."),
    fmt: Format = format_option(),
) -> None:
    """Validate scenario files without simulating them (exit 0 all valid, 2 with every error's line).

    Each invalid file gets one 'Error: FILE:LINE: ...' line per problem, all of them at once.

    \b
    Examples:
      gluesim scenario check my-account.yaml
      gluesim scenario check scenarios/*.yaml
    """
    from gluesim.kb.errors import GluesimError
    from gluesim.simulator import scenario

    reports, invalid = [], False
    for path in scenario_paths:
        try:
            reports.append(_validity(path, scenario.load(path)))
        except GluesimError as exc:
            invalid = True
            for error in getattr(exc, "errors", None) or (exc,):
                typer.echo(f"Error: {error}", err=True)
    _emit_validity(reports, fmt)
    raise typer.Exit(EXIT_USAGE if invalid else EXIT_OK)


def _validity(path: str, loaded: Any) -> dict[str, Any]:
    account = loaded.account
    return {"file": path, "valid": True, "users": len(account.users), "roles": len(account.roles),
            "jobs": len(loaded.jobs), "checks": len(loaded.checks)}


def _emit_validity(reports: list[dict[str, Any]], fmt: Format) -> None:
    if fmt is Format.json:
        from gluesim.cli.common import emit_json

        if reports:
            emit_json(reports[0] if len(reports) == 1 else reports)
        return
    for report in reports:
        summary = ", ".join(f"{report[k]} {k}" for k in ("users", "roles", "jobs", "checks"))
        name = f"`{report['file']}`" if fmt is Format.markdown else report["file"]
        emit(f"{name}: valid scenario ({summary})")
