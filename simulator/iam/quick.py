"""The quick reading of a policy text: valid policies of the common shape, with no per-key hook.

A one-shot request (every policy text new, as boto3 passes them to ``simulate_custom_policy``)
pays for parsing and compiling every policy it brings. The careful reading (``grammar``) parses
with the standard library's decoder and a duplicate-key hook, a Python call for every JSON
object. Here orjson parses (a maintained C library, about twice as fast as the standard
library's C decoder on policy texts; with it a one-shot request is some 12% faster, see
bench/README.md; imported on first use, as it takes some 7 ms to import) and duplicate keys are
found by counting instead: in a text without a backslash every JSON string is delimited by
exactly two ``"`` characters, and a duplicate key drops a key (and its value) from the parsed
object, so the text has no duplicate key exactly when the strings of the parsed document (keys
and string values, counted while compiling) number half of its ``"``. Numbers, which orjson and
the standard library may read differently (orjson reads a very long integer as a float), never
reach a compiled policy here: a document with a number anywhere is read carefully.

The quick reading takes only what it can read without doubt: a text without a backslash, that
orjson accepts, whose every element has the common shape (strings and lists of strings;
condition values as strings) and compiles through the same cached element builders as the careful
reading, with unique Sids and no duplicate key. Anything else, valid or not, returns None and is
read carefully, which also reports the first problem of a malformed policy; so both readings give
the same compiled policy, and the same error (a property test compares them).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from gluesim.simulator.iam import conditions, elements
from gluesim.simulator.iam.compiled import STATEMENT_KEYS, TAKES_PRINCIPAL, VERSIONS, Policy, Statement
from gluesim.simulator.iam.model import PolicyType
from gluesim.simulator.iam.principals import PrincipalSet, parse_principal

_KEYS = frozenset(STATEMENT_KEYS)
_TOP_KEYS = frozenset(("Version", "Id", "Statement"))
_ELEMENT_FAILURES = (elements.Bad, TypeError)  # a bad value, or an unhashable one (a list or an object)
_CLAUSE_FAILURES = (ValueError, ArithmeticError, TypeError)  # OperatorError is a ValueError


@functools.cache
def _loads() -> Callable[[str], Any]:
    import orjson

    return orjson.loads  # type: ignore[no-any-return]


class _Skip(Exception):
    """Not for the quick reading: read the text carefully."""


def compile_text(text: str, policy: Policy) -> Policy | None:
    """``policy`` compiled from ``text``, or None when the careful reading must decide."""
    if "\\" in text:
        return None
    try:
        data = _loads()(text)
    except (ValueError, RecursionError):  # orjson.JSONDecodeError is a ValueError
        return None
    try:
        strings = _document(data, policy)
    except _Skip:
        return None
    return policy if 2 * strings == text.count('"') else None


def _document(data: Any, policy: Policy) -> int:
    """Compile ``data`` into ``policy``; the number of JSON strings read (keys and values)."""
    if type(data) is not dict or not data.keys() <= _TOP_KEYS:
        raise _Skip
    strings = len(data)
    version = data.get("Version")
    if version is not None:
        if version not in VERSIONS:
            raise _Skip
        strings += 1
    if "Id" in data:
        if type(data["Id"]) is not str:
            raise _Skip
        strings += 1
    raw = data.get("Statement")
    items = raw if type(raw) is list else [raw]
    if not items:
        raise _Skip
    policy.version = version
    statements, read = _statements(items, policy, version == "2012-10-17")
    policy.statements = statements
    sids = [s.sid for s in statements if s.sid]
    if len(sids) != len(set(sids)):
        raise _Skip
    return strings + read


def _statements(items: list[Any], policy: Policy, variables: bool) -> tuple[tuple[Statement, ...], int]:
    """The compiled statements and the number of JSON strings in them.

    One loop with the common case inline: this is the innermost work of a one-shot request.
    """
    kind = policy.policy_type
    takes_principal = kind in TAKES_PRINCIPAL
    trust = kind is PolicyType.TRUST  # a trust policy may omit Resource
    action_set, resource_set, shapes = elements.action_set, elements.resource_set, _SHAPES
    statements = []
    strings = 0
    for index, raw in enumerate(items):
        if type(raw) is not dict:
            raise _Skip
        shape = shapes.get(tuple(raw))
        if shape is None:
            shape = _shape(tuple(raw))
        action_key, resource_key, principal_key, has_condition = shape
        sid = raw.get("Sid")
        effect = raw.get("Effect")
        if (sid is not None and type(sid) is not str) or (effect != "Allow" and effect != "Deny"):
            raise _Skip
        strings += len(raw) + 1 + (sid is not None)  # keys, Effect, Sid
        action = raw[action_key]
        try:
            if type(action) is str:
                actions = action_set((action,))
                strings += 1
            elif type(action) is list and action:
                actions = action_set(tuple(action))
                strings += len(action)
            else:
                raise _Skip
            statement = Statement(policy, index, sid, effect == "Allow", actions, action_key == "NotAction")
            if resource_key is None:
                if not trust:  # only a trust policy may have neither Resource nor NotResource
                    raise _Skip
            else:
                resource = raw[resource_key]
                if type(resource) is str:
                    statement.resources = resource_set((resource,), variables)
                    strings += 1
                elif type(resource) is list and resource:
                    statement.resources = resource_set(tuple(resource), variables)
                    strings += len(resource)
                else:
                    raise _Skip
                statement.not_resource = resource_key == "NotResource"
        except _ELEMENT_FAILURES:
            raise _Skip from None
        if principal_key is not None or takes_principal:
            strings += _principals(raw, principal_key, statement, takes_principal)
        if has_condition:
            statement.clauses, read = _conditions(raw["Condition"], variables)
            strings += read
        statements.append(statement)
    return tuple(statements), strings


_Shape = tuple[str, str | None, str | None, bool]
_SHAPES: dict[tuple[str, ...], _Shape] = {}


def _shape(keys: tuple[str, ...]) -> _Shape:
    """Which element of each pair a statement with these keys has, and whether it has a Condition.

    (Action or NotAction, Resource or NotResource or None, Principal or NotPrincipal or None,
    Condition?); _Skip when a pair has both, there is no Action or NotAction, or a key is unknown.
    Remembered per key order: statements share a few.
    """
    present = set(keys)
    if not present <= _KEYS:
        raise _Skip
    pairs = []
    for one, other in (("Action", "NotAction"), ("Resource", "NotResource"), ("Principal", "NotPrincipal")):
        if one in present and other in present:
            raise _Skip
        pairs.append(one if one in present else other if other in present else None)
    if pairs[0] is None:
        raise _Skip
    shape = (pairs[0], pairs[1], pairs[2], "Condition" in present)
    if len(_SHAPES) < 1024:
        _SHAPES[keys] = shape
    return shape


def _strings(raw: Any) -> tuple[tuple[Any, ...], int]:
    """A string-or-list value as a tuple, and how many strings it holds (if its values are strings)."""
    if type(raw) is str:
        return (raw,), 1
    if type(raw) is not list or not raw:
        raise _Skip
    return tuple(raw), len(raw)


def _principals(raw: dict[str, Any], key: str | None, statement: Statement, takes_principal: bool) -> int:
    """Read Principal or NotPrincipal (``key``) into ``statement``; the number of JSON strings in it."""
    if key is None or not takes_principal:
        raise _Skip
    value = raw[key]
    statement.not_principal = key == "NotPrincipal"
    if value == "*":
        statement.principals = _principal_set("*")
        return 1
    if type(value) is not dict:
        raise _Skip
    strings = len(value)
    key = []
    for name, entry in value.items():
        values, count = _strings(entry)
        key.append((name, values))
        strings += count
    try:
        statement.principals = _principal_set(tuple(key))
    except (ValueError, TypeError):  # malformed, or an unhashable value
        raise _Skip from None
    return strings


def _conditions(raw: Any, variables: bool) -> tuple[tuple[conditions.Clause, ...], int]:
    """The clauses of a Condition element, and the number of JSON strings in it."""
    if type(raw) is not dict:
        raise _Skip
    clauses = []
    strings = len(raw)
    clause = elements.clause
    for op_name, block in raw.items():
        if type(block) is not dict or not block:
            raise _Skip
        strings += len(block)
        for key, raw_values in block.items():
            if type(raw_values) is str:
                values: tuple[Any, ...] = (raw_values,)
                strings += 1
            else:
                values, count = _strings(raw_values)
                for value in values:
                    if type(value) is not str:  # numbers and booleans: read carefully
                        raise _Skip
                strings += count
            try:
                clauses.append(clause(op_name, key, values, variables))
            except _CLAUSE_FAILURES:
                raise _Skip from None
    return elements.shared_clauses(tuple(clauses)), strings


@functools.lru_cache(maxsize=4096)
def _principal_set(key: str | tuple[tuple[str, tuple[Any, ...]], ...]) -> PrincipalSet:
    """``parse_principal`` of ``"*"`` or of an object given as (type, values) pairs; ValueError if malformed."""
    if key == "*":
        return parse_principal("*")
    return parse_principal({name: list(values) for name, values in key})


def clear_caches() -> None:
    """Forget the principal sets read."""
    _principal_set.cache_clear()
