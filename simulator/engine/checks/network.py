"""Checks for jobs that run in a VPC subnet: DNS, S3 endpoint, NAT, security group, reachable stores.

Facts from "Setting Up Your Environment to Access Data Stores" and "Amazon VPC Endpoints for
Amazon S3" (https://docs.aws.amazon.com/glue/latest/dg/start-connecting.html,
https://docs.aws.amazon.com/glue/latest/dg/vpc-endpoints-s3.html): Glue's network interfaces get
private addresses only, so the internet is reached through a NAT gateway, never an internet
gateway, and S3 through a gateway endpoint (or NAT).
"""

from __future__ import annotations

from typing import Any

from gluesim.simulator import model as m
from gluesim.simulator.engine.checks.base import Checker, special
from gluesim.simulator.engine.jobfacts import JobFacts
from gluesim.simulator.engine.results import Change, Failure

ANYWHERE = "0.0.0.0/0"


def placement(c: Checker, facts: JobFacts) -> tuple[m.Vpc, m.Subnet, m.RouteTable | None]:
    """The job's VPC, subnet and the route table that serves the subnet (explicit or main)."""
    assert facts.subnet is not None
    vpc, subnet = c.index.subnets[facts.subnet]
    return vpc, subnet, table_of(vpc, subnet.id)


def _routes(table: m.RouteTable | None) -> tuple[m.Route, ...]:
    return table.routes if table is not None else ()


def table_of(vpc: m.Vpc, subnet_id: str) -> m.RouteTable | None:
    """The route table that serves ``subnet_id``: its explicit table, else the VPC's main table."""
    subnet = next((s for s in vpc.subnets if s.id == subnet_id), None)
    tables = {t.id: t for t in vpc.route_tables}
    explicit = tables.get(subnet.route_table or "") if subnet is not None else None
    return explicit or next((t for t in vpc.route_tables if t.main), None)


def is_public_subnet(vpc: m.Vpc, subnet_id: str) -> bool:
    """The subnet's default route goes to an internet gateway attached to this VPC.

    "Example: VPC with servers in private subnets and NAT" (Amazon VPC User Guide,
    https://docs.aws.amazon.com/vpc/latest/userguide/vpc-example-private-subnets-nat.html):
    a NAT gateway reaches the internet only from a public subnet, one whose route table sends
    0.0.0.0/0 to the VPC's internet gateway.
    """
    attached = set(vpc.internet_gateways)
    return any(r.destination == ANYWHERE and r.target in attached for r in _routes(table_of(vpc, subnet_id)))


def working_nats(vpc: m.Vpc) -> set[str]:
    """Ids of this VPC's NAT gateways that sit in a public subnet, so they reach the internet."""
    return {n.id for n in vpc.nat_gateways if is_public_subnet(vpc, n.subnet)}


def nat_target(table: m.RouteTable | None) -> str | None:
    """The NAT gateway the table's default route points at, if any."""
    return next((r.target for r in _routes(table) if r.destination == ANYWHERE and r.target.startswith("nat-")),
                None)


def has_nat_route(vpc: m.Vpc, table: m.RouteTable | None) -> bool:
    """A default route to a NAT gateway of this VPC that itself reaches the internet."""
    return nat_target(table) in working_nats(vpc)


def has_s3_gateway(vpc: m.Vpc, table: m.RouteTable | None) -> bool:
    """An S3 gateway endpoint associated with the subnet's route table."""
    return s3_gateway(vpc, table) is not None


def s3_gateway(vpc: m.Vpc, table: m.RouteTable | None) -> m.VpcEndpoint | None:
    """The S3 gateway endpoint associated with the subnet's route table, if any."""
    if table is None:
        return None
    for endpoint in vpc.endpoints:
        if endpoint.service == "s3" and endpoint.type == "Gateway":
            if table.id in endpoint.route_tables or any(r.target == endpoint.id for r in table.routes):
                return endpoint
    return None


def _table_id(table: m.RouteTable | None, subnet: m.Subnet) -> str:
    return table.id if table is not None else f"(no route table for {subnet.id})"


@special("vpc.dns-support")
def dns_support(c: Checker, entry: Any, actor: str, facts: JobFacts | None, subject: str | None) -> list[Failure]:
    """enableDnsSupport and enableDnsHostnames are both true."""
    assert facts is not None
    vpc, _, _ = placement(c, facts)
    values = {"enableDnsSupport": vpc.enable_dns_support, "enableDnsHostnames": vpc.enable_dns_hostnames}
    off = [name for name, value in values.items() if value is False]
    if off:
        change = Change("dns", vpc.id, detail=f"set {' and '.join(off)} to true on {vpc.id}")
        return [c.fail(entry, f"VPC {vpc.id} has {' and '.join(off)} turned off", change)]
    unknown = [name for name, value in values.items() if value is None]
    if unknown:
        return [c.unknown(entry, f"VPC {vpc.id}: {' and '.join(unknown)} unknown")]
    return []


