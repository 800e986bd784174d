"""Wildcard matching: exact against a reference dynamic program, and linear on hostile inputs.

The reference is the textbook table over (pattern position, subject position), independent of
the greedy placement the matchers use; hypothesis draws patterns dense in wildcards over small
alphabets so that pieces overlap and repeat.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from gluesim.kb.wildcards import LITERAL_QMARK, LITERAL_STAR, arn_matcher, glob_matcher


def _tokens(pattern: str, arn: bool) -> list[tuple[str, str]]:
    """(kind, char): 'any' for a star spanning everything, 'seg' for a star kept in a segment,
    'one' / 'one-seg' for ?, 'lit' for a literal character."""
    out: list[tuple[str, str]] = []
    for i, char in enumerate(pattern):
        if char == "*":
            following = pattern[i + 1:].lstrip("*")
            spans = not arn or following == "" or following.startswith(":")
            out.append(("any" if spans else "seg", ""))
        elif char == "?":
            out.append(("one-seg" if arn else "one", ""))
        else:
            out.append(("lit", {LITERAL_STAR: "*", LITERAL_QMARK: "?"}.get(char, char)))
    return out


def reference(pattern: str, text: str, arn: bool) -> bool:
    """Full match by dynamic programming: can[i][j] = pattern[i:] matches text[j:]."""
    tokens = _tokens(pattern, arn)
    n = len(text)
    can = [[False] * (n + 1) for _ in range(len(tokens) + 1)]
    can[len(tokens)][n] = True
    for i in range(len(tokens) - 1, -1, -1):
        kind, char = tokens[i]
        for j in range(n, -1, -1):
            here = text[j] if j < n else None
            if kind == "any":
                can[i][j] = can[i + 1][j] or (here is not None and can[i][j + 1])
            elif kind == "seg":
                can[i][j] = can[i + 1][j] or (here is not None and here != ":" and can[i][j + 1])
            elif kind == "one":
                can[i][j] = here is not None and can[i + 1][j + 1]
            elif kind == "one-seg":
                can[i][j] = here is not None and here != ":" and can[i + 1][j + 1]
            else:
                can[i][j] = here == char and can[i + 1][j + 1]
    return can[0][0]


subjects = st.text(alphabet=st.sampled_from(list("ab:/-*?")), max_size=14)
patterns = st.text(alphabet=st.sampled_from(list("ab:/-**??") + [LITERAL_STAR, LITERAL_QMARK]), max_size=12)


@settings(max_examples=600)
@given(patterns, subjects)
def test_glob_matches_exactly_what_the_reference_matches(pattern: str, text: str) -> None:
    assert bool(glob_matcher(pattern)(text)) == reference(pattern, text, arn=False)


@settings(max_examples=600)
@given(patterns, subjects)
def test_arn_matches_exactly_what_the_reference_matches(pattern: str, text: str) -> None:
    assert bool(arn_matcher(pattern)(text)) == reference(pattern, text, arn=True)


@given(st.text(alphabet=st.sampled_from(list("ab:*?")), max_size=6), subjects, subjects)
def test_arn_prefix_patterns_match_subjects_that_extend_the_prefix(stem: str, middle: str, tail: str) -> None:
    pattern = f"arn:aws:s3:::{stem}*"
    text = f"arn:aws:s3:::{middle}{tail}"
    assert bool(arn_matcher(pattern)(text)) == reference(pattern, text, arn=True)


def test_literal_wildcards_from_policy_variables_match_only_themselves() -> None:
    assert glob_matcher(f"a{LITERAL_STAR}b")("a*b")
    assert not glob_matcher(f"a{LITERAL_STAR}b")("axb")
    assert arn_matcher(f"arn:aws:s3:::b/{LITERAL_QMARK}*")("arn:aws:s3:::b/?x")
    assert not arn_matcher(f"arn:aws:s3:::b/{LITERAL_QMARK}*")("arn:aws:s3:::b/xx")


# Hostile inputs from the hardening issue (each took seconds or never finished with a backtracking
# regular expression). They finish here; the bench (bench/wildcard_bench.py) times them.
def test_many_wildcards_against_long_subjects_answer_correctly() -> None:
    many = "arn:aws:s3:::" + "*a" * 5000 + "b"
    assert not arn_matcher(many)("arn:aws:s3:::" + "a" * 20_000)
    assert arn_matcher(many)("arn:aws:s3:::" + "a" * 20_000 + "b")
    assert not arn_matcher("arn:aws:s3:::*-*-*-*-*/*")("arn:aws:s3:::" + "-" * 150)
    assert not glob_matcher("*a*a*a*a*a*b")("a" * 100)
    assert glob_matcher("*a*a*?*a*a*b")("a" * 100 + "b")
