"""Combine what each kind of policy said into one decision, as AWS's evaluation logic does.

https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-basics.html
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from gluesim.simulator.iam import principals as P
from gluesim.simulator.iam.model import (
    Decision,
    Evaluation,
    PolicyType,
    Request,
    StatementRef,
    Undecided,
    UndecidedKind,
)

if TYPE_CHECKING:  # pragma: no cover - typing only
    from gluesim.simulator.iam.evaluate import _Scan


class Group:
    """What the statements of one set of policies said about the request."""

    __slots__ = ("allows", "denies", "maybe_allows", "maybe_denies")

    def __init__(self) -> None:
        self.allows: list[tuple[StatementRef, str | None]] = []
        self.denies: list[StatementRef] = []
        self.maybe_allows: list[tuple[StatementRef, str | None]] = []
        self.maybe_denies: list[StatementRef] = []

    def allowed(self, optimistic: bool) -> bool:
        return bool(self.allows) or (optimistic and bool(self.maybe_allows))

    def denied(self, optimistic: bool) -> list[StatementRef]:
        return self.denies if optimistic else self.denies + self.maybe_denies

    def grants(self, optimistic: bool) -> list[tuple[StatementRef, str | None]]:
        return self.allows + self.maybe_allows if optimistic else self.allows


@dataclass(slots=True)
class Groups:
    identity: Group
    resource: Group | None
    boundary: Group | None
    scps: list[Group] | None
    rcps: list[Group] | None
    resource_type: PolicyType | None
    session: Group | None = None
    endpoint: Group | None = None

    def all(self) -> list[Group]:
        found = [self.identity]
        for group in (self.resource, self.boundary, self.session, self.endpoint):
            if group is not None:
                found.append(group)
        return found + (self.scps or []) + (self.rcps or []) if self.scps or self.rcps else found

    def limits_allow(self, optimistic: bool) -> bool:
        """Whether the permissions boundary and the session policies (where present) allow the request."""
        boundary, session = self.boundary, self.session
        return ((boundary is None or boundary.allowed(optimistic))
                and (session is None or session.allowed(optimistic)))

    def limiting_refs(self, optimistic: bool) -> tuple[StatementRef, ...]:
        """The boundary and session statements that allow the request (part of an Allow's reasons)."""
        refs = _first(self.boundary, optimistic)
        return refs if self.session is None else refs + _first(self.session, optimistic)


class _Verdict(NamedTuple):
    decision: Decision
    reason: str
    deciding: tuple[StatementRef, ...]
    feature: Undecided | None = None


def decide(scan: _Scan, groups: Groups) -> Evaluation:
    """The final Evaluation; see the module docstring of ``evaluate`` for undecided statements."""
    if _identity_only(scan, groups):
        return _evaluation(scan, groups, _identity_verdict(groups.identity), ())
    same_options = _same_account_options(scan.request)
    # With nothing undecided the optimistic and pessimistic readings coincide: evaluate once.
    readings = (True, False) if scan.unknown else (True,)
    verdicts = [_combine(scan, groups, optimistic, same) for optimistic in readings for same in same_options]
    features = [Undecided(kind, text) for text, kind in scan.unknown.items()]
    if len(verdicts) == 1 and verdicts[0].decision is not Decision.UNDECIDED:
        return _evaluation(scan, groups, verdicts[0], ())
    decisions = {v.decision for v in verdicts}
    if Decision.UNDECIDED in decisions or len({d is Decision.ALLOWED for d in decisions}) > 1:
        if len(same_options) > 1:
            features.append(Undecided(UndecidedKind.CROSS_ACCOUNT, "whether the request is cross-account "
                                      "(the principal's account is unknown)"))
        features += [v.feature for v in verdicts if v.feature and v.feature not in features]
        texts = [f.text for f in features] or ["unknown inputs"]
        final = _Verdict(Decision.UNDECIDED, "cannot decide: " + "; ".join(texts), ())
    elif len(decisions) > 1:  # denied either way, but perhaps explicitly
        best = verdicts[0]
        texts = [f.text for f in features]
        final = _Verdict(best.decision, f"{best.reason} (an undecided Deny may also apply: {'; '.join(texts)})",
                         best.deciding)
    else:
        final = verdicts[0]
    return _evaluation(scan, groups, final, tuple(features) if final.decision is Decision.UNDECIDED else ())


def _identity_only(scan: _Scan, groups: Groups) -> bool:
    """Only identity policies, nothing undecided, same account, not the root user: the common case."""
    request = scan.request
    return (groups.resource is None and groups.boundary is None and groups.scps is None and groups.rcps is None
            and groups.session is None and groups.endpoint is None and not scan.unknown and request.resource_account is None and request.principal_type != "Root")


def _identity_verdict(identity: Group) -> _Verdict:
    """What ``_combine`` decides in the identity-only case (a test checks they agree)."""
    if identity.denies:
        return _Verdict(Decision.EXPLICIT_DENY, f"denied by {identity.denies[0].describe()}", tuple(identity.denies))
    if identity.allows:
        refs = tuple([ref for ref, _ in identity.allows])
        return _Verdict(Decision.ALLOWED, f"allowed by {refs[0].describe()}", refs)
    return _Verdict(Decision.IMPLICIT_DENY, "no identity-based policy statement allows it (implicit deny)", ())


def _evaluation(scan: _Scan, groups: Groups, final: _Verdict, features: tuple[Undecided, ...]) -> Evaluation:
    return Evaluation(
        final.decision, final.deciding, final.reason, tuple(scan.missing), features, tuple(scan.outcomes),
        scan.request,
        None if groups.boundary is None else groups.boundary.allowed(False),
        None if groups.scps is None else all(g.allowed(False) for g in groups.scps),
        _details(groups) if groups.resource is not None else _NO_DETAILS,
        scan.policies,
    )


_NO_DETAILS: Mapping[str, Decision] = {}


def _same_account_options(request: Request) -> tuple[bool, ...]:
    if request.resource_account is None or request.principal_type in ("Service", "Anonymous"):
        return (True,)
    principal_account = P.account_of(request)
    if principal_account is None:
        return (True, False)
    return (principal_account == request.resource_account,)


def _details(groups: Groups) -> Mapping[str, Decision]:
    def side(group: Group) -> Decision:
        if group.denies:
            return Decision.EXPLICIT_DENY
        return Decision.ALLOWED if group.allows else Decision.IMPLICIT_DENY

    if groups.resource is None:
        return {}
    return {"IAM Policy": side(groups.identity), "Resource Policy": side(groups.resource)}


def _first(group: Group | None, optimistic: bool) -> tuple[StatementRef, ...]:
    if group is None or not (group.allows or optimistic and group.maybe_allows):
        return ()
    return tuple([ref for ref, _ in group.grants(optimistic)])


def _combine(scan: _Scan, groups: Groups, optimistic: bool, same_account: bool) -> _Verdict:
    """One decision, with undecided statements resolved optimistically or pessimistically."""
    # 1. An explicit Deny in any applicable policy wins.
    denies = [ref for group in groups.all() if group.denies or group.maybe_denies for ref in group.denied(optimistic)]
    if denies:
        return _Verdict(Decision.EXPLICIT_DENY, f"denied by {denies[0].describe()}", tuple(denies))
    # 2-3. Every RCP level (resource side) and SCP level (principal side) must allow.
    # SCPs govern the principals of member accounts, never AWS service principals.
    org_refs: tuple[StatementRef, ...] = ()
    scps = None if scan.request.principal_type == "Service" else groups.scps
    for name, levels in (("RCP", groups.rcps), ("SCP", scps)):
        for number, level in enumerate(levels or (), start=1):
            if not level.allowed(optimistic):
                return _Verdict(Decision.IMPLICIT_DENY, f"no {name} at organization level {number} allows it", ())
            org_refs += _first(level, optimistic)
    # The VPC endpoint's policy must allow the request as well.
    # https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html
    if groups.endpoint is not None:
        if not groups.endpoint.allowed(optimistic):
            return _Verdict(Decision.IMPLICIT_DENY, "the VPC endpoint policy does not allow it", ())
        org_refs += _first(groups.endpoint, optimistic)
    verdict = _combine_principal_side(scan, groups, optimistic, same_account)
    if verdict.decision is Decision.ALLOWED:
        return _Verdict(verdict.decision, verdict.reason, verdict.deciding + org_refs)
    return verdict


def _combine_principal_side(scan: _Scan, groups: Groups, optimistic: bool, same_account: bool) -> _Verdict:
    request = scan.request
    # Session policies limit like a boundary: a resource-policy grant naming the session itself is
    # not limited, one naming the role is (denyallow page, "Resource-based policies").
    boundary_ok = groups.limits_allow(optimistic)
    identity_ok = groups.identity.allowed(optimistic) and boundary_ok
    resource = groups.resource
    if resource is None and same_account and request.principal_type != "Root":  # the common case, kept short
        if identity_ok:
            refs = _first(groups.identity, optimistic) + groups.limiting_refs(optimistic)
            return _Verdict(Decision.ALLOWED, f"allowed by {refs[0].describe()}", refs)
        return _Verdict(Decision.IMPLICIT_DENY, _identity_gap(groups, optimistic, ""), ())
    grants = resource.grants(optimistic) if resource is not None else []
    required = groups.resource_type is PolicyType.TRUST or (resource is not None and scan.service == "kms")
    # The account root user may do anything in its own account (except what SCPs forbid).
    if request.principal_type == "Root" and same_account and not required:
        return _Verdict(Decision.ALLOWED, "the account root user is allowed by default", ())
    # 4. Role trust policies and KMS key policies must themselves allow the principal.
    if required and not grants:
        what = "role trust policy" if groups.resource_type is PolicyType.TRUST else "KMS key policy"
        return _Verdict(Decision.IMPLICIT_DENY, f"the {what} does not allow this principal", ())
    resource_refs = tuple([ref for ref, _ in grants])
    principal_refs = _first(groups.identity, optimistic) + groups.limiting_refs(optimistic) if identity_ok else ()
    if not same_account:
        # Cross-account: the resource policy and the principal's own policies must both allow.
        if not grants:
            return _Verdict(Decision.IMPLICIT_DENY, "cross-account request: no resource-based policy statement "
                            "allows it", ())
        if not identity_ok:
            return _Verdict(Decision.IMPLICIT_DENY, _identity_gap(groups, optimistic, "cross-account request: "), ())
        return _Verdict(Decision.ALLOWED, "allowed by both the resource-based policy and the principal's policies "
                        "(cross-account)", resource_refs + principal_refs)
    verdict = _same_account_resource_grant(request, {kind for _, kind in grants}, boundary_ok,
                                           groups.boundary is not None or groups.session is not None)
    if verdict is not None:
        return _Verdict(verdict.decision, verdict.reason, resource_refs + principal_refs, verdict.feature)
    if identity_ok:
        # A key or trust policy that delegates to IAM policies was needed too: it is part of the decision.
        refs = principal_refs + (resource_refs if required else ())
        return _Verdict(Decision.ALLOWED, f"allowed by {principal_refs[0].describe()}", refs)
    return _Verdict(Decision.IMPLICIT_DENY, _identity_gap(groups, optimistic, ""), ())


def _same_account_resource_grant(request: Request, kinds: set[str | None], boundary_ok: bool,
                                 has_boundary: bool) -> _Verdict | None:
    """Same-account resource-policy grants: final for user and session ARNs, boundary-limited for roles."""
    if P.DIRECT in kinds and request.principal_type != "Role":
        return _Verdict(Decision.ALLOWED, "allowed by the resource-based policy, which names the principal itself", ())
    role_grant = P.ROLE in kinds or (P.DIRECT in kinds and request.principal_type == "Role")
    if role_grant and boundary_ok:
        return _Verdict(Decision.ALLOWED, "allowed by the resource-based policy, which names the principal's role", ())
    if P.ANY in kinds:
        if not has_boundary or boundary_ok:
            return _Verdict(Decision.ALLOWED, "allowed by the resource-based policy (Principal \"*\")", ())
        # AWS documents the boundary rule for grants naming the user/session ARN or the role
        # ARN; for a wildcard principal it does not say, so we do not guess.
        return _Verdict(Decision.UNDECIDED, "", (), Undecided(
            UndecidedKind.BOUNDARY_WILDCARD_GRANT, "a same-account resource-policy grant to Principal \"*\" "
            "when the permissions boundary does not allow the action"))
    return None


def _identity_gap(groups: Groups, optimistic: bool, prefix: str) -> str:
    if not groups.identity.allowed(optimistic):
        return prefix + "no identity-based policy statement allows it (implicit deny)"
    if groups.boundary is not None and not groups.boundary.allowed(optimistic):
        return prefix + "the permissions boundary does not allow it"
    return prefix + "the session policy does not allow it"
