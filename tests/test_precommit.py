"""The pre-commit hooks of this repository, run by ``pre-commit try-repo`` on a temporary git repository.

pre-commit installs gluesim from this repository into its own environment (pip, as a user's
pre-commit would), so this test takes a while the first time; the environment is kept in the
test's PRE_COMMIT_HOME and shared by both runs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PASSING = ROOT / "tests" / "simulator" / "fixtures" / "passing.yaml"
BROKEN = ROOT / "tests" / "cli" / "fixtures" / "three-errors.yaml"
POLICY = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "glue:GetJob", "Resource": "*"}]}\n'


def _git(repo: Path, *argv: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *argv], cwd=repo, check=True,
                   capture_output=True)


def _try_repo(repo: Path, home: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never", "NO_COLOR": "1"}
    env.pop("GIT_DIR", None)
    command = [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), *argv, "--all-files"]
    return subprocess.run(command, cwd=repo, env=env, capture_output=True, text=True, timeout=900)


def test_the_hooks_pass_a_good_repository_and_fail_a_bad_scenario(tmp_path: Path) -> None:
    repo, home = tmp_path / "repo", tmp_path / "pre-commit-home"
    (repo / "scenarios").mkdir(parents=True)
    (repo / "policies").mkdir()
    shutil.copy(PASSING, repo / "scenarios" / "account.yaml")
    (repo / "policies" / "operator.json").write_text(POLICY)
    (repo / "notes.yaml").write_text("not: a scenario\n")  # outside scenarios/: no hook looks at it
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")

    good = _try_repo(repo, home)
    assert good.returncode == 0, good.stdout + good.stderr
    for name in ("gluesim scenario check", "gluesim simulate", "gluesim policy check"):
        assert any(line.startswith(name) and line.endswith("Passed") for line in good.stdout.splitlines()), name

    shutil.copy(BROKEN, repo / "scenarios" / "broken.yaml")
    _git(repo, "add", "-A")
    bad = _try_repo(repo, home, "gluesim-scenario-check")
    assert bad.returncode == 1
    errors = [line for line in bad.stdout.splitlines() if line.startswith("Error: scenarios/broken.yaml:")]
    assert [line.split(":")[2] for line in errors] == ["3", "8", "10"]  # every error of the file, in one run
