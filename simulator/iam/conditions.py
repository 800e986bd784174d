"""Condition operators: parse policy values once, test request context values fast.

Semantics follow
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html and
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html:
- operators AND, keys within an operator AND, values of one key OR (NOR for negated operators);
- a key missing from the request makes a condition false, or true for negated operators
  (``StringNotLike``, ``ArnNotEquals``, ...), except ``...IfExists`` (true) and ``Null``;
- ``ForAnyValue:`` needs one request value to match (false for an empty or missing set);
  ``ForAllValues:`` needs every request value to match (true for an empty or missing set);
- a single-valued operator (no ``ForAnyValue:``/``ForAllValues:``) applied to a multivalued
  request key (more than one value, or a ``...List`` ContextKeyType) does not match. The
  documentation only says such keys need a set operator; AWS's own simulator
  (``SimulateCustomPolicy``) answers implicitDeny for ``StringLike``/``StringEquals`` there, and
  we follow it. For negated operators (``StringNotEquals``, ...) its answer was not observed, so
  the clause stays undecided.
"""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation
from typing import Any

from gluesim.simulator.iam import variables
from gluesim.simulator.iam.model import MultiValues, is_multivalued
from gluesim.simulator.iam.unknowns import is_unknown
from gluesim.simulator.iam.patterns import glob_matcher

Parse = Callable[[str], Any]
Test = Callable[[Any, Any], bool]  # (policy value, request value) -> positive match


@functools.lru_cache(maxsize=4096)
def _number(text: str) -> Decimal:
    value = Decimal(text.strip())
    if not value.is_finite():
        raise ValueError(text)
    return value


