"""The account-wide Glue Studio audit: who can do what, which roles can run jobs, risky grants.

Every per-principal verdict comes from the simulation engine, the code path of ``simulate``
(:mod:`.verdicts`), with the scenario's real jobs and job roles: the audit and ``simulate``
never disagree about an (actor, action, job). Job roles, who may pass them, and risky grants
(unscoped grants, a role anyone may assume) are IAM probes on top (:mod:`.rules`).
Facts no export holds (console passwords, Billing activation) are unknown, never a pass.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from gluesim.kb.errors import GluesimError, did_you_mean
from gluesim.kb.gcpause import paused
from gluesim.simulator import model as m
from gluesim.simulator.audit.results import Audit, JobAudit, JobRoleAudit, PrincipalAudit, RiskyGrant
from gluesim.simulator.audit.risks import RiskProbes
from gluesim.simulator.audit.rules import Probe, job_role_checks, people_can_assume, trusted_by
from gluesim.simulator.audit.verdicts import ALLOWED, DENIED, UNKNOWN, ActionVerdict, Verdicts, stand_in_jobs

if TYPE_CHECKING:
    from gluesim.kb.model import KnowledgeBase

__all__ = ["ALLOWED", "DENIED", "UNKNOWN", "ActionVerdict", "Audit", "JobAudit", "JobRoleAudit", "PrincipalAudit",
           "RiskyGrant", "audit"]

GLUE_SERVICE = "glue.amazonaws.com"
ROLE_PREFIX = "AWSGlueServiceRole"
SCP_SUBJECT = "organization/scp"  # the subject importers give unknown SCP levels
_VARIABLE = re.compile(r"\$\{|aws:(username|userid|PrincipalArn|PrincipalTag|PrincipalAccount)", re.I)


@paused()  # builds a large object graph with no cyclic garbage: see gluesim.kb.gcpause
def audit(scenario: m.Scenario, principals: Iterable[str] | None = None, kb: KnowledgeBase | None = None,
          unknown: Mapping[str, tuple[str, ...]] | None = None,
          progress: Callable[[int, int], None] | None = None) -> Audit:
    """Audit every user and role of ``scenario`` (or only ``principals``, by name or ARN).

    ``unknown`` maps ``user/name``, ``role/name``, ``group/name`` or ``organization/scp`` to what
    an import could not say (``importers.common.unknowns_by_subject``); a subject the scenario
    does not mark already is marked with it (an unknown policy, or an unknown SCP level), so the
    engine clouds the verdicts the missing piece could change. ``progress(done, total)`` is called
    after each principal (for a progress bar).
    """
    if kb is None:
        from gluesim.kb.loader import load

        kb = load()
    return _Auditor(with_marks(scenario, unknown or {}), kb, progress).run(principals)


def with_marks(scenario: m.Scenario, unknown: Mapping[str, tuple[str, ...]]) -> m.Scenario:
    """``scenario`` with an unknown mark for each subject of ``unknown`` that has none of its own."""
    from dataclasses import replace

    account = scenario.account

    def marked(items: tuple[Any, ...], kind: str) -> tuple[Any, ...]:
        out = []
        for item in items:
            texts = unknown.get(f"{kind}/{item.name}", ())
            if texts and not item.unknown_policies:
                item = replace(item, unknown_policies=tuple(
                    m.UnknownPolicy(m.UnknownKind.POLICY, "(not exported)", text) for text in texts))
            out.append(item)
        return tuple(out)

    account = replace(account, users=marked(account.users, "user"), groups=marked(account.groups, "group"),
                      roles=marked(account.roles, "role"))
    scp = unknown.get(SCP_SUBJECT, ())
    org = account.organization
    if scp and not (org and any(level.unknown for level in org.scp_levels)):
        level = m.ScpLevel("(not exported)", (), True, "; ".join(scp))
        org = replace(org, scp_levels=(*org.scp_levels, level)) if org else m.Organization((level,))
        account = replace(account, organization=org)
    return replace(scenario, account=account)


class _Auditor(RiskProbes):
    def __init__(self, scenario: m.Scenario, kb: KnowledgeBase,
                 progress: Callable[[int, int], None] | None = None) -> None:
        from gluesim.simulator.engine.context import AccountIndex

        self.scenario = scenario
        self.account = scenario.account
        self.kb = kb
        self.index = AccountIndex(scenario.account, scenario.jobs)
        self.memo: dict[tuple[Any, ...], tuple[bool | None, str]] = {}
        self.progress = progress or (lambda done, total: None)
        self.signatures: dict[tuple[str, str], tuple[Any, ...]] = {}
        self.has_variables: dict[str, bool] = {}  # policy text -> whether it names a per-principal key
        self.assumable: dict[str, bool] = {}

    def run(self, wanted: Iterable[str] | None) -> Audit:
        job_roles = tuple(self.job_role(role) for role in self.account.roles
                          if role.trust_policy is None or self._trusts(role) is not False)
        stand_ins = () if self.scenario.jobs else stand_in_jobs(r.name for r in job_roles)
        verdicts = Verdicts(self.scenario, self.kb, stand_ins)
        people = self.select(wanted)
        if not people:
            from gluesim.kb.errors import LocatedError

            raise LocatedError(self.scenario.meta.path or self.scenario.meta.name or "the sources",
                               "the account has no users and no roles, so nothing is audited; expected an export "
                               "with IAM users or roles (aws iam get-account-authorization-details)")
        actions = verdicts.columns()
        audits = tuple(self._counted(number, len(people), self.principal(kind, item, verdicts.of(kind, item, actions)))
                       for number, (kind, item) in enumerate(people, start=1))
        risks = tuple(risk for kind, item in people for risk in self.risks(kind, item))
        job_roles = tuple(self.passers(r, people) if r.usable else r for r in job_roles)
        risks += tuple(self.escalations(job_roles, risks))
        notes = ["every verdict is the simulation engine's ('gluesim simulate' gives the same for the same actor, "
                 "action and job); roles are asked as a person in a session of the role"]
        if stand_ins:
            notes.append("the scenario has no jobs: job actions are asked of one stand-in job per possible job role "
                         "(" + (", ".join(r.name for r in job_roles) or "none") + "), allowed when one of them passes")
        jobs = self.jobs(verdicts) if self.scenario.jobs else ()
        return Audit(self.account.account_id, actions, audits, job_roles, risks, tuple(notes), jobs)

    def _counted(self, done: int, total: int, audited: PrincipalAudit) -> PrincipalAudit:
        self.progress(done, total)
        return audited

    def jobs(self, verdicts: Verdicts) -> tuple[JobAudit, ...]:
        """Each job of the scenario as the engine sees running it (prerequisites included)."""
        out = []
        for job in self.scenario.jobs:
            result = verdicts.sim.result(job.runner, "action.run-job", job.name)
            out.append(JobAudit(job.name, job.role, job.runner, result.verdict.value,
                                tuple(f"{f.requirement}: {f.reason}" for f in result.failures)))
        return tuple(out)

    def select(self, wanted: Iterable[str] | None) -> list[tuple[str, Any]]:
        everyone = [("user", u) for u in self.account.users] + [
            ("role", r) for r in self.account.roles if not r.path.startswith("/aws-service-role/")]
        if wanted is None:
            return everyone
        names = {p.name: (k, p) for k, p in everyone} | {self.index.arn(k, p.path, p.name): (k, p) for k, p in everyone}
        chosen = []
        for item in wanted:
            if item not in names:
                raise GluesimError(f"--principal: no user or role {item!r}{did_you_mean(item, [p.name for _, p in everyone])}")
            chosen.append(names[item])
        return chosen

    # -- principals ---------------------------------------------------------------------
    def who(self, kind: str, item: Any) -> Any:
        return self.index.user(item.name) if kind == "user" else self.index.role(item.name)

    def principal(self, kind: str, item: Any, verdicts: tuple[ActionVerdict, ...]) -> PrincipalAudit:
        who = self.who(kind, item)
        console = getattr(item, "console_access", None) if kind == "user" else None
        trusted = trusted_by(item.trust_policy.document if item.trust_policy else None) if kind == "role" else ()
        marks = [u.describe() for u in who.unknown] + [u.what for u in self.index.unknown_scp_levels()]
        return PrincipalAudit(kind, item.name, who.arn, console, verdicts, trusted, tuple(marks))

    def signature(self, kind: str, item: Any, who: Any) -> tuple[Any, ...]:
        """Principals with equal signatures get equal probe verdicts (same policies, no per-principal variables)."""
        key = (kind, item.name)
        if key not in self.signatures:
            self.signatures[key] = self._signature(kind, item, who)
        return self.signatures[key]

    def _signature(self, kind: str, item: Any, who: Any) -> tuple[Any, ...]:
        texts = tuple(sorted((p.policy_id, p.text) for p in who.identity)) + ("|",) + tuple(
            (p.policy_id, p.text) for p in who.boundary or ())
        if any(self._names_variables(p.text) for p in (*who.identity, *(who.boundary or ()))):
            return (kind, item.name, texts)
        return (kind, texts)

    def _names_variables(self, text: str) -> bool:
        """Whether ``text`` names a policy variable or a per-principal key (once per text: roles share policies)."""
        found = self.has_variables.get(text)
        if found is None:
            found = self.has_variables[text] = _VARIABLE.search(text) is not None
        return found

    def passers(self, job_role: JobRoleAudit, people: list[tuple[str, Any]]) -> JobRoleAudit:
        """The users, and roles people can assume, allowed to pass ``job_role`` to Glue."""
        from dataclasses import replace

        role = self.index.roles[job_role.name]
        probe = Probe("iam:PassRole", self.index.arn("role", role.path, role.name), (("iam:PassedToService", (GLUE_SERVICE,)),))
        found = []
        for kind, item in people:
            if kind == "role" and not self.people_may_assume(item):
                continue
            who = self.who(kind, item)
            if self.probe(who, self.signature(kind, item, who), probe)[0]:
                found.append(f"{kind}/{item.name}")
        return replace(job_role, passable_by=tuple(found))

    def people_may_assume(self, role: m.Role) -> bool:
        """Whether someone other than an AWS service may assume ``role`` (read once per role)."""
        if role.name not in self.assumable:
            self.assumable[role.name] = people_can_assume(
                trusted_by(role.trust_policy.document if role.trust_policy else None))
        return self.assumable[role.name]

    def probe(self, who: Any, sign: tuple[Any, ...], probe: Probe) -> tuple[bool | None, str]:
        """(allowed?, reason) for one probe."""
        key = (sign, probe)
        if key not in self.memo:
            self.memo[key] = self._evaluate(who, probe)
        return self.memo[key]

    def _evaluate(self, who: Any, probe: Probe) -> tuple[bool | None, str]:
        resource = probe.resource.replace("{region}", self.account.region).replace(
            "{account_id}", self.account.account_id).replace("arn:aws:", f"arn:{self.account.partition}:", 1)
        check = self.index.evaluate(who, probe.action, resource, dict(probe.context))
        if check.allowed and not check.unknowns:
            return True, ""
        decision = check.evaluation.decision.value
        return (None if decision == "undecided" or check.unknowns else False), \
            f"{decision}: {probe.action} on {resource}: {check.evaluation.reason}"

    # -- job roles ----------------------------------------------------------------------
    def _trusts(self, role: m.Role) -> bool | None:
        if role.trust_policy is None:
            return None
        check = self.index.evaluate_trust(role, GLUE_SERVICE)
        return None if check.undecided else check.allowed

    def job_role(self, role: m.Role) -> JobRoleAudit:
        trusts = self._trusts(role)
        who = self.index.role(role.name)
        sign = self.signature("role", role, who)
        missing = []
        undecided = False
        for probe in job_role_checks(self.kb):
            allowed, _ = self.probe(who, sign, probe)
            if allowed is not True:
                missing.append(probe.label)
                undecided = undecided or allowed is None
        permissions = True if not missing else None if undecided else False
        return JobRoleAudit(role.name, trusts, role.name.startswith(ROLE_PREFIX), permissions, tuple(missing))
