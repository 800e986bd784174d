"""hypothesis properties of the quick reading (``quick``): it agrees with the careful one, or declines.

The quick reading parses without the duplicate-key hook and counts strings instead, and
compiles the common shape in one loop. Whatever it accepts must compile to exactly what the
careful reading (``grammar``) builds, a policy it declines must still get the careful reading's
result or error, and plain valid policies must take it (else the speed-up is not real).
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from gluesim.simulator.iam import PolicyError, PolicyType, compile_policy, jsontext, quick, spans
from gluesim.simulator.iam.compiled import TAKES_PRINCIPAL, Policy
from gluesim.simulator.iam.policy import compile_careful

ACTIONS = ["s3:GetObject", "s3:Get*", "*", "glue:*Job*", "iam:PassRole", "logs:?ut*"]
RESOURCES = ["*", "arn:aws:s3:::b/*", "arn:aws:iam::111122223333:role/${aws:username}",
             "arn:aws:logs:*:*:log-group:/aws-glue/*"]
PRINCIPALS: list[Any] = ["*", {"AWS": "*"}, {"AWS": "111122223333"}, {"Service": "glue.amazonaws.com"},
                         {"AWS": ["arn:aws:iam::111122223333:role/r", "arn:aws:iam::111122223333:root"]},
                         {"Federated": "cognito-identity.amazonaws.com", "AWS": "444455556666"}]
CONDITIONS: list[Any] = [
    {"StringEquals": {"aws:PrincipalTag/team": ["data", "ops"]}}, {"StringLike": {"aws:PrincipalTag/team": "da*"}},
    {"IpAddress": {"aws:SourceIp": ["10.0.0.0/8"]}}, {"DateLessThan": {"aws:CurrentTime": "2030-01-01T00:00:00Z"}},
    {"Bool": {"aws:SecureTransport": "true"}, "Null": {"k:n": "false"}},
    {"ForAnyValue:StringLike": {"aws:TagKeys": ["a*", "b"]}},
    {"ArnLike": {"aws:SourceArn": "arn:aws:glue:*:111122223333:job/*"}},
    {"StringEquals": {"s3:prefix": "home/${aws:username}/", "aws:RequestedRegion": "us-east-1"}}]
# Values that break an element (or that only the careful reading takes: numbers and booleans in a Condition).
BAD: list[Any] = [[], 1, None, True, {"a": 1}, ["s3:GetObject", 2], ["s3:GetObject", ["x"]], "bad action",
                  "s*:Get", "not-an-arn", "arn:aws:s*:::x", "x", {}, {"Bogus": {"k": "v"}}, {"StringEquals": {}},
                  {"StringEquals": {"k": 3}}, {"NumericLessThan": {"k": [1, "2"]}}, {"Bool": {"k": False}},
                  {"DateLessThan": {"aws:CurrentTime": "nope"}}, {"StringLike": {"k": []}}, {"AWS": []},
                  {"AWS": 1}, {"AWS": "arn:aws:iam::1:user/*"}, {"Bogus": "x"}, "2020-01-01", {"Sid": "x"},
                  {"StringEquals": {"k": 123456789012345678901234567890}}, {"NumericLessThan": {"k": 1.5}}]
ELEMENTS = ["Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Principal", "NotPrincipal",
            "Condition", "Bogus"]
kinds = st.sampled_from(list(PolicyType))


def element(draw: Any, choices: list[Any]) -> Any:
    """A string or a non-empty list of strings from ``choices``."""
    if draw(st.booleans()):
        return draw(st.sampled_from(choices))
    return draw(st.lists(st.sampled_from(choices), min_size=1, max_size=3))


@st.composite
def valid_statements(draw: Any, kind: PolicyType, sid: str | None) -> dict[str, Any]:
    """A well-formed statement for a policy of ``kind`` (``sid`` None: no Sid; ``"null"``: a JSON null)."""
    raw: dict[str, Any] = {} if sid is None else {"Sid": None if sid == "null" else sid}
    raw["Effect"] = draw(st.sampled_from(["Allow", "Deny"]))
    raw["NotAction" if draw(st.integers(0, 9)) == 0 else "Action"] = element(draw, ACTIONS)
    if kind is not PolicyType.TRUST or draw(st.booleans()):
        raw["NotResource" if draw(st.integers(0, 9)) == 0 else "Resource"] = element(draw, RESOURCES)
    if kind in TAKES_PRINCIPAL:
        raw["NotPrincipal" if draw(st.integers(0, 9)) == 0 else "Principal"] = draw(st.sampled_from(PRINCIPALS))
    if draw(st.booleans()):
        raw["Condition"] = draw(st.sampled_from(CONDITIONS))
    return raw


@st.composite
def valid_documents(draw: Any, kind: PolicyType) -> dict[str, Any]:
    """A well-formed policy of ``kind``: Version, sometimes Id, one to four statements (a list or one object)."""
    document: dict[str, Any] = {}
    version = draw(st.sampled_from(["2012-10-17", "2012-10-17", "2008-10-17", None, "missing"]))
    if version != "missing":
        document["Version"] = version
    if draw(st.integers(0, 4)) == 0:
        document["Id"] = "policy-id"
    sids = draw(st.lists(st.sampled_from([None, "null", "", "S"]), min_size=1, max_size=4))
    items = [draw(valid_statements(kind, f"S{i}" if sid == "S" else sid)) for i, sid in enumerate(sids)]
    document["Statement"] = items[0] if len(items) == 1 and draw(st.booleans()) else items
    return document


@st.composite
def spoilt_documents(draw: Any, kind: PolicyType) -> dict[str, Any]:
    """A valid policy with one thing changed: an element replaced or added, a statement repeated, ..."""
    document = draw(valid_documents(kind))
    items = document["Statement"] if isinstance(document["Statement"], list) else [document["Statement"]]
    target = items[draw(st.integers(0, len(items) - 1))]
    change = draw(st.integers(0, 4))
    if change == 0:
        target[draw(st.sampled_from(ELEMENTS))] = draw(st.sampled_from(BAD))
    elif change == 1:
        items.append(dict(target))  # a repeated Sid, unless it has none
        document["Statement"] = items
    elif change == 2:
        document[draw(st.sampled_from(["Version", "Id", "Statement", "Extra"]))] = draw(st.sampled_from(BAD))
    elif change == 3:
        document["Statement"] = draw(st.sampled_from(BAD))
    else:
        condition = target.setdefault("Condition", {"StringEquals": {"k": "v"}})
        block = next(iter(condition.values()))
        block[draw(st.sampled_from(["k", "aws:SourceIp"]))] = draw(st.sampled_from(BAD))
    return document


def _dump(node: Any, duplicate: int | None, counter: list[int]) -> str:
    """JSON text of ``node``; the ``duplicate``-th object (in document order) gets its first member twice."""
    if isinstance(node, dict):
        number = counter[0]
        counter[0] += 1
        pairs = [f"{json.dumps(k)}: {_dump(v, duplicate, counter)}" for k, v in node.items()]
        if number == duplicate:  # the same key and value again: only the duplicate is wrong
            pairs += [pairs[0]] if node else ['"k": 1', '"k": 1']
        return "{" + ", ".join(pairs) + "}"
    if isinstance(node, list):
        return "[" + ", ".join(_dump(item, duplicate, counter) for item in node) + "]"
    return json.dumps(node)


def doubled(document: Any, duplicate: int) -> tuple[str, bool]:
    """``document`` with a duplicate key in its ``duplicate``-th object, and whether it has that many objects."""
    counter = [0]
    text = _dump(document, duplicate, counter)
    return text, duplicate < counter[0]


def texts(document: Any, style: int) -> str:
    """``document`` as users write it: indented (0), compact (1) or with an escape (2)."""
    if style == 0:
        return json.dumps(document, indent=2)
    if style == 1:
        return json.dumps(document, separators=(",", ":"))
    return json.dumps(document).replace('"Effect"', '"\\u0045ffect"')


def summary(policy: Policy) -> Any:
    """Everything the evaluator reads from a compiled policy."""
    return (policy.version, policy.policy_type, [
        (s.index, s.sid, s.allow, s.actions.patterns, s.not_action,
         s.resource_patterns if s.resources is not None else None, s.not_resource, s.principals, s.not_principal,
         s.clauses) for s in policy.statements])


def careful(text: str, kind: PolicyType) -> Any:
    """The careful reading's compiled summary, or its error."""
    try:
        return summary(compile_careful(text, "p", kind, "p.json"))
    except PolicyError as exc:
        return ("error", str(exc))


