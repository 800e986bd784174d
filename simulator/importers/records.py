"""The small frozen records every importer produces before mapping to the account model.

A field that is ``None`` is unknown: the export did not say. Policy documents are
kept as decoded JSON objects; ``origin`` names where each came from so that verdicts
built on them can point back at the export.

Why a layer of its own beside ``gluesim.simulator.model`` (which it resembles): these records
are shaped like the exports, the model like the account the engine evaluates. A record names
things as the exports do (principals and policies by ARN, a subnet or endpoint by the VPC id it
points to, before the VPC is known to exist), keeps what only an import needs (where a document
came from and its template node, for errors located in the user's file; ``policy_known`` to tell
"no policy" from "not exported"; DNS-less route ``active`` flags; job arguments) and holds
entities several sources must still be merged into (a template's ``Attachment`` to a role an
export defines). ``tomodel`` resolves all of that into the model through the scenario loader,
so the import and the written scenario file load the same way. Where a piece is the same thing
in both, the record uses the model's type (``UnknownPolicy``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gluesim.simulator.importers.common import Notice
from gluesim.simulator.model import UnknownPolicy


@dataclass(frozen=True, slots=True)
class PolicyDoc:
    """A named policy document, with the place it was read from."""

    name: str
    document: dict[str, Any] = field(hash=False, compare=True)
    origin: str = field(default="", compare=False)  # "file: JSON.path" or "file:line"
    node: Any = field(default=None, compare=False, repr=False)  # a template's own node (its lines locate errors)


@dataclass(frozen=True, slots=True)
class ManagedPolicy:
    """A managed policy; ``document`` is None when the export did not include it."""

    arn: str
    name: str
    path: str = "/"
    document: PolicyDoc | None = None

    @property
    def aws_managed(self) -> bool:
        """True for policies AWS owns (``arn:<partition>:iam::aws:policy/...``)."""
        return ":iam::aws:policy/" in self.arn


@dataclass(frozen=True, slots=True)
class User:
    """An IAM user: groups by name, managed policies by ARN."""

    name: str
    arn: str
    path: str = "/"
    groups: tuple[str, ...] = ()
    inline_policies: tuple[PolicyDoc, ...] = ()
    managed_policy_arns: tuple[str, ...] = ()
    boundary_arn: str | None = None
    console_password: bool | None = None
    unknown_policies: tuple[UnknownPolicy, ...] = ()
    tags: tuple[tuple[str, str], ...] | None = ()  # None: the source cannot say


@dataclass(frozen=True, slots=True)
class Group:
    """An IAM group."""

    name: str
    arn: str
    path: str = "/"
    inline_policies: tuple[PolicyDoc, ...] = ()
    managed_policy_arns: tuple[str, ...] = ()
    unknown_policies: tuple[UnknownPolicy, ...] = ()


@dataclass(frozen=True, slots=True)
class Role:
    """An IAM role with its trust policy (None = unknown)."""

    name: str
    arn: str
    path: str = "/"
    trust_policy: PolicyDoc | None = None
    inline_policies: tuple[PolicyDoc, ...] = ()
    managed_policy_arns: tuple[str, ...] = ()
    boundary_arn: str | None = None
    unknown_policies: tuple[UnknownPolicy, ...] = ()
    tags: tuple[tuple[str, str], ...] | None = ()  # None: the source cannot say

    @property
    def service_linked(self) -> bool:
        """True for service-linked roles (path ``/aws-service-role/...``)."""
        return self.path.startswith("/aws-service-role/")


@dataclass(frozen=True, slots=True)
class Bucket:
    """An S3 bucket: ``encryption`` is the SSE algorithm, ``policy`` the bucket policy.

    ``policy_known`` tells "no bucket policy" (True, policy None) from "not exported" (False).
    """

    name: str
    region: str | None = None
    encryption: str | None = None
    kms_key: str | None = None
    policy: PolicyDoc | None = None
    policy_known: bool = False
    account_id: str | None = None  # the owner (None: unknown)


@dataclass(frozen=True, slots=True)
class KmsKey:
    """A KMS key; ``policy`` None with ``policy_known`` False = the key policy was not exported."""

    key_id: str
    arn: str | None = None
    aws_managed: bool | None = None
    enabled: bool | None = None
    aliases: tuple[str, ...] = ()
    policy: PolicyDoc | None = None
    policy_known: bool = False


@dataclass(frozen=True, slots=True)
class Secret:
    """A Secrets Manager secret (metadata only; values are never read)."""

    name: str
    arn: str | None = None
    kms_key: str | None = None
    policy: PolicyDoc | None = None
    policy_known: bool = False


@dataclass(frozen=True, slots=True)
class Route:
    """One route: destination (CIDR or prefix list) and target (igw-, nat-, vpce-, local...)."""

    destination: str
    target: str
    active: bool = True


@dataclass(frozen=True, slots=True)
class RouteTable:
    """A route table with its explicit subnet associations."""

    route_table_id: str
    vpc_id: str | None
    main: bool = False
    subnet_ids: tuple[str, ...] = ()
    routes: tuple[Route, ...] = ()


@dataclass(frozen=True, slots=True)
class Subnet:
    """A subnet."""

    subnet_id: str
    vpc_id: str | None
    availability_zone: str | None = None
    cidr: str | None = None


@dataclass(frozen=True, slots=True)
class Vpc:
    """A VPC."""

    vpc_id: str
    cidr: str | None = None


@dataclass(frozen=True, slots=True)
class NatGateway:
    """A NAT gateway (only ``available`` ones carry traffic)."""

    nat_gateway_id: str
    vpc_id: str | None
    subnet_id: str | None
    available: bool = True


@dataclass(frozen=True, slots=True)
class VpcEndpoint:
    """A VPC endpoint; ``service`` is the last part of the service name (``s3``, ``glue``...)."""

    endpoint_id: str
    vpc_id: str | None
    service: str
    endpoint_type: str = "Gateway"
    route_table_ids: tuple[str, ...] = ()
    subnet_ids: tuple[str, ...] = ()
    available: bool = True
    policy: PolicyDoc | None = None
    policy_known: bool = True  # False: the endpoint policy exists but could not be read


@dataclass(frozen=True, slots=True)
class SecurityGroupRule:
    """One inbound or outbound rule: protocol ("-1" = all), ports, and peers."""

    protocol: str
    from_port: int | None = None
    to_port: int | None = None
    cidrs: tuple[str, ...] = ()
    group_ids: tuple[str, ...] = ()
    prefix_lists: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SecurityGroup:
    """A security group; ``egress`` None = unknown."""

    group_id: str
    name: str | None
    vpc_id: str | None
    ingress: tuple[SecurityGroupRule, ...] = ()
    egress: tuple[SecurityGroupRule, ...] | None = None

    @property
    def self_referencing_all_tcp(self) -> bool:
        """True when an inbound rule lets the group itself in on every TCP port (what Glue needs)."""
        return any(
            self.group_id in rule.group_ids
            and (rule.protocol == "-1" or (rule.protocol in ("tcp", "6") and (rule.from_port, rule.to_port) == (0, 65535)))
            for rule in self.ingress
        )


@dataclass(frozen=True, slots=True)
class Connection:
    """A Glue connection; the password is never kept, only the fact that one was dropped."""

    name: str
    connection_type: str
    subnet_id: str | None = None
    security_group_ids: tuple[str, ...] = ()
    availability_zone: str | None = None
    secret_id: str | None = None
    url: str | None = None
    connector_url: str | None = None  # CONNECTOR_URL: a custom or Marketplace connector's JAR in S3


@dataclass(frozen=True, slots=True)
class Table:
    """A Data Catalog table."""

    database: str
    name: str
    location: str | None = None


@dataclass(frozen=True, slots=True)
class Job:
    """A Glue job to check: role (name or ARN as given), script, temp dir, connections."""

    name: str
    role: str | None
    command: str | None = None
    script_location: str | None = None
    temp_dir: str | None = None
    connections: tuple[str, ...] = ()
    security_configuration: str | None = None
    origin: str = field(default="", compare=False)
    s3_arguments: tuple[tuple[str, str], ...] = ()  # DefaultArguments naming S3 URLs (besides --TempDir)

    @property
    def streaming(self) -> bool:
        """True for ``gluestreaming`` jobs."""
        return self.command == "gluestreaming"


@dataclass(frozen=True, slots=True)
class Scp:
    """A service control policy and the level (root, OU or account id) it is attached to."""

    policy_id: str
    name: str
    document: PolicyDoc | None
    targets: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Organization:
    """The SCP picture: levels from the root down to the account, and the policies."""

    levels: tuple[str, ...]
    scps: tuple[Scp, ...] = ()
    unknown_levels: tuple[str, ...] = ()
    id: str | None = None  # o-... (describe-organization)
    ou_path: str | None = None  # o-ID/r-ROOT/ou-.../ (aws:PrincipalOrgPaths form), the account's place in the tree
    management_account_id: str | None = None
    accounts: tuple[str, ...] | None = None  # every account of the organization (list-accounts)


@dataclass(frozen=True, slots=True)
class Attachment:
    """Policies or group memberships a template gives a principal it does not create itself."""

    kind: str  # the Imported field: "roles", "users" or "groups"
    name: str
    inline_policies: tuple[PolicyDoc, ...] = ()
    managed_policy_arns: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    origin: str = field(default="", compare=False)
    unknown_policies: tuple[UnknownPolicy, ...] = ()


@dataclass(frozen=True, slots=True)
class Imported:
    """Everything one or more sources said about an account, plus what they could not say."""

    sources: tuple[str, ...] = ()
    account_id: str | None = None
    partition: str | None = None
    region: str | None = None
    users: tuple[User, ...] = ()
    groups: tuple[Group, ...] = ()
    roles: tuple[Role, ...] = ()
    managed_policies: tuple[ManagedPolicy, ...] = ()
    buckets: tuple[Bucket, ...] = ()
    kms_keys: tuple[KmsKey, ...] = ()
    secrets: tuple[Secret, ...] = ()
    vpcs: tuple[Vpc, ...] = ()
    subnets: tuple[Subnet, ...] = ()
    route_tables: tuple[RouteTable, ...] = ()
    nat_gateways: tuple[NatGateway, ...] = ()
    vpc_endpoints: tuple[VpcEndpoint, ...] = ()
    security_groups: tuple[SecurityGroup, ...] = ()
    internet_gateways: tuple[str, ...] = ()
    connections: tuple[Connection, ...] = ()
    databases: tuple[str, ...] = ()
    tables: tuple[Table, ...] = ()
    jobs: tuple[Job, ...] = ()
    organization: Organization | None = None
    attachments: tuple[Attachment, ...] = ()  # applied by ``sources.merge``; empty afterwards
    notices: tuple[Notice, ...] = ()
