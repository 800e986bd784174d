"""The account-wide Glue Studio audit: who can do what, which roles can run jobs, risky grants.

For every principal (users, and roles people or services can assume), each Glue Studio
action of the knowledge base is checked by evaluating the IAM permissions the KB lists for
it (the action's own and those of its ``user`` requirements, prerequisites included) with
the IAM evaluator. Evaluation is shared: principals with the same policy set get the
verdict computed once (policies are compiled once per text by the evaluator).
Facts no export holds (console passwords, Billing activation) are reported as unknown.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gluesim.kb.errors import GluesimError, did_you_mean
from gluesim.simulator import model as m
from gluesim.simulator.audit.rules import (RISKS, Probe, job_role_checks, people_can_assume, public, trusted_by,
                                           user_requirements)

if TYPE_CHECKING:
    from gluesim.kb.model import KnowledgeBase

ALLOWED, DENIED, UNKNOWN = "allowed", "denied", "unknown"
GLUE_SERVICE = "glue.amazonaws.com"
ROLE_PREFIX = "AWSGlueServiceRole"
STAND_IN_ROLE = "AWSGlueServiceRole-gluesim-audit"  # when the account has no usable job role
AUDIT_JOB = "gluesim-audit-job"
SCP_SUBJECT = "organization/scp"  # the subject importers give unknown SCP levels
POWERFUL = frozenset({"admin", "iam-escalation", "passrole-any"})  # risks a job role must not give its passers
_VARIABLE = re.compile(r"\$\{|aws:(username|userid|PrincipalArn|PrincipalTag|PrincipalAccount)", re.I)


@dataclass(frozen=True, slots=True)
class ActionVerdict:
    """One Glue Studio action for one principal."""

    action: str
    title: str
    verdict: str
    missing: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PrincipalAudit:
    """Everything the audit says about one user or role."""

    kind: str
    name: str
    arn: str
    console_access: bool | None
    actions: tuple[ActionVerdict, ...]
    assumable_by: tuple[str, ...] = ()
    unknowns: tuple[str, ...] = ()  # what the sources could not say about this principal's permissions

    @property
    def label(self) -> str:
        """``user/alice`` or ``role/Admin``."""
        return f"{self.kind}/{self.name}"


@dataclass(frozen=True, slots=True)
class JobRoleAudit:
    """Whether a role can be a Glue job role: trust, name prefix, service permissions."""

    name: str
    trusts_glue: bool | None
    name_prefix: bool
    service_permissions: bool | None
    missing: tuple[str, ...] = ()
    passable_by: tuple[str, ...] = ()

    @property
    def usable(self) -> bool | None:
        """True when Glue can assume it, it has the Glue service permissions, and its name has the prefix.

        "Setting up for AWS Glue Studio", Job-related permissions: the role's name must start
        with AWSGlueServiceRole for Glue Studio to use it correctly.
        """
        if not self.name_prefix or self.trusts_glue is False or self.service_permissions is False:
            return False
        if self.trusts_glue is None or self.service_permissions is None:
            return None
        return True


@dataclass(frozen=True, slots=True)
class RiskyGrant:
    """A grant a reviewer should see, with the statement that makes it."""

    principal: str
    risk: str
    title: str
    evidence: str


@dataclass(frozen=True, slots=True)
class JobAudit:
    """An imported Glue job checked by the simulation engine (run-job by its runner)."""

    name: str
    role: str
    actor: str
    verdict: str
    failures: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Audit:
    """The whole audit of one account."""

    account_id: str
    actions: tuple[tuple[str, str], ...]
    principals: tuple[PrincipalAudit, ...]
    job_roles: tuple[JobRoleAudit, ...]
    risks: tuple[RiskyGrant, ...]
    notes: tuple[str, ...] = ()
    jobs: tuple[JobAudit, ...] = ()


def audit(scenario: m.Scenario, principals: Iterable[str] | None = None, kb: KnowledgeBase | None = None,
          unknown: Mapping[str, tuple[str, ...]] | None = None,
          progress: Callable[[int, int], None] | None = None) -> Audit:
    """Audit every user and role of ``scenario`` (or only ``principals``, by name or ARN).

    The scenario's own unknown marks (``unknown_policies``, unknown SCP levels) are read first;
    ``unknown`` maps ``user/name``, ``role/name`` or ``group/name`` to what an import could not
    say about its permissions (``importers.common.unknowns_by_subject``) and, per subject, takes
    precedence (its text names the source). The verdicts the missing pieces could change
    become ``unknown``. ``progress(done, total)`` is called after each principal (for a progress bar).
    """
    if kb is None:
        from gluesim.kb.loader import load

        kb = load()
    auditor = _Auditor(scenario.account, kb)
    every, allowed_only = model_unknowns(scenario.account)
    auditor.unknown = {**every, **dict(unknown or {})}
    auditor.unknown_allowed = allowed_only
    auditor.progress = progress or (lambda done, total: None)
    result = auditor.run(principals)
    if not scenario.jobs:
        return result
    from dataclasses import replace

    return replace(result, jobs=job_audits(scenario, kb))


def model_unknowns(account: m.Account) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """The scenario's unknown marks by subject: (clouding every verdict, clouding allowed verdicts only).

    An unknown managed policy or group could allow or deny; an unknown permissions boundary
    can only deny, so it clouds only what the known policies allow (SCP levels, under
    ``SCP_SUBJECT``, are clouded that way by the auditor).
    """
    every: dict[str, tuple[str, ...]] = {}
    allowed_only: dict[str, tuple[str, ...]] = {}
    for kind, items in (("user", account.users), ("group", account.groups), ("role", account.roles)):
        for item in items:
            marks = item.unknown_policies
            texts = tuple(u.describe() for u in marks if u.kind is not m.UnknownKind.BOUNDARY)
            bounds = tuple(u.describe() for u in marks if u.kind is m.UnknownKind.BOUNDARY)
            if texts:
                every[f"{kind}/{item.name}"] = texts
            if bounds:
                allowed_only[f"{kind}/{item.name}"] = bounds
    levels = account.organization.scp_levels if account.organization else ()
    scp = tuple(f"SCP level {lv.name!r} is unknown" + (f" ({lv.reason})" if lv.reason else "") for lv in levels if lv.unknown)
    if scp:
        every[SCP_SUBJECT] = scp
    return every, allowed_only


def job_audits(scenario: m.Scenario, kb: KnowledgeBase) -> tuple[JobAudit, ...]:
    """Each job of the scenario as the engine sees running it (prerequisites included)."""
    from gluesim.simulator.engine.run import simulate

    report = simulate(scenario, actions=["run-job"], kb=kb)
    jobs = {j.name: j for j in scenario.jobs}
    return tuple(
        JobAudit(r.subject, jobs[r.subject].role, r.actor, r.verdict.value,
                 tuple(f"{f.requirement}: {f.reason}" for f in r.failures))
        for r in report.results if r.subject in jobs
    )


class _Auditor:
    def __init__(self, account: m.Account, kb: KnowledgeBase) -> None:
        from gluesim.simulator.engine.context import AccountIndex

        self.account = account
        self.kb = kb
        self.index = AccountIndex(account)
        self.memo: dict[tuple[Any, ...], tuple[bool | None, str]] = {}
        self.verdicts: dict[tuple[Any, ...], ActionVerdict] = {}
        self.personal_cache: dict[int, tuple[Any, bool]] = {}  # keeps the policy alive so its id stays unique
        self.unknown: dict[str, tuple[str, ...]] = {}
        self.unknown_allowed: dict[str, tuple[str, ...]] = {}  # unknown boundaries: they cloud allowed verdicts only
        self.progress: Callable[[int, int], None] = lambda done, total: None

    def run(self, wanted: Iterable[str] | None) -> Audit:
        job_roles = tuple(self.job_role(role) for role in self.account.roles if role.trust_policy is None or self._trusts(role) is not False)
        usable = sorted(r.name for r in job_roles if r.usable)
        self.pass_roles = usable or [STAND_IN_ROLE]
        notes = [] if usable else [public(f"no usable job role in the account: iam:PassRole is checked on a role named {STAND_IN_ROLE}")]
        people = self.select(wanted)
        from gluesim.simulator.engine.run import ACTION_ORDER

        order = {a: i for i, a in enumerate(ACTION_ORDER)}
        listed = sorted((e for e in self.kb.actions() if user_requirements(self.kb, e.id)), key=lambda e: (order.get(e.id, 99), e.id))
        actions = tuple((e.id, e.title) for e in listed)
        audits = tuple(self._counted(number, len(people), self.principal(kind, item, actions))
                       for number, (kind, item) in enumerate(people, start=1))
        risks = tuple(risk for kind, item in people for risk in self.risks(kind, item))
        job_roles = tuple(self.passers(r, people) if r.usable else r for r in job_roles)
        risks += tuple(self.escalations(job_roles, risks))
        notes.append("sign-in-console and open-billing-console need facts outside IAM policies (console password, "
                     "Billing activation); see 'console access' per user and 'gluesim simulate' for the rest")
        return Audit(self.account.account_id, actions, audits, job_roles, risks, tuple(notes))

    def _counted(self, done: int, total: int, audited: PrincipalAudit) -> PrincipalAudit:
        self.progress(done, total)
        return audited

    def select(self, wanted: Iterable[str] | None) -> list[tuple[str, Any]]:
        everyone = [("user", u) for u in self.account.users] + [("role", r) for r in self.account.roles if not r.path.startswith("/aws-service-role/")]
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

    def signature(self, kind: str, item: Any, who: Any) -> tuple[Any, ...]:
        """Principals with equal signatures get equal verdicts (same policies, no per-principal variables)."""
        policies = (*who.identity, None, *(who.boundary or ()))
        # Policy ids are part of the key so that a shared reason names the right policy
        # (an inline policy's id names its owner; a managed policy's id is its name).
        texts = tuple(sorted((p.policy_id, p.text) for p in who.identity)) + ("|",) + tuple((p.policy_id, p.text) for p in who.boundary or ())
        if any(p is not None and self.personal(p) for p in policies):
            return (kind, item.name, texts)
        return (kind, texts)

    def personal(self, policy: Any) -> bool:
        """True when a policy's verdict can depend on who asks (policy variables, principal keys)."""
        key = id(policy)
        if key not in self.personal_cache:
            self.personal_cache[key] = (policy, bool(_VARIABLE.search(policy.text)))
        return self.personal_cache[key][1]

    def principal(self, kind: str, item: Any, actions: tuple[tuple[str, str], ...]) -> PrincipalAudit:
        who = self.who(kind, item)
        sign = self.signature(kind, item, who)
        has_console_policy = any(p.policy_id == "AWSGlueConsoleFullAccess" for p in who.identity)
        verdicts = tuple(self.action(who, sign, action_id, title, has_console_policy) for action_id, title in actions)
        console = getattr(item, "console_access", None) if kind == "user" else None
        trusted = trusted_by(item.trust_policy.document if item.trust_policy else None) if kind == "role" else ()
        unknowns = self.unknown.get(f"{kind}/{item.name}", ())
        for group in getattr(item, "groups", ()) if kind == "user" else ():
            unknowns += self.unknown.get(f"group/{group}", ())
        if unknowns:
            verdicts = tuple(_clouded(v, unknowns) for v in verdicts)
        bounds = self.unknown_allowed.get(f"{kind}/{item.name}", ())
        scp = self.unknown.get(SCP_SUBJECT, ())
        for limits in (bounds, scp):  # an unknown boundary or SCP can deny what the policies allow, never allow what they deny
            if limits:
                verdicts = tuple(_clouded(v, limits) if v.verdict == ALLOWED else v for v in verdicts)
        return PrincipalAudit(kind, item.name, who.arn, console, verdicts, trusted, unknowns + bounds + scp)

    def escalations(self, job_roles: tuple[JobRoleAudit, ...], risks: tuple[RiskyGrant, ...]) -> list[RiskyGrant]:
        """Who can pass a job role that holds more power than they do: a Glue job script runs with it."""
        held: dict[str, set[str]] = {}
        for risk in risks:
            held.setdefault(risk.principal, set()).add(risk.risk)
        found = []
        for role in job_roles:
            power = held.get(f"role/{role.name}", set()) & POWERFUL
            for passer in role.passable_by:
                if power - held.get(passer, set()):
                    found.append(RiskyGrant(
                        passer, "pass-privileged-job-role",
                        "can pass a more privileged job role to Glue (a job's script runs with the role's permissions)",
                        f"iam:PassRole on role {role.name!r} to glue.amazonaws.com; the role has {', '.join(sorted(power))}",
                    ))
        return found

    def passers(self, job_role: JobRoleAudit, people: list[tuple[str, Any]]) -> JobRoleAudit:
        """The users, and roles people can assume, allowed to pass ``job_role`` to Glue."""
        from dataclasses import replace

        role = self.index.roles[job_role.name]
        probe = Probe("iam:PassRole", self.index.arn("role", role.path, role.name), (("iam:PassedToService", (GLUE_SERVICE,)),))
        found = []
        for kind, item in people:
            if kind == "role" and not people_can_assume(trusted_by(item.trust_policy.document if item.trust_policy else None)):
                continue
            who = self.who(kind, item)
            if self.probe(who, self.signature(kind, item, who), probe)[0]:
                found.append(f"{kind}/{item.name}")
        return replace(job_role, passable_by=tuple(found))

    def action(self, who: Any, sign: tuple[Any, ...], action_id: str, title: str, console_policy: bool) -> ActionVerdict:
        key = (sign, action_id, console_policy)
        if key not in self.verdicts:
            self.verdicts[key] = self._action(who, sign, action_id, title, console_policy)
        return self.verdicts[key]

    def _action(self, who: Any, sign: tuple[Any, ...], action_id: str, title: str, console_policy: bool) -> ActionVerdict:
        missing, reasons, denied = [], [], False
        for probe in user_requirements(self.kb, action_id, custom_policy=not console_policy):
            allowed, reason = self.probe(who, sign, probe)
            if allowed is not True:
                missing.append(probe.label)
                reasons.append(reason)
                denied = denied or allowed is False
        verdict = ALLOWED if not missing else DENIED if denied else UNKNOWN
        return ActionVerdict(action_id, title, verdict, tuple(missing), tuple(public(r) for r in reasons))

    def probe(self, who: Any, sign: tuple[Any, ...], probe: Probe) -> tuple[bool | None, str]:
        """(allowed?, reason) for one requirement probe; True only when some binding is allowed."""
        key = (sign, probe)
        if key not in self.memo:
            self.memo[key] = self._evaluate(who, probe)
        return self.memo[key]

    def _evaluate(self, who: Any, probe: Probe) -> tuple[bool | None, str]:
        reason = ""
        undecided = False
        for resource in self.resources(probe):
            check = self.index.evaluate(who, probe.action, resource, dict(probe.context))
            if check.allowed:
                return True, ""
            decision = check.evaluation.decision.value
            undecided = undecided or decision == "undecided"
            reason = reason or f"{decision}: {probe.action} on {resource}: {check.evaluation.reason}"
        return (None if undecided else False), reason

    def resources(self, probe: Probe) -> list[str]:
        binding = {"region": self.account.region, "account_id": self.account.account_id, "job_name": AUDIT_JOB, "dashboard_name": "*"}
        roles = self.pass_roles if "{job_role_name}" in probe.resource else [""]
        partition = self.account.partition
        out = []
        for role in roles:
            text = probe.resource.replace("{job_role_name}", role)
            for key, value in binding.items():
                text = text.replace("{" + key + "}", value)
            out.append(text.replace("arn:aws:", f"arn:{partition}:", 1))
        return out

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

    # -- risks --------------------------------------------------------------------------
    def risks(self, kind: str, item: Any) -> list[RiskyGrant]:
        who = self.who(kind, item)
        sign = self.signature(kind, item, who)
        found = []
        for risk in RISKS:
            evidence = []
            for probe in risk.probes:
                key = (sign, probe, "risk")
                if key not in self.memo:
                    check = self.index.evaluate(who, probe.action, probe.resource.replace("{account_id}", self.account.account_id), dict(probe.context))
                    deciding = "; ".join(ref.describe() for ref in check.evaluation.deciding[:1])
                    self.memo[key] = (check.allowed, deciding)
                allowed, deciding = self.memo[key]
                if not allowed:
                    break
                evidence.append(f"{probe.action} allowed by {deciding or 'a statement'}")
            else:
                found.append(RiskyGrant(f"{kind}/{item.name}", risk.id, risk.title,
                                        public("; ".join(dict.fromkeys(evidence)))))
        return found


def _clouded(verdict: ActionVerdict, unknowns: tuple[str, ...]) -> ActionVerdict:
    """A verdict an unexported policy could change: only a known explicit deny stays certain."""
    from dataclasses import replace

    certain_deny = any(r.startswith("explicitDeny") and "GluesimUnknownBoundary" not in r for r in verdict.reasons)
    if certain_deny:
        return verdict
    why = f"the sources do not say everything about this principal ({unknowns[0]})"
    if verdict.verdict == ALLOWED:
        return replace(verdict, verdict=UNKNOWN, reasons=(f"unknown: every request allowed by the exported policies: {why}",))
    return replace(verdict, verdict=UNKNOWN, reasons=tuple(f"{r} (but {why})" for r in verdict.reasons))
