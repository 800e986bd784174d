"""The planner: examples on the shipped KB, and properties on random dependency graphs."""

from __future__ import annotations

import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gluesim.kb.errors import GluesimError
from gluesim.kb.loader import load
from gluesim.kb.model import Basis, Entry, Kind, KnowledgeBase, Source
from gluesim.kb.planner import default_goals, plan


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
