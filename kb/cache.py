"""A JSON cache of the checked knowledge base, so ``gluesim explain`` skips YAML parsing.

Parsing and checking the YAML costs more than the rest of ``explain`` together
(bench/startup.py measures it). The cache holds the already-checked entries, keyed by
the name, size and modification time of every KB file and by gluesim's cache format;
any change to a file makes a new key, so a stale cache is never used. Reading a cache
that is missing, unreadable, of another key, or broken in any way (not a regular file,
oversized, corrupted, nested too deeply) just means parsing the YAML again and writing a
fresh cache: a cache problem is never fatal.

Where: ``$GLUESIM_CACHE_DIR``, else ``$XDG_CACHE_HOME/gluesim``, else ``~/.cache/gluesim``.
``GLUESIM_NO_CACHE=1`` turns it off. Writes are atomic; a cache that cannot be written
is silently skipped (the cache is an optimisation, never a requirement).
"""

from __future__ import annotations

import json
import os
import zlib
from pathlib import Path
from types import MappingProxyType
from typing import Any

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

FORMAT = 1
MAX_CACHE_BYTES = 16 * 1024 * 1024  # the shipped KB's cache is well under 1 MiB


def cache_dir() -> Path | None:
    """The cache folder, or None when caching is turned off."""
    if os.environ.get("GLUESIM_NO_CACHE"):
        return None
    if os.environ.get("GLUESIM_CACHE_DIR"):
        return Path(os.environ["GLUESIM_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "gluesim"


def signature(paths: list[Path]) -> list[list[Any]]:
    """What the cache is valid for: the format, and each file's path, size and mtime."""
    rows: list[list[Any]] = [["format", FORMAT]]
    for path in paths:
        stat = path.stat()
        rows.append([str(path), stat.st_size, stat.st_mtime_ns])
    return rows


def cache_file(folder: Path, paths: list[Path]) -> Path:
    """One cache file per KB folder (several installs may share a cache folder)."""
    where = str(paths[0].parent) if paths else ""
    return folder / f"kb-{zlib.crc32(where.encode()):08x}.json"


def read(paths: list[Path]) -> KnowledgeBase | None:
    """The cached KB for these files, or None when there is no valid cache."""
    folder = cache_dir()
    if folder is None:
        return None
    from gluesim.kb.errors import GluesimError
    from gluesim.kb.safefile import read_bytes

    try:
        data = json.loads(read_bytes(cache_file(folder, paths), MAX_CACHE_BYTES, "cache file"))
        if data["key"] != signature(paths):
            return None
        entries = {item["id"]: entry_from_data(item) for item in data["entries"]}
        return KnowledgeBase(entries, tuple(data["files"]))
    except (GluesimError, OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return None  # any problem with the cache (missing, a FIFO, corrupted, nested too deep): parse the YAML


def write(paths: list[Path], kb: KnowledgeBase) -> None:
    """Store the checked KB for these files; skipped quietly if the cache cannot be written."""
    from gluesim.kb.atomic import write_text_atomic

    folder = cache_dir()
    if folder is None:
        return
    data = {"key": signature(paths), "files": list(kb.files), "entries": [entry_to_data(e) for e in kb]}
    from gluesim.kb.errors import GluesimError

    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_text_atomic(cache_file(folder, paths), json.dumps(data, separators=(",", ":")))
    except (OSError, GluesimError):
        return


def entry_to_data(entry: Entry) -> dict[str, Any]:
    """An entry as cache data: its JSON form plus where it was defined."""
    return {**entry.as_dict(), "file": entry.file, "line": entry.line}


def entry_from_data(data: dict[str, Any]) -> Entry:
    """Rebuild an entry written by :func:`entry_to_data` (already checked when it was written)."""
    return Entry(
        id=data["id"],
        kind=Kind(data["kind"]),
        title=data["title"],
        summary=data["summary"],
        depends_on=tuple(data["depends_on"]),
        source=Source(**data["source"]),
        permissions=tuple(_permission(p) for p in data["permissions"]),
        applies_when=tuple(Feature(f) for f in data["applies_when"]),
        remediation=data["remediation"],
        basis=Basis(data["basis"]),
        note=data["note"],
        managed_policies=tuple(data["managed_policies"]),
        aliases=tuple(data["aliases"]),
        file=data["file"],
        line=data["line"],
    )


def _permission(data: dict[str, Any]) -> Permission:
    conditions = {
        op: MappingProxyType({key: tuple(values) for key, values in keys.items()})
        for op, keys in data["conditions"].items()
    }
    return Permission(
        actions=tuple(data["actions"]),
        resources=tuple(data["resources"]),
        principal=Principal(data["principal"]),
        documented_in=DocumentedIn(data["documented_in"]),
        conditions=MappingProxyType(conditions),
        note=data["note"],
    )
