"""Policy documents from a template, with the values only known after deployment marked as unknown.

A resolved policy may hold :class:`Unknown` values (a parameter with no value, the ARN of a
resource type gluesim does not model). Where IAM's grammar has a list of values the evaluator
can read as "may or may not match" (``Resource``/``NotResource``, ``Principal``/``NotPrincipal``
entries, ``Condition`` values), the value becomes gluesim's marker ``<unknown: REASON>``
(``gluesim.simulator.iam.unknown_values``), which the written scenario keeps. Anywhere else (an
``Action``, an ``Effect``, a whole statement or condition block) no marker can stand in, so the
whole document is unknown and the caller marks its owner instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gluesim.simulator.iam.unknown_values import marker
from gluesim.simulator.importers.cfn.intrinsics import Unknown

VALUE_LISTS = ("Resource", "NotResource")
PRINCIPALS = ("Principal", "NotPrincipal")


@dataclass(frozen=True, slots=True)
class Marked:
    """A policy document with markers (``document`` None: it cannot be written), and why."""

    document: dict[str, Any] | None
    reasons: tuple[str, ...]


def mark_unknowns(document: dict[str, Any]) -> Marked:
    """The document with every :class:`Unknown` replaced by a marker, or None when one sits where none can."""
    reasons: list[str] = []
    try:
        marked = _document(document, reasons)
    except _Unmarkable as exc:
        return Marked(None, (exc.reason,))
    return Marked(marked, tuple(dict.fromkeys(reasons)))


class _Unmarkable(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _document(document: dict[str, Any], reasons: list[str]) -> dict[str, Any]:
    out = dict(document)
    statements = document.get("Statement")
    if isinstance(statements, list):
        out["Statement"] = [_statement(s, reasons) for s in statements]
    elif isinstance(statements, dict):
        out["Statement"] = _statement(statements, reasons)
    _refuse(out)
    return out


def _statement(statement: Any, reasons: list[str]) -> Any:
    if not isinstance(statement, dict):
        return statement
    out = dict(statement)
    for key in VALUE_LISTS:
        if key in out:
            out[key] = _values(out[key], reasons)
    for key in PRINCIPALS:
        if isinstance(out.get(key), dict):
            out[key] = {k: _values(v, reasons) for k, v in out[key].items()}
        elif isinstance(out.get(key), Unknown):
            out[key] = {"AWS": _values(out[key], reasons)}
    if isinstance(out.get("Condition"), dict):
        out["Condition"] = {op: {k: _values(v, reasons) for k, v in block.items()} if isinstance(block, dict) else block
                            for op, block in out["Condition"].items()}
    return out


def _values(value: Any, reasons: list[str]) -> Any:
    """A string-or-list element with its unknowns marked."""
    if isinstance(value, Unknown):
        reasons.append(value.reason)
        return [marker(value.reason)]
    if isinstance(value, list):
        return [_values(v, reasons)[0] if isinstance(v, Unknown) else v for v in value]
    return value


def _refuse(node: Any) -> None:
    """Raise when an unknown is left anywhere in ``node`` (after the markable places were marked)."""
    if isinstance(node, Unknown):
        raise _Unmarkable(node.reason)
    if isinstance(node, dict):
        for value in node.values():
            _refuse(value)
    elif isinstance(node, list):
        for value in node:
            _refuse(value)
