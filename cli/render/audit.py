"""Render an audit (``gluesim.simulator.audit.Audit``) as text, markdown, CSV or JSON data."""

from __future__ import annotations

import csv
import io
from typing import Any

from gluesim.cli.render.style import PLAIN, Style

MARK = {"allowed": "yes", "denied": "no", "unknown": "?"}


def short(action: str) -> str:
    """``action.create-job-s3`` → ``create-job-s3``."""
    return action.removeprefix("action.")


def _yes_no(value: bool | None) -> str:
    return "unknown" if value is None else "yes" if value else "no"


def to_data(audit: Any, notices: list[str]) -> dict[str, Any]:
    """The audit as plain data (the documented JSON shape)."""
    return {
        "account_id": audit.account_id,
        "actions": [{"id": a, "title": t} for a, t in audit.actions],
        "principals": [
            {
                "kind": p.kind, "name": p.name, "arn": p.arn, "console_access": p.console_access,
                "assumable_by": list(p.assumable_by), "unknowns": list(p.unknowns),
                "actions": {short(v.action): {"verdict": v.verdict, "missing": list(v.missing), "reasons": list(v.reasons),
                                              "subjects": [{"subject": s, "verdict": sv} for s, sv in v.subjects]}
                            for v in p.actions},
            }
            for p in audit.principals
        ],
        "job_roles": [
            {"name": r.name, "trusts_glue": r.trusts_glue, "name_prefix": r.name_prefix,
             "service_permissions": r.service_permissions, "usable": r.usable, "missing": list(r.missing),
             "passable_by": list(r.passable_by)}
            for r in audit.job_roles
        ],
        "risky_grants": [{"principal": g.principal, "risk": g.risk, "title": g.title, "evidence": g.evidence} for g in audit.risks],
        "jobs": [{"name": j.name, "role": j.role, "actor": j.actor, "verdict": j.verdict, "failures": list(j.failures)} for j in audit.jobs],
        "notes": list(audit.notes) + notices,
    }


def summary(audit: Any, findings: list[Any] | None = None) -> str:
    """``Glue Studio audit of account 1111...: 114 principals, 14 actions; 9 risky grants, 0 failing jobs``."""
    everything = sum(1 for p in audit.principals if all(v.verdict == "allowed" for v in p.actions))
    nothing = sum(1 for p in audit.principals if not any(v.verdict == "allowed" for v in p.actions))
    quiet = sum(1 for f in findings or () if not f.counts)
    failing = sum(1 for j in audit.jobs if j.failures)
    text = (f"Glue Studio audit of account {audit.account_id}: {len(audit.principals)} principals, "
            f"{len(audit.actions)} actions ({everything} can do all, {nothing} none); {len(audit.risks)} risky grants"
            f", {failing} failing jobs")
    return text + (f" ({quiet} suppressed)" if quiet else "")


def text(audit: Any, notices: list[str], matrix: bool = False, findings: list[Any] | None = None,
         style: Style = PLAIN) -> str:
    """A report for people: the summary first and last; principals with the same access share one block."""
    head = style.heading(summary(audit, findings))
    lines = [head, ""]
    if matrix:
        lines += _matrix_text(audit) + [""]
    else:
        for group in _alike(audit.principals):
            lines += _principal_text(group, style)
    lines += _roles_text(audit) + _jobs_text(audit) + _risks_text(audit, findings or [], style)
    if audit.notes or notices:
        lines += ["Notes:"] + [f"  {n}" for n in (*audit.notes, *notices)] + [""]
    return "\n".join([*lines, head])


def _alike(principals: Any) -> list[list[Any]]:
    """Principals grouped by what they can and cannot do, and which requirements fail (first appearance order).

    The reasons name each principal, so the failing requirements (what the text shows) decide.
    """
    groups: dict[tuple[Any, ...], list[Any]] = {}
    for p in principals:
        key = (p.kind, p.console_access, p.assumable_by, p.unknowns,
               tuple((v.action, v.verdict, v.missing, tuple(r.partition(": ")[0] for r in v.reasons))
                     for v in p.actions))
        groups.setdefault(key, []).append(p)
    return list(groups.values())


