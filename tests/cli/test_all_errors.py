"""An invalid scenario file gets every error at once, each one located line, exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from support import run_cli as run

FIXTURES = Path(__file__).resolve().parent / "fixtures"
THREE = FIXTURES / "three-errors.yaml"
NAMES = FIXTURES / "unknown-names.yaml"


@pytest.mark.parametrize("command", [["scenario", "check"], ["simulate"]])
def test_every_schema_error_in_one_run(capsys: pytest.CaptureFixture[str], command: list[str]) -> None:
    code, out, err = run(capsys, *command, THREE)
    assert code == 2 and out == ""
    assert err.splitlines() == [
        f"Error: {THREE}:3: account.id is 111122223333 (an integer); expected a string (YAML reads unquoted digits "
        "as a number: quote the value, e.g. '111122223333')",
        f"Error: {THREE}:8: unknown field 'consol_access' in users[1]; did you mean 'console_access'?",
        f"Error: {THREE}:10: jobs[0] has no 'role'; add it",
    ]


@pytest.mark.parametrize("command", [["scenario", "check"], ["simulate"]])
def test_every_reference_error_in_one_run(capsys: pytest.CaptureFixture[str], command: list[str]) -> None:
    code, _, err = run(capsys, *command, NAMES)
    assert code == 2
    assert err.splitlines() == [
        f"Error: {NAMES}:6: user 'ana' refers to unknown managed policy 'GlueStudioBasics'; define it under "
        "policies (or an AWS managed policy gluesim ships)",
        f"Error: {NAMES}:7: user 'ana' refers to unknown group 'engineers'; define it under groups",
        f"Error: {NAMES}:11: job 'nightly' refers to unknown role 'GlueJobRole'; define it under roles",
    ]


def test_scenario_check_takes_several_files(capsys: pytest.CaptureFixture[str]) -> None:
    good = FIXTURES.parent.parent / "simulator" / "fixtures" / "passing.yaml"
    code, out, err = run(capsys, "scenario", "check", good, THREE, NAMES)
    assert code == 2
    assert out.startswith(f"{good}: valid scenario (") and err.count("Error: ") == 6
