"""The public way to read why statements did not apply and what an undecided verdict depends on."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from iam_helpers import ACCOUNT, OTHER, USER, policy, request, run, stmt
from test_properties import statements

from gluesim.simulator.iam import (
    Decision,
    PolicyType,
    Request,
    StatementElement,
    Undecided,
    UndecidedKind,
    compile_policy,
    evaluate,
)

E = StatementElement


def _bucket_policy(principal: object, effect: str = "Allow") -> Any:
    return policy(stmt(effect, resource="arn:aws:s3:::src-bucket/*", Principal=principal), kind=PolicyType.RESOURCE)


@pytest.mark.parametrize(("statement", "because"), [
    (stmt(action="s3:PutObject"), E.ACTION),
    (stmt(resource="arn:aws:s3:::elsewhere/*"), E.RESOURCE),
    (stmt(Condition={"StringEquals": {"aws:SourceVpc": "vpc-1"}}), E.CONDITION),
    (stmt(), None),
])
def test_each_statement_says_which_element_kept_it_from_applying(statement: dict, because: StatementElement | None
                                                                 ) -> None:
    result = run(request(context={"aws:SourceVpc": ("vpc-2",)}), policy(statement))
    (raw,) = result.outcomes
    (explained,) = result.explained()
    assert raw.because is explained.because is because
    assert explained.applies is (because is None)


def test_a_principal_miss_is_reported_as_principal() -> None:
    result = run(request(), resource_policy=_bucket_policy({"AWS": f"arn:aws:iam::{ACCOUNT}:user/bob"}))
    (outcome,) = result.explained()
    assert (outcome.applies, outcome.because) == (False, E.PRINCIPAL)
    assert outcome.detail == f"Principal does not name {USER}"


def test_a_resourceless_miss_is_reported_as_resource() -> None:
    result = run(request("glue:GetJobs", "*"), policy(stmt(action="glue:GetJobs",
                                                           resource="arn:aws:glue:*:*:job/*")))
    (outcome,) = result.explained()
    assert (outcome.applies, outcome.because) == (False, E.RESOURCE)


def _undecided(result: Any) -> list[tuple[UndecidedKind, StatementElement | None]]:
    assert result.decision is Decision.UNDECIDED
    assert result.undecided_features == tuple(u.text for u in result.undecided)
    return [(u.kind, u.element) for u in result.undecided]


def test_undecided_kinds_of_statement_elements() -> None:
    star = run(request("s3:GetObject", "*"), policy(stmt(resource="arn:aws:s3:::a/*")))
    assert _undecided(star) == [(UndecidedKind.RESOURCE_WILDCARD, E.RESOURCE)]
    assert star.outcomes[0].because is E.RESOURCE and star.outcomes[0].applies is None
    variable = run(request(resource="arn:aws:s3:::b/x/y", context={"aws:PrincipalTag/dir": ("x", "z")}),
                   policy(stmt(resource="arn:aws:s3:::b/${aws:PrincipalTag/dir}/*")))
    assert _undecided(variable) == [(UndecidedKind.RESOURCE_VARIABLE, E.RESOURCE)]
    condition = run(request(context={"aws:TagKeys": ("a", "b")}),
                    policy(stmt(Condition={"StringNotEquals": {"aws:TagKeys": "a"}})))
    assert _undecided(condition) == [(UndecidedKind.CONDITION, E.CONDITION)]
    principal = run(request(principal_arn=None), resource_policy=_bucket_policy({"AWS": USER}))
    assert _undecided(principal) == [(UndecidedKind.PRINCIPAL, E.PRINCIPAL)]


def test_undecided_kinds_beyond_one_statement() -> None:
    caller = request(principal_arn="glue-job", principal_account=None, resource_account=OTHER)
    cross = run(caller, policy(stmt()), resource_policy=_bucket_policy({"AWS": USER}))
    assert (UndecidedKind.CROSS_ACCOUNT, None) in _undecided(cross)
    boundary = policy(stmt(action="glue:*"), kind=PolicyType.PERMISSIONS_BOUNDARY)
    wildcard = run(request(), resource_policy=_bucket_policy("*"), boundary_policies=[boundary])
    assert _undecided(wildcard) == [(UndecidedKind.BOUNDARY_WILDCARD_GRANT, None)]


def test_undecided_records_are_values() -> None:
    record = Undecided(UndecidedKind.CONDITION, "x")
    assert record == Undecided(UndecidedKind.CONDITION, "x") and record.element is E.CONDITION


@given(st.lists(statements(), min_size=1, max_size=4),
       st.sampled_from(["s3:GetObject", "glue:GetJob", "glue:GetJobs", "s3:ListAllMyBuckets"]),
       st.sampled_from(["*", "arn:aws:s3:::a/x", "arn:aws:glue:us-east-1:111122223333:job/j"]),
       st.sampled_from([{}, {"k:a": ("1",)}, {"k:b": ("x1", "y")}]))
def test_because_and_undecided_agree_with_the_verdict(statement_list: list[dict], action: str, resource: str,
                                                      context: dict) -> None:
    p = compile_policy({"Version": "2012-10-17", "Statement": statement_list}, "p", PolicyType.IDENTITY)
    result = evaluate(Request(action, resource, principal_arn=USER, principal_type="User", context=context), [p])
    for outcome in result.explained():
        assert (outcome.because is None) == (outcome.applies is True)
        if outcome.applies is False and outcome.because is not E.ACTION:
            assert outcome.because in (E.RESOURCE, E.CONDITION)  # identity policies name no principal
    assert bool(result.undecided) == (result.decision is Decision.UNDECIDED)
    assert result.undecided_features == tuple(u.text for u in result.undecided)
