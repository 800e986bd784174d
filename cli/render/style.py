"""Colour for terminal output: ANSI styles when on, the text unchanged when off (pure; the CLI decides).

The styles come from typer (``typer.style``, which typer already imports), so no colour
library is loaded; rich would cost start-up time for a handful of escape codes.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Style:
    """Styling functions for rendered text; ``Style(False)`` leaves text as it is."""

    on: bool = False

    def _paint(self, text: str, **style: object) -> str:
        if not self.on or not text:
            return text
        import typer

        return typer.style(text, **style)  # type: ignore[arg-type]

    def fail(self, text: str) -> str:
        """A failure: bold red."""
        return self._paint(text, fg="red", bold=True)

    def unknown(self, text: str) -> str:
        """An unknown: yellow."""
        return self._paint(text, fg="yellow", bold=True)

    def ok(self, text: str) -> str:
        """A pass: green."""
        return self._paint(text, fg="green")

    def heading(self, text: str) -> str:
        """A heading or summary: bold."""
        return self._paint(text, bold=True)

    def dim(self, text: str) -> str:
        """Secondary detail: dim."""
        return self._paint(text, dim=True)

    def verdict(self, verdict: str, text: str) -> str:
        """``text`` styled for the verdict (pass, fail, unknown, allowed, denied)."""
        if verdict in ("pass", "allowed"):
            return self.ok(text)
        if verdict in ("fail", "denied"):
            return self.fail(text)
        return self.unknown(text)


PLAIN = Style(False)
