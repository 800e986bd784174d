"""Structural fixes: recreate a role under the AWSGlueServiceRole prefix, NAT, S3 endpoint, security group rule."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from gluesim.simulator import model as m
from gluesim.simulator.engine.checks.network import is_public_subnet, table_of, working_nats

ANYWHERE = "0.0.0.0/0"
ROLE_PREFIX = "AWSGlueServiceRole"


def rename_role(scenario: m.Scenario, old: str) -> tuple[m.Scenario, m.Account]:
    """Recreate role ``old`` as AWSGlueServiceRole-``old`` (same path, trust and policies); repoint its users."""
    account = scenario.account
    taken = {r.name for r in account.roles}
    new = f"{ROLE_PREFIX}-{old}"
    number = 2
    while new in taken:
        new, number = f"{ROLE_PREFIX}-{old}-{number}", number + 1
    roles = tuple(replace(r, name=new) if r.name == old else r for r in account.roles)
    clusters = tuple(replace(c, roles=tuple(new if n == old else n for n in c.roles))
                     for c in account.redshift_clusters)
    account = replace(account, roles=roles, redshift_clusters=clusters)
    jobs = tuple(replace(j, role=new) if j.role == old else j for j in scenario.jobs)
    return replace(scenario, account=account, jobs=jobs), account


def _default_route_to(routes: Sequence[m.Route], target: str) -> tuple[m.Route, ...]:
    kept = tuple(r for r in routes if r.destination != ANYWHERE)
    return (*kept, m.Route(ANYWHERE, target))


def _public_subnet(vpc: m.Vpc) -> tuple[m.Vpc, str]:
    """A subnet whose default route goes to an attached internet gateway, creating one (and an IGW) if needed."""
    for subnet in vpc.subnets:
        if is_public_subnet(vpc, subnet.id):
            return vpc, subnet.id
    igw = vpc.internet_gateways[0] if vpc.internet_gateways else "igw-gluesim"
    table = m.RouteTable("rtb-gluesim-public", routes=(m.Route(ANYWHERE, igw),))
    subnet = m.Subnet("subnet-gluesim-public", route_table=table.id)
    vpc = replace(vpc, internet_gateways=vpc.internet_gateways or (igw,),
                  route_tables=(*vpc.route_tables, table), subnets=(*vpc.subnets, subnet))
    return vpc, subnet.id


def _own_table(vpc: m.Vpc, table_id: str, subnet_id: str, shared_with: str | None) -> tuple[m.Vpc, str]:
    """Give ``subnet_id`` a route table of its own when it has none or shares one with ``shared_with``."""
    shared = shared_with is not None and table_of(vpc, shared_with) is table_of(vpc, subnet_id)
    if table_id and not shared:
        return vpc, table_id
    current = table_of(vpc, subnet_id)
    new = m.RouteTable(f"rtb-gluesim-{subnet_id}", routes=current.routes if current else ())
    subnets = tuple(replace(s, route_table=new.id) if s.id == subnet_id else s for s in vpc.subnets)
    return replace(vpc, route_tables=(*vpc.route_tables, new), subnets=subnets), new.id


def add_nat(vpc: m.Vpc, table_id: str, subnet_id: str) -> m.Vpc:
    """Add a NAT gateway in a public subnet and send the job subnet's default route to it."""
    working = [n for n in vpc.nat_gateways if n.id in working_nats(vpc)]
    if working:
        nat, public = working[0].id, working[0].subnet
    else:
        vpc, public = _public_subnet(vpc)
        nat = "nat-gluesim"
        vpc = replace(vpc, nat_gateways=(*(n for n in vpc.nat_gateways if n.id != nat), m.NatGateway(nat, public)))
    vpc, table_id = _own_table(vpc, table_id, subnet_id, public)
    tables = tuple(replace(t, routes=_default_route_to(t.routes, nat)) if t.id == table_id else t
                   for t in vpc.route_tables)
    return replace(vpc, route_tables=tables)


def add_s3_endpoint(vpc: m.Vpc, table_id: str, subnet_id: str) -> m.Vpc:
    """Associate an S3 gateway endpoint with the job subnet's route table (creating either if needed)."""
    vpc, table_id = _own_table(vpc, table_id, subnet_id, None)
    existing = next((e for e in vpc.endpoints if e.service == "s3" and e.type == "Gateway"), None)
    if existing is None:
        endpoints = (*vpc.endpoints, m.VpcEndpoint("vpce-gluesim-s3", "s3", "Gateway", (table_id,)))
    else:
        endpoints = tuple(replace(e, route_tables=(*e.route_tables, table_id)) if e is existing else e
                          for e in vpc.endpoints)
    return replace(vpc, endpoints=endpoints)


def _self_rule(group_id: str) -> m.SecurityGroupRule:
    return m.SecurityGroupRule("tcp", 0, 65535, group_id)


def add_self_rule(account: m.Account, target: str, connections: Sequence[str]) -> m.Account | None:
    """Add the self-referencing all-TCP inbound rule to group ``target``, or create such a group for
    ``connections`` when ``target`` is a VPC id; None when there is nothing to attach it to."""
    if target.startswith("sg-"):
        vpcs = tuple(replace(v, security_groups=tuple(
            replace(g, inbound=(*g.inbound, _self_rule(g.id))) if g.id == target else g for g in v.security_groups))
            for v in account.vpcs)
        return replace(account, vpcs=vpcs)
    if not connections:
        return None
    group = m.SecurityGroup("sg-gluesim", inbound=(_self_rule("sg-gluesim"),),
                            outbound=(m.SecurityGroupRule("all", 0, 65535, ANYWHERE),))
    vpcs = tuple(replace(v, security_groups=(*v.security_groups, group)) if v.id == target else v
                 for v in account.vpcs)
    conns = tuple(replace(c, security_groups=(*c.security_groups, group.id)) if c.name in connections else c
                  for c in account.connections)
    return replace(account, vpcs=vpcs, connections=conns)
