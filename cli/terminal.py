"""The terminal: whether to colour output, and a progress bar on standard error for slow work.

Colour follows https://no-color.org and the FORCE_COLOR convention: ``--color always|never``
decides; with ``auto`` (the default) a non-empty ``NO_COLOR`` turns colour off, a
``FORCE_COLOR`` other than ``0`` turns it on, and otherwise standard output must be a
terminal (not ``TERM=dumb``). The progress bar is drawn only when standard error is a
terminal, so pipes, files and CI logs never see it; it uses rich (a dependency of typer),
imported only then, never on the ``explain`` path.
"""

from __future__ import annotations

import enum
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import typer

from gluesim.cli.render.style import Style


class ColorMode(str, enum.Enum):
    """``--color`` values."""

    auto = "auto"
    always = "always"
    never = "never"


def color_option() -> Any:
    """The ``--color`` option, the same on every command that colours its text."""
    return typer.Option(ColorMode.auto, "--color", case_sensitive=False,
                        help="Colour the text output: auto (on a terminal; NO_COLOR and FORCE_COLOR honoured), "
                             "always or never.")


def color_on(mode: ColorMode = ColorMode.auto, stream: Any = None) -> bool:
    """True when text written to ``stream`` (standard output) should be coloured."""
    if mode is not ColorMode.auto:
        return mode is ColorMode.always
    if os.environ.get("NO_COLOR"):
        return False
    forced = os.environ.get("FORCE_COLOR")
    if forced is not None and forced != "0":
        return True
    stream = stream or sys.stdout
    return bool(getattr(stream, "isatty", lambda: False)()) and os.environ.get("TERM") != "dumb"


def output_style(mode: ColorMode = ColorMode.auto) -> Style:
    """The Style for standard output under ``mode``."""
    return Style(color_on(mode))


@contextmanager
def progress_bar(label: str) -> Iterator[Callable[[int, int], None]]:
    """Yield ``advance(done, total)``; draws a transient bar on standard error only when it is a terminal."""
    if not sys.stderr.isatty():
        yield lambda done, total: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield advance
