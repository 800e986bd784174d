"""The JSON Schema (draft 2020-12) of the scenario file: one source of truth.

The loader validates with this very schema (see :mod:`gluesim.simulator.scenario.validate`),
so the schema editors use and the checks ``gluesim simulate`` makes cannot drift.
Keywords starting with ``x-`` are annotations our validator also reads:

* ``x-kind`` / ``x-key``: an object is a *user* named by its ``name`` field, etc.
  (used to say "user 'analyst' ..." in errors and to find duplicate names);
* ``x-ref``: the string names another entry (a group, a role, a subnet, ...);
  dangling references are load errors with "did you mean".
"""

from __future__ import annotations

import functools
from typing import Any

from gluesim.simulator.policies import REGION_PATTERN

SCHEMA_ID = "https://gluesim.dev/schema/scenario.schema.json"

ACTIONS = (
    "sign-in-console",
    "open-glue-studio",
    "create-job-s3",
    "create-job-catalog",
    "create-job-redshift",
    "create-job-connector",
    "create-job-vpc",
    "create-job-streaming",
    "data-preview",
    "save-job",
    "run-job",
    "delete-jobs",
    "view-dashboards",
    "modify-dashboards",
    "delete-dashboards",
    "open-billing-console",
)


def _str(description: str, **extra: Any) -> dict[str, Any]:
    return {"type": "string", "description": description, **extra}


def _bool(description: str) -> dict[str, Any]:
    return {"type": ["boolean", "null"], "description": description + " (null = unknown)"}


def _list(items: dict[str, Any], description: str, unique_by: str | None = None) -> dict[str, Any]:
    node: dict[str, Any] = {"type": "array", "items": items, "description": description}
    if unique_by:
        node["x-unique"] = unique_by
    return node


def _suppress(owner: str) -> dict[str, Any]:
    """``suppress:`` on a user or job: accepted findings (read by gluesim.simulator.findings.suppress)."""
    entry = _obj(None, {
        "rule": _str("the finding's rule id (a KB requirement id; shell globs allowed)"),
        "reason": _str("why the finding is accepted"),
        # No type: YAML reads an unquoted 2027-06-30 as a date; the suppression reader checks it.
        "expires": {"description": "a date, YYYY-MM-DD; after it the suppression is itself a finding"},
        "resource": _str("only findings about this resource (an ARN; shell globs allowed)"),
    }, required=("rule", "reason"))
    return _list(entry, f"accepted findings about this {owner}, with the reason (and an expiry date)")


def _refs(kind: str, description: str) -> dict[str, Any]:
    return _list(_str(f"a {kind} name", **{"x-ref": kind}), description)


def _obj(kind: str | None, props: dict[str, Any], required: tuple[str, ...] = (), key: str = "name") -> dict:
    node: dict[str, Any] = {"type": "object", "properties": props, "additionalProperties": False}
    if required:
        node["required"] = list(required)
    if kind:
        node["x-kind"] = kind
        node["x-key"] = key
    return node


POLICY = {"$ref": "#/$defs/policyDocument"}
# The Connection API's ConnectionType values (docs.aws.amazon.com/glue/latest/dg/aws-glue-api-catalog-connections.html).
CONNECTION_TYPES = ("JDBC", "NETWORK", "MARKETPLACE", "CUSTOM", "KAFKA", "MONGODB", "SFTP", "SALESFORCE")
UNKNOWN_KINDS = {
    "policy": "an attached managed policy (ARN or name) whose document no source shows",
    "boundary": "a permissions boundary (ARN or name) whose document no source shows",
    "group": "a group the user is in that no source describes",
}
POLICY_ARN = r"^arn:aws(-cn|-us-gov)?:iam::\d{12}:policy/(.*/)?[^/]+$"
SECRET_ARN = r"^arn:aws(-cn|-us-gov)?:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$"
OPTIONAL_POLICY = {"anyOf": [POLICY, {"type": "null"}]}
S3_URL = {"type": "string", "pattern": r"^s3://[a-z0-9][a-z0-9.\-]{1,61}[a-z0-9](/.*)?$", "x-ref": "bucket"}
ACCOUNT_ID = r"^[0-9]{12}$"
REGION = r"^[a-z]{2}(-[a-z]+)+-\d$"
# aws:PrincipalOrgPaths form: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgpaths
ORG_ID = r"^o-[a-z0-9]{10,32}$"
OU_PATH = r"^o-[a-z0-9]{10,32}/r-[0-9a-z]{4,32}/(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}/)*$"
# ISO 8601 date and time, as IAM's date condition operators read aws:CurrentTime.
AS_OF = r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$"


