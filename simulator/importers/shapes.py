"""What an AWS CLI output file is, told from its content (not its name).

Every command prints a JSON object whose top-level keys are the operation's output members
(botocore service models; input-formats §2), so the keys name the command. A few outputs do not
say which resource they are about (``get-bucket-policy`` prints only ``Policy``): their meaning
comes from the export folder's layout (``s3/<bucket>/policy.json``), and elsewhere they are
ignored, with a reason, rather than guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Shape:
    """One recognised kind of output: a short id, the command that prints it, and what it needs."""

    id: str
    command: str
    needs: str = ""  # the layout that names the resource the output is about ("" = self-contained)
    otherwise: Shape | None = None  # what the same output is when it lies outside that layout


# Top-level key (or keys) -> shape. Order matters only where one output's keys include another's.
_BY_KEY = (
    (frozenset({"UserDetailList"}), Shape("gaad", "aws iam get-account-authorization-details")),
    (frozenset({"RoleDetailList"}), Shape("gaad", "aws iam get-account-authorization-details")),
    (frozenset({"GroupDetailList"}), Shape("gaad", "aws iam get-account-authorization-details")),
    (frozenset({"Account", "Arn", "UserId"}), Shape("caller", "aws sts get-caller-identity")),
    (frozenset({"Role"}), Shape("get-role", "aws iam get-role")),
    (frozenset({"Buckets"}), Shape("list-buckets", "aws s3api list-buckets")),
    (frozenset({"LocationConstraint"}), Shape("bucket-location", "aws s3api get-bucket-location", "s3/<bucket>/location.json")),
    (frozenset({"ServerSideEncryptionConfiguration"}), Shape("bucket-encryption", "aws s3api get-bucket-encryption", "s3/<bucket>/encryption.json")),
    (frozenset({"KeyMetadata"}), Shape("describe-key", "aws kms describe-key")),
    (frozenset({"Aliases"}), Shape("list-aliases", "aws kms list-aliases")),
    (frozenset({"Keys"}), Shape("list-keys", "aws kms list-keys")),
    (frozenset({"Vpcs"}), Shape("vpcs", "aws ec2 describe-vpcs")),
    (frozenset({"Subnets"}), Shape("subnets", "aws ec2 describe-subnets")),
    (frozenset({"RouteTables"}), Shape("route-tables", "aws ec2 describe-route-tables")),
    (frozenset({"NatGateways"}), Shape("nat-gateways", "aws ec2 describe-nat-gateways")),
    (frozenset({"VpcEndpoints"}), Shape("vpc-endpoints", "aws ec2 describe-vpc-endpoints")),
    (frozenset({"SecurityGroups"}), Shape("security-groups", "aws ec2 describe-security-groups")),
    (frozenset({"ConnectionList"}), Shape("connections", "aws glue get-connections")),
    (frozenset({"Connection"}), Shape("connections", "aws glue get-connection")),
    (frozenset({"Jobs"}), Shape("jobs", "aws glue get-jobs")),
    (frozenset({"Job"}), Shape("jobs", "aws glue get-job")),
    (frozenset({"DatabaseList"}), Shape("databases", "aws glue get-databases")),
    (frozenset({"Database"}), Shape("databases", "aws glue get-database")),
    (frozenset({"TableList"}), Shape("tables", "aws glue get-tables")),
    (frozenset({"Table"}), Shape("tables", "aws glue get-table")),
    (frozenset({"SecretList"}), Shape("list-secrets", "aws secretsmanager list-secrets")),
    (frozenset({"Organization"}), Shape("describe-organization", "aws organizations describe-organization")),
    (frozenset({"Roots"}), Shape("list-roots", "aws organizations list-roots")),
    (frozenset({"OrganizationalUnits"}), Shape("ous-for-parent", "aws organizations list-organizational-units-for-parent", "organizations/ous/<parent-id>.json")),
    (frozenset({"Accounts"}), Shape("accounts", "aws organizations list-accounts(-for-parent)")),
    (frozenset({"Parents"}), Shape("parents", "aws organizations list-parents", "organizations/parents/<child-id>.json")),
    (frozenset({"Targets"}), Shape("policy-targets", "aws organizations list-targets-for-policy", "organizations/targets/<policy-id>.json")),
    (frozenset({"NetworkInterfaces"}), Shape("unused", "aws ec2 describe-network-interfaces")),
)
GAAD_KEYS = frozenset({"UserDetailList", "GroupDetailList", "RoleDetailList", "Policies"})


def recognise(data: Any) -> Shape | None:
    """The shape of a parsed output, or None when it is no AWS CLI output gluesim knows."""
    if not isinstance(data, dict) or not data:
        return None
    keys = data.keys() - {"NextToken", "Marker", "IsTruncated", "ResponseMetadata", "Owner"}
    for wanted, shape in _BY_KEY:
        if wanted <= keys:
            return shape
    return _policy_like(data, keys)


def _policy_like(data: dict[str, Any], keys: set[str]) -> Shape | None:
    """The outputs whose keys are shared: ``Policy``, ``Policies`` and a secret's ``ARN``/``Name``."""
    if keys == {"Policies"}:
        items = data["Policies"]
        if isinstance(items, list) and any(isinstance(i, dict) and "Type" in i for i in items):
            return Shape("org-policies", "aws organizations list-policies-for-target", "organizations/policies-for-target/<target-id>.json",
                         Shape("org-policies-all", "aws organizations list-policies"))
        return Shape("gaad", "aws iam get-account-authorization-details")
    if keys == {"Policy"} or keys == {"Policy", "PolicyName"}:
        policy = data["Policy"]
        if isinstance(policy, dict) and "Content" in policy:
            return Shape("describe-policy", "aws organizations describe-policy")
        if "PolicyName" in keys:
            return Shape("key-policy", "aws kms get-key-policy", "kms/<key-id>/policy.json")
        return Shape("resource-policy", "aws s3api get-bucket-policy or aws kms get-key-policy", "s3/<bucket>/policy.json or kms/<key-id>/policy.json")
    if {"ARN", "Name"} <= keys:
        if keys <= {"ARN", "Name", "ResourcePolicy"}:
            return Shape("secret-policy", "aws secretsmanager get-resource-policy")
        return Shape("describe-secret", "aws secretsmanager describe-secret")
    return None
