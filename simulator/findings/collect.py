"""Findings from each command's result: a simulation Report, an Audit, policy check findings.

Rule ids are the knowledge base's requirement ids (simulate, audit jobs), ``audit.<risk>``
for risky grants, and the policy checker's issue codes. Each finding's first location is
where the user would change something: the deciding statement when a statement decides,
else the job role's, the user's or the job's entry in the scenario file.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from gluesim.simulator.findings.locate import ScenarioLocator, policy_where
from gluesim.simulator.findings.model import Finding, Location

# AWS pages for the audit's risky grants (the KB cites the Glue pages for everything else).
RISK_HELP = {
    "admin": "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
    "passrole-any": "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html",
    "glue-and-s3-full": "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
    "iam-escalation": "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
    # A trust policy whose Principal is "*": "Use the principal element in a trust policy", IAM User Guide.
    "assumable-by-anyone": "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html",
    "pass-privileged-job-role": "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html",
}
POLICY_HELP = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html"
# IAM Access Analyzer's finding types, as SARIF levels (a security warning fails policy check by default).
POLICY_LEVELS = {"ERROR": "error", "SECURITY_WARNING": "error", "WARNING": "warning", "SUGGESTION": "note"}


def from_report(report: Any, scenario: Any, locator: ScenarioLocator) -> list[Finding]:
    """One finding per failing (or unknown) requirement of each actor x action (x job)."""
    roles = {job.name: job.role for job in scenario.jobs}
    found = []
    for result in report.results:
        for failure in result.failures:
            job = result.subject or ""
            resource = failure.iam.resource if failure.iam else job
            locations = _report_locations(failure, result.actor, job, roles.get(job), locator)
            action = result.action.removeprefix("action.")
            found.append(Finding(
                failure.requirement, "warning" if failure.unknown else "error",
                f"{result.actor}: {action}" + (f" [{job}]" if job else "") + f": {failure.reason}; fix: {failure.fix}",
                failure.title, failure.url, locations, result.actor, job, resource,
                f"{action} {failure.iam.action}" if failure.iam else action))
    return found


def _report_locations(failure: Any, actor: str, job: str, role: str | None,
                      locator: ScenarioLocator) -> tuple[Location, ...]:
    statements = []
    if failure.iam is not None:
        for ref in failure.iam.evaluation.deciding:
            where = locator.statement(policy_where(ref), ref.index)
            if where is not None:
                statements.append(where)
    owner = (locator.entry("role", role) if failure.requirement.startswith("job-role.") and role else None) \
        or (locator.entry("job", job) if job and not failure.requirement.startswith("user.") else None) \
        or locator.entry("user", actor)
    found = [*statements, *([owner] if owner else [])]
    return tuple(found) or (Location(locator.name),)


def from_audit(audit: Any, sources: Sequence[str], locator: ScenarioLocator | None) -> list[Finding]:
    """Risky grants (``audit.<risk>``) and the failures of the jobs the audit simulated."""
    file = sources[0] if sources else ""
    found = []
    for grant in audit.risks:
        kind, _, name = grant.principal.partition("/")
        where = (locator.entry(kind, name) if locator else None) or Location(file)
        found.append(Finding(f"audit.{grant.risk}", "warning", f"{grant.principal}: {grant.title}. {grant.evidence}",
                             grant.title, RISK_HELP.get(grant.risk, RISK_HELP["admin"]), (where,), name,
                             resource=grant.principal, key=grant.risk))
    for job in audit.jobs:
        for failure in job.failures:
            rule, _, reason = failure.partition(": ")
            where = (locator.entry("job", job.name) if locator else None) or Location(file)
            found.append(Finding(rule, "error", f"job {job.name} (run by {job.actor}): {reason}", rule, _kb_url(rule),
                                 (where,), job.actor, job.name, job.role, "run-job"))
    return found


def _kb_url(entry_id: str) -> str:
    from gluesim.kb.loader import load

    kb = load()
    return kb.get(entry_id).source.url if entry_id in kb else ""


def from_policy_check(results: Iterable[tuple[str, Sequence[Any]]],
                      invalid: Iterable[tuple[str, Any]] = ()) -> list[Finding]:
    """Each policy check finding (its issue code as the rule, its type as the category; the catalogue's fix
    as the rule's description and its page as help), and each document that is not a policy."""
    found = []
    for _, findings in results:
        for f in findings:
            check = f.check
            found.append(Finding(f.code, POLICY_LEVELS[f.finding_type], f.message, check.fix, check.link or POLICY_HELP,
                                 (Location(f.source, f.line, f.column, f.path),), resource=f.source,
                                 key=f"{f.path}:{f.message}", category=f.finding_type))
    for source, error in invalid:
        location = Location(source, getattr(error, "line", None) or 0, getattr(error, "col", None) or 0,
                            getattr(error, "path", "") or "")
        found.append(Finding("POLICY_INVALID", "error", getattr(error, "what", str(error)),
                             "The document is not a policy IAM accepts", POLICY_HELP, (location,),
                             resource=source, key="invalid", category="ERROR"))
    return found
