"""The Principal / NotPrincipal element of resource-based policies, and who a request comes from.

https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from gluesim.simulator.iam import unknown_values
from gluesim.simulator.iam.model import Request

PRINCIPAL_KEYS = ("AWS", "Service", "Federated", "CanonicalUser")
_ACCOUNT = re.compile(r"^\d{12}$")
_IAM_ARN = re.compile(r"^arn:[a-z-]+:(iam|sts)::(\d{12}):(.+)$")

# Kinds of grant, strongest first. "direct": the request's own principal ARN (user, role
# session, federated session, service); "any": the wildcard "*"; "role": the role behind a
# role session; "account": the principal's whole account (delegated to its IAM policies).
DIRECT, ANY, ROLE, ACCOUNT = "direct", "any", "role", "account"


@dataclass(frozen=True, slots=True)
class PrincipalSet:
    """The principals one Principal element names."""

    everyone: bool
    accounts: frozenset[str]
    arns: frozenset[str]
    roles: frozenset[tuple[str, str]]  # (account, role name) of role ARNs
    services: frozenset[str]
    federated: frozenset[str]
    canonical: frozenset[str]
    unknown: tuple[str, ...] = ()  # gluesim's unknown-value markers (``gluesim.simulator.iam.unknown_values``)


def parse_principal(raw: Any) -> PrincipalSet:
    """Read a Principal element; raise ValueError with an explanation when malformed."""
    if raw == "*":
        return PrincipalSet(True, frozenset(), frozenset(), frozenset(), frozenset(), frozenset(), frozenset())
    if not isinstance(raw, dict) or not raw:
        raise ValueError('expected "*" or an object such as {"AWS": "arn:aws:iam::123456789012:root"} '
                         'or {"Service": "glue.amazonaws.com"}')
    values: dict[str, list[str]] = {}
    unknown: list[str] = []
    for key, value in raw.items():
        if key not in PRINCIPAL_KEYS:
            raise ValueError(f"unknown principal type {key!r}; expected one of {', '.join(PRINCIPAL_KEYS)}")
        items = value if isinstance(value, list) else [value]
        if not items or not all(isinstance(v, str) for v in items):
            raise ValueError(f"{key} must be a string or a list of strings")
        values[key] = [v for v in items if not unknown_values.is_unknown(v)]
        unknown += [v for v in items if unknown_values.is_unknown(v)]
    everyone = "*" in values.get("AWS", ())
    accounts, arns, roles = set(), set(), set()
    for entry in values.get("AWS", ()):
        if entry == "*":
            continue
        _read_aws_entry(entry, accounts, arns, roles)
    for key in ("Service", "Federated", "CanonicalUser"):
        for entry in values.get(key, ()):
            if "*" in entry or "?" in entry:
                raise ValueError(f"{entry!r}: a principal cannot contain wildcards other than \"*\" alone")
    return PrincipalSet(everyone, frozenset(accounts), frozenset(arns), frozenset(roles),
                        frozenset(v.lower() for v in values.get("Service", ())),
                        frozenset(values.get("Federated", ())), frozenset(values.get("CanonicalUser", ())),
                        tuple(unknown))


def _read_aws_entry(entry: str, accounts: set[str], arns: set[str], roles: set[tuple[str, str]]) -> None:
    # Wildcards cannot match part of a principal name or ARN (Principal element page).
    if "*" in entry or "?" in entry:
        raise ValueError(f"{entry!r}: a principal cannot contain wildcards other than \"*\" alone")
    if _ACCOUNT.match(entry):
        accounts.add(entry)
        return
    match = _IAM_ARN.match(entry)
    if not match:
        raise ValueError(f"{entry!r} is not an AWS principal; expected an account ID or an IAM/STS ARN "
                         "such as 'arn:aws:iam::123456789012:role/name'")
    account, rest = match.group(2), match.group(3)
    if rest == "root":
        accounts.add(account)
    elif match.group(1) == "iam" and rest.startswith("role/"):
        roles.add((account, rest.rsplit("/", 1)[-1]))
        arns.add(entry)
    else:
        arns.add(entry)


def account_of(request: Request) -> str | None:
    """The principal's account: given, or read from its ARN."""
    if request.principal_account:
        return request.principal_account
    match = _IAM_ARN.match(request.principal_arn or "")
    return match.group(2) if match else None


def _session_role(request: Request) -> tuple[str, str] | None:
    match = _IAM_ARN.match(request.principal_arn or "")
    if not match:
        return None
    rest = match.group(3)
    if request.principal_type == "AssumedRole" and rest.startswith("assumed-role/"):
        return match.group(2), rest.split("/")[1]
    if request.principal_type == "Role" and rest.startswith("role/"):
        return match.group(2), rest.rsplit("/", 1)[-1]
    return None


def grant(principals: PrincipalSet, request: Request) -> str | None:
    """The strongest way ``principals`` names the request's principal, or None."""
    arn = request.principal_arn
    if request.principal_type == "Service":
        if arn is not None and arn.lower() in principals.services:
            return DIRECT
        return ANY if principals.everyone else None
    if arn is not None and request.principal_type != "Role" and (
            arn in principals.arns or arn in principals.federated or arn in principals.canonical):
        return DIRECT
    if principals.everyone:
        return ANY
    role = _session_role(request)
    if role is not None and role in principals.roles:
        return ROLE
    account = account_of(request)
    if account is not None and account in principals.accounts:
        return DIRECT if request.principal_type == "Root" else ACCOUNT
    return None


def account_only_grant(principals: PrincipalSet, account: str | None) -> tuple[str | None, str | None] | None:
    """For a request whose principal ARN is unknown but whose account is known: the grant, if certain.

    Certain when no named user/role/session is in that account: then the account entry
    decides (a delegating grant) or nothing names the principal. Otherwise None (unknown).
    """
    if account is None:
        return None
    if any(arn.split(":")[4] == account for arn in principals.arns) or principals.federated or principals.canonical:
        return None
    if account in principals.accounts:
        return ACCOUNT, None
    return None, f"!Principal names no principal of account {account}"


def fully_listed(principals: PrincipalSet, request: Request) -> bool:
    """For NotPrincipal: is every identity behind the request listed (so the statement skips it)?

    A role session is exempt only when the account, the role and the session are all
    listed; a user only when the account and the user are listed (NotPrincipal page).
    """
    if principals.everyone:
        return True
    arn = request.principal_arn
    if request.principal_type == "Service":
        return arn is not None and arn.lower() in principals.services
    account = account_of(request)
    needed = [account is not None and account in principals.accounts]
    if request.principal_type != "Root":
        needed.append(arn is not None and arn in principals.arns)
    role = _session_role(request)
    if request.principal_type == "AssumedRole":
        needed.append(role is not None and role in principals.roles)
    return all(needed)
