"""Every import docs/reference/python-api.md calls public exists, and its examples run."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

PAGE = Path(__file__).resolve().parent.parent / "docs" / "reference" / "python-api.md"


def documented_names() -> list[tuple[str, str]]:
    """(module, name) for each dotted name in the first column of the page's tables."""
    names = []
    for cell in re.findall(r"^\| `(gluesim\.[^|]+)\|", PAGE.read_text(encoding="utf-8"), flags=re.M):
        dotted = [part.strip(" `") for part in cell.split(",")]
        module, first = dotted[0].rsplit(".", 1)
        if first[0].isupper() or not _is_module(dotted[0]):
            names += [(module, first), *((module, other) for other in dotted[1:])]
        else:
            names.append((dotted[0], ""))
    return names


def _is_module(dotted: str) -> bool:
    try:
        importlib.import_module(dotted)
    except ImportError:
        return False
    return True


@pytest.mark.parametrize(("module", "name"), documented_names())
def test_a_documented_import_exists(module: str, name: str) -> None:
    imported = importlib.import_module(module)
    assert not name or hasattr(imported, name), f"{module} has no {name}"


def test_the_page_names_the_main_entry_points() -> None:
    assert len(documented_names()) >= 30


def test_the_scenario_example_runs() -> None:
    from gluesim.simulator import scenario
    from gluesim.simulator.audit import audit
    from gluesim.simulator.engine import simulate
    from gluesim.simulator.fix import fix
    from gluesim.simulator.library import library_dir

    model = scenario.load(library_dir() / "default.yaml")
    report = simulate(model)
    fixed = fix(model)
    assert any(result.failures for result in report.results)
    assert not any(result.failures for result in simulate(scenario.loads(scenario.dump(fixed.fixed_scenario))).results)
    assert audit(model).principals
