"""Order the setup steps a set of goals needs into waves, saying why each step is there.

Edges point from a dependency to what depends on it. The plan for some goals is the
set of their ancestors (and the goals), minus what is already done, ordered with
networkx's ``topological_generations``: the steps of one wave depend only on earlier
waves, so they can be done side by side. Inside a wave, steps are sorted by id, so the
same question always gives the same plan.

What applies: an entry's ``applies_when`` names the features (all of them) that make it
relevant. Given the features of the account (``features=``, ``gluesim plan --with``), the
plan leaves out every entry whose features are not all present. Without them the plan is
generic: it assumes only the goals' own features (and S3, which every job uses), and marks
each conditional step with the features it needs (``only_if``), never unconditionally.
A plan for a real account (:func:`plan_observed`) starts from what a simulation found.
The feature logic lives in :mod:`gluesim.kb.applies`.
"""

from __future__ import annotations

import enum
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from gluesim.kb.applies import ALWAYS, Scope, check_features, conditions, features_of
from gluesim.kb.model import Entry, Kind, KnowledgeBase

__all__ = ["Observed", "Plan", "PlanStep", "StepStatus", "check_features", "default_goals", "path_to_goal",
           "plan", "plan_observed", "resolve"]


class StepStatus(enum.StrEnum):
    """Where a step stands: to do (a generic plan), or what a simulation of the account found."""

    TODO = "todo"
    MISSING = "missing"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class PlanStep:
    """One step of a plan: the entry, its 1-based number and wave, and the path to the goal that needs it.

    ``only_if`` lists the alternative feature sets under which a generic plan needs the step
    (empty: always); ``status`` and ``detail`` say what a simulation found (``plan --for``).
    """

    entry: Entry
    number: int
    wave: int
    why: list[str]
    only_if: tuple[tuple[str, ...], ...] = ()
    status: StepStatus = StepStatus.TODO
    detail: str = ""

    def as_dict(self) -> dict[str, Any]:
        """This step as JSON-able data."""
        return {
            "number": self.number,
            "wave": self.wave,
            "id": self.entry.id,
            "kind": self.entry.kind.value,
            "title": self.entry.title,
            "why": list(self.why),
            "only_if": [list(features) for features in self.only_if],
            "status": self.status.value,
            "detail": self.detail,
            "remediation": self.entry.remediation,
            "source": {"section": self.entry.source.section, "url": self.entry.source.url},
        }


@dataclass(frozen=True, slots=True)
class Plan:
    """The ordered steps for ``goals``; ``already_done`` lists needed steps skipped because they are done.

    ``features`` is None for a generic plan, else the features the plan was made for;
    ``not_applicable`` lists the steps the goals would need with other features;
    ``for_account`` marks a plan made from a simulation (:func:`plan_observed`).
    """

    goals: tuple[str, ...]
    done: tuple[str, ...]
    already_done: tuple[str, ...]
    waves: list[list[PlanStep]]
    features: tuple[str, ...] | None = None
    not_applicable: tuple[str, ...] = ()
    for_account: bool = False

    @property
    def steps(self) -> list[PlanStep]:
        """Every step in order (wave by wave)."""
        return [step for wave in self.waves for step in wave]

    def as_dict(self) -> dict[str, Any]:
        """This plan as JSON-able data (documented in docs/reference/json-output.md)."""
        return {
            "goals": list(self.goals),
            "done": list(self.done),
            "already_done": list(self.already_done),
            "features": None if self.features is None else list(self.features),
            "not_applicable": list(self.not_applicable),
            "for_account": self.for_account,
            "summary": {
                "steps": len(self.steps),
                "waves": len(self.waves),
                "already_done": len(self.already_done),
                "not_applicable": len(self.not_applicable),
            },
            "waves": [[step.as_dict() for step in wave] for wave in self.waves],
        }


@dataclass(frozen=True, slots=True)
class Observed:
    """What a simulation of an account found, in knowledge-base ids (built by ``simulator.fix.setup``).

    ``goals`` are the actions that fail or are unknown; ``holds`` the requirements and actions
    that passed; ``missing``/``unknown`` map what failed to the reason; ``features`` are the
    features the simulation found; ``failed_on`` maps a requirement to an action that failed on it.
    """

    goals: tuple[str, ...]
    holds: frozenset[str]
    missing: Mapping[str, str]
    unknown: Mapping[str, str]
    features: frozenset[str]
    failed_on: Mapping[str, str] = field(default_factory=dict)


def default_goals(kb: KnowledgeBase) -> tuple[str, ...]:
    """Everything a Glue Studio user and a job need: every Glue Studio action and every best practice."""
    return tuple(e.id for e in kb if e.kind in (Kind.ACTION, Kind.PRACTICE))


