"""The evaluator's vocabulary: policy types, requests, decisions and explained evaluations."""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from gluesim.kb.errors import LocatedError

if TYPE_CHECKING:  # pragma: no cover - typing only
    from gluesim.simulator.iam.compiled import Policy, PolicyText


class PolicyType(enum.Enum):
    """Where a policy is attached; decides how it combines with the others."""

    IDENTITY = "identity"
    RESOURCE = "resource"
    PERMISSIONS_BOUNDARY = "permissions-boundary"
    SCP = "scp"
    RCP = "rcp"
    # A role trust policy is the resource-based policy of the role; unlike most resource
    # policies it must itself allow sts:AssumeRole*.
    # https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
    TRUST = "trust"
    # Passed when a role or federated user session is created; the session's permissions are the
    # intersection of its identity-based policies and these (same page, "Session policies").
    SESSION = "session"
    # The policy of the VPC endpoint the request goes through: it must allow the request too.
    # https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html
    VPC_ENDPOINT = "vpc-endpoint"

    # Members are singletons compared by identity; the identity hash is faster than Enum's.
    __hash__ = object.__hash__


class Decision(enum.Enum):
    """AWS's three decisions plus ``undecided`` when the engine meets something it does not model."""

    ALLOWED = "allowed"
    EXPLICIT_DENY = "explicitDeny"
    IMPLICIT_DENY = "implicitDeny"
    UNDECIDED = "undecided"

    __hash__ = object.__hash__


_TYPE_WORDS = {member: member.value for member in PolicyType}


class PolicyError(LocatedError):
    """A policy document that is not valid JSON or not valid IAM policy grammar."""

    def __init__(self, source: str, path: str, what: str, line: int | None = None, col: int | None = None,
                 parts: tuple[str | int, ...] = (), at_key: bool = False) -> None:
        place = source if line is None else f"{source}:{line}" + ("" if col is None else f":{col}")
        super().__init__(f"{place}: {path}" if path else place, what)
        self.source = source
        self.path = path
        self.line = line
        self.col = col
        self.parts = parts  # the JSON path as keys and indexes, to locate it in the text
        self.at_key = at_key  # the problem is the key itself (unknown element), not its value


@dataclass(frozen=True, slots=True)
class StatementRef:
    """One statement of one policy: who it is and where it sits in the policy text.

    Lines and columns are 1-based and point at the statement's opening and closing braces
    in ``Policy.text`` (the text the caller passed, or a rendering of a dict document).
    """

    policy_id: str
    policy_type: PolicyType
    sid: str | None
    index: int
    policy_text: PolicyText = field(repr=False, compare=False, hash=False)  # to locate the statement

    @property
    def policy(self) -> Policy:
        """The compiled policy (alive while it is in use: an ``Evaluation`` keeps the policies it read)."""
        return self.policy_text.policy

    @property
    def start_line(self) -> int:
        """Line of the statement's opening brace."""
        return self.policy_text.statement_span(self.index)[0]

    @property
    def start_column(self) -> int:
        """Column of the statement's opening brace."""
        return self.policy_text.statement_span(self.index)[1]

    @property
    def end_line(self) -> int:
        """Line of the statement's closing brace."""
        return self.policy_text.statement_span(self.index)[2]

    @property
    def end_column(self) -> int:
        """Column of the statement's closing brace."""
        return self.policy_text.statement_span(self.index)[3]

    @property
    def label(self) -> str:
        """``Statement[1] 'Sid'`` (the JSON path, zero-based as in the document; the Sid when there is one).

        Every command points at a statement this way (docs/reference/locations.md).
        """
        return f"Statement[{self.index}]" + (f" {self.sid!r}" if self.sid else "")

    def describe(self) -> str:
        """``statement 'Sid' of identity policy 'p'`` for reasons (no position: that needs a text scan)."""
        return f"{self.label} of {_TYPE_WORDS[self.policy_type]} policy {self.policy_id!r}"

    def located(self) -> str:
        """``describe()``, for traces: a line in the policy text would not be a line of the file the user
        opened (a scenario holds its policies as YAML), so renderers add ``file:line:col`` themselves."""
        return self.describe()


class MultiValues(tuple):  # type: ignore[type-arg]
    """The values of a multivalued context key (a ``...List`` ContextKeyType), even when there is one.

    https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
    """

    __slots__ = ()


def is_multivalued(values: tuple[str, ...]) -> bool:
    """Whether request values are a multivalued key's: declared so, or more than one."""
    return len(values) > 1 or type(values) is MultiValues


_NONE: frozenset[str] = frozenset()


def _lowered(context: Mapping[str, tuple[str, ...]], multivalued: frozenset[str]) -> dict[str, tuple[str, ...]]:
    # Condition key names are case-insensitive:
    # https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html
    lowered: dict[str, tuple[str, ...]] = {}
    for key, values in context.items():
        key = key.lower()
        kind = type(values)
        found = (values,) if kind is str else values if kind is tuple or kind is MultiValues else tuple(values)
        lowered[key] = MultiValues(found) if multivalued and key in multivalued else found
    return lowered