def _account(description: str, nullable: bool = False) -> dict[str, Any]:
    """A 12-digit account id (quoted in YAML); ``nullable``: null means unknown."""
    text = {"type": "string", "pattern": ACCOUNT_ID, "description": description + (" (null = unknown)" if nullable else "")}
    return {"anyOf": [text, {"type": "null"}]} if nullable else text


def _region(description: str, nullable: bool = False) -> dict[str, Any]:
    text = _str(description + (" (null = unknown)" if nullable else ""), pattern=REGION)
    return {"anyOf": [text, {"type": "null"}]} if nullable else text


def _tags(what: str) -> dict[str, Any]:
    """``tags``: AWS resource tags as ``Key: Value`` (null = the tags are unknown)."""
    tags = {"type": "object", "additionalProperties": {"type": "string", "maxLength": 256},
            "description": f"the {what}'s tags, Key: Value (omit: none; null: unknown)"}
    return {"anyOf": [tags, {"type": "null"}]}


def _defs() -> dict[str, Any]:
    return {
        "policyDocument": {
            "description": "An IAM policy document, as a YAML mapping or a JSON string.",
            "type": ["object", "string"],
        },
        "dataLocation": {
            "description": "A job source or target: exactly one of these keys.",
            "type": "object",
            "minProperties": 1,
            "maxProperties": 1,
            "additionalProperties": False,
            "properties": {
                "s3": {**S3_URL, "description": "an S3 URL, s3://bucket/prefix/ or s3://bucket/key"},
                "catalog": _str("a Data Catalog table, database.table", pattern=r"^[^.\s]+\.[^.\s]+$"),
                "redshift": _str("a Redshift cluster id", **{"x-ref": "redshift_cluster"}),
                "connection": _str("a Glue connection name", **{"x-ref": "connection"}),
                "stream": _str("a Kinesis or Kafka stream name (schema inferred from the stream)"),
                "kinesis": _str("a Kinesis data stream: its name in the scenario's account and Region, or its ARN",
                                pattern=r"^(arn:[a-z-]+:kinesis:[a-z0-9-]+:[0-9]{12}:stream/)?[A-Za-z0-9_.-]{1,128}$"),
            },
        },
        "sgRule": _obj(
            None,
            {
                "protocol": {"enum": ["tcp", "udp", "icmp", "all"], "description": "all = every protocol (-1)"},
                "from_port": {"type": "integer", "minimum": 0, "maximum": 65535},
                "to_port": {"type": "integer", "minimum": 0, "maximum": 65535},
                "peer": _str("source (inbound) or destination (outbound): sg-..., a CIDR or pl-...",
                             **{"x-ref": "security_group_peer"}),
            },
            required=("protocol", "peer"),
        ),
    }


def _unknowns(*kinds: str) -> dict[str, Any]:
    """``unknown_policies``: pieces of a principal's permissions the sources do not show."""
    props = {k: _str(UNKNOWN_KINDS[k]) for k in kinds}
    props["reason"] = _str("why it is unknown and how to export it")
    item = {**_obj(None, props), "minProperties": 1}
    return _list(item, "what is unknown about this principal's permissions (exactly one of "
                 + ", ".join(kinds) + " per item): verdicts it could change are unknown, never a pass")


