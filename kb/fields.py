"""Read typed fields out of YAML mappings, failing with one located line per problem.

Used by the KB loader; every reader takes the mapping, the key and the file name, and
raises :class:`LocatedError` at ``file:line`` of the offending key or item.
"""

from __future__ import annotations

from typing import Any, TypeVar

from gluesim.kb import yamlsafe
from gluesim.kb.errors import LocatedError, did_you_mean

E = TypeVar("E")


def check_keys(raw: yamlsafe.Mapping, keys: dict[str, bool], name: str, what: str) -> None:
    """Refuse keys not in ``keys`` (with "did you mean") and missing required ones (``keys[k]`` is True)."""
    allowed = sorted(keys)
    for key in raw:
        if key not in keys:
            hint = did_you_mean(str(key), allowed) or f"; expected one of: {', '.join(allowed)}"
            raise LocatedError(f"{name}:{raw.line_of(key)}", f"unknown key {key!r} in {what}{hint}")
    for key, required in keys.items():
        if required and key not in raw:
            raise LocatedError(f"{name}:{raw.line}", f"{what} is missing the required key {key!r}")


def text(raw: yamlsafe.Mapping, key: str, name: str) -> str:
    """The non-empty string at ``key``, stripped."""
    value = raw[key]
    if not isinstance(value, str) or not value.strip():
        raise LocatedError(f"{name}:{raw.line_of(key)}", f"{key!r} must be a non-empty string; got {value!r}")
    return value.strip()


def optional_text(raw: yamlsafe.Mapping, key: str, name: str) -> str | None:
    """Like :func:`text`, or None when the key is absent."""
    return text(raw, key, name) if key in raw else None


def text_list(raw: yamlsafe.Mapping, key: str, name: str, allow_empty: bool = False) -> tuple[str, ...]:
    """The list of non-empty strings at ``key`` (absent means empty, if ``allow_empty``)."""
    value = raw.get(key, [])
    where = f"{name}:{raw.line_of(key)}"
    if not isinstance(value, list) or (not value and not allow_empty):
        raise LocatedError(where, f"{key!r} must be a {'' if allow_empty else 'non-empty '}list of strings")
    for index, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            raise LocatedError(f"{name}:{line(value, index, raw.line)}", f"{key!r} items must be non-empty strings")
    return tuple(item.strip() for item in value)


def choice(raw: yamlsafe.Mapping, key: str, enum_type: type[E], name: str) -> E:
    """The enum member named by the value at ``key``."""
    value = raw[key]
    allowed = [member.value for member in enum_type]  # type: ignore[attr-defined]
    if value not in allowed:
        hint = did_you_mean(str(value), allowed) or f"; expected one of: {', '.join(allowed)}"
        raise LocatedError(f"{name}:{raw.line_of(key)}", f"unknown {key} {value!r}{hint}")
    return enum_type(value)  # type: ignore[call-arg]


def choices(raw: yamlsafe.Mapping, key: str, enum_type: type[E], name: str) -> list[E]:
    """The enum members named by the list at ``key`` (absent means none)."""
    values = text_list(raw, key, name, allow_empty=True)
    allowed = [member.value for member in enum_type]  # type: ignore[attr-defined]
    for index, value in enumerate(values):
        if value not in allowed:
            hint = did_you_mean(value, allowed) or f"; expected one of: {', '.join(allowed)}"
            raise LocatedError(f"{name}:{line(raw[key], index, raw.line)}", f"unknown {key} value {value!r}{hint}")
    return [enum_type(value) for value in values]  # type: ignore[call-arg]


def line(container: Any, index: int, default: int) -> int:
    """Line of item ``index`` of a YAML list, or ``default`` when unknown."""
    found = yamlsafe.line_of(container, index)
    return default if found is None else found
