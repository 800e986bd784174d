"""Per-principal verdicts of the audit, computed by the simulation engine (the path ``simulate`` takes).

Every user and every role (as a person in a session of it, ``role/NAME``) is asked each Glue
Studio action through :func:`gluesim.simulator.engine.session`, with the scenario's real jobs
and their job roles; an account without jobs gets one stand-in job per job role that may be
usable, built, saved and run by the asking principal themselves. So ``audit`` and ``simulate``
on the same file give the same verdict for every (actor, action, job) ``simulate`` reports.

Principals with the same policies, tags, marks and console facts get the same verdicts; each
is computed once, for the first of them, and its reasons are relabelled for the others. A
principal whose verdicts could depend on its name (policy variables, principal keys, policies
naming users) is computed on its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from gluesim.simulator import model as m
from gluesim.simulator.audit.rules import public

ALLOWED, DENIED, UNKNOWN = "allowed", "denied", "unknown"
WORD = {"pass": ALLOWED, "fail": DENIED, "unknown": UNKNOWN}
STAND_IN_PREFIX = "gluesim-audit-"
NON_JOB_ACTIONS = ("action.sign-in-console", "action.open-glue-studio", "action.delete-jobs",
                   "action.view-dashboards", "action.modify-dashboards", "action.delete-dashboards",
                   "action.open-billing-console")
# What makes a verdict depend on who asks, beyond the principal's own policies and facts.
PERSONAL = re.compile(r"\$\{|aws:(username|userid|PrincipalArn|PrincipalTag|PrincipalAccount)|:user/|:assumed-role/",
                      re.I)


@dataclass(frozen=True, slots=True)
class ActionVerdict:
    """One Glue Studio action for one principal: the verdict, the requirements that fail, per-job verdicts."""

    action: str
    title: str
    verdict: str
    missing: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()
    subjects: tuple[tuple[str, str], ...] = ()  # (job or dashboard, verdict) behind the verdict


def stand_in_jobs(job_roles: Iterable[str]) -> tuple[m.Job, ...]:
    """One job per possible job role, with no data: what any job with that role needs."""
    return tuple(m.Job(f"{STAND_IN_PREFIX}{role}", "", role) for role in job_roles)


def actor_of(kind: str, name: str) -> str:
    """The engine's actor for a user or a role."""
    return name if kind == "user" else f"role/{name}"


