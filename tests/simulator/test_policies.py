"""The JSON text kept for policy documents (``gluesim.simulator.policies.canonical_json``)."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from gluesim.simulator.policies import canonical_json


def _standard(document: Any) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False)


exact = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**64 - 1) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=25,
)
anything = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=25,
)


@given(exact)
def test_text_is_the_standard_librarys_without_floats(document: Any) -> None:
    assert canonical_json(document) == _standard(document)


@given(anything)
def test_text_reads_back_as_the_same_document(document: Any) -> None:
    assert _same(json.loads(canonical_json(document)), json.loads(_standard(document)))


def _same(a: Any, b: Any) -> bool:
    """Equal, counting NaN equal to NaN (the standard library writes it as ``NaN``)."""
    if isinstance(a, float) and isinstance(b, float) and a != a:
        return b != b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return a == b


def test_what_orjson_refuses_is_written_by_the_standard_library() -> None:
    for document in ({"n": 2**70}, {"s": "\ud800"}, {1: "x"}, {"n": float("inf")}, [float("nan")], {"a": None}):
        assert canonical_json(document) == _standard(document)


def test_a_policy_keeps_its_key_order_and_indent() -> None:
    policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
    assert canonical_json(policy) == (
        '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {\n      "Effect": "Allow",\n'
        '      "Action": "s3:GetObject",\n      "Resource": "*"\n    }\n  ]\n}'
    )
