"""Context keys with unknown values: undecided clauses, definite only when every value gives the same verdict."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from iam_helpers import ACCOUNT, USER, policy, request, run, stmt

from gluesim.simulator.iam import PolicyType, Request, compile_policy, evaluate
from gluesim.simulator.iam.unknowns import unknown_keys_consulted

REGION_GUARDRAIL = stmt("Deny", "glue:*", "*", Condition={"StringNotEquals": {"aws:RequestedRegion": "us-east-1"}})
ALLOW_GLUE = stmt("Allow", "glue:*", "*")


def unknown(*keys: str) -> Any:
    wanted = {k.lower() for k in keys}
    return lambda key: key in wanted


def test_a_missing_key_decides_as_aws_does_but_an_unknown_one_is_undecided() -> None:
    identity = policy(ALLOW_GLUE, REGION_GUARDRAIL)
    assert run(request("glue:CreateJob", "*"), identity).decision.value == "explicitDeny"
    undecided = run(request("glue:CreateJob", "*", unknown_key=unknown("aws:RequestedRegion")), identity)
    assert undecided.decision.value == "undecided"
    assert "the request's value of aws:RequestedRegion is not known" in " ".join(undecided.undecided_features)
    assert unknown_keys_consulted(undecided) == ("aws:requestedregion",)
    known = run(request("glue:CreateJob", "*", context={"aws:RequestedRegion": ("us-east-1",)},
                        unknown_key=unknown("aws:RequestedRegion")), identity)
    assert known.decision.value == "allowed" and unknown_keys_consulted(known) == ()


def test_an_unknown_key_that_cannot_change_the_verdict_leaves_it_definite() -> None:
    # The Allow does not depend on the key; a Deny on it would deny, so only an Allow-side key is harmless.
    identity = policy(ALLOW_GLUE, stmt("Allow", "glue:*", "*", Condition={"StringEquals": {"aws:PrincipalTag/team": "x"}}))
    evaluation = run(request("glue:GetJob", "*", unknown_key=unknown("aws:PrincipalTag/team")), identity)
    assert evaluation.decision.value == "allowed"
    denied = run(request("glue:GetJob", "*", unknown_key=unknown("aws:PrincipalTag/team")),
                 policy(stmt("Allow", "s3:*", "*", Condition={"StringEquals": {"aws:PrincipalTag/team": "x"}})))
    assert denied.decision.value == "implicitDeny"  # the statement does not cover glue at all


def test_null_and_ifexists_on_an_unknown_key_are_undecided_too() -> None:
    for condition in ({"Null": {"aws:PrincipalOrgID": "true"}},
                      {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}):
        key = next(iter(next(iter(condition.values()))))
        identity = policy(ALLOW_GLUE, stmt("Deny", "*", "*", Condition=condition))
        assert run(request("glue:GetJob", "*", unknown_key=unknown(key)), identity).decision.value == "undecided"


def test_a_policy_variable_with_an_unknown_value_is_undecided_in_resource_and_condition() -> None:
    by_tag = policy(stmt("Allow", "s3:GetObject", "arn:aws:s3:::src-bucket/${aws:PrincipalTag/team}/*"))
    assert run(request(unknown_key=unknown("aws:PrincipalTag/team")), by_tag).decision.value == "undecided"
    assert run(request(context={"aws:PrincipalTag/team": ("data",)}), by_tag).decision.value == "allowed"
    in_condition = policy(stmt("Allow", "s3:GetObject", "*",
                               Condition={"StringEquals": {"s3:prefix": "${aws:PrincipalTag/team}"}}))
    assert run(request(context={"s3:prefix": ("a",)}, unknown_key=unknown("aws:PrincipalTag/team")),
               in_condition).decision.value == "undecided"


KEYS = ["k:a", "k:b"]
OPERATORS = ["StringEquals", "StringNotEquals", "StringLike", "StringEqualsIfExists", "StringNotEqualsIfExists",
             "ForAnyValue:StringEquals", "ForAllValues:StringLike", "Null"]


@st.composite
def conditional_statements(draw: Any) -> dict[str, Any]:
    operator = draw(st.sampled_from(OPERATORS))
    value = draw(st.sampled_from(["true", "false"])) if operator == "Null" else draw(st.sampled_from(["1", "2", "x*"]))
    return stmt(draw(st.sampled_from(["Allow", "Deny"])), draw(st.sampled_from(["s3:GetObject", "s3:*", "glue:*"])),
                "*", Condition={operator: {draw(st.sampled_from(KEYS)): value}})


VALUES = st.one_of(st.none(), st.lists(st.sampled_from(["1", "2", "x", "xy"]), min_size=1, max_size=2).map(tuple))


@given(statements=st.lists(conditional_statements(), min_size=1, max_size=4), hidden=st.sampled_from(KEYS),
       other=VALUES, actual=VALUES, scp=st.booleans())
def test_a_definite_verdict_with_an_unknown_key_holds_for_every_value_of_it(
        statements: list[dict[str, Any]], hidden: str, other: tuple[str, ...] | None,
        actual: tuple[str, ...] | None, scp: bool) -> None:
    """Property: if the verdict is definite while ``hidden`` is unknown, every value (or absence) gives it.

    Definite means allowed or not: which statement refuses a refused request may differ (an
    undecided Deny on the unknown key leaves an implicit deny that a value can make explicit).
    """
    identity = compile_policy({"Version": "2012-10-17", "Statement": statements}, "p", PolicyType.IDENTITY)
    scps = [[compile_policy({"Version": "2012-10-17", "Statement": [stmt("Allow", "*", "*"), *statements]}, "scp",
                            PolicyType.SCP)]] if scp else None
    known = {k: v for k, v in (("k:a" if hidden == "k:b" else "k:b", other),) if v is not None}

    def decision(context: dict[str, tuple[str, ...]], unknown_key: Any = None) -> str:
        req = Request("s3:GetObject", "arn:aws:s3:::b/k", principal_arn=USER, principal_account=ACCOUNT,
                      principal_type="User", context=context, unknown_key=unknown_key)
        return evaluate(req, [identity], scp_levels=scps).decision.value

    with_unknown = decision(known, unknown(hidden))
    with_value = decision({**known, **({hidden: actual} if actual is not None else {})})
    if with_unknown != "undecided":
        assert (with_value == "allowed") == (with_unknown == "allowed")
