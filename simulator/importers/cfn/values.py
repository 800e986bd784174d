"""Typed reads of resolved property values for the template reader (mixed into it).

Each read says what it expected; an :class:`Unknown` value is reported once, located, and
read as "not given" (a string, mapping or list) or kept as :class:`Unknown` (a policy), so the
caller can mark what it clouds instead of guessing.
"""

from __future__ import annotations

from typing import Any

from gluesim.kb.errors import LocatedError
from gluesim.simulator.importers import records as r
from gluesim.simulator.importers.cfn.intrinsics import NO_VALUE, Unknown
from gluesim.simulator.importers.cfn.policy_values import mark_unknowns
from gluesim.simulator.importers.common import decode_policy_document


class ValueReader:
    """Typed property reads; expects ``notices`` and ``r`` (the template's resolver)."""

    def text(self, value: Any, where: str, what: str) -> str | None:
        """A string property; an unknown one is reported and becomes None."""
        if value is None or value is NO_VALUE:
            return None
        if isinstance(value, Unknown):
            self.notices.unknown(where, f"{what} is unknown: {value.reason}")
            return None
        if isinstance(value, (dict, list)):
            raise LocatedError(where, f"{what} must be a string, not {_preview(value)}")
        return str(value).lower() if isinstance(value, bool) else str(value)

    def obj(self, value: Any, where: str, what: str) -> dict[str, Any]:
        """A mapping property (missing: empty; unknown: reported, empty)."""
        if value is None or value is NO_VALUE:
            return {}
        if isinstance(value, Unknown):
            self.notices.unknown(where, f"{what} is unknown: {value.reason}")
            return {}
        if not isinstance(value, dict):
            raise LocatedError(where, f"{what} must be a mapping, not {_preview(value)}")
        return value

    def seq(self, value: Any, where: str, what: str) -> list[Any]:
        """A list property (missing: empty; unknown: reported, empty)."""
        if value is None or value is NO_VALUE:
            return []
        if isinstance(value, Unknown):
            self.notices.unknown(where, f"{what} is unknown: {value.reason}")
            return []
        if not isinstance(value, list):
            raise LocatedError(where, f"{what} must be a list, not {_preview(value)}")
        return value

    def texts(self, value: Any, where: str, what: str) -> tuple[str, ...]:
        """A string or list of strings; unknown items are reported and left out."""
        if isinstance(value, Unknown):
            self.notices.unknown(where, f"{what} is unknown: {value.reason}")
            return ()
        items = value if isinstance(value, list) else ([] if value is None else [value])
        return tuple(t for t in (self.text(item, where, what) for item in items) if t is not None)

    def policy(self, value: Any, name: str, where: str, what: str, at: tuple[Any, ...] = ()) -> r.PolicyDoc | Unknown | None:
        """A policy document (None: not given; :class:`Unknown`: given, but it cannot be known offline).

        Values known only after deployment inside it are written as ``<unknown: ...>`` markers
        (``policy_values``); ``at`` is ``(logical id, property keys...)`` of the document in the
        template, so errors found later point at its lines (or JSON path).
        """
        if value is None or value is NO_VALUE:
            return None
        if isinstance(value, Unknown):
            self.notices.unknown(where, f"{what} is unknown: {value.reason}")
            return value
        marked = mark_unknowns(decode_policy_document(value, where))
        if marked.document is None:
            self.notices.unknown(where, f"{what} is unknown: {marked.reasons[0]}")
            return Unknown(marked.reasons[0])
        if marked.reasons:
            self.notices.unknown(where, f"{what} holds values known only after deployment ({'; '.join(marked.reasons)}); "
                                 "written as <unknown: ...>, so the verdicts they decide are unknown")
        node = self.raw(*at) if at else None
        return r.PolicyDoc(name, marked.document, self.policy_origin(node, at, where), node)

    def policy_origin(self, node: Any, at: tuple[Any, ...], where: str) -> str:
        """``file:line`` of a policy document's own node, else its JSON path, else the resource's location."""
        line = getattr(node, "line", None)
        if line:
            return f"{self.r.name}:{line}"
        if at:
            keys = "".join(f"[{k}]" if isinstance(k, int) else f".{k}" for k in at[1:])
            return f"{self.r.name}: Resources.{at[0]}.Properties{keys}"
        return where

    def raw(self, logical_id: str, *keys: str | int) -> Any:
        """The template's own (unresolved) node at ``Resources.<id>.Properties.<keys...>``, or None."""
        node: Any = self.r.resources.get(logical_id)
        for key in ("Properties", *keys):
            if isinstance(key, int):
                node = node[key] if isinstance(node, list) and key < len(node) else None
            else:
                node = node.get(key) if isinstance(node, dict) else None
        return node


def _preview(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
