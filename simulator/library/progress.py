"""A trainee's progress through the library: which scenarios are done, how many hints were read.

Kept as one small JSON file in the user's state folder: ``$GLUESIM_STATE_DIR``, else
``$XDG_STATE_HOME/gluesim``, else ``~/.local/state/gluesim`` (the XDG Base Directory
specification's place for state that should persist between runs but is not worth a
backup). Writes are atomic. Only the trainee commands read or write it.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from gluesim.kb.atomic import write_text_atomic
from gluesim.kb.errors import LocatedError

FILE_NAME = "progress.json"
FORMAT = 1


def state_dir() -> Path:
    """The folder that keeps the trainee's progress."""
    if os.environ.get("GLUESIM_STATE_DIR"):
        return Path(os.environ["GLUESIM_STATE_DIR"])
    base = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    return Path(base) / "gluesim"


@dataclass(frozen=True, slots=True)
class Progress:
    """Scenarios passed (name -> when, ISO 8601 UTC) and hints read (name -> the highest hint shown)."""

    passed: dict[str, str] = field(default_factory=dict)
    hints: dict[str, int] = field(default_factory=dict)

    def done(self, name: str) -> bool:
        """Whether the trainee has passed ``name``."""
        return name in self.passed

    def as_dict(self) -> dict[str, Any]:
        """The stored form."""
        return {"format": FORMAT, "passed": dict(sorted(self.passed.items())), "hints": dict(sorted(self.hints.items()))}


def load(folder: Path | None = None) -> Progress:
    """The saved progress (none yet: empty); a damaged file is a located error saying how to start over."""
    path = (folder or state_dir()) / FILE_NAME
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Progress()
    except OSError as exc:
        raise LocatedError(str(path), f"cannot read the progress file ({exc.strerror})") from None
    try:
        data = json.loads(text)
        return Progress(_names(data, "passed", str), _names(data, "hints", int))
    except (ValueError, TypeError, AttributeError):
        raise LocatedError(str(path), "is not a gluesim progress file; delete it to start over") from None


def _names(data: dict[str, Any], key: str, kind: type) -> dict[str, Any]:
    found = data.get(key, {})
    if data.get("format") != FORMAT or not all(isinstance(v, kind) for v in found.values()):
        raise ValueError(key)
    return {str(k): v for k, v in found.items()}


def save(progress: Progress, folder: Path | None = None) -> None:
    """Write the progress atomically (creating the state folder)."""
    target = folder or state_dir()
    try:
        target.mkdir(parents=True, exist_ok=True)
        write_text_atomic(target / FILE_NAME, json.dumps(progress.as_dict(), indent=2) + "\n")
    except OSError as exc:
        raise LocatedError(str(target / FILE_NAME), f"cannot save progress ({exc.strerror}); "
                           "set GLUESIM_STATE_DIR to a writable folder") from None


def record_pass(name: str, folder: Path | None = None) -> Progress:
    """Remember that ``name`` was passed (the first time counts)."""
    progress = load(folder)
    if progress.done(name):
        return progress
    when = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    updated = replace(progress, passed={**progress.passed, name: when})
    save(updated, folder)
    return updated


def record_hints(name: str, shown: int, folder: Path | None = None) -> Progress:
    """Remember that hints 1 to ``shown`` of ``name`` were read."""
    progress = load(folder)
    if shown <= progress.hints.get(name, 0):
        return progress
    updated = replace(progress, hints={**progress.hints, name: shown})
    save(updated, folder)
    return updated


def next_name(ordered_names: list[str], progress: Progress) -> str | None:
    """The first scenario in teaching order the trainee has not passed, or None when all are done."""
    return next((name for name in ordered_names if not progress.done(name)), None)