def quickly(text: str, kind: PolicyType) -> Any:
    """The quick reading's compiled summary, or None when it declines."""
    found = quick.compile_text(text, Policy("p", kind, "p.json", text, None))
    return None if found is None else summary(found)


@settings(max_examples=400)
@given(data=st.data(), kind=kinds, style=st.integers(0, 2))
def test_plain_valid_policies_take_the_quick_reading_and_compile_as_carefully(data: Any, kind: PolicyType,
                                                                             style: int) -> None:
    text = texts(data.draw(valid_documents(kind)), style)
    expected = careful(text, kind)
    assert expected[0] != "error"
    found = quickly(text, kind)
    assert found == expected or (found is None and style == 2)  # a text with an escape is read carefully


@settings(max_examples=600)
@given(data=st.data(), kind=kinds, style=st.integers(0, 2), duplicate=st.one_of(st.none(), st.integers(0, 8)))
def test_the_quick_reading_agrees_with_the_careful_one_or_declines(data: Any, kind: PolicyType, style: int,
                                                                   duplicate: int | None) -> None:
    document = data.draw(st.one_of(valid_documents(kind), spoilt_documents(kind)))
    text, has_duplicate = doubled(document, duplicate) if duplicate is not None else (texts(document, style), False)
    expected = careful(text, kind)
    found = quickly(text, kind)
    assert found is None or found == expected
    if has_duplicate:  # a duplicate key is always the careful reading's error
        assert found is None and expected[0] == "error" and "duplicate key" in expected[1]
    try:
        got = summary(compile_policy(text, "p", kind, "p.json"))
    except PolicyError as exc:
        got = ("error", str(exc))
    assert got == expected