def plan(
    kb: KnowledgeBase,
    goals: Iterable[str] | None = None,
    done: Iterable[str] = (),
    features: Iterable[str] | None = None,
) -> Plan:
    """The plan for ``goals`` (default: every action and practice), skipping ``done`` steps and what they depend on.

    A step that is done implies its own dependencies were done too (they had to hold
    first), so those are skipped as well and reported in ``already_done``. With
    ``features``, only what applies to them (and to the goals' own features) is planned.
    """
    explicit = goals is not None
    goal_ids = _known(kb, default_goals(kb) if goals is None else goals)
    assumed = ALWAYS.union(*(features_of(kb, goal) for goal in goal_ids)) if explicit else ALWAYS
    present = None if features is None else assumed | set(check_features(features))
    scope = Scope(kb, present)
    goal_ids = tuple(goal for goal in goal_ids if scope.applies(goal))
    done_ids = _known(kb, done)
    finished = scope.done(done_ids)
    needed = scope.closure(goal_ids)
    only_if = {} if present is not None else conditions(kb, scope, needed, set(goal_ids), assumed)
    steps = _ordered(scope, needed - finished, set(goal_ids), lambda key: (only_if.get(key, ()), StepStatus.TODO, ""))
    shown = None if present is None else tuple(sorted(present))
    return Plan(goal_ids, done_ids, tuple(sorted(needed & finished)), steps, shown, scope.left_out(goal_ids))


def plan_observed(kb: KnowledgeBase, observed: Observed) -> Plan:
    """The plan for an account a simulation has seen: only what is missing, unknown or not yet checked.

    What holds (and what it depends on) is done; what fails stays in the plan whatever it
    depends on; each step's status says which.
    """
    scope = Scope(kb, ALWAYS | observed.features)
    goal_ids = tuple(sorted(set(observed.goals)))
    problems = set(observed.missing) | set(observed.unknown)
    finished = scope.done(observed.holds) - problems
    needed = scope.closure(goal_ids) | scope.closure(tuple(problems & set(kb.entries)))

    def status(key: str) -> tuple[tuple[tuple[str, ...], ...], StepStatus, str]:
        if key in observed.missing:
            return (), StepStatus.MISSING, observed.missing[key]
        if key in observed.unknown:
            return (), StepStatus.UNKNOWN, observed.unknown[key]
        return (), StepStatus.TODO, ""

    # Schema sources are ways to give a job its schema, nothing to set up, and no simulation checks them.
    options = {key for key in needed if kb.entries[key].kind is Kind.SCHEMA_SOURCE} - problems
    steps = _ordered(scope, needed - finished - options, set(goal_ids), status, observed.failed_on)
    holding = tuple(sorted(needed & finished))
    return Plan(goal_ids, tuple(sorted(observed.holds)), holding, steps, tuple(sorted(scope.present or ())),
                for_account=True)


def _ordered(scope: Scope, remaining_ids: set[str], goals: set[str], describe: Any,
             failed_on: Mapping[str, str] | None = None) -> list[list[PlanStep]]:
    """The remaining steps in waves, numbered, each with its why path and ``describe(id)``."""
    import networkx as nx

    remaining = scope.graph.subgraph(remaining_ids)
    waves: list[list[PlanStep]] = []
    number = 0
    for index, generation in enumerate(nx.topological_generations(remaining), start=1):
        wave = []
        for step_id in sorted(generation):
            number += 1
            why = path_to_goal(remaining, step_id, goals)
            if len(why) == 1 and step_id not in goals and failed_on and step_id in failed_on:
                why = [step_id, failed_on[step_id]]  # the simulator checks it for that action
            only_if, status, detail = describe(step_id)
            wave.append(PlanStep(scope.kb.entries[step_id], number, index, why, only_if, status, detail))
        waves.append(wave)
    return waves


def path_to_goal(graph: Any, start: str, goals: set[str]) -> list[str]:
    """The shortest dependency path from ``start`` to the nearest goal (ties: smallest ids first)."""
    previous: dict[str, str | None] = {start: None}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if node in goals:
            return _unwind(previous, node)
        for nxt in sorted(graph.successors(node)):
            if nxt not in previous:
                previous[nxt] = node
                queue.append(nxt)
    return [start]  # a step the simulator checks outside the KB graph (see Observed.failed_on)


def _unwind(previous: dict[str, str | None], node: str) -> list[str]:
    path = [node]
    while previous[path[-1]] is not None:
        path.append(previous[path[-1]])  # type: ignore[arg-type]
    return path[::-1]


def resolve(kb: KnowledgeBase, name: str) -> str:
    """The id ``name`` means: an exact id, or an action's short name (``run-job`` for ``action.run-job``)."""
    if name not in kb and f"action.{name}" in kb:
        return f"action.{name}"
    return kb.get(name).id


def _known(kb: KnowledgeBase, ids: Iterable[str]) -> tuple[str, ...]:
    """Resolve every id (did-you-mean error when unknown); sorted, without duplicates."""
    checked: Sequence[str] = [resolve(kb, entry_id) for entry_id in ids]
    return tuple(sorted(set(checked)))
