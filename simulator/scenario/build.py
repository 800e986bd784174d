"""Build model objects from validated scenario data (the second half of ``scenario.load``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gluesim.simulator import model as m

if TYPE_CHECKING:
    from gluesim.simulator.scenario.reader import _Builder


def _resource_policy(b: _Builder, item: dict[str, Any], label: str) -> m.PolicyDocument | m.NoPolicy | None:
    if "policy" not in item:
        return m.NO_POLICY
    return b.policy(item, "policy", label, "RESOURCE")


def _tags(item: dict[str, Any]) -> m.Tags | None:
    """``tags`` as (Key, Value) pairs in file order; omitted = none, null = unknown."""
    tags = item.get("tags", {})
    return None if tags is None else tuple((str(k), v) for k, v in tags.items())


def build_account(b: _Builder) -> m.Account:
    """The Account section by section."""
    d, acct = b.data, b.data["account"]
    return m.Account(
        account_id=acct["id"],
        region=b.r.region,
        partition=b.r.partition,
        as_of=acct.get("as_of"),
        billing_iam_access=acct.get("billing_iam_access", False),
        users_can_change_password=acct.get("users_can_change_password", False),
        organization=_organization(b),
        users=tuple(_user(b, u) for u in d.get("users", [])),
        groups=tuple(_group(b, g) for g in d.get("groups", [])),
        roles=tuple(_role(b, r) for r in d.get("roles", [])),
        managed_policies=tuple(_managed_policy(b, p) for p in d.get("policies", [])),
        buckets=tuple(_bucket(b, x) for x in d.get("buckets", [])),
        kms_keys=tuple(_key(b, k) for k in d.get("kms_keys", [])),
        secrets=tuple(_secret(b, s) for s in d.get("secrets", [])),
        vpcs=tuple(_vpc(b, v) for v in d.get("vpcs", [])),
        redshift_clusters=tuple(
            m.RedshiftCluster(c["id"], tuple(b.r.role_name(r) for r in c.get("roles", [])), c.get("subnet"))
            for c in d.get("redshift_clusters", [])
        ),
        data_stores=tuple(
            m.DataStore(s["name"], s.get("engine", "jdbc"), s.get("public", False), s.get("subnet"))
            for s in d.get("data_stores", [])
        ),
        databases=tuple(
            m.Database(db["name"], tuple(_table(t) for t in db.get("tables", [])))
            for db in d.get("catalog", {}).get("databases", [])
        ),
        connections=tuple(_connection(b, c) for c in d.get("connections", [])),
        connectors=tuple(m.Connector(c["name"], m.ConnectorType(c.get("type", "marketplace")), c.get("connector_url"))
                         for c in d.get("connectors", [])),
        dashboards=tuple(d.get("dashboards", [])),
    )


def _table(table: str | dict[str, Any]) -> m.Table:
    if isinstance(table, str):
        return m.Table(table)
    return m.Table(table["name"], table.get("location"))


def _organization(b: _Builder) -> m.Organization | None:
    org = b.data.get("organization")
    if org is None:
        return None
    levels = []
    for level in org.get("scp_levels", []):
        policies = level.get("policies", {})
        docs = tuple(b.policy(policies, key, key, "SCP") for key in policies)
        levels.append(m.ScpLevel(level["name"], docs, level.get("unknown", False),  # type: ignore[arg-type]
                                 level.get("reason", "")))
    accounts = org.get("accounts")
    return m.Organization(tuple(levels), org.get("id"), org.get("ou_path"), org.get("management_account_id"),
                          None if accounts is None else tuple(accounts))


def _user(b: _Builder, u: dict[str, Any]) -> m.User:
    return m.User(
        name=u["name"],
        path=u.get("path", "/"),
        console_access=u.get("console_access", False),
        password_reset_required=u.get("password_reset_required", False),
        groups=tuple(u.get("groups", [])),
        inline_policies=b.inline(u),
        managed_policies=b.managed(u),
        permissions_boundary=b.boundary(u),
        unknown_policies=b.unknowns(u),
        tags=_tags(u),
    )


def _group(b: _Builder, g: dict[str, Any]) -> m.Group:
    return m.Group(g["name"], g.get("path", "/"), b.inline(g), b.managed(g), b.unknowns(g))


def _role(b: _Builder, r: dict[str, Any]) -> m.Role:
    return m.Role(
        name=r["name"],
        path=r.get("path", "/"),
        trust_policy=b.trust(r),
        inline_policies=b.inline(r),
        managed_policies=b.managed(r),
        permissions_boundary=b.boundary(r),
        unknown_policies=b.unknowns(r),
        tags=_tags(r),
    )


def _managed_policy(b: _Builder, p: dict[str, Any]) -> m.ManagedPolicy:
    path = p.get("path", "/")
    document = b.policy(p, "document", p["name"])
    assert document is not None
    return m.ManagedPolicy(p["name"], p.get("arn") or b.arn("policy", path, p["name"]), document, path)


def _bucket(b: _Builder, x: dict[str, Any]) -> m.Bucket:
    encryption = x.get("encryption", "SSE-S3")
    key = x.get("kms_key")
    return m.Bucket(
        name=x["name"],
        encryption=m.Encryption(encryption) if encryption else None,
        kms_key=b.r.must("kms_key", key) if key else None,
        policy=_resource_policy(b, x, f"bucket policy of {x['name']}"),
        account_id=x.get("account_id", b.r.account_id),
        region=x.get("region", b.r.region),
        tags=_tags(x),
    )


def _key(b: _Builder, k: dict[str, Any]) -> m.KmsKey:
    arn = b.r.must("kms_key", k["id"])
    return m.KmsKey(k["id"], arn, tuple(k.get("aliases", [])), b.key_policy(k), k.get("enabled", True), _tags(k))


def _secret(b: _Builder, s: dict[str, Any]) -> m.Secret:
    key = s.get("kms_key")
    return m.Secret(
        name=s["name"],
        arn=_secret_arn(b, s),
        kms_key=b.r.must("kms_key", key) if key else None,
        policy=_resource_policy(b, s, f"resource policy of secret {s['name']}"),
        tags=_tags(s),
    )


def _secret_arn(b: _Builder, s: dict[str, Any]) -> str:
    from gluesim.simulator.policies import secret_arn

    if s.get("arn"):  # the real ARN (AWS's random suffix), which policies name
        return str(s["arn"])
    return secret_arn(b.r.partition, b.r.region, s.get("account_id", b.r.account_id), s["name"])


def _rule(rule: dict[str, Any]) -> m.SecurityGroupRule:
    return m.SecurityGroupRule(rule["protocol"], rule.get("from_port", 0), rule.get("to_port", 65535), rule["peer"])


def _endpoint(b: _Builder, e: dict[str, Any]) -> m.VpcEndpoint:
    return m.VpcEndpoint(e["id"], e["service"], e.get("type", "Gateway"), tuple(e.get("route_tables", [])),
                         _resource_policy(b, e, f"endpoint policy of {e['id']}"))


def _vpc(b: _Builder, v: dict[str, Any]) -> m.Vpc:
    return m.Vpc(
        id=v["id"],
        enable_dns_support=v.get("enable_dns_support", True),
        enable_dns_hostnames=v.get("enable_dns_hostnames", True),
        subnets=tuple(m.Subnet(s["id"], s.get("route_table"), s.get("availability_zone"))
                      for s in v.get("subnets", [])),
        route_tables=tuple(
            m.RouteTable(t["id"], t.get("main", False),
                         tuple(m.Route(r["destination"], r["target"]) for r in t.get("routes", [])))
            for t in v.get("route_tables", [])
        ),
        internet_gateways=tuple(v.get("internet_gateways", [])),
        nat_gateways=tuple(m.NatGateway(n["id"], n["subnet"]) for n in v.get("nat_gateways", [])),
        endpoints=tuple(_endpoint(b, e) for e in v.get("endpoints", [])),
        security_groups=tuple(
            m.SecurityGroup(g["id"], tuple(_rule(r) for r in g.get("inbound", [])),
                            tuple(_rule(r) for r in g.get("outbound", [])))
            for g in v.get("security_groups", [])
        ),
    )


def _connection(b: _Builder, c: dict[str, Any]) -> m.Connection:
    secret = c.get("secret")
    return m.Connection(
        name=c["name"],
        type=m.ConnectionType(c.get("type", "JDBC")),
        data_store=c.get("data_store"),
        subnet=c.get("subnet"),
        security_groups=tuple(c.get("security_groups", [])),
        secret=b.r.must("secret", secret) if secret else None,
        connector=c.get("connector"),
    )


def _location(item: dict[str, Any]) -> m.DataLocation:
    ((kind, ref),) = item.items()
    return m.DataLocation(m.DataKind(kind), ref)


def build_jobs(b: _Builder) -> tuple[m.Job, ...]:
    """The jobs section."""
    return tuple(
        m.Job(
            name=j["name"],
            created_by=j["created_by"],
            role=b.r.role_name(j["role"]),
            run_by=j.get("run_by"),
            sources=tuple(_location(s) for s in j.get("sources", [])),
            targets=tuple(_location(t) for t in j.get("targets", [])),
            script_location=j.get("script_location"),
            temp_dir=j.get("temp_dir"),
            expected_runtime_minutes=j.get("expected_runtime_minutes"),
            connections=tuple(j.get("connections", [])),
            subnet=j.get("subnet"),
            visual_transforms=j.get("visual_transforms", False),
            region=j.get("region"),
            tags=_tags(j),
        )
        for j in b.data.get("jobs", [])
    )


def build_checks(b: _Builder) -> tuple[m.Check, ...]:
    """The checks section; actions are stored as KB ids (``action.delete-jobs``)."""
    return tuple(
        m.Check(c["actor"], _action_id(c["action"]), c.get("job"), c.get("dashboard"))
        for c in b.data.get("checks", [])
    )


def _action_id(action: str) -> str:
    return action if action.startswith("action.") else f"action.{action}"


def build_meta(b: _Builder) -> m.Meta:
    """Name, description and the training section (which the engine never reads)."""
    t = b.data.get("training")
    training = None
    if t is not None:
        expect = t.get("expect", {})
        training = m.Training(
            title=t["title"],
            difficulty=t["difficulty"],
            story=t.get("story", ""),
            hints=tuple(t.get("hints", [])),
            fails=tuple(m.ExpectedFailure(f["actor"], _action_id(f["action"]), f["requirement"])
                        for f in expect.get("fails", [])),
            passes=tuple(m.ExpectedPass(p["actor"], _action_id(p["action"])) for p in expect.get("passes", [])),
        )
    return m.Meta(b.data.get("name", ""), b.data.get("description", ""), b.name, training)
