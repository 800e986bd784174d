"""Statement checks: risky grants (iam:PassRole, Not* elements, Principal "*"), and statements that add nothing."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from gluesim.simulator.iam import jsontext
from gluesim.simulator.iam.lint.actions import covers
from gluesim.simulator.iam.lint.findings import Document, Finding, JsonPath, values_of
from gluesim.simulator.iam.patterns import arn_matcher, glob_matcher

RESOURCE_KINDS = ("resource", "trust")
_SID = re.compile(r"[A-Za-z0-9]*")
_PASS_ROLE = "iam:passrole"


def risk_findings(doc: Document) -> Iterator[Finding]:
    """Allow statements that grant more than they seem to."""
    for prefix, statement in doc.statements():
        if statement.get("Effect") != "Allow":
            continue
        for element, code in (("NotAction", "ALLOW_WITH_NOT_ACTION"), ("NotResource", "ALLOW_WITH_NOT_RESOURCE")):
            if element in statement:
                yield doc.finding(code, (*prefix, element), f"Allow with {element} allows every "
                                  f"{element[3:].lower()} not listed, including those added to AWS later",
                                  at_key=True)
        if "NotPrincipal" in statement:
            yield doc.finding("ALLOW_WITH_NOT_PRINCIPAL", (*prefix, "NotPrincipal"), "Allow with NotPrincipal allows "
                              "every principal not listed, anonymous callers included", at_key=True)
        if doc.kind in RESOURCE_KINDS and _everyone(statement.get("Principal")) and "Condition" not in statement:
            yield doc.finding("PRINCIPAL_STAR_WITHOUT_CONDITION", (*prefix, "Principal"), "Principal \"*\" without a "
                              "Condition allows anyone, in any account or none", at_key=True)
        yield from _pass_role(doc, prefix, statement)


def _everyone(principal: Any) -> bool:
    if principal == "*":
        return True
    if isinstance(principal, dict):
        value = principal.get("AWS")
        return value == "*" or isinstance(value, list) and "*" in value
    return False


def _pass_role(doc: Document, prefix: JsonPath, statement: dict[str, Any]) -> Iterator[Finding]:
    """iam:PassRole on every role, or without saying to which service (id_roles_use_passrole page)."""
    actions = [(path, a) for path, a in values_of(statement, "Action", prefix) if glob_matcher(a.lower())(_PASS_ROLE)]
    if not actions:
        return
    resources = [r for _, r in values_of(statement, "Resource", prefix)]
    passed_to = any(key.lower() == "iam:passedtoservice" for block in (statement.get("Condition") or {}).values()
                    for key in block)
    path, action = actions[0]
    if "*" in resources and not passed_to:
        yield doc.finding("PASS_ROLE_WITH_STAR_IN_RESOURCE", path, f"{action!r} with Resource \"*\" lets the "
                          "principal pass any role, and so gain its permissions, to any service")
    elif not passed_to and any(a.lower() in (_PASS_ROLE, "iam:pass*") for _, a in actions):
        yield doc.finding("PASS_ROLE_WITHOUT_PASSED_TO_SERVICE", path, f"{action!r} without an iam:PassedToService "
                          "condition lets the roles be passed to any service")


def sid_findings(doc: Document) -> Iterator[Finding]:
    """Sids IAM refuses: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html."""
    for prefix, statement in doc.statements():
        sid = statement.get("Sid")
        if sid and not _SID.fullmatch(sid):
            yield doc.finding("INVALID_SID", (*prefix, "Sid"), f"Sid {sid!r} has characters IAM does not accept in a "
                              "Sid")


def variable_findings(doc: Document) -> Iterator[Finding]:
    """Policy variables are replaced only under Version 2012-10-17; otherwise they are literal text.

    https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html
    """
    if doc.data.get("Version") == "2012-10-17" or "${" not in doc.text:
        return
    found = re.search(r"\$\{[^}]*\}", doc.text)
    assert found is not None
    line, column = doc.positions.lines.position(found.start())
    yield Finding(doc.source, line, column, "Version", f"{found.group()} is literal text, not a policy variable, "
                  "because the policy does not say \"Version\": \"2012-10-17\"", "POLICY_VARIABLE_IN_2008_VERSION",
                  "WARNING")


MAX_COMPARED = 500  # distinct statements compared pairwise; a larger policy is only checked for copies


def overlap_findings(doc: Document) -> Iterator[Finding]:
    """Statements another statement makes useless: a copy, a covering Allow (redundant) or a covering Deny (shadowed)."""
    distinct: list[tuple[JsonPath, dict[str, Any]]] = []
    first: dict[str, JsonPath] = {}
    for prefix, statement in doc.statements():
        key = json.dumps({k: v for k, v in statement.items() if k != "Sid"}, sort_keys=True)
        if key in first:
            yield doc.finding("REDUNDANT_STATEMENT", prefix, f"the same as {jsontext.format_path(first[key])}")
        else:
            first[key] = prefix
            distinct.append((prefix, statement))
    plain = [(prefix, s) for prefix, s in distinct if _plain(s)]
    if len(plain) <= MAX_COMPARED:
        yield from _covering(doc, plain)


def _covering(doc: Document, plain: list[tuple[JsonPath, dict[str, Any]]]) -> Iterator[Finding]:
    for i, (prefix, statement) in enumerate(plain):
        if statement.get("Effect") != "Allow":
            continue
        for j, (other_prefix, other) in enumerate(plain):
            if i == j or not _covered(statement, other):
                continue
            where = f"statement {other['Sid']!r}" if other.get("Sid") else jsontext.format_path(other_prefix)
            if other.get("Effect") == "Deny":
                yield doc.finding("SHADOWED_STATEMENT", prefix, f"the Deny of {where} covers every request this "
                                  "Allow covers, so it never allows anything")
                break
            if other.get("Effect") == "Allow" and (not _covered(other, statement) or j < i):
                yield doc.finding("REDUNDANT_STATEMENT", prefix, f"{where} already allows everything this statement "
                                  "allows")
                break


def _plain(statement: dict[str, Any]) -> bool:
    return "Action" in statement and "Resource" in statement and "NotPrincipal" not in statement


def _listed(statement: dict[str, Any], element: str) -> list[str]:
    raw = statement.get(element)
    return [raw] if isinstance(raw, str) else list(raw or [])


def _covered(statement: dict[str, Any], other: dict[str, Any]) -> bool:
    """Whether ``other`` applies to every request ``statement`` applies to (same principals, looser or no condition)."""
    if json.dumps(statement.get("Principal"), sort_keys=True) != json.dumps(other.get("Principal"), sort_keys=True):
        return False
    if "Condition" in other and other.get("Condition") != statement.get("Condition"):
        return False
    actions = all(any(covers(o, a) for o in _listed(other, "Action")) for a in _listed(statement, "Action"))
    return actions and all(any(o == r or arn_matcher(o)(r) for o in _listed(other, "Resource"))
                           for r in _listed(statement, "Resource"))
