"""Values a template leaves to deployment flow into the scenario as explicit unknowns, never a crash.

Real templates from ``samples/cloudformation/`` (see SOURCES.md there): a policy Resource that is the
Ref of an AWS::MSK::Cluster, and policy ARNs built from parameters nobody gave a value.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from gluesim.simulator import scenario
from gluesim.simulator.engine import simulate
from gluesim.simulator.importers import ImportOptions, import_scenario

CFN = Path(__file__).parent / "samples" / "cloudformation"
MSK = CFN / "msk-glue-amazon-msk-and-glue.template.yaml"
ETL = CFN / "etl-orchestrator-glue-resources.yaml"


def role_policies(imported, fragment: str) -> str:
    role = next(r for r in imported.account.roles if fragment in r.name)
    return "\n".join(p.document for p in role.inline_policies)


def test_a_resource_of_an_unmodelled_type_becomes_an_unknown_value_in_the_policy() -> None:
    imported, notices = import_scenario([MSK])
    text = role_policies(imported, "BootstrapBrokersFunctionExecutionRole")
    assert "<unknown: the Ref value of AWS::MSK::Cluster 'MSKCluster'" in text
    assert any("written as <unknown: ...>" in n.message for n in notices)


def test_parameters_without_values_become_unknown_values_and_the_replay_agrees() -> None:
    imported, _ = import_scenario([ETL])
    assert "<unknown: parameter 'DataBucketName' has no value" in role_policies(imported, "AWSGlueJobRole")
    replayed = scenario.loads(scenario.dump(imported), "replay.yaml")
    assert replayed.account.roles == imported.account.roles
    assert [r.verdict for r in simulate(replayed).results] == [r.verdict for r in simulate(imported).results]


def test_given_parameters_resolve_what_was_unknown() -> None:
    options = ImportOptions(parameters={"ArtifactBucketName": "artifacts", "DataBucketName": "data",
                                        "ETLScriptsPrefix": "scripts", "ETLOutputPrefix": "out"})
    imported, _ = import_scenario([ETL], options)
    text = role_policies(imported, "AWSGlueJobRole")
    assert "<unknown" not in text and "arn:aws:s3:::data/*" in text


PARAMS = {"ArtifactBucketName": "artifacts", "DataBucketName": "data", "ETLScriptsPrefix": "scripts",
          "ETLOutputPrefix": "out"}


def test_a_template_without_users_keeps_its_jobs_and_checks_their_roles() -> None:
    imported, notices = import_scenario([ETL], ImportOptions(parameters=PARAMS))
    assert [j.name for j in imported.jobs] == ["ProcessSalesData", "ProcessMarketingData", "JoinMarketingAndSalesData"]
    report = simulate(imported)
    assert report.results, "a template-only import must check something"
    failures = [f for r in report.results for f in r.failures]
    role_side = {f.requirement for f in failures if f.requirement.startswith("job-role.")}
    assert "job-role.s3-script-and-temp" in role_side
    user_side = [f for f in failures if f.iam is not None and ":user/" in (f.iam.principal or "")]
    assert user_side and all(f.unknown for f in user_side)
    assert any("no user in the sources; pass --actor USER or import the account's IAM export with the template"
               in n.message for n in notices)


def test_a_template_joined_with_the_account_export_uses_its_account_and_users() -> None:
    gaad = Path(__file__).parent / "samples" / "authorization-details" / "cloudmapper-demo.json"
    imported, _ = import_scenario([gaad, ETL], ImportOptions(parameters=PARAMS), actor="USER")
    assert imported.account.account_id == "123456789012"
    assert {j.created_by for j in imported.jobs} == {"USER"}
    role = next(r for r in imported.account.roles if "AWSGlueJobRole" in r.name)
    assert "arn:aws:s3:::data/*" in role.inline_policies[0].document


SAMPLE_PARAMETERS = {
    "etl-orchestrator-glue-resources.yaml": PARAMS,
    "msk-glue-amazon-msk-and-glue.template.yaml": {
        "EnvironmentName": "demo", "VpcId": "vpc-0a1b2c3d", "PrivateSubnet1": "subnet-01", "PrivateSubnet2": "subnet-02",
        "AvailabilityZoneOfPrivateSubnet1": "us-east-1a", "SecretArn":
        "arn:aws:secretsmanager:us-east-1:111122223333:secret:AmazonMSK_demo-Ab12Cd", "SecurityGroupForGlueConnection":
        "sg-0123", "ScriptPath": "s3://demo-scripts/stream.py", "S3BucketForOutput": "demo-output"},
    "msk-glue-vpc-subnet-and-mskclient.template.yaml": {"EnvironmentName": "demo", "KeyName": "demo-key"},
    "s2s-vpn-glue.yaml": {"EnvironmentName": "demo", "VPC": "vpc-0a1b2c3d", "SubnetId": "subnet-01",
                          "JdbcConnectionUrl": "jdbc:mysql://10.0.0.5:3306/orders", "PrivateRouteTable": "rtb-01"},
    "s2s-vpn-simple_vpc.yaml": {"EnvironmentName": "demo"},
}


@pytest.mark.parametrize("name", sorted(SAMPLE_PARAMETERS))
def test_every_sample_template_imports_without_parameters_and_with_them(name: str) -> None:
    bare, notices = import_scenario([CFN / name])
    assert any(n.severity.value == "unknown" for n in notices)
    given, _ = import_scenario([CFN / name], ImportOptions(parameters=SAMPLE_PARAMETERS[name]))
    assert scenario.loads(scenario.dump(given), "replay.yaml").account == given.account
    assert scenario.loads(scenario.dump(bare), "replay.yaml").account == bare.account
