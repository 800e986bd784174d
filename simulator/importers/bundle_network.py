"""EC2 network exports (``aws ec2 describe-*``) → records (input-formats §2.3).

Kept semantics: a subnet with no explicit association uses the main route table;
only ``available`` NAT gateways and endpoints carry traffic, ``blackhole`` routes carry
none; states are compared without regard to case (real output says ``available``).
"""

from __future__ import annotations

from typing import Any

from gluesim.kb.errors import LocatedError
from gluesim.simulator.importers import records as r
from gluesim.simulator.importers.common import as_dict, as_list, decode_policy_document, text_field

# Record field -> (output shape, its list key, the file the export script writes).
FILES = {
    "vpcs": ("vpcs", "Vpcs", "ec2/vpcs.json"),
    "subnets": ("subnets", "Subnets", "ec2/subnets.json"),
    "route_tables": ("route-tables", "RouteTables", "ec2/route-tables.json"),
    "nat_gateways": ("nat-gateways", "NatGateways", "ec2/nat-gateways.json"),
    "vpc_endpoints": ("vpc-endpoints", "VpcEndpoints", "ec2/vpc-endpoints.json"),
    "security_groups": ("security-groups", "SecurityGroups", "ec2/security-groups.json"),
}
IDS = {"vpcs": "vpc_id", "subnets": "subnet_id", "route_tables": "route_table_id", "nat_gateways": "nat_gateway_id",
       "vpc_endpoints": "endpoint_id", "security_groups": "group_id"}
ROUTE_TARGETS = ("GatewayId", "NatGatewayId", "TransitGatewayId", "VpcPeeringConnectionId", "NetworkInterfaceId", "InstanceId", "EgressOnlyInternetGatewayId", "CarrierGatewayId", "LocalGatewayId")


def read_network(b: Any) -> dict[str, Any]:
    """All network records of an export folder ``b`` (a ``bundle.Bundle``), from every file of each kind."""
    out: dict[str, Any] = {}
    for field, (shape, key, _) in FILES.items():
        records: dict[str, Any] = {}
        for entry in b.all(shape, f"aws ec2 describe-{shape} ({shape.replace('-', ' ')})"):
            for i, item in enumerate(as_list(as_dict(entry.data, entry.where).get(key), f"{entry.where}: {key}")):
                record = READERS[field](as_dict(item, f"{entry.where}: {key}[{i}]"), f"{entry.where}: {key}[{i}]")
                records.setdefault(getattr(record, IDS[field]), record)  # the same item in two files: the first is kept
        out[field] = tuple(records.values())
    return out


def _vpc(item: dict[str, Any], where: str) -> r.Vpc:
    return r.Vpc(text_field(item, "VpcId", where), text_field(item, "CidrBlock", where, required=False))


def _subnet(item: dict[str, Any], where: str) -> r.Subnet:
    return r.Subnet(text_field(item, "SubnetId", where), _opt(item, "VpcId", where), _opt(item, "AvailabilityZone", where), _opt(item, "CidrBlock", where))


def _route_table(item: dict[str, Any], where: str) -> r.RouteTable:
    associations = [as_dict(a, f"{where}.Associations") for a in as_list(item.get("Associations"), f"{where}.Associations")]
    routes = []
    for index, route in enumerate(as_list(item.get("Routes"), f"{where}.Routes")):
        route = as_dict(route, f"{where}.Routes[{index}]")
        at = f"{where}.Routes[{index}]"
        destination = _opt(route, "DestinationCidrBlock", at) or _opt(route, "DestinationIpv6CidrBlock", at) or _opt(route, "DestinationPrefixListId", at)
        target = next((_opt(route, k, at) for k in ROUTE_TARGETS if route.get(k)), None)
        if destination and target:
            routes.append(r.Route(destination, target, (_opt(route, "State", at) or "active").lower() == "active"))
    return r.RouteTable(
        text_field(item, "RouteTableId", where),
        _opt(item, "VpcId", where),
        main=any(a.get("Main") is True for a in associations),
        subnet_ids=tuple(s for a in associations if (s := _opt(a, "SubnetId", f"{where}.Associations"))),
        routes=tuple(routes),
    )


