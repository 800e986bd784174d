"""``--format sarif`` of simulate, audit and policy check: valid SARIF 2.1.0 that points where the user wrote."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft4Validator

from support import run_cli as run

TESTS = Path(__file__).resolve().parents[1]
SCHEMA = TESTS / "fixtures" / "sarif" / "sarif-schema-2.1.0.json"
LIBRARY = TESTS.parent / "simulator" / "data" / "scenarios"
STACK = Path(__file__).resolve().parent / "fixtures" / "stack-with-suppression.yaml"
GAAD = TESTS / "simulator" / "importers" / "samples" / "authorization-details" / "cloudmapper-demo.json"


@functools.cache
def validator() -> Draft4Validator:
    return Draft4Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))


def sarif(capsys: pytest.CaptureFixture[str], *argv: Any) -> tuple[int, dict[str, Any]]:
    code, out, _ = run(capsys, *argv, "--format", "sarif")
    log = json.loads(out)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator().iter_errors(log)]
    assert errors == []
    return code, log


def test_simulate_sarif_is_valid_and_points_at_the_users_lines(capsys: pytest.CaptureFixture[str]) -> None:
    code, log = sarif(capsys, "simulate", LIBRARY / "default.yaml")
    run_ = log["runs"][0]
    rules = {rule["id"]: rule for rule in run_["tool"]["driver"]["rules"]}
    assert code == 1 and log["version"] == "2.1.0"
    assert rules["user.pass-job-role"]["helpUri"].startswith("https://docs.aws.amazon.com/glue/")
    prefix = next(r for r in run_["results"] if r["ruleId"] == "job-role.name-prefix")
    region = prefix["locations"][0]["physicalLocation"]["region"]
    lines = (LIBRARY / "default.yaml").read_text().splitlines()
    assert lines[region["startLine"] - 1].strip() == "- name: GlueFlightDataRole" and region["startColumn"] == 5
    assert all(r["ruleIndex"] == list(rules).index(r["ruleId"]) for r in run_["results"])


def test_fingerprints_survive_runs_and_moved_lines(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    moved = tmp_path / "default.yaml"
    moved.write_text("# a comment that moves every line down\n" + (LIBRARY / "default.yaml").read_text())
    fingerprints = []
    for path in (LIBRARY / "default.yaml", LIBRARY / "default.yaml", moved):
        _, log = sarif(capsys, "simulate", path)
        fingerprints.append(sorted(r["partialFingerprints"]["gluesim/v1"] for r in log["runs"][0]["results"]))
    assert fingerprints[0] == fingerprints[1] and len(set(fingerprints[0])) == len(fingerprints[0])
    # The file's name is part of the fingerprint, its lines are not.
    assert len(fingerprints[2]) == len(fingerprints[0])


def test_audit_sarif_lists_risky_grants_with_suppressions_from_template_metadata(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, log = sarif(capsys, "audit", STACK)
    results = log["runs"][0]["results"]
    passrole = {r["properties"]["resource"]: r for r in results if r["ruleId"] == "audit.passrole-any"}
    deploy = next(name for name in passrole if "DeployUser" in name)
    assert passrole[deploy]["suppressions"][0]["kind"] == "inSource"
    assert "suppressions" not in passrole["user/ops"]
    assert any(r["ruleId"] == "audit.admin" and "suppressions" not in r for r in results)
    assert code == 1  # the unsuppressed administrator grant still fails the run


def test_audit_sarif_of_an_authorization_details_export(capsys: pytest.CaptureFixture[str]) -> None:
    _, log = sarif(capsys, "audit", GAAD)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]}
    assert uris <= {GAAD.as_uri()}


def test_policy_check_sarif_uses_issue_codes_and_json_paths(capsys: pytest.CaptureFixture[str],
                                                            tmp_path: Path) -> None:
    policy = tmp_path / "p.json"
    policy.write_text('{\n  "Version": "2012-10-17",\n  "Statement": [\n'
                      '    {"Effect": "Allow", "Action": "glue:CreateJobs", "Resource": "*"}\n  ]\n}\n')
    broken = tmp_path / "broken.json"
    broken.write_text('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow"}]}')
    code, log = sarif(capsys, "policy", "check", policy, broken)
    results = log["runs"][0]["results"]
    assert code == 2  # a document that is not a policy is still bad input
    found = next(r for r in results if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                 == policy.as_uri())
    assert found["locations"][0]["physicalLocation"]["region"] == {"startLine": 4, "startColumn": 35}
    assert found["locations"][0]["logicalLocations"] == [{"fullyQualifiedName": "Statement[0].Action"}]
    assert any(r["ruleId"] == "POLICY_INVALID" and r["level"] == "error" for r in results)


def test_audit_sarif_of_an_organization_folder(capsys: pytest.CaptureFixture[str]) -> None:
    code, log = sarif(capsys, "audit", TESTS / "simulator" / "importers" / "organization")
    assert code == 1 and {r["ruleId"] for r in log["runs"][0]["results"]} >= {"audit.admin"}
