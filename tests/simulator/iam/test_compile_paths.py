"""hypothesis properties of compiling: the quick paths report exactly what the careful reading would.

Compiling tries the common shape first (one test for a statement's keys, Sid, Effect and
Action, element caches before per-value type checks) and falls back to a careful path only
to explain a problem. These properties check, on random documents, that the error found is
the one the grammar's order gives, and that a duplicate key at any depth is always the error.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gluesim.simulator.iam import PolicyError, PolicyType, compile_policy
from gluesim.simulator.iam.elements import action_problem, check_resource
from gluesim.simulator.iam.policy import STATEMENT_KEYS

# ---------------------------------------------------------------- duplicate keys at any depth

KEYS = ["Version", "Statement", "Effect", "Action", "Resource", "Condition", "a", "b", "aws:SourceIp", "k"]
scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.sampled_from(["", "x", "s3:GetObject", "*"]))


def _objects(children: Any) -> Any:
    # An object as a list of (key, value) pairs with distinct keys, so that json.dumps cannot hide a duplicate.
    return st.lists(st.tuples(st.sampled_from(KEYS), children), max_size=4, unique_by=lambda pair: pair[0])


trees = st.recursive(scalars, lambda children: st.one_of(st.lists(children, max_size=3), _objects(children)),
                     max_leaves=20)


def _dump(node: Any, newline: bool) -> str:
    gap = ",\n" if newline else ", "
    if isinstance(node, list) and all(isinstance(item, tuple) for item in node) and node:
        return "{" + gap.join(f"{json.dumps(k)}: {_dump(v, newline)}" for k, v in node) + "}"
    if isinstance(node, list):
        return "[" + gap.join(_dump(item, newline) for item in node) + "]"
    return json.dumps(node)


def _object_nodes(node: Any, found: list[list[tuple[str, Any]]]) -> list[list[tuple[str, Any]]]:
    if isinstance(node, list):
        if node and all(isinstance(item, tuple) for item in node):
            found.append(node)
            for _, value in node:
                _object_nodes(value, found)
        else:
            for item in node:
                _object_nodes(item, found)
    return found


@settings(max_examples=300)
@given(top=_objects(trees), pick=st.integers(0, 10_000), where=st.integers(0, 10_000), value=trees,
       newline=st.booleans())
def test_a_duplicate_key_anywhere_is_the_error_and_is_located(top: list[tuple[str, Any]], pick: int, where: int,
                                                               value: Any, newline: bool) -> None:
    nodes = _object_nodes(top, []) or [top]
    node = nodes[pick % len(nodes)]
    if not node:
        node.append(("k", 1))
    key = node[pick % len(node)][0]
    first = next(i for i, (k, _) in enumerate(node) if k == key)
    node.insert(first + 1 + where % (len(node) - first), (key, value))
    text = _dump(top, newline)
    with pytest.raises(PolicyError) as raised:
        compile_policy(text, "p", PolicyType.IDENTITY)
    error = raised.value
    assert error.what.startswith(f"duplicate key {key!r}")
    assert error.line is not None and error.col is not None
    assert text.splitlines()[error.line - 1][error.col - 1:].startswith(json.dumps(key))


# ------------------------------------------------- statement checks: the grammar's order of errors

VALUES = ["Allow", "Deny", "allow", "S1", "s3:GetObject", "s3:Get*", "s*:Get", "glue CreateJob", "*",
          "arn:aws:s3:::b/*", "arn:aws:glue:us-east-1:111122223333:job/j", "not-an-arn", 1, True, None, {},
          {"StringEquals": {"aws:username": "a"}}, {"Bogus": {"k": "v"}}, [], ["s3:GetObject", "glue:GetJob"],
          ["s3:GetObject", 2], ["bad action", "s3:GetObject"], ["s3:GetObject", ["nested"]],
          ["*", "arn:aws:s3:::b/*"], ["arn:aws:s3:::b/*", "oops"], ["oops", {"o": 1}], ["glue CreateJob", 3],
          ["oops", None]]
values = st.sampled_from(VALUES)


@st.composite
def statement_dicts(draw: Any) -> dict[str, Any]:
    """Statements that are mostly well formed, so that each check in turn gets to be the first failing one."""
    raw: dict[str, Any] = {}
    for key, present, good in (("Sid", 0.5, st.just("S1")), ("Effect", 0.95, st.sampled_from(["Allow", "Deny"])),
                               ("Action", 0.9, values), ("NotAction", 0.1, values), ("Resource", 0.9, values),
                               ("NotResource", 0.1, values), ("Principal", 0.05, values),
                               ("Condition", 0.2, values), ("Actions", 0.03, values)):
        if draw(st.floats(0, 1)) < present:
            raw[key] = draw(st.one_of(good, good, good, values))  # mostly good, so that later checks get their turn
    return raw



def _element_error(path: str, name: str, raw: Any, problem: Any) -> str | None:
    """Where the first error of a string-or-list element is: the element, or its first bad value."""
    if type(raw) is str:
        return f"{path}.{name}" if problem(raw) else None
    if type(raw) is not list or not raw:
        return f"{path}.{name}"
    for i, value in enumerate(raw):  # every value's type first, then their contents
        if type(value) is not str:
            return f"{path}.{name}[{i}]"
    for i, value in enumerate(raw):
        if problem(value):
            return f"{path}.{name}[{i}]"
    return None


def _resource_problem(value: str) -> bool:
    try:
        check_resource(value, ValueError)
    except ValueError:
        return True
    return False


def _pick(raw: dict[str, Any], path: str, one: str, other: str) -> tuple[str | None, str | None]:
    """(element name, None) or (None, where the error is) for a pair such as Action/NotAction."""
    if one in raw and other in raw:
        return None, f"{path}.{other}"
    if one not in raw and other not in raw:
        return None, f"{path}.{one}"
    return (one if one in raw else other), None


def expected_error_path(raw: Any) -> str | None:
    """The JSON path of the first error in an identity policy's only statement, in the grammar's order.

    The statement's own problems come first (shape, unknown element, Sid, Effect), then Action or
    NotAction, then Resource or NotResource, then Principal, then Condition; None when the prologue
    checked here is fine and the statement has no Principal or Condition (those are tested elsewhere).
    """
    path = "Statement[0]"
    if type(raw) is not dict:
        return path
    unknown = [key for key in raw if key not in STATEMENT_KEYS]
    if unknown:
        return f"{path}.{unknown[0]}"
    if "Sid" in raw and raw["Sid"] is not None and type(raw["Sid"]) is not str:
        return f"{path}.Sid"
    if raw.get("Effect") not in ("Allow", "Deny"):
        return f"{path}.Effect"
    for one, other, problem in (("Action", "NotAction", action_problem), ("Resource", "NotResource",
                                                                          _resource_problem)):
        name, error = _pick(raw, path, one, other)
        if error is None:
            assert name is not None
            error = _element_error(path, name, raw[name], problem)
        if error is not None:
            return error
    if "Principal" in raw or "NotPrincipal" in raw:
        return f"{path}.{'Principal' if 'Principal' in raw else 'NotPrincipal'}"
    return "Condition" if "Condition" in raw else None


@settings(max_examples=1000)
@given(raw=st.one_of(statement_dicts(), values))
def test_the_first_statement_error_follows_the_grammar_order(raw: Any) -> None:
    text = json.dumps({"Version": "2012-10-17", "Statement": [raw]})
    expected = expected_error_path(raw)
    try:
        compile_policy(text, "p", PolicyType.IDENTITY)
    except PolicyError as exc:
        if expected == "Condition":
            assert exc.path.startswith("Statement[0].Condition")
        else:
            assert exc.path == expected, exc.what
        return
    assert expected in (None, "Condition")
