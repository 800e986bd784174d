"""The import-linter layers contract in pyproject.toml holds, and it would catch an import against the layers."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

import grimp
import pytest
from importlinter.contracts.layers import LayersContract

ROOT = Path(__file__).resolve().parent.parent


@cache
def config() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]


def contract() -> LayersContract:
    (spec,) = config()["contracts"]
    options = {key: value for key, value in spec.items() if key not in ("name", "type")}
    return LayersContract(spec["name"], {"root_packages": config()["root_packages"]}, options)


def graph() -> grimp.ImportGraph:
    return grimp.build_graph(*config()["root_packages"], cache_dir=None)


def test_the_source_keeps_the_layers() -> None:
    check = contract().check(graph(), verbose=False)
    assert check.kept, check.metadata


@pytest.mark.parametrize(
    ("lower", "higher"),
    [
        ("gluesim.simulator.engine.context", "gluesim.simulator.audit.access"),
        ("gluesim.simulator.model", "gluesim.simulator.scenario.reader"),
        ("gluesim.simulator.scenario.reader", "gluesim.simulator.engine.run"),
        ("gluesim.simulator.iam.evaluate", "gluesim.simulator.model"),
        ("gluesim.kb.loader", "gluesim.simulator.policies"),
        ("gluesim.simulator.fix.plan", "gluesim.simulator.audit.access"),
        ("gluesim.simulator.engine.run", "gluesim.simulator.importers.sources"),
        ("gluesim.simulator.engine.run", "gluesim.cli.app"),
    ],
)
def test_an_import_against_the_layers_breaks_the_contract(lower: str, higher: str) -> None:
    imports = graph()
    assert not imports.direct_import_exists(importer=lower, imported=higher)
    imports.add_import(importer=lower, imported=higher)
    assert not contract().check(imports, verbose=False).kept


def test_every_simulator_package_says_what_it_owns_and_may_import() -> None:
    for init in (ROOT / "simulator").rglob("__init__.py"):
        text = init.read_text(encoding="utf-8")
        assert text.startswith('"""'), init
        if init.parent != ROOT / "simulator":
            assert "may import" in " ".join(text.split('"""')[1].split()), f"{init}: the docstring does not say what it may import"
