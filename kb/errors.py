"""The one error family users see: every message names where, what and what was expected."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class GluesimError(Exception):
    """A problem with the user's input; the CLI prints it as one line and exits 2."""


class LocatedError(GluesimError):
    """An input error at a place: ``file:line``, ``file:line:col`` or a JSON path."""

    def __init__(self, where: str, what: str) -> None:
        super().__init__(f"{where}: {what}")
        self.where = where
        self.what = what


def did_you_mean(word: str, choices: Iterable[str], n: int = 1) -> str:
    """Return "; did you mean 'x'?" for the closest choice, or "" when none is close."""
    close = difflib.get_close_matches(word, list(choices), n=n, cutoff=0.6)
    if not close:
        return ""
    quoted = " or ".join(repr(c) for c in close)
    return f"; did you mean {quoted}?"


def where(path: object, line: int | None = None, col: int | None = None) -> str:
    """Format a location as ``file``, ``file:line`` or ``file:line:col``."""
    text = str(path)
    if line is not None:
        text += f":{line}"
        if col is not None:
            text += f":{col}"
    return text
