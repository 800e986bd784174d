"""One evaluated IAM request (:class:`IamCheck`) and what can cloud it: unknown pieces of the account."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from gluesim.simulator.engine.requestctx import RequestKeys


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
    keys: RequestKeys | None = field(default=None, compare=False)  # the full request context
    unknown_keys: tuple[str, ...] = field(default=())  # keys with unknown values the decision depends on
    owner_unknown: bool = False  # the resource's owner account is unknown and the decision depends on it

    @property
    def carried(self) -> Mapping[str, tuple[str, ...]]:
        """Every key the request carried, with its value."""
        return self.keys.known if self.keys is not None else self.context

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
