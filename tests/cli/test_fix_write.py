"""``fix --write`` edits the user's file where the fix changes it and keeps the rest; ``fix --diff`` shows it."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from support import check_golden, run_cli as run

ROOT = Path(__file__).resolve().parents[2]
LIBRARY = ROOT / "simulator" / "data" / "scenarios"
GOLDEN = Path(__file__).resolve().parent / "golden"


def _removed_and_added(old: str, new: str) -> tuple[list[str], list[str]]:
    diff = list(difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=0))
    removed = [line[1:] for line in diff if line.startswith("-") and not line.startswith("---")]
    added = [line[1:] for line in diff if line.startswith("+") and not line.startswith("+++")]
    return removed, added


def test_fix_write_keeps_comments_flow_lists_and_shorthands(capsys: pytest.CaptureFixture[str],
                                                            tmp_path: Path) -> None:
    source = tmp_path / "default.yaml"
    original = (LIBRARY / "default.yaml").read_text()
    source.write_text(original)
    target = tmp_path / "fixed.yaml"
    code, out, _ = run(capsys, "fix", source, "--write", target)
    assert code == 0 and f"Wrote the fixed scenario to {target}" in out
    fixed = target.read_text()
    removed, added = _removed_and_added(original, fixed)
    # Only the renamed role's two mentions change; everything else the user wrote stays as written.
    assert removed == ["  - name: GlueFlightDataRole", "    role: GlueFlightDataRole"]
    assert "  - name: AWSGlueServiceRole-GlueFlightDataRole" in added
    assert "    trusted_services: [glue.amazonaws.com]" in fixed
    assert "    managed_policies: [GlueJobsOperator]" in fixed
    assert len(fixed.splitlines()) == len(original.splitlines()) + len(added) - len(removed)
    code, out, _ = run(capsys, "simulate", target)
    assert code == 0 and ", 0 fail, 0 unknown" in out


def test_fix_write_keeps_a_kms_alias_it_does_not_change(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    source, target = tmp_path / "kms.yaml", tmp_path / "fixed.yaml"
    original = (LIBRARY / "kms-role-policy.yaml").read_text()
    source.write_text(original)
    assert run(capsys, "fix", source, "--write", target)[0] == 0
    removed, _ = _removed_and_added(original, target.read_text())
    assert "    kms_key: alias/finance-data" in target.read_text() and not any("alias/" in r for r in removed)


def test_fix_diff_patches_the_file_in_place(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """--write never overwrites its input; the diff is how a file is fixed in place, comments and all."""
    import shutil
    import subprocess

    monkeypatch.chdir(tmp_path)
    shutil.copy(LIBRARY / "default.yaml", "default.yaml")
    code, out, _ = run(capsys, "fix", "default.yaml", "--diff")
    assert code == 0
    subprocess.run(["git", "apply", "-p0"], input=out, text=True, check=True)
    assert run(capsys, "fix", "default.yaml", "--diff")[1] == ""  # nothing left to fix
    assert (tmp_path / "default.yaml").read_text().count("#") == (LIBRARY / "default.yaml").read_text().count("#")


def test_fix_diff_on_the_default_scenario(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "fix", "--diff")
    assert code == 0 and err == "" and list(tmp_path.iterdir()) == []
    check_golden(GOLDEN / "fix-default.diff", out)


def test_fix_diff_json_carries_the_plan_and_the_diff(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    code, out, _ = run(capsys, "fix", LIBRARY / "vpc-security-group-dns.yaml", "--diff", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["written"] is None and data["steps"]
    assert "-    enable_dns_hostnames: false\n+    enable_dns_hostnames: true\n" in data["diff"]
