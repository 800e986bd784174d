"""Write a Scenario back as YAML that ``scenario.load`` reads to an equal Scenario.

Fields equal to the loader's default are left out; an unknown (None) value whose
default is known is written as ``null``, so unknowns survive the round trip.
"""

from __future__ import annotations

import json
from typing import Any

from gluesim.simulator import model as m
from gluesim.simulator.policies import aws_managed_arn, iam_arn, secret_arn


def _policy(doc: m.PolicyDocument | m.NoPolicy | None) -> Any:
    if doc is None:
        return None
    assert isinstance(doc, m.PolicyDocument)
    return json.loads(doc.document)


def _put(out: dict[str, Any], key: str, value: Any, default: Any) -> None:
    if value != default:
        out[key] = list(value) if isinstance(value, tuple) else value


def _put_tags(out: dict[str, Any], tags: m.Tags | None) -> None:
    """``tags``: omitted when there are none, ``null`` when unknown."""
    if tags is None:
        out["tags"] = None
    elif tags:
        out["tags"] = dict(tags)


class _Dumper:
    def __init__(self, scenario: m.Scenario) -> None:
        self.s = scenario
        account = scenario.account
        self.customer = {p.arn: p.name for p in account.managed_policies}
        self.key_ids = {k.arn: k.key_id for k in account.kms_keys}
        self.secret_names = {s.name for s in account.secrets}

    def policy_ref(self, arn: str) -> str:
        if arn in self.customer:
            return self.customer[arn]
        managed = aws_managed_arn(arn)
        if managed and managed.name not in self.customer.values():
            return managed.name
        return arn

    def identity(self, out: dict[str, Any], item: m.User | m.Group | m.Role) -> None:
        if item.inline_policies:
            out["inline_policies"] = {p.name: _policy(p) for p in item.inline_policies}
        _put(out, "managed_policies", [self.policy_ref(a) for a in item.managed_policies], [])
        boundary = getattr(item, "permissions_boundary", None)
        if boundary:
            out["permissions_boundary"] = self.policy_ref(boundary)
        _put(out, "unknown_policies", [_unknown(u) for u in item.unknown_policies], [])

    def user(self, u: m.User) -> dict[str, Any]:
        out: dict[str, Any] = {"name": u.name}
        _put(out, "path", u.path, "/")
        _put(out, "console_access", u.console_access, False)
        _put(out, "password_reset_required", u.password_reset_required, False)
        _put(out, "groups", u.groups, ())
        self.identity(out, u)
        _put_tags(out, u.tags)
        return out

    def group(self, g: m.Group) -> dict[str, Any]:
        out: dict[str, Any] = {"name": g.name}
        _put(out, "path", g.path, "/")
        self.identity(out, g)
        return out

    def role(self, r: m.Role) -> dict[str, Any]:
        out: dict[str, Any] = {"name": r.name}
        _put(out, "path", r.path, "/")
        out["trust_policy"] = _policy(r.trust_policy)
        self.identity(out, r)
        _put_tags(out, r.tags)
        return out

    def resource_policy(self, out: dict[str, Any], doc: m.PolicyDocument | m.NoPolicy | None) -> None:
        if doc is not m.NO_POLICY:
            out["policy"] = _policy(doc)

    def bucket(self, b: m.Bucket) -> dict[str, Any]:
        out: dict[str, Any] = {"name": b.name}
        _put(out, "encryption", b.encryption.value if b.encryption else None, "SSE-S3")
        if b.kms_key:
            out["kms_key"] = self.key_ids.get(b.kms_key, b.kms_key)
        self.resource_policy(out, b.policy)
        _put(out, "account_id", b.account_id, self.s.account.account_id)
        _put(out, "region", b.region, self.s.account.region)
        _put_tags(out, b.tags)
        return out

    def key(self, k: m.KmsKey) -> dict[str, Any]:
        out: dict[str, Any] = {"id": k.key_id}
        _put(out, "aliases", k.aliases, ())
        _put(out, "enabled", k.enabled, True)
        if k.policy is None or k.policy.name != "default key policy":
            out["policy"] = _policy(k.policy)
        _put(out, "account_id", k.account_id, self.s.account.account_id)
        _put_tags(out, k.tags)
        return out

    def secret(self, s: m.Secret) -> dict[str, Any]:
        out: dict[str, Any] = {"name": s.name}
        a = self.s.account
        if s.arn != secret_arn(a.partition, a.region, s.account_id, s.name):
            out["arn"] = s.arn
        elif s.account_id != a.account_id:
            out["account_id"] = s.account_id
        if s.kms_key:
            out["kms_key"] = self.key_ids.get(s.kms_key, s.kms_key)
        self.resource_policy(out, s.policy)
        _put_tags(out, s.tags)
        return out

    def connection(self, c: m.Connection) -> dict[str, Any]:
        out: dict[str, Any] = {"name": c.name}
        _put(out, "type", c.type.value, "JDBC")
        for key in ("data_store", "subnet", "secret", "connector"):
            _put(out, key, getattr(c, key), None)
        _put(out, "security_groups", c.security_groups, ())
        return out

    def job(self, j: m.Job) -> dict[str, Any]:
        out: dict[str, Any] = {"name": j.name, "created_by": j.created_by, "role": j.role}
        _put(out, "run_by", j.run_by, None)
        _put(out, "sources", [{s.kind.value: s.ref} for s in j.sources], [])
        _put(out, "targets", [{t.kind.value: t.ref} for t in j.targets], [])
        for key in ("script_location", "temp_dir", "expected_runtime_minutes", "subnet"):
            _put(out, key, getattr(j, key), None)
        _put(out, "connections", j.connections, ())
        _put(out, "visual_transforms", j.visual_transforms, False)
        _put(out, "region", j.region, None)
        _put_tags(out, j.tags)
        return out


