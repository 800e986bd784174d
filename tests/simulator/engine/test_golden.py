"""Golden reports: the rendered output for the fixtures, reviewed in the diff like code.

Regenerate with ``GLUESIM_REGEN_GOLDEN=1 python -m pytest tests/simulator/engine/test_golden.py``
and review the changes before committing them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gluesim.cli.render.report import render, render_fix
from gluesim.simulator import scenario
from gluesim.simulator.engine import simulate
from gluesim.simulator.fix import fix
import support

FIXTURES = Path(__file__).parents[1] / "fixtures"
GOLDEN = FIXTURES / "golden"
CASES = [("typical", "text"), ("typical", "json"), ("typical", "markdown"), ("typical", "junit"),
         ("passing", "text"), ("passing", "junit")]
EXTENSIONS = {"text": "txt", "json": "json", "markdown": "md", "junit": "xml"}


def check_golden(name: str, actual: str) -> None:
    support.check_golden(GOLDEN / name, actual)


@pytest.mark.parametrize(("fixture", "fmt"), CASES, ids=[f"{a}-{b}" for a, b in CASES])
def test_report_matches_golden(fixture: str, fmt: str) -> None:
    report = simulate(scenario.load(FIXTURES / f"{fixture}.yaml"))
    check_golden(f"{fixture}.{EXTENSIONS[fmt]}", render(report, fmt))


def test_fix_plan_matches_golden() -> None:
    result = fix(scenario.load(FIXTURES / "typical.yaml"))
    check_golden("typical-fix.txt", render_fix(result, "text"))
    check_golden("typical-fixed.yaml", scenario.dump(result.fixed_scenario))