def _iam() -> dict[str, Any]:
    inline = {
        "type": "object",
        "additionalProperties": POLICY,
        "description": "inline policies: PolicyName -> policy document",
    }
    managed = _refs("policy", "managed policies: customer policy names, AWS managed policy names, or ARNs")
    boundary = _str("permissions boundary: a managed policy name or ARN", **{"x-ref": "policy"})
    return {
        "users": _list(_obj("user", {
            "name": _str("UserName"),
            "path": _str("Path", pattern="^/(.*/)?$"),
            "console_access": _bool("has a console password (login profile)"),
            "password_reset_required": _bool("must create a new password at next sign-in"),
            "groups": _refs("group", "groups the user belongs to"),
            "inline_policies": inline,
            "managed_policies": managed,
            "permissions_boundary": boundary,
            "unknown_policies": _unknowns("policy", "boundary", "group"),
            "tags": _tags("user"),
            "suppress": _suppress("user"),
        }, required=("name",)), "IAM users", unique_by="name"),
        "groups": _list(_obj("group", {
            "name": _str("GroupName"),
            "path": _str("Path", pattern="^/(.*/)?$"),
            "inline_policies": inline,
            "managed_policies": managed,
            "unknown_policies": _unknowns("policy"),
        }, required=("name",)), "IAM groups", unique_by="name"),
        "roles": _list(_obj("role", {
            "name": _str("RoleName"),
            "path": _str("Path", pattern="^/(.*/)?$"),
            "trust_policy": {**OPTIONAL_POLICY, "description": "AssumeRolePolicyDocument (null = unknown)"},
            "trusted_services": _list(_str("a service principal, e.g. glue.amazonaws.com"),
                                      "short form of a trust policy letting these services sts:AssumeRole"),
            "inline_policies": inline,
            "managed_policies": managed,
            "permissions_boundary": boundary,
            "unknown_policies": _unknowns("policy", "boundary"),
            "tags": _tags("role"),
        }, required=("name",)), "IAM roles", unique_by="name"),
        "policies": _list(_obj("policy", {
            "name": _str("PolicyName"),
            "path": _str("Path", pattern="^/(.*/)?$"),
            "arn": _str("the policy's real ARN, used verbatim (default: built from account, path and name)",
                        pattern=POLICY_ARN),
            "document": POLICY,
        }, required=("name", "document")), "customer managed policies", unique_by="name"),
    }


def _storage() -> dict[str, Any]:
    key_ref = _str("a KMS key id, alias (alias/name) or ARN", **{"x-ref": "kms_key"})
    return {
        "buckets": _list(_obj("bucket", {
            "name": _str("bucket name"),
            "encryption": {"enum": ["SSE-S3", "SSE-KMS", None], "description": "default encryption"},
            "kms_key": key_ref,
            "policy": {**OPTIONAL_POLICY, "description": "bucket policy (omit: none; null: unknown)"},
            "account_id": _account("the bucket owner's account id (omit: the scenario's account)", nullable=True),
            "region": _region("the bucket's Region, LocationConstraint (omit: the scenario's Region)", nullable=True),
            "tags": _tags("bucket"),
        }, required=("name",)), "S3 buckets", unique_by="name"),
        "kms_keys": _list(_obj("KMS key", {
            "id": _str("key id"),
            "aliases": _list(_str("alias/name", pattern="^alias/"), "aliases"),
            "enabled": _bool("the key is enabled (false: disabled or pending deletion; KMS rejects its use)"),
            "policy": {**OPTIONAL_POLICY, "description": "key policy (omit: the default key policy; null: unknown)"},
            "account_id": _account("the key's AWSAccountId (omit: the scenario's account)"),
            "tags": _tags("KMS key"),
        }, required=("id",), key="id"), "KMS keys", unique_by="id"),
        "secrets": _list(_obj("secret", {
            "name": _str("secret name"),
            "arn": _str("the secret's real ARN with its 6-character suffix, used verbatim (default: derived)",
                        pattern=SECRET_ARN),
            "kms_key": key_ref,
            "policy": {**OPTIONAL_POLICY, "description": "resource policy (omit: none; null: unknown)"},
            "account_id": _account("the secret's owner account (omit: the account in arn, else the scenario's)"),
            "tags": _tags("secret"),
        }, required=("name",)), "Secrets Manager secrets", unique_by="name"),
    }