@given(data=st.data(), kind=kinds, style=st.integers(0, 2))
def test_statement_span_agrees_with_the_decoder_scan(data: Any, kind: PolicyType, style: int) -> None:
    text = texts(data.draw(st.one_of(valid_documents(kind), spoilt_documents(kind))), style)
    try:
        offsets = jsontext.statement_offsets(text)
    except (IndexError, ValueError):  # no Statement to scan: not a policy a response would locate
        return
    assert [spans.statement_span(text, i) for i in range(len(offsets))] == offsets


def test_texts_orjson_and_the_standard_library_read_differently_are_read_carefully() -> None:
    template = '{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": %s}}'
    long_integer = '{"StringEquals": {"k": 123456789012345678901234567890}}'  # orjson: a float
    not_a_number = '{"NumericEquals": {"k": NaN}}'  # orjson: not JSON
    escaped = '{"StringEquals": {"k": "caf\\u00e9"}}'  # a backslash
    lone_surrogate = '{"StringEquals": {"k": "x' + chr(0xD800) + '"}}'  # orjson: not UTF-8
    for condition in (long_integer, not_a_number, escaped, lone_surrogate):
        text = template % condition
        assert quickly(text, PolicyType.IDENTITY) is None
        try:
            got = summary(compile_policy(text, "p", PolicyType.IDENTITY, "p.json"))
        except PolicyError as exc:
            got = ("error", str(exc))
        assert got == careful(text, PolicyType.IDENTITY)
    plain = template % '{"StringEquals": {"k": "café"}}'
    assert quickly(plain, PolicyType.IDENTITY) == careful(plain, PolicyType.IDENTITY)
