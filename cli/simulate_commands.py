"""``gluesim simulate`` and ``gluesim scenario schema|check``.

Thin commands: load the scenario, call the engine, render with ``gluesim.cli.render.report``,
pick the exit code (0 every action passes, 1 some action fails or is unknown, 2 bad input).
The scenario loader, the engine and the IAM evaluator are imported inside the commands.
"""

from __future__ import annotations

import enum
from typing import Any, List, Optional

import typer

from gluesim.cli.common import EXIT_OK, EXIT_USAGE, Format, emit, format_option
from gluesim.cli.pipeline import config_option
from gluesim.cli.terminal import ColorMode, color_option, output_style

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
  gluesim simulate scenarios/*.yaml --format sarif > gluesim.sarif

A config file (.gluesim.yaml or [tool.gluesim] in pyproject.toml, the nearest from the
working directory up, or --config) sets the default format, fail-on and suppressions.

Exit status: 0 every checked action passes (or what fails is suppressed or below fail-on),
1 some action fails or is unknown, 2 bad input or nothing to check (no jobs and no checks, or
filters that match nothing: one line says why).
"""



class ReportFormat(str, enum.Enum):
    """Output formats of ``gluesim simulate``."""

    text = "text"
    json = "json"
    markdown = "markdown"
    junit = "junit"
    sarif = "sarif"


def register(app: typer.Typer) -> None:
    """Add ``simulate`` and the ``scenario`` group to app."""
    app.command("simulate", help=SIMULATE_HELP)(simulate)
    group = typer.Typer(help="The scenario file format: print its JSON Schema, validate a file.",
                        no_args_is_help=True)
    group.command("schema", help="Print the JSON Schema (draft 2020-12) of scenario files.")(schema)
    group.command("check", help="Validate a scenario file without simulating it (exit 0 valid, 2 invalid).")(check)
    app.add_typer(group, name="scenario")


def simulate(
    scenario_paths: Optional[List[str]] = typer.Argument(
        None, metavar="SCENARIO...", help="Scenario YAML files (default: the built-in default scenario)."),
    action: Optional[List[str]] = typer.Option(None, "--action", "-a", metavar="ACTION",
                                                help="Only this action, e.g. run-job (repeatable)."),
    actor: Optional[List[str]] = typer.Option(None, "--actor", metavar="USER",
                                               help="Only this user (repeatable)."),
    explain: bool = typer.Option(False, "--explain", help="Add the evaluator's full trace."),
    fmt: Optional[ReportFormat] = typer.Option(None, "--format", "-f", case_sensitive=False, show_default=False,
                                               help="text (default), json, markdown, junit or sarif."),
    config: Optional[str] = config_option(),
    color: ColorMode = color_option(),
) -> None:
    """Simulate scenarios."""
    from gluesim.cli import pipeline
    from gluesim.cli.scenario_files import load
    from gluesim.simulator.engine import simulate as run

    cfg = pipeline.settings(config)
    chosen = pipeline.chosen_format(fmt, cfg, ReportFormat)
    runs = []
    for path in scenario_paths or [None]:
        loaded = load(path)
        report = run(loaded.model, actions=action or list(cfg.actions) or None,
                     actors=actor or list(cfg.actors) or None, require_checks=True)
        runs.append((report, pipeline.scenario_findings(report, loaded.model, loaded.name, loaded.text, cfg)))
    emit(_rendered(runs, chosen, explain, output_style(color)))
    raise typer.Exit(max(pipeline.exit_status(findings, cfg) for _, findings in runs))


def _rendered(runs: list[tuple[Any, list[Any]]], fmt: ReportFormat, explain: bool, style: Any) -> str:
    from gluesim.cli.render.report import render, render_many

    if fmt is ReportFormat.sarif:
        from gluesim.cli.pipeline import sarif

        return sarif([finding for _, findings in runs for finding in findings])
    if len(runs) == 1:
        report, findings = runs[0]
        return render(report, fmt.value, explain, findings, style)
    return render_many(runs, fmt.value, explain, style)


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
