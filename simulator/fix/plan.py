"""``fix``: the ordered plan of smallest changes that makes the failing actions pass, and the fixed scenario.

Each failure carries structured Changes (see :class:`~gluesim.simulator.engine.results.Change`).
``fix`` applies them to the model, simulates again (a renamed role or a new cluster role
can reveal the next gap), and repeats until nothing more can be fixed. Steps are ordered
by the knowledge base planner's waves over the failing requirements, smallest change first
inside a wave. Explicit denies and unknowns are never "fixed" by guessing: they are left
as ``unresolved`` with what to do by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from gluesim.kb.gcpause import paused
from gluesim.simulator import model as m
from gluesim.simulator.engine.run import simulate
from gluesim.simulator.fix.apply import FIX_POLICY, Applier
from gluesim.simulator.engine.results import Change, Failure, Report

if TYPE_CHECKING:
    from gluesim.kb.model import KnowledgeBase

MAX_ROUNDS = 8


@dataclass(frozen=True, slots=True)
class FixStep:
    """One change of the plan, for one requirement."""

    requirement: str
    title: str
    kind: str
    target: str
    description: str
    actions: tuple[str, ...] = ()
    resources: tuple[str, ...] = ()
    wave: int = 0

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"requirement": self.requirement, "title": self.title, "kind": self.kind, "target": self.target,
                "description": self.description, "actions": list(self.actions),
                "resources": list(self.resources), "wave": self.wave}


@dataclass(frozen=True, slots=True)
class FixResult:
    """The plan, the fixed scenario, and what could not be fixed automatically."""

    steps: tuple[FixStep, ...]
    fixed_scenario: m.Scenario
    unresolved: tuple[Failure, ...]
    before: Report
    after: Report

    @property
    def changed(self) -> bool:
        """True when the plan has at least one step."""
        return bool(self.steps)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"steps": [s.as_dict() for s in self.steps], "passed_before": self.before.passed,
                "passed_after": self.after.passed, "unresolved": [f.as_dict() for f in self.unresolved]}


def _pending(report: Report) -> list[tuple[Failure, Change]]:
    seen: dict[Change, Failure] = {}
    for result in report.results:
        for failure in result.failures:
            for change in failure.changes:
                if change.kind != "manual" and not failure.unknown:
                    seen.setdefault(change, failure)
    return [(failure, change) for change, failure in seen.items()]


def _without_redundant_endpoints(pending: list[tuple[Failure, Change]]) -> list[tuple[Failure, Change]]:
    """A NAT gateway route also reaches S3, so an S3 endpoint for the same subnet is not needed as well."""
    nat = {(c.target, c.resources) for _, c in pending if c.kind == "nat-gateway"}
    return [(f, c) for f, c in pending if not (c.kind == "s3-endpoint" and (c.target, c.resources) in nat)]


@paused()  # builds a large object graph with no cyclic garbage: see gluesim.kb.gcpause
def fix(scenario: m.Scenario, kb: KnowledgeBase | None = None) -> FixResult:
    """Plan and apply the smallest changes that make every wanted action pass."""
    if kb is None:
        from gluesim.kb.loader import load

        kb = load()
    before = report = simulate(scenario, kb=kb)
    current = scenario
    applied: list[tuple[Failure, Change]] = []
    rounds: dict[Change, int] = {}
    for number in range(MAX_ROUNDS):
        pending = _pending(report)
        renames = [p for p in pending if p[1].kind == "rename-role"]
        batch = renames or _without_redundant_endpoints(pending)  # roles first: later grants name the new ARNs
        if not batch:
            break
        updated, left = Applier(current).apply([change for _, change in batch])
        if updated == current:
            break
        applied += [pair for pair in batch if pair[1] not in left]
        rounds.update((change, number) for _, change in batch if change not in rounds)
        current = updated
        report = simulate(current, kb=kb)
    unresolved = _distinct(f for r in report.results for f in r.failures)
    steps = _order(kb, _steps(applied, rounds))
    return FixResult(tuple(steps), current, unresolved, before, report)


def _distinct(failures: Iterable[Failure]) -> tuple[Failure, ...]:
    """Each left-over problem once, in report order, though several actions may share it."""
    seen: dict[tuple[str, str, str], Failure] = {}
    for failure in failures:
        seen.setdefault((failure.requirement, failure.reason, failure.fix), failure)
    return tuple(seen.values())


def _steps(applied: list[tuple[Failure, Change]], rounds: dict[Change, int]) -> list[tuple[int, FixStep]]:
    """Merge the 'allow' changes of one requirement and principal into one step; keep each step's round."""
    merged: dict[tuple[str, ...], FixStep] = {}
    first: dict[tuple[str, ...], int] = {}
    for failure, change in applied:
        key = (failure.requirement, change.kind, change.target)
        if change.kind != "allow":
            key += (change.detail,)
        first[key] = min(first.get(key, rounds[change]), rounds[change])
        step = merged.get(key)
        if change.kind != "allow":
            merged[key] = step or FixStep(failure.requirement, failure.title, change.kind, change.target,
                                          change.detail, change.actions, change.resources)
            continue
        actions = tuple(dict.fromkeys((*(step.actions if step else ()), *change.actions)))
        resources = tuple(dict.fromkeys((*(step.resources if step else ()), *change.resources)))
        kind, _, name = change.target.partition(":")
        description = (f"allow {', '.join(actions)} on {', '.join(resources)} for {kind} {name} "
                       f"(inline policy {FIX_POLICY})")
        merged[key] = FixStep(failure.requirement, failure.title, "allow", change.target, description,
                              actions, resources)
    return [(first[key], step) for key, step in merged.items()]


def _order(kb: KnowledgeBase, steps: list[tuple[int, FixStep]]) -> list[FixStep]:
    """Order by fix round (a recreated role comes before grants to it), then by the KB planner's
    waves over the requirements, then smallest change first."""
    if not steps:
        return []
    from gluesim.kb.planner import plan

    goals = sorted({s.requirement for _, s in steps})
    waves = {step.entry.id: number for number, wave in enumerate(plan(kb, goals).waves) for step in wave}
    ordered = []
    for round_number, step in steps:
        size = max(1, len(step.actions)) * max(1, len(step.resources))
        wave = waves.get(step.requirement, len(waves))
        ordered.append(((round_number, wave, size, step.requirement, step.target, step.description), step))
    ordered.sort(key=lambda item: item[0])
    return [FixStep(**{**{f: getattr(s, f) for f in FixStep.__slots__}, "wave": key[1]}) for key, s in ordered]
