"""Grade a trainee's answer: simulate it and compare with the scenario's actions and intent.

Every verdict a trainee sees (``try``, ``check``) comes from
:func:`gluesim.simulator.engine.simulate`; the expectation in the scenario file is only
compared with it (``outcome``, ``disagreements``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gluesim.simulator.library.catalog import LibraryScenario, Training, get
from gluesim.simulator.model import ExpectedFailure, ExpectedPass, Scenario


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the engine said, reduced to the terms of an expectation."""

    fails: frozenset[ExpectedFailure]
    passes: frozenset[ExpectedPass]
    checked: frozenset[tuple[str, str]]


def outcome(report: Any) -> Outcome:
    """Reduce an engine report to failing (actor, action, requirement) and passing (actor, action)."""
    fails = frozenset(
        ExpectedFailure(result.actor, result.action, failure.requirement)
        for result in report.results
        for failure in result.failures
    )
    checked = frozenset((result.actor, result.action) for result in report.results)
    failing = {(item.actor, item.action) for item in fails}
    # An actor's action passes only when it passes for every job or dashboard it was checked on.
    passes = frozenset(ExpectedPass(actor, action) for actor, action in checked - failing)
    return Outcome(fails, passes, checked)


def disagreements(training: Training, seen: Outcome) -> list[str]:
    """How the engine's outcome differs from the expectation, one sentence each; empty when it agrees."""
    key = lambda item: (item.actor, item.action, getattr(item, "requirement", ""))  # noqa: E731
    lines = [
        f"expected {f.actor}'s {f.action} to fail {f.requirement}, but the engine does not fail it there"
        for f in sorted(training.fails - seen.fails, key=key)
    ]
    lines += [
        f"the engine fails {f.actor}'s {f.action} on {f.requirement}, which the scenario does not expect"
        for f in sorted(seen.fails - training.fails, key=key)
    ]
    lines += [
        f"expected {p.actor}'s {p.action} to pass, but the engine does not pass it"
        for p in sorted(training.passes - seen.passes, key=key)
    ]
    lines += [
        f"the engine checks {actor}'s {action}, which the scenario's expectation does not mention"
        for actor, action in sorted(seen.checked - training.wanted())
    ]
    return lines


@dataclass(frozen=True, slots=True)
class CheckedAction:
    """One action the scenario wants, as the engine judges it in the trainee's answer."""

    actor: str
    action: str
    status: str  # "pass", "fail", or "missing" (the answer no longer has this action)
    failures: tuple[tuple[str, str], ...] = ()  # (requirement, reason)


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The verdict on a trainee's answer: the wanted actions and any change to the scenario's intent."""

    name: str
    answer: str
    actions: tuple[CheckedAction, ...]
    intent_changes: tuple[str, ...]
    advice: tuple[str, ...] = ()  # broad grants the answer added: allowed, but not least privilege

    @property
    def passed(self) -> bool:
        """True when every wanted action passes and the scenario's intent is kept."""
        return not self.intent_changes and all(item.status == "pass" for item in self.actions)


def check(name: str, answer: str | Path) -> CheckResult:
    """Check a trainee's fixed version of library scenario ``name`` (a scenario file)."""
    from gluesim.simulator import scenario as loader

    entry = get(name)
    return check_model(entry, loader.load(answer), str(answer))


def check_model(entry: LibraryScenario, answer: Scenario, label: str) -> CheckResult:
    """Simulate ``answer`` and judge it against the actions and intent of ``entry``."""
    from gluesim.simulator.engine import ACTION_ORDER, simulate

    wanted = entry.training.wanted() | outcome(simulate(entry.scenario)).checked
    results: dict[tuple[str, str], list[Any]] = {}
    for result in simulate(answer).results:
        results.setdefault((result.actor, result.action), []).append(result)
    rank = {action: index for index, action in enumerate(ACTION_ORDER)}
    order = sorted(wanted, key=lambda pair: (pair[0], rank.get(pair[1], len(rank)), pair[1]))
    actions = tuple(_checked(actor, action, results.get((actor, action), [])) for actor, action in order)
    changes = tuple(intent_changes(entry.scenario, answer))
    return CheckResult(entry.name, label, actions, changes, tuple(broad_grants(entry.scenario, answer)))


def _checked(actor: str, action: str, results: list[Any]) -> CheckedAction:
    if not results:
        return CheckedAction(actor, action, "missing", (("", "the answer no longer checks this action"),))
    failures = tuple(
        (failure.requirement, _about(result, failure.reason)) for result in results for failure in result.failures
    )
    return CheckedAction(actor, action, "fail" if failures else "pass", failures)


def _about(result: Any, reason: str) -> str:
    """Say which job or dashboard a failure is about when the engine names one."""
    return f"on {result.subject!r}: {reason}" if result.subject else reason


