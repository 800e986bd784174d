"""The account model: frozen, slotted dataclasses the engine reads (never raw YAML).

Conventions:

* ``None`` means *unknown* (an importer could not see it); the engine turns an
  unknown it needs into an "unknown" verdict, never a pass.
* Optional resource policies (bucket policy, secret resource policy) use
  :data:`NO_POLICY` for "there is none", which differs from ``None`` (unknown).
* Names refer to other entries by name (users -> groups, roles -> ...); managed
  policies and permissions boundaries are referred to by ARN.
* Policy documents are kept as JSON text, so the IAM evaluator can report line
  and column of a deciding statement.
* Tags are ``(Key, Value)`` pairs in the order given; ``None`` means the tags are unknown
  (a condition on ``aws:PrincipalTag/...`` or ``aws:ResourceTag/...`` is then unknown too).
* Owner accounts (``account_id`` of buckets, keys, secrets) are resolved by the loader:
  the scenario's account unless said otherwise; ``None`` on a bucket means unknown.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class NoPolicy(enum.Enum):
    """The marker for "no resource policy is attached" (as opposed to unknown)."""

    NONE = "none"


NO_POLICY = NoPolicy.NONE


class Encryption(str, enum.Enum):
    """S3 default encryption; every bucket has one since January 2023 (SSE-S3 by default)."""

    SSE_S3 = "SSE-S3"
    SSE_KMS = "SSE-KMS"


class DataKind(str, enum.Enum):
    """What a job source or target is."""

    S3 = "s3"
    CATALOG = "catalog"
    REDSHIFT = "redshift"
    CONNECTION = "connection"
    STREAM = "stream"
    KINESIS = "kinesis"


class ConnectionType(str, enum.Enum):
    """Glue connection types (the Connection API's ConnectionType values that reach Glue Studio jobs).

    https://docs.aws.amazon.com/glue/latest/dg/aws-glue-api-catalog-connections.html (Connection structure)
    """

    JDBC = "JDBC"
    NETWORK = "NETWORK"
    MARKETPLACE = "MARKETPLACE"
    CUSTOM = "CUSTOM"
    KAFKA = "KAFKA"
    MONGODB = "MONGODB"
    SFTP = "SFTP"
    SALESFORCE = "SALESFORCE"


class UnknownKind(str, enum.Enum):
    """Which piece of a principal's permissions is unknown."""

    POLICY = "policy"  # an attached managed policy whose document no source shows
    BOUNDARY = "boundary"  # a permissions boundary whose document no source shows
    GROUP = "group"  # membership of a group no source describes


@dataclass(frozen=True, slots=True)
class UnknownPolicy:
    """A piece of a principal's permissions the sources do not show: the verdicts it could change are unknown."""

    kind: UnknownKind
    ref: str  # the policy ARN or name, or the group name
    reason: str = ""

    def describe(self) -> str:
        """One phrase: what is unknown and why."""
        what = {"policy": "managed policy", "boundary": "permissions boundary", "group": "group"}[self.kind.value]
        return f"{what} {self.ref!r} is unknown" + (f" ({self.reason})" if self.reason else "")


class ConnectorType(str, enum.Enum):
    """Where a Glue Studio connector comes from."""

    MARKETPLACE = "marketplace"
    CUSTOM = "custom"


@dataclass(frozen=True, slots=True)
class PolicyDocument:
    """A named IAM policy document (JSON text); ``where`` is the file:line it came from."""

    name: str
    document: str
    where: str = field(default="", compare=False)


@dataclass(frozen=True, slots=True)
class ScpLevel:
    """The SCPs attached at one level of the organization (root, an OU, the account)."""

    name: str
    policies: tuple[PolicyDocument, ...]
    unknown: bool = False  # the level's SCPs could not be read: it may deny what the rest allows
    reason: str = ""


Tags = tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Organization:
    """AWS Organizations: the organization's id, where the account sits, and SCP levels (root first).

    ``id``, ``ou_path``, ``management_account_id`` and ``accounts`` are None when unknown.
    ``ou_path`` is the account's path in the form of ``aws:PrincipalOrgPaths``
    (``o-id/r-root/ou-.../``); ``accounts`` lists the member account ids (None: not known,
    so whether another account belongs to the organization is unknown).
    """

    scp_levels: tuple[ScpLevel, ...] = ()
    id: str | None = None
    ou_path: str | None = None
    management_account_id: str | None = None
    accounts: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class User:
    """An IAM user."""

    name: str
    path: str = "/"
    console_access: bool | None = False
    password_reset_required: bool | None = False
    groups: tuple[str, ...] = ()
    inline_policies: tuple[PolicyDocument, ...] = ()
    managed_policies: tuple[str, ...] = ()
    permissions_boundary: str | None = None
    unknown_policies: tuple[UnknownPolicy, ...] = ()
    tags: Tags | None = ()


@dataclass(frozen=True, slots=True)
class Group:
    """An IAM group."""

    name: str
    path: str = "/"
    inline_policies: tuple[PolicyDocument, ...] = ()
    managed_policies: tuple[str, ...] = ()
    unknown_policies: tuple[UnknownPolicy, ...] = ()


@dataclass(frozen=True, slots=True)
class Role:
    """An IAM role; ``trust_policy`` None means unknown."""

    name: str
    path: str = "/"
    trust_policy: PolicyDocument | None = None
    inline_policies: tuple[PolicyDocument, ...] = ()
    managed_policies: tuple[str, ...] = ()
    permissions_boundary: str | None = None
    unknown_policies: tuple[UnknownPolicy, ...] = ()
    tags: Tags | None = ()


@dataclass(frozen=True, slots=True)
class ManagedPolicy:
    """A customer managed policy of the account."""

    name: str
    arn: str
    document: PolicyDocument
    path: str = "/"


@dataclass(frozen=True, slots=True)
class Bucket:
    """An S3 bucket with its default encryption, bucket policy, owner account, Region and tags.

    ``account_id`` / ``region`` None: unknown (the loader fills in the scenario's account and
    Region when the file does not say).
    """

    name: str
    encryption: Encryption | None = Encryption.SSE_S3
    kms_key: str | None = None
    policy: PolicyDocument | NoPolicy | None = NO_POLICY
    account_id: str | None = None
    region: str | None = None
    tags: Tags | None = ()


@dataclass(frozen=True, slots=True)
class KmsKey:
    """A KMS key; ``arn`` is the key ARN, ``policy`` None means unknown; ``enabled`` None means unknown."""

    key_id: str
    arn: str
    aliases: tuple[str, ...] = ()
    policy: PolicyDocument | None = None
    enabled: bool | None = True
    tags: Tags | None = ()

    @property
    def account_id(self) -> str:
        """The key's owner account (from its ARN)."""
        return self.arn.split(":")[4]


@dataclass(frozen=True, slots=True)
class Secret:
    """A Secrets Manager secret with an optional resource policy."""

    name: str
    arn: str
    kms_key: str | None = None
    policy: PolicyDocument | NoPolicy | None = NO_POLICY
    tags: Tags | None = ()

    @property
    def account_id(self) -> str:
        """The secret's owner account (from its ARN)."""
        return self.arn.split(":")[4]


@dataclass(frozen=True, slots=True)
class Route:
    """A route: destination CIDR or prefix list -> target id (igw-, nat-, vpce-, local)."""

    destination: str
    target: str


@dataclass(frozen=True, slots=True)
class RouteTable:
    """A route table; the VPC's main table serves subnets without an explicit one."""

    id: str
    main: bool = False
    routes: tuple[Route, ...] = ()


@dataclass(frozen=True, slots=True)
class Subnet:
    """A subnet; ``route_table`` None means the VPC's main route table."""

    id: str
    route_table: str | None = None
    availability_zone: str | None = None


@dataclass(frozen=True, slots=True)
class NatGateway:
    """A NAT gateway placed in a (public) subnet."""

    id: str
    subnet: str


@dataclass(frozen=True, slots=True)
class VpcEndpoint:
    """A VPC endpoint; ``service`` is the short name (s3, secretsmanager, ...).

    ``policy``: the endpoint policy; :data:`NO_POLICY` is the default full-access policy,
    None an unknown one.
    """

    id: str
    service: str
    type: str = "Gateway"
    route_tables: tuple[str, ...] = ()
    policy: PolicyDocument | NoPolicy | None = NO_POLICY


@dataclass(frozen=True, slots=True)
class SecurityGroupRule:
    """One rule; ``peer`` is a security group id, a CIDR or a prefix list id."""

    protocol: str
    from_port: int
    to_port: int
    peer: str


@dataclass(frozen=True, slots=True)
class SecurityGroup:
    """A security group with inbound and outbound rules."""

    id: str
    inbound: tuple[SecurityGroupRule, ...] = ()
    outbound: tuple[SecurityGroupRule, ...] = ()


@dataclass(frozen=True, slots=True)
class Vpc:
    """A VPC with everything a Glue job in it depends on."""

    id: str
    enable_dns_support: bool | None = True
    enable_dns_hostnames: bool | None = True
    subnets: tuple[Subnet, ...] = ()
    route_tables: tuple[RouteTable, ...] = ()
    internet_gateways: tuple[str, ...] = ()
    nat_gateways: tuple[NatGateway, ...] = ()
    endpoints: tuple[VpcEndpoint, ...] = ()
    security_groups: tuple[SecurityGroup, ...] = ()


@dataclass(frozen=True, slots=True)
class RedshiftCluster:
    """A Redshift cluster and the IAM roles (names) associated with it."""

    id: str
    roles: tuple[str, ...] = ()
    subnet: str | None = None


@dataclass(frozen=True, slots=True)
class DataStore:
    """An external (non-S3) data store, e.g. a JDBC database; public = reachable from the internet."""

    name: str
    engine: str = "jdbc"
    public: bool | None = False
    subnet: str | None = None


@dataclass(frozen=True, slots=True)
class Table:
    """A Data Catalog table; ``location`` is its ``StorageDescriptor.Location`` (None: unknown)."""

    name: str
    location: str | None = None


@dataclass(frozen=True, slots=True)
class Database:
    """A Data Catalog database and its tables."""

    name: str
    tables: tuple[Table, ...] = ()


@dataclass(frozen=True, slots=True)
class Connection:
    """A Glue connection: its store, network placement, secret and connector."""

    name: str
    type: ConnectionType = ConnectionType.JDBC
    data_store: str | None = None
    subnet: str | None = None
    security_groups: tuple[str, ...] = ()
    secret: str | None = None
    connector: str | None = None


@dataclass(frozen=True, slots=True)
class Connector:
    """A Glue Studio connector (Marketplace or custom).

    ``connector_url``: the S3 URL of a custom connector's JAR (the connection property
    ``CONNECTOR_URL``); None when unknown or for a Marketplace connector.
    """

    name: str
    type: ConnectorType = ConnectorType.MARKETPLACE
    connector_url: str | None = None


@dataclass(frozen=True, slots=True)
class DataLocation:
    """A job source or target; ``ref`` is an S3 URL, ``db.table``, a cluster, connection or stream."""

    kind: DataKind
    ref: str


@dataclass(frozen=True, slots=True)
class Job:
    """A Glue Studio job someone means to build and run."""

    name: str
    created_by: str
    role: str
    run_by: str | None = None
    sources: tuple[DataLocation, ...] = ()
    targets: tuple[DataLocation, ...] = ()
    script_location: str | None = None
    temp_dir: str | None = None
    expected_runtime_minutes: int | None = None
    connections: tuple[str, ...] = ()
    subnet: str | None = None
    # Uses visual transforms whose code Glue Studio keeps in the AWS-owned per-Region bucket
    # aws-glue-studio-transforms-<account>-prod-<region>.
    visual_transforms: bool = False
    region: str | None = None  # the job's Region; None: the account's
    tags: Tags | None = ()

    @property
    def runner(self) -> str:
        """Who runs the job: ``run_by``, or the creator."""
        return self.run_by or self.created_by

    @property
    def streaming(self) -> bool:
        """True when a source is a stream (Kinesis, or a stream whose kind is not said)."""
        return any(s.kind in (DataKind.STREAM, DataKind.KINESIS) for s in self.sources)


@dataclass(frozen=True, slots=True)
class Check:
    """Another action to check for an actor (delete jobs, dashboards, billing, ...)."""

    actor: str
    action: str
    job: str | None = None
    dashboard: str | None = None


@dataclass(frozen=True, slots=True)
class Account:
    """An AWS account as far as Glue Studio cares."""

    account_id: str
    region: str = "us-east-1"
    partition: str = "aws"
    as_of: str | None = None  # ISO 8601 time the requests are made at (aws:CurrentTime); None: unknown
    billing_iam_access: bool | None = False
    users_can_change_password: bool | None = False
    organization: Organization | None = None
    users: tuple[User, ...] = ()
    groups: tuple[Group, ...] = ()
    roles: tuple[Role, ...] = ()
    managed_policies: tuple[ManagedPolicy, ...] = ()
    buckets: tuple[Bucket, ...] = ()
    kms_keys: tuple[KmsKey, ...] = ()
    secrets: tuple[Secret, ...] = ()
    vpcs: tuple[Vpc, ...] = ()
    redshift_clusters: tuple[RedshiftCluster, ...] = ()
    data_stores: tuple[DataStore, ...] = ()
    databases: tuple[Database, ...] = ()
    connections: tuple[Connection, ...] = ()
    connectors: tuple[Connector, ...] = ()
    dashboards: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ExpectedFailure:
    """A failure a trainee scenario expects (the engine never reads it)."""

    actor: str
    action: str
    requirement: str


@dataclass(frozen=True, slots=True)
class ExpectedPass:
    """A pass a trainee scenario expects (the engine never reads it)."""

    actor: str
    action: str


@dataclass(frozen=True, slots=True)
class Training:
    """The trainee section of a scenario: story, hints, expected outcome."""

    title: str
    difficulty: str
    story: str = ""
    hints: tuple[str, ...] = ()
    fails: tuple[ExpectedFailure, ...] = ()
    passes: tuple[ExpectedPass, ...] = ()


@dataclass(frozen=True, slots=True)
class Meta:
    """Scenario name, description, source file and the optional training section."""

    name: str = ""
    description: str = ""
    path: str = field(default="", compare=False)
    training: Training | None = None


@dataclass(frozen=True, slots=True)
class Scenario:
    """An account plus what its people want to do in Glue Studio."""

    account: Account
    jobs: tuple[Job, ...] = ()
    checks: tuple[Check, ...] = ()
    meta: Meta = Meta()
