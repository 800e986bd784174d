"""Exit status rules of issue 10: nothing checked is not a pass; audit fails on risky grants and failing jobs;
the role-name rule is the same in explain, fix and simulate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from support import run_cli as run

FIXTURES = Path(__file__).resolve().parent.parent / "simulator" / "fixtures"
PASSING = FIXTURES / "passing.yaml"


def write(tmp_path: Path, data: dict, name: str = "s.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def passing() -> dict:
    return yaml.safe_load(PASSING.read_text())


def test_a_scenario_without_jobs_or_checks_is_one_line_and_exit_2(capsys, tmp_path) -> None:
    path = write(tmp_path, {"account": {"id": "111122223333"}, "users": [{"name": "lee"}]})
    for command in ("simulate", "fix"):
        code, out, err = run(capsys, command, path)
        assert (code, out) == (2, "")
        assert err == (f"Error: {path}: the scenario has no jobs and no checks, so nothing is checked; add a job "
                       "under 'jobs:' or an action under 'checks:'\n")


def test_filters_that_match_nothing_say_why_and_exit_2(capsys, tmp_path) -> None:
    data = passing()
    data["users"].append({"name": "lee", "console_access": True, "managed_policies": ["AWSGlueConsoleFullAccess"]})
    data["jobs"][0]["run_by"] = "ana"
    data["checks"].append({"actor": "lee", "action": "delete-jobs"})
    path = write(tmp_path, data)
    code, out, err = run(capsys, "simulate", path, "--actor", "lee", "--action", "run-job")
    assert (code, out) == (2, "")
    assert err == ("Error: --actor lee --action run-job: lee does not run-job in this scenario (run-job is done by "
                   "ana), so nothing is checked; expected one of lee's actions (delete-jobs) or one of those users\n")
    code, _, err = run(capsys, "simulate", path, "--action", "create-job-vpc")
    assert code == 2 and err.startswith("Error: --action create-job-vpc: no job or check of the scenario has "
                                        "create-job-vpc, so nothing is checked; expected an action of the scenario (")


def test_audit_exits_1_when_a_job_of_the_scenario_fails(capsys, tmp_path) -> None:
    data = passing()
    assert run(capsys, "audit", write(tmp_path, data), "--format", "json")[0] == 0
    data["roles"][0]["inline_policies"]["Data"]["Statement"].pop()  # the job role can no longer write its target
    code, out, _ = run(capsys, "audit", write(tmp_path, data), "--format", "json")
    report = json.loads(out)
    assert code == 1 and report["risky_grants"] == []
    assert [(j["name"], j["verdict"]) for j in report["jobs"]] == [("copy", "fail")]


def test_a_role_anyone_may_assume_is_a_risky_grant(capsys, tmp_path) -> None:
    data = passing()
    data["roles"].append({"name": "open-door", "trust_policy": {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]}})
    code, out, _ = run(capsys, "audit", write(tmp_path, data), "--format", "json")
    risks = [(g["principal"], g["risk"]) for g in json.loads(out)["risky_grants"]]
    assert code == 1 and risks == [("role/open-door", "assumable-by-anyone")]
    # A condition anyone else cannot meet (the organization) makes it no longer "anyone".
    data["roles"][-1]["trust_policy"]["Statement"][0]["Condition"] = {
        "StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}
    code, out, _ = run(capsys, "audit", write(tmp_path, data), "--format", "json")
    assert code == 0 and json.loads(out)["risky_grants"] == []


def test_audit_checks_iam_passrole_on_the_scenarios_real_job_role(capsys, tmp_path) -> None:
    """AWSGlueConsoleFullAccess passes only AWSGlueServiceRole* roles: a job role without the prefix fails both."""
    data = passing()
    data["roles"][0]["name"] = "CopyRole"
    data["jobs"][0]["role"] = "CopyRole"
    path = write(tmp_path, data)
    simulated = {r["action"]: r["verdict"] for r in json.loads(run(capsys, "simulate", path, "-f", "json")[1])["results"]}
    audited = json.loads(run(capsys, "audit", path, "--format", "json")[1])
    ana = next(p for p in audited["principals"] if p["name"] == "ana")["actions"]
    assert simulated["action.save-job"] == "fail"
    assert ana["save-job"]["verdict"] == "denied" and ana["save-job"]["subjects"] == [
        {"subject": "copy", "verdict": "denied"}]
    assert {"job-role.name-prefix", "user.pass-job-role"} <= set(ana["save-job"]["missing"])


def test_an_empty_account_is_nothing_to_audit(capsys, tmp_path) -> None:
    path = write(tmp_path, {"account": {"id": "111122223333"}})
    code, out, err = run(capsys, "audit", path)
    assert (code, out) == (2, "")
    assert err.startswith(f"Error: {path}: the account has no users and no roles, so nothing is audited;")


def test_the_role_name_rule_is_the_same_in_explain_fix_and_simulate(capsys, tmp_path) -> None:
    code, out, _ = run(capsys, "explain", "job-role.name-prefix")
    fix = " ".join(out.split("Fix:", 1)[1].split())
    assert code == 0 and fix.startswith("Create the job role again with a name that starts with AWSGlueServiceRole")
    assert "PassRole" not in fix and "does not meet this requirement" in " ".join(out.split())
    data = passing()
    data["roles"][0]["name"] = "CopyRole"
    data["jobs"][0]["role"] = "CopyRole"
    # The user gets exactly what explain once offered: an iam:PassRole statement for the team's naming convention.
    data["users"][0]["inline_policies"] = {"PassCopyRoles": {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::123456789012:role/Copy*",
        "Condition": {"StringEquals": {"iam:PassedToService": "glue.amazonaws.com"}}}]}}
    path = write(tmp_path, data)
    report = json.loads(run(capsys, "simulate", path, "-f", "json")[1])
    save = next(r for r in report["results"] if r["action"] == "action.save-job")
    assert [f["requirement"] for f in save["failures"]] == ["job-role.name-prefix"]  # PassRole now holds
    assert "recreate role CopyRole as AWSGlueServiceRole-CopyRole" in save["failures"][0]["fix"]
    plan = run(capsys, "fix", path)[1]
    assert "[job-role.name-prefix] recreate role CopyRole as AWSGlueServiceRole-CopyRole" in plan
