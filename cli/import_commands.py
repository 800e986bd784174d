"""``gluesim import`` and ``gluesim audit``: real exports in, a scenario file or an audit out.

Thin commands: parse options, call ``gluesim.simulator.importers`` / ``gluesim.simulator.audit``,
render with ``gluesim.cli.render.audit``, pick the exit code.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import TYPE_CHECKING, Optional

import typer

from gluesim.cli.common import EXIT_PROBLEMS, Format, emit, emit_json, format_option
from gluesim.cli.pipeline import config_option
from gluesim.cli.terminal import ColorMode, color_option, output_style, progress_bar

if TYPE_CHECKING:  # annotations only: the importers are loaded inside the commands
    from gluesim.simulator.importers.common import Notice
    from gluesim.simulator.model import Scenario

IMPORT_HELP = """Turn real AWS exports into a scenario file you can edit and replay with 'gluesim simulate'.

SOURCES are any mix of: 'aws iam get-account-authorization-details' output (JSON), an export
folder (see docs/guides/export-bundle.md), CloudFormation templates (JSON or YAML). What the
sources do not say is reported as unknown, never assumed; passwords are never copied.

\b
Examples:
  gluesim import gaad.json --to account.yaml
  gluesim import export/ --to account.yaml --actor analyst
  gluesim import stack.yaml --parameter Env=prod --region eu-west-1 --to stack-scenario.yaml
  gluesim import cdk.out/MyStack.template.json --parameters file://params.json --to stack.yaml
  gluesim import org-export/ --to scenarios/     (a folder of many accounts: one file per account)
"""

AUDIT_HELP = """Audit an account: who can do which Glue Studio actions and why not, which roles can
run Glue jobs, and the risky grants a reviewer should see.