def blockers(p: Any) -> list[tuple[str, list[str], list[str]]]:
    """(decision, requests, blocked actions): denied requests grouped by what they block.

    A reason reads ``decision: request: explanation``; requests with the same decision that
    block the same actions are listed together, so a principal with no Glue access gets a
    few lines, not one per action.
    """
    blocked: dict[str, list[str]] = {}
    for v in p.actions:
        for reason in v.reasons:
            blocked.setdefault(reason, []).append(short(v.action))
    groups: dict[tuple[str, tuple[str, ...]], list[str]] = {}
    for reason, actions in blocked.items():
        decision, _, rest = reason.partition(": ")
        request = rest.partition(": ")[0]
        groups.setdefault((decision, tuple(actions)), []).append(request)
    return [(decision, requests, list(actions)) for (decision, actions), requests in groups.items()]


def _principal_text(group: list[Any], style: Style = PLAIN) -> list[str]:
    p = group[0]
    console = f" (console password: {_yes_no(p.console_access)})" if p.kind == "user" else \
        f" (assumable by: {', '.join(p.assumable_by) or 'nobody'})"
    names = ", ".join(member.label for member in group)
    lines = [style.heading(names) + (f" ({len(group)} principals with the same access)" if len(group) > 1 else "")
             + console]
    lines += [f"  not exported: {u}" for u in p.unknowns]
    allowed = [short(v.action) for v in p.actions if v.verdict == "allowed"]
    lines.append(f"  can: {style.ok(', '.join(allowed)) if allowed else 'none of the Glue Studio actions'}")
    refused = [short(v.action) for v in p.actions if v.verdict == "denied"]
    unsure = [short(v.action) for v in p.actions if v.verdict == "unknown"]
    if refused:
        lines.append(f"  cannot: {style.fail(', '.join(refused))}")
    if unsure:
        lines.append(f"  unknown whether it can: {style.unknown(', '.join(unsure))}")
    if refused or unsure:
        for decision, requests, actions in blockers(p):
            lines.append(f"    {decision}: {', '.join(requests)}")
            lines.append(f"      {'affects' if decision == 'unknown' else 'blocks'}: {', '.join(actions)}")
    return lines + [""]


def _matrix_text(audit: Any) -> list[str]:
    names = [short(a) for a, _ in audit.actions]
    width = max([len(p.label) for p in audit.principals] + [9])
    header = "principal".ljust(width) + "  " + "  ".join(names)
    rows = [header]
    for p in audit.principals:
        cells = [MARK[v.verdict].center(len(n)) for v, n in zip(p.actions, names, strict=True)]
        rows.append(p.label.ljust(width) + "  " + "  ".join(cells))
    return rows + ["(yes = allowed, no = denied, ? = unknown)"]


def _roles_text(audit: Any) -> list[str]:
    lines = ["Job roles (roles whose trust policy may let glue.amazonaws.com assume them):"]
    if not audit.job_roles:
        lines.append("  none")
    for r in audit.job_roles:
        verdict = {True: "usable", False: "not usable", None: "unknown"}[r.usable]
        lines.append(
            f"  {r.name}: {verdict} (trusts glue.amazonaws.com: {_yes_no(r.trusts_glue)}; name starts with "
            f"AWSGlueServiceRole: {_yes_no(r.name_prefix)}; Glue service permissions: {_yes_no(r.service_permissions)})"
        )
        if r.missing:
            lines.append(f"    missing: {', '.join(r.missing)}")
        if r.usable:
            lines.append(f"    can be passed to Glue by: {', '.join(r.passable_by) or 'nobody audited'}")
    return lines + [""]


