"""``ContextEntries`` of a simulation: validated by their ``ContextKeyType`` and read as request context.

Types as in https://docs.aws.amazon.com/IAM/latest/APIReference/API_ContextEntry.html (string,
stringList, numeric, numericList, boolean, booleanList, ip, ipList, binary, binaryList, date,
dateList). A ``...List`` type is multivalued whatever its length, as AWS's simulator reads it.
"""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Mapping, Sequence
from typing import Any

from gluesim.kb.errors import LocatedError
from gluesim.simulator.iam.conditions import parse_date
from gluesim.simulator.iam.model import MultiValues

CONTEXT_TYPES = ("string", "numeric", "boolean", "ip", "binary", "date")
_SINGLE_TYPES = frozenset(CONTEXT_TYPES)


def context_entries(entries: Sequence[Mapping[str, Any]]) -> dict[str, tuple[str, ...]]:
    """Validate ``ContextEntries`` and return key -> values (``MultiValues`` for list types)."""
    context: dict[str, tuple[str, ...]] = {}
    for i, entry in enumerate(entries):
        name, kind, values = ((entry.get("ContextKeyName"), entry.get("ContextKeyType", "string"),
                               entry.get("ContextKeyValues")) if type(entry) is dict else (None, None, None))
        if type(name) is str and type(values) is list and len(values) == 1 and type(values[0]) is str and (
                kind in _SINGLE_TYPES and _valid(kind, values[0])):
            context[name] = (values[0],)  # the common entry, checked in one go
            continue
        where = f"ContextEntries[{i}]"
        if not isinstance(entry, Mapping) or not isinstance(entry.get("ContextKeyName"), str):
            raise LocatedError(where, "expected {'ContextKeyName': ..., 'ContextKeyValues': [...], "
                               "'ContextKeyType': 'string'}")
        kind = entry.get("ContextKeyType", "string")
        base = kind[:-4] if isinstance(kind, str) and kind.endswith("List") else kind
        if base not in CONTEXT_TYPES:
            raise LocatedError(f"{where}.ContextKeyType", f"{kind!r} is not a context key type; expected one of "
                               + ", ".join(t + s for t in CONTEXT_TYPES for s in ("", "List")))
        values = entry.get("ContextKeyValues", [])
        if isinstance(values, str) or not isinstance(values, Sequence) or not all(isinstance(v, str) for v in values):
            raise LocatedError(f"{where}.ContextKeyValues", "expected a list of strings")
        if len(values) > 1 and kind == base:
            raise LocatedError(f"{where}.ContextKeyValues", f"{len(values)} values for single-valued type {kind!r}; "
                               f"use {kind + 'List'!r}")
        for j, value in enumerate(values):
            if not _valid(base, value):
                raise LocatedError(f"{where}.ContextKeyValues[{j}]", f"{value!r} is not a valid {base} value")
        # A ...List type is multivalued whatever its length, as AWS's simulator reads it.
        context[entry["ContextKeyName"]] = MultiValues(values) if kind != base else tuple(values)
    return context


@functools.lru_cache(maxsize=4096)
def _valid(kind: str, value: str) -> bool:
    try:
        if kind == "numeric":
            float(value)
        elif kind == "boolean" and value.lower() not in ("true", "false"):
            return False
        elif kind == "ip":
            ipaddress.ip_network(value, strict=False)
        elif kind == "date":
            parse_date(value)
    except ValueError:
        return False
    return True
