"""Read the knowledge-base YAML files into a checked :class:`KnowledgeBase`.

Every problem is reported as one located line, ``file:line: what; expected``:
unknown keys (with "did you mean"), missing fields, wrong types, duplicate ids,
``depends_on`` targets that do not exist (with "did you mean") and dependency
cycles, printed as the cycle (``a -> b -> a``).

A KB file looks like this::

    topic: Permissions of the job role
    entries:
      - id: job-role.trusts-glue
        kind: requirement
        title: ...
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any

from gluesim.kb import fields, yamlsafe
from gluesim.kb.errors import LocatedError, did_you_mean
from gluesim.kb.model import (
    Basis,
    DocumentedIn,
    Entry,
    Feature,
    Kind,
    KnowledgeBase,
    Permission,
    Principal,
    Source,
)

MAX_FILE_BYTES = 1024 * 1024
ID_PATTERN = re.compile(r"^[a-z][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)+$")
ACTION_PATTERN = re.compile(r"^[a-z0-9-]+:[A-Za-z0-9*?]+$")
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")

FILE_KEYS = {"topic": True, "entries": True}
ENTRY_KEYS = {
    "id": True,
    "kind": True,
    "title": True,
    "summary": True,
    "depends_on": True,
    "source": True,
    "remediation": True,
    "basis": True,
    "permissions": False,
    "applies_when": False,
    "note": False,
    "managed_policies": False,
    "aliases": False,
}
SOURCE_KEYS = {"section": True, "url": True}
PERMISSION_KEYS = {
    "actions": True,
    "resources": True,
    "principal": True,
    "documented_in": True,
    "conditions": False,
    "note": False,
}

@functools.cache
def load() -> KnowledgeBase:
    """The knowledge base shipped with gluesim (``kb/data/*.yaml``), loaded once per process.

    A checked copy is cached as JSON (see :mod:`gluesim.kb.cache`) because parsing YAML
    dominates the start-up time of ``gluesim explain``.
    """
    from gluesim.kb import cache

    paths = data_files()
    kb = cache.read(paths)
    if kb is None:
        kb = load_files(paths)
        cache.write(paths, kb)
    return kb


def data_files() -> list[Path]:
    """The shipped KB files: package data next to this module (editable or regular install)."""
    return sorted((Path(__file__).parent / "data").glob("*.yaml"))


def load_dir(folder: str | Path) -> KnowledgeBase:
    """Load every ``*.yaml`` file of a folder as one knowledge base (used by ``gluesim kb check``)."""
    path = Path(folder)
    if not path.is_dir():
        raise LocatedError(str(path), "is not a folder; expected a folder of knowledge-base *.yaml files")
    paths = sorted(path.glob("*.yaml"))
    if not paths:
        raise LocatedError(str(path), "holds no *.yaml files; expected knowledge-base files")
    return load_files(paths)


def load_files(paths: Iterable[Path]) -> KnowledgeBase:
    """Parse and check KB files; raise LocatedError at the first problem."""
    entries: dict[str, Entry] = {}
    dep_lines: dict[str, dict[str, int]] = {}
    names = []
    for path in paths:
        names.append(str(path))
        for entry, lines in _read_file(path):
            if entry.id in entries:
                first = entries[entry.id]
                raise LocatedError(
                    f"{entry.file}:{entry.line}",
                    f"duplicate id {entry.id!r} (first at {first.file}:{first.line}); ids must be unique",
                )
            entries[entry.id] = entry
            dep_lines[entry.id] = lines
    _check_references(entries, dep_lines)
    _check_acyclic(entries, dep_lines)
    return KnowledgeBase(entries, tuple(names))


def _read_file(path: Path) -> list[tuple[Entry, dict[str, int]]]:
    name = str(path)
    data = yamlsafe.load(path, max_bytes=MAX_FILE_BYTES, what="knowledge-base file")
    if not isinstance(data, yamlsafe.Mapping):
        raise LocatedError(f"{name}:1", "a knowledge-base file must be a mapping; expected keys 'topic' and 'entries'")
    fields.check_keys(data, FILE_KEYS, name, "the file")
    fields.text(data, "topic", name)
    items = data["entries"]
    if not isinstance(items, yamlsafe.Sequence) or not items:
        raise LocatedError(f"{name}:{data.line_of('entries')}", "'entries' must be a non-empty list of entries")
    return [_entry(item, name, items.line_of(i)) for i, item in enumerate(items)]


def _entry(raw: Any, name: str, line: int) -> tuple[Entry, dict[str, int]]:
    """One checked entry, and the line of each of its ``depends_on`` items (for later errors)."""
    if not isinstance(raw, yamlsafe.Mapping):
        raise LocatedError(f"{name}:{line}", "an entry must be a mapping; expected keys 'id', 'kind', 'title', ...")
    entry_id = raw.get("id")
    what = f"entry {entry_id!r}" if isinstance(entry_id, str) else "the entry"
    fields.check_keys(raw, ENTRY_KEYS, name, what)
    entry_id = fields.text(raw, "id", name)
    if not ID_PATTERN.match(entry_id):
        raise LocatedError(
            f"{name}:{raw.line_of('id')}",
            f"id {entry_id!r} is not well formed; expected lowercase words joined by '.', e.g. 'job-role.trusts-glue'",
        )
    basis = fields.choice(raw, "basis", Basis, name)
    note = fields.optional_text(raw, "note", name)
    if basis is Basis.INFERENCE and note is None:
        raise LocatedError(f"{name}:{raw.line_of('basis')}", f"{what} has basis 'inference' but no 'note'; say why")
    depends_on = fields.text_list(raw, "depends_on", name, allow_empty=True)
    lines = {dep: fields.line(raw["depends_on"], i, raw.line) for i, dep in enumerate(depends_on)}
    return Entry(
        id=entry_id,
        kind=fields.choice(raw, "kind", Kind, name),
        title=fields.text(raw, "title", name),
        summary=fields.text(raw, "summary", name),
        depends_on=depends_on,
        source=_source(raw, name),
        permissions=tuple(_permissions(raw, name)),
        applies_when=tuple(fields.choices(raw, "applies_when", Feature, name)),
        remediation=fields.text(raw, "remediation", name),
        basis=basis,
        note=note,
        managed_policies=fields.text_list(raw, "managed_policies", name, allow_empty=True),
        aliases=fields.text_list(raw, "aliases", name, allow_empty=True),
        file=name,
        line=raw.line,
    ), lines


def _source(raw: yamlsafe.Mapping, name: str) -> Source:
    source = raw["source"]
    if not isinstance(source, yamlsafe.Mapping):
        raise LocatedError(f"{name}:{raw.line_of('source')}", "'source' must be a mapping with 'section' and 'url'")
    fields.check_keys(source, SOURCE_KEYS, name, "'source'")
    url = fields.text(source, "url", name)
    if not url.startswith("https://"):
        raise LocatedError(f"{name}:{source.line_of('url')}", f"source url {url!r} must start with 'https://'")
    return Source(section=fields.text(source, "section", name), url=url)


def _permissions(raw: yamlsafe.Mapping, name: str) -> Iterable[Permission]:
    items = raw.get("permissions", yamlsafe.Sequence())
    if not isinstance(items, list):
        raise LocatedError(f"{name}:{raw.line_of('permissions')}", "'permissions' must be a list of permissions")
    for index, item in enumerate(items):
        where = f"{name}:{fields.line(items, index, raw.line)}"
        if not isinstance(item, yamlsafe.Mapping):
            raise LocatedError(where, "a permission must be a mapping with 'actions', 'resources', 'principal', ...")
        yield _permission(item, name)


def _permission(item: yamlsafe.Mapping, name: str) -> Permission:
    fields.check_keys(item, PERMISSION_KEYS, name, "the permission")
    actions = fields.text_list(item, "actions", name)
    for index, action in enumerate(actions):
        if not ACTION_PATTERN.match(action):
            raise LocatedError(
                f"{name}:{fields.line(item['actions'], index, item.line)}",
                f"{action!r} is not an IAM action; expected 'service:Action', e.g. 'glue:CreateJob'",
            )
    resources = fields.text_list(item, "resources", name)
    for index, resource in enumerate(resources):
        _check_template(resource, f"{name}:{fields.line(item['resources'], index, item.line)}")
    return Permission(
        actions=actions,
        resources=resources,
        principal=fields.choice(item, "principal", Principal, name),
        documented_in=fields.choice(item, "documented_in", DocumentedIn, name),
        conditions=_conditions(item, name),
        note=fields.optional_text(item, "note", name),
    )


def _check_template(resource: str, where: str) -> None:
    if "${" in resource:
        raise LocatedError(where, f"resource {resource!r} uses IAM's '${{...}}'; write placeholders as '{{name}}'")
    for placeholder in PLACEHOLDER.findall(resource):
        if not re.fullmatch(r"[a-z][a-z0-9_]*", placeholder):
            raise LocatedError(where, f"placeholder {{{placeholder}}} must be lowercase snake_case, e.g. {{bucket}}")


def _conditions(item: yamlsafe.Mapping, name: str) -> MappingProxyType:
    raw = item.get("conditions", {})
    where = f"{name}:{item.line_of('conditions')}"
    if not isinstance(raw, dict):
        raise LocatedError(where, "'conditions' must map an operator to {key: value(s)}, as in IAM")
    result = {}
    for operator, keys in raw.items():
        if not isinstance(keys, dict) or not keys:
            raise LocatedError(where, f"condition operator {operator!r} must map condition keys to values")
        result[str(operator)] = MappingProxyType({str(k): _values(v, where) for k, v in keys.items()})
    return MappingProxyType(result)


def _values(value: Any, where: str) -> tuple[str, ...]:
    values = value if isinstance(value, list) else [value]
    if not values or not all(isinstance(v, str) and v for v in values):
        raise LocatedError(where, "condition values must be non-empty strings")
    return tuple(values)


def _dep_where(entry: Entry, target: str, dep_lines: dict[str, dict[str, int]]) -> str:
    """``file:line`` of the ``depends_on`` item naming ``target``."""
    return f"{entry.file}:{dep_lines[entry.id].get(target, entry.line)}"


def _check_references(entries: dict[str, Entry], dep_lines: dict[str, dict[str, int]]) -> None:
    for entry in entries.values():
        for target in entry.depends_on:
            if target not in entries:
                hint = did_you_mean(target, entries) or "; run 'gluesim kb list' to see every id"
                raise LocatedError(_dep_where(entry, target, dep_lines), f"{entry.id!r} depends on unknown id {target!r}{hint}")


def _check_acyclic(entries: dict[str, Entry], dep_lines: dict[str, dict[str, int]]) -> None:
    cycle = find_cycle({key: entry.depends_on for key, entry in entries.items()})
    if cycle:
        first = entries[cycle[0]]
        path = " -> ".join([*cycle, cycle[0]])
        raise LocatedError(
            _dep_where(first, cycle[1 % len(cycle)], dep_lines),
            f"dependency cycle {path} (each id depends on the next); remove one of these depends_on links",
        )


def find_cycle(graph: dict[str, Sequence[str]]) -> list[str]:
    """A dependency cycle (rotated to start at its smallest id), or [] when the graph is acyclic.

    Plain depth-first search, so that loading the KB does not import networkx.
    """
    state: dict[str, int] = {}  # 1 = on the current path, 2 = finished
    for start in sorted(graph):
        if state.get(start):
            continue
        found = _walk(start, graph, state)
        if found:
            smallest = found.index(min(found))
            return found[smallest:] + found[:smallest]
    return []


def _walk(start: str, graph: dict[str, Sequence[str]], state: dict[str, int]) -> list[str]:
    path = [start]
    pending: list[Iterable[str]] = [iter(graph.get(start, ()))]
    state[start] = 1
    while pending:
        nxt = next(pending[-1], None)  # type: ignore[call-overload]
        if nxt is None:
            state[path.pop()] = 2
            pending.pop()
        elif state.get(nxt) == 1:
            return path[path.index(nxt):]
        elif not state.get(nxt):
            state[nxt] = 1
            path.append(nxt)
            pending.append(iter(graph.get(nxt, ())))
    return []
