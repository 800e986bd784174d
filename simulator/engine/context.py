"""What the checks need from an Account: lookups, principals with compiled policies, IAM evaluation.

The engine never reads raw scenario data; it asks an :class:`AccountIndex` for a
user's or role's compiled policies and asks :meth:`AccountIndex.evaluate` to run
the IAM evaluator with the right identity, boundary, SCP and resource policies.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from gluesim.simulator import model as m
from gluesim.simulator.policies import aws_managed_arn, iam_arn


@dataclass(frozen=True, slots=True)
class Principal:
    """Who makes a request: its ARN and the policies that govern it (compiled)."""

    kind: str  # "user" or "role"
    name: str
    arn: str
    request_arn: str
    request_type: str
    identity: tuple[Any, ...]
    boundary: tuple[Any, ...] | None
    unknown: tuple[m.UnknownPolicy, ...] = ()  # pieces of its permissions no source shows


@dataclass(frozen=True, slots=True)
class Unknown:
    """A piece of the account an IAM decision depends on but the scenario marks unknown."""

    what: str  # e.g. "managed policy 'arn:...' of user analyst is unknown (not in the export)"
    export: str  # how to export it


ANY_ALLOW = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}'
# How to get each unknown piece into an export (then `gluesim import` again).
EXPORT_HOW = {
    "policy": "export managed policy {ref} with 'aws iam get-account-authorization-details' (its Policies list) "
              "and import again",
    "boundary": "export permissions boundary {ref} with 'aws iam get-account-authorization-details' (its Policies "
                "list) and import again",
    "group": "export group {ref} with 'aws iam get-account-authorization-details --filter Group' and import again",
    "scp": "from the management account, export the SCPs of level {ref} ('aws organizations "
           "list-policies-for-target --filter SERVICE_CONTROL_POLICY' and 'describe-policy') and import again",
}


@dataclass(frozen=True, slots=True)
class IamCheck:
    """One IAM request the engine evaluated, and the evaluator's verdict."""

    principal: str
    action: str
    resource: str
    context: Mapping[str, tuple[str, ...]]
    evaluation: Any
    resource_policy: str | None = None
    notes: tuple[str, ...] = field(default=())
    unknowns: tuple[Unknown, ...] = field(default=())  # unknown pieces that could change this decision

    @property
    def allowed(self) -> bool:
        """True when the evaluator allowed the request."""
        return bool(self.evaluation.allowed)

    @property
    def undecided(self) -> bool:
        """True when the evaluator could not decide."""
        return self.evaluation.decision.value == "undecided"


def near_misses(evaluation: Any, limit: int = 2) -> tuple[str, ...]:
    """Trace lines of statements whose action matched but whose resource, principal or condition did not.

    For iam:PassRole under AWSGlueConsoleFullAccess this shows the ``role/AWSGlueServiceRole*``
    resource that a role without the prefix misses; for a key policy, the statements that do
    not name the job role.
    """
    from gluesim.simulator.iam import StatementElement

    found = []
    for outcome in evaluation.outcomes:
        if outcome.applies is False and outcome.because is not StatementElement.ACTION:
            prefix = outcome.ref.describe()
            found += [line for line in evaluation.trace if line.startswith(prefix)][:1]
    return tuple(found[:limit])


