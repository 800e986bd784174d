"""Render an organization's audit (``gluesim.simulator.audit.organization.OrgAudit``): pure functions."""

from __future__ import annotations

import csv
import io
from typing import Any

from gluesim.cli.render import audit as account_render

KINDS = {"assume-role": "may assume the role", "bucket": "may use the bucket", "job-role-data": "job role reads the bucket"}


def to_data(result: Any) -> dict[str, Any]:
    """The documented JSON shape: the organization, each account's audit, the cross-account grants."""
    return {
        "organization": result.organization,
        "accounts": [{**account_render.to_data(a.audit, list(a.notes)), "account_id": a.account_id} for a in result.accounts],
        "cross_account": [{"kind": g.kind, "owner": g.owner, "resource": g.resource, "grantee": g.grantee,
                           "actions": list(g.actions), "verdict": g.verdict, "reason": g.reason} for g in result.cross],
        "ignored": [{"file": f, "reason": why} for f, why in result.ignored],
    }


def _summary(result: Any) -> list[str]:
    lines = [f"Glue Studio audit of organization {result.organization or '(id unknown)'}: {len(result.accounts)} accounts, "
             f"{sum(len(a.audit.principals) for a in result.accounts)} principals, {len(result.cross)} cross-account grants", ""]
    for a in result.accounts:
        failing = sum(1 for j in a.audit.jobs if j.verdict != "pass")
        lines.append(f"- {a.account_id}: {len(a.audit.principals)} principals, {len(a.audit.job_roles)} job roles, "
                     f"{len(a.audit.risks)} risky grants, {failing} jobs not passing")
    return lines


def _cross(result: Any) -> list[str]:
    lines = ["", "Across accounts:"] if result.cross else ["", "Across accounts: nothing crosses accounts."]
    for g in result.cross:
        who = "anyone" if g.grantee == "*" else g.grantee
        lines.append(f"- {who} {KINDS[g.kind]} {g.resource} of {g.owner} ({', '.join(g.actions)}): {g.verdict}"
                     + (f"; {g.reason}" if g.reason and g.kind != "job-role-data" else ""))
    return lines


def text(result: Any, matrix: bool = False) -> str:
    """The report for people: per-account summary, then each account's audit, then what crosses accounts."""
    lines = _summary(result)
    for a in result.accounts:
        lines += ["", f"== account {a.account_id} ==", account_render.text(a.audit, list(a.notes), matrix)]
    return "\n".join(lines + _cross(result) + [f"ignored: {f}: {why}" for f, why in result.ignored])


def markdown(result: Any, matrix: bool = False) -> str:
    """Markdown: the summary, each account's audit as a section, the cross-account grants."""
    lines = ["# " + _summary(result)[0], "", *_summary(result)[2:]]
    for a in result.accounts:
        lines += ["", account_render.markdown(a.audit, list(a.notes), matrix).replace("\n# ", "\n## ", 1).replace("# ", "## ", 1)]
    return "\n".join(lines + _cross(result))


def csv_text(result: Any) -> str:
    """CSV: one row per account, principal and action."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["account", "kind", "principal", "action", "verdict"])
    for a in result.accounts:
        for principal in a.audit.principals:
            for verdict in principal.actions:
                writer.writerow([a.account_id, principal.kind, principal.name, verdict.action, verdict.verdict])
    return out.getvalue().rstrip("\n")
