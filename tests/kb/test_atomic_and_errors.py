"""Atomic writes and the error helpers."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gluesim.kb.atomic import write_text_atomic
from gluesim.kb.errors import LocatedError, did_you_mean, where


def test_write_is_complete_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "out.yaml"
    target.write_text("old\n")
    write_text_atomic(target, "new\n")
    assert target.read_text() == "new\n"
    assert os.listdir(tmp_path) == ["out.yaml"]


def test_failed_write_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "out.yaml"
    target.write_text("old\n")
    with pytest.raises(TypeError):
        write_text_atomic(target, 42)  # type: ignore[arg-type]
    assert target.read_text() == "old\n"
    assert os.listdir(tmp_path) == ["out.yaml"]


def test_did_you_mean() -> None:
    assert did_you_mean("studio-basics", ["studio-basic", "admin"]) == "; did you mean 'studio-basic'?"
    assert did_you_mean("zzz", ["studio-basic"]) == ""


def test_located_error_text() -> None:
    error = LocatedError(where("scenario.yaml", 14), "user 'analyst' has no policy")
    assert str(error) == "scenario.yaml:14: user 'analyst' has no policy"
    assert where("p.json", 3, 7) == "p.json:3:7"
