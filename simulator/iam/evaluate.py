"""AWS's policy evaluation logic over compiled policies.

The order and combination rules follow
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
(deny evaluation, RCPs, SCPs, resource-based policies, identity-based policies, permissions
boundaries),
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-basics.html
(same-account resource-policy grants and permissions boundaries) and
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
(cross-account requests need an Allow on both sides), session policies (same denyallow page,
"Session policies") and VPC endpoint policies
(https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html: the endpoint's policy
must allow the request as well).

Statements the engine cannot decide (a missing principal, a single-valued operator on a
multivalued key, ...) are settled by evaluating twice, once with every undecided Allow
applying and every undecided Deny not, and once the other way round: the decision is
monotone in both, so equal allowed-ness means the unknowns do not matter; otherwise the
verdict is ``undecided`` and names what was unknown.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from gluesim.simulator.iam import principals as P
from gluesim.simulator.iam import unknown_values, variables
from gluesim.simulator.iam.combine import Group, Groups, decide
from gluesim.simulator.iam.model import (
    ACTION_MISS,
    CONDITION_MISS,
    MATCH,
    RESOURCE_MISS,
    RESOURCE_STAR_MISS,
    Decision,
    Evaluation,
    Outcome,
    Request,
    StatementElement,
    Undecided,
    UndecidedKind,
)
from gluesim.simulator.iam.patterns import arn_matcher
from gluesim.simulator.iam.policy import Policy, Statement

# Services whose resources resource control policies apply to.
# https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
RCP_SERVICES = frozenset({"s3", "sts", "kms", "sqs", "secretsmanager", "ecr", "aoss", "cognito-identity",
                          "logs", "dynamodb"})
# SCPs affect only the IAM users and roles (and root users) of member accounts: never AWS service
# principals, nor anonymous callers, who are no principal of the account.
# https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html
# ("Tasks and entities not restricted by SCPs")
NOT_GOVERNED_BY_SCPS = frozenset({"Service", "Anonymous"})
# Needs no permission and cannot be denied, even by an explicit Deny:
# https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
ALWAYS_ALLOWED = "sts:getcalleridentity"
# Outcome(...) in C: a NamedTuple's own constructor is a Python function, called for every statement considered.
_outcome = functools.partial(tuple.__new__, Outcome)


class _Scan:
    """One request's walk over the statements: collects outcomes, missing keys, unknowns."""

    def __init__(self, request: Request) -> None:
        self.request = request
        self.action = request.action.lower()
        self.service = self.action.partition(":")[0]
        self.context = request.lowered_context
        self.outcomes: list[Outcome] = []
        self.missing: dict[str, None] = {}
        self.unknown: dict[str, UndecidedKind] = {}  # text -> kind, in the order met
        self.policies: tuple[object, ...] = ()  # every policy argument, for the Evaluation to keep alive

    def group(self, policies: Sequence[Policy]) -> Group:
        group = Group()
        for policy in policies:
            for statement in policy.candidates(self.service):
                self.statement(statement, group)
        return group

    def statement(self, statement: Statement, group: Group) -> None:
        applies, detail, kind, why = self.applies(statement)
        ref = statement.ref
        if applies is None:
            assert isinstance(why, Undecided)
            self.unknown[detail] = why.kind
            self.outcomes.append(_outcome((ref, applies, detail, why.element)))
            group.maybe_allows.append((ref, kind)) if statement.allow else group.maybe_denies.append(ref)
            return
        self.outcomes.append(_outcome((ref, applies, detail, why if type(why) is StatementElement else None)))
        if applies:
            group.allows.append((ref, kind)) if statement.allow else group.denies.append(ref)

    def applies(self, statement: Statement) -> tuple[bool | None, str, str | None,
                                                      StatementElement | Undecided | None]:
        """(applies or None, detail, grant kind, why): why is the missed element, or the Undecided record.

        Common details are codes expanded by ``explain``.
        """
        if statement.actions.matches(self.action) == statement.not_action:
            return False, ACTION_MISS, None, StatementElement.ACTION
        undecided: Undecided | None = None
        if statement.resources is not None:
            hit = self.resource_hit(statement)
            if type(hit) is Undecided:
                undecided = hit
            elif not hit:
                # On "*" a Resource list misses only in the no-resource-types branch of resource_hit.
                star = self.request.resource == "*" and not statement.not_resource
                return False, RESOURCE_STAR_MISS if star else RESOURCE_MISS, None, StatementElement.RESOURCE
        kind = None
        if statement.principals is not None:
            kind, why = self.principal(statement)
            if why is not None:
                if why.startswith("!"):
                    return False, why[1:], None, StatementElement.PRINCIPAL
                undecided = undecided or Undecided(UndecidedKind.PRINCIPAL, why)
        result, failed = self.conditions(statement)
        if result is False:
            return False, CONDITION_MISS + str(failed), None, StatementElement.CONDITION
        if result is None or undecided is not None:
            undecided = undecided or Undecided(UndecidedKind.CONDITION, statement.clauses[failed].explain(self.context))
            return None, undecided.text, kind, undecided
        return True, MATCH, kind, None

    def resource_hit(self, statement: Statement) -> bool | Undecided:
        """Whether Resource/NotResource covers the request's resource, or why that is undecided."""
        resource = self.request.resource
        matched = False
        unknown: list[str] = []
        for pattern in statement.resources or ():
            if pattern.match is unknown_values.never:
                unknown.append(pattern.text)
                continue
            if pattern.template is None:
                hit = (pattern.match or pattern.matcher())(resource)
            else:
                try:
                    hit = arn_matcher(variables.resolve(pattern.template, self.context))(resource)
                except variables.Unresolved as exc:
                    if exc.unknown:
                        return Undecided(UndecidedKind.RESOURCE_VARIABLE,
                                         f"policy variable ${{{exc.key}}} in Resource has a value that is not known")
                    if exc.multivalued:
                        return Undecided(UndecidedKind.RESOURCE_VARIABLE,
                                         f"policy variable ${{{exc.key}}} in Resource refers to a multivalued key")
                    self.missing[exc.key] = None
                    hit = False
            if hit:
                matched = True
                break
        if unknown and not matched:
            element = "NotResource" if statement.not_resource else "Resource"
            return Undecided(UndecidedKind.UNKNOWN_VALUE, unknown_values.undecided_text(element, unknown))
        if resource == "*" and not self.request.star_is_literal and not any(
                p.text == "*" for p in statement.resources or ()):
            if self.resourceless() and not any(_maybe_every_resource(p.text, self.service)
                                               for p in statement.resources or ()):
                # The action has no resource types, so its request really is for "*", and a
                # policy grants it only with "Resource": "*" (Service Authorization Reference:
                # https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html).
                # Resource naming ARNs then misses; NotResource listing ARNs excludes none of "*".
                return statement.not_resource
            # Otherwise the simulator's default resource "*" means "all resources"; a statement
            # about specific ARNs covers only some of them, which we cannot call a match or a miss.
            return Undecided(UndecidedKind.RESOURCE_WILDCARD, "the request resource '*' against specific "
                             f"resources {list(statement.resource_patterns)!r}")
        return matched != statement.not_resource

    def resourceless(self) -> bool:
        """Whether the action has no resource types (loads the service's catalogue once, lazily)."""
        from gluesim.simulator.iam import catalog

        return self.action.partition(":")[2] in catalog.resourceless_actions(self.service)

    def principal(self, statement: Statement) -> tuple[str | None, str | None]:
        """(grant kind, None) when named; (None, '!reason') when not; (None, reason) when unknown."""
        named = statement.principals
        assert named is not None
        request = self.request
        if request.principal_arn is None and not named.everyone and request.principal_type != "Anonymous":
            known = None if statement.not_principal else P.account_only_grant(named, request.principal_account)
            if known is not None:
                return known
            return P.DIRECT, "the request's principal is unknown (no principal ARN)"  # optimistic: named directly
        if statement.not_principal:
            if statement.allow:
                # Allow with NotPrincipal grants everyone but the principals it names, named as the
                # Principal element names them (an account entry covers the account's principals).
                # https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
                if P.grant(named, request) is not None:
                    return None, "!NotPrincipal names the request's principal"
                if named.unknown:
                    return P.ANY, unknown_values.undecided_text("NotPrincipal", named.unknown)
                return P.ANY, None
            # Deny with NotPrincipal exempts only principals listed with every identity behind them
            # (a user's account too): gluesim follows the NotPrincipal page here (docs/).
            if P.fully_listed(named, request):
                return None, "!NotPrincipal lists the request's principal"
            if named.unknown:
                return P.ANY, unknown_values.undecided_text("NotPrincipal", named.unknown)
            return P.ANY, None
        kind = P.grant(named, request)
        if kind is None:
            if named.unknown:
                return P.DIRECT, unknown_values.undecided_text("Principal", named.unknown)
            return None, f"!Principal does not name {request.principal_arn}"
        return kind, None

    def conditions(self, statement: Statement) -> tuple[bool | None, int]:
        """(all clauses hold / one fails / one undecided, index of the failing or undecided clause)."""
        verdict: bool | None = True
        undecided = -1
        for i, clause in enumerate(statement.clauses):
            result, missing = clause.evaluate(self.context)
            if missing is not None:
                self.missing[missing] = None
            if result is False:
                self.note_missing(statement, i + 1)
                return False, i
            if result is None and undecided < 0:
                verdict, undecided = None, i
        return verdict, undecided


    def note_missing(self, statement: Statement, start: int) -> None:
        """Report the keys of clauses not evaluated (after one failed) that the request lacks."""
        for clause in statement.clauses[start:]:
            if clause.op.family is not None and not self.context.get(clause.key_lower):
                self.missing[clause.key] = None


