"""A statement's action patterns (``gluesim.simulator.iam.patterns.ActionSet``)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from gluesim.kb.wildcards import glob_matcher
from gluesim.simulator.iam.patterns import ActionSet

services = st.sampled_from(["s3", "glue", "iam", "s3-object-lambda", "S3"])
names = st.text(alphabet="getPuObjc*?", min_size=0, max_size=8)
patterns = st.one_of(st.just("*"), st.builds(lambda s, n: f"{s}:{n}", services, names),
                     st.text(alphabet="s3:g*?", max_size=6))
actions = st.builds(lambda s, n: f"{s}:{n}", services, st.text(alphabet="getPuObjc", max_size=8))


@given(st.lists(patterns, max_size=6), actions)
def test_matches_is_any_pattern_matching_case_insensitively(given_patterns: list[str], action: str) -> None:
    """Filing globs by service changes nothing: the answer is the plain any() over every pattern."""
    expected = any(p == "*" or glob_matcher(p.lower())(action.lower()) for p in given_patterns)
    assert ActionSet(tuple(given_patterns)).matches(action.lower()) is expected


def test_an_action_is_tried_only_against_its_services_globs() -> None:
    actions = ActionSet(("s3:Get*", "s3:List*", "glue:Get*", "iam:PassRole"))
    assert set(actions.globs) == {"s3", "glue"} and not actions.anywhere
    assert actions.matches("glue:getjob") and actions.matches("iam:passrole")
    assert not actions.matches("glue:listjobs") and not actions.matches("s3:putobject")