Every verdict is the simulation engine's, as 'gluesim simulate' computes it, with the
scenario's real jobs and job roles (or one stand-in job per possible job role when the
sources hold no job). SOURCES are the same as for 'gluesim import', or one scenario file.
Exit status 1 when a risky grant is found (a role anyone may assume is one) or a job of the
sources fails (unless suppressed in the config file, the scenario or the template's Metadata,
or below the config's fail-on level); 2 for bad input or nothing to audit.

\b
Examples:
  gluesim audit gaad.json
  gluesim audit export/ --principal analyst --format markdown
  gluesim audit gaad.json --matrix --format csv
  gluesim audit org-export/ --jobs 2        (a folder of many accounts: each, then across accounts)
  gluesim audit stack.yaml --format sarif > audit.sarif
"""


class AuditFormat(str, enum.Enum):
    """Output formats of ``gluesim audit``."""

    text = "text"
    json = "json"
    markdown = "markdown"
    csv = "csv"
    sarif = "sarif"


def register(app: typer.Typer) -> None:
    """Add ``import`` and ``audit`` to app."""
    app.command("import", help=IMPORT_HELP)(import_command)
    app.command("audit", help=AUDIT_HELP)(audit_command)


def _options(parameter: list[str], parameters: Optional[str], region: Optional[str], account_id: Optional[str], allow_partial: bool):  # noqa: ANN202
    from gluesim.kb.errors import LocatedError
    from gluesim.simulator.importers import ImportOptions
    from gluesim.simulator.importers.cfn.parameters import read_parameter_file

    values, origins = read_parameter_file(parameters) if parameters else ({}, {})
    for item in parameter:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise LocatedError(f"--parameter {item!r}", "expected KEY=VALUE")
        values[key], origins[key] = value, f"--parameter {key}"
    if account_id is not None and not (account_id.isdigit() and len(account_id) == 12):
        raise LocatedError(f"--account-id {account_id!r}", "expected a 12-digit account id")
    if region is not None:
        from gluesim.simulator.policies import is_region_name

        if not is_region_name(region):
            raise LocatedError(f"--region {region!r}", "is not an AWS Region name; expected e.g. 'eu-west-1'")
    return ImportOptions(parameters=values, parameter_origins=origins, region=region, account_id=account_id,
                         allow_partial=allow_partial)


SOURCES = typer.Argument(..., metavar="SOURCE...", help="Export files, export folders or CloudFormation templates.", show_default=False)
PARAMETER = typer.Option([], "--parameter", "-p", help="A template parameter, KEY=VALUE (repeatable).")
PARAMETERS = typer.Option(None, "--parameters", help="A parameter file, FILE or file://FILE: the create-stack JSON list, or {\"Parameters\": {...}} (CodePipeline template configuration).")
REGION = typer.Option(None, "--region", help="The region the exports come from (default: from the exports, else us-east-1).")
ACCOUNT = typer.Option(None, "--account-id", help="The 12-digit account id (default: from the exports).")
PARTIAL = typer.Option(False, "--allow-partial", help="Import exports cut short by --max-items (what is missing is unknown).")


def import_command(
    sources: list[str] = SOURCES,
    to: str = typer.Option(..., "--to", help="The scenario file to write.", show_default=False),
    actor: Optional[str] = typer.Option(None, "--actor", help="The user who builds the imported Glue jobs (they are checked as theirs)."),
    parameter: list[str] = PARAMETER,
    parameters: Optional[str] = PARAMETERS,
    region: Optional[str] = REGION,
    account_id: Optional[str] = ACCOUNT,
    allow_partial: bool = PARTIAL,
    fmt: Format = format_option(),
) -> None:
    from gluesim.kb.atomic import check_not_an_input, check_writable, write_text_atomic
    from gluesim.simulator import scenario as scenario_file
    from gluesim.simulator.importers import import_scenario, organization_plan

    options = _options(parameter, parameters, region, account_id, allow_partial)
    org = organization_plan(sources, options)
    if org is not None:
        from gluesim.cli.org_import import import_organization

        import_organization(org, to, options, actor, fmt)
        return
    where = f"--to {to!r}"
    check_writable(to, where)
    check_not_an_input(to, [*sources, *([parameters] if parameters else [])], where)
    with progress_bar("Importing"):  # an indeterminate bar on a terminal: the importers report no steps
        scenario, notices = _nothing_usable_exits(lambda: import_scenario(sources, options, actor))
    text = scenario_file.dump(scenario)
    scenario_file.loads(text, to)  # what we write must load back: refuse rather than write a broken file
    write_text_atomic(to, text, where)
    _report_import(to, scenario, notices, fmt)


def _nothing_usable_exits(run):  # noqa: ANN001, ANN202
    """Run an import; a folder with nothing usable lists why and exits 1 (not an input error: it read fine)."""
    from gluesim.simulator.importers.sources import NothingUsable

    try:
        return run()
    except NothingUsable as exc:
        for notice in exc.notices:
            typer.echo(notice.line(), err=True)
        typer.echo(f"Nothing imported: {exc}", err=True)
        raise typer.Exit(EXIT_PROBLEMS) from None


def _report_import(to: str, scenario: Scenario, notices: Iterable[Notice], fmt: Format) -> None:
    """Say what was written, and every notice, in the chosen format."""
    account = scenario.account
    counts = {"users": len(account.users), "groups": len(account.groups), "roles": len(account.roles),
              "policies": len(account.managed_policies), "buckets": len(account.buckets), "vpcs": len(account.vpcs),
              "connections": len(account.connections), "jobs": len(scenario.jobs)}
    items = list(notices)
    if fmt is Format.json:
        emit_json({"written": to, "counts": counts, "notices": [
            {"severity": n.severity.value, "where": n.where, "message": n.message, "subjects": list(n.subjects)}
            for n in items]})
        return
    names = {"vpcs": "VPCs"}
    summary = ", ".join(f"{n} {names.get(k, k)}" for k, n in counts.items())
    if fmt is Format.markdown:
        emit("\n".join([f"Wrote `{to}`: {summary}; {len(items)} notes.", ""] + [f"- {n.line()}" for n in items]))
        return
    emit(f"Wrote {to}: {summary}; {len(items)} notes.")
    for notice in items:
        typer.echo(notice.line(), err=True)


def audit_command(
    sources: list[str] = SOURCES,
    principal: list[str] = typer.Option([], "--principal", help="Audit only this user or role (name or ARN; repeatable)."),
    output: Optional[AuditFormat] = typer.Option(None, "--format", "-f", case_sensitive=False, show_default=False,
                                                 help="text (default), json, markdown, csv or sarif."),
    matrix: bool = typer.Option(False, "--matrix", help="Show principals x actions as one table."),
    actor: Optional[str] = typer.Option(None, "--actor", help="Check the imported Glue jobs as built and run by this user."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1, help="Accounts audited at once in an organization folder (default: the number of cores)."),
    parameter: list[str] = PARAMETER,
    parameters: Optional[str] = PARAMETERS,
    region: Optional[str] = REGION,
    account_id: Optional[str] = ACCOUNT,
    allow_partial: bool = PARTIAL,
    config: Optional[str] = config_option(),
    color: ColorMode = color_option(),
) -> None:
    from gluesim.cli import pipeline
    from gluesim.cli.render import audit as render
    from gluesim.simulator.audit import audit
    from gluesim.simulator.findings.collect import from_audit
    from gluesim.simulator.importers import load_for_audit, organization_plan

    cfg = pipeline.settings(config)
    chosen = pipeline.chosen_format(output, cfg, AuditFormat)
    options = _options(parameter, parameters, region, account_id, allow_partial)
    org = organization_plan(sources, options)
    if org is not None:
        from gluesim.cli.org_import import audit_organization

        audit_organization(org, options, jobs, chosen, matrix, sources, cfg)
        return
    with progress_bar("Reading the sources"):
        scenario, notices = _nothing_usable_exits(lambda: load_for_audit(sources, options, actor))
    from gluesim.simulator.importers.common import unknowns_by_subject

    with progress_bar("Auditing principals") as advance:
        result = audit(scenario, principal or None, unknown=unknowns_by_subject(notices), progress=advance)
    locator, in_source = pipeline.audit_context(sources)
    findings = pipeline.suppressed(from_audit(result, sources, locator), cfg, in_source)
    lines = [n.line() for n in notices]
    if chosen is AuditFormat.json:
        emit_json({**render.to_data(result, lines), "findings": [f.as_dict() for f in findings]})
    elif chosen is AuditFormat.sarif:
        emit(pipeline.sarif(findings))
    elif chosen is AuditFormat.markdown:
        emit(render.markdown(result, lines, matrix))
    elif chosen is AuditFormat.csv:
        emit(render.csv_text(result, matrix))
        for line in lines:
            typer.echo(line, err=True)
    else:
        emit(render.text(result, lines, matrix, findings, output_style(color)))
    raise typer.Exit(pipeline.exit_status(findings, cfg))
