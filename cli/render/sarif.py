"""Render findings as SARIF 2.1.0 (a pure function: findings in, JSON text out).

One run per command. Rules are the findings' rule ids (KB ids, ``audit.<risk>``, policy
check issue codes) with their title and AWS help page; each result points at the file and
the 1-based line and column the user wrote, carries the JSON path as a logical location,
and a ``partialFingerprints`` entry that does not depend on line numbers, so code scanning
tracks a finding across runs and edits. Suppressed findings are kept, with SARIF's
``suppressions`` (``external`` from the config file, ``inSource`` from the scenario or
template). Validated in the tests against the OASIS SARIF 2.1.0 schema.
"""

from __future__ import annotations

import json
from pathlib import PurePath
from typing import Any
from urllib.parse import quote

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
FINGERPRINT = "gluesim/v1"


def render(findings: list[Any], version: str) -> str:
    """The SARIF log of ``findings`` (one run of tool gluesim ``version``), as stable JSON text."""
    rules: dict[str, dict[str, Any]] = {}
    for finding in findings:
        rules.setdefault(finding.rule, _rule(finding))
    index = {rule: number for number, rule in enumerate(rules)}
    log = {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "gluesim", "version": version, "semanticVersion": version,
                                "rules": list(rules.values())}},
            "columnKind": "unicodeCodePoints",
            "results": [_result(f, index[f.rule]) for f in findings],
        }],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def _rule(finding: Any) -> dict[str, Any]:
    rule: dict[str, Any] = {"id": finding.rule, "shortDescription": {"text": finding.title or finding.rule},
                            "defaultConfiguration": {"level": finding.level}}
    if finding.help_uri:
        rule["helpUri"] = finding.help_uri
        rule["help"] = {"text": f"{finding.title}: {finding.help_uri}"}
    return rule


def _result(finding: Any, rule_index: int) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": finding.level,
        "message": {"text": finding.message},
        "locations": [_location(loc) for loc in finding.locations[:1]],
        "partialFingerprints": {FINGERPRINT: finding.fingerprint},
        "properties": {k: v for k, v in (("actor", finding.actor), ("job", finding.job),
                                         ("resource", finding.resource)) if v},
    }
    if len(finding.locations) > 1:
        result["relatedLocations"] = [{"id": n, **_location(loc)} for n, loc in enumerate(finding.locations[1:])]
    if finding.suppressed_by is not None:
        s = finding.suppressed_by
        result["suppressions"] = [{"kind": "inSource" if s.in_source else "external", "status": "accepted",
                                   "justification": s.reason + (f" (until {s.expires})" if s.expires else "")}]
    return result


def _location(location: Any) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": _uri(location.file)}}
    if location.line:
        physical["region"] = {"startLine": location.line, **({"startColumn": location.column} if location.column else {})}
    found: dict[str, Any] = {"physicalLocation": physical}
    if location.path:
        found["logicalLocations"] = [{"fullyQualifiedName": location.path}]
    return found


def _uri(file: str) -> str:
    """A URI reference for ``file``: relative paths stay relative (SARIF resolves them from the run's folder)."""
    path = PurePath(file)
    if path.is_absolute():
        return path.as_uri()
    return quote(path.as_posix(), safe="/")
