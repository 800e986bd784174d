"""Policy documents the account model needs: AWS managed policies we ship, default KMS key policy, ARNs."""

from __future__ import annotations

import functools
import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

# The form of a Region name, as AWS documents it for RegionName ("Pattern:
# ^[a-z]{2}-?(iso|gov)?-{1}[a-z]*-{1}[0-9]$", 4 to 16 characters):
# https://docs.aws.amazon.com/datazone/latest/APIReference/API_Region.html
# That pattern leaves out the ISO-B/E/F Regions (us-isob-east-1, eu-isoe-west-1) and any
# Region numbered 10 or more, which AWS names the same way; gluesim accepts those too
# (docs/reference/scenario-format.md says so).
REGION_PATTERN = r"^[a-z]{2}(-(gov|iso[a-z]?))?-[a-z]+-[0-9]{1,2}$"


def is_region_name(value: object) -> bool:
    """True when ``value`` has the form of an AWS Region name (``eu-west-1``, ``us-gov-west-1``)."""
    return isinstance(value, str) and len(value) <= 25 and re.fullmatch(REGION_PATTERN[1:-1], value) is not None


@dataclass(frozen=True, slots=True)
class AwsManagedPolicy:
    """An AWS managed policy shipped in ``simulator/data/aws-managed-policies``."""

    name: str
    arn: str
    document: str


@functools.cache
def aws_managed() -> dict[str, AwsManagedPolicy]:
    """Return the shipped AWS managed policies by name; ARNs come from the folder's SOURCES.md table."""
    from gluesim.kb.policies import policy_arns, policy_folder

    folder = policy_folder()
    return {
        name: AwsManagedPolicy(name, arn, (folder / f"{name}.json").read_text(encoding="utf-8"))
        for name, arn in sorted(policy_arns().items())
    }


@functools.cache
def aws_managed_by_arn() -> dict[str, AwsManagedPolicy]:
    """Return the shipped AWS managed policies by ARN (partition ``aws``)."""
    return {p.arn: p for p in aws_managed().values()}


def aws_managed_arn(arn: str) -> AwsManagedPolicy | None:
    """Return the shipped AWS managed policy for ``arn`` in any partition, or None."""
    canonical = re.sub(r"^arn:[a-z-]+:", "arn:aws:", arn)
    return aws_managed_by_arn().get(canonical)


def default_key_policy(account_id: str, partition: str = "aws") -> str:
    """The default key policy KMS gives a key created without one: the account root gets kms:*.

    This statement lets IAM policies of the account grant access to the key.
    https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
    ("Default key policy": "Allows access to the AWS account and enables IAM policies").
    """
    return canonical_json(
        {
            "Version": "2012-10-17",
            "Id": "key-default-1",
            "Statement": [
                {
                    "Sid": "Enable IAM User Permissions",
                    "Effect": "Allow",
                    "Principal": {"AWS": f"arn:{partition}:iam::{account_id}:root"},
                    "Action": "kms:*",
                    "Resource": "*",
                }
            ],
        }
    )


def trust_policy_for_services(services: list[str]) -> str:
    """A role trust policy letting ``services`` call sts:AssumeRole (what the IAM console writes).

    https://docs.aws.amazon.com/glue/latest/dg/create-an-iam-role.html
    """
    principal: Any = services[0] if len(services) == 1 else list(services)
    return canonical_json(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"Service": principal}, "Action": "sts:AssumeRole"}],
        }
    )


def canonical_json(document: Any) -> str:
    """The JSON text we keep for a policy document (two-space indent, key order kept).

    orjson writes it: the standard library's encoder falls back to pure Python whenever it
    indents, and the 3,000 policies of the benchmark scenario took it about 60 ms. The text is
    the standard library's, character for character, except that a float may be spelled
    differently (``1e16`` for ``1e+16``: the same number); what orjson refuses (integers past
    64 bits, lone surrogates, keys that are not strings) goes to the standard library, and so
    does any text with ``null`` in it, because orjson writes infinities and NaN as null where
    the standard library writes ``Infinity`` and ``NaN`` (YAML's ``.inf`` and ``.nan``).
    """
    import orjson

    try:
        text = orjson.dumps(document, option=orjson.OPT_INDENT_2).decode()
    except TypeError:  # orjson.JSONEncodeError is a TypeError
        text = "null"
    return json.dumps(document, indent=2, ensure_ascii=False) if "null" in text else text


def secret_arn(partition: str, region: str, account_id: str, name: str) -> str:
    """A Secrets Manager ARN; AWS appends six random characters, we derive them from the name."""
    suffix = hashlib.sha256(name.encode()).hexdigest()[:6]
    return f"arn:{partition}:secretsmanager:{region}:{account_id}:secret:{name}-{suffix}"


def iam_arn(partition: str, account_id: str, kind: str, path: str, name: str) -> str:
    """An IAM ARN: ``arn:aws:iam::123456789012:role/service-role/Name``."""
    return f"arn:{partition}:iam::{account_id}:{kind}{path}{name}"


def trusted_by(trust_text: str | None) -> tuple[str, ...]:
    """Who a role's trust policy lets assume it: services, account or role ARNs, federated providers, ``*``.

    A static read of the Allow statements that name ``sts:AssumeRole*`` (or every action);
    conditions are not evaluated, so this says who *may* be allowed.
    """
    if trust_text is None:
        return ()
    statements = json.loads(trust_text).get("Statement", [])
    found: set[str] = set()
    for statement in statements if isinstance(statements, list) else [statements]:
        actions = statement.get("Action", [])
        actions = [actions] if isinstance(actions, str) else actions
        if statement.get("Effect") != "Allow" or not any(
                a == "*" or a.lower().startswith("sts:assumerole") for a in actions if isinstance(a, str)):
            continue
        principal = statement.get("Principal", {})
        if principal == "*":
            found.add("*")
            continue
        for values in principal.values() if isinstance(principal, dict) else ():
            found.update(v for v in ([values] if isinstance(values, str) else values) if isinstance(v, str))
    return tuple(sorted(found))


def people_can_assume(trusted: tuple[str, ...]) -> bool:
    """True when someone other than an AWS service may assume the role (accounts, roles, users, SSO)."""
    return any(not (t.endswith(".amazonaws.com") or t.endswith(".amazonaws.com.cn")) for t in trusted)
