"""The config file (found walking up, or --config) and suppressions (config, scenario, template; expiry)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from support import run_cli as run

LIBRARY = Path(__file__).resolve().parents[2] / "simulator" / "data" / "scenarios"
ACCEPT_PREFIX = """suppress:
  - rule: job-role.name-prefix
    job: flights-*
    reason: the role is recreated in the Q3 migration
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder holding the default scenario; the working directory is a folder below it."""
    (tmp_path / "default.yaml").write_text((LIBRARY / "default.yaml").read_text())
    (tmp_path / "sub" / "dir").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "sub" / "dir")
    return tmp_path


def _findings(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, list[dict]]:
    code, out, _ = run(capsys, "simulate", *argv, "--format", "json")
    return code, json.loads(out)["findings"]


def test_config_is_found_walking_up_and_suppresses(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    (project / ".gluesim.yaml").write_text(ACCEPT_PREFIX)
    _, findings = _findings(capsys, project / "default.yaml")
    prefix = [f for f in findings if f["rule"] == "job-role.name-prefix"]
    assert prefix and all(f["suppressed"]["reason"] == "the role is recreated in the Q3 migration" for f in prefix)
    assert all(f["suppressed"] is None for f in findings if f["rule"] != "job-role.name-prefix")


def test_pyproject_tool_table_and_fail_on(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    (project / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.gluesim]\nfail-on = "never"\n'
                                            'format = "sarif"\n')
    code, out, _ = run(capsys, "simulate", project / "default.yaml")
    assert code == 0 and json.loads(out)["version"] == "2.1.0"


def test_a_pyproject_without_the_table_does_not_count(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    (project / "pyproject.toml").write_text('[project]\nname = "x"\n')
    (project / "sub" / ".gluesim.yaml").write_text("fail-on: never\n")
    assert run(capsys, "simulate", project / "default.yaml")[0] == 0


def test_config_option_overrides_the_nearest_file(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    (project / ".gluesim.yaml").write_text("fail-on: never\n")
    strict = project / "strict.yaml"
    strict.write_text("fail-on: error\n")
    assert run(capsys, "simulate", project / "default.yaml", "--config", strict)[0] == 1


@pytest.mark.parametrize(("text", "error"), [
    ("fail_on: error\n", "Error: {path}:1: unknown config key 'fail_on'; did you mean 'fail-on'?"),
    ("fail-on: sometimes\n", "Error: {path}:1: fail-on is 'sometimes'; expected one of error, warning, note, never"),
    ("suppress:\n  - rule: x\n", "Error: {path}:2: a suppression needs 'reason' (text); say which finding and "
     "why it is accepted"),
    ("suppress:\n  - {rule: x, reason: y, expires: soon}\n", "Error: {path}:2: expires 'soon' is not a date; "
     "expected YYYY-MM-DD"),
])
def test_a_bad_config_is_one_located_error(capsys: pytest.CaptureFixture[str], project: Path, text: str,
                                           error: str) -> None:
    config = project / ".gluesim.yaml"
    config.write_text(text)
    code, out, err = run(capsys, "simulate", project / "default.yaml")
    assert code == 2 and out == "" and err == error.format(path=config) + "\n"


def test_inline_suppressions_and_an_expired_one(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    text = (project / "default.yaml").read_text()
    text = text.replace("    role: GlueFlightDataRole\n", "    role: GlueFlightDataRole\n    suppress:\n"
                        "      - {rule: 'job-role.*', reason: roles are reviewed in the migration}\n", 1)
    text = text.replace("  - name: lee\n", "  - name: lee\n    suppress:\n      - rule: user.batch-delete-jobs\n"
                        "        reason: lee deletes one job at a time\n        expires: 2001-01-01\n", 1)
    (project / "default.yaml").write_text(text)
    code, findings = _findings(capsys, project / "default.yaml")
    by_rule = {f["rule"]: f for f in findings}
    assert by_rule["job-role.s3-target-write"]["suppressed"]["where"].endswith("default.yaml:92")
    assert by_rule["user.batch-delete-jobs"]["suppressed"] is None  # expired: it suppresses nothing
    expired = by_rule["gluesim.expired-suppression"]
    assert expired["level"] == "error" and "expired on 2001-01-01" in expired["message"] and code == 1


def test_suppressed_findings_do_not_fail_the_run(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    (project / ".gluesim.yaml").write_text("suppress:\n  - {rule: '*', reason: a demo account}\n")
    code, out, _ = run(capsys, "simulate", project / "default.yaml")
    assert code == 0 and out.splitlines()[0].endswith("0 fail, 0 unknown (6 suppressed)") is False
    assert out.splitlines()[0].endswith("4 fail, 0 unknown (6 suppressed)") and "\nSuppressed (6):\n" in out


def test_actions_and_actors_from_the_config(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    (project / ".gluesim.yaml").write_text("actors: [lee]\nactions: [delete-jobs]\n")
    _, out, _ = run(capsys, "simulate", project / "default.yaml")
    assert [line for line in out.splitlines() if line.startswith(("PASS", "FAIL"))] == ["FAIL    lee: delete-jobs"]