def _vpcs() -> dict[str, Any]:
    return {"vpcs": _list(_obj("VPC", {
        "id": _str("vpc-..."),
        "enable_dns_support": _bool("enableDnsSupport"),
        "enable_dns_hostnames": _bool("enableDnsHostnames"),
        "internet_gateways": _list(_str("igw-..."), "attached internet gateways"),
        "nat_gateways": _list(_obj("NAT gateway", {
            "id": _str("nat-..."),
            "subnet": _str("the (public) subnet it lives in", **{"x-ref": "subnet"}),
        }, required=("id", "subnet"), key="id"), "NAT gateways", unique_by="id"),
        "route_tables": _list(_obj("route table", {
            "id": _str("rtb-..."),
            "main": {"type": "boolean", "description": "the VPC's main route table"},
            "routes": _list(_obj(None, {
                "destination": _str("a CIDR, e.g. 0.0.0.0/0, or a prefix list pl-..."),
                "target": _str("local, igw-..., nat-... or vpce-...", **{"x-ref": "route_target"}),
            }, required=("destination", "target")), "routes"),
        }, required=("id",), key="id"), "route tables", unique_by="id"),
        "subnets": _list(_obj("subnet", {
            "id": _str("subnet-..."),
            "route_table": _str("rtb-...; omit for the main route table", **{"x-ref": "route_table"}),
            "availability_zone": _str("e.g. us-east-1a"),
        }, required=("id",), key="id"), "subnets", unique_by="id"),
        "endpoints": _list(_obj("VPC endpoint", {
            "id": _str("vpce-..."),
            "service": _str("short service name, e.g. s3"),
            "type": {"enum": ["Gateway", "Interface"]},
            "route_tables": _refs("route_table", "route tables of a gateway endpoint"),
            "policy": {**OPTIONAL_POLICY,
                       "description": "endpoint policy (omit: the default full-access policy; null: unknown)"},
        }, required=("id", "service"), key="id"), "VPC endpoints", unique_by="id"),
        "security_groups": _list(_obj("security group", {
            "id": _str("sg-..."),
            "inbound": _list({"$ref": "#/$defs/sgRule"}, "inbound rules"),
            "outbound": _list({"$ref": "#/$defs/sgRule"}, "outbound rules"),
        }, required=("id",), key="id"), "security groups", unique_by="id"),
    }, required=("id",), key="id"), "VPCs", unique_by="id")}


def _glue() -> dict[str, Any]:
    return {
        "redshift_clusters": _list(_obj("Redshift cluster", {
            "id": _str("cluster identifier"),
            "roles": _refs("role", "IAM roles associated with the cluster"),
            "subnet": _str("subnet-...", **{"x-ref": "subnet"}),
        }, required=("id",), key="id"), "Redshift clusters", unique_by="id"),
        "data_stores": _list(_obj("data store", {
            "name": _str("a name for the store"),
            "engine": _str("jdbc, mysql, postgresql, oracle, ..."),
            "public": _bool("reachable from the internet (outside AWS or public endpoint)"),
            "subnet": _str("the subnet of a private store", **{"x-ref": "subnet"}),
        }, required=("name",)), "external data stores", unique_by="name"),
        "catalog": _obj(None, {"databases": _list(_obj("database", {
            "name": _str("database name"),
            "tables": _list({"anyOf": [
                _obj(None, {
                    "name": _str("table name"),
                    "location": {"anyOf": [_str("StorageDescriptor.Location: where the table's data is, "
                                                "e.g. s3://bucket/prefix/"), {"type": "null"}],
                                 "description": "the table's data location (omit or null: unknown)"},
                }, required=("name",)),
                _str("table name (its data location unknown)"),
            ]}, "tables: a name, or {name, location}"),
        }, required=("name",)), "Data Catalog databases", unique_by="name")}),
        "connections": _list(_obj("connection", {
            "name": _str("connection name"),
            "type": {"enum": list(CONNECTION_TYPES)},
            "data_store": _str("a data store name", **{"x-ref": "data_store"}),
            "subnet": _str("subnet-...", **{"x-ref": "subnet"}),
            "security_groups": _refs("security_group", "security groups"),
            "secret": _str("a secret name", **{"x-ref": "secret"}),
            "connector": _str("a connector name", **{"x-ref": "connector"}),
        }, required=("name",)), "Glue connections", unique_by="name"),
        "connectors": _list(_obj("connector", {
            "name": _str("connector name"),
            "type": {"enum": ["marketplace", "custom"]},
            "connector_url": {**S3_URL, "description": "a custom connector's JAR, the CONNECTOR_URL connection "
                              "property (omit: unknown)"},
        }, required=("name",)), "Glue Studio connectors", unique_by="name"),
        "dashboards": _list(_str("dashboard name"), "CloudWatch dashboards"),
    }