def intent_changes(original: Scenario, answer: Scenario) -> list[str]:
    """What the answer changed that the scenario is about (jobs, checks, data stores), one sentence each.

    A fix may change permissions, roles, networks and the Data Catalog; it may not make the
    problem go away by changing the work itself: a job's builder, runner, sources, targets,
    run time, whether it runs in a VPC or uses visual transforms, its connectors and data stores, or the encryption of
    the buckets it uses.
    """
    before, after = intent(original), intent(answer)
    lines = [f"{key} is gone" for key in before if key not in after and not _inside_gone(key, before, after)]
    lines += [f"{key} changed from {before[key]} to {after[key]}" for key in before if key in after and before[key] != after[key]]
    return lines


def intent(model: Scenario) -> dict[str, str]:
    """The scenario's intent as readable facts: ``{"job 'x': sources": "s3://...", ...}``."""
    facts = {f"account {model.account.account_id}": model.account.region}
    for job in model.jobs:
        facts.update(_job_intent(model, job))
    for item in model.checks:
        extra = "".join(f" {label} {value!r}" for label, value in (("job", item.job), ("dashboard", item.dashboard)) if value)
        facts[f"the check of {item.actor}'s {item.action}{extra}"] = "present"
    return facts


def _job_intent(model: Scenario, job: Any) -> dict[str, str]:
    key = f"job {job.name!r}"
    connections = {c.name: c for c in model.account.connections if c.name in job.connections}
    facts = {
        key: "present",
        f"{key}: builder": repr(job.created_by),
        f"{key}: runner": repr(job.runner),
        f"{key}: sources": _locations(job.sources),
        f"{key}: targets": _locations(job.targets),
        f"{key}: expected run time": f"{job.expected_runtime_minutes} minutes",
        f"{key}: runs in a VPC": "yes" if job.subnet or any(c.subnet for c in connections.values()) else "no",
        f"{key}: uses visual transforms": "yes" if job.visual_transforms else "no",
    }
    for connection in connections.values():
        facts[f"{key}: connection {connection.name!r}"] = _connection(model, connection)
    for bucket in _buckets_of(model, job):
        facts[f"{key}: encryption of bucket {bucket.name!r}"] = str(getattr(bucket.encryption, "value", None))
    return facts


def _locations(locations: Any) -> str:
    return ", ".join(sorted(f"{loc.kind.value}:{loc.ref}" for loc in locations)) or "none"


def _connection(model: Scenario, connection: Any) -> str:
    stores = {store.name: store for store in model.account.data_stores}
    connectors = {c.name: c for c in model.account.connectors}
    store = stores.get(connection.data_store or "")
    connector = connectors.get(connection.connector or "")
    parts = [f"type {connection.type.value}"]
    if store is not None:
        parts.append(f"store {store.name!r} ({'public' if store.public else 'private'})")
    if connector is not None:
        parts.append(f"connector {connector.name!r} ({connector.type.value})")
    return ", ".join(parts)


def _buckets_of(model: Scenario, job: Any) -> list[Any]:
    names = {loc.ref[5:].split("/", 1)[0] for loc in (*job.sources, *job.targets) if loc.ref.startswith("s3://")}
    return [bucket for bucket in model.account.buckets if bucket.name in names]


def _inside_gone(key: str, before: dict[str, str], after: dict[str, str]) -> bool:
    """A job's details are not listed one by one when the whole job is gone."""
    head = key.split(":", 1)[0]
    return head != key and head in before and head not in after


# Managed policies far broader than any Glue Studio setup needs. The setup page recommends
# narrowing access instead (knowledge base practice user.least-privilege).
BROAD_POLICIES = ("AdministratorAccess", "PowerUserAccess", "IAMFullAccess", "AmazonS3FullAccess")


def broad_grants(original: Scenario, answer: Scenario) -> list[str]:
    """Broad grants the answer adds to a user, group or role: advice, never a failure."""
    before = _grants(original)
    return [
        f"{who} now has {what}; it works, but grant only the actions and resources the task needs"
        for who, what in sorted(_grants(answer) - before)
    ]


def _grants(model: Scenario) -> set[tuple[str, str]]:
    account = model.account
    found = set()
    for kind, items in (("user", account.users), ("group", account.groups), ("role", account.roles)):
        for item in items:
            who = f"{kind} {item.name!r}"
            found |= {(who, arn.rsplit("/", 1)[-1]) for arn in item.managed_policies if arn.rsplit("/", 1)[-1] in BROAD_POLICIES}
            found |= {(who, what) for policy in item.inline_policies for what in _wildcards(policy.document)}
    return found


def _wildcards(document: str) -> set[str]:
    """Allow statements granting '*' or 'service:*' on every resource."""
    statements = json.loads(document).get("Statement", [])
    found = set()
    for statement in statements if isinstance(statements, list) else [statements]:
        actions, resources = statement.get("Action", []), statement.get("Resource", [])
        actions = [actions] if isinstance(actions, str) else actions
        if statement.get("Effect") == "Allow" and "*" in ([resources] if isinstance(resources, str) else resources):
            found |= {f"{action!r} on every resource" for action in actions if action == "*" or action.endswith(":*")}
    return found
