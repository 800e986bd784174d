"""How the engine asks the IAM evaluator: full request contexts, cross-account owners, unknown pieces.

Mixed into :class:`gluesim.simulator.engine.context.AccountIndex`, which supplies the account,
the compiled policies and the principals.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from gluesim.simulator import model as m
from gluesim.simulator.engine.iamcheck import ANY_ALLOW, EXPORT_HOW, IamCheck, Unknown
from gluesim.simulator.engine.requestctx import Call, RequestKeys

if TYPE_CHECKING:
    from gluesim.simulator.engine.context import Principal


class Evaluation:
    """AccountIndex methods that build requests and evaluate them."""

    account: m.Account
    _parties: dict[tuple[str, ...], Any]
    compile: Any
    scp_levels: Any
    unknown_scp_levels: Any
    arn: Any

    # -- evaluation -------------------------------------------------------------------------
    def request_keys(self, who: Principal, action: str, resource: str, call: Call,
                     context: Mapping[str, tuple[str, ...]] | None = None, request_tags: m.Tags | None = ()
                     ) -> RequestKeys:
        """The full request context of one request (see :mod:`.requestctx`)."""
        from gluesim.simulator.engine import owners, requestctx

        principal = self._party(("principal", who.kind, who.name), lambda: owners.principal_party(self, who))
        owner = self._party(("owner", action.partition(":")[0].lower(), resource),
                            lambda: owners.owner_party(self, action, resource))
        return requestctx.build((who.kind, who.name, who.arn), principal, action, resource, owner, call,
                                self.account.as_of, context, request_tags)

    def _party(self, key: tuple[str, ...], find: Callable[[], Any]) -> Any:
        """A principal's or resource owner's Party, found once per simulation."""
        cache = self._parties
        if key not in cache:
            cache[key] = find()
        return cache[key]

    def request(self, who: Principal, action: str, resource: str, keys: RequestKeys,
                resource_account: str | None = None) -> Any:
        """The evaluator's Request for ``who`` with the context ``keys``."""
        from gluesim.simulator.iam import Request

        own = self.account.account_id
        return Request(action=action, resource=resource, principal_arn=who.request_arn, principal_account=own,
                       resource_account=resource_account if resource_account != own else None,
                       context=keys.known, principal_type=who.request_type, unknown_key=keys.unknown_key())

    def evaluate(self, who: Principal, action: str, resource: str,
                 context: Mapping[str, tuple[str, ...]] | None = None,
                 resource_policy: Any = None, resource_label: str | None = None,
                 call: Call | None = None, request_tags: m.Tags | None = ()) -> IamCheck:
        """Evaluate one request by ``who`` with every policy type that applies, in its full context.

        A resource of another account is evaluated with AWS's cross-account rule; one whose owner is
        unknown is evaluated both ways, and the decision is kept only when both agree.
        """
        from gluesim.simulator.engine import owners
        from gluesim.simulator.iam import evaluate
        from gluesim.simulator.iam.unknowns import unknown_keys_consulted

        keys = self.request_keys(who, action, resource, call or Call(self.account.region), context, request_tags)
        owner = owners.owner_for_rule(self, action, resource)
        request = self.request(who, action, resource, keys, owner)
        levels = self.scp_levels()
        evaluation = evaluate(request, identity_policies=who.identity, resource_policy=resource_policy,
                              boundary_policies=who.boundary, scp_levels=levels)
        owner_unknown = owner is None and self._owner_matters(who, action, resource, keys, resource_policy,
                                                              evaluation.allowed)
        unknowns = self.clouding(who, evaluation, lambda: evaluate(
            request, identity_policies=(*who.identity, self.allow_all()), resource_policy=resource_policy,
            boundary_policies=who.boundary, scp_levels=levels).allowed)
        consulted = unknown_keys_consulted(evaluation) if evaluation.decision.value == "undecided" else ()
        return IamCheck(who.arn, action, resource, dict(context or {}), evaluation, resource_label, unknowns=unknowns,
                        keys=keys, unknown_keys=_canonical(consulted, keys), owner_unknown=owner_unknown)

    def _owner_matters(self, who: Principal, action: str, resource: str, keys: RequestKeys, resource_policy: Any,
                       same_account_allowed: bool) -> bool:
        """With the owner unknown: would a resource of another account get a different verdict?"""
        from gluesim.simulator.iam import evaluate

        other = "000000000000" if self.account.account_id != "000000000000" else "000000000001"
        crossed = evaluate(self.request(who, action, resource, keys, other), identity_policies=who.identity,
                           resource_policy=resource_policy, boundary_policies=who.boundary,
                           scp_levels=self.scp_levels())
        return crossed.allowed != same_account_allowed

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
        from gluesim.simulator.iam import evaluate
        from gluesim.simulator.iam.unknowns import unknown_keys_consulted

        compiled = self.compile(policy, label, "RESOURCE")
        keys = check.keys or self.request_keys(who, check.action, check.resource, Call(self.account.region), check.context)
        evaluation = evaluate(self.request(who, check.action, check.resource, keys), identity_policies=(),
                              resource_policy=compiled)
        consulted = unknown_keys_consulted(evaluation) if evaluation.decision.value == "undecided" else ()
        return IamCheck(who.arn, check.action, check.resource, dict(check.context), evaluation, label, keys=keys,
                        unknown_keys=_canonical(consulted, keys))

    def evaluate_identity_only(self, who: Principal, check: IamCheck) -> bool:
        """Would ``who``'s identity policies alone allow the request of ``check``?"""
        from gluesim.simulator.iam import evaluate

        keys = check.keys or self.request_keys(who, check.action, check.resource, Call(self.account.region), check.context)
        return evaluate(self.request(who, check.action, check.resource, keys), identity_policies=who.identity).allowed

    def evaluate_trust(self, role: m.Role, service: str) -> IamCheck:
        """Can ``service`` call sts:AssumeRole on ``role``? Evaluated on the trust policy alone, in the
        context a service principal's request carries (:func:`.requestctx.service_keys_for_trust`)."""
        from gluesim.simulator.engine.requestctx import trust_keys
        from gluesim.simulator.iam import Request, evaluate
        from gluesim.simulator.iam.unknowns import unknown_keys_consulted

        assert role.trust_policy is not None
        trust = self.compile(role.trust_policy, f"trust policy of role {role.name}", "TRUST")
        arn = self.arn("role", role.path, role.name)
        keys = trust_keys(service, self.account.account_id, self.account.as_of)
        request = Request(action="sts:AssumeRole", resource=arn, principal_arn=service, principal_type="Service",
                          context=keys.known, unknown_key=keys.unknown_key())
        evaluation = evaluate(request, identity_policies=(), resource_policy=trust)
        consulted = unknown_keys_consulted(evaluation) if evaluation.decision.value == "undecided" else ()
        return IamCheck(service, "sts:AssumeRole", arn, {}, evaluation, f"trust policy of role {role.name}",
                        keys=keys, unknown_keys=_canonical(consulted, keys))


def _canonical(consulted: tuple[str, ...], keys: RequestKeys) -> tuple[str, ...]:
    """The consulted unknown keys in AWS's spelling where gluesim knows it (the evaluator lower-cases them)."""
    from gluesim.simulator.engine.requestctx import spelled

    return tuple(spelled(key) for key in consulted)