_PRINCIPAL_TYPES = {"User": "User", "AssumedRole": "AssumedRole", "Role": "AssumedRole",
                    "FederatedUser": "FederatedUser", "Root": "Account", "Anonymous": "Anonymous"}


def _with_principal_keys(request: Request, context: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    # Keys AWS always puts in the request context for an authenticated principal, derived
    # here from the principal's ARN unless the caller supplied them.
    # https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
    arn = request.principal_arn
    if not arn or request.principal_type == "Service":
        return context
    parts = arn.split(":", 5)
    account = request.principal_account or (parts[4] if len(parts) == 6 else "")
    derived = {"aws:principalaccount": account, "aws:principaltype": _PRINCIPAL_TYPES.get(request.principal_type, "")}
    # For a role session aws:PrincipalArn is the role's ARN, whose path a session ARN does
    # not carry, so it is left for the caller to supply.
    if request.principal_type != "AssumedRole":
        derived["aws:principalarn"] = arn
    if request.principal_type == "User" and len(parts) == 6:
        derived["aws:username"] = parts[5].rsplit("/", 1)[-1]
    for key, value in derived.items():
        if value and key not in context:
            context[key] = (value,)
    return context


@dataclass(frozen=True, slots=True)
class Request:
    """One API call to authorize: action, resource ARN, the principal and the request context.

    ``resource_account`` None means the resource is in the principal's account.
    ``principal_type`` is one of ``User``, ``AssumedRole``, ``Role``, ``FederatedUser``,
    ``Service``, ``Root``, ``Anonymous``. ``multivalued_keys`` names context keys of a ``...List``
    type: multivalued even with one value. ``star_is_literal``: a ``resource`` of ``*`` is the text
    ``*`` (as AWS's simulator reads it) rather than "every resource" (gluesim's reading, where
    statements naming specific resources leave the verdict undecided). ``unknown_key`` (lower-case key -> bool) names the keys
    the context lacks that the real request may carry with a value the caller does not know:
    conditions on them are undecided (:mod:`gluesim.simulator.iam.unknowns`).
    """

    action: str
    resource: str = "*"
    principal_arn: str | None = None
    principal_account: str | None = None
    resource_account: str | None = None
    context: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    principal_type: str = "AssumedRole"
    multivalued_keys: frozenset[str] = frozenset()
    star_is_literal: bool = False
    unknown_key: Callable[[str], bool] | None = field(default=None, repr=False, compare=False, hash=False)
    lowered_context: dict[str, tuple[str, ...]] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        multivalued = frozenset(k.lower() for k in self.multivalued_keys) if self.multivalued_keys else _NONE
        lowered = _with_principal_keys(self, _lowered(self.context, multivalued))
        if self.unknown_key is not None:
            from gluesim.simulator.iam.unknowns import OpenContext

            lowered = OpenContext(lowered, self.unknown_key)
        object.__setattr__(self, "lowered_context", lowered)

    @property
    def service(self) -> str:
        """The service prefix of the action, lower case (``glue`` for ``glue:CreateJob``)."""
        return self.action.partition(":")[0].lower()


class StatementElement(enum.Enum):
    """The element of a statement that kept it from applying, or left it undecided (``Outcome.because``)."""

    ACTION = "action"  # Action / NotAction does not cover the request's action
    RESOURCE = "resource"  # Resource / NotResource does not cover the request's resource
    PRINCIPAL = "principal"  # Principal / NotPrincipal does not name the request's principal
    CONDITION = "condition"  # a Condition clause does not hold

    __hash__ = object.__hash__


class UndecidedKind(enum.Enum):
    """What the engine met and does not model, making a verdict ``undecided`` (``Evaluation.undecided``)."""

    RESOURCE_WILDCARD = "resource-wildcard"  # a request for "*" against statements naming specific resources
    RESOURCE_VARIABLE = "resource-variable"  # a policy variable in Resource refers to a multivalued key
    PRINCIPAL = "principal"  # the request's principal is unknown where a statement names principals
    CONDITION = "condition"  # a condition clause the engine cannot decide
    CROSS_ACCOUNT = "cross-account"  # the principal's account, so whether the request is cross-account
    BOUNDARY_WILDCARD_GRANT = "boundary-wildcard-grant"  # Principal "*" grant vs a boundary that does not allow
    UNKNOWN_VALUE = "unknown-value"  # a Resource/NotResource entry an import could not resolve (``unknown_values``)

    __hash__ = object.__hash__


_ELEMENT_OF = {UndecidedKind.RESOURCE_WILDCARD: StatementElement.RESOURCE,
               UndecidedKind.UNKNOWN_VALUE: StatementElement.RESOURCE,
               UndecidedKind.RESOURCE_VARIABLE: StatementElement.RESOURCE,
               UndecidedKind.PRINCIPAL: StatementElement.PRINCIPAL,
               UndecidedKind.CONDITION: StatementElement.CONDITION}


@dataclass(frozen=True, slots=True)
class Undecided:
    """One thing the verdict depends on that the engine does not model: its kind and a readable text."""

    kind: UndecidedKind
    text: str

    @property
    def element(self) -> StatementElement | None:
        """The statement element it concerns (None for what is not about one statement)."""
        return _ELEMENT_OF.get(self.kind)


class Outcome(NamedTuple):
    """Why one statement did or did not apply to the request (applies None: undecided).

    ``because`` names the element that kept the statement from applying (applies False) or
    left it undecided (applies None); it is None when the statement applies.
    """

    ref: StatementRef
    applies: bool | None
    detail: str
    because: StatementElement | None = None


ACTION_MISS = "\x00action"
RESOURCE_MISS = "\x00resource"
RESOURCE_STAR_MISS = "\x00resource*"  # the action has no resource types: only Resource "*" covers it
CONDITION_MISS = "\x00condition:"
MATCH = "\x00match"


def explain(outcome: Outcome, request: Request) -> str:
    """The readable detail of one statement outcome."""
    detail = outcome.detail
    if not detail.startswith("\x00"):
        return detail
    statement = outcome.ref.policy.statements[outcome.ref.index]
    if detail == ACTION_MISS:
        element = "NotAction" if statement.not_action else "Action"
        return f"{element} {list(statement.actions.patterns)!r} does not cover {request.action}"
    if detail == RESOURCE_STAR_MISS:
        return (f"Resource {list(statement.resource_patterns)!r} does not cover *: {request.action} has no "
                "resource types in the Service Authorization Reference, so only Resource \"*\" grants it")
    if detail == RESOURCE_MISS:
        element = "NotResource" if statement.not_resource else "Resource"
        return f"{element} {list(statement.resource_patterns)!r} does not cover {request.resource}"
    if detail.startswith(CONDITION_MISS):
        clause = statement.clauses[int(detail[len(CONDITION_MISS):])]
        return "Condition not met: " + clause.explain(request.lowered_context)
    if statement.clauses:
        return "Action, Resource and Principal match; every Condition holds"
    return "Action, Resource and Principal match; no Condition"


@dataclass(frozen=True, slots=True)
class Evaluation:
    """The verdict for one request, with the statements that decided it and why."""

    decision: Decision
    deciding: tuple[StatementRef, ...]
    reason: str
    missing_context: tuple[str, ...] = ()
    undecided: tuple[Undecided, ...] = ()  # what an ``undecided`` verdict depends on, by kind
    outcomes: tuple[Outcome, ...] = field(default=(), repr=False)  # details may be codes: see explained()
    request: Request | None = field(default=None, repr=False)
    boundary_allowed: bool | None = None
    organizations_allowed: bool | None = None
    details: Mapping[str, Decision] = field(default_factory=dict)  # "IAM Policy"/"Resource Policy" sides
    # The policies evaluated, kept alive for explained() (statements hold their policy only weakly).
    policies: Any = field(default=(), repr=False, compare=False)

    @property
    def allowed(self) -> bool:
        """True only for an ``allowed`` decision."""
        return self.decision is Decision.ALLOWED

    @property
    def undecided_features(self) -> tuple[str, ...]:
        """The texts of ``undecided``: what the engine does not model and the verdict depends on."""
        return tuple(u.text for u in self.undecided)

    def explained(self) -> tuple[Outcome, ...]:
        """Every statement considered, with a readable detail of why it did or did not apply."""
        if self.request is None:
            return self.outcomes
        return tuple(Outcome(o.ref, o.applies, explain(o, self.request), o.because) for o in self.outcomes)

    @property
    def trace(self) -> tuple[str, ...]:
        """Every step of the explanation: the verdict, then each statement considered and why."""
        lines = [f"{self.decision.value}: {self.reason}"]
        for outcome in self.explained():
            verdict = "applies" if outcome.applies else ("undecided" if outcome.applies is None else "does not apply")
            lines.append(f"{outcome.ref.located()} {verdict}: {outcome.detail}")
        if self.missing_context:
            lines.append("missing context values: " + ", ".join(self.missing_context))
        return tuple(lines)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready summary (used by renderers)."""
        return {
            "decision": self.decision.value,
            "reason": self.reason,
            "deciding": [
                {"policy": ref.policy_id, "type": ref.policy_type.value, "sid": ref.sid, "index": ref.index,
                 "line": ref.start_line, "column": ref.start_column}
                for ref in self.deciding
            ],
            "missing_context": list(self.missing_context),
            "undecided_features": list(self.undecided_features),
            "trace": list(self.trace),
        }