class Verdicts:
    """The engine session behind an audit, and the verdicts it gives each principal."""

    def __init__(self, scenario: m.Scenario, kb: Any, stand_ins: tuple[m.Job, ...]) -> None:
        from dataclasses import replace

        from gluesim.simulator.engine import session

        self.scenario = scenario if not stand_ins else replace(scenario, jobs=stand_ins)
        self.sim = session(self.scenario, kb, owned_jobs=[j.name for j in stand_ins], verdicts_only=True)
        self.stand_ins = bool(stand_ins)
        self.kb = kb
        self.shared: dict[tuple[Any, ...], tuple[str, tuple[ActionVerdict, ...]]] = {}
        self.account_personal = any(PERSONAL.search(text) for text in _account_texts(scenario.account))
        self._job_actions: dict[str, tuple[str, ...]] = {}
        self._subjects: dict[str, list[str | None]] = {}
        self._personal: dict[int, tuple[Any, bool]] = {}  # id(policy) -> (policy, personal?): kept alive

    def columns(self) -> tuple[tuple[str, str], ...]:
        """(action id, title) of every action the audit reports, in the engine's order."""
        from gluesim.simulator.engine import ACTION_ORDER

        wanted = set(NON_JOB_ACTIONS) | ({"action.create-job-s3", "action.save-job", "action.run-job"}
                                         if not self.scenario.jobs else set())
        for job in self.scenario.jobs:
            wanted |= set(self.job_actions(job))
        return tuple((a, self.kb.get(a).title) for a in ACTION_ORDER if a in wanted)

    def job_actions(self, job: m.Job) -> tuple[str, ...]:
        """The job actions a job has: its one create action, data preview (with a source), save and run."""
        if job.name not in self._job_actions:
            preview = ("action.data-preview",) if job.sources else ()
            self._job_actions[job.name] = (self.sim.create_action(job.name), *preview, "action.save-job",
                                           "action.run-job")
        return self._job_actions[job.name]

    def subjects(self, action: str) -> list[str | None]:
        """What an action is asked about: the jobs that have it, the dashboards, or nothing (once per action)."""
        if action not in self._subjects:
            self._subjects[action] = self._find_subjects(action)
        return self._subjects[action]

    def _find_subjects(self, action: str) -> list[str | None]:
        if action in ("action.view-dashboards", "action.modify-dashboards", "action.delete-dashboards"):
            return list(self.scenario.account.dashboards) or [None]
        if action in NON_JOB_ACTIONS:
            return [None]
        return [j.name for j in self.scenario.jobs if action in self.job_actions(j)]

    def of(self, kind: str, item: Any, columns: tuple[tuple[str, str], ...]) -> tuple[ActionVerdict, ...]:
        """The verdict of every column for one principal (shared with principals alike)."""
        actor = actor_of(kind, item.name)
        key = self.signature(kind, item)
        if key in self.shared:
            first, found = self.shared[key]
            return tuple(_relabel(v, first, actor, self) for v in found)
        found = tuple(self.action(actor, action, title) for action, title in columns)
        self.shared[key] = (actor, found)
        self.sim.forget(actor)
        return found

    def action(self, actor: str, action: str, title: str) -> ActionVerdict:
        """One action: the engine's result for each subject; a stand-in job suffices if any passes."""
        results = []
        gate = self.sim.result(actor, "action.open-glue-studio", None).verdict.value if self.stand_ins else "pass"
        unknown_seen = False
        for subject in self.subjects(action):
            result = self.sim.result(actor, action, subject)
            results.append((subject, result))
            unknown_seen = unknown_seen or result.verdict.value == "unknown"
            if self.stand_ins and _settled(result, unknown_seen, gate):
                break
        verdicts = [WORD[r.verdict.value] for _, r in results]
        verdict = ALLOWED if ALLOWED in verdicts else UNKNOWN if UNKNOWN in verdicts else DENIED
        failures = [f for _, r in results if not r.passed for f in r.failures] if verdict != ALLOWED else []
        missing = tuple(dict.fromkeys(f.requirement for f in failures))
        reasons = tuple(public(r) for r in _reasons(failures))
        if not results:
            missing = ("iam.glue-job-role",)
            reasons = ("denied: iam.glue-job-role: no role of the account lets glue.amazonaws.com assume it, so no "
                       "job can have a job role",)
        shown = tuple((public(s), WORD[r.verdict.value]) for s, r in results if s is not None)
        return ActionVerdict(action, title, verdict, missing, reasons, shown)

    def personal(self, policy: Any) -> bool:
        """Whether a compiled policy's verdicts can depend on who asks (checked once per policy)."""
        key = id(policy)
        if key not in self._personal:
            self._personal[key] = (policy, bool(PERSONAL.search(policy.text)))
        return self._personal[key][1]

    def signature(self, kind: str, item: Any) -> tuple[Any, ...]:
        """What the verdicts of a principal depend on; its name only when policies could tell principals apart."""
        index = self.sim.index
        who = index.user(item.name) if kind == "user" else index.role(item.name)
        texts = tuple(sorted((p.policy_id, p.text) for p in who.identity))
        bounds = tuple((p.policy_id, p.text) for p in who.boundary or ())
        facts = (item.path, item.tags, who.unknown)
        if kind == "user":
            facts += (item.console_access, item.password_reset_required)
        else:
            facts += (item.trust_policy,)
        personal = self.account_personal or any(self.personal(p) for p in (*who.identity, *(who.boundary or ())))
        return (kind, texts, bounds, facts) + ((item.name,) if personal else ())


def _settled(result: Any, unknown_seen: bool, gate: str) -> bool:
    """Whether more stand-in jobs could change the verdict (allowed if one passes, else unknown if one is).

    Every job action needs Glue Studio open (``gate``, the actor's open-glue-studio verdict,
    the same for every job): when it fails, every job fails; when it is unknown, no job can
    pass, and once one result is unknown the verdict is unknown.
    """
    if result.passed or gate == "fail":
        return True
    return gate == "unknown" and unknown_seen


def _reasons(failures: list[Any]) -> tuple[str, ...]:
    """One reason per failing requirement: ``denied|unknown: requirement: the first reason (and N more)``."""
    grouped: dict[tuple[str, str], list[str]] = {}
    for f in failures:
        grouped.setdefault(("unknown" if f.unknown else "denied", f.requirement), []).append(f.reason)
    return tuple(f"{word}: {requirement}: {texts[0]}" + (f" (and {len(set(texts)) - 1} more)" if len(set(texts)) > 1 else "")
                 for (word, requirement), texts in grouped.items())


def _account_texts(account: m.Account) -> list[str]:
    """Policies of the account that judge requests of every principal (SCPs, resource and endpoint policies)."""
    texts = [p.document for level in (account.organization.scp_levels if account.organization else ())
             for p in level.policies]
    for item in (*account.buckets, *account.secrets):
        if isinstance(item.policy, m.PolicyDocument):
            texts.append(item.policy.document)
    texts += [k.policy.document for k in account.kms_keys if k.policy is not None]
    texts += [e.policy.document for v in account.vpcs for e in v.endpoints if isinstance(e.policy, m.PolicyDocument)]
    return texts


def _relabel(verdict: ActionVerdict, first: str, actor: str, verdicts: Verdicts) -> ActionVerdict:
    """A shared verdict with the first principal's name and ARN replaced by this principal's in its reasons."""
    from dataclasses import replace

    index = verdicts.sim.index
    old, new = index.actor(first), index.actor(actor)
    pairs = ((old.arn, new.arn), (f"{old.kind} {old.name}", f"{new.kind} {new.name}"))

    def swap(text: str) -> str:
        for before, after in pairs:
            text = text.replace(before, after)
        return text

    return replace(verdict, reasons=tuple(swap(r) for r in verdict.reasons))
