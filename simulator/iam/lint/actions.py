"""Action checks: names the Service Authorization Reference knows, patterns that match something, no duplicates."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from gluesim.kb.errors import did_you_mean
from gluesim.simulator.iam import catalog
from gluesim.simulator.iam.lint.findings import Document, Finding, values_of
from gluesim.simulator.iam.patterns import glob_matcher


def action_problem(action: str) -> tuple[str, str] | None:
    """(issue code, what) when ``action`` (a pattern) names nothing AWS knows, else None."""
    if action == "*":
        return None
    service, _, name = action.partition(":")
    service = service.lower()
    known = catalog.actions(service)
    if not known:
        return "UNKNOWN_SERVICE", (f"unknown service prefix {service!r} in {action!r}"
                                   + did_you_mean(service, catalog.services()))
    if "*" in name or "?" in name:
        matches = glob_matcher(name.lower())
        if not any(matches(candidate) for candidate in known):
            return "ACTION_PATTERN_MATCHES_NOTHING", f"{action!r} matches no known {service} action"
        return None
    problem = catalog.unknown_action(action)
    return None if problem is None else ("INVALID_ACTION", problem)


def action_findings(doc: Document) -> Iterator[Finding]:
    """Unknown services, unknown actions, patterns matching nothing, and entries another entry covers."""
    for prefix, statement in doc.statements():
        for element in ("Action", "NotAction"):
            entries = values_of(statement, element, prefix)
            yield from _unknown(doc, entries)
            yield from redundant(doc, entries, "REDUNDANT_ACTION", element, covers)


def _unknown(doc: Document, entries: list[tuple[tuple[str | int, ...], str]]) -> Iterator[Finding]:
    """One finding per unknown action or pattern; one per unknown service of the element, at its first action."""
    services: dict[str, list[tuple[str | int, ...]]] = {}
    for path, action in entries:
        problem = action_problem(action)
        if problem is None:
            continue
        if problem[0] != "UNKNOWN_SERVICE":
            yield doc.finding(problem[0], path, problem[1])
        elif action.partition(":")[0].lower() not in services:
            services[action.partition(":")[0].lower()] = [path]
            yield doc.finding(problem[0], path, problem[1] + _also(entries, action))


def _also(entries: list[tuple[tuple[str | int, ...], str]], action: str) -> str:
    service = action.partition(":")[0].lower()
    count = sum(1 for _, other in entries if other.partition(":")[0].lower() == service)
    return f" ({count} actions of this service here)" if count > 1 else ""


def covers(pattern: str, other: str) -> bool:
    """Whether action ``pattern`` matches everything ``other`` (a pattern, its wildcards read as text) matches."""
    return pattern.lower() == other.lower() or glob_matcher(pattern.lower())(other.lower())


def redundant(doc: Document, entries: list[tuple[tuple[str | int, ...], str]], code: str, element: str,
              covering: Callable[[str, str], bool]) -> Iterator[Finding]:
    """Entries listed twice, or covered by a wildcard entry of the list (compared only with those)."""
    first: dict[str, int] = {}
    wildcards = [(i, value) for i, (_, value) in enumerate(entries) if "*" in value or "?" in value]
    for i, (path, value) in enumerate(entries):
        lowered = value.lower()
        if lowered in first:
            yield doc.finding(code, path, f"{value!r} in {element} is listed twice")
            continue
        first[lowered] = i
        for j, other in wildcards:
            if j != i and covering(other, value) and (not covering(value, other) or j < i):
                yield doc.finding(code, path, f"{value!r} in {element} is already covered by {other!r}")
                break
