"""Unknown values inside policy documents: gluesim's marker for what an import could not resolve.

A policy written from a CloudFormation template can hold values known only after deployment:
a parameter nobody gave a value, the ARN of a resource type gluesim does not model, another
stack's export. The importers write such a value as the string ``<unknown: REASON>`` (or just
``<unknown>``), and the evaluator reads it as "may or may not match":

- in ``Resource``/``NotResource``: when no known entry of the list covers the request's
  resource, whether the statement applies is undecided;
- in ``Principal``/``NotPrincipal`` (any principal type): likewise, when no known entry names
  the request's principal;
- as a ``Condition`` value: the clause is undecided whenever the request carries the key
  (when it does not, the operator alone decides, as for any clause).

An undecided statement is settled by the evaluator's two readings (every undecided Allow
applying and every undecided Deny not, then the other way round), so a verdict is
``undecided`` exactly when the unknown value could change it. This is a gluesim extension to
IAM's grammar: IAM itself would refuse the marker (it is no ARN, account or principal), so no
real policy is read differently; ``docs/reference/scenario-format.md`` documents it.

This module is the whole feature; the evaluator calls it from three narrow hooks
(``elements.resource_pattern``, ``elements.clause``, ``principals.parse_principal``) and
``evaluate`` turns an unmatched unknown entry into an ``UndecidedKind.UNKNOWN_VALUE``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gluesim.simulator.iam.conditions import Clause, Operator

PREFIX = "<unknown"


def is_unknown(value: Any) -> bool:
    """True for the marker ``<unknown>`` or ``<unknown: REASON>``."""
    return (type(value) is str and value.startswith(PREFIX) and value.endswith(">")
            and (len(value) == len(PREFIX) + 1 or value[len(PREFIX)] == ":"))


def marker(reason: str = "") -> str:
    """The marker for an unknown value, naming why it is unknown."""
    return f"{PREFIX}: {reason}>" if reason else f"{PREFIX}>"


def reason(value: str) -> str:
    """The reason a marker gives ("" for a bare ``<unknown>``)."""
    return value[len(PREFIX) + 1:-1].strip()


def never(_: str) -> bool:
    """The matcher of an unknown Resource entry: it is never a certain match."""
    return False


def undecided_text(element: str, values: tuple[str, ...] | list[str]) -> str:
    """What an undecided statement depends on, for traces and ``UndecidedFeatures``."""
    reasons = "; ".join(dict.fromkeys(reason(v) or "no reason given" for v in values))
    return f"an unknown value in {element} ({reasons})"


class UnknownClause(Clause):
    """A Condition clause with an unknown value: undecided whenever the request carries its key."""

    __slots__ = ("raw",)

    def __init__(self, op: Operator, key: str, raw_values: tuple[str, ...]) -> None:
        self.raw = raw_values
        self.op = op
        self.key = key
        self.key_lower = key.lower()
        self.display = f"{op.name}: {key} {list(raw_values)!r}"
        self.templates = None
        self.values = ()

    def evaluate(self, context: Mapping[str, tuple[str, ...]]) -> tuple[bool | None, str | None]:
        """The operator's answer for an absent key (values do not matter then), else undecided."""
        if self.op.family is not None and not context.get(self.key_lower):
            return super().evaluate(context)
        return None, None

    def explain(self, context: Mapping[str, tuple[str, ...]]) -> str:
        """Why the clause is undecided (or fails, for an absent key)."""
        if self.op.family is not None and not context.get(self.key_lower):
            return super().explain(context)
        return f"{self.display}: {undecided_text('Condition', [v for v in self.raw if is_unknown(v)])}"
