"""Start-up discipline of ``gluesim explain``: what it must not import (no timing here; see bench/)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PROBE = """
import contextlib, io, json, sys
from gluesim.cli.app import main
with contextlib.redirect_stdout(io.StringIO()):
    code = main(sys.argv[1:])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def imported_by(tmp_path: Path, *argv: str) -> tuple[int, set[str]]:
    """Run the CLI in a fresh interpreter with its own KB cache; return exit code and loaded modules."""
    env = {**os.environ, "GLUESIM_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("GLUESIM_NO_CACHE", None)
    result = subprocess.run([sys.executable, "-c", PROBE, *argv], capture_output=True, text=True, env=env, check=True)
    data = json.loads(result.stdout.splitlines()[-1])
    return data["code"], set(data["modules"])


def test_explain_never_imports_networkx_or_the_iam_evaluator(tmp_path: Path) -> None:
    code, modules = imported_by(tmp_path, "explain", "glue:BatchDeleteJob")
    assert code == 0
    assert "networkx" not in modules
    assert not any(name.startswith("gluesim.simulator.") for name in modules)
    # mkdocs and its theme are regular dependencies, imported only by `gluesim docs`.
    assert not any(name.split(".")[0] in ("mkdocs", "material", "pymdownx", "pygments") for name in modules)


def test_explain_with_a_warm_cache_does_not_parse_yaml(tmp_path: Path) -> None:
    imported_by(tmp_path, "explain", "job-role.name-prefix")  # fills the cache
    code, modules = imported_by(tmp_path, "explain", "job-role.name-prefix")
    assert code == 0
    assert "yaml" not in modules


def test_plan_uses_networkx(tmp_path: Path) -> None:
    code, modules = imported_by(tmp_path, "plan", "run-job")
    assert code == 0 and "networkx" in modules


def test_explain_never_imports_pydantic_whatever_the_typer_version(tmp_path: Path) -> None:
    """typer 0.29+ coerces declared parameters through pydantic (~100 ms): explain declares only flags."""
    code, modules = imported_by(tmp_path, "explain", "glue:BatchDeleteJob", "--format", "json")
    assert code == 0
    assert not any(name.split(".")[0] in {"pydantic", "pydantic_core", "rich"} for name in modules)
