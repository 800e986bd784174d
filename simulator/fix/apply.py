"""Apply structured Changes to a Scenario (pure: returns a new Scenario, never edits one)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from gluesim.simulator import model as m
from gluesim.simulator.policies import canonical_json, trust_policy_for_services
from gluesim.simulator.engine.results import Change

FIX_POLICY = "gluesim-fix"


def _statements(changes: Iterable[Change]) -> list[dict[str, Any]]:
    """Exact statements: each resource gets exactly its missing actions; equal action sets share a statement."""
    by_resource: dict[tuple[str, tuple], set[str]] = {}
    for change in changes:
        for resource in change.resources:
            by_resource.setdefault((resource, change.conditions), set()).update(change.actions)
    grouped: dict[tuple[tuple[str, ...], tuple], list[str]] = {}
    for (resource, conditions), actions in sorted(by_resource.items()):
        grouped.setdefault((tuple(sorted(actions)), conditions), []).append(resource)
    statements = []
    for (actions, conditions), resources in sorted(grouped.items()):
        statement: dict[str, Any] = {"Effect": "Allow", "Action": list(actions), "Resource": sorted(resources)}
        if conditions:
            condition: dict[str, dict[str, list[str]]] = {}
            for operator, key, values in conditions:
                condition.setdefault(operator, {})[key] = list(values)
            statement["Condition"] = condition
        statements.append(statement)
    return statements


def _with_statements(doc: m.PolicyDocument | None, name: str, statements: list[dict[str, Any]]) -> m.PolicyDocument:
    """``doc`` (or a new policy) with ``statements`` appended, Sids numbered to stay unique."""
    data = json.loads(doc.document) if doc is not None else {"Version": "2012-10-17", "Statement": []}
    existing = data["Statement"] if isinstance(data["Statement"], list) else [data["Statement"]]
    sids = {s.get("Sid") for s in existing}
    present = [{k: v for k, v in s.items() if k != "Sid"} for s in existing]
    for statement in statements:
        if statement in present:  # already granted: adding it again would change nothing
            continue
        number = len(existing) + 1
        while f"GluesimFix{number}" in sids:
            number += 1
        sids.add(f"GluesimFix{number}")
        existing.append({"Sid": f"GluesimFix{number}", **statement})
    data["Statement"] = existing
    return m.PolicyDocument(name, canonical_json(data), doc.where if doc is not None else "")


def _add_inline(item: Any, statements: list[dict[str, Any]]) -> Any:
    policies = list(item.inline_policies)
    current = next((p for p in policies if p.name == FIX_POLICY), None)
    updated = _with_statements(current, FIX_POLICY, statements)
    policies = [updated if p.name == FIX_POLICY else p for p in policies] if current else [*policies, updated]
    return replace(item, inline_policies=tuple(policies))


class Applier:
    """Applies changes to one scenario; unsupported ones are returned by :meth:`apply` as left over."""

    def __init__(self, scenario: m.Scenario) -> None:
        self.scenario = scenario
        self.account = scenario.account

    def apply(self, changes: list[Change]) -> tuple[m.Scenario, list[Change]]:
        """Return the changed scenario and the changes that could not be applied."""
        left: list[Change] = []
        allows: dict[str, list[Change]] = {}
        for change in changes:
            if change.kind == "allow":
                allows.setdefault(change.target, []).append(change)
                continue
            handler = getattr(self, "_" + change.kind.replace("-", "_"), None)
            if handler is None or handler(change) is False:
                left.append(change)
        for target, group in sorted(allows.items()):
            self._allow(target, group)
        return replace(self.scenario, account=self.account), left

    def _set(self, **fields: Any) -> None:
        self.account = replace(self.account, **fields)

    def _allow(self, target: str, changes: list[Change]) -> None:
        kind, _, name = target.partition(":")
        statements = _statements(changes)
        if kind == "user":
            self._set(users=tuple(_add_inline(u, statements) if u.name == name else u for u in self.account.users))
        else:
            self._set(roles=tuple(_add_inline(r, statements) if r.name == name else r for r in self.account.roles))

    def _allow_boundary(self, change: Change) -> bool:
        kind, _, name = change.target.partition(":")
        items = self.account.users if kind == "user" else self.account.roles
        arn = next(i.permissions_boundary for i in items if i.name == name)
        policy = next((p for p in self.account.managed_policies if p.arn == arn), None)
        if policy is None:  # an AWS managed boundary cannot be edited
            return False
        doc = _with_statements(policy.document, policy.document.name, _statements([change]))
        self._set(managed_policies=tuple(replace(p, document=doc) if p.arn == arn else p
                                         for p in self.account.managed_policies))
        return True

    def _allow_scp(self, change: Change) -> bool:
        org = self.account.organization
        if org is None:
            return False
        levels = []
        for level in org.scp_levels:
            if not level.policies:
                return False
            first = level.policies[0]
            updated = _with_statements(first, first.name, _statements([change]))
            levels.append(replace(level, policies=(updated, *level.policies[1:])))
        self._set(organization=replace(org, scp_levels=tuple(levels)))
        return True

    def _key_policy(self, change: Change) -> bool:
        key = next((k for k in self.account.kms_keys if k.arn == change.target), None)
        if key is None or key.policy is None:
            return False
        statement = {"Effect": "Allow", "Principal": {"AWS": list(change.resources)},
                     "Action": list(change.actions), "Resource": "*"}
        doc = _with_statements(key.policy, key.policy.name, [statement])
        self._set(kms_keys=tuple(replace(k, policy=doc) if k is key else k for k in self.account.kms_keys))
        return True

    def _bucket_policy(self, change: Change) -> bool:
        """A statement in the bucket policy naming the principal: the other account's side of a cross-account grant."""
        bucket = next((b for b in self.account.buckets if b.name == change.target), None)
        if bucket is None or bucket.policy is None:
            return False
        statement = {"Effect": "Allow", "Principal": {"AWS": [change.principal]}, "Action": list(change.actions),
                     "Resource": list(change.resources)}
        current = bucket.policy if isinstance(bucket.policy, m.PolicyDocument) else None
        doc = _with_statements(current, f"bucket policy of {bucket.name}", [statement])
        self._set(buckets=tuple(replace(b, policy=doc) if b is bucket else b for b in self.account.buckets))
        return True

    def _trust_service(self, change: Change) -> bool:
        role = next(r for r in self.account.roles if r.name == change.target)
        if role.trust_policy is None:
            return False
        statement = {"Effect": "Allow", "Principal": {"Service": list(change.resources)}, "Action": "sts:AssumeRole"}
        doc = _with_statements(role.trust_policy, role.trust_policy.name, [statement])
        self._set(roles=tuple(replace(r, trust_policy=doc) if r is role else r for r in self.account.roles))
        return True

    def _console_access(self, change: Change) -> None:
        self._set(users=tuple(replace(u, console_access=True) if u.name == change.target else u
                              for u in self.account.users))

    def _billing_access(self, change: Change) -> None:
        self._set(billing_iam_access=True)

    def _create_table(self, change: Change) -> None:
        database, _, table = change.target.partition(".")
        databases = list(self.account.databases)
        found = next((d for d in databases if d.name == database), None)
        if found is None:
            databases.append(m.Database(database, (m.Table(table),)))
        elif table not in {t.name for t in found.tables}:
            databases = [replace(d, tables=(*d.tables, m.Table(table))) if d is found else d for d in databases]
        self._set(databases=tuple(databases))

    def _cluster_role(self, change: Change) -> None:
        name = f"RedshiftGlueTemp-{change.target}"
        if name not in {r.name for r in self.account.roles}:
            trust = m.PolicyDocument("trust policy", trust_policy_for_services(["redshift.amazonaws.com"]))
            self._set(roles=(*self.account.roles, m.Role(name, trust_policy=trust)))
        self._set(redshift_clusters=tuple(replace(c, roles=(*c.roles, name)) if c.id == change.target else c
                                          for c in self.account.redshift_clusters))

    def _dns(self, change: Change) -> None:
        self._set(vpcs=tuple(replace(v, enable_dns_support=True, enable_dns_hostnames=True)
                             if v.id == change.target else v for v in self.account.vpcs))

    def _rename_role(self, change: Change) -> None:
        from gluesim.simulator.fix.network import rename_role

        self.scenario, self.account = rename_role(replace(self.scenario, account=self.account), change.target)

    def _nat_gateway(self, change: Change) -> None:
        from gluesim.simulator.fix.network import add_nat

        self._set(vpcs=tuple(add_nat(v, *change.resources) if v.id == change.target else v
                             for v in self.account.vpcs))

    def _s3_endpoint(self, change: Change) -> None:
        from gluesim.simulator.fix.network import add_s3_endpoint

        self._set(vpcs=tuple(add_s3_endpoint(v, *change.resources) if v.id == change.target else v
                             for v in self.account.vpcs))

    def _sg_self_rule(self, change: Change) -> bool:
        from gluesim.simulator.fix.network import add_self_rule

        result = add_self_rule(self.account, change.target, change.resources)
        if result is None:
            return False
        self.account = result
        return True
