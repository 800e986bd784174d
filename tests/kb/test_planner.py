"""The planner: examples on the shipped KB, and properties on random dependency graphs."""

from __future__ import annotations

from dataclasses import replace

import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gluesim.kb.errors import GluesimError
from gluesim.kb.loader import load
from gluesim.kb.model import Basis, Entry, Feature, Kind, KnowledgeBase, Source
from gluesim.kb.planner import Observed, StepStatus, default_goals, plan, plan_observed


def entry(entry_id: str, depends_on: tuple[str, ...] = (), kind: Kind = Kind.STEP) -> Entry:
    return Entry(
        id=entry_id,
        kind=kind,
        title=entry_id,
        summary="s",
        depends_on=depends_on,
        source=Source("S", "https://example.com"),
        permissions=(),
        applies_when=(),
        remediation="r",
        basis=Basis.STATED,
    )


@st.composite
def dags(draw: st.DrawFn) -> tuple[KnowledgeBase, list[str], list[str]]:
    """A random DAG KB (node i depends only on nodes < i), some goals and some done steps."""
    size = draw(st.integers(min_value=1, max_value=14))
    ids = [f"n.{i:02d}" for i in range(size)]
    entries = {}
    for index, entry_id in enumerate(ids):
        deps = draw(st.lists(st.sampled_from(ids[:index]), unique=True)) if index else []
        entries[entry_id] = entry(entry_id, tuple(deps))
    goals = draw(st.lists(st.sampled_from(ids), min_size=1, unique=True))
    done = draw(st.lists(st.sampled_from(ids), unique=True))
    return KnowledgeBase(entries), goals, done


def positions(result: object) -> dict[str, int]:
    return {step.entry.id: step.wave for step in result.steps}  # type: ignore[attr-defined]


@given(dags())
def test_each_dependency_comes_in_an_earlier_wave(case: tuple[KnowledgeBase, list[str], list[str]]) -> None:
    kb, goals, done = case
    wave = positions(plan(kb, goals, done))
    for step_id, number in wave.items():
        for dep in kb.get(step_id).depends_on:
            if dep in wave:
                assert wave[dep] < number


@given(dags())
def test_no_edge_inside_a_wave(case: tuple[KnowledgeBase, list[str], list[str]]) -> None:
    kb, goals, done = case
    for wave in plan(kb, goals, done).waves:
        ids = {step.entry.id for step in wave}
        assert not any(set(step.entry.depends_on) & ids for step in wave)


@given(dags())
def test_plan_is_exactly_the_goals_ancestors_minus_done(case: tuple[KnowledgeBase, list[str], list[str]]) -> None:
    kb, goals, done = case
    graph = kb.graph()
    needed = set(goals).union(*(nx.ancestors(graph, g) for g in goals))
    finished = set(done).union(*(nx.ancestors(graph, d) for d in done))
    result = plan(kb, goals, done)
    assert set(positions(result)) == needed - finished
    assert set(result.already_done) == needed & finished


@given(dags(), st.randoms(use_true_random=False))
def test_plan_does_not_depend_on_input_order(case: tuple[KnowledgeBase, list[str], list[str]], rnd) -> None:  # type: ignore[no-untyped-def]
    kb, goals, done = case
    shuffled = list(kb)
    rnd.shuffle(shuffled)
    reordered = {}
    for item in shuffled:
        deps = list(item.depends_on)
        rnd.shuffle(deps)
        reordered[item.id] = entry(item.id, tuple(deps))
    rnd.shuffle(goals)
    rnd.shuffle(done)
    assert plan(KnowledgeBase(reordered), goals, done).as_dict() == plan(kb, sorted(goals), sorted(done)).as_dict()


@given(dags())
def test_why_is_a_dependency_path_to_a_goal(case: tuple[KnowledgeBase, list[str], list[str]]) -> None:
    kb, goals, done = case
    for step in plan(kb, goals, done).steps:
        assert step.why[0] == step.entry.id
        assert step.why[-1] in goals
        for dependency, dependent in zip(step.why, step.why[1:]):
            assert dependency in kb.get(dependent).depends_on


@given(dags())
def test_waves_are_as_early_as_possible_and_sorted(case: tuple[KnowledgeBase, list[str], list[str]]) -> None:
    kb, goals, done = case
    result = plan(kb, goals, done)
    wave = positions(result)
    for step in result.steps:
        if step.wave > 1:
            assert any(wave.get(dep) == step.wave - 1 for dep in step.entry.depends_on)
    for steps in result.waves:
        assert [s.entry.id for s in steps] == sorted(s.entry.id for s in steps)
    assert [s.number for s in result.steps] == list(range(1, len(result.steps) + 1))


def test_shipped_default_plan_covers_every_action_and_practice() -> None:
    kb = load()
    result = plan(kb)
    ids = [step.entry.id for step in result.steps]
    assert set(default_goals(kb)) <= set(ids)
    assert ids[0] == "account.sign-up"
    assert len(ids) == len(set(ids))


