"""The unknown-value marker (``<unknown: REASON>``) in Resource, Principal and Condition values.

The defining property: a verdict given with the marker is definite only when it holds whatever
concrete value the marker stands for; otherwise it is ``undecided``.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from iam_helpers import ACCOUNT, USER

from gluesim.simulator.iam import PolicyType, Request, compile_policy, evaluate
from gluesim.simulator.iam.model import UndecidedKind
from gluesim.simulator.iam.unknown_values import is_unknown, marker

UNKNOWN = marker("parameter 'DataBucketName' has no value")
ACTIONS = ["s3:GetObject", "s3:PutObject", "kms:Decrypt"]
RESOURCES = ["arn:aws:s3:::a/x", "arn:aws:s3:::b/y", "arn:aws:kms:us-east-1:111122223333:key/k"]
RESOURCE_PATTERNS = [*RESOURCES, "*", "arn:aws:s3:::a/*", "arn:aws:s3:::*", UNKNOWN]
# What the marker could stand for: each concrete pattern, and one that matches nothing here.
STAND_INS = [*RESOURCES, "*", "arn:aws:s3:::a/*", "arn:aws:s3:::nothing-here"]
CONDITION_VALUES = ["vpce-1", "vpce-2", UNKNOWN]


def request(action: str, resource: str, context: dict[str, tuple[str, ...]] | None = None) -> Request:
    return Request(action, resource, principal_arn=USER, principal_account=ACCOUNT, principal_type="User",
                   context=context or {})


@st.composite
def statements(draw: Any) -> dict[str, Any]:
    statement: dict[str, Any] = {"Effect": draw(st.sampled_from(["Allow", "Deny"])),
                                 "Action": draw(st.lists(st.sampled_from([*ACTIONS, "s3:*"]), min_size=1, max_size=2))}
    key = "NotResource" if draw(st.integers(0, 4)) == 0 else "Resource"
    statement[key] = draw(st.lists(st.sampled_from(RESOURCE_PATTERNS), min_size=1, max_size=2))
    if draw(st.booleans()):
        operator = draw(st.sampled_from(["StringEquals", "StringNotEquals", "StringEqualsIfExists"]))
        statement["Condition"] = {operator: {"aws:SourceVpce": draw(st.sampled_from(CONDITION_VALUES))}}
    return statement


documents = st.lists(statements(), min_size=1, max_size=3).map(lambda s: {"Version": "2012-10-17", "Statement": s})
requests = st.builds(request, st.sampled_from(ACTIONS), st.sampled_from(RESOURCES),
                     st.sampled_from([{}, {"aws:SourceVpce": ("vpce-1",)}, {"aws:SourceVpce": ("vpce-3",)}]))


def replaced(document: dict[str, Any], value: str, condition_value: str) -> dict[str, Any]:
    """The document with every marker replaced: in Resource lists by ``value``, in conditions by ``condition_value``."""
    out = json.loads(json.dumps(document).replace(json.dumps(UNKNOWN), '"@@"'))
    for statement in out["Statement"]:
        for key in ("Resource", "NotResource"):
            if key in statement:
                statement[key] = [value if v == "@@" else v for v in statement[key]]
        for block in statement.get("Condition", {}).values():
            for key, v in block.items():
                block[key] = condition_value if v == "@@" else v
    return out


def decision(req: Request, docs: list[dict[str, Any]]) -> str:
    compiled = [compile_policy(d, f"p{i}", PolicyType.IDENTITY) for i, d in enumerate(docs)]
    return evaluate(req, compiled).decision.value


@given(requests, st.lists(documents, min_size=1, max_size=2), st.sampled_from(STAND_INS),
       st.sampled_from(["vpce-1", "vpce-2", "vpce-3"]))
def test_a_definite_verdict_holds_whatever_the_unknown_stands_for(req: Request, docs: list[dict[str, Any]],
                                                                 value: str, condition_value: str) -> None:
    with_marker = decision(req, docs)
    concrete = decision(req, [replaced(d, value, condition_value) for d in docs])
    if with_marker != "undecided":
        assert (with_marker == "allowed") == (concrete == "allowed")


@given(requests, st.lists(documents, min_size=1, max_size=2))
def test_one_unknown_is_undecided_only_when_two_stand_ins_disagree(req: Request, docs: list[dict[str, Any]]) -> None:
    # With one marker the evaluator is exact; several markers are read independently of each
    # other (an over-approximation: undecided may then be reported where they must agree).
    if json.dumps(docs).count("<unknown") == 1 and decision(req, docs) == "undecided":
        outcomes = {decision(req, [replaced(d, v, c) for d in docs]) == "allowed"
                    for v in STAND_INS for c in ("vpce-1", "vpce-3")}
        assert len(outcomes) == 2


def test_an_unknown_resource_names_itself_in_the_verdict() -> None:
    policy = compile_policy({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": ["arn:aws:s3:::a/*", UNKNOWN]}]},
        "p", PolicyType.IDENTITY)
    assert evaluate(request("s3:GetObject", "arn:aws:s3:::a/x"), [policy]).decision.value == "allowed"
    result = evaluate(request("s3:GetObject", "arn:aws:s3:::b/y"), [policy])
    assert result.decision.value == "undecided"
    assert result.undecided[0].kind is UndecidedKind.UNKNOWN_VALUE
    assert "DataBucketName" in result.undecided_features[0]
    assert evaluate(request("s3:PutObject", "arn:aws:s3:::b/y"), [policy]).decision.value == "implicitDeny"


def test_an_unknown_principal_in_a_key_policy_leaves_other_principals_undecided() -> None:
    key_policy = compile_policy({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": [UNKNOWN]}, "Action": "kms:Decrypt", "Resource": "*"}]},
        "k", PolicyType.RESOURCE)
    result = evaluate(request("kms:Decrypt", RESOURCES[2]), [], key_policy)
    assert result.decision.value == "undecided"
    assert "Principal" in result.undecided_features[0]


def test_an_unknown_condition_value_matters_only_when_the_request_has_the_key() -> None:
    policy = compile_policy({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
         "Condition": {"StringEquals": {"aws:SourceVpce": UNKNOWN}}}]}, "p", PolicyType.IDENTITY)
    assert evaluate(request("s3:GetObject", RESOURCES[0]), [policy]).decision.value == "implicitDeny"
    with_key = evaluate(request("s3:GetObject", RESOURCES[0], {"aws:SourceVpce": ("vpce-1",)}), [policy])
    assert with_key.decision.value == "undecided"


def test_the_marker_is_exactly_angle_bracketed_unknown() -> None:
    assert is_unknown("<unknown>") and is_unknown(UNKNOWN)
    assert not any(is_unknown(v) for v in ("<unknownx>", "unknown", "<unknown: x", "arn:aws:s3:::<unknown>", 7))