def _opt(item: dict[str, Any], key: str, where: str) -> str | None:
    return text_field(item, key, where, required=False)


def _nat(item: dict[str, Any], where: str) -> r.NatGateway:
    return r.NatGateway(text_field(item, "NatGatewayId", where), _opt(item, "VpcId", where), _opt(item, "SubnetId", where), (_opt(item, "State", where) or "").lower() == "available")


def _endpoint(item: dict[str, Any], where: str) -> r.VpcEndpoint:
    policy = item.get("PolicyDocument")
    return r.VpcEndpoint(
        endpoint_id=text_field(item, "VpcEndpointId", where),
        vpc_id=_opt(item, "VpcId", where),
        service=(_opt(item, "ServiceName", where) or "").rsplit(".", 1)[-1],
        endpoint_type=_opt(item, "VpcEndpointType", where) or "Gateway",
        route_table_ids=_strings(item.get("RouteTableIds"), f"{where}.RouteTableIds"),
        subnet_ids=_strings(item.get("SubnetIds"), f"{where}.SubnetIds"),
        available=(_opt(item, "State", where) or "available").lower() == "available",
        policy=None if not policy else r.PolicyDoc("endpoint-policy", decode_policy_document(policy, f"{where}.PolicyDocument"), f"{where}.PolicyDocument"),
    )


def _strings(value: Any, where: str) -> tuple[str, ...]:
    items = as_list(value, where)
    if not all(isinstance(item, str) for item in items):
        raise LocatedError(where, "expected a list of strings")
    return tuple(items)


def _peers(value: Any, keys: tuple[str, ...], where: str) -> tuple[str, ...]:
    """The peer ids of a rule's IpRanges / UserIdGroupPairs / PrefixListIds entries."""
    found = []
    for index, entry in enumerate(as_list(value, where)):
        entry = as_dict(entry, f"{where}[{index}]")
        found += [p for key in keys if (p := _opt(entry, key, f"{where}[{index}]"))]
    return tuple(found)


def _port(value: Any, where: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise LocatedError(where, f"expected a port number, got {value!r}")
    return value


def _rules(items: Any, where: str) -> tuple[r.SecurityGroupRule, ...]:
    rules = []
    for index, item in enumerate(as_list(items, where)):
        at = f"{where}[{index}]"
        item = as_dict(item, at)
        rules.append(
            r.SecurityGroupRule(
                protocol=(_opt(item, "IpProtocol", at) or "-1").lower(),
                from_port=_port(item.get("FromPort"), f"{at}.FromPort"),
                to_port=_port(item.get("ToPort"), f"{at}.ToPort"),
                cidrs=_peers(item.get("IpRanges"), ("CidrIp",), f"{at}.IpRanges") + _peers(item.get("Ipv6Ranges"), ("CidrIpv6",), f"{at}.Ipv6Ranges"),
                group_ids=_peers(item.get("UserIdGroupPairs"), ("GroupId",), f"{at}.UserIdGroupPairs"),
                prefix_lists=_peers(item.get("PrefixListIds"), ("PrefixListId",), f"{at}.PrefixListIds"),
            )
        )
    return tuple(rules)


def _group(item: dict[str, Any], where: str) -> r.SecurityGroup:
    egress = item.get("IpPermissionsEgress")
    return r.SecurityGroup(
        text_field(item, "GroupId", where),
        _opt(item, "GroupName", where),
        _opt(item, "VpcId", where),
        _rules(item.get("IpPermissions"), f"{where}.IpPermissions"),
        None if egress is None else _rules(egress, f"{where}.IpPermissionsEgress"),
    )


READERS = {"vpcs": _vpc, "subnets": _subnet, "route_tables": _route_table, "nat_gateways": _nat, "vpc_endpoints": _endpoint, "security_groups": _group}
