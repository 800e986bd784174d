"""Where things sit in the scenario file the user opened: entries by kind and name, policy statements.

The model keeps only ``file:line`` of each policy's key; this reads the file's YAML once more
(with :mod:`gluesim.kb.yamlsafe`'s line marks) to point at users, roles, jobs and at each
statement of a policy the scenario holds, by the scenario's own line and column.
"""

from __future__ import annotations

import re
from typing import Any

from gluesim.kb.yamlsafe import line_of
from gluesim.simulator.findings.model import Location

SECTIONS = {"users": "user", "groups": "group", "roles": "role", "jobs": "job", "policies": "policy",
            "buckets": "bucket", "kms_keys": "kms_key", "secrets": "secret"}
_WHERE = re.compile(r"\((?P<file>.+):(?P<line>\d+)\)$")


class ScenarioLocator:
    """Lines of a parsed scenario file (data from ``yamlsafe.loads``) and its text, for columns."""

    def __init__(self, data: Any, text: str, name: str) -> None:
        self.name = name
        self.lines = text.splitlines()
        self.entries: dict[tuple[str, str], int] = {}
        self.statements: dict[int, list[int]] = {}  # line of a policy's key -> line of each statement
        if isinstance(data, dict):
            self._index(data)

    def _index(self, data: dict[str, Any]) -> None:
        for section, kind in SECTIONS.items():
            items = data.get(section)
            for index, item in enumerate(items if isinstance(items, list) else []):
                if isinstance(item, dict):
                    key = item.get("name", item.get("id"))
                    self.entries[(kind, str(key))] = line_of(items, index) or 0
        self._walk(data)

    def _walk(self, node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                statements = value.get("Statement") if isinstance(value, dict) else None
                if isinstance(statements, list):
                    self.statements[line_of(node, key) or 0] = [line_of(statements, i) or 0
                                                                 for i in range(len(statements))]
                self._walk(value)
        elif isinstance(node, list):
            for item in node:
                self._walk(item)

    def entry(self, kind: str, name: str) -> Location | None:
        """Where the ``kind`` entry ``name`` starts (its ``- name:`` line)."""
        line = self.entries.get((kind, name))
        return Location(self.name, line, self._column(line), f"{kind} {name}") if line else None

    def statement(self, policy_where: str, index: int) -> Location | None:
        """Statement ``index`` of the policy whose key is at ``policy_where`` (``file:line``)."""
        file, _, line = policy_where.rpartition(":")
        lines = self.statements.get(int(line)) if line.isdigit() and file == self.name else None
        if not lines or index >= len(lines):
            return None
        return Location(self.name, lines[index], self._column(lines[index]), f"Statement[{index}]")

    def _column(self, line: int | None) -> int:
        """1-based column of the entry on ``line``: after a ``- `` dash when the line starts a list item."""
        if not line or line > len(self.lines):
            return 0
        text = self.lines[line - 1]
        stripped = text.lstrip()
        return len(text) - len(stripped) + (3 if stripped.startswith("- ") else 1)


def policy_where(ref: Any) -> str:
    """The ``file:line`` of a compiled scenario policy's key (from the evaluator's source name), or ''."""
    found = _WHERE.search(getattr(ref.policy, "source_name", "") or "")
    return f"{found['file']}:{found['line']}" if found else ""
