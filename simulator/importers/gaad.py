"""Read ``aws iam get-account-authorization-details`` output into frozen records.

Shape: input-formats §1.2 (botocore ``GetAccountAuthorizationDetailsResponse``). Users
link to groups by name and to managed policies by ARN; only the managed policy version
marked ``IsDefaultVersion`` is in force
(https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from gluesim.kb.errors import LocatedError
from gluesim.simulator.importers.common import (
    Notices,
    arn_parts,
    as_dict,
    as_list,
    decode_policy_document,
    parse_timestamp,
    text_field,
)
from gluesim.simulator.importers.records import Group, ManagedPolicy, PolicyDoc, Role, User

GAAD_KEYS = frozenset({"UserDetailList", "GroupDetailList", "RoleDetailList", "Policies"})


@dataclass(frozen=True, slots=True)
class Gaad:
    """What one GAAD file holds."""

    users: tuple[User, ...]
    groups: tuple[Group, ...]
    roles: tuple[Role, ...]
    managed_policies: tuple[ManagedPolicy, ...]
    account_id: str | None
    partition: str | None


def is_gaad(data: Any) -> bool:
    """True when ``data`` looks like GAAD output (any subset of its lists, as ``--filter`` gives)."""
    return isinstance(data, dict) and bool(GAAD_KEYS & data.keys()) and not _is_org_policies(data)


def _is_org_policies(data: dict[str, Any]) -> bool:
    items = data.get("Policies")
    return len(data) == 1 and isinstance(items, list) and any(isinstance(i, dict) and "Type" in i for i in items)


def read(data: Any, name: str, notices: Notices, allow_partial: bool = False) -> Gaad:
    """Turn parsed GAAD JSON into records; ``name`` prefixes every located error."""
    if not isinstance(data, dict):
        raise LocatedError(name, "expected the JSON object printed by 'aws iam get-account-authorization-details'")
    _check_complete(data, name, notices, allow_partial)
    users = _unique([_user(u, f"{name}: UserDetailList[{i}]", notices) for i, u in _items(data, "UserDetailList", name, notices)], name, "user")
    groups = _unique([_group(g, f"{name}: GroupDetailList[{i}]", notices) for i, g in _items(data, "GroupDetailList", name, notices)], name, "group")
    roles = _unique([role(r, f"{name}: RoleDetailList[{i}]", notices) for i, r in _items(data, "RoleDetailList", name, notices)], name, "role")
    policies = _unique([_policy(p, f"{name}: Policies[{i}]", notices) for i, p in _items(data, "Policies", name, notices)], name, "managed policy", key="arn")
    account, partition = _identity(name, notices, users, groups, roles, policies)
    return Gaad(tuple(users), tuple(groups), tuple(roles), tuple(policies), account, partition)


def _check_complete(data: dict[str, Any], name: str, notices: Notices, allow_partial: bool) -> None:
    # A paginated API: IsTruncated/Marker survive only when the user cut the paging short
    # (--max-items or --no-paginate), so the file lacks principals (input-formats §0 rule 6).
    if data.get("IsTruncated") is True or "Marker" in data:
        message = "the export is partial (IsTruncated is true or Marker is present)"
        if not allow_partial:
            raise LocatedError(
                f"{name}: IsTruncated",
                f"{message}; re-run 'aws iam get-account-authorization-details' without --max-items, "
                "or pass --allow-partial to import it anyway",
            )
        notices.unknown(f"{name}: IsTruncated", f"{message}: principals and policies on later pages are unknown")
    missing = sorted(GAAD_KEYS - data.keys())
    if missing:
        notices.unknown(name, f"no {', '.join(missing)} in the export (--filter?): those entities are unknown")


def _items(data: dict[str, Any], key: str, name: str, notices: Notices) -> list[tuple[int, dict[str, Any]]]:
    items = as_list(data.get(key), f"{name}: {key}", notices)
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise LocatedError(f"{name}: {key}[{index}]", "expected an object")
    return list(enumerate(items))


def _inline(item: dict[str, Any], key: str, where: str, notices: Notices) -> tuple[PolicyDoc, ...]:
    docs = []
    for index, entry in enumerate(as_list(item.get(key), f"{where}.{key}", notices)):
        at = f"{where}.{key}[{index}]"
        entry = as_dict(entry, at)
        policy_name = text_field(entry, "PolicyName", at)
        document = decode_policy_document(entry.get("PolicyDocument"), f"{at}.PolicyDocument")
        docs.append(PolicyDoc(policy_name, document, f"{at}.PolicyDocument"))
    return tuple(docs)


def _attached(item: dict[str, Any], where: str, notices: Notices) -> tuple[str, ...]:
    arns = []
    for index, entry in enumerate(as_list(item.get("AttachedManagedPolicies"), f"{where}.AttachedManagedPolicies", notices)):
        arns.append(text_field(as_dict(entry, f"{where}.AttachedManagedPolicies[{index}]"), "PolicyArn", f"{where}.AttachedManagedPolicies[{index}]"))
    return tuple(arns)


def _boundary(item: dict[str, Any], where: str) -> str | None:
    # Read only the ARN: the type is "PermissionsBoundaryPolicy" in the model but "Policy" in doc examples.
    boundary = as_dict(item.get("PermissionsBoundary"), f"{where}.PermissionsBoundary")
    return text_field(boundary, "PermissionsBoundaryArn", f"{where}.PermissionsBoundary") if boundary else None


def _user(item: dict[str, Any], where: str, notices: Notices) -> User:
    parse_timestamp(item.get("CreateDate"), f"{where}.CreateDate")
    groups = tuple(as_list(item.get("GroupList"), f"{where}.GroupList", notices))
    if not all(isinstance(g, str) for g in groups):
        raise LocatedError(f"{where}.GroupList", "expected a list of group names")
    return User(
        name=text_field(item, "UserName", where),
        arn=text_field(item, "Arn", where),
        path=text_field(item, "Path", where, required=False) or "/",
        groups=groups,
        inline_policies=_inline(item, "UserPolicyList", where, notices),
        managed_policy_arns=_attached(item, where, notices),
        boundary_arn=_boundary(item, where),
        tags=tags(item, where),
    )


def tags(item: dict[str, Any], where: str) -> tuple[tuple[str, str], ...]:
    """``Tags: [{Key, Value}]`` as pairs (the export drops the key when there are none)."""
    pairs = []
    for index, tag in enumerate(as_list(item.get("Tags"), f"{where}.Tags")):
        at = f"{where}.Tags[{index}]"
        tag = as_dict(tag, at)
        pairs.append((text_field(tag, "Key", at), text_field(tag, "Value", at, required=False) or ""))
    return tuple(pairs)


def _group(item: dict[str, Any], where: str, notices: Notices) -> Group:
    parse_timestamp(item.get("CreateDate"), f"{where}.CreateDate")
    return Group(
        name=text_field(item, "GroupName", where),
        arn=text_field(item, "Arn", where),
        path=text_field(item, "Path", where, required=False) or "/",
        inline_policies=_inline(item, "GroupPolicyList", where, notices),
        managed_policy_arns=_attached(item, where, notices),
    )


def role(item: dict[str, Any], where: str, notices: Notices) -> Role:
    parse_timestamp(item.get("CreateDate"), f"{where}.CreateDate")
    last_used = as_dict(item.get("RoleLastUsed"), f"{where}.RoleLastUsed")
    parse_timestamp(last_used.get("LastUsedDate"), f"{where}.RoleLastUsed.LastUsedDate")
    trust = item.get("AssumeRolePolicyDocument")
    if trust is None:
        notices.unknown(where, "no AssumeRolePolicyDocument: who may assume this role is unknown")
    return Role(
        name=text_field(item, "RoleName", where),
        arn=text_field(item, "Arn", where),
        path=text_field(item, "Path", where, required=False) or "/",
        trust_policy=None if trust is None else PolicyDoc(
            "trust", decode_policy_document(trust, f"{where}.AssumeRolePolicyDocument"), f"{where}.AssumeRolePolicyDocument"
        ),
        inline_policies=_inline(item, "RolePolicyList", where, notices),
        managed_policy_arns=_attached(item, where, notices),
        boundary_arn=_boundary(item, where),
        tags=tags(item, where),
    )


def _policy(item: dict[str, Any], where: str, notices: Notices) -> ManagedPolicy:
    arn = text_field(item, "Arn", where)
    default_id = text_field(item, "DefaultVersionId", where, required=False)
    versions = as_list(item.get("PolicyVersionList"), f"{where}.PolicyVersionList", notices)
    chosen = None
    for index, version in enumerate(versions):
        at = f"{where}.PolicyVersionList[{index}]"
        version = as_dict(version, at)
        parse_timestamp(version.get("CreateDate"), f"{at}.CreateDate")
        if version.get("IsDefaultVersion") is True or (chosen is None and default_id and version.get("VersionId") == default_id):
            chosen = PolicyDoc(text_field(item, "PolicyName", where), decode_policy_document(version.get("Document"), f"{at}.Document"), f"{at}.Document")
    if chosen is None:
        notices.unknown(where, f"managed policy {arn!r} has no default version in the export: its document is unknown")
    return ManagedPolicy(arn=arn, name=text_field(item, "PolicyName", where), path=text_field(item, "Path", where, required=False) or "/", document=chosen)


def _unique(records: list[Any], name: str, what: str, key: str = "name") -> list[Any]:
    seen: dict[str, int] = {}
    for index, record in enumerate(records):
        value = getattr(record, key)
        if value in seen:
            raise LocatedError(name, f"duplicate {what} {value!r} (entries {seen[value]} and {index}); an export lists each once")
        seen[value] = index
    return records




def _identity(name: str, notices: Notices, *collections: list[Any]) -> tuple[str | None, str | None]:
    """The account id (the most common one) and partition the ARNs name.

    Two partitions in one file is an error; two accounts is a warning, since merged
    exports exist in the wild (the cloudsplaining sample mixes two account ids).
    """
    accounts: Counter[str] = Counter()
    partitions: dict[str, str] = {}
    for collection in collections:
        for record in collection:
            parts = arn_parts(record.arn)
            if parts is None:
                raise LocatedError(name, f"{record.arn!r} is not an ARN; expected arn:<partition>:iam::<account>:...")
            partitions.setdefault(parts[0], record.arn)
            if parts[3] != "aws":
                accounts[parts[3]] += 1
    if len(partitions) > 1:
        a, b = list(partitions.values())[:2]
        raise LocatedError(name, f"ARNs from two partitions ({a!r}, {b!r}); export one partition at a time")
    ranked = [account for account, _ in accounts.most_common()]
    if len(ranked) > 1:
        notices.warn(name, f"ARNs name {len(ranked)} accounts ({', '.join(ranked)}); treating {ranked[0]} as the account")
    return (ranked[0] if ranked else None), next(iter(partitions), None)
