"""A small JSON Schema validator for YAML loaded by ``kb.yamlsafe``, with located errors.

It understands the subset of draft 2020-12 the scenario schema uses ($ref into
$defs, anyOf, type, enum, pattern, minimum/maximum, properties, required,
additionalProperties, min/maxProperties, items) plus our ``x-`` annotations:
``x-kind``/``x-key`` register named entries (duplicates are errors) and ``x-ref``
records references, which the scenario loader resolves afterwards.
Every error is ``file:line: <path>: what; expected``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from gluesim.kb.errors import LocatedError, did_you_mean
from gluesim.kb.yamlsafe import line_of

_TYPE_NAMES = {
    "object": "a mapping",
    "array": "a list",
    "string": "a string",
    "integer": "an integer",
    "boolean": "true or false",
    "null": "null",
}


@dataclass(frozen=True, slots=True)
class Reference:
    """A value naming another entry: ``kind`` (group, role, ...), the value, where, and who refers."""

    kind: str
    value: str
    where: str
    owner: str


@dataclass(frozen=True, slots=True)
class Entry:
    """A named entry found while validating (a user, a subnet, ...)."""

    kind: str
    key: str
    line: int


class Validator:
    """Validates one document against a schema; collects references and named entries."""

    def __init__(self, schema: dict[str, Any], name: str) -> None:
        self.schema = schema
        self.name = name
        self.references: list[Reference] = []
        self.entries: dict[str, dict[str, Entry]] = {}

    def validate(self, document: Any) -> None:
        """Raise LocatedError at the first problem; otherwise fill references and entries."""
        line = getattr(document, "line", 1) or 1
        self._check(document, self.schema, "", line, "the scenario")

    def _at(self, line: int) -> str:
        return f"{self.name}:{line}"

    def _resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        ref = node.get("$ref")
        if ref is None:
            return node
        return self.schema["$defs"][ref.rsplit("/", 1)[-1]]

    def _check(self, value: Any, node: dict[str, Any], path: str, line: int, owner: str) -> None:
        node = self._resolve(node)
        if "anyOf" in node:
            self._check_any(value, node["anyOf"], path, line, owner)
            return
        if "type" in node:
            self._check_type(value, node["type"], path, line)
        if "enum" in node and value not in node["enum"]:
            choices = ", ".join(repr(c) if c is not None else "null" for c in node["enum"])
            hint = did_you_mean(str(value), [c for c in node["enum"] if isinstance(c, str)])
            raise LocatedError(self._at(line), f"{path} is {value!r}; expected one of {choices}{hint}")
        if isinstance(value, str):
            self._check_string(value, node, path, line, owner)
        elif isinstance(value, int) and not isinstance(value, bool):
            self._check_number(value, node, path, line)
        elif isinstance(value, dict):
            self._check_object(value, node, path, line, owner)
        elif isinstance(value, list):
            items = node.get("items")
            for index, item in enumerate(value):
                item_line = line_of(value, index) or line
                if items is not None:
                    self._check(item, items, f"{path}[{index}]", item_line, owner)

    def _check_any(self, value: Any, options: list[dict[str, Any]], path: str, line: int, owner: str) -> None:
        errors: list[LocatedError] = []
        for option in options:
            try:
                self._check(value, option, path, line, owner)
                return
            except LocatedError as exc:
                errors.append(exc)
        raise errors[0]

    def _check_type(self, value: Any, wanted: str | list[str], path: str, line: int) -> None:
        types = [wanted] if isinstance(wanted, str) else wanted
        if any(_is_type(value, t) for t in types):
            return
        expected = " or ".join(_TYPE_NAMES[t] for t in types)
        if "string" in types and isinstance(value, (int, float)) and not isinstance(value, bool):
            # YAML reads an unquoted 111122223333 as a number (and 012345670123 as octal), so an
            # account id or a version must be quoted to keep its digits.
            expected += f" (YAML reads unquoted digits as a number: quote the value, e.g. '{value}')"
        raise LocatedError(self._at(line), f"{path or 'the file'} is {_describe(value)}; expected {expected}")

    def _check_string(self, value: str, node: dict[str, Any], path: str, line: int, owner: str) -> None:
        pattern = node.get("pattern")
        if pattern and not re.search(pattern, value):
            what = node.get("description", f"a string matching {pattern}")
            raise LocatedError(self._at(line), f"{path} is {value!r}; expected {what}")
        if "x-ref" in node:
            self.references.append(Reference(node["x-ref"], value, self._at(line), owner))

    def _check_number(self, value: int, node: dict[str, Any], path: str, line: int) -> None:
        low, high = node.get("minimum"), node.get("maximum")
        if (low is not None and value < low) or (high is not None and value > high):
            bounds = f"at least {low}" if high is None else f"between {low} and {high}"
            raise LocatedError(self._at(line), f"{path} is {value}; expected a number {bounds}")

    def _check_object(self, value: dict, node: dict[str, Any], path: str, line: int, owner: str) -> None:
        props: dict[str, Any] = node.get("properties", {})
        extra = node.get("additionalProperties", True)
        for key in node.get("required", []):
            if key not in value:
                raise LocatedError(self._at(line), f"{path or 'the file'} has no {key!r}; add it")
        owner = self._register(value, node, path, line, owner)
        count = len(value)
        if count < node.get("minProperties", 0) or count > node.get("maxProperties", count):
            keys = ", ".join(repr(k) for k in props)
            raise LocatedError(self._at(line), f"{path} has {count} keys; expected exactly one of {keys}")
        for key, item in value.items():
            key_line = line_of(value, key) or line
            child = f"{path}.{key}" if path else str(key)
            if key in props:
                self._check(item, props[key], child, key_line, owner)
            elif extra is False:
                hint = did_you_mean(str(key), props) or "; expected one of " + ", ".join(repr(k) for k in props)
                raise LocatedError(self._at(key_line), f"unknown field {key!r} in {path or 'the file'}{hint}")
            elif isinstance(extra, dict):
                if not isinstance(key, str):
                    raise LocatedError(self._at(key_line), f"{path} key {key!r} is not a string; quote it")
                self._check(item, extra, f"{path}[{key!r}]", key_line, owner)

    def _register(self, value: dict, node: dict[str, Any], path: str, line: int, owner: str) -> str:
        kind = node.get("x-kind")
        if not kind:
            return owner
        key = value.get(node.get("x-key", "name"))
        if not isinstance(key, str):
            return owner
        seen = self.entries.setdefault(kind, {})
        if key in seen:
            raise LocatedError(
                self._at(line), f"duplicate {kind} {key!r} (first at line {seen[key].line}); names must be unique"
            )
        seen[key] = Entry(kind, key, line)
        return f"{kind} {key!r}"


def _is_type(value: Any, name: str) -> bool:
    if name == "object":
        return isinstance(value, dict)
    if name == "array":
        return isinstance(value, list)
    if name == "string":
        return isinstance(value, str)
    if name == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if name == "boolean":
        return isinstance(value, bool)
    return value is None


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"{str(value).lower()} (true or false)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"{value!r} (a string)"
    if isinstance(value, int):
        return f"{value} (an integer)"
    return f"{value!r} (a {type(value).__name__})"
