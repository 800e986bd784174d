"""``gluesim policy check``: validate policy documents like a careful linter.

Fatal problems (the document is not a policy AWS would accept) raise ``PolicyError``, one
located line: unreadable or non-UTF-8 bytes, an empty file, invalid JSON, nesting deeper
than any policy needs, characters IAM refuses, a document over AWS's size quota, and
grammar errors (missing Effect, bad Version, unknown operator, malformed ARN, Principal
where it does not belong, ...). A valid document can still carry findings: action names
that AWS's catalogue does not know (with "did you mean").
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gluesim.kb.errors import did_you_mean
from gluesim.simulator.iam import catalog, jsontext
from gluesim.simulator.iam.model import PolicyError, PolicyType
from gluesim.simulator.iam.patterns import glob_matcher
from gluesim.simulator.iam.policy import compile_located

MAX_FILE_BYTES = 1_000_000

# Character quotas, whitespace not counted:
# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-entity-length
# (managed policies 6,144; inline policies per user 2,048, per role 10,240, per group 5,120;
# role trust policy 2,048) and, for SCPs and RCPs (5,120),
# https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html
KINDS: dict[str, tuple[PolicyType, int | None, str]] = {
    "managed": (PolicyType.IDENTITY, 6144, "a managed policy"),
    "user": (PolicyType.IDENTITY, 2048, "the inline policies of a user"),
    "role": (PolicyType.IDENTITY, 10240, "the inline policies of a role"),
    "group": (PolicyType.IDENTITY, 5120, "the inline policies of a group"),
    "boundary": (PolicyType.PERMISSIONS_BOUNDARY, 6144, "a managed policy used as a permissions boundary"),
    "trust": (PolicyType.TRUST, 2048, "a role trust policy"),
    "scp": (PolicyType.SCP, 5120, "a service control policy"),
    "rcp": (PolicyType.RCP, 5120, "a resource control policy"),
    "resource": (PolicyType.RESOURCE, None, "a resource-based policy"),
    # AWS managed policies are identity policies that AWS writes; the customer quota does not bind them.
    "aws-managed": (PolicyType.IDENTITY, None, "an AWS managed policy"),
}
IAM_KINDS = ("managed", "user", "role", "group", "boundary", "trust", "aws-managed")
# IAM policy documents may hold only tab, LF, CR and U+0020..U+00FF (IAM name requirements,
# same quotas page).
_BAD_CHAR = re.compile(r"[^\t\n\r\x20-\xff]")
_SID = re.compile(r"[A-Za-z0-9]*")


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem in a valid document, at a line, column and JSON path."""

    source: str
    line: int
    column: int
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}:{self.column}: {self.path}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"file": self.source, "line": self.line, "column": self.column, "path": self.path,
                "message": self.message}


def read_policy_file(path: Path) -> str:
    """The file's text; PolicyError for unreadable, oversized, non-UTF-8 or empty files.

    The file is read through :func:`gluesim.kb.safefile.read_bytes`: a FIFO, a device or a
    symbolic link loop is refused, and the size cap counts the bytes actually read.
    """
    from gluesim.kb.safefile import UnreadableFile, read_bytes

    source = str(path)
    try:
        data = read_bytes(path, MAX_FILE_BYTES, "JSON policy file")
    except UnreadableFile as exc:
        raise PolicyError(exc.where, "", exc.what) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise PolicyError(source, "", f"byte 0x{data[exc.start]:02x} is not UTF-8; save the policy as UTF-8",
                          line, col) from None


def check_file(path: Path, kind: str = "managed") -> list[Finding]:
    """Check one policy file; raise PolicyError when it is not a valid policy."""
    return check_text(read_policy_file(path), str(path), kind)


