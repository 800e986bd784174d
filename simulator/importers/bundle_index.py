"""Every file of an export folder, recognised by its content and accounted for.

Each file is either read (as the output of a named command) or ignored with a reason; the
import reports both (``docs/guides/export-bundle.md``). Outputs that say what they are about
are read wherever they lie, under any name; the few that do not (``get-bucket-policy`` prints
only ``Policy``) are read where the documented layout names their resource, and ignored, with
that reason, anywhere else.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gluesim.kb.errors import LocatedError
from gluesim.simulator.importers.common import Notices, read_json
from gluesim.simulator.importers.shapes import Shape, recognise

# Where the layout names the resource an output is about (relative paths, "/" separated).
LAYOUT = {
    "bucket-location": re.compile(r"^s3/[^/]+/location\.json$"),
    "bucket-encryption": re.compile(r"^s3/[^/]+/encryption\.json$"),
    "resource-policy": re.compile(r"^(s3/[^/]+|kms/[^/]+)/policy\.json$"),
    "key-policy": re.compile(r"^kms/[^/]+/policy\.json$"),
    "org-policies": re.compile(r"^organizations/policies-for-target/[^/]+\.json$"),
    "parents": re.compile(r"^organizations/parents/[^/]+\.json$"),
    "ous-for-parent": re.compile(r"^organizations/ous/[^/]+\.json$"),
    "policy-targets": re.compile(r"^organizations/targets/[^/]+\.json$"),
}
# An empty file means "the call found none" where the layout says what it is about.
EMPTY_MEANS_NONE = (LAYOUT["bucket-encryption"], LAYOUT["resource-policy"])
NOT_NEEDED = {"unused": "not needed by any Glue Studio check"}


@dataclass(frozen=True, slots=True)
class Entry:
    """One file read: where it is (relative to the folder), its data (None: empty) and its shape."""

    relative: str
    where: str
    data: Any
    shape: Shape | None


@dataclass
class Index:
    """The files of one export folder by shape and by path, and the account of what was done with each."""

    root: Path
    notices: Notices
    allow_partial: bool
    by_shape: dict[str, list[Entry]] = field(default_factory=lambda: defaultdict(list))
    by_path: dict[str, Entry] = field(default_factory=dict)
    read: list[tuple[str, str]] = field(default_factory=list)  # (relative path, what it was read as)
    ignored: list[tuple[str, str]] = field(default_factory=list)  # (relative path, why)

    def all(self, shape: str) -> list[Entry]:
        """Every file read as ``shape``, in path order."""
        return self.by_shape.get(shape, [])

    def at(self, relative: str) -> Entry | None:
        """The file at ``relative`` if it was read (layout-named outputs)."""
        return self.by_path.get(relative)

    def name(self, relative: str) -> str:
        return str(self.root / relative)


def index(root: Path, notices: Notices, allow_partial: bool, files: list[tuple[Path, str]] | None = None) -> Index:
    """Read and recognise every regular file under ``root``, or only ``files`` ((path, relative) pairs)."""
    found = Index(root, notices, allow_partial)
    for path, relative in _walk(root, found) if files is None else files:
        _add(found, path, relative)
    return found


def _walk(root: Path, found: Index) -> list[tuple[Path, str]]:
    """Every entry below ``root`` that is not a folder, links to folders not followed (a loop cannot hang)."""
    entries = []
    for folder, subfolders, names in os.walk(root, followlinks=False):
        for name in [n for n in subfolders if (Path(folder) / n).is_symlink()]:
            found.ignored.append(((Path(folder) / name).relative_to(root).as_posix(), "a link to a folder (not followed)"))
        entries += [(Path(folder) / name, (Path(folder) / name).relative_to(root).as_posix()) for name in names]
    return sorted(entries, key=lambda entry: entry[1])


def _add(found: Index, path: Path, relative: str) -> None:
    # Anything else than a regular file (a FIFO, a device, a broken link) is refused by the reader, located.
    if relative == "region.txt" or path.suffix.lower() in (".err", ".sh", ".md", ".txt"):
        if relative != "region.txt":
            found.ignored.append((relative, "not an AWS CLI JSON output"))
        return
    data = read_json(path, "export")
    where = str(path)
    if data is None:
        if any(p.match(relative) for p in EMPTY_MEANS_NONE):
            found.by_path[relative] = Entry(relative, where, None, None)
            found.read.append((relative, "an empty answer (none configured)"))
        else:
            found.ignored.append((relative, "empty, and its place in the folder does not say what it is about"))
        return
    shape = recognise(data)
    if shape is None:
        keys = ", ".join(sorted(data)[:4]) if isinstance(data, dict) else type(data).__name__
        found.ignored.append((relative, f"not an AWS CLI output gluesim reads (top level: {keys or 'empty'})"))
        return
    if shape.id in NOT_NEEDED:
        found.ignored.append((relative, f"{shape.command} output, {NOT_NEEDED[shape.id]}"))
        return
    if shape.needs and not LAYOUT[shape.id].match(relative) and shape.otherwise is not None:
        shape = shape.otherwise
    if shape.needs and not LAYOUT[shape.id].match(relative):
        found.ignored.append((relative, f"{shape.command} output does not say what it is about; save it as {shape.needs}"))
        return
    _check_complete(found, data, where)
    entry = Entry(relative, where, data, shape)
    found.by_shape[shape.id].append(entry)
    found.by_path[relative] = entry
    found.read.append((relative, shape.command))


def _check_complete(found: Index, data: Any, where: str) -> None:
    if isinstance(data, dict) and ("NextToken" in data or data.get("IsTruncated") is True):
        if not found.allow_partial:
            raise LocatedError(f"{where}: NextToken", "the export is partial (a NextToken is present); re-run the "
                               "command without --max-items, or pass --allow-partial")
        found.notices.unknown(f"{where}: NextToken", "the export is partial; items on later pages are unknown")


def report(found: Index) -> None:
    """One notice listing what each file was read as, and one per ignored file with its reason."""
    if found.read:
        listed = "; ".join(f"{relative} ({what})" for relative, what in found.read)
        found.notices.info(str(found.root), f"read {len(found.read)} file(s): {listed}")
    for relative, why in found.ignored:
        found.notices.warn(found.name(relative), f"ignored: {why}")
