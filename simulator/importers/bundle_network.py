"""EC2 network exports (``aws ec2 describe-*``) → records (input-formats §2.3).

Kept semantics: a subnet with no explicit association uses the main route table;
only ``available`` NAT gateways and endpoints carry traffic, ``blackhole`` routes carry
none; states are compared without regard to case (real output says ``available``).
"""

from __future__ import annotations

from typing import Any

from gluesim.simulator.importers import records as r
from gluesim.simulator.importers.common import as_dict, as_list, decode_policy_document, text_field

FILES = {
    "vpcs": ("ec2/vpcs.json", "Vpcs"),
    "subnets": ("ec2/subnets.json", "Subnets"),
    "route_tables": ("ec2/route-tables.json", "RouteTables"),
    "nat_gateways": ("ec2/nat-gateways.json", "NatGateways"),
    "vpc_endpoints": ("ec2/vpc-endpoints.json", "VpcEndpoints"),
    "security_groups": ("ec2/security-groups.json", "SecurityGroups"),
}
ROUTE_TARGETS = ("GatewayId", "NatGatewayId", "TransitGatewayId", "VpcPeeringConnectionId", "NetworkInterfaceId", "InstanceId", "EgressOnlyInternetGatewayId", "CarrierGatewayId", "LocalGatewayId")


def read_network(b: Any) -> dict[str, Any]:
    """All network records of an export folder ``b`` (a ``bundle.Bundle``)."""
    from gluesim.simulator.importers.bundle import ABSENT

    out: dict[str, Any] = {}
    for field, (relative, key) in FILES.items():
        data = b.get(relative)
        where = b.name(relative)
        items = [] if data is ABSENT or data is None else as_list(as_dict(data, where).get(key), f"{where}: {key}")
        reader = READERS[field]
        out[field] = tuple(reader(as_dict(item, f"{where}: {key}[{i}]"), f"{where}: {key}[{i}]") for i, item in enumerate(items))
    return out


def _vpc(item: dict[str, Any], where: str) -> r.Vpc:
    return r.Vpc(text_field(item, "VpcId", where), item.get("CidrBlock"))


def _subnet(item: dict[str, Any], where: str) -> r.Subnet:
    return r.Subnet(text_field(item, "SubnetId", where), item.get("VpcId"), item.get("AvailabilityZone"), item.get("CidrBlock"))


def _route_table(item: dict[str, Any], where: str) -> r.RouteTable:
    associations = [as_dict(a, f"{where}.Associations") for a in as_list(item.get("Associations"), f"{where}.Associations")]
    routes = []
    for index, route in enumerate(as_list(item.get("Routes"), f"{where}.Routes")):
        route = as_dict(route, f"{where}.Routes[{index}]")
        destination = route.get("DestinationCidrBlock") or route.get("DestinationIpv6CidrBlock") or route.get("DestinationPrefixListId")
        target = next((route[k] for k in ROUTE_TARGETS if route.get(k)), None)
        if destination and target:
            routes.append(r.Route(str(destination), str(target), str(route.get("State", "active")).lower() == "active"))
    return r.RouteTable(
        text_field(item, "RouteTableId", where),
        item.get("VpcId"),
        main=any(a.get("Main") is True for a in associations),
        subnet_ids=tuple(a["SubnetId"] for a in associations if a.get("SubnetId")),
        routes=tuple(routes),
    )


def _nat(item: dict[str, Any], where: str) -> r.NatGateway:
    return r.NatGateway(text_field(item, "NatGatewayId", where), item.get("VpcId"), item.get("SubnetId"), str(item.get("State", "")).lower() == "available")


def _endpoint(item: dict[str, Any], where: str) -> r.VpcEndpoint:
    policy = item.get("PolicyDocument")
    return r.VpcEndpoint(
        endpoint_id=text_field(item, "VpcEndpointId", where),
        vpc_id=item.get("VpcId"),
        service=str(item.get("ServiceName", "")).rsplit(".", 1)[-1],
        endpoint_type=str(item.get("VpcEndpointType", "Gateway")),
        route_table_ids=tuple(as_list(item.get("RouteTableIds"), f"{where}.RouteTableIds")),
        subnet_ids=tuple(as_list(item.get("SubnetIds"), f"{where}.SubnetIds")),
        available=str(item.get("State", "available")).lower() == "available",
        policy=None if not policy else r.PolicyDoc("endpoint-policy", decode_policy_document(policy, f"{where}.PolicyDocument"), f"{where}.PolicyDocument"),
    )


def _rules(items: Any, where: str) -> tuple[r.SecurityGroupRule, ...]:
    rules = []
    for index, item in enumerate(as_list(items, where)):
        item = as_dict(item, f"{where}[{index}]")
        rules.append(
            r.SecurityGroupRule(
                protocol=str(item.get("IpProtocol", "-1")).lower(),
                from_port=item.get("FromPort"),
                to_port=item.get("ToPort"),
                cidrs=tuple(x.get("CidrIp") or x.get("CidrIpv6") for x in [*as_list(item.get("IpRanges"), where), *as_list(item.get("Ipv6Ranges"), where)] if isinstance(x, dict)),
                group_ids=tuple(x["GroupId"] for x in as_list(item.get("UserIdGroupPairs"), where) if isinstance(x, dict) and x.get("GroupId")),
                prefix_lists=tuple(x["PrefixListId"] for x in as_list(item.get("PrefixListIds"), where) if isinstance(x, dict) and x.get("PrefixListId")),
            )
        )
    return tuple(rules)


def _group(item: dict[str, Any], where: str) -> r.SecurityGroup:
    egress = item.get("IpPermissionsEgress")
    return r.SecurityGroup(
        text_field(item, "GroupId", where),
        item.get("GroupName"),
        item.get("VpcId"),
        _rules(item.get("IpPermissions"), f"{where}.IpPermissions"),
        None if egress is None else _rules(egress, f"{where}.IpPermissionsEgress"),
    )


READERS = {"vpcs": _vpc, "subnets": _subnet, "route_tables": _route_table, "nat_gateways": _nat, "vpc_endpoints": _endpoint, "security_groups": _group}
