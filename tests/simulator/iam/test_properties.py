"""hypothesis properties of the evaluator (the issue's list)."""

from __future__ import annotations

import re
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from iam_helpers import ACCOUNT, USER

from gluesim.simulator.iam import PolicyType, Request, compile_policy, evaluate
from gluesim.simulator.iam.patterns import arn_matcher, glob_matcher

ACTIONS = ["s3:GetObject", "s3:PutObject", "glue:CreateJob", "glue:GetJob", "iam:PassRole"]
ACTION_PATTERNS = ACTIONS + ["s3:*", "glue:Get*", "*", "s3:?etObject", "iam:Pass*"]
RESOURCES = ["arn:aws:s3:::a/x", "arn:aws:s3:::b/y", "arn:aws:glue:us-east-1:111122223333:job/j"]
RESOURCE_PATTERNS = RESOURCES + ["*", "arn:aws:s3:::a/*", "arn:aws:s3:::*", "arn:aws:glue:*:*:job/*"]

conditions = st.one_of(
    st.none(),
    st.fixed_dictionaries({"StringEquals": st.fixed_dictionaries({"k:a": st.sampled_from(["1", "2"])})}),
    st.fixed_dictionaries({"ForAllValues:StringLike": st.fixed_dictionaries({"k:b": st.sampled_from(["x*", "y"])})}),
    st.fixed_dictionaries({"Null": st.fixed_dictionaries({"k:a": st.sampled_from(["true", "false"])})}),
)


@st.composite
def statements(draw: Any, effect: str | None = None) -> dict[str, Any]:
    statement: dict[str, Any] = {"Effect": effect or draw(st.sampled_from(["Allow", "Deny"]))}
    statement["NotAction" if draw(st.booleans()) and draw(st.booleans()) else "Action"] = draw(
        st.lists(st.sampled_from(ACTION_PATTERNS), min_size=1, max_size=3))
    statement["NotResource" if draw(st.integers(0, 5)) == 0 else "Resource"] = draw(
        st.lists(st.sampled_from(RESOURCE_PATTERNS), min_size=1, max_size=2))
    condition = draw(conditions)
    if condition is not None:
        statement["Condition"] = condition
    return statement


documents = st.lists(statements(), min_size=1, max_size=4).map(lambda s: {"Version": "2012-10-17", "Statement": s})
requests = st.builds(
    lambda action, resource, a, b: Request(action, resource, principal_arn=USER, principal_account=ACCOUNT,
                                           principal_type="User", context={**a, **b}),
    st.sampled_from(ACTIONS), st.sampled_from(RESOURCES),
    st.sampled_from([{}, {"k:a": ("1",)}, {"k:a": ("2",)}]),
    st.sampled_from([{}, {"k:b": ("x1", "x2")}, {"k:b": ("y",)}, {"k:b": ("x", "z")}]),
)


def compiled(docs: list[dict[str, Any]]) -> list[Any]:
    return [compile_policy(d, f"p{i}", PolicyType.IDENTITY) for i, d in enumerate(docs)]


def decision(req: Request, docs: list[dict[str, Any]]) -> str:
    return evaluate(req, compiled(docs)).decision.value


@given(requests)
def test_no_policy_is_an_implicit_deny(req: Request) -> None:
    assert decision(req, []) == "implicitDeny"


@given(requests, st.lists(documents, max_size=3))
def test_a_matching_unconditional_deny_is_an_explicit_deny(req: Request, docs: list[dict[str, Any]]) -> None:
    deny = {"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Action": req.action, "Resource": "*"}}
    assert decision(req, [*docs, deny]) == "explicitDeny"


@given(requests, st.lists(documents, max_size=3), st.lists(statements("Allow"), min_size=1, max_size=3))
def test_adding_an_allow_never_turns_allowed_into_denied(req: Request, docs: list[dict[str, Any]],
                                                          extra: list[dict[str, Any]]) -> None:
    before = decision(req, docs)
    after = decision(req, [*docs, {"Version": "2012-10-17", "Statement": extra}])
    if before == "allowed":
        assert after == "allowed"


@given(requests, st.lists(documents, max_size=3), st.lists(statements("Deny"), min_size=1, max_size=3))
def test_adding_a_deny_never_turns_denied_into_allowed(req: Request, docs: list[dict[str, Any]],
                                                       extra: list[dict[str, Any]]) -> None:
    before = decision(req, docs)
    after = decision(req, [*docs, {"Version": "2012-10-17", "Statement": extra}])
    if before in ("explicitDeny", "implicitDeny"):
        assert after != "allowed"
    if before == "explicitDeny":
        assert after == "explicitDeny"


@given(requests, st.lists(documents, min_size=1, max_size=3), st.randoms(use_true_random=False))
def test_order_of_policies_and_statements_never_matters(req: Request, docs: list[dict[str, Any]], rnd: Any) -> None:
    shuffled = []
    for doc in docs:
        items = list(doc["Statement"])
        rnd.shuffle(items)
        shuffled.append({**doc, "Statement": items})
    rnd.shuffle(shuffled)
    assert decision(req, docs) == decision(req, shuffled)


