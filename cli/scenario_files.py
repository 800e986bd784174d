"""The scenario file a command reads: the user's, or the built-in default; its model, name and text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

DEFAULT_NAME = "default.yaml"


@dataclass(frozen=True, slots=True)
class Loaded:
    """A loaded scenario: the model, the name its locations use, and the text (for edits and locations)."""

    model: Any
    name: str
    text: str


def load(path: Optional[str]) -> Loaded:
    """The scenario at ``path``, or the built-in default scenario when None."""
    from gluesim.simulator import scenario

    if path is not None:
        model = scenario.load(path)
        from pathlib import Path

        return Loaded(model, path, Path(path).read_text(encoding="utf-8"))
    from importlib.resources import files

    resource = files("gluesim.simulator") / "data/scenarios" / DEFAULT_NAME
    if not resource.is_file():
        from gluesim.kb.errors import GluesimError

        raise GluesimError("the built-in default scenario is missing from this installation; pass a SCENARIO file")
    text = resource.read_text(encoding="utf-8")
    return Loaded(scenario.loads(text, DEFAULT_NAME), DEFAULT_NAME, text)
