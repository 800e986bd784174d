"""Render ``gluesim policy simulate`` and ``gluesim policy check`` results (pure functions)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


def _where(ref: Any, sources: Mapping[str, str]) -> str:
    source = sources.get(ref.policy_id, ref.policy_id)
    return f"{source}:{ref.start_line}:{ref.start_column}"


def simulate_text(runs: Sequence[tuple[str, str, Any]], sources: Mapping[str, str], explain: bool = False) -> str:
    """One block per action x resource: decision, reason, deciding statements by file:line:col."""
    lines = []
    for action, resource, evaluation in runs:
        lines.append(f"{evaluation.decision.value:<13} {action}  {resource}")
        lines.append(f"  {evaluation.reason}")
        for ref in evaluation.deciding:
            lines.append(f"  {ref.label} at {_where(ref, sources)} ({ref.policy_id})")
        if evaluation.missing_context:
            lines.append("  missing context values: " + ", ".join(evaluation.missing_context))
        for feature in evaluation.undecided_features:
            lines.append(f"  undecided: {feature}")
        if explain:
            for outcome in evaluation.explained():
                verdict = {True: "applies", False: "does not apply", None: "undecided"}[outcome.applies]
                lines.append(f"    {outcome.ref.label} at {_where(outcome.ref, sources)}: {verdict}: {outcome.detail}")
    allowed = sum(1 for _, _, e in runs if e.allowed)
    lines.append(f"{allowed} of {len(runs)} allowed")
    return "\n".join(lines)


def simulate_markdown(runs: Sequence[tuple[str, str, Any]], sources: Mapping[str, str]) -> str:
    """A Markdown table of the decisions."""
    rows = ["| Decision | Action | Resource | Why | Statement |", "| --- | --- | --- | --- | --- |"]
    for action, resource, evaluation in runs:
        where = ", ".join(f"`{_where(ref, sources)}`" for ref in evaluation.deciding) or "-"
        reason = evaluation.reason.replace("|", "\\|")
        rows.append(f"| {evaluation.decision.value} | `{action}` | `{resource}` | {reason} | {where} |")
    return "\n".join(rows)


def check_text(results: Sequence[tuple[str, Sequence[Any]]]) -> str:
    """Each finding on its own line, then ``file: OK`` for clean files."""
    lines = []
    for source, findings in results:
        lines.extend(str(finding) for finding in findings)
        if not findings:
            lines.append(f"{source}: OK")
    return "\n".join(lines)


def check_data(results: Sequence[tuple[str, Sequence[Any]]]) -> list[dict[str, Any]]:
    """JSON-ready findings per file."""
    return [{"file": source, "findings": [f.as_dict() for f in findings]} for source, findings in results]


def check_markdown(results: Sequence[tuple[str, Sequence[Any]]]) -> str:
    """A Markdown list of findings."""
    lines = []
    for source, findings in results:
        if not findings:
            lines.append(f"- `{source}`: OK")
        for finding in findings:
            lines.append(f"- `{finding.source}:{finding.line}:{finding.column}` **{finding.finding_type}** "
                         f"[{finding.code}]({finding.check.link}) {finding.path}: {finding.message}; fix: "
                         f"{finding.check.fix}")
    return "\n".join(lines)
