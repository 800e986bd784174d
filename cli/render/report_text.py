"""A simulation Report as text for people: a summary first and last, verdicts, problems grouped by root cause.

A root cause is one failing requirement with one reason and one fix: when it blocks several
actions (a job role that cannot be passed blocks creating, saving and running the job) it
is printed once, with the actions it blocks, so each fix appears once. Statements are named
by their JSON path (``Statement[8]``, zero-based) and, for policies the scenario holds, the
line and column in the scenario file (docs/reference/locations.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from gluesim.cli.render.style import PLAIN, Style


@dataclass(slots=True)
class Problem:
    """One root cause: the failure (as first met), its finding, and every action it blocks."""

    failure: Any
    finding: Any
    blocked: list[str] = field(default_factory=list)


def label(result: Any) -> str:
    """``dana: create-job-s3 [flights-daily]``."""
    subject = f" [{result.subject}]" if result.subject else ""
    return f"{result.actor}: {result.action.removeprefix('action.')}{subject}"


def paired(report: Any, findings: list[Any] | None) -> Iterator[tuple[Any, Any, Any]]:
    """(result, failure, its finding or None) in report order (findings come in that order)."""
    failures = [(r, f) for r in report.results for f in r.failures]
    matched = list(findings or [])[:len(failures)] if findings else [None] * len(failures)
    for (result, failure), finding in zip(failures, matched, strict=True):
        yield result, failure, finding


def problems(report: Any, findings: list[Any] | None) -> tuple[list[Problem], list[Problem]]:
    """(problems that count, suppressed problems), each grouped by requirement, reason and fix."""
    groups: dict[tuple[str, str, str, bool], Problem] = {}
    for result, failure, finding in paired(report, findings):
        quiet = finding is not None and not finding.counts
        problem = groups.setdefault((failure.requirement, failure.reason, failure.fix, quiet),
                                    Problem(failure, finding))
        problem.blocked.append(label(result))
    values = list(groups.values())
    return [p for p in values if p.finding is None or p.finding.counts], \
        [p for p in values if p.finding is not None and not p.finding.counts]


def summary(report: Any, counted: int, quiet: int, style: Style = PLAIN) -> str:
    """``Scenario default (account 1111...): 2 pass, 4 fail, 0 unknown; 3 problems``."""
    counts = report.counts()
    text = (f"Scenario {report.scenario or '(unnamed)'} (account {report.account_id}): "
            f"{counts['pass']} pass, {counts['fail']} fail, {counts['unknown']} unknown")
    text += f"; {counted} problem{'s' if counted != 1 else ''}" if counted else ""
    text += f" ({quiet} suppressed)" if quiet else ""
    return style.heading(text)


def render_text(report: Any, explain: bool = False, findings: list[Any] | None = None, style: Style = PLAIN) -> str:
    """The report for people: summary, one line per action, the problems by root cause, the summary again."""
    counted, quiet = problems(report, findings)
    expired = list(findings or [])[sum(len(r.failures) for r in report.results):]
    head = summary(report, len(counted) + len(expired), len(quiet), style)
    lines = [head, ""]
    for result in report.results:
        lines.append(f"{style.verdict(result.verdict.value, f'{result.verdict.value.upper():7}')} {label(result)}")
        if explain:
            lines.append(style.dim("        checked: " + ", ".join(result.checked)))
    if counted:
        blocked = len({name for p in counted for name in p.blocked})
        lines += ["", style.heading(f"{_count(len(counted), 'problem')} "
                                    f"{'blocks' if len(counted) == 1 else 'block'} {_count(blocked, 'action')}:")]
    for number, problem in enumerate(counted, start=1):
        lines += _problem_lines(problem, f"{number}/{len(counted)}", explain, style)
    if quiet:
        lines += ["", style.dim(f"Suppressed ({len(quiet)}):")]
        lines += dict.fromkeys(style.dim(_suppressed_line(problem)) for problem in quiet)
    for finding in expired:
        lines += ["", style.fail(f"x {finding.rule}: {finding.message}"), f"      where: {finding.locations[0]}"]
    return "\n".join([*lines, "", head]) + "\n"


def _suppressed_line(problem: Problem) -> str:
    s = problem.finding.suppressed_by
    until = f" (until {s.expires})" if s.expires else ""
    return f"  - {problem.failure.requirement} ({', '.join(problem.blocked)}): {s.reason}{until} [{s.origin}]"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _problem_lines(problem: Problem, number: str, explain: bool, style: Style) -> list[str]:
    failure = problem.failure
    mark = style.unknown("?") if failure.unknown else style.fail("x")
    lines = ["", f"{mark} [{number}] {style.heading(failure.requirement)}: {failure.title}",
             f"      blocks: {', '.join(problem.blocked)}", f"      why: {failure.reason}"]
    if problem.finding is not None and problem.finding.locations[0].line:
        lines.append(f"      where: {problem.finding.locations[0]}")
    lines += [f"      {line}" for line in iam_lines(failure, explain)]
    lines.append(style.dim(f"      source: {failure.section} <{failure.url}>"))
    lines.append(f"      fix: {failure.fix}")
    return lines


def iam_lines(failure: Any, explain: bool) -> list[str]:
    """The IAM request, decision, deciding statements and the closest misses of a failure."""
    check = failure.iam
    if check is None:
        return []
    evaluation = check.evaluation
    lines = [f"request: {check.principal} -> {check.action} on {check.resource}"]
    if check.context:
        lines.append("context: " + ", ".join(f"{k}={'/'.join(v)}" for k, v in sorted(check.context.items())))
    if check.resource_policy:
        lines.append(f"resource policy: {check.resource_policy}")
    deciding = "; ".join(ref.describe() for ref in evaluation.deciding) or "no statement allows it"
    lines.append(f"decision: {evaluation.decision.value}; deciding: {deciding}")
    from gluesim.simulator.engine.context import near_misses

    lines += [f"closest: {line}" for line in near_misses(evaluation)]
    if check.unknown_keys:
        lines.append("unknown context keys: " + ", ".join(check.unknown_keys))
    if explain:
        lines.append("carried: " + ", ".join(f"{k}={'/'.join(v)}" for k, v in sorted(check.carried.items())))
        lines += [f"trace: {line}" for line in evaluation.trace]
    return lines
