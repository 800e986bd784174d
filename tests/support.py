"""Helpers the test modules share (on the path through pytest's ``pythonpath`` setting)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gluesim.cli.app import main


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    """Run ``gluesim ARGV...`` in-process; return the exit status, standard output and standard error."""
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def check_golden(path: Path, text: str) -> None:
    """Compare ``text`` with a reviewed golden file; ``GLUESIM_REGEN_GOLDEN=1`` rewrites it instead."""
    if os.environ.get("GLUESIM_REGEN_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"missing golden file {path}; run with GLUESIM_REGEN_GOLDEN=1 and review it"
    assert text == path.read_text(encoding="utf-8")
