"""Meta-tests of the repository itself: packaging, README and CI agree with each other."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE_ROOTS = {"kb": "gluesim.kb", "simulator": "gluesim.simulator", "cli": "gluesim.cli"}


def readme_commands() -> list[str]:
    """The shell commands in the README's first two code blocks."""
    blocks = re.findall(r"```sh\n(.*?)\n```", (ROOT / "README.md").read_text(), flags=re.S)
    return [block.strip() for block in blocks[:2]]


def test_readme_opens_with_install_and_test_commands() -> None:
    run, test = readme_commands()
    assert "pip install" in run and "gluesim simulate" in run
    assert "pip install" in test and "pytest" in test


def test_the_readme_python_example_runs() -> None:
    """The README's Python block, run as written, with the one name it leaves to the reader."""
    (block,) = re.findall(r"```python\n(.*?)\n```", (ROOT / "README.md").read_text(), flags=re.S)
    policy_json = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"}]}'
    *statements, last = block.strip().splitlines()
    namespace: dict[str, object] = {"policy_json": policy_json}
    exec("\n".join(statements), namespace)  # noqa: S102 - our own README
    decision = eval(last.split("#")[0], namespace)  # noqa: S307 - the README's last line is an expression
    assert decision == "allowed"


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    _, test = readme_commands()
    ci_lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    assert test in ci_lines


def test_every_python_package_is_listed_in_pyproject() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    listed = set(config["tool"]["setuptools"]["packages"])
    found = set()
    for folder, dotted in PACKAGE_ROOTS.items():
        for init in (ROOT / folder).rglob("__init__.py"):
            relative = init.parent.relative_to(ROOT / folder).parts
            found.add(".".join((dotted, *relative)))
    assert found == listed


def test_no_generic_top_level_modules_are_packaged() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    for name in config["tool"]["setuptools"]["packages"]:
        assert name.startswith("gluesim."), name
