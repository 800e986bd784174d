"""The finding shape every pipeline output is made from (SARIF, JSON, the exit status)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

LEVELS = ("error", "warning", "note")  # SARIF's result levels, most severe first


@dataclass(frozen=True, slots=True)
class Location:
    """Where the user wrote the thing: a file, 1-based line and column (0 when unknown), a JSON path."""

    file: str
    line: int = 0
    column: int = 0
    path: str = ""

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "") + (f":{self.column}" if self.column else "")
        return f"{where}: {self.path}" if self.path else where


@dataclass(frozen=True, slots=True)
class Suppression:
    """An accepted finding: a rule id and patterns (shell globs) for actor, job and resource; why; until when."""

    rule: str
    reason: str
    actor: str = "*"
    job: str = "*"
    resource: str = "*"
    expires: str = ""  # ISO date (YYYY-MM-DD); empty: never
    origin: Location = field(default_factory=lambda: Location(""))
    in_source: bool = False  # written beside the thing (a scenario entry, a template resource)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"rule": self.rule, "reason": self.reason, "actor": self.actor, "job": self.job,
                "resource": self.resource, "expires": self.expires or None, "where": str(self.origin)}


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem: rule id, level, message, help URL, locations (the first is primary), who and what it is about."""

    rule: str
    level: str
    message: str
    title: str
    help_uri: str
    locations: tuple[Location, ...]
    actor: str = ""
    job: str = ""
    resource: str = ""
    key: str = ""  # what else identifies it (the action), for the fingerprint
    category: str = ""  # the producing check's own classification (policy check's finding type)
    suppressed_by: Suppression | None = None

    @property
    def fingerprint(self) -> str:
        """Stable across runs and edits that move lines: a hash of what the finding is about, never where."""
        text = "\x1f".join((self.rule, self.actor, self.job, self.resource, self.key, self.locations[0].file
                            if self.locations else ""))
        return hashlib.sha256(text.encode()).hexdigest()[:32]

    @property
    def counts(self) -> bool:
        """True when the finding is not suppressed (it decides the exit status)."""
        return self.suppressed_by is None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"rule": self.rule, "level": self.level, "message": self.message, "title": self.title,
                "help": self.help_uri, "locations": [str(loc) for loc in self.locations], "actor": self.actor,
                "job": self.job, "resource": self.resource, "fingerprint": self.fingerprint,
                "suppressed": self.suppressed_by.as_dict() if self.suppressed_by else None}


def fails(findings: list[Finding], fail_on: str) -> bool:
    """True when an unsuppressed finding is at ``fail_on`` (error, warning, note) or more severe."""
    if fail_on == "never":
        return False
    worst = LEVELS.index(fail_on)
    return any(f.counts and LEVELS.index(f.level) <= worst for f in findings)
