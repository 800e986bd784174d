"""``gluesim import`` and ``gluesim audit`` end to end, on the real public samples.

Samples live in ``tests/simulator/importers/samples/`` with their SOURCES.md files:
salesforce/cloudsplaining ``examples/files/example.json`` @ 5012eab1 (BSD-3-Clause),
duo-labs/cloudmapper demo account @ ec8fbf20 (BSD-3-Clause), aws/aws-cli documentation
examples @ 07c4fe36 (Apache-2.0), aws-samples CloudFormation templates (MIT-0). The export
folder fixture is ``tests/simulator/importers/bundle/`` (its SOURCES.md names each file's origin).
Golden output: ``tests/simulator/importers/golden/`` (regenerate with ``GLUESIM_REGEN_GOLDEN=1``).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path


from support import run_cli as run
import support

IMPORTERS = Path(__file__).resolve().parents[1] / "simulator" / "importers"
GAAD = IMPORTERS / "samples" / "authorization-details"
CFN = IMPORTERS / "samples" / "cloudformation"
BUNDLE = IMPORTERS / "bundle"
GOLDEN = IMPORTERS / "golden"


def check_golden(name: str, text: str) -> None:
    support.check_golden(GOLDEN / name, text)


def test_import_writes_a_scenario_that_simulate_replays(capsys, tmp_path) -> None:
    out = tmp_path / "account.yaml"
    code, stdout, stderr = run(capsys, "import", GAAD / "cloudsplaining-example.json", "--to", out, "--region", "eu-west-1")
    assert code == 0, stderr
    assert stdout.startswith(f"Wrote {out}: 44 users, 5 groups, 78 roles, ")
    code, stdout, stderr = run(capsys, "simulate", out)
    # An authorization-details export holds no Glue jobs: nothing is checked, which is said, not passed.
    assert (code, stdout) == (2, "")
    assert stderr == (f"Error: {out}: the scenario has no jobs and no checks, so nothing is checked; add a job "
                      "under 'jobs:' or an action under 'checks:'\n")


def test_the_partial_docs_example_is_one_error_line(capsys, tmp_path) -> None:
    code, stdout, stderr = run(capsys, "import", GAAD / "awscli-docs-example.json", "--to", tmp_path / "x.yaml")
    assert (code, stdout) == (2, "")
    assert stderr == (
        f"Error: {GAAD / 'awscli-docs-example.json'}: IsTruncated: the export is partial (IsTruncated is true or Marker "
        "is present); re-run 'aws iam get-account-authorization-details' without --max-items, or pass --allow-partial "
        "to import it anyway\n"
    )
    assert not (tmp_path / "x.yaml").exists()


def test_truncated_json_is_one_located_line(capsys, tmp_path) -> None:
    source = tmp_path / "gaad.json"
    source.write_text((GAAD / "cloudmapper-demo.json").read_text()[:500])
    code, _, stderr = run(capsys, "import", source, "--to", tmp_path / "x.yaml")
    assert code == 2
    assert stderr.startswith(f"Error: {source}:") and stderr.endswith("; the file ends early; re-run the export\n")
    assert stderr.count("\n") == 1


def test_a_200_mb_export_is_refused_by_size(capsys, tmp_path) -> None:
    source = tmp_path / "gaad.json"
    with open(source, "wb") as handle:
        handle.truncate(200 * 1024 * 1024)
    code, _, stderr = run(capsys, "import", source, "--to", tmp_path / "x.yaml")
    source.unlink()
    assert (code, stderr) == (2, f"Error: {source}: the export is 200.0 MiB; at most 64 MiB is accepted\n")


def test_a_file_that_is_no_export_is_named(capsys, tmp_path) -> None:
    source = tmp_path / "other.json"
    source.write_text('{"Foo": 1}')
    code, _, stderr = run(capsys, "import", source, "--to", tmp_path / "x.yaml")
    assert code == 2
    assert stderr == (
        f"Error: {source}: not a source gluesim can import (top-level: Foo); expected 'aws iam "
        "get-account-authorization-details' output, a CloudFormation template, or an export folder\n"
    )


def test_a_circular_template_is_one_located_line(capsys, tmp_path) -> None:
    source = tmp_path / "loop.yaml"
    source.write_text(
        "Resources:\n  A:\n    Type: AWS::EC2::SecurityGroup\n    Properties: {GroupDescription: !Ref B}\n"
        "  B:\n    Type: AWS::EC2::SecurityGroup\n    Properties: {GroupDescription: !Ref A}\n"
    )
    code, _, stderr = run(capsys, "import", source, "--to", tmp_path / "x.yaml")
    assert (code, stderr) == (2, f"Error: {source}:2: circular reference: A -> B -> A; CloudFormation refuses circular dependencies, break the cycle\n")


def test_passwords_never_leave(capsys, tmp_path) -> None:
    out = tmp_path / "s.yaml"
    code, stdout, stderr = run(capsys, "import", CFN / "s2s-vpn-glue.yaml", "--to", out)
    assert code == 0, stderr
    assert "PASSWORD dropped" in stderr
    for text in (out.read_text(), stdout, stderr):
        assert "master123" not in text
    code, stdout, stderr = run(capsys, "import", BUNDLE, "--to", out)
    assert code == 0, stderr
    for text in (out.read_text(), stdout, stderr):
        assert "hunter2" not in text


def test_an_aws_cn_export_keeps_its_partition(capsys, tmp_path) -> None:
    source = tmp_path / "cn.json"
    source.write_text((GAAD / "cloudmapper-demo.json").read_text().replace("arn:aws:", "arn:aws-cn:"))
    out = tmp_path / "cn.yaml"
    code, _, stderr = run(capsys, "import", source, "--to", out, "--region", "cn-north-1")
    assert code == 0, stderr
    assert "partition: aws-cn" in out.read_text()


def test_a_region_of_another_partition_is_refused(capsys, tmp_path) -> None:
    code, _, stderr = run(capsys, "import", GAAD / "cloudmapper-demo.json", "--to", tmp_path / "x.yaml", "--region", "cn-north-1")
    assert (code, stderr) == (2, f"Error: --region: partition 'aws-cn' differs from 'aws' in {GAAD / 'cloudmapper-demo.json'}; import one partition at a time\n")


def test_bad_options_are_one_line(capsys, tmp_path) -> None:
    code, _, stderr = run(capsys, "import", CFN / "s2s-vpn-glue.yaml", "--to", tmp_path / "x.yaml", "-p", "novalue")
    assert (code, stderr) == (2, "Error: --parameter 'novalue': expected KEY=VALUE\n")
    code, _, stderr = run(capsys, "import", CFN / "s2s-vpn-glue.yaml", "--to", tmp_path / "x.yaml", "-p", "Vpc=vpc-1")
    assert (code, stderr) == (2, "Error: --parameter Vpc: no template declares a parameter 'Vpc'; did you mean 'VPC'?\n")
    code, _, stderr = run(capsys, "import", CFN / "s2s-vpn-glue.yaml", "--to", tmp_path / "no" / "x.yaml")
    assert (code, stderr) == (2, f"Error: --to {str(tmp_path / 'no' / 'x.yaml')!r}: its folder {str(tmp_path / 'no')!r} does not exist; create it first\n")


def test_an_unknown_actor_is_named(capsys, tmp_path) -> None:
    code, _, stderr = run(capsys, "import", BUNDLE, "--to", tmp_path / "x.yaml", "--actor", "cloudmaper")
    assert code == 2
    assert stderr.startswith("Error: --actor 'cloudmaper': not a user of the imported account")


def test_audit_text_matrix_of_the_cli_demo(capsys) -> None:
    code, stdout, _ = run(capsys, "audit", GAAD / "cloudmapper-demo.json", "--matrix")
    assert code == 1  # it has risky grants
    check_golden("audit-cloudmapper-matrix.txt", stdout.replace(str(GAAD), "<samples>"))


def test_audit_markdown_of_the_bundle(capsys) -> None:
    code, stdout, _ = run(capsys, "audit", BUNDLE, "--format", "markdown")
    check_golden("audit-bundle.md", stdout.replace(str(BUNDLE), "<bundle>"))


def test_audit_json_of_the_real_account(capsys) -> None:
    code, stdout, _ = run(capsys, "audit", GAAD / "cloudsplaining-example.json", "--format", "json")
    data = json.loads(stdout)
    assert code == 1
    assert set(data) == {"account_id", "actions", "principals", "job_roles", "risky_grants", "jobs", "notes", "findings"}
    assert len(data["principals"]) == 44 + 78 - 8  # service-linked roles are not principals people use
    passers = {g["principal"] for g in data["risky_grants"] if g["risk"] == "passrole-any"}
    assert "user/fn1-privesc3-partial-user" in passers
    # The export does not say who has a console password, so nobody is certainly allowed; no IAM
    # requirement refuses the administrators, so nothing is denied to them that needs no job role.
    for admin in ("obama", "userwithlotsofpermissions"):
        actions = next(p for p in data["principals"] if p["name"] == admin)["actions"]
        assert actions["sign-in-console"] == {"verdict": "unknown", "missing": ["user.console-password"],
                                              "reasons": actions["sign-in-console"]["reasons"], "subjects": []}
        assert {a["verdict"] for n, a in actions.items() if not n.startswith(("create-job", "save-job", "run-job"))} \
            == {"unknown"}


def test_audit_csv_rows(capsys) -> None:
    code, stdout, _ = run(capsys, "audit", GAAD / "cloudmapper-demo.json", "--format", "csv", "--principal", "arn:aws:iam::123456789012:role/service-role/level1")
    rows = list(csv.reader(io.StringIO(stdout)))
    assert rows[0] == ["kind", "name", "action", "verdict", "missing", "reason"]
    assert {r[1] for r in rows[1:]} == {"level1"} and len(rows) == 1 + 10  # the header, then one row per audited action


def test_audit_an_unknown_principal(capsys) -> None:
    code, _, stderr = run(capsys, "audit", GAAD / "cloudmapper-demo.json", "--principal", "levle1")
    assert (code, stderr) == (2, "Error: --principal: no user or role 'levle1'; did you mean 'level1'?\n")


def test_auditing_the_written_scenario_gives_the_same_verdicts(capsys, tmp_path) -> None:
    out = tmp_path / "a.yaml"
    assert run(capsys, "import", GAAD / "cloudsplaining-example.json", "--to", out)[0] == 0
    direct = json.loads(run(capsys, "audit", GAAD / "cloudsplaining-example.json", "--format", "json")[1])
    replayed = json.loads(run(capsys, "audit", out, "--format", "json")[1])
    for key in ("principals", "job_roles", "risky_grants"):
        assert direct[key] == replayed[key]


def test_audit_of_a_partial_export_says_what_it_cannot_know(capsys) -> None:
    code, stdout, _ = run(capsys, "audit", GAAD / "awscli-docs-example.json", "--allow-partial", "--format", "json")
    data = json.loads(stdout)
    ec2role = next(p for p in data["principals"] if p["name"] == "EC2role")
    assert ec2role["unknowns"] == ["managed policy 'arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess' is unknown "
                                   "(not in the export)"]
    # Only EC2 may assume the role, so no person signs in with it; nothing is allowed.
    assert ec2role["actions"]["sign-in-console"]["verdict"] == "denied"
    assert "allowed" not in {a["verdict"] for a in ec2role["actions"].values()}
    alice = next(p for p in data["principals"] if p["name"] == "Alice")  # AdministratorAccess via group Admins
    assert alice["unknowns"] == [] and "allowed" not in {a["verdict"] for a in alice["actions"].values()}
    assert alice["actions"]["sign-in-console"]["missing"] == ["user.console-password"]


def test_import_reports_counts_and_notices_as_json(capsys, tmp_path) -> None:
    import json

    from gluesim.cli.app import main

    target = tmp_path / "account.yaml"
    assert main(["import", str(GAAD / "cloudmapper-demo.json"), "--to", str(target), "--format", "json"]) == 0
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    assert captured.err == ""  # the notices are in the JSON, not on standard error
    assert report["written"] == str(target) and report["counts"]["users"] == 2 and report["counts"]["roles"] == 4
    assert {n["severity"] for n in report["notices"]} == {"info"}
    assert target.exists()