def _intent() -> dict[str, Any]:
    location = {"$ref": "#/$defs/dataLocation"}
    return {
        "jobs": _list(_obj("job", {
            "name": _str("job name"),
            "created_by": _str("the user who builds the job in Glue Studio", **{"x-ref": "user"}),
            "run_by": _str("the user who runs it (default: created_by)", **{"x-ref": "user"}),
            "role": _str("the job's IAM role (name or ARN)", **{"x-ref": "role"}),
            "sources": _list(location, "data sources"),
            "targets": _list(location, "data targets"),
            "script_location": S3_URL,
            "temp_dir": S3_URL,
            "expected_runtime_minutes": {"type": ["integer", "null"], "minimum": 0},
            "connections": _refs("connection", "connections the job uses"),
            "subnet": _str("run the job in this subnet (else the connections' subnet)", **{"x-ref": "subnet"}),
            "visual_transforms": {"type": "boolean", "description": "uses visual transforms whose code is in the "
                                  "AWS-owned aws-glue-studio-transforms-ACCOUNT-prod-REGION bucket (default false)"},
            "region": _region("the Region the job runs in (omit: the scenario's Region)"),
            "tags": _tags("job"),
            "suppress": _suppress("job"),
        }, required=("name", "created_by", "role")), "jobs to build in Glue Studio", unique_by="name"),
        "checks": _list(_obj(None, {
            "actor": _str("a user", **{"x-ref": "user"}),
            "action": {"enum": list(ACTIONS), "description": "a Glue Studio action (KB id without 'action.')"},
            "job": _str("a job name (create-job-*, data-preview, save-job, run-job)", **{"x-ref": "job"}),
            "dashboard": _str("a dashboard name", **{"x-ref": "dashboard"}),
        }, required=("actor", "action")), "other actions to check"),
    }


def _training() -> dict[str, Any]:
    return {"training": _obj(None, {
        "title": _str("scenario title"),
        "difficulty": {"enum": ["beginner", "intermediate", "advanced"]},
        "story": _str("the trainee's story"),
        "hints": _list(_str("a hint"), "hints, revealed one by one"),
        "expect": _obj(None, {
            "fails": _list(_obj(None, {
                "actor": _str("a user"), "action": _str("an action id"), "requirement": _str("a KB id"),
            }, required=("actor", "action", "requirement")), "expected failures"),
            "passes": _list(_obj(None, {"actor": _str("a user"), "action": _str("an action id")},
                                 required=("actor", "action")), "expected passes"),
        }),
    }, required=("title", "difficulty"))}


@functools.cache
def schema() -> dict[str, Any]:
    """Return the JSON Schema of a scenario file (cached; do not mutate)."""
    account = _obj(None, {
        "id": {"type": "string", "pattern": r"^\d{12}$", "description": "12-digit account id"},
        "region": _str("an AWS Region name, e.g. us-east-1", pattern=REGION_PATTERN),
        "as_of": _str("when the requests are made, ISO 8601 (aws:CurrentTime); omit: unknown", pattern=AS_OF),
        "partition": {"enum": ["aws", "aws-cn", "aws-us-gov"]},
        "billing_iam_access": _bool("IAM user and role access to Billing is activated"),
        "users_can_change_password": _bool("the account password policy allows users to change their own password"),
    }, required=("id",))
    organization = _obj(None, {
        "id": _str("the organization id (DescribeOrganization Id), aws:PrincipalOrgID", pattern=ORG_ID),
        "ou_path": _str("the account's path o-ID/r-ROOT/ou-.../ as in aws:PrincipalOrgPaths", pattern=OU_PATH),
        "management_account_id": _account("the management account (DescribeOrganization MasterAccountId): "
                                          "SCPs do not affect its principals"),
        "accounts": _list(_str("a member account id", pattern=ACCOUNT_ID),
                          "the member accounts (ListAccounts); omit: unknown"),
        "scp_levels": _list(_obj("SCP level", {
        "name": _str("root, an OU name, or the account"),
        "policies": {"type": "object", "additionalProperties": POLICY, "description": "SCP name -> document"},
        "unknown": {"type": "boolean", "description": "true: the level's SCPs could not be read (give no policies)"},
        "reason": _str("why the level is unknown and how to export it"),
    }, required=("name",)), "SCP levels from the root down to the account")})
    props: dict[str, Any] = {
        "name": _str("scenario name"),
        "description": _str("what the scenario shows"),
        "account": account,
        "organization": organization,
        **_iam(), **_storage(), **_vpcs(), **_glue(), **_intent(), **_training(),
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "gluesim scenario",
        "description": "A hypothetical AWS account and the Glue Studio work its people want to do.",
        "type": "object",
        "properties": props,
        "required": ["account"],
        "additionalProperties": False,
        "$defs": _defs(),
    }
