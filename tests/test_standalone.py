"""The repository stands alone: nothing is read beside it, and a clone placed anywhere passes its tests."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import OUTSIDE_READS, REPOSITORY, OutsideRepositoryRead, readable

CODE_FOLDERS = ("kb", "simulator", "cli", "tests", "bench")
GUARD = (REPOSITORY / "tests" / "conftest.py", REPOSITORY / "tests" / "test_standalone.py")  # name it to refuse it
# A fast subset that reads the knowledge base's sources and the copied samples.
SUBSET = ["tests/test_repository.py", "tests/kb/test_kb_meta.py", "tests/simulator/engine/test_studio_transforms.py",
          "tests/simulator/importers/test_cfn.py"]


@pytest.mark.parametrize(
    "outside",
    [REPOSITORY.parent / "shared" / "seeds" / "setting-up-for-aws-glue-studio.txt",
     Path("/gluesim-guard-probe") / "nowhere.txt"],
    ids=["beside-the-repository", "outside-every-root"],
)
def test_the_guard_refuses_a_read_outside_the_repository(outside: Path) -> None:
    """Refused before the file system is asked, wherever the clone sits (in /tmp too)."""
    assert not readable(str(outside))
    with pytest.raises(OutsideRepositoryRead, match="opened outside the repository"):
        outside.read_text()
    OUTSIDE_READS.remove(str(outside))  # refused on purpose: not a failure of the run


def test_the_repository_and_the_temporary_folder_are_readable(tmp_path: Path) -> None:
    assert readable(str(REPOSITORY / "README.md")) and readable(str(tmp_path / "x"))


def test_no_code_or_test_names_the_folder_beside_the_repository() -> None:
    beside = re.compile(r"\.\./shared|[\"']shared[\"']\s*/|parent\s*/\s*[\"']shared")
    offenders = [
        f"{path.relative_to(REPOSITORY)}:{number}"
        for folder in CODE_FOLDERS
        for path in (REPOSITORY / folder).rglob("*.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if beside.search(line) and path not in GUARD
    ]
    assert offenders == []


def test_a_fresh_clone_in_an_empty_folder_installs_and_passes(tmp_path: Path) -> None:
    """Clone HEAD where no ``../shared`` exists, install as the README says, run the main job and a subset."""
    clone = tmp_path / "anywhere" / "gluesim"
    subprocess.run(["git", "clone", "--quiet", str(REPOSITORY), str(clone)], check=True)
    assert not (clone.parent / "shared").exists()
    env = {key: value for key, value in os.environ.items() if key not in ("VIRTUAL_ENV", "PYTHONPATH")}
    run = lambda *args: subprocess.run(args, cwd=clone, env=env, capture_output=True, text=True)  # noqa: E731
    venv = clone / ".venv" / "bin"
    assert run(sys.executable, "-m", "venv", ".venv").returncode == 0
    installed = run(str(venv / "pip"), "install", "-q", "-e", ".[test]")
    assert installed.returncode == 0, installed.stderr[-2000:]
    simulated = run(str(venv / "gluesim"), "simulate")
    assert simulated.returncode == 1 and "fail" in simulated.stdout, simulated.stdout + simulated.stderr
    tested = run(str(venv / "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider", *SUBSET)
    assert tested.returncode == 0 and " passed" in tested.stdout, tested.stdout[-3000:]