def _unknown(u: m.UnknownPolicy) -> dict[str, Any]:
    out: dict[str, Any] = {u.kind.value: u.ref}
    _put(out, "reason", u.reason, "")
    return out


def _scp_level(level: m.ScpLevel) -> dict[str, Any]:
    out: dict[str, Any] = {"name": level.name}
    if level.unknown:
        out["unknown"] = True
        _put(out, "reason", level.reason, "")
    else:
        out["policies"] = {p.name: _policy(p) for p in level.policies}
    return out


def _managed_policy(a: m.Account, p: m.ManagedPolicy) -> dict[str, Any]:
    out: dict[str, Any] = {"name": p.name}
    _put(out, "path", p.path, "/")
    if p.arn != iam_arn(a.partition, a.account_id, "policy", p.path, p.name):
        out["arn"] = p.arn
    out["document"] = _policy(p.document)
    return out


def _rule(r: m.SecurityGroupRule) -> dict[str, Any]:
    out: dict[str, Any] = {"protocol": r.protocol}
    _put(out, "from_port", r.from_port, 0)
    _put(out, "to_port", r.to_port, 65535)
    out["peer"] = r.peer
    return out


def _vpc(v: m.Vpc) -> dict[str, Any]:
    out: dict[str, Any] = {"id": v.id}
    _put(out, "enable_dns_support", v.enable_dns_support, True)
    _put(out, "enable_dns_hostnames", v.enable_dns_hostnames, True)
    _put(out, "internet_gateways", v.internet_gateways, ())
    _put(out, "nat_gateways", [{"id": n.id, "subnet": n.subnet} for n in v.nat_gateways], [])
    tables = []
    for t in v.route_tables:
        table: dict[str, Any] = {"id": t.id}
        _put(table, "main", t.main, False)
        _put(table, "routes", [{"destination": r.destination, "target": r.target} for r in t.routes], [])
        tables.append(table)
    _put(out, "route_tables", tables, [])
    subnets = []
    for s in v.subnets:
        subnet: dict[str, Any] = {"id": s.id}
        _put(subnet, "route_table", s.route_table, None)
        _put(subnet, "availability_zone", s.availability_zone, None)
        subnets.append(subnet)
    _put(out, "subnets", subnets, [])
    endpoints = []
    for e in v.endpoints:
        endpoint: dict[str, Any] = {"id": e.id, "service": e.service}
        _put(endpoint, "type", e.type, "Gateway")
        _put(endpoint, "route_tables", e.route_tables, ())
        if e.policy is not m.NO_POLICY:
            endpoint["policy"] = _policy(e.policy)
        endpoints.append(endpoint)
    _put(out, "endpoints", endpoints, [])
    groups = []
    for g in v.security_groups:
        group: dict[str, Any] = {"id": g.id}
        _put(group, "inbound", [_rule(r) for r in g.inbound], [])
        _put(group, "outbound", [_rule(r) for r in g.outbound], [])
        groups.append(group)
    _put(out, "security_groups", groups, [])
    return out