@given(requests, st.lists(documents, min_size=1, max_size=3), st.randoms(use_true_random=False))
def test_action_case_never_matters(req: Request, docs: list[dict[str, Any]], rnd: Any) -> None:
    recased = "".join(c.upper() if rnd.random() < 0.5 else c.lower() for c in req.action)
    other = Request(recased, req.resource, req.principal_arn, req.principal_account, None, req.context, "User")
    assert decision(req, docs) == decision(other, docs)


def reference_arn_regex(pattern: str) -> str:
    """Independent translation: * ending a colon segment spans colons; other wildcards stay in it."""
    segments = pattern.split(":")
    out = []
    for n, segment in enumerate(segments):
        text = ""
        for i, char in enumerate(segment):
            if char == "*":
                text += ".*" if i == len(segment) - 1 else "[^:]*"
            elif char == "?":
                text += "[^:]"
            else:
                text += re.escape(char)
        out.append(text)
    return ":".join(out)


alphabet = st.sampled_from(list("ab:/*?-"))
texts = st.text(alphabet=st.sampled_from(list("ab:/-")), max_size=10)
patterns = st.text(alphabet=alphabet, max_size=10)


@given(patterns, texts)
def test_resource_wildcards_match_exactly_their_regex(pattern: str, text: str) -> None:
    expected = re.fullmatch(reference_arn_regex(pattern), text, flags=re.S) is not None
    assert bool(arn_matcher(pattern)(text)) == expected


@given(patterns, texts)
def test_action_and_string_like_wildcards_match_exactly_their_regex(pattern: str, text: str) -> None:
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    assert bool(glob_matcher(pattern)(text)) == (re.fullmatch(regex, text, flags=re.S) is not None)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) |
    st.sampled_from(["*", "s3:GetObject", "arn:aws:s3:::a/*", "Allow", "Deny", "2012-10-17", "StringEquals",
                     "aws:SourceIp", "10.0.0.0/8", "${aws:username}", "arn:aws:iam::111122223333:root"]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(
        st.sampled_from(["Effect", "Action", "NotAction", "Resource", "NotResource", "Principal", "Condition",
                         "Sid", "AWS", "Service", "StringLike", "IpAddress", "Null", "ForAllValues:StringEquals",
                         "aws:SourceIp", "x"]), children, max_size=4),
    max_leaves=12,
)


def compiles_or_fails_cleanly(document: dict[str, Any], kind: PolicyType, req: Request) -> None:
    """compile_policy either compiles (and the result evaluates) or raises PolicyError naming the policy."""
    from gluesim.simulator.iam import PolicyError

    try:
        compiled = compile_policy(document, "fuzz", kind)
    except PolicyError as exc:
        assert str(exc).startswith("fuzz")
        return
    result = evaluate(req, [compiled] if kind is PolicyType.IDENTITY else [],
                      resource_policy=compiled if kind in (PolicyType.RESOURCE, PolicyType.TRUST) else None)
    assert result.decision.value in ("allowed", "explicitDeny", "implicitDeny", "undecided")
    assert isinstance(result.trace, tuple)


@given(st.dictionaries(st.sampled_from(["Version", "Statement", "Id"]), json_values, max_size=3),
       st.sampled_from(list(PolicyType)), requests)
def test_any_document_compiles_or_fails_with_a_policy_error(document: dict[str, Any], kind: PolicyType,
                                                            req: Request) -> None:
    compiles_or_fails_cleanly(document, kind, req)


statement_like = st.dictionaries(
    st.sampled_from(["Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Principal", "NotPrincipal",
                     "Condition"]),
    st.one_of(json_values, st.sampled_from(["Allow", "Deny"]), st.sampled_from(ACTION_PATTERNS),
              st.lists(st.sampled_from(RESOURCE_PATTERNS), max_size=2),
              st.fixed_dictionaries({"AWS": st.sampled_from(["*", "111122223333", USER, "arn:aws:iam::1:role/*"])}),
              st.dictionaries(st.sampled_from(["StringEquals", "StringLikeIfExists", "ForAnyValue:IpAddress", "Null",
                                               "DateLessThan", "NumericGreaterThan", "Bool", "ArnLike", "Nope"]),
                              st.dictionaries(st.sampled_from(["k:a", "k:b", "aws:SourceIp"]), json_values,
                                              max_size=2), max_size=2)),
    max_size=6,
)


@given(st.lists(statement_like, min_size=1, max_size=3), st.sampled_from(list(PolicyType)), requests)
def test_statement_shaped_documents_compile_or_fail_cleanly(statements: list[dict[str, Any]], kind: PolicyType,
                                                           req: Request) -> None:
    compiles_or_fails_cleanly({"Version": "2012-10-17", "Statement": statements}, kind, req)


@given(requests, st.lists(documents, max_size=3))
def test_identity_only_fast_path_agrees_with_the_general_combination(req: Request, docs: list[dict[str, Any]]) -> None:
    from gluesim.simulator.iam import combine
    from gluesim.simulator.iam.evaluate import _Scan

    scan = _Scan(req)
    groups = combine.Groups(scan.group(compiled(docs)), None, None, None, None, None)
    if combine._identity_only(scan, groups):
        assert combine._identity_verdict(groups.identity) == combine._combine(scan, groups, True, True)
