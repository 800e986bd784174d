"""Map storage and network records onto scenario data (mixed into the mapper)."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from gluesim.simulator.importers import records as r

S3_URL = re.compile(r"^s3://[a-z0-9][a-z0-9.\-]{1,61}[a-z0-9](/.*)?$")
PROTOCOLS = {"-1": "all", "all": "all", "tcp": "tcp", "6": "tcp", "udp": "udp", "17": "udp", "icmp": "icmp", "1": "icmp"}
SECRET_SUFFIX = r"-[A-Za-z0-9]{6}$"


class InfraMapper:
    """Storage and VPC sections; expects ``imp``, ``notices``, ``out`` and the account fields."""

    # -- storage ------------------------------------------------------------------------
    def storage(self) -> None:
        self.keys: dict[str, dict[str, Any]] = {}
        for key in self.imp.kms_keys:
            entry: dict[str, Any] = {"id": key.key_id, "aliases": [a for a in key.aliases if a.startswith("alias/")]}
            if key.enabled is not True:  # false: disabled or pending deletion (KMS rejects its use); null: unknown
                entry["enabled"] = key.enabled
            if key.policy is not None:
                entry["policy"] = key.policy.document
            elif not key.policy_known:
                entry["policy"] = None
            self.keys[key.key_id] = entry
        self.buckets: dict[str, dict[str, Any]] = {}
        for bucket in self.imp.buckets:
            entry = {"name": bucket.name, "encryption": _encryption(bucket.encryption)}
            if bucket.account_id != self.account_id:  # omitted: the scenario's account; null: unknown
                entry["account_id"] = bucket.account_id
            if bucket.region != self.region:
                entry["region"] = bucket.region
            if bucket.kms_key:
                entry["kms_key"] = self.key_ref(bucket.kms_key, f"bucket {bucket.name!r}")
            self._resource_policy(entry, bucket.policy, bucket.policy_known)
            self.buckets[bucket.name] = entry
        self.secrets: dict[str, dict[str, Any]] = {}
        for secret in self.imp.secrets:
            entry = {"name": secret.name}
            if secret.arn and re.fullmatch(r"arn:aws(-cn|-us-gov)?:secretsmanager:[a-z0-9-]+:\d{12}:secret:" + re.escape(secret.name) + SECRET_SUFFIX, secret.arn):
                entry["arn"] = secret.arn  # the real ARN with AWS's random suffix, which policies name
            if secret.kms_key:
                entry["kms_key"] = self.key_ref(secret.kms_key, f"secret {secret.name!r}")
            self._resource_policy(entry, secret.policy, secret.policy_known)
            self.secrets[secret.name] = entry
            if secret.arn:
                self.secrets.setdefault(secret.arn, entry)
        self.out["kms_keys"] = list(self.keys.values())
        self.out["buckets"] = list(self.buckets.values())
        self.out["secrets"] = list({id(e): e for e in self.secrets.values()}.values())

    @staticmethod
    def _resource_policy(entry: dict[str, Any], policy: r.PolicyDoc | None, known: bool) -> None:
        if policy is not None:
            entry["policy"] = policy.document
        elif not known:
            entry["policy"] = None  # null = unknown; leaving it out would mean "no policy"

    def key_ref(self, value: str, owner: str) -> str:
        """A key id or alias the scenario knows; an unexported key becomes a key with an unknown policy."""
        text = value.split(":", 5)[-1] if value.startswith("arn:") else value
        key_id = text.split("/", 1)[1] if text.startswith("key/") else text
        for entry in self.keys.values():
            if key_id == entry["id"] or key_id in entry["aliases"]:
                return key_id
        alias = key_id if key_id.startswith("alias/") else None
        stand_in = f"unknown-{alias[6:].replace('/', '-')}" if alias else key_id
        self.keys[stand_in] = {"id": stand_in, "aliases": [alias] if alias else [], "enabled": None, "policy": None}
        self.notices.unknown(owner, f"KMS key {value!r} was not exported: its key policy is unknown")
        return key_id

    def bucket_ref(self, url: str | None, owner: str) -> str | None:
        if not url:
            return None
        if not S3_URL.match(url):
            self.notices.warn(owner, f"{url!r} is not an S3 URL the scenario format accepts; left out")
            return None
        name = url[5:].split("/", 1)[0]
        if name not in self.buckets:
            self.buckets[name] = {"name": name, "encryption": None, "policy": None, "account_id": None, "region": None}
            self.out["buckets"].append(self.buckets[name])
            self.notices.unknown(owner, f"bucket {name!r} was not exported: its encryption and bucket policy are unknown")
        return url

    def secret_ref(self, value: str, owner: str) -> str:
        if value in self.secrets:
            return self.secrets[value]["name"]
        name = value.split(":secret:", 1)[1] if ":secret:" in value else value
        for known in {e["name"] for e in self.secrets.values()}:
            if name == known or re.fullmatch(re.escape(known) + r"-[A-Za-z0-9]{6}", name):
                return known
        name = re.sub(r"-[A-Za-z0-9]{6}$", "", name) if ":secret:" in value else name
        self.secrets[name] = {"name": name, "policy": None}
        self.out["secrets"].append(self.secrets[name])
        self.notices.unknown(owner, f"secret {value!r} was not exported: its key and resource policy are unknown")
        return name

    # -- network ------------------------------------------------------------------------
    def network(self) -> None:
        vpcs: dict[str, dict[str, Any]] = {v.vpc_id: {"id": v.vpc_id} for v in self.imp.vpcs}
        parts: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))

        def place(vpc_id: str | None, section: str, item: Any, what: str) -> None:
            if vpc_id in vpcs:
                parts[vpc_id][section].append(item)
            elif vpc_id is None:
                self.notices.unknown(what, "the export does not say which VPC it belongs to; left out")
            else:
                self.notices.unknown(what, f"its VPC {vpc_id!r} was not exported; left out")

        for subnet in self.imp.subnets:
            place(subnet.vpc_id, "subnets", subnet, f"subnet {subnet.subnet_id!r}")
        for table in self.imp.route_tables:
            place(table.vpc_id, "route_tables", table, f"route table {table.route_table_id!r}")
        subnet_vpcs = {s.subnet_id: s.vpc_id for s in self.imp.subnets}
        for nat in self.imp.nat_gateways:  # a template names only the NAT gateway's subnet
            place(nat.vpc_id or subnet_vpcs.get(nat.subnet_id or ""), "nat_gateways", nat, f"NAT gateway {nat.nat_gateway_id!r}")
        for endpoint in self.imp.vpc_endpoints:
            place(endpoint.vpc_id, "endpoints", endpoint, f"VPC endpoint {endpoint.endpoint_id!r}")
        for group in self.imp.security_groups:
            place(group.vpc_id, "security_groups", group, f"security group {group.group_id!r}")
        self.subnet_ids = {s.subnet_id for vpc in parts.values() for s in vpc["subnets"]}
        self.group_ids = {g.group_id for vpc in parts.values() for g in vpc["security_groups"]}
        self.out["vpcs"] = [self._vpc(vpcs[vpc_id], parts[vpc_id]) for vpc_id in vpcs]

    def _vpc(self, entry: dict[str, Any], parts: dict[str, list[Any]]) -> dict[str, Any]:
        nats = [n for n in parts["nat_gateways"] if n.available and n.subnet_id in self.subnet_ids]
        endpoints = [e for e in parts["endpoints"] if e.available and e.endpoint_type in ("Gateway", "Interface")]
        table_ids = {t.route_table_id for t in parts["route_tables"]}
        targets = {"local", *(n.nat_gateway_id for n in nats), *(e.endpoint_id for e in endpoints)}
        igws = sorted({rt.target for t in parts["route_tables"] for rt in t.routes if rt.target.startswith("igw-") and rt.active})
        targets.update(igws)
        associated = {s: t.route_table_id for t in parts["route_tables"] for s in t.subnet_ids}
        entry["internet_gateways"] = igws
        entry["nat_gateways"] = [{"id": n.nat_gateway_id, "subnet": n.subnet_id} for n in nats]
        entry["route_tables"] = [self._table(t, targets) for t in parts["route_tables"]]
        entry["subnets"] = [_drop_none({"id": s.subnet_id, "route_table": associated.get(s.subnet_id), "availability_zone": s.availability_zone}) for s in parts["subnets"]]
        entry["endpoints"] = [self._endpoint(e, table_ids) for e in endpoints]
        entry["security_groups"] = [self._security_group(g) for g in parts["security_groups"]]
        return {k: v for k, v in entry.items() if v != []}

    def _endpoint(self, e: r.VpcEndpoint, table_ids: set[str]) -> dict[str, Any]:
        entry: dict[str, Any] = {"id": e.endpoint_id, "service": e.service, "type": e.endpoint_type, "route_tables": [t for t in e.route_table_ids if t in table_ids]}
        if not e.policy_known:
            entry["policy"] = None  # null = unknown; leaving it out would mean the default full-access policy
        elif e.policy is not None and not _allows_everything(e.policy.document):
            # A restrictive endpoint policy goes into the scenario; the engine evaluates S3 requests through it.
            self.notices.info(f"VPC endpoint {e.endpoint_id!r}", "its endpoint policy restricts access; kept, and evaluated with the S3 requests of jobs whose subnet uses it")
            entry["policy"] = e.policy.document
        return entry

    def _table(self, table: r.RouteTable, targets: set[str]) -> dict[str, Any]:
        routes = []
        for route in table.routes:
            if route.active and route.target in targets:
                routes.append({"destination": route.destination, "target": route.target})
            elif route.active:
                self.notices.info(f"route table {table.route_table_id!r}", f"route {route.destination} -> {route.target} goes to a target gluesim does not model; left out")
        return _drop_none({"id": table.route_table_id, "main": table.main or None, "routes": routes or None})

    def _security_group(self, group: r.SecurityGroup) -> dict[str, Any]:
        where = f"security group {group.group_id!r}"
        entry: dict[str, Any] = {"id": group.group_id, "inbound": self._rules(group.ingress, where)}
        if group.egress is None:
            self.notices.unknown(where, "outbound rules were not exported; written as none")
        entry["outbound"] = self._rules(group.egress or (), where)
        return {k: v for k, v in entry.items() if v}

    def _rules(self, rules: tuple[r.SecurityGroupRule, ...], where: str) -> list[dict[str, Any]]:
        out = []
        for rule in rules:
            protocol = PROTOCOLS.get(rule.protocol)
            if protocol is None:
                self.notices.info(where, f"a rule for protocol {rule.protocol!r} is not modelled; left out")
                continue
            ports = {}
            if protocol in ("tcp", "udp") and rule.from_port is not None and rule.to_port is not None:
                ports = {"from_port": max(rule.from_port, 0), "to_port": min(max(rule.to_port, 0), 65535)}
            for peer in (*rule.cidrs, *rule.prefix_lists, *rule.group_ids):
                if peer.startswith("sg-") and peer not in self.group_ids:
                    self.notices.unknown(where, f"a rule names security group {peer!r}, which was not exported; left out")
                    continue
                out.append({"protocol": protocol, **ports, "peer": peer})
        return out


def _allows_everything(document: dict[str, Any]) -> bool:
    """True for the default endpoint policy: one Allow of every action on every resource to anyone."""
    statements = document.get("Statement")
    statements = statements if isinstance(statements, list) else [statements]
    return len(statements) == 1 and isinstance(statements[0], dict) and statements[0].get("Effect") == "Allow" and \
        statements[0].get("Action") in ("*", ["*"]) and statements[0].get("Resource") in ("*", ["*"]) and \
        statements[0].get("Principal") in ("*", {"AWS": "*"}) and "Condition" not in statements[0]


def _encryption(algorithm: str | None) -> str | None:
    if algorithm is None:
        return None
    return "SSE-KMS" if algorithm.startswith("aws:kms") else "SSE-S3"


def _drop_none(entry: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in entry.items() if v is not None}