@functools.lru_cache(maxsize=4096)
def parse_date(text: str) -> float:
    """Seconds since the epoch for an ISO 8601 date/time or an epoch number.

    Date condition operators accept both forms:
    https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Date
    """
    text = text.strip()
    try:
        return float(_number(text))
    except (InvalidOperation, ValueError):
        pass
    moment = datetime.fromisoformat(text.replace("z", "Z"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp()


def _bool(text: str) -> str:
    lowered = text.strip().lower()
    if lowered not in ("true", "false"):
        raise ValueError(text)
    return lowered


def _network(text: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    return ipaddress.ip_network(text.strip(), strict=False)


@functools.lru_cache(maxsize=4096)
def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    text = text.strip()
    return ipaddress.ip_network(text, strict=False).network_address if "/" in text else ipaddress.ip_address(text)


def _in_network(network: Any, address: Any) -> bool:
    return network.version == address.version and address in network


def _arn_parts(text: str) -> tuple[str, ...]:
    return tuple(text.split(":", 5))


def _arn_pattern(text: str) -> tuple[Callable[[str], bool], ...] | None:
    parts = _arn_parts(text)
    if text == "*":
        return None
    return tuple(glob_matcher(part) for part in parts)


def _arn_test(pattern: tuple[Callable[[str], bool], ...] | None, value: str) -> bool:
    # ArnEquals and ArnLike both compare each of the six colon-separated parts on its own,
    # case-sensitively, with * and ? wildcards (Conditions_ARN section of the operators page).
    if pattern is None:
        return True
    parts = _arn_parts(value)
    return len(parts) == len(pattern) and all(match(part) for match, part in zip(pattern, parts))


@dataclass(frozen=True, slots=True)
class Family:
    """How one operator family reads policy values, reads request values and compares them."""

    name: str
    parse_policy: Parse
    parse_request: Parse
    test: Test
    variables: bool  # whether ${...} is substituted in policy values


def _identity(text: str) -> str:
    return text


STRING = Family("string", _identity, _identity, lambda p, v: p == v, True)
STRING_IC = Family("string", str.casefold, str.casefold, lambda p, v: p == v, True)
STRING_LIKE = Family("string", glob_matcher, _identity, lambda p, v: p(v), True)
NUMERIC = Family("numeric", _number, _number, lambda p, v: p == v, False)
DATE = Family("date", parse_date, parse_date, lambda p, v: p == v, False)
BOOL = Family("boolean", _bool, _bool, lambda p, v: p == v, True)
BINARY = Family("binary", _identity, _identity, lambda p, v: p == v, False)
IP = Family("IP address", _network, _address, _in_network, False)
ARN = Family("ARN", _arn_pattern, _identity, _arn_test, True)


def _cmp(family: Family, test: Test) -> Family:
    return Family(family.name, family.parse_policy, family.parse_request, test, family.variables)


# operator name -> (family, negated)
OPERATORS: dict[str, tuple[Family, bool]] = {
    "StringEquals": (STRING, False),
    "StringNotEquals": (STRING, True),
    "StringEqualsIgnoreCase": (STRING_IC, False),
    "StringNotEqualsIgnoreCase": (STRING_IC, True),
    "StringLike": (STRING_LIKE, False),
    "StringNotLike": (STRING_LIKE, True),
    "NumericEquals": (NUMERIC, False),
    "NumericNotEquals": (NUMERIC, True),
    "NumericLessThan": (_cmp(NUMERIC, lambda p, v: v < p), False),
    "NumericLessThanEquals": (_cmp(NUMERIC, lambda p, v: v <= p), False),
    "NumericGreaterThan": (_cmp(NUMERIC, lambda p, v: v > p), False),
    "NumericGreaterThanEquals": (_cmp(NUMERIC, lambda p, v: v >= p), False),
    "DateEquals": (DATE, False),
    "DateNotEquals": (DATE, True),
    "DateLessThan": (_cmp(DATE, lambda p, v: v < p), False),
    "DateLessThanEquals": (_cmp(DATE, lambda p, v: v <= p), False),
    "DateGreaterThan": (_cmp(DATE, lambda p, v: v > p), False),
    "DateGreaterThanEquals": (_cmp(DATE, lambda p, v: v >= p), False),
    "Bool": (BOOL, False),
    "BinaryEquals": (BINARY, False),
    "IpAddress": (IP, False),
    "NotIpAddress": (IP, True),
    "ArnEquals": (ARN, False),
    "ArnLike": (ARN, False),
    "ArnNotEquals": (ARN, True),
    "ArnNotLike": (ARN, True),
}
SET_PREFIXES = ("ForAnyValue:", "ForAllValues:")


class OperatorError(ValueError):
    """An operator name that IAM does not know."""


@dataclass(frozen=True, slots=True)
class Operator:
    """A parsed operator name: base operator, IfExists, set qualifier, or Null."""

    name: str
    base: str
    family: Family | None  # None for Null
    negated: bool
    if_exists: bool
    set_op: str | None  # "any" | "all" | None


def parse_operator(name: str) -> Operator:
    """Split ``ForAllValues:StringLikeIfExists`` into its parts; raise OperatorError if unknown."""
    set_op = None
    base = name
    for prefix in SET_PREFIXES:
        if name.startswith(prefix):
            set_op = "any" if prefix == "ForAnyValue:" else "all"
            base = name[len(prefix):]
    if base == "Null":
        if set_op is not None:
            raise OperatorError(name)
        return Operator(name, "Null", None, False, False, None)
    if_exists = base.endswith("IfExists")
    core = base[: -len("IfExists")] if if_exists else base
    if core not in OPERATORS:
        raise OperatorError(name)
    family, negated = OPERATORS[core]
    return Operator(name, core, family, negated, if_exists, set_op)


def operator_names() -> list[str]:
    """Every base operator name (for did-you-mean)."""
    return [*OPERATORS, "Null", *(f"{n}IfExists" for n in OPERATORS)]


class Clause:
    """One (operator, key, values) test of a Condition block."""

    __slots__ = ("op", "key", "key_lower", "values", "templates", "display")

    def __init__(self, op: Operator, key: str, raw_values: tuple[str, ...], use_variables: bool) -> None:
        self.op = op
        self.key = key
        self.key_lower = key.lower()
        self.display = f"{op.name}: {key} {list(raw_values)!r}"
        family = op.family
        templated = use_variables and family is not None and family.variables
        self.templates = tuple(variables.parse_template(v) for v in raw_values) if templated and any(
            variables.has_variables(v) for v in raw_values) else None
        if family is None:
            self.values: tuple[Any, ...] = tuple(_bool(v) for v in raw_values)
        elif self.templates is None:
            self.values = tuple(family.parse_policy(v) for v in raw_values)
        else:
            self.values = ()

    def evaluate(self, context: Mapping[str, tuple[str, ...]]) -> tuple[bool | None, str | None]:
        """(result, missing key); result None when undecided (``explain`` says why)."""
        present = context.get(self.key_lower)
        if is_unknown(present):  # the request may carry the key, with any value: undecided
            return None, None
        op = self.op
        if op.family is None:  # Null: "true" means the key must be absent
            return ("false" if present else "true") in self.values, None
        if not present:
            if op.if_exists or op.set_op == "all":
                return True, self.key
            if op.set_op == "any":
                return False, self.key
            return op.negated, self.key
        if op.set_op is None and (len(present) > 1 or type(present) is MultiValues):
            # As AWS's simulator answers (module docstring); negated operators stay undecided.
            return (None if op.negated else False), None
        try:
            policy_values = self._policy_values(context)
            request_values = [op.family.parse_request(v) for v in present]
        except variables.Unresolved as exc:
            return (None, None) if exc.multivalued or exc.unknown else (False, exc.key)
        except (ValueError, ArithmeticError, TypeError):
            return None, None
        test = op.family.test
        negated = op.negated
        if op.set_op == "all":
            return all(any(test(p, v) for p in policy_values) != negated for v in request_values), None
        return any(any(test(p, v) for p in policy_values) != negated for v in request_values), None

    def explain(self, context: Mapping[str, tuple[str, ...]]) -> str:
        """Why this clause holds, fails or is undecided for ``context`` (for traces)."""
        present = context.get(self.key_lower)
        op = self.op
        if is_unknown(present):
            return f"{self.display}: the request's value of {self.key} is not known"
        if not present:
            return f"{self.display}: {self.key} is absent from the request"
        if op.family is not None and op.set_op is None and is_multivalued(present):
            if op.negated:
                return f"{op.name} on multivalued key {self.key} (needs ForAnyValue:/ForAllValues:)"
            return (f"{self.display}: {self.key} is multivalued {list(present)!r}; a single-valued operator does "
                    "not match it (as AWS's simulator answers); use ForAnyValue:/ForAllValues:")
        try:
            self._policy_values(context)
            if op.family is not None:
                [op.family.parse_request(v) for v in present]
        except variables.Unresolved as exc:
            if exc.unknown:
                return f"{self.display}: policy variable ${{{exc.key}}} has a value that is not known"
            if exc.multivalued:
                return f"policy variable ${{{exc.key}}} refers to a multivalued key"
            return f"{self.display}: policy variable ${{{exc.key}}} has no value"
        except (ValueError, ArithmeticError, TypeError):
            kind = op.family.name if op.family is not None else "value"
            return f"{op.name}: request value {list(present)!r} of {self.key} is not a valid {kind}"
        return f"{self.display}: request has {list(present)!r}"

    def _policy_values(self, context: Mapping[str, tuple[str, ...]]) -> tuple[Any, ...]:
        if self.templates is None:
            return self.values
        family = self.op.family
        assert family is not None
        resolved = [variables.resolve(t, context) for t in self.templates]
        if family is STRING_LIKE or family is ARN:  # substituted * and ? stay literal
            return tuple(family.parse_policy(r) for r in resolved)
        return tuple(family.parse_policy(variables.unprotect(r)) for r in resolved)
