"""Findings of ``policy check`` and the document they point into.

A finding has IAM Access Analyzer's shape (``ValidatePolicyFinding``: a type, an issue code and a
location) plus the one-line fix. The catalogue of issue codes, their types, fixes and help links
is data (``data/policy-checks.json``); checks name a code and say what they found.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

from gluesim.simulator.iam import jsontext

FINDING_TYPES = ("ERROR", "SECURITY_WARNING", "WARNING", "SUGGESTION")
JsonPath = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Check:
    """One issue code of the catalogue."""

    code: str
    finding_type: str
    fix: str
    link: str
    aws: bool  # True when IAM Access Analyzer has the same check under this code


@functools.cache
def catalogue() -> dict[str, Check]:
    """Issue code -> its Check (read once from the package data)."""
    data = json.loads((files("gluesim.simulator.iam") / "data" / "policy-checks.json").read_text(encoding="utf-8"))
    return {code: Check(code, item["type"], item["fix"], item["link"], item["aws"])
            for code, item in data["checks"].items()}


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem in a valid document: type, issue code, where (line, column, JSON path), what and the fix."""

    source: str
    line: int
    column: int
    path: str
    message: str
    code: str = ""
    finding_type: str = "WARNING"

    @property
    def check(self) -> Check:
        """The catalogue entry of this finding's code."""
        return catalogue()[self.code]

    def __str__(self) -> str:
        return (f"{self.source}:{self.line}:{self.column}: {self.finding_type} {self.code}: {self.path}: "
                f"{self.message}; fix: {self.check.fix}")

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (documented in docs/reference/json-output.md)."""
        return {"file": self.source, "line": self.line, "column": self.column, "path": self.path,
                "message": self.message, "type": self.finding_type, "code": self.code, "fix": self.check.fix,
                "learn_more": self.check.link}


class Document:
    """A parsed, valid policy text with what every check needs: statements, positions, the kind."""

    def __init__(self, data: dict[str, Any], text: str, source: str, kind: str) -> None:
        self.data = data
        self.text = text
        self.source = source
        self.kind = kind
        self._positions: jsontext.Positions | None = None

    @property
    def positions(self) -> jsontext.Positions:
        """Where each value sits (scanned on first use)."""
        if self._positions is None:
            self._positions = jsontext.Positions(self.text)
        return self._positions

    def statements(self) -> Iterator[tuple[JsonPath, dict[str, Any]]]:
        """(JSON path, statement) in document order."""
        raw = self.data["Statement"]
        if isinstance(raw, list):
            for i, statement in enumerate(raw):
                yield ("Statement", i), statement
        else:
            yield ("Statement",), raw

    def finding(self, code: str, path: JsonPath, message: str, at_key: bool = False) -> Finding:
        """A finding of ``code`` at ``path`` (the key itself with ``at_key``)."""
        line, column = self.positions.line_col(path, at_key) or (1, 1)
        return Finding(self.source, line, column, jsontext.format_path(path), message, code,
                       catalogue()[code].finding_type)


def values_of(statement: dict[str, Any], element: str, prefix: JsonPath) -> list[tuple[JsonPath, Any]]:
    """(path, value) of each entry of a string-or-list element (none when it is absent)."""
    raw = statement.get(element)
    if raw is None:
        return []
    if isinstance(raw, list):
        return [((*prefix, element, i), value) for i, value in enumerate(raw)]
    return [((*prefix, element), raw)]
