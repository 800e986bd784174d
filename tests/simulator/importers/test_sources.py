"""Several sources at once: recognition by content, merging, duplicates across sources, partitions.

Uses the public samples in ``samples/`` (see the SOURCES.md files there): duo-labs/cloudmapper
demo GAAD @ ec8fbf20 (BSD-3-Clause) and aws-samples templates (MIT-0).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gluesim.kb.errors import LocatedError
from gluesim.simulator.importers.common import Notices
from gluesim.simulator.importers import ImportOptions, import_scenario
from gluesim.simulator.importers.cfn import loader
from gluesim.simulator.importers.sources import load_sources

SAMPLES = Path(__file__).parent / "samples"
DEMO = SAMPLES / "authorization-details" / "cloudmapper-demo.json"
ETL = SAMPLES / "cloudformation" / "etl-orchestrator-glue-resources.yaml"
PARAMS = {"ArtifactBucketName": "artifacts", "DataBucketName": "data", "ETLScriptsPrefix": "scripts", "ETLOutputPrefix": "out"}


def test_a_template_and_an_export_merge_into_one_account() -> None:
    imp = load_sources([DEMO, ETL], ImportOptions(parameters=PARAMS))
    assert imp.account_id == "123456789012"
    assert len(imp.roles) == 5 and len(imp.jobs) == 3
    assert imp.roles[-1].arn == "arn:aws:iam::123456789012:role/etl-orchestrator-glue-resources-AWSGlueJobRole-GLUESIM"


def test_template_jobs_are_checked_as_the_actor_builds_them() -> None:
    sc, notices = import_scenario([DEMO, ETL], ImportOptions(parameters=PARAMS), actor="USER")
    assert [j.name for j in sc.jobs] == ["ProcessSalesData", "ProcessMarketingData", "JoinMarketingAndSalesData"]
    assert {j.created_by for j in sc.jobs} == {"USER"}
    assert sc.jobs[0].script_location == "s3://artifacts/scripts/process_sales_data.py"
    assert "unknown: job 'ProcessSalesData': bucket 'artifacts' was not exported: its encryption and bucket policy are unknown" not in [n.line() for n in notices]
    assert any("bucket 'artifacts' was not exported" in n.message for n in notices)


def role_template(path, name: str):
    path.write_text(json.dumps({"Resources": {"R": {"Type": "AWS::IAM::Role", "Properties": {
        "RoleName": name, "AssumeRolePolicyDocument": {"Statement": [
            {"Effect": "Allow", "Principal": {"Service": "glue.amazonaws.com"}, "Action": "sts:AssumeRole"}]}}}}}))
    return path


def test_a_template_redefines_a_role_of_the_export_it_is_joined_with(tmp_path) -> None:
    name = json.loads(DEMO.read_text())["RoleDetailList"][0]["RoleName"]
    template = role_template(tmp_path / "stack.json", name)
    notices = Notices()
    imported = load_sources([DEMO, template])
    role = next(r for r in imported.roles if r.name == name)
    assert "glue.amazonaws.com" in json.dumps(role.trust_policy.document)
    assert len([r for r in imported.roles if r.name == name]) == 1
    assert any(f"role 'arn:aws:iam::123456789012:role/{name}' is also in {DEMO}; the template's definition replaces it"
               in n.line() for n in imported.notices), notices


def test_the_same_role_from_two_templates_is_a_located_error(tmp_path) -> None:
    first, second = role_template(tmp_path / "a.json", "shared"), role_template(tmp_path / "b.json", "shared")
    with pytest.raises(LocatedError) as exc:
        load_sources([first, second])
    assert str(exc.value) == f"{second}: role 'arn:aws:iam::111122223333:role/shared' is also defined in {first}; import each entity from one source"


def test_a_json_template_imports_like_its_yaml_twin(tmp_path) -> None:
    twin = tmp_path / "etl-orchestrator-glue-resources.json"  # same stem: same stack name
    twin.write_text(json.dumps(loader.load(ETL), indent=2))
    a = load_sources([ETL], ImportOptions(parameters=PARAMS))
    b = load_sources([twin], ImportOptions(parameters=PARAMS))
    assert (a.roles, a.jobs, a.tables) == (b.roles, b.jobs, b.tables)


def test_a_gov_cloud_template_uses_its_partition() -> None:
    imp = load_sources([ETL], ImportOptions(parameters=PARAMS, region="us-gov-west-1", account_id="123456789012"))
    assert imp.partition == "aws-us-gov"
    assert imp.roles[0].arn.startswith("arn:aws-us-gov:iam::123456789012:role/")


def test_parameters_without_a_template_are_refused() -> None:
    with pytest.raises(LocatedError) as exc:
        load_sources([DEMO], ImportOptions(parameters={"A": "b"}))
    assert str(exc.value) == "--parameter: parameters apply to CloudFormation templates, and no template was given"


@pytest.mark.parametrize(
    ("sources", "actor"),
    [
        ([SAMPLES / "authorization-details" / "cloudsplaining-example.json"], None),
        ([DEMO, ETL], "USER"),
        ([SAMPLES / "cloudformation" / "msk-glue-vpc-subnet-and-mskclient.template.yaml"], None),
        ([SAMPLES / "cloudformation" / "s2s-vpn-simple_vpc.yaml", SAMPLES / "cloudformation" / "s2s-vpn-glue.yaml"], None),
    ],
)
def test_the_written_scenario_loads_back_to_the_same_account(sources, actor) -> None:
    from gluesim.simulator import scenario

    sc, _ = import_scenario(sources, ImportOptions(parameters=PARAMS if ETL in sources else {}), actor=actor)
    assert scenario.loads(scenario.dump(sc), "written.yaml") == sc


def test_two_stacks_that_hand_ids_over_by_parameter_make_one_network() -> None:
    """aws-samples/aws-glue-with-s2s-vpn deploys the VPC stack, then the Glue stack with its ids."""
    cfn = SAMPLES / "cloudformation"
    params = {"EnvironmentName": "demo", "VPC": "vpc-vpc", "SubnetId": "subnet-privatesubnet1",
              "PrivateRouteTable": "rtb-privateroutetable1", "JdbcConnectionUrl": "jdbc:mysql://10.1.0.5:3306/db", "CrawlerName": "c"}
    sc, _ = import_scenario([cfn / "s2s-vpn-simple_vpc.yaml", cfn / "s2s-vpn-glue.yaml"], ImportOptions(parameters=params))
    (vpc,) = sc.account.vpcs
    assert [n.id for n in vpc.nat_gateways] == ["nat-natgateway1"]
    private = next(t for t in vpc.route_tables if t.id == "rtb-privateroutetable1")
    assert [(r.destination, r.target) for r in private.routes] == [("0.0.0.0/0", "nat-natgateway1")]
    assert [(e.service, e.route_tables) for e in vpc.endpoints] == [("s3", ("rtb-privateroutetable1",))]
    (group,) = vpc.security_groups
    assert [(r.protocol, r.from_port, r.to_port, r.peer) for r in group.inbound] == [("tcp", 0, 65535, "sg-gluesg")]
    (connection,) = sc.account.connections
    assert (connection.subnet, connection.security_groups) == ("subnet-privatesubnet1", ("sg-gluesg",))


def test_a_get_role_file_gives_the_role_and_says_its_permissions_are_unknown() -> None:
    """duo-labs/cloudmapper ``iam-get-role/level1`` @ ec8fbf20 (BSD-3-Clause)."""
    path = SAMPLES / "cli" / "cloudmapper-demo" / "iam-get-role.json"
    imp = load_sources([path])
    (role,) = imp.roles
    assert (role.name, role.trust_policy.document["Statement"][0]["Principal"]) == ("level1", {"AWS": "arn:aws:iam::123456789012:root"})
    assert imp.notices[-1].message == "get-role output has no policies; the permissions of role 'level1' are unknown (use get-account-authorization-details)"


def test_a_template_policy_on_an_exported_role_is_added_to_it(tmp_path) -> None:
    template = tmp_path / "extra.json"
    document = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "glue:GetJobs", "Resource": "*"}]}
    template.write_text(json.dumps({"Resources": {
        "P": {"Type": "AWS::IAM::Policy", "Properties": {"PolicyName": "extra", "PolicyDocument": document, "Roles": ["level3", "ghost"]}},
    }}))
    imp = load_sources([DEMO, template])
    level3 = next(role for role in imp.roles if role.name == "level3")
    assert level3.inline_policies[-1].document == document and imp.attachments == ()
    assert f"unknown: {template}: role 'ghost' gets policies from the template but no source describes it; they are left out" in [n.line() for n in imp.notices]
