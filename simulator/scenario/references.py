"""Resolve the names a scenario file uses (groups, policies, keys, subnets, ...) to model values."""

from __future__ import annotations

from typing import Any

from gluesim.kb.errors import LocatedError, did_you_mean
from gluesim.simulator.policies import aws_managed, aws_managed_arn, iam_arn, secret_arn
from gluesim.simulator.scenario.validate import Reference

# What each reference kind is called in messages, and the section that defines it.
LABELS = {
    "user": ("user", "users"),
    "group": ("group", "groups"),
    "role": ("role", "roles"),
    "policy": ("managed policy", "policies (or an AWS managed policy gluesim ships)"),
    "kms_key": ("KMS key", "kms_keys"),
    "secret": ("secret", "secrets"),
    "bucket": ("bucket", "buckets"),
    "subnet": ("subnet", "vpcs[].subnets"),
    "route_table": ("route table", "vpcs[].route_tables"),
    "route_target": ("route target", "vpcs[] (internet_gateways, nat_gateways, endpoints) or 'local'"),
    "security_group": ("security group", "vpcs[].security_groups"),
    "security_group_peer": ("security group", "vpcs[].security_groups"),
    "redshift_cluster": ("Redshift cluster", "redshift_clusters"),
    "data_store": ("data store", "data_stores"),
    "connection": ("connection", "connections"),
    "connector": ("connector", "connectors"),
    "job": ("job", "jobs"),
    "dashboard": ("dashboard", "dashboards"),
}


class Resolver:
    """Maps every accepted spelling of a reference to its canonical model value."""

    def __init__(self, data: dict[str, Any]) -> None:
        account = data.get("account", {})
        self.account_id: str = account["id"]
        self.region: str = account.get("region", "us-east-1")
        self.partition: str = account.get("partition", "aws")
        self.tables: dict[str, dict[str, str]] = {}
        self.choices: dict[str, list[str]] = {}
        self._build(data)

    def _add(self, kind: str, canonical: str, *spellings: str) -> None:
        table = self.tables.setdefault(kind, {})
        self.choices.setdefault(kind, []).append(spellings[0] if spellings else canonical)
        for spelling in (canonical, *spellings):
            table.setdefault(spelling, canonical)

    def _build(self, data: dict[str, Any]) -> None:
        for kind in ("user", "group", "job", "connection", "connector", "data_store", "bucket"):
            for item in data.get(kind + "s", []):
                self._add(kind, item["name"])
        for name in data.get("dashboards", []):
            self._add("dashboard", name)
        for cluster in data.get("redshift_clusters", []):
            self._add("redshift_cluster", cluster["id"])
        self._build_iam(data)
        self._build_keys(data)
        self._build_network(data)

    def _build_iam(self, data: dict[str, Any]) -> None:
        p, acct = self.partition, self.account_id
        for role in data.get("roles", []):
            self._add("role", role["name"], role["name"], iam_arn(p, acct, "role", role.get("path", "/"), role["name"]))
        for policy in data.get("policies", []):
            arn = policy.get("arn") or iam_arn(p, acct, "policy", policy.get("path", "/"), policy["name"])
            self._add("policy", arn, policy["name"])
        for name, managed in aws_managed().items():
            arn = managed.arn.replace("arn:aws:", f"arn:{p}:", 1)
            self._add("policy", arn, name)
            self.tables["policy"].setdefault(managed.arn, arn)
        for secret in data.get("secrets", []):
            name = secret["name"]
            owner = secret.get("account_id", acct)
            self._add("secret", name, name, secret.get("arn") or secret_arn(p, self.region, owner, name))

    def _build_keys(self, data: dict[str, Any]) -> None:
        for key in data.get("kms_keys", []):
            prefix = f"arn:{self.partition}:kms:{self.region}:{key.get('account_id', self.account_id)}:"
            arn = f"{prefix}key/{key['id']}"
            aliases = key.get("aliases", [])
            self._add("kms_key", arn, key["id"], *aliases, *(prefix + alias for alias in aliases))

    def _build_network(self, data: dict[str, Any]) -> None:
        self._add("route_target", "local")
        for vpc in data.get("vpcs", []):
            for subnet in vpc.get("subnets", []):
                self._add("subnet", subnet["id"])
            for table in vpc.get("route_tables", []):
                self._add("route_table", table["id"])
            for group in vpc.get("security_groups", []):
                self._add("security_group", group["id"])
            for gateway in vpc.get("internet_gateways", []):
                self._add("route_target", gateway)
            for section in ("nat_gateways", "endpoints"):
                for item in vpc.get(section, []):
                    self._add("route_target", item["id"])

    def resolve(self, kind: str, value: str) -> str | None:
        """Return the canonical value, or None when nothing of that kind has this name."""
        if kind == "security_group_peer":
            return self.resolve("security_group", value) if value.startswith("sg-") else value
        if kind == "bucket" and value.startswith("s3://"):
            value = value[5:].split("/", 1)[0]
        if kind == "policy" and value.startswith("arn:") and ":iam::aws:policy/" in value:
            managed = aws_managed_arn(value)
            return value if managed else None
        return self.tables.get(kind, {}).get(value)

    def check(self, reference: Reference) -> None:
        """Raise a located error when ``reference`` names nothing; offer the closest name."""
        if self.resolve(reference.kind, reference.value) is not None:
            return
        label, section = LABELS[reference.kind]
        shown = reference.value
        if reference.kind == "bucket" and shown.startswith("s3://"):
            shown = shown[5:].split("/", 1)[0]
        hint = did_you_mean(shown, self.choices.get(reference.kind, []))
        if not hint:
            hint = f"; define it under {section}"
        raise LocatedError(reference.where, f"{reference.owner} refers to unknown {label} {shown!r}{hint}")

    def role_name(self, value: str) -> str:
        """Role name for a role name or ARN."""
        return self.tables["role"][value]

    def must(self, kind: str, value: str) -> str:
        """Resolve a reference already checked by :meth:`check`."""
        resolved = self.resolve(kind, value)
        assert resolved is not None, (kind, value)
        return resolved
