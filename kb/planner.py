"""Order the setup steps a set of goals needs into waves, saying why each step is there.

Edges point from a dependency to what depends on it. The plan for some goals is the
set of their ancestors (and the goals), minus what is already done, ordered with
networkx's ``topological_generations``: the steps of one wave depend only on earlier
waves, so they can be done side by side. Inside a wave, steps are sorted by id, so the
same question always gives the same plan.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from gluesim.kb.model import Entry, Kind, KnowledgeBase


@dataclass(frozen=True, slots=True)
class PlanStep:
    """One step of a plan: the entry, its 1-based number and wave, and the path to the goal that needs it."""

    entry: Entry
    number: int
    wave: int
    why: list[str]

    def as_dict(self) -> dict[str, Any]:
        """This step as JSON-able data."""
        return {
            "number": self.number,
            "wave": self.wave,
            "id": self.entry.id,
            "kind": self.entry.kind.value,
            "title": self.entry.title,
            "why": list(self.why),
            "remediation": self.entry.remediation,
            "source": {"section": self.entry.source.section, "url": self.entry.source.url},
        }


@dataclass(frozen=True, slots=True)
class Plan:
    """The ordered steps for ``goals``; ``already_done`` lists needed steps skipped because they are done."""

    goals: tuple[str, ...]
    done: tuple[str, ...]
    already_done: tuple[str, ...]
    waves: list[list[PlanStep]]

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
            "summary": {
                "steps": len(self.steps),
                "waves": len(self.waves),
                "already_done": len(self.already_done),
            },
            "waves": [[step.as_dict() for step in wave] for wave in self.waves],
        }


def default_goals(kb: KnowledgeBase) -> tuple[str, ...]:
    """Everything a Glue Studio user and a job need: every Glue Studio action and every best practice."""
    return tuple(e.id for e in kb if e.kind in (Kind.ACTION, Kind.PRACTICE))


def plan(kb: KnowledgeBase, goals: Iterable[str] | None = None, done: Iterable[str] = ()) -> Plan:
    """The plan for ``goals`` (default: every action), skipping ``done`` steps and what they depend on.

    A step that is done implies its own dependencies were done too (they had to hold
    first), so those are skipped as well and reported in ``already_done``.
    """
    import networkx as nx

    goal_ids = _known(kb, default_goals(kb) if goals is None else goals)
    done_ids = _known(kb, done)
    graph = kb.graph()
    needed = set(goal_ids).union(*(nx.ancestors(graph, goal) for goal in goal_ids))
    finished = set(done_ids).union(*(nx.ancestors(graph, step) for step in done_ids))
    remaining = graph.subgraph(needed - finished)
    waves: list[list[PlanStep]] = []
    number = 0
    for index, generation in enumerate(nx.topological_generations(remaining), start=1):
        wave = []
        for step_id in sorted(generation):
            number += 1
            why = path_to_goal(remaining, step_id, set(goal_ids))
            wave.append(PlanStep(kb.entries[step_id], number, index, why))
        waves.append(wave)
    return Plan(goal_ids, done_ids, tuple(sorted(needed & finished)), waves)


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
    return [start]  # unreachable for a plan: every remaining step leads to a goal


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
