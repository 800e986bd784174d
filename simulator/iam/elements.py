"""Compilers for the elements of a statement, cached by their text and shared between policies.

Action names: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
Resources: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

from gluesim.simulator.iam import conditions, unknown_values, variables
from gluesim.simulator.iam.patterns import ActionSet, arn_matcher

_ACTION = re.compile(r"^[a-z0-9][a-z0-9-]*:[A-Za-z0-9_*?-]+$", re.I)
_SERVICE = re.compile(r"^[a-z0-9*?][a-z0-9-*?]*$", re.I)


class ResourcePattern:
    """One Resource/NotResource entry: a fixed pattern (``template`` None), or a template with policy variables.

    The matcher of a fixed pattern is built on first use (``match or matcher()``): most
    statements of a one-shot request are never matched against a resource, and building a
    matcher may compile a regular expression.
    """

    __slots__ = ("text", "match", "template")

    def __init__(self, text: str, use_variables: bool) -> None:
        self.text = text
        if unknown_values.is_unknown(text):  # gluesim's unknown-value marker: never a certain match
            self.template, self.match = None, unknown_values.never
            return
        self.template = variables.parse_template(text) if use_variables and variables.has_variables(text) else None
        self.match: Callable[[str], bool] | None = None

    def matcher(self) -> Callable[[str], bool]:
        """The matcher of a fixed pattern, built once."""
        if self.match is None:
            self.match = arn_matcher(self.text)
        return self.match


class Bad(ValueError):
    """A bad value at position ``index`` of an element's list."""

    def __init__(self, index: int, what: str) -> None:
        super().__init__(what)
        self.index = index
        self.what = what


def _check_strings(values: tuple[Any, ...]) -> None:
    # Every value's type is checked before any value's content, so that the first non-string
    # is the error reported (the compiler relies on this to try these caches first).
    for i, value in enumerate(values):
        if type(value) is not str:
            raise Bad(i, f"{value!r} is {kind(value)}; expected a string")


@functools.lru_cache(maxsize=8192)
def action_set(values: tuple[Any, ...]) -> ActionSet:
    _check_strings(values)
    for i, value in enumerate(values):
        problem = action_problem(value)
        if problem is not None:
            raise Bad(i, problem)
    return ActionSet(values)


# The caches below are per value: lists of actions and resources vary much more than the
# values in them, so a list never seen before is mostly made of values already checked.
@functools.lru_cache(maxsize=16384)
def action_problem(value: str) -> str | None:
    """What is wrong with an Action/NotAction value, or None."""
    prefix = value.partition(":")[0]
    if value != "*" and ":" in value and ("*" in prefix or "?" in prefix):
        return f"{value!r} wildcards the service prefix; the service prefix must be spelt out"
    if value != "*" and not _ACTION.match(value):
        return f"{value!r} is not an action; expected 'service:Action', e.g. 'glue:CreateJob'"
    return None


@functools.lru_cache(maxsize=8192)
def resource_set(values: tuple[Any, ...], use_variables: bool) -> tuple[ResourcePattern, ...]:
    try:  # the common case: every value a well-formed pattern already checked on its own
        return tuple([resource_pattern(value, use_variables) for value in values])
    except (ValueError, TypeError, AttributeError):  # a malformed, unhashable or non-string value
        pass
    _check_strings(values)
    for i, value in enumerate(values):
        try:
            resource_pattern(value, use_variables)
        except ValueError as exc:
            raise Bad(i, str(exc)) from None
    raise AssertionError("resource_set: a value failed and then passed")


@functools.lru_cache(maxsize=16384)
def resource_pattern(value: str, use_variables: bool) -> ResourcePattern:
    """One checked Resource/NotResource value, shared by every statement naming it; ValueError if malformed."""
    if not unknown_values.is_unknown(value):
        check_resource(value, ValueError)
    return ResourcePattern(value, use_variables)


@functools.lru_cache(maxsize=1024)
def operator(name: str) -> conditions.Operator:
    return conditions.parse_operator(name)


@functools.lru_cache(maxsize=8192)
def clause(op_name: str, key: str, values: tuple[str, ...], use_variables: bool) -> conditions.Clause:
    if any(unknown_values.is_unknown(v) for v in values):
        return unknown_values.UnknownClause(operator(op_name), key, values)
    return conditions.Clause(operator(op_name), key, values, use_variables)


@functools.lru_cache(maxsize=8192)
def shared_clauses(clauses: tuple[conditions.Clause, ...]) -> tuple[conditions.Clause, ...]:
    """One tuple for every statement with the same clauses: fewer live objects for the garbage collector."""
    return clauses


def parses(op: conditions.Operator, value: str) -> bool:
    try:
        conditions.Clause(op, "k", (value,), False)
    except (ValueError, ArithmeticError):
        return False
    return True


def check_resource(value: str, fail: Callable[[str], Exception]) -> None:
    """Raise ``fail(what)`` unless ``value`` is ``*`` or a well-formed ARN pattern.

    The service segment cannot hold a wildcard:
    https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
    """
    if value == "*":
        return
    parts = value.split(":", 5)
    if parts[0] != "arn" or len(parts) < 6 and not value.endswith("*"):
        raise fail(f"{value!r} is not an ARN; expected '*' or 'arn:partition:service:region:account:resource'")
    if len(parts) > 2 and (not parts[2] or not _SERVICE.match(parts[2])):
        raise fail(f"{value!r} has an invalid service segment {parts[2]!r}; expected e.g. 's3' or 'glue'")
    if len(parts) > 2 and len(parts) >= 6 and any(c in parts[2] for c in "*?"):
        raise fail(f"{value!r} wildcards the service segment; AWS does not allow wildcards there")


def kind(value: Any) -> str:
    if value is None:
        return "null"
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean",
            int: "a number", float: "a number"}.get(type(value), type(value).__name__)


def clear_caches() -> None:
    """Forget every compiled element (and the pattern matchers they share)."""
    from gluesim.simulator.iam import patterns

    for cached in (action_set, action_problem, resource_set, resource_pattern, operator, clause, shared_clauses,
                   patterns.arn_matcher, patterns.glob_matcher):
        cached.cache_clear()