def _training(t: m.Training) -> dict[str, Any]:
    out: dict[str, Any] = {"title": t.title, "difficulty": t.difficulty}
    _put(out, "story", t.story, "")
    _put(out, "hints", t.hints, ())
    expect: dict[str, Any] = {}
    _put(expect, "fails", [{"actor": f.actor, "action": f.action, "requirement": f.requirement} for f in t.fails], [])
    _put(expect, "passes", [{"actor": p.actor, "action": p.action} for p in t.passes], [])
    _put(out, "expect", expect, {})
    return out


def to_data(scenario: m.Scenario) -> dict[str, Any]:
    """The scenario as plain data in the file format."""
    d, a = _Dumper(scenario), scenario.account
    out: dict[str, Any] = {}
    _put(out, "name", scenario.meta.name, "")
    _put(out, "description", scenario.meta.description, "")
    account: dict[str, Any] = {"id": a.account_id, "region": a.region}
    _put(account, "partition", a.partition, "aws")
    _put(account, "as_of", a.as_of, None)
    _put(account, "billing_iam_access", a.billing_iam_access, False)
    _put(account, "users_can_change_password", a.users_can_change_password, False)
    out["account"] = account
    if a.organization is not None:
        out["organization"] = _organization(a.organization)
    _put(out, "users", [d.user(u) for u in a.users], [])
    _put(out, "groups", [d.group(g) for g in a.groups], [])
    _put(out, "roles", [d.role(r) for r in a.roles], [])
    _put(out, "policies", [_managed_policy(a, p) for p in a.managed_policies], [])
    _put(out, "buckets", [d.bucket(b) for b in a.buckets], [])
    _put(out, "kms_keys", [d.key(k) for k in a.kms_keys], [])
    _put(out, "secrets", [d.secret(s) for s in a.secrets], [])
    _put(out, "vpcs", [_vpc(v) for v in a.vpcs], [])
    _put(out, "redshift_clusters", [_cluster(c) for c in a.redshift_clusters], [])
    _put(out, "data_stores", [_store(s) for s in a.data_stores], [])
    if a.databases:
        out["catalog"] = {"databases": [_database(db) for db in a.databases]}
    _put(out, "connections", [d.connection(c) for c in a.connections], [])
    _put(out, "connectors", [_connector(c) for c in a.connectors], [])
    _put(out, "dashboards", a.dashboards, ())
    _put(out, "jobs", [d.job(j) for j in scenario.jobs], [])
    _put(out, "checks", [_check(c) for c in scenario.checks], [])
    if scenario.meta.training is not None:
        out["training"] = _training(scenario.meta.training)
    return out


def _cluster(c: m.RedshiftCluster) -> dict[str, Any]:
    out: dict[str, Any] = {"id": c.id}
    _put(out, "roles", c.roles, ())
    _put(out, "subnet", c.subnet, None)
    return out


def _store(s: m.DataStore) -> dict[str, Any]:
    out: dict[str, Any] = {"name": s.name}
    _put(out, "engine", s.engine, "jdbc")
    _put(out, "public", s.public, False)
    _put(out, "subnet", s.subnet, None)
    return out


def _organization(org: m.Organization) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in ("id", "ou_path", "management_account_id", "accounts"):
        _put(out, key, getattr(org, key), None)
    out["scp_levels"] = [_scp_level(level) for level in org.scp_levels]
    return out


def _connector(c: m.Connector) -> dict[str, Any]:
    out: dict[str, Any] = {"name": c.name, "type": c.type.value}
    _put(out, "connector_url", c.connector_url, None)
    return out


def _database(db: m.Database) -> dict[str, Any]:
    out: dict[str, Any] = {"name": db.name}
    _put(out, "tables", [t.name if t.location is None else {"name": t.name, "location": t.location}
                         for t in db.tables], [])
    return out


def _check(c: m.Check) -> dict[str, Any]:
    out: dict[str, Any] = {"actor": c.actor, "action": c.action.removeprefix("action.")}
    _put(out, "job", c.job, None)
    _put(out, "dashboard", c.dashboard, None)
    return out


def dump(scenario: m.Scenario) -> str:
    """Return the scenario as YAML text."""
    import yaml

    return yaml.safe_dump(to_data(scenario), sort_keys=False, allow_unicode=True, width=100)