def test_run_job_plan_orders_the_three_iam_steps() -> None:
    wave = positions(plan(load(), ["action.run-job"]))
    assert wave["iam.glue-service-policy"] < wave["iam.glue-job-role"] < wave["iam.glue-studio-user"]
    assert wave["action.save-job"] < wave["action.run-job"]
    assert "vpc.nat-gateway" not in wave


def test_short_goal_names_and_done_implying_dependencies() -> None:
    result = plan(load(), ["delete-jobs"], ["iam.glue-studio-user"])
    assert result.goals == ("action.delete-jobs",)
    assert "account.sign-up" in result.already_done
    assert [s.entry.id for s in result.steps][-1] == "action.delete-jobs"
    step = next(s for s in result.steps if s.entry.id == "user.batch-delete-jobs")
    assert step.why == ["user.batch-delete-jobs", "action.delete-jobs"]


def test_everything_done_gives_an_empty_plan() -> None:
    result = plan(load(), ["action.sign-in-console"], ["action.sign-in-console"])
    assert result.waves == [] and "account.sign-up" in result.already_done


def test_unknown_goal_suggests_the_closest_id() -> None:
    with pytest.raises(GluesimError) as caught:
        plan(load(), ["action.run-jobs"])
    assert str(caught.value) == "unknown knowledge-base id 'action.run-jobs'; did you mean 'action.run-job'?"


# ---------------------------------------------------------------- what applies (applies_when)

FEATURES = (Feature.KMS, Feature.VPC, Feature.CONNECTOR)


@st.composite
def conditional_dags(draw: st.DrawFn) -> tuple[KnowledgeBase, list[str], list[str]]:
    """A random DAG KB whose entries may apply only with some of three features."""
    kb, goals, done = draw(dags())
    entries = {}
    for item in kb:
        when = tuple(draw(st.lists(st.sampled_from(FEATURES), unique=True, max_size=2)))
        entries[item.id] = replace(item, applies_when=when)
    return KnowledgeBase(entries), goals, done


def applies(item: Entry, present: set[str]) -> bool:
    return {f.value for f in item.applies_when} <= present


@given(conditional_dags(), st.sets(st.sampled_from([f.value for f in FEATURES])))
def test_a_plan_for_features_holds_only_what_applies(case, chosen: set[str]) -> None:  # type: ignore[no-untyped-def]
    kb, goals, done = case
    result = plan(kb, goals, done, chosen)
    present = set(result.features or ())
    assert present == chosen | {"s3"} | {f.value for g in goals for f in kb.get(g).applies_when}
    for step in result.steps:
        assert applies(step.entry, present) and not step.only_if
    assert not set(result.not_applicable) & set(positions(result))


@given(conditional_dags(), st.sets(st.sampled_from([f.value for f in FEATURES])))
def test_generic_conditions_predict_every_plan_for_features(case, chosen: set[str]) -> None:  # type: ignore[no-untyped-def]
    """A step of the generic plan is in the plan for features F exactly when one of its conditions is within F."""
    kb, goals, done = case
    generic = plan(kb, goals, done)
    expected = {s.entry.id for s in generic.steps if not s.only_if or any(set(alt) <= chosen for alt in s.only_if)}
    assert set(positions(plan(kb, goals, done, chosen))) == expected


@given(conditional_dags())
def test_generic_plan_is_the_plan_with_every_feature(case) -> None:  # type: ignore[no-untyped-def]
    kb, goals, done = case
    generic = plan(kb, goals, done)
    assert positions(generic) == positions(plan(kb, goals, done, [f.value for f in FEATURES]))
    for step in generic.steps:
        own = {f.value for f in step.entry.applies_when} - {f.value for g in goals for f in kb.get(g).applies_when}
        if own - {"s3"}:
            assert step.only_if and all(own <= set(alt) for alt in step.only_if)


@given(conditional_dags(), st.data())
def test_a_plan_for_an_account_keeps_what_fails_and_drops_what_holds(case, data) -> None:  # type: ignore[no-untyped-def]
    kb, goals, _ = case
    ids = sorted(kb.entries)
    failing = set(data.draw(st.lists(st.sampled_from(ids), unique=True)))
    holding = set(data.draw(st.lists(st.sampled_from(ids), unique=True))) - failing
    features = frozenset(f.value for f in FEATURES)
    seen = Observed(tuple(goals), frozenset(holding), {key: "r" for key in failing}, {}, features)
    result = plan_observed(kb, seen)
    steps = {s.entry.id: s for s in result.steps}
    assert failing <= set(steps) and not holding & set(steps)
    assert all(steps[key].status is StepStatus.MISSING for key in failing)
    wave = positions(result)
    for key, number in wave.items():
        assert all(wave[dep] < number for dep in kb.get(key).depends_on if dep in wave)


def test_shipped_s3_plans_differ_by_kms_only() -> None:
    kb = load()
    plain = plan(kb, ["action.create-job-s3", "action.run-job"], features=[])
    kms = plan(kb, ["action.create-job-s3", "action.run-job"], features=["kms"])
    assert set(positions(kms)) - set(positions(plain)) == {"job-role.kms-key-access"}
    assert "job-role.kinesis-target-write" not in positions(kms)


def test_every_feature_has_a_meaning() -> None:
    assert all(feature.meaning for feature in Feature)
