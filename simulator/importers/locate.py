"""Point a bad policy in an import at the user's own file, not at the scenario built from it.

An import becomes scenario data that ``gluesim.simulator.scenario`` reads like a file; a policy
IAM's grammar refuses is found there, where it has no line. Only then (the good path costs
nothing) the imported documents are checked again in order, each with the place it was read
from: ``gaad.json: UserDetailList[0].UserPolicyList[0].PolicyDocument.Statement[0].Resource``
for exports, ``template.yaml:LINE`` for templates (the line of the element when the template
is YAML, else its JSON path).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from gluesim.kb.errors import LocatedError
from gluesim.simulator.importers import records as r


def locate_policy_error(imp: r.Imported) -> LocatedError | None:
    """The first imported policy the IAM grammar refuses, located in its source; None if all are fine."""
    from gluesim.simulator.iam import PolicyError, PolicyType, compile_policy

    for doc, kind in _documents(imp):
        try:
            compile_policy(doc.document, doc.name, PolicyType[kind])
        except PolicyError as exc:
            return LocatedError(_where(doc, exc.parts, exc.path), f"policy {doc.name!r}: {exc.what}")
    return None


def _documents(imp: r.Imported) -> Iterator[tuple[r.PolicyDoc, str]]:
    for principal in (*imp.users, *imp.groups, *imp.roles):
        for doc in principal.inline_policies:
            yield doc, "IDENTITY"
    for role in imp.roles:
        if role.trust_policy is not None:
            yield role.trust_policy, "TRUST"
    for policy in imp.managed_policies:
        if policy.document is not None:
            yield policy.document, "IDENTITY"
    for holder in (*imp.buckets, *imp.kms_keys, *imp.secrets, *imp.vpc_endpoints):
        if holder.policy is not None:
            yield holder.policy, "RESOURCE"
    for scp in imp.organization.scps if imp.organization else ():
        if scp.document is not None:
            yield scp.document, "SCP"


def _where(doc: r.PolicyDoc, parts: tuple[Any, ...], path: str) -> str:
    """The deepest line of the template node the error's path reaches, or the origin plus the path."""
    line = _deepest_line(doc.node, parts)
    head, _, tail = doc.origin.rpartition(":")
    if line and tail.isdigit():
        return f"{head}:{line}"
    if tail.isdigit():
        return doc.origin
    return f"{doc.origin}.{path}" if path else doc.origin


def _deepest_line(node: Any, parts: tuple[Any, ...]) -> int | None:
    line = getattr(node, "line", None)
    for key in parts:
        if isinstance(node, list) and isinstance(key, int) and key < len(node):
            items = getattr(node, "item_lines", None) or []
            line = items[key] if key < len(items) else line
            node = node[key]
        elif isinstance(node, dict) and key in node:
            line = (getattr(node, "key_lines", None) or {}).get(key, line)
            node = node[key]
        else:
            break
        line = getattr(node, "line", None) or line
    return line
