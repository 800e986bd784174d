"""AWS CDK output imports: the synthesized fixture in ``samples/cdk/`` (see its SOURCES.md; the app
that made it is ``samples/cdk/app.py``), with its grants, key policy, enforceSSL bucket policies,
assets bucket, CDK metadata and a nested stack."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gluesim.kb.errors import LocatedError
from gluesim.simulator.engine import simulate
from gluesim.simulator.importers import ImportOptions, import_scenario

CDK = Path(__file__).parent / "samples" / "cdk"
STACK = CDK / "GlueEtl.template.json"
OPTIONS = ImportOptions(region="eu-west-1", account_id="123456789012")


@pytest.fixture(scope="module")
def imported():
    return import_scenario([STACK], OPTIONS, actor="analyst")


def test_the_cdk_stack_imports_with_its_nested_stack(imported) -> None:
    scenario, notices = imported
    roles = {r.name for r in scenario.account.roles}
    assert "AWSGlueServiceRole-cdk-etl" in roles
    assert any("ReportsRole" in name for name in roles), "the nested stack's role is part of the import"
    assert {b.name for b in scenario.account.buckets} >= {"cdk-hnb659fds-assets-123456789012-eu-west-1"}
    assert not any("AWS::CDK::Metadata" in n.message and n.severity.value == "unknown" for n in notices)


def test_grants_become_the_role_policy_and_the_key_keeps_the_cdk_key_policy(imported) -> None:
    scenario, _ = imported
    role = next(r for r in scenario.account.roles if r.name == "AWSGlueServiceRole-cdk-etl")
    text = " ".join(p.document for p in role.inline_policies)
    assert "s3:GetObject*" in text and "s3:List*" in text and "kms:Decrypt" in text
    key = scenario.account.kms_keys[0]
    assert ":root" in key.policy.document
    source = next(b for b in scenario.account.buckets if "source" in b.name)
    assert source.encryption.value == "SSE-KMS" and "aws:SecureTransport" in source.policy.document


def test_the_job_role_verdicts_are_computed(imported) -> None:
    scenario, _ = imported
    [job] = scenario.jobs
    assert job.role == "AWSGlueServiceRole-cdk-etl" and job.connections == ("orders-db",)
    run = next(r for r in simulate(scenario).results if r.action.endswith("run-job"))
    checked = {f.requirement: f.unknown for f in run.failures}
    # The assets bucket is created by 'cdk bootstrap', not by this stack: what it allows is unknown.
    assert checked.get("job-role.s3-script-and-temp") is True
    assert "job-role.name-prefix" not in checked and "job-role.trust" not in checked


def test_a_nested_template_missing_from_the_disk_is_a_located_error(tmp_path) -> None:
    data = json.loads(STACK.read_text())
    (tmp_path / "GlueEtl.template.json").write_text(json.dumps(data))
    with pytest.raises(LocatedError) as exc:
        import_scenario([tmp_path / "GlueEtl.template.json"], OPTIONS)
    assert "template 'GlueEtlReportsFE47C0D1.nested.template.json' not found beside GlueEtl.template.json" in str(exc.value)


def test_a_nested_stack_on_s3_only_is_unknown_and_named(tmp_path) -> None:
    data = json.loads(STACK.read_text())
    nested = next(v for v in data["Resources"].values() if v["Type"] == "AWS::CloudFormation::Stack")
    del nested["Metadata"]
    (tmp_path / "stack.json").write_text(json.dumps(data))
    _, notices = import_scenario([tmp_path / "stack.json"], OPTIONS)
    assert any("its template is not on this disk" in n.message for n in notices)


def test_nested_outputs_resolve_through_get_att(tmp_path) -> None:
    (tmp_path / "child.yaml").write_text(
        "Parameters:\n  Prefix: {Type: String}\nResources:\n  B:\n    Type: AWS::S3::Bucket\n"
        "    Properties: {BucketName: !Sub '${Prefix}-data'}\nOutputs:\n  Name: {Value: !Ref B}\n")
    (tmp_path / "parent.yaml").write_text(
        "Resources:\n  Child:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: child.yaml\n"
        "      Parameters: {Prefix: team}\n  Db:\n    Type: AWS::Glue::Database\n    Properties:\n"
        "      DatabaseInput: {Name: !GetAtt Child.Outputs.Name}\n")
    scenario, _ = import_scenario([tmp_path / "parent.yaml"], OPTIONS)
    assert [b.name for b in scenario.account.buckets] == ["team-data"]
    assert [d.name for d in scenario.account.databases] == ["team-data"]
