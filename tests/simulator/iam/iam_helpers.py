"""Small builders shared by the IAM evaluator tests."""

from __future__ import annotations

import itertools
from typing import Any

from gluesim.simulator.iam import Evaluation, Policy, PolicyType, Request, compile_policy, evaluate

ACCOUNT = "111122223333"
OTHER = "444455556666"
USER = f"arn:aws:iam::{ACCOUNT}:user/alice"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/JobRole"
SESSION = f"arn:aws:sts::{ACCOUNT}:assumed-role/JobRole/run-1"
BUCKET_OBJECT = "arn:aws:s3:::src-bucket/data/file.csv"
_ids = itertools.count()


def stmt(effect: str = "Allow", action: Any = "s3:GetObject", resource: Any = "*", **extra: Any) -> dict[str, Any]:
    """A statement dict; ``action=None`` / ``resource=None`` leave Action / Resource out."""
    statement: dict[str, Any] = {"Effect": effect}
    if action is not None:
        statement["Action"] = action
    if resource is not None:
        statement["Resource"] = resource
    statement.update(extra)
    return statement


def policy(*statements: dict[str, Any], kind: PolicyType = PolicyType.IDENTITY, version: str | None = "2012-10-17",
           policy_id: str | None = None) -> Policy:
    """Compile a policy made of ``statements``."""
    document: dict[str, Any] = {"Statement": list(statements)}
    if version is not None:
        document = {"Version": version, **document}
    return compile_policy(document, policy_id or f"p{next(_ids)}", kind)


def request(action: str = "s3:GetObject", resource: str = BUCKET_OBJECT, **kwargs: Any) -> Request:
    """A request from alice (an IAM user) unless told otherwise."""
    kwargs.setdefault("principal_arn", USER)
    kwargs.setdefault("principal_type", "User")
    kwargs.setdefault("principal_account", ACCOUNT)
    return Request(action, resource, **kwargs)


def decide(req: Request, *identity: Policy, **kwargs: Any) -> str:
    """The decision word for ``req``."""
    return evaluate(req, list(identity), **kwargs).decision.value


def run(req: Request, *identity: Policy, **kwargs: Any) -> Evaluation:
    """The full evaluation for ``req``."""
    return evaluate(req, list(identity), **kwargs)