def _maybe_every_resource(pattern: str, service: str) -> bool:
    """Whether an ARN pattern wildcards the whole resource part of the action's service (``arn:aws:s3:::*``).

    The Service Authorization Reference asks for "*" for actions without resource types, yet
    the IAM User Guide's Statement example grants s3:ListAllMyBuckets on "arn:aws:s3:::*"
    (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_statement.html);
    where the pages disagree the verdict stays undecided.
    """
    parts = pattern.split(":", 5)
    if len(parts) < 6:  # "arn:aws:*" and the like: the last wildcard spans everything
        return True
    return parts[2].lower() == service and parts[5] != "" and set(parts[5]) == {"*"}


def evaluate(request: Request, identity_policies: Sequence[Policy] = (), resource_policy: Policy | None = None,
             boundary_policies: Sequence[Policy] | None = None,
             scp_levels: Sequence[Sequence[Policy]] | None = None,
             rcp_levels: Sequence[Sequence[Policy]] | None = None,
             session_policies: Sequence[Policy] | None = None,
             endpoint_policies: Sequence[Policy] | None = None) -> Evaluation:
    """Decide ``request`` against the policies, the way AWS does, with reasons.

    ``boundary_policies`` None means no permissions boundary; ``scp_levels`` / ``rcp_levels``
    None means the account is not governed by SCPs / RCPs (each level, root first, is a list
    of the policies attached there; every level must allow); ``session_policies`` None means
    no session policy was passed; ``endpoint_policies`` None means the request does not go
    through a VPC endpoint (several are read as one policy: one must allow, none may deny).
    """
    scan = _Scan(request)
    if scan.action == ALWAYS_ALLOWED:
        return Evaluation(Decision.ALLOWED, (), "sts:GetCallerIdentity needs no permission and cannot be denied",
                          request=request)
    scan.policies = (identity_policies, resource_policy, boundary_policies, scp_levels, rcp_levels, session_policies,
                     endpoint_policies)
    if request.principal_type in NOT_GOVERNED_BY_SCPS:
        scp_levels = None
    groups = Groups(
        identity=scan.group(identity_policies),
        resource=scan.group([resource_policy]) if resource_policy is not None else None,
        boundary=scan.group(boundary_policies) if boundary_policies is not None else None,
        scps=[scan.group(level) for level in scp_levels] if scp_levels is not None else None,
        rcps=[scan.group(level) for level in rcp_levels]
        if rcp_levels is not None and scan.service in RCP_SERVICES else None,
        resource_type=resource_policy.policy_type if resource_policy is not None else None,
        session=scan.group(session_policies) if session_policies is not None else None,
        endpoint=scan.group(endpoint_policies) if endpoint_policies is not None else None,
    )
    return decide(scan, groups)


