"""The setup plan of an account: the knowledge base's plan, limited to what a simulation found missing.

``gluesim plan --for account.yaml`` simulates the account, counts every requirement and
action that passed as done (with what it depends on), and orders what fails, what is
unknown and what nothing has checked yet, each with the path to the action that needs it.
The features the plan uses are the ones the simulation met (the ``applies_when`` of what
it checked), so a plan never asks for KMS access in an account whose buckets have none.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from gluesim.kb.planner import Observed, Plan, plan_observed
from gluesim.simulator import model as m
from gluesim.simulator.engine.results import Report
from gluesim.simulator.engine.run import simulate


def setup_plan(scenario: m.Scenario, done: Iterable[str] = (), kb: Any = None) -> Plan:
    """Simulate ``scenario`` and plan what is missing or unknown; ``done`` adds steps known to hold."""
    if kb is None:
        from gluesim.kb.loader import load

        kb = load()
    seen = observed(simulate(scenario, kb=kb), kb)
    extra = frozenset(kb.get(key).id for key in done)
    return plan_observed(kb, Observed(seen.goals, seen.holds | extra, seen.missing, seen.unknown,
                                      seen.features, seen.failed_on))


def observed(report: Report, kb: Any) -> Observed:
    """What ``report`` says about each KB id: which actions fail, which requirements hold, fail or are unknown.

    The detail of a failing requirement is its first reason; of a failing action, who (and on what).
    """
    missing: dict[str, str] = {}
    unknown: dict[str, str] = {}
    failed_on: dict[str, str] = {}
    checked: set[str] = set()
    for result in report.results:
        checked.update(result.checked)
        checked.add(result.action)
        for failure in result.failures:
            into = unknown if failure.unknown else missing
            into.setdefault(failure.requirement, _about(result, failure.reason))
            failed_on.setdefault(failure.requirement, result.action)
        if not result.passed:
            into = unknown if result.verdict.value == "unknown" else missing
            into.setdefault(result.action, result.actor + (f" on {result.subject}" if result.subject else ""))
    for key in set(missing) & set(unknown):
        del unknown[key]  # fails somewhere: that is what to fix first
    goals = tuple(sorted({r.action for r in report.results if not r.passed}))
    holds = frozenset(checked - set(missing) - set(unknown))
    features = frozenset(f.value for key in checked if key in kb for f in kb.get(key).applies_when)
    return Observed(goals, holds, missing, unknown, features, failed_on)


def _about(result: Any, reason: str) -> str:
    """``reason``, naming the job or dashboard it is about."""
    return f"{result.subject}: {reason}" if result.subject else reason
