"""MatchedStatements positions: the fast statement scan agrees with the full JSON position index."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from gluesim.simulator.iam import jsontext

values = st.recursive(st.none() | st.booleans() | st.integers() | st.text(alphabet='ab:{}[]",\\\n é', max_size=6),
                      lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner,
                                                                                   max_size=3), max_leaves=8)
statements = st.dictionaries(st.sampled_from(["Sid", "Effect", "Action", "Condition", "x"]), values, max_size=4)


@given(st.one_of(statements, st.lists(statements, min_size=1, max_size=4)),
       st.dictionaries(st.sampled_from(["Version", "Id", "Other"]), values, max_size=2),
       st.sampled_from([None, 2, 4]), st.booleans())
def test_statement_offsets_agree_with_positions(statement: Any, others: dict[str, Any], indent: int | None,
                                                statement_first: bool) -> None:
    document = {"Statement": statement, **others} if statement_first else {**others, "Statement": statement}
    text = json.dumps(document, indent=indent, ensure_ascii=indent == 4)
    positions = jsontext.Positions(text)
    expected = ([positions.values[("Statement", i)] for i in range(len(statement))] if isinstance(statement, list)
                else [positions.values[("Statement",)]])
    assert jsontext.statement_offsets(text) == expected
    for start, _ in expected:
        assert jsontext.line_column(text, start) == positions.lines.position(start)
