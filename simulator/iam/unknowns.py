"""Context keys whose values the caller does not know: conditions on them are undecided, never guessed.

A request context normally lists the keys a request carries; any other key is absent, and a
condition on an absent key is decided the way AWS decides it (false, or true for negated and
``...IfExists`` operators). A caller that knows a real request *may* carry a key without knowing
its value (the time of the request, a principal's tags an export did not include) passes
``Request(unknown_key=predicate)``: a key the context lacks and the predicate accepts reads as
:data:`UNKNOWN`, every condition clause on it is undecided, and the evaluator's usual settling
of undecided statements (evaluate once optimistically, once pessimistically) gives a definite
verdict exactly when the verdict holds whatever the key's value, or its absence.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class UnknownValue(tuple):  # type: ignore[type-arg]
    """The value of a context key the request may carry, with a value the caller does not know."""

    __slots__ = ()


UNKNOWN = UnknownValue(("\x00unknown",))


def is_unknown(values: Any) -> bool:
    """Whether request context values are the unknown marker."""
    return type(values) is UnknownValue


class OpenContext(dict):  # type: ignore[type-arg]
    """A lower-cased request context whose missing keys may be unknown rather than absent.

    ``consulted`` records the unknown keys a policy looked at, in the order met (lower case).
    """

    __slots__ = ("unknown_key", "consulted")

    def __init__(self, known: dict[str, tuple[str, ...]], unknown_key: Callable[[str], bool]) -> None:
        super().__init__(known)
        self.unknown_key = unknown_key
        self.consulted: dict[str, None] = {}

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        found = dict.get(self, key)
        if found is not None:
            return found
        if self.unknown_key(key):
            self.consulted[key] = None
            return UNKNOWN
        return default


def unknown_keys_consulted(evaluation: Any) -> tuple[str, ...]:
    """The unknown context keys (lower case) the policies of ``evaluation`` looked at."""
    request = getattr(evaluation, "request", None)
    context = getattr(request, "lowered_context", None)
    return tuple(context.consulted) if isinstance(context, OpenContext) else ()
