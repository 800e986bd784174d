"""Suppressions: accepted findings, from the config file, a scenario's ``suppress:`` entries or a template's Metadata.

A suppression names a rule id and, optionally, actor, job and resource patterns (shell
globs, as ``fnmatch`` reads them), a reason and an expiry date. A suppressed finding is kept
(JSON and SARIF show it as suppressed) but does not decide the exit status; a suppression
past its date suppresses nothing and is itself a finding (:data:`EXPIRED_RULE`), so an
accepted risk comes back for review.

In a scenario, ``suppress:`` sits on a user (its actor) or a job (its job). In a
CloudFormation template, as cfn-lint reads ``Metadata: cfn-lint: config: ignore_checks``,
a resource's ``Metadata: gluesim: suppress: [...]`` applies to what the resource defines:
its ``RoleName``/``UserName``/``Name`` when written as plain text, else any name holding
its logical id (CloudFormation's generated names do).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import replace
from fnmatch import fnmatchcase
from typing import Any

from gluesim.kb.errors import LocatedError, did_you_mean
from gluesim.simulator.findings.model import Finding, Location, Suppression

EXPIRED_RULE = "gluesim.expired-suppression"
EXPIRED_HELP = "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege"
ENTRY_KEYS = ("rule", "reason", "expires", "actor", "job", "resource")
_NAME_PROPERTIES = {"AWS::IAM::Role": "RoleName", "AWS::IAM::User": "UserName", "AWS::Glue::Job": "Name"}


def apply(findings: Iterable[Finding], suppressions: Iterable[Suppression], today: datetime.date) -> list[Finding]:
    """``findings`` with each matching active suppression noted, then one finding per expired suppression."""
    rules = list(suppressions)
    active = [s for s in rules if not expired(s, today)]
    out = []
    for finding in findings:
        match = next((s for s in active if matches(s, finding)), None)
        out.append(replace(finding, suppressed_by=match) if match else finding)
    return out + [_expired_finding(s) for s in rules if expired(s, today)]


def matches(suppression: Suppression, finding: Finding) -> bool:
    """True when the rule and every pattern match the finding."""
    return all(fnmatchcase(value, pattern) for value, pattern in (
        (finding.rule, suppression.rule), (finding.actor, suppression.actor), (finding.job, suppression.job),
        (finding.resource, suppression.resource)))


def expired(suppression: Suppression, today: datetime.date) -> bool:
    """True when the suppression has an expiry date before ``today``."""
    return bool(suppression.expires) and datetime.date.fromisoformat(suppression.expires) < today


def _expired_finding(s: Suppression) -> Finding:
    return Finding(EXPIRED_RULE, "error", f"the suppression of {s.rule!r} expired on {s.expires} ({s.reason}); "
                   "review the finding, then remove the suppression or give it a new date",
                   "A suppression is past its expiry date", EXPIRED_HELP, (s.origin,), s.actor, s.job, s.resource,
                   s.expires)


def parse(entry: Any, where: Location, defaults: dict[str, str] | None = None) -> Suppression:
    """One suppression entry (a mapping) read from a file; a LocatedError when it is malformed."""
    place = str(where)
    if not isinstance(entry, dict):
        raise LocatedError(place, "a suppression is a mapping; expected rule: ..., reason: ...")
    for key in entry:
        if key not in ENTRY_KEYS:
            hint = did_you_mean(str(key), ENTRY_KEYS) or "; expected " + ", ".join(ENTRY_KEYS)
            raise LocatedError(place, f"unknown suppression field {key!r}{hint}")
    for key in ("rule", "reason"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            raise LocatedError(place, f"a suppression needs {key!r} (text); say which finding and why it is accepted")
    fields = {**(defaults or {}), **{k: str(entry[k]) for k in ("actor", "job", "resource") if k in entry}}
    return Suppression(entry["rule"], entry["reason"], expires=_date(entry.get("expires"), place), origin=where,
                       in_source=defaults is not None, **fields)


def _date(value: Any, place: str) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()[:10]
    try:
        return datetime.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise LocatedError(place, f"expires {value!r} is not a date; expected YYYY-MM-DD") from None


def scenario_suppressions(data: Any, name: str) -> list[Suppression]:
    """The ``suppress:`` entries on the users and jobs of parsed scenario data (from ``yamlsafe``)."""
    from gluesim.kb.yamlsafe import line_of

    found = []
    for section, field in (("users", "actor"), ("jobs", "job")):
        for item in data.get(section) or []:
            entries = item.get("suppress") or [] if isinstance(item, dict) else []
            for index, entry in enumerate(entries):
                where = Location(name, line_of(entries, index) or 0)
                found.append(parse(entry, where, {field: str(item.get("name", "*"))}))
    return found


def template_suppressions(template: Any, name: str) -> list[Suppression]:
    """``Metadata: gluesim: suppress:`` entries of a CloudFormation template's resources."""
    from gluesim.kb.yamlsafe import line_of

    found = []
    resources = template.get("Resources") if isinstance(template, dict) else None
    for logical_id, body in (resources or {}).items():
        meta = body.get("Metadata") if isinstance(body, dict) else None
        entries = (meta.get("gluesim") or {}).get("suppress") if isinstance(meta, dict) else None
        for index, entry in enumerate(entries or []):
            where = Location(name, line_of(entries, index) or line_of(resources, logical_id) or 0,
                             path=f"Resources.{logical_id}.Metadata.gluesim.suppress[{index}]")
            found.append(parse(entry, where, _defined_name(logical_id, body)))
    return found


def _defined_name(logical_id: str, body: dict[str, Any]) -> dict[str, str]:
    kind = body.get("Type", "")
    prop = (body.get("Properties") or {}).get(_NAME_PROPERTIES.get(kind, ""))
    name = prop if isinstance(prop, str) else f"*{logical_id}*"
    return {"job": name} if kind == "AWS::Glue::Job" else {"actor": name}