class AccountIndex:
    """Lookups over one Account plus a cache of compiled policies."""

    def __init__(self, account: m.Account) -> None:
        self.account = account
        self.users = {u.name: u for u in account.users}
        self.groups = {g.name: g for g in account.groups}
        self.roles = {r.name: r for r in account.roles}
        self.customer = {p.arn: p for p in account.managed_policies}
        self.buckets = {b.name: b for b in account.buckets}
        self.keys = {k.arn: k for k in account.kms_keys}
        self.secrets = {s.name: s for s in account.secrets}
        self.connections = {c.name: c for c in account.connections}
        self.connectors = {c.name: c for c in account.connectors}
        self.clusters = {c.id: c for c in account.redshift_clusters}
        self.stores = {s.name: s for s in account.data_stores}
        self.tables = {(db.name, t.name): t for db in account.databases for t in db.tables}
        self.databases = {db.name for db in account.databases}
        self.subnets = {s.id: (v, s) for v in account.vpcs for s in v.subnets}
        self._compiled: dict[tuple[str, str, str], Any] = {}
        self._principals: dict[tuple[str, str], Principal] = {}

    # -- policies ---------------------------------------------------------------------------
    def compile(self, doc: m.PolicyDocument, policy_id: str, policy_type: str) -> Any:
        """Compile a policy document once per simulation."""
        from gluesim.simulator.iam import PolicyType, compile_policy

        key = (policy_id, policy_type, doc.document)
        if key not in self._compiled:
            source = f"{policy_id} ({doc.where})" if doc.where else policy_id
            self._compiled[key] = compile_policy(doc.document, policy_id, PolicyType[policy_type], source)
        return self._compiled[key]

    def managed_document(self, arn: str) -> tuple[str, m.PolicyDocument]:
        """The (name, document) of a customer or AWS managed policy ARN."""
        if arn in self.customer:
            policy = self.customer[arn]
            return policy.name, policy.document
        shipped = aws_managed_arn(arn)
        if shipped is None:
            from gluesim.kb.errors import GluesimError

            raise GluesimError(f"managed policy {arn!r} is neither a customer policy nor an AWS policy gluesim ships")
        return shipped.name, m.PolicyDocument(shipped.name, shipped.document, f"AWS managed policy {shipped.name}")

    def _identity(self, owner: str, inline: Sequence[m.PolicyDocument], managed: Sequence[str]) -> list[Any]:
        out = [self.compile(doc, f"{owner} inline policy {doc.name}", "IDENTITY") for doc in inline]
        for arn in managed:
            name, doc = self.managed_document(arn)
            out.append(self.compile(doc, name, "IDENTITY"))
        return out

    def _boundary(self, arn: str | None) -> tuple[Any, ...] | None:
        if not arn:
            return None
        name, doc = self.managed_document(arn)
        return (self.compile(doc, f"{name} (permissions boundary)", "PERMISSIONS_BOUNDARY"),)

    def scp_levels(self) -> list[list[Any]] | None:
        """Compiled SCPs per known level, or None without an organization.

        An unknown level is left out here (an empty level would deny everything); the decisions
        it could change are marked unknown by :meth:`evaluate`.
        """
        org = self.account.organization
        if org is None:
            return None
        return [[self.compile(p, f"SCP {p.name} ({level.name})", "SCP") for p in level.policies]
                for level in org.scp_levels if not level.unknown]

    def unknown_scp_levels(self) -> tuple[Unknown, ...]:
        """The SCP levels whose policies are unknown."""
        org = self.account.organization
        levels = org.scp_levels if org is not None else ()
        return tuple(Unknown(f"SCP level {lv.name!r} is unknown" + (f" ({lv.reason})" if lv.reason else ""),
                             EXPORT_HOW["scp"].format(ref=lv.name)) for lv in levels if lv.unknown)

    # -- principals -------------------------------------------------------------------------
    def arn(self, kind: str, path: str, name: str) -> str:
        """An IAM ARN in this account."""
        return iam_arn(self.account.partition, self.account.account_id, kind, path, name)

    def user(self, name: str) -> Principal:
        """The user ``name`` as a requesting principal (user + group policies)."""
        key = ("user", name)
        if key not in self._principals:
            user = self.users[name]
            identity = self._identity(f"user {name}", user.inline_policies, user.managed_policies)
            for group_name in user.groups:
                group = self.groups[group_name]
                identity += self._identity(f"group {group_name}", group.inline_policies, group.managed_policies)
            unknown = list(user.unknown_policies)
            for group_name in user.groups:
                unknown += self.groups[group_name].unknown_policies
            arn = self.arn("user", user.path, name)
            self._principals[key] = Principal("user", name, arn, arn, "User", tuple(identity),
                                              self._boundary(user.permissions_boundary), tuple(unknown))
        return self._principals[key]

    def role(self, name: str) -> Principal:
        """A session of role ``name`` (what a Glue job runs as)."""
        key = ("role", name)
        if key not in self._principals:
            role = self.roles[name]
            identity = self._identity(f"role {name}", role.inline_policies, role.managed_policies)
            arn = self.arn("role", role.path, name)
            session = f"arn:{self.account.partition}:sts::{self.account.account_id}:assumed-role/{name}/GlueJobRunnerSession"
            self._principals[key] = Principal("role", name, arn, session, "AssumedRole", tuple(identity),
                                              self._boundary(role.permissions_boundary), role.unknown_policies)
        return self._principals[key]

    # -- evaluation -------------------------------------------------------------------------
    def evaluate(self, who: Principal, action: str, resource: str,
                 context: Mapping[str, tuple[str, ...]] | None = None,
                 resource_policy: Any = None, resource_label: str | None = None) -> IamCheck:
        """Evaluate one request by ``who`` with every policy type that applies."""
        from gluesim.simulator.iam import Request, evaluate

        ctx = {"aws:PrincipalArn": (who.arn,), **(context or {})}
        request = Request(action=action, resource=resource, principal_arn=who.request_arn,
                          principal_account=self.account.account_id, context=ctx,
                          principal_type=who.request_type)
        evaluation = evaluate(request, identity_policies=who.identity, resource_policy=resource_policy,
                              boundary_policies=who.boundary, scp_levels=self.scp_levels())
        unknowns = self.clouding(who, evaluation, lambda: evaluate(
            request, identity_policies=(*who.identity, self.allow_all()), resource_policy=resource_policy,
            boundary_policies=who.boundary, scp_levels=self.scp_levels()).allowed)
        return IamCheck(who.arn, action, resource, dict(context or {}), evaluation, resource_label, unknowns=unknowns)

    def allow_all(self) -> Any:
        """An identity policy allowing everything: what an unknown policy could at most add."""
        doc = m.PolicyDocument("gluesim-any-unknown-policy", ANY_ALLOW, "an unknown policy at its widest")
        return self.compile(doc, "gluesim-any-unknown-policy", "IDENTITY")

    def clouding(self, who: Principal, evaluation: Any, widest_allows: Callable[[], bool]) -> tuple[Unknown, ...]:
        """The unknown pieces that could change ``evaluation``: only a known explicit Deny is certain.

        An unknown managed policy or group could allow or deny; an unknown boundary or SCP level
        can only deny, so it clouds an allowed request but not one the known policies refuse.
        A refused request stays refused when even an identity policy allowing everything would
        not allow it (a known boundary, SCP or key policy blocks it): ``widest_allows`` says.
        """
        decision = evaluation.decision.value
        if decision in ("explicitDeny", "undecided"):
            return ()
        marks = who.unknown
        if decision != "allowed":
            marks = tuple(u for u in marks if u.kind is not m.UnknownKind.BOUNDARY)
            if not marks or not widest_allows():
                return ()
        found = tuple(Unknown(f"{u.describe()} for {who.kind} {who.name}", EXPORT_HOW[u.kind.value].format(ref=u.ref))
                      for u in marks)
        return found + (self.unknown_scp_levels() if decision == "allowed" else ())

    def evaluate_endpoint(self, who: Principal, check: IamCheck, policy: m.PolicyDocument, label: str) -> IamCheck:
        """The request of ``check`` against a VPC endpoint policy alone (it must allow the request too)."""
        from gluesim.simulator.iam import Request, evaluate

        compiled = self.compile(policy, label, "RESOURCE")
        request = Request(action=check.action, resource=check.resource, principal_arn=who.request_arn,
                          principal_account=self.account.account_id,
                          context={"aws:PrincipalArn": (who.arn,), **check.context}, principal_type=who.request_type)
        evaluation = evaluate(request, identity_policies=(), resource_policy=compiled)
        return IamCheck(who.arn, check.action, check.resource, dict(check.context), evaluation, label)

    def evaluate_identity_only(self, who: Principal, check: IamCheck) -> bool:
        """Would ``who``'s identity policies alone allow the request of ``check``?"""
        from gluesim.simulator.iam import Request, evaluate

        request = Request(action=check.action, resource=check.resource, principal_arn=who.request_arn,
                          principal_account=self.account.account_id,
                          context={"aws:PrincipalArn": (who.arn,), **check.context}, principal_type=who.request_type)
        return evaluate(request, identity_policies=who.identity).allowed

    def evaluate_trust(self, role: m.Role, service: str) -> IamCheck:
        """Can ``service`` call sts:AssumeRole on ``role``? Evaluated on the trust policy alone."""
        from gluesim.simulator.iam import Request, evaluate

        assert role.trust_policy is not None
        trust = self.compile(role.trust_policy, f"trust policy of role {role.name}", "TRUST")
        arn = self.arn("role", role.path, role.name)
        request = Request(action="sts:AssumeRole", resource=arn, principal_arn=service, principal_type="Service")
        evaluation = evaluate(request, identity_policies=(), resource_policy=trust)
        return IamCheck(service, "sts:AssumeRole", arn, {}, evaluation, f"trust policy of role {role.name}")