def check_text(text: str, source: str, kind: str = "managed") -> list[Finding]:
    """Check policy text of ``kind`` (a key of KINDS); raise PolicyError when it is not valid."""
    policy_type, limit, described = KINDS[kind]
    if not text.strip():
        raise PolicyError(source, "", "the file is empty; expected a JSON policy document")
    jsontext.check_depth(text, source)
    data = jsontext.parse(text, source)
    positions = jsontext.Positions(text)
    if kind in IAM_KINDS:
        _check_characters(text, source, positions)
    if limit is not None:
        _check_size(data, source, limit, described)
    compile_located(text, source, policy_type, source)
    findings = _action_findings(data, positions, source)
    if kind in IAM_KINDS:
        findings += _sid_findings(data, positions, source)
    return findings + _variable_findings(data, text, positions, source)


def _check_characters(text: str, source: str, positions: jsontext.Positions) -> None:
    bad = _BAD_CHAR.search(text)
    if bad:
        line, col = positions.lines.position(bad.start())
        raise PolicyError(source, "", f"character U+{ord(bad.group()):04X} is not allowed in an IAM policy; "
                          "IAM accepts tab, line feed, carriage return and U+0020 to U+00FF", line, col)


def _check_size(data: Any, source: str, limit: int, described: str) -> None:
    size = len(json.dumps(data, separators=(",", ":"), ensure_ascii=False))
    if size > limit:
        raise PolicyError(source, "", f"the policy has {size:,} characters without white space; {described} may "
                          f"have at most {limit:,}; split it or use another policy kind (--kind)")


def _statements(data: Any) -> list[tuple[tuple[str | int, ...], dict[str, Any]]]:
    raw = data["Statement"]
    if isinstance(raw, list):
        return [(("Statement", i), statement) for i, statement in enumerate(raw)]
    return [(("Statement",), raw)]


def _finding(source: str, positions: jsontext.Positions, path: tuple[str | int, ...], message: str) -> Finding:
    line, col = positions.line_col(path) or (1, 1)
    return Finding(source, line, col, jsontext.format_path(path), message)


def _sid_findings(data: Any, positions: jsontext.Positions, source: str) -> list[Finding]:
    # In IAM a Sid holds only ASCII letters and digits:
    # https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html
    return [_finding(source, positions, (*prefix, "Sid"), f"Sid {statement['Sid']!r} has characters IAM does not "
                     "accept in a Sid; use only A-Z, a-z and 0-9")
            for prefix, statement in _statements(data)
            if statement.get("Sid") and not _SID.fullmatch(statement["Sid"])]


def _variable_findings(data: Any, text: str, positions: jsontext.Positions, source: str) -> list[Finding]:
    # Policy variables are replaced only under Version 2012-10-17; otherwise they are literal text.
    # https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html
    if data.get("Version") == "2012-10-17" or "${" not in text:
        return []
    found = re.search(r"\$\{[^}]*\}", text)
    assert found is not None
    line, col = positions.lines.position(found.start())
    return [Finding(source, line, col, "Version", f"{found.group()} is literal text, not a policy variable, because "
                    "the policy does not say \"Version\": \"2012-10-17\"")]


def _action_findings(data: Any, positions: jsontext.Positions, source: str) -> list[Finding]:
    findings = []
    for prefix, statement in _statements(data):
        for element in ("Action", "NotAction"):
            values = statement.get(element)
            if values is None:
                continue
            items = values if isinstance(values, list) else [values]
            for i, action in enumerate(items):
                problem = action_problem(action)
                if problem:
                    path = (*prefix, element, i) if isinstance(values, list) else (*prefix, element)
                    findings.append(_finding(source, positions, path, problem))
    return findings


def action_problem(action: str) -> str | None:
    """Why ``action`` (a pattern) names nothing AWS knows, or None."""
    if action == "*":
        return None
    service, _, name = action.partition(":")
    service = service.lower()
    known = catalog.actions(service)
    if not known:
        return f"unknown service prefix {service!r} in {action!r}" + did_you_mean(service, catalog.services())
    if "*" in name or "?" in name:
        matches = glob_matcher(name.lower())
        if not any(matches(candidate) for candidate in known):
            return f"{action!r} matches no known {service} action"
        return None
    return catalog.unknown_action(action)