@special("vpc.s3-endpoint")
def s3_endpoint(c: Checker, entry: Any, actor: str, facts: JobFacts | None, subject: str | None) -> list[Failure]:
    """The job's subnet reaches S3: an S3 gateway endpoint on its route table, or a NAT gateway."""
    assert facts is not None
    vpc, subnet, table = placement(c, facts)
    gateway = s3_gateway(vpc, table)
    if gateway is not None and gateway.policy is None:
        # S3 requests from the subnet go through the gateway endpoint, and its endpoint policy must
        # allow them too ("Control access to VPC endpoints using endpoint policies",
        # https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html). A known
        # policy is evaluated with each S3 request of the job role (Checker.through_endpoint).
        return [c.unknown(entry, f"S3 requests from subnet {subnet.id} go through gateway endpoint {gateway.id}, "
                                 "whose endpoint policy is unknown; it may deny the job's S3 access",
                          f"export the endpoint policy of {gateway.id} (aws ec2 describe-vpc-endpoints) and check "
                          "that it allows the job role's S3 requests")]
    if gateway is not None or has_nat_route(vpc, table):
        return []
    change = Change("s3-endpoint", vpc.id, resources=(table.id if table else "", subnet.id),
                    detail=f"create an S3 gateway endpoint in {vpc.id} for route table {_table_id(table, subnet)}")
    return [c.fail(entry, f"subnet {subnet.id} has no S3 gateway endpoint and no NAT route, so the job cannot "
                          "reach its script and data in S3", change)]


@special("vpc.nat-gateway")
def nat_gateway(c: Checker, entry: Any, actor: str, facts: JobFacts | None, subject: str | None) -> list[Failure]:
    """A job that reaches a store on the internet from a VPC needs a NAT gateway route."""
    assert facts is not None
    vpc, subnet, table = placement(c, facts)
    if has_nat_route(vpc, table):
        return []
    stores = [c.index.stores[conn.data_store] for conn in facts.connections if conn.data_store]
    public = [s.name for s in stores if s.public]
    if not public:
        unknown = [s.name for s in stores if s.public is None]
        return [c.unknown(entry, f"whether data store {', '.join(unknown)} is on the internet is unknown")]
    why = _why_no_internet(vpc, table)
    change = Change("nat-gateway", vpc.id, resources=(table.id if table else "", subnet.id),
                    detail=f"add a NAT gateway in a public subnet of {vpc.id} and route {ANYWHERE} from "
                           f"{_table_id(table, subnet)} to it")
    return [c.fail(entry, f"job {facts.job.name} reaches {', '.join(public)} on the internet, but subnet "
                          f"{subnet.id} {why}", change)]


def _why_no_internet(vpc: m.Vpc, table: m.RouteTable | None) -> str:
    nat = nat_target(table)
    if nat is not None:
        placed = next((n.subnet for n in vpc.nat_gateways if n.id == nat), None)
        if placed is None:
            return f"routes to NAT gateway {nat}, which is not in {vpc.id}"
        return f"routes to NAT gateway {nat}, but {nat} sits in subnet {placed}, which has no route to an internet gateway"
    if any(r.destination == ANYWHERE and r.target.startswith("igw-") for r in _routes(table)):
        return "routes to an internet gateway, but Glue's network interfaces have no public IP address"
    return "has no route to the internet"


def self_referencing(group: m.SecurityGroup) -> bool:
    """An inbound rule for all TCP ports (or all traffic) whose source is the group itself."""
    return any(rule.peer == group.id and (rule.protocol == "all" or (
        rule.protocol == "tcp" and rule.from_port == 0 and rule.to_port == 65535)) for rule in group.inbound)


@special("vpc.self-referencing-security-group")
def self_referencing_group(c: Checker, entry: Any, actor: str, facts: JobFacts | None,
                           subject: str | None) -> list[Failure]:
    """At least one security group of the job's connections has the self-referencing all-TCP inbound rule."""
    assert facts is not None
    vpc, _, _ = placement(c, facts)
    groups = {g.id: g for g in vpc.security_groups}
    ids = [sg for conn in facts.connections for sg in conn.security_groups]
    if any(self_referencing(groups[sg]) for sg in ids if sg in groups):
        return []
    if not ids:
        names = tuple(conn.name for conn in facts.connections if conn.subnet)
        change = Change("sg-self-rule", vpc.id, resources=names, detail=f"give connection {', '.join(names)} a "
                        f"security group of {vpc.id} with an inbound all-TCP rule whose source is the group itself")
        return [c.fail(entry, f"job {facts.job.name}'s connections have no security group", change)]
    change = Change("sg-self-rule", ids[0], detail=f"add to {ids[0]} an inbound rule: all TCP, source {ids[0]}")
    return [c.fail(entry, f"none of {', '.join(dict.fromkeys(ids))} has an inbound all-TCP rule from itself", change)]


@special("vpc.data-store-reachable")
def data_store_reachable(c: Checker, entry: Any, actor: str, facts: JobFacts | None,
                         subject: str | None) -> list[Failure]:
    """Private stores must be in the job's VPC (public ones are covered by the NAT check)."""
    assert facts is not None
    vpc, _, _ = placement(c, facts)
    failures = []
    for conn in facts.connections:
        store = c.index.stores.get(conn.data_store or "")
        if store is None or store.public:
            continue
        if store.public is None or store.subnet is None:
            failures.append(c.unknown(entry, f"where data store {store.name} is reachable from is unknown"))
            continue
        store_vpc, _ = c.index.subnets[store.subnet]
        if store_vpc.id != vpc.id:
            change = Change("manual", store.name, detail=f"run the job in {store_vpc.id} or peer {vpc.id} with it")
            failures.append(c.fail(entry, f"private data store {store.name} is in {store_vpc.id}, but job "
                                          f"{facts.job.name} runs in {vpc.id}", change))
    return failures
