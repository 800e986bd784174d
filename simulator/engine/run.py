"""The simulation: which Glue Studio actions each person can do in an account, and why not.

Which requirements an action needs comes from the knowledge base (the action's
``depends_on``, filtered by ``applies_when`` against the job's features); each
requirement is then checked against the model by :mod:`gluesim.simulator.engine.checks.base`.
Nothing here reads raw YAML, and every verdict is computed, never looked up.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from gluesim.kb.errors import GluesimError
from gluesim.kb.gcpause import paused
from gluesim.simulator import model as m
from gluesim.simulator.engine import selection
from gluesim.simulator.engine.checks.base import SPECIAL, Checker
from gluesim.simulator.engine.context import ROLE_ACTOR, AccountIndex
from gluesim.simulator.engine.jobfacts import JobFacts, job_facts
from gluesim.simulator.engine.results import ActionResult, Change, Failure, Report, Verdict

if TYPE_CHECKING:
    from gluesim.kb.model import KnowledgeBase

__all__ = ["ActionResult", "Change", "Failure", "Report", "Simulation", "Verdict", "simulate", "session",
           "nothing_checked", "ACTION_ORDER"]

# Most specific first: a job gets one create action, named after its most specific kind.
CREATE_KINDS = ("vpc", "connector", "redshift", "streaming", "catalog", "s3")
ACTION_ORDER = (
    "action.sign-in-console", "action.open-glue-studio",
    *(f"action.create-job-{k}" for k in reversed(CREATE_KINDS)),
    "action.data-preview", "action.save-job", "action.run-job", "action.delete-jobs",
    "action.view-dashboards", "action.modify-dashboards", "action.delete-dashboards", "action.open-billing-console",
)
JOB_ACTIONS = frozenset({"action.save-job", "action.run-job", "action.data-preview",
                         *(f"action.create-job-{k}" for k in CREATE_KINDS)})
# Job actions that need only the requirements their KB entry lists: saving hands over the role, and
# a data preview reads the source (not the target, KMS of other buckets, transforms code, ...).
LISTED_ONLY = frozenset({"action.save-job", "action.data-preview"})
DASHBOARD_ACTIONS = frozenset({"action.view-dashboards", "action.modify-dashboards", "action.delete-dashboards"})
# Requirements a job needs whenever its features make them relevant, even where the KB lists
# them under no action (e.g. KMS): KB requirements of these families with a non-empty applies_when.
JOB_FAMILIES = ("job-role.", "vpc.", "catalog.")
GLUE_CONSOLE_POLICY = "AWSGlueConsoleFullAccess"


@paused()  # builds a large object graph with no cyclic garbage: see gluesim.kb.gcpause
def simulate(scenario: m.Scenario, actions: Iterable[str] | None = None, actors: Iterable[str] | None = None,
             kb: KnowledgeBase | None = None, require_checks: bool = False) -> Report:
    """Simulate every relevant action of ``scenario``; ``actions``/``actors`` filter what is reported.

    ``require_checks``: an empty selection is an error (:class:`~.selection.NothingChecked`, one
    line saying why) instead of an empty Report, which would read as a pass.
    """
    kb = kb if kb is not None else _kb()
    sim = Simulation(scenario, kb)
    wanted = selection.select(sim.wanted(), actions, actors, scenario, kb, require_checks)
    order = {a: i for i, a in enumerate(ACTION_ORDER)}
    results = sorted((sim.result(*key) for key in wanted),
                     key=lambda r: (r.actor, order.get(r.action, 99), r.subject or ""))
    return Report(scenario.meta.name or scenario.meta.path, scenario.account.account_id, tuple(results))


def nothing_checked(scenario: m.Scenario, actions: Iterable[str] | None = None,
                    actors: Iterable[str] | None = None, kb: KnowledgeBase | None = None) -> str | None:
    """Why a simulation of ``scenario`` with these filters would check nothing (None when it checks something)."""
    kb = kb if kb is not None else _kb()
    try:
        selection.select(Simulation(scenario, kb).wanted(), actions, actors, scenario, kb, True)
    except selection.NothingChecked as exc:
        return str(exc)
    return None


def session(scenario: m.Scenario, kb: KnowledgeBase | None = None, owned_jobs: Iterable[str] = (),
            verdicts_only: bool = False) -> Simulation:
    """A simulation to ask about any (actor, action, subject): what the audit uses.

    Actors are user names or ``role/NAME`` for a session of a role; ``owned_jobs`` are jobs the
    asking actor builds, saves and runs themselves (the audit's stand-in jobs, one per job role).
    ``verdicts_only`` skips the own requirements of an action whose prerequisite certainly
    fails: the verdicts are the same, the failures shorter.
    """
    return Simulation(scenario, kb if kb is not None else _kb(), frozenset(owned_jobs), verdicts_only)


def _kb() -> KnowledgeBase:
    from gluesim.kb.loader import load

    return load()


class Simulation:
    """One simulation: the wanted (actor, action, subject) triples and their memoized results."""

    def __init__(self, scenario: m.Scenario, kb: KnowledgeBase, owned_jobs: frozenset[str] = frozenset(),
                 verdicts_only: bool = False) -> None:
        self.scenario = scenario
        self.kb = kb
        self.owned_jobs = owned_jobs
        # Verdicts only (the audit): an action whose prerequisite certainly fails is not checked
        # further; its verdict (fail) is the same, its failures list only the prerequisite.
        self.verdicts_only = verdicts_only
        self.index = AccountIndex(scenario.account, scenario.jobs)
        self.checker = Checker(self.index, kb)
        self.jobs = {j.name: j for j in scenario.jobs}
        self._facts: dict[str, JobFacts] = {}
        self._results: dict[tuple[str, str, str | None], ActionResult] = {}
        self._conditional: tuple[tuple[str, frozenset[str]], ...] | None = None

    def facts(self, job: str) -> JobFacts:
        """The derived facts of ``job`` (computed once)."""
        if job not in self._facts:
            self._facts[job] = job_facts(self.index, self.jobs[job])
        return self._facts[job]

    def wanted(self) -> list[tuple[str, str, str | None]]:
        """Every (actor, action, subject) the scenario asks about, once, in a stable order."""
        found: dict[tuple[str, str, str | None], None] = {}
        for job in self.scenario.jobs:
            for actor in dict.fromkeys((job.created_by, job.runner)):
                found[(actor, "action.sign-in-console", None)] = None
                found[(actor, "action.open-glue-studio", None)] = None
            found[(job.created_by, self.create_action(job.name), job.name)] = None
            found[(job.created_by, "action.save-job", job.name)] = None
            found[(job.runner, "action.run-job", job.name)] = None
        for check in self.scenario.checks:
            action = check.action
            if action in JOB_ACTIONS and check.job is None:
                raise GluesimError(f"check {check.actor}/{action.removeprefix('action.')} names no job; add 'job:'")
            subject = check.job if action in JOB_ACTIONS else check.dashboard if action in DASHBOARD_ACTIONS else None
            found[(check.actor, action, subject)] = None
        return list(found)

    def create_kinds(self, job: str) -> list[str]:
        """The create-job kinds whose applies_when the job meets (most specific first)."""
        features = self.features(job)
        kinds = [k for k in CREATE_KINDS
                 if set(f.value for f in self.kb.get(f"action.create-job-{k}").applies_when) <= features]
        return kinds or ["s3"]

    def create_action(self, job: str) -> str:
        """The one create action reported for ``job``: its most specific kind."""
        return f"action.create-job-{self.create_kinds(job)[0]}"

    def features(self, job: str | None, actor: str | None = None) -> set[str]:
        """KB ``applies_when`` features present for this job and actor."""
        found = {"dashboards", "billing"}
        if job is not None:
            found |= self.facts(job).features
        if actor is not None and not self._has_console_policy(actor):
            found.add("custom-policy")
        # A user who must (or may have to) create a new password at first sign-in.
        user = self.index.users.get(actor) if actor is not None else None
        if user is not None and user.password_reset_required is not False:
            found.add("password-reset")
        return found

    def _has_console_policy(self, actor: str) -> bool:
        if actor.startswith(ROLE_ACTOR):
            arns = list(self.index.roles[actor[len(ROLE_ACTOR):]].managed_policies)
        else:
            user = self.index.users[actor]
            arns = list(user.managed_policies)
            for group in user.groups:
                arns += self.index.groups[group].managed_policies
        return any(arn.endswith(f":policy/{GLUE_CONSOLE_POLICY}") for arn in arns)

    # -- results ------------------------------------------------------------------------------
    def forget(self, actor: str) -> None:
        """Drop what was computed for ``actor``: results, and the requirement checks that depend on who asks."""
        for key in [key for key in self._results if key[0] == actor]:
            del self._results[key]
        self.checker.forget(actor)

    def result(self, actor: str, action: str, subject: str | None) -> ActionResult:
        """The (memoized) result of one action."""
        key = (actor, action, subject)
        if key not in self._results:
            self._results[key] = self._compute(actor, action, subject)
        return self._results[key]

    def _compute(self, actor: str, action: str, subject: str | None) -> ActionResult:
        entry = self.kb.get(action)
        job = subject if action in JOB_ACTIONS else None
        facts = self.facts(job) if job else None
        features = self.features(job, actor)
        requirements, prerequisites = self.requirements(action, actor, subject, features)
        failures: list[Failure] = []
        for prereq_actor, prereq, prereq_subject in prerequisites:
            failures += self._prerequisite(actor, prereq_actor, prereq, prereq_subject)
        if self.verdicts_only and any(not f.unknown for f in failures):
            requirements = []  # a failed prerequisite fails the action whatever its own requirements say
        dashboard = subject if action in DASHBOARD_ACTIONS else None
        for req in requirements:
            failures += self.checker.check(req, actor, facts, dashboard)
        failures.sort(key=lambda f: (f.requirement, f.reason))
        checked = tuple(p for _, p, _ in prerequisites) + tuple(requirements)
        return ActionResult(actor, action, entry.title, subject, tuple(failures), checked)

    def _prerequisite(self, actor: str, prereq_actor: str, prereq: str, subject: str | None) -> list[Failure]:
        result = self.result(prereq_actor, prereq, subject)
        if result.passed:
            return []
        entry = self.kb.get(prereq)
        who = "" if prereq_actor == actor else f" by {prereq_actor}"
        what = f"{prereq.removeprefix('action.')}{who}" + (f" ({subject})" if subject else "")
        reason = f"needs {what} first, which is {result.verdict.value}: " + "; ".join(
            sorted({f.requirement for f in result.failures}))
        # The prerequisite's own changes travel with this failure, so fix() can repair an action
        # that is only reported as a prerequisite.
        changes = tuple(dict.fromkeys(c for f in result.failures if not f.unknown for c in f.changes))
        return [Failure(prereq, entry.title, reason, entry.source.section, entry.source.url,
                        f"fix {what} first (see its result)", None, changes,
                        unknown=result.verdict is Verdict.UNKNOWN)]

    def requirements(self, action: str, actor: str, subject: str | None, features: set[str]
                     ) -> tuple[list[str], list[tuple[str, str, str | None]]]:
        """KB requirement ids to check and prerequisite (actor, action, subject), for one action."""
        job = subject if action in JOB_ACTIONS else None
        roots = [action]
        if action.startswith("action.create-job-") and job is not None:
            roots = [f"action.create-job-{k}" for k in self.create_kinds(job)]
        requirements: dict[str, None] = {}
        prerequisites: dict[tuple[str, str, str | None], None] = {}
        for root in roots:
            self._walk(root, (actor, job, subject), features, requirements, prerequisites)
        if job is not None and action in JOB_ACTIONS and action not in LISTED_ONLY:
            for entry_id, applies in self.conditional_job_requirements():
                if applies <= features:
                    requirements[entry_id] = None
        return list(requirements), list(prerequisites)

    def conditional_job_requirements(self) -> tuple[tuple[str, frozenset[str]], ...]:
        """(id, features it applies when) of the job requirements that apply only with some features."""
        if self._conditional is None:
            self._conditional = tuple(
                (entry.id, applies) for entry in self.kb.entries.values()
                if entry.id.startswith(JOB_FAMILIES) and (applies := frozenset(f.value for f in entry.applies_when)))
        return self._conditional

    def _walk(self, root: str, who: tuple[str, str | None, str | None], features: set[str],
              requirements: dict[str, None], prerequisites: dict[tuple[str, str, str | None], None]) -> None:
        entry = self.kb.get(root)
        if entry.permissions:
            requirements[root] = None
        for dep in entry.depends_on:
            dep_entry = self.kb.get(dep)
            kind = dep_entry.kind.value
            if kind == "action":
                if dep.startswith("action.create-job-"):
                    self._walk(dep, who, features, requirements, prerequisites)
                else:
                    prerequisites[self._prereq_key(dep, *who)] = None
                    prerequisites.update(dict.fromkeys(self._own_prerequisites(dep, who[0], who[1])))
                continue
            if kind in ("schema-source", "practice") or (kind == "step" and dep not in SPECIAL):
                continue
            if {f.value for f in dep_entry.applies_when} <= features:
                requirements[dep] = None

    def _prereq_key(self, prereq: str, actor: str, job: str | None, subject: str | None
                    ) -> tuple[str, str, str | None]:
        """Who does a prerequisite action: a job's save is its creator's; the rest are the actor's own."""
        if prereq in JOB_ACTIONS and job is not None:
            return (actor if job in self.owned_jobs else self.jobs[job].created_by, prereq, job)
        return (actor, prereq, subject if prereq in DASHBOARD_ACTIONS else None)

    def _own_prerequisites(self, prereq: str, actor: str, job: str | None) -> list[tuple[str, str, str | None]]:
        """When someone else does a job prerequisite (the creator saves, another user runs), the actor
        still needs the non-job prerequisites of that action (opening Glue Studio) for themselves."""
        if prereq not in JOB_ACTIONS or job is None or job in self.owned_jobs or self.jobs[job].created_by == actor:
            return []
        deps = self.kb.get(prereq).depends_on
        return [(actor, dep, None) for dep in deps
                if dep.startswith("action.") and dep not in JOB_ACTIONS and dep not in DASHBOARD_ACTIONS]

