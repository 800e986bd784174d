"""The compiled forms of a policy: ``Policy`` (statements indexed by service), ``Statement``, ``PolicyText``.

No reference cycles: a policy holds its statements and its ``PolicyText``; a statement holds
its ``StatementRef``, which holds the ``PolicyText`` (enough to locate the statement); the
``PolicyText`` holds the policy only weakly. So a policy that nobody uses any more is freed at
once by reference counting, and the garbage collector is not kept busy by the policies that
one-shot requests compile and forget. (An ``Evaluation`` keeps the policies it read alive.)
"""

from __future__ import annotations

import weakref

from gluesim.simulator.iam import conditions, jsontext, spans
from gluesim.simulator.iam.elements import ResourcePattern
from gluesim.simulator.iam.model import PolicyType, StatementRef
from gluesim.simulator.iam.patterns import ActionSet
from gluesim.simulator.iam.principals import PrincipalSet

VERSIONS = ("2012-10-17", "2008-10-17")
STATEMENT_KEYS = ("Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource",
                  "NotResource", "Condition")
# Policy types whose statements name a Principal (resource-based policies).
TAKES_PRINCIPAL = (PolicyType.RESOURCE, PolicyType.TRUST, PolicyType.RCP, PolicyType.VPC_ENDPOINT)


class PolicyText:
    """Who a policy is and its text: where its statements are located, for ``StatementRef``."""

    __slots__ = ("policy_id", "policy_type", "text", "_policy", "_spans")

    def __init__(self, policy: Policy) -> None:
        self.policy_id = policy.policy_id
        self.policy_type = policy.policy_type
        self.text = policy.text
        self._policy = weakref.ref(policy)
        self._spans: dict[int, tuple[int, int, int, int]] = {}  # statement spans, each made on first use

    @property
    def policy(self) -> Policy:
        """The compiled policy (which must still be in use)."""
        policy = self._policy()
        assert policy is not None, "a statement outlived its policy"
        return policy

    def statement_span(self, index: int) -> tuple[int, int, int, int]:
        """(start line, start column, end line, end column) of statement ``index`` (computed on first use)."""
        found = self._spans.get(index)
        if found is None:
            # Only statements that are reported are located: most of a one-shot request's never are.
            start, end = spans.statement_span(self.text, index)
            found = self._spans[index] = (*jsontext.line_column(self.text, start),
                                          *jsontext.line_column(self.text, end))
        return found


class Statement:
    """One compiled statement. Internal: the evaluator reads it, users see its StatementRef."""

    __slots__ = ("policy_text", "index", "sid", "allow", "actions", "not_action", "resources", "not_resource",
                 "principals", "not_principal", "clauses", "_ref")

    def __init__(self, policy: Policy, index: int, sid: str | None, allow: bool, actions: ActionSet,
                 not_action: bool) -> None:
        self.policy_text = policy.policy_text
        self.index = index
        self.sid = sid
        self.allow = allow
        self.actions = actions
        self.not_action = not_action
        self.resources: tuple[ResourcePattern, ...] | None = None  # None: no Resource element (trust)
        self.not_resource = False
        self.principals: PrincipalSet | None = None
        self.not_principal = False
        self.clauses: tuple[conditions.Clause, ...] = ()
        self._ref: StatementRef | None = None

    @property
    def policy(self) -> Policy:
        """The policy this statement belongs to (which must still be in use)."""
        return self.policy_text.policy

    @property
    def resource_patterns(self) -> tuple[str, ...]:
        """The Resource (or NotResource) patterns as written."""
        return tuple(r.text for r in self.resources or ())

    @property
    def ref(self) -> StatementRef:
        """Who this statement is (made on first use: compiling stays cheap)."""
        ref = self._ref
        if ref is None:
            source = self.policy_text
            ref = self._ref = StatementRef(source.policy_id, source.policy_type, self.sid, self.index, source)
        return ref


class Policy:
    """A compiled policy: statements in document order, indexed by action service prefix."""

    __slots__ = ("policy_id", "policy_type", "source_name", "text", "version", "statements", "_for_service",
                 "_positions", "policy_text", "__weakref__")

    def __init__(self, policy_id: str, policy_type: PolicyType, source_name: str, text: str,
                 version: str | None) -> None:
        self.policy_id = policy_id
        self.policy_type = policy_type
        self.source_name = source_name
        self.text = text
        self.version = version
        self.statements: tuple[Statement, ...] = ()
        self._for_service: dict[str, tuple[Statement, ...]] = {}
        self._positions: jsontext.Positions | None = None
        self.policy_text = PolicyText(self)

    def __repr__(self) -> str:
        return f"Policy({self.policy_id!r}, {self.policy_type.value}, {len(self.statements)} statements)"

    def candidates(self, service: str) -> tuple[Statement, ...]:
        """Statements that can match an action of ``service`` (lower case), in document order."""
        found = self._for_service.get(service)
        if found is None:
            # Indexed on first use, per service: a new policy is often evaluated for one
            # service only, so indexing every service at compile time would be wasted.
            found = self._for_service[service] = tuple(
                [s for s in self.statements if s.not_action or s.actions.everything or service in s.actions.services])
        return found

    def positions(self) -> jsontext.Positions:
        """Where each value of the policy text sits (computed on first use)."""
        if self._positions is None:
            self._positions = jsontext.Positions(self.text)
        return self._positions

    def statement_span(self, index: int) -> tuple[int, int, int, int]:
        """(start line, start column, end line, end column) of statement ``index`` (computed on first use)."""
        return self.policy_text.statement_span(index)
