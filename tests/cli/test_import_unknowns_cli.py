"""``gluesim import --to X.yaml`` keeps the unknowns: ``audit X.yaml`` and ``simulate X.yaml`` never pass them."""

from __future__ import annotations

import json
from pathlib import Path


from support import run_cli as run

GAAD = Path(__file__).parents[1] / "simulator" / "importers" / "samples" / "authorization-details"
PARTIAL = GAAD / "awscli-docs-example.json"


def test_the_written_scenario_carries_the_unknown_policy_mark(capsys, tmp_path) -> None:
    out = tmp_path / "partial.yaml"
    assert run(capsys, "import", PARTIAL, "--allow-partial", "--to", out)[0] == 0
    import yaml

    roles = {r["name"]: r for r in yaml.safe_load(out.read_text())["roles"]}
    assert roles["EC2role"]["unknown_policies"] == [
        {"policy": "arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess", "reason": "not in the export"}]


def test_auditing_the_written_partial_export_gives_the_verdicts_of_the_sources(capsys, tmp_path) -> None:
    out = tmp_path / "partial.yaml"
    assert run(capsys, "import", PARTIAL, "--allow-partial", "--to", out)[0] == 0
    direct = json.loads(run(capsys, "audit", PARTIAL, "--allow-partial", "--format", "json")[1])
    replayed = json.loads(run(capsys, "audit", out, "--format", "json")[1])

    def verdicts(data: dict) -> dict:
        return {(p["kind"], p["name"]): {a: v["verdict"] for a, v in p["actions"].items()} for p in data["principals"]}

    assert verdicts(replayed) == verdicts(direct)
    ec2role = next(p for p in replayed["principals"] if p["name"] == "EC2role")
    assert ec2role["actions"]["sign-in-console"]["verdict"] == "denied"  # only EC2 may assume it
    assert "allowed" not in {a["verdict"] for a in ec2role["actions"].values()}
    assert ec2role["unknowns"] == ["managed policy 'arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess' is unknown "
                                   "(not in the export)"]


def test_simulating_the_written_file_never_passes_the_unknown_role(capsys, tmp_path) -> None:
    out = tmp_path / "partial.yaml"
    assert run(capsys, "import", PARTIAL, "--allow-partial", "--to", out)[0] == 0
    job = "\njobs:\n  - {name: j, created_by: Alice, role: EC2role}\n"
    out.write_text(out.read_text() + job)
    code, stdout, _ = run(capsys, "simulate", out, "--action", "run-job", "--format", "json")
    (result,) = json.loads(stdout)["results"]
    assert code == 1 and result["verdict"] != "pass"
    unknown = [f for f in result["failures"] if f["verdict"] == "unknown" and "AmazonDynamoDBFullAccess" in f["reason"]]
    assert unknown and "export managed policy arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess" in unknown[0]["fix"]