def _jobs_text(audit: Any) -> list[str]:
    if not audit.jobs:
        return []
    lines = ["Jobs (run-job as the engine simulates it):"]
    for j in audit.jobs:
        lines.append(f"  {j.name} (role {j.role}, run by {j.actor}): {j.verdict}")
        lines += [f"    {failure}" for failure in j.failures]
    return lines + [""]


def _risks_text(audit: Any, findings: list[Any], style: Style = PLAIN) -> list[str]:
    quiet = {(f.resource, f.key): f.suppressed_by for f in findings if f.rule.startswith("audit.") and not f.counts}
    lines = ["Risky grants:"]
    if not audit.risks:
        lines.append("  none found")
    for g in audit.risks:
        suppression = quiet.get((g.principal, g.risk))
        mark = style.dim(f" (suppressed: {suppression.reason})") if suppression else ""
        lines.append(f"  {g.principal}: {style.fail(g.risk) if not suppression else g.risk}: {g.title}{mark}")
        lines.append(f"    {g.evidence}")
    for f in findings:
        if f.rule == "gluesim.expired-suppression":
            lines.append(style.fail(f"  x {f.rule}: {f.message} ({f.locations[0]})"))
    return lines + [""]


def markdown(audit: Any, notices: list[str], matrix: bool = False) -> str:
    """A Markdown report: the matrix as a table, then job roles, risky grants and notes."""
    names = [short(a) for a, _ in audit.actions]
    lines = [f"# Glue Studio audit of account {audit.account_id}", ""]
    lines += ["| principal | console | " + " | ".join(names) + " |", "|---|---|" + "---|" * len(names)]
    for p in audit.principals:
        console = _yes_no(p.console_access) if p.kind == "user" else "n/a"
        lines.append(f"| `{p.label}` | {console} | " + " | ".join(MARK[v.verdict] for v in p.actions) + " |")
    if not matrix:
        lines += ["", "## Why not", ""]
        for p in audit.principals:
            for decision, requests, actions in blockers(p):
                verb = "affects" if decision == "unknown" else "blocks"
                lines.append(f"- `{p.label}`: {decision}: {', '.join(requests)} ({verb} {', '.join(actions)})")
    lines += ["", "## Job roles", "", "| role | trusts glue | name prefix | service permissions | usable | passed to Glue by |", "|---|---|---|---|---|---|"]
    for r in audit.job_roles:
        passers = ", ".join(f"`{p}`" for p in r.passable_by) or "-"
        lines.append(f"| `{r.name}` | {_yes_no(r.trusts_glue)} | {_yes_no(r.name_prefix)} | {_yes_no(r.service_permissions)} | {_yes_no(r.usable)} | {passers} |")
    if audit.jobs:
        lines += ["", "## Jobs", ""] + [f"- `{j.name}` (role `{j.role}`, run by `{j.actor}`): **{j.verdict}**" + "".join(f"\n  - {f}" for f in j.failures) for j in audit.jobs]
    lines += ["", "## Risky grants", ""]
    lines += [f"- `{g.principal}` **{g.risk}**: {g.title}. {g.evidence}" for g in audit.risks] or ["None found."]
    if audit.notes or notices:
        lines += ["", "## Notes", ""] + [f"- {n}" for n in (*audit.notes, *notices)]
    return "\n".join(lines)


def csv_text(audit: Any, matrix: bool = False) -> str:
    """CSV: one row per principal and action (or, with ``matrix``, one row per principal)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    names = [short(a) for a, _ in audit.actions]
    if matrix:
        writer.writerow(["kind", "name", "console_access", *names])
        for p in audit.principals:
            writer.writerow([p.kind, p.name, _yes_no(p.console_access) if p.kind == "user" else "", *(v.verdict for v in p.actions)])
    else:
        writer.writerow(["kind", "name", "action", "verdict", "missing", "reason"])
        for p in audit.principals:
            for v in p.actions:
                writer.writerow([p.kind, p.name, short(v.action), v.verdict, "; ".join(v.missing), v.reasons[0] if v.reasons else ""])
    return out.getvalue()
