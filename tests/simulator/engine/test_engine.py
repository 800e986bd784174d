"""Engine verdicts on small scenarios: each failure the setup page describes, computed from the model."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from gluesim.kb.errors import GluesimError
from gluesim.simulator import scenario
from gluesim.simulator.engine import simulate

FIXTURES = Path(__file__).parents[1] / "fixtures"
BASE: dict[str, Any] = yaml.safe_load((FIXTURES / "passing.yaml").read_text())
ROLE_ARN = "arn:aws:iam::123456789012:role/AWSGlueServiceRole-Test"


def base() -> dict[str, Any]:
    return copy.deepcopy(BASE)


def run(data: dict[str, Any], **filters: Any) -> dict[tuple[str, str, str], Any]:
    s = scenario.loads(json.dumps(data, indent=1), "t.yaml")
    return {r.key: r for r in simulate(s, **filters).results}


def failing(results: dict, actor: str, action: str, subject: str = "") -> set[str]:
    return {f.requirement for f in results[(actor, f"action.{action}", subject)].failures}


def statement(actions: list[str], resources: list[str], effect: str = "Allow", **extra: Any) -> dict[str, Any]:
    return {"Effect": effect, "Action": actions, "Resource": resources, **extra}


def policy(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def role(data: dict) -> dict:
    return data["roles"][0]


def test_the_passing_fixture_passes_every_action() -> None:
    results = run(base())
    assert {r.verdict.value for r in results.values()} == {"pass"}
    assert set(results) == {("ana", f"action.{a}", s) for a, s in [
        ("sign-in-console", ""), ("open-glue-studio", ""), ("create-job-s3", "copy"), ("save-job", "copy"),
        ("run-job", "copy"), ("delete-jobs", "")]}


def test_role_without_prefix_fails_name_and_passrole_under_glue_console_full_access() -> None:
    data = base()
    role(data)["name"] = "FlightsRole"
    data["jobs"][0]["role"] = "FlightsRole"
    results = run(data)
    assert failing(results, "ana", "save-job", "copy") == {"job-role.name-prefix", "user.pass-job-role"}
    passrole = next(f for f in results[("ana", "action.save-job", "copy")].failures if f.iam)
    assert passrole.iam.action == "iam:PassRole"
    assert passrole.iam.resource == "arn:aws:iam::123456789012:role/FlightsRole"
    assert passrole.iam.context == {"iam:PassedToService": ("glue.amazonaws.com",)}
    assert passrole.iam.evaluation.decision.value == "implicitDeny"
    assert passrole.section == "Set up IAM permissions for AWS Glue Studio"
    closest = passrole.as_dict()["iam"]["near_misses"][0]
    assert "arn:aws:iam::*:role/AWSGlueServiceRole*" in closest and "AWSGlueConsoleFullAccess" in closest


def test_prefixed_role_under_service_role_path_can_be_passed() -> None:
    data = base()
    role(data)["path"] = "/service-role/"
    assert failing(run(data), "ana", "save-job", "copy") == set()


def test_trust_policy_without_glue_fails_trusts_glue() -> None:
    data = base()
    role(data)["trusted_services"] = ["ec2.amazonaws.com"]
    failure = next(f for f in run(data)[("ana", "action.save-job", "copy")].failures)
    assert failure.requirement == "job-role.trusts-glue"
    assert failure.iam.action == "sts:AssumeRole" and failure.iam.principal == "glue.amazonaws.com"
    assert failure.changes[0].kind == "trust-service"


def test_bucket_policy_deny_is_explicit_and_names_the_statement() -> None:
    data = base()
    data["buckets"][0]["policy"] = policy(statement(["s3:GetObject"], ["arn:aws:s3:::src/*"], "Deny",
                                                    Sid="NoReads", Principal="*"))
    failure = next(f for f in run(data)[("ana", "action.run-job", "copy")].failures)
    assert failure.requirement == "job-role.s3-source-read"
    assert failure.iam.evaluation.decision.value == "explicitDeny"
    assert failure.iam.resource == "arn:aws:s3:::src/in/*"
    assert failure.iam.evaluation.deciding[0].sid == "NoReads"
    assert [c.kind for c in failure.changes] == ["manual"]


def test_missing_target_write_lists_each_denied_request() -> None:
    data = base()
    role(data)["inline_policies"]["Data"]["Statement"].pop()
    failures = run(data)[("ana", "action.run-job", "copy")].failures
    # s3:ListBucket on the bucket still passes: AWSGlueServiceRole allows it on every bucket.
    assert {(f.requirement, f.iam.action, f.iam.resource) for f in failures} == {
        ("job-role.s3-target-write", "s3:PutObject", "arn:aws:s3:::dst/out/*"),
        ("job-role.s3-target-write", "s3:DeleteObject", "arn:aws:s3:::dst/out/*"),
    }


def kms_data(key_policy: dict | None = None, role_kms: bool = True) -> dict:
    data = base()
    data["kms_keys"] = [{"id": "k1", "aliases": ["alias/src"]}]
    if key_policy is not None:
        data["kms_keys"][0]["policy"] = key_policy
    data["buckets"][0].update({"encryption": "SSE-KMS", "kms_key": "alias/src"})
    if role_kms:
        role(data)["inline_policies"]["Kms"] = policy(statement(["kms:*"], ["*"]))
    return data


def test_kms_default_key_policy_delegates_to_the_role_policy() -> None:
    assert failing(run(kms_data()), "ana", "run-job", "copy") == set()
    failures = run(kms_data(role_kms=False))[("ana", "action.run-job", "copy")].failures
    assert {f.iam.action for f in failures} == {"kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey",
                                                  "kms:DescribeKey"}
    assert all(f.requirement == "job-role.kms-key-access" for f in failures)


def test_key_policy_that_ignores_the_account_blocks_the_role_whatever_its_policies_say() -> None:
    other = policy(statement(["kms:*"], ["*"], Principal={"AWS": "arn:aws:iam::123456789012:user/ana"}))
    failures = run(kms_data(other))[("ana", "action.run-job", "copy")].failures
    assert failures and all(f.requirement == "job-role.kms-key-access" for f in failures)
    assert "key policy" in failures[0].iam.evaluation.reason
    assert [c.kind for c in failures[0].changes] == ["key-policy"]


def test_unknowns_give_unknown_verdicts_never_pass() -> None:
    data = base()
    role(data).pop("trusted_services")
    role(data)["trust_policy"] = None
    data["account"]["billing_iam_access"] = None
    data["checks"].append({"actor": "ana", "action": "open-billing-console"})
    results = run(data)
    assert results[("ana", "action.save-job", "copy")].verdict.value == "unknown"
    assert results[("ana", "action.open-billing-console", "")].verdict.value != "pass"
    billing = [f for f in results[("ana", "action.open-billing-console", "")].failures
               if f.requirement == "billing.activate-iam-access"]
    assert billing[0].unknown


def test_missing_catalog_table_fails_before_the_job_is_created() -> None:
    data = base()
    data["catalog"] = {"databases": [{"name": "sales", "tables": ["orders"]}]}
    data["jobs"][0]["targets"] = [{"catalog": "sales.customers"}]
    results = run(data)
    assert ("ana", "action.create-job-catalog", "copy") in results
    assert "catalog.tables-exist" in failing(results, "ana", "create-job-catalog", "copy")
    data["catalog"]["databases"][0]["tables"].append({"name": "customers", "location": "s3://dst/customers/"})
    assert failing(run(data), "ana", "create-job-catalog", "copy") == set()


def redshift_data(minutes: int | None, roles: list[str]) -> dict:
    data = base()
    data["redshift_clusters"] = [{"id": "warehouse", "roles": roles}]
    data["jobs"][0]["sources"] = [{"redshift": "warehouse"}]
    data["jobs"][0]["expected_runtime_minutes"] = minutes
    return data


def test_redshift_job_over_an_hour_needs_a_cluster_role() -> None:
    assert "job-role.redshift-cluster-role" in failing(run(redshift_data(90, [])), "ana", "run-job", "copy")
    assert "job-role.redshift-cluster-role" not in failing(run(redshift_data(30, [])), "ana", "run-job", "copy")
    unknown = run(redshift_data(None, []))[("ana", "action.run-job", "copy")]
    assert any(f.unknown and f.requirement == "job-role.redshift-cluster-role" for f in unknown.failures)


def vpc_data(routes: list[dict], public_store: bool = True, self_rule: bool = True) -> dict:
    data = base()
    inbound = [{"protocol": "tcp", "peer": "sg-1"}] if self_rule else [{"protocol": "tcp", "peer": "10.0.0.0/8"}]
    data["vpcs"] = [{
        "id": "vpc-1", "internet_gateways": ["igw-1"],
        "nat_gateways": [{"id": "nat-1", "subnet": "subnet-pub"}],
        "route_tables": [{"id": "rtb-pub", "main": True, "routes": [{"destination": "0.0.0.0/0", "target": "igw-1"}]},
                         {"id": "rtb-priv", "routes": routes}],
        "subnets": [{"id": "subnet-pub"}, {"id": "subnet-priv", "route_table": "rtb-priv"}],
        "security_groups": [{"id": "sg-1", "inbound": inbound}],
    }]
    data["data_stores"] = [{"name": "db", "public": public_store}]
    data["connections"] = [{"name": "jdbc", "data_store": "db", "subnet": "subnet-priv", "security_groups": ["sg-1"]}]
    data["jobs"][0]["connections"] = ["jdbc"]
    return data


def test_vpc_job_needs_nat_for_an_internet_store_and_s3_access() -> None:
    results = run(vpc_data([]))
    assert ("ana", "action.create-job-vpc", "copy") in results
    assert {"vpc.nat-gateway", "vpc.s3-endpoint"} <= failing(results, "ana", "run-job", "copy")
    nat_route = [{"destination": "0.0.0.0/0", "target": "nat-1"}]
    assert failing(run(vpc_data(nat_route)), "ana", "run-job", "copy") == set()


def test_internet_gateway_route_does_not_serve_glue_network_interfaces() -> None:
    results = run(vpc_data([{"destination": "0.0.0.0/0", "target": "igw-1"}]))
    nat = next(f for f in results[("ana", "action.run-job", "copy")].failures if f.requirement == "vpc.nat-gateway")
    assert "no public IP" in nat.reason


def test_private_store_needs_an_s3_endpoint_but_no_nat() -> None:
    data = vpc_data([], public_store=False)
    data["data_stores"][0]["subnet"] = "subnet-priv"
    assert failing(run(data), "ana", "run-job", "copy") == {"vpc.s3-endpoint"}
    data["vpcs"][0]["endpoints"] = [{"id": "vpce-1", "service": "s3", "route_tables": ["rtb-priv"]}]
    assert failing(run(data), "ana", "run-job", "copy") == set()


def test_security_group_needs_a_self_referencing_rule_and_dns_must_be_on() -> None:
    data = vpc_data([{"destination": "0.0.0.0/0", "target": "nat-1"}], self_rule=False)
    data["vpcs"][0]["enable_dns_hostnames"] = False
    assert failing(run(data), "ana", "run-job", "copy") == {"vpc.self-referencing-security-group",
                                                            "vpc.dns-support"}


def test_dashboards_need_their_own_cloudwatch_actions() -> None:
    data = base()
    data["dashboards"] = ["Jobs"]
    data["checks"] = [{"actor": "ana", "action": a, "dashboard": "Jobs"}
                      for a in ("view-dashboards", "modify-dashboards", "delete-dashboards")]
    data["users"][0]["managed_policies"].append("CloudWatchReadOnlyAccess")
    results = run(data)
    assert failing(results, "ana", "view-dashboards", "Jobs") == set()
    assert failing(results, "ana", "modify-dashboards", "Jobs") == {"user.cloudwatch-modify-dashboards"}
    assert failing(results, "ana", "delete-dashboards", "Jobs") == {"user.cloudwatch-delete-dashboards"}


def test_batch_delete_needs_batch_delete_job_not_delete_job() -> None:
    data = base()
    data["users"][0]["managed_policies"] = []
    data["users"][0]["inline_policies"] = {"Del": policy(statement(["glue:DeleteJob", "glue:GetJobs"], ["*"]))}
    assert "user.batch-delete-jobs" in failing(run(data, actions=["delete-jobs"]), "ana", "delete-jobs")


def test_billing_console_needs_activation_and_permissions() -> None:
    data = base()
    data["groups"] = [{"name": "Administrators", "managed_policies": ["AdministratorAccess"]}]
    data["users"].append({"name": "admin", "console_access": True, "groups": ["Administrators"]})
    data["checks"] = [{"actor": "admin", "action": "open-billing-console"},
                      {"actor": "ana", "action": "open-billing-console"}]
    results = run(data)
    assert failing(results, "admin", "open-billing-console") == {"billing.activate-iam-access"}
    data["account"]["billing_iam_access"] = True
    results = run(data)
    assert failing(results, "admin", "open-billing-console") == set()
    assert failing(results, "ana", "open-billing-console") == {"admin.administrators-group"}


def test_no_console_password_fails_sign_in_and_everything_after_it() -> None:
    data = base()
    data["users"][0]["console_access"] = False
    results = run(data)
    assert failing(results, "ana", "sign-in-console") == {"user.console-password"}
    assert failing(results, "ana", "open-glue-studio") == {"action.sign-in-console"}
    assert "action.open-glue-studio" in failing(results, "ana", "save-job", "copy")


def test_scp_deny_is_reported_with_its_statement() -> None:
    data = base()
    allow_all = policy(statement(["*"], ["*"]))
    deny = policy(statement(["glue:CreateJob"], ["*"], "Deny", Sid="NoNewJobs"))
    data["organization"] = {"scp_levels": [{"name": "root", "policies": {"FullAWSAccess": allow_all}},
                                           {"name": "account", "policies": {"NoJobs": deny}}]}
    failure = next(f for f in run(data)[("ana", "action.create-job-s3", "copy")].failures
                   if f.requirement == "action.create-job-s3")
    assert failure.iam.action == "glue:CreateJob" and failure.iam.evaluation.deciding[0].sid == "NoNewJobs"


def test_permissions_boundary_limits_the_role() -> None:
    data = base()
    data["policies"] = [{"name": "only-glue", "document": policy(statement(["glue:*", "logs:*", "cloudwatch:*"],
                                                                           ["*"]))}]
    role(data)["permissions_boundary"] = "only-glue"
    failure = next(f for f in run(data)[("ana", "action.run-job", "copy")].failures
                   if f.requirement == "job-role.s3-source-read")
    assert "allow-boundary" in [c.kind for c in failure.changes]


def test_marketplace_connector_needs_ecr_and_the_connection_secret() -> None:
    data = base()
    data["connectors"] = [{"name": "snow", "type": "marketplace"}]
    data["secrets"] = [{"name": "snow-creds"}]
    data["connections"] = [{"name": "snowconn", "type": "MARKETPLACE", "connector": "snow", "secret": "snow-creds"}]
    data["jobs"][0]["sources"] = [{"connection": "snowconn"}]
    results = run(data)
    assert ("ana", "action.create-job-connector", "copy") in results
    assert {"job-role.connector-ecr", "job-role.connection-secrets"} <= failing(results, "ana", "run-job", "copy")
    role(data)["managed_policies"].append("AmazonEC2ContainerRegistryReadOnly")
    role(data)["inline_policies"]["Secret"] = policy(statement(["secretsmanager:GetSecretValue"],
                                                               ["arn:aws:secretsmanager:*:*:secret:snow-creds-*"]))
    assert failing(run(data), "ana", "run-job", "copy") == set()


def test_filters_and_their_errors() -> None:
    results = run(base(), actions=["run-job"], actors=["ana"])
    assert list(results) == [("ana", "action.run-job", "copy")]
    s = scenario.loads(json.dumps(base()), "t.yaml")
    with pytest.raises(GluesimError, match=r"--action: unknown action 'run-jobs'; did you mean 'run-job'\?"):
        simulate(s, actions=["run-jobs"])
    with pytest.raises(GluesimError, match=r"--actor: unknown user 'anna'; did you mean 'ana'\?"):
        simulate(s, actors=["anna"])


def test_every_failure_cites_a_kb_entry_with_its_source() -> None:
    from gluesim.kb.loader import load

    kb = load()
    report = simulate(scenario.load(FIXTURES / "typical.yaml"))
    failures = [f for r in report.results for f in r.failures]
    assert failures
    for failure in failures:
        entry = kb.get(failure.requirement)
        assert (failure.section, failure.url) == (entry.source.section, entry.source.url)
        assert failure.fix


def test_every_special_check_is_a_kb_requirement() -> None:
    from gluesim.kb.loader import load
    from gluesim.simulator.engine.checks.base import SPECIAL

    kb = load()
    assert len(SPECIAL) >= 15
    for req_id in SPECIAL:
        assert kb.get(req_id).id == req_id


def test_every_kb_action_has_a_result_kind_the_engine_knows() -> None:
    from gluesim.kb.loader import load
    from gluesim.simulator.engine import ACTION_ORDER

    assert {e.id for e in load().actions()} == set(ACTION_ORDER)


STREAM_ARN = "arn:aws:kinesis:us-east-1:123456789012:stream/clicks"


def kinesis_data(source: str = "clicks", actions: tuple[str, ...] = (
        "kinesis:DescribeStream", "kinesis:GetShardIterator", "kinesis:GetRecords")) -> dict:
    data = base()
    data["jobs"][0]["sources"] = [{"kinesis": source}]
    if actions:
        role(data)["inline_policies"]["Data"]["Statement"].append(statement(list(actions), [STREAM_ARN]))
    return data


def test_streaming_job_is_created_without_a_catalog_table() -> None:
    results = run(kinesis_data())
    assert ("ana", "action.create-job-streaming", "copy") in results
    assert failing(results, "ana", "create-job-streaming", "copy") == set()
    assert failing(results, "ana", "run-job", "copy") == set()


@pytest.mark.parametrize("missing", ["kinesis:DescribeStream", "kinesis:GetShardIterator", "kinesis:GetRecords"])
def test_a_kinesis_source_needs_each_read_action_on_the_stream(missing: str) -> None:
    granted = tuple(a for a in ("kinesis:DescribeStream", "kinesis:GetShardIterator", "kinesis:GetRecords")
                    if a != missing)
    results = run(kinesis_data(actions=granted))
    for action in ("create-job-streaming", "run-job"):
        failures = results[("ana", f"action.{action}", "copy")].failures
        assert [(f.requirement, f.iam.action, f.iam.resource, f.unknown) for f in failures] == [
            ("job-role.kinesis-source-read", missing, STREAM_ARN, False)]


def test_a_kinesis_source_given_by_arn_is_checked_on_that_arn() -> None:
    results = run(kinesis_data(source=STREAM_ARN))
    assert failing(results, "ana", "run-job", "copy") == set()
    other = STREAM_ARN.replace("stream/clicks", "stream/views")
    denied = run(kinesis_data(source=other))
    assert {f.iam.resource for f in denied[("ana", "action.run-job", "copy")].failures} == {other}


def test_a_kinesis_stream_of_another_account_fails_without_an_iam_request() -> None:
    results = run(kinesis_data(source="arn:aws:kinesis:us-east-1:999999999999:stream/clicks"))
    (failure,) = results[("ana", "action.run-job", "copy")].failures
    assert failure.requirement == "job-role.kinesis-source-read" and not failure.unknown and failure.iam is None
    assert "account 999999999999" in failure.reason


def test_a_kinesis_target_needs_describe_and_put_records() -> None:
    data = base()
    data["jobs"][0]["targets"] = [{"kinesis": "clicks"}]
    results = run(data)
    failures = results[("ana", "action.run-job", "copy")].failures
    assert {(f.requirement, f.iam.action) for f in failures} == {
        ("job-role.kinesis-target-write", a) for a in ("kinesis:DescribeStream", "kinesis:PutRecord", "kinesis:PutRecords")}
    role(data)["inline_policies"]["Data"]["Statement"].append(
        statement(["kinesis:DescribeStream", "kinesis:PutRecord", "kinesis:PutRecords"], [STREAM_ARN]))
    assert failing(run(data), "ana", "run-job", "copy") == set()


def test_a_stream_not_named_as_kinesis_is_unknown_never_a_pass() -> None:
    data = base()
    data["jobs"][0]["sources"] = [{"stream": "clicks"}]
    result = run(data)[("ana", "action.run-job", "copy")]
    assert result.verdict.value == "unknown"
    (failure,) = result.failures
    assert failure.requirement == "job-role.other-data-stores" and failure.unknown
    assert "stream clicks" in failure.reason and "Kafka" in failure.fix


@pytest.mark.parametrize(("engine", "verdict"), [("postgresql", "pass"), ("jdbc", "pass"), ("dynamodb", "unknown"),
                                                 ("mongodb", "unknown")])
def test_a_connection_store_engine_gluesim_does_not_model_is_unknown(engine: str, verdict: str) -> None:
    data = base()
    data["data_stores"] = [{"name": "db", "engine": engine, "public": True}]
    data["connections"] = [{"name": "conn", "data_store": "db"}]
    data["jobs"][0]["connections"] = ["conn"]
    result = run(data)[("ana", "action.run-job", "copy")]
    assert result.verdict.value == verdict
    if verdict == "unknown":
        (failure,) = result.failures
        assert failure.requirement == "job-role.other-data-stores"
        assert f"engine {engine!r}" in failure.reason and "check by hand" in failure.fix


@pytest.mark.parametrize("kind", ["KAFKA", "MONGODB", "SFTP", "SALESFORCE"])
def test_a_connection_type_gluesim_does_not_model_is_unknown(kind: str) -> None:
    data = base()
    data["connections"] = [{"name": "feed", "type": kind}]
    data["jobs"][0]["connections"] = ["feed"]
    result = run(data)[("ana", "action.run-job", "copy")]
    assert result.verdict.value == "unknown"
    (failure,) = result.failures
    assert failure.requirement == "job-role.other-data-stores" and failure.unknown
    assert f"{kind} connection feed" in failure.reason and "check by hand" in failure.fix


@pytest.mark.parametrize("kind", ["JDBC", "NETWORK", "MARKETPLACE", "CUSTOM"])
def test_jdbc_network_and_connector_connections_need_nothing_more_on_the_store(kind: str) -> None:
    data = base()
    data["connections"] = [{"name": "feed", "type": kind}]
    data["jobs"][0]["connections"] = ["feed"]
    failures = run(data)[("ana", "action.run-job", "copy")].failures
    assert "job-role.other-data-stores" not in {f.requirement for f in failures}


def test_the_fix_grants_the_kinesis_read_actions_on_the_stream() -> None:
    from gluesim.simulator.fix import fix

    fixed = fix(scenario.loads(json.dumps(kinesis_data(actions=())), "t.yaml"))
    assert fixed.after.passed and fixed.unresolved == ()
    (step,) = fixed.steps
    assert step.requirement == "job-role.kinesis-source-read" and STREAM_ARN in step.description


def test_the_fix_leaves_an_unmodelled_stream_to_a_person() -> None:
    from gluesim.simulator.fix import fix

    data = base()
    data["jobs"][0]["sources"] = [{"stream": "clicks"}]
    fixed = fix(scenario.loads(json.dumps(data), "t.yaml"))
    assert fixed.steps == () and not fixed.after.passed
    assert {f.requirement for f in fixed.unresolved} == {"job-role.other-data-stores"}


def test_private_store_in_another_vpc_is_unreachable() -> None:
    data = vpc_data([{"destination": "0.0.0.0/0", "target": "nat-1"}], public_store=False)
    data["vpcs"].append({"id": "vpc-2", "subnets": [{"id": "subnet-other"}]})
    data["data_stores"][0]["subnet"] = "subnet-other"
    failure = next(f for f in run(data)[("ana", "action.run-job", "copy")].failures)
    assert failure.requirement == "vpc.data-store-reachable" and "vpc-2" in failure.reason


def test_a_runner_who_is_not_the_creator_needs_glue_studio_too() -> None:
    data = base()
    data["users"].append({"name": "ops", "console_access": True})
    data["jobs"][0]["run_by"] = "ops"
    results = run(data)
    assert failing(results, "ops", "run-job", "copy") == {"action.open-glue-studio", "action.run-job"}
    assert failing(results, "ana", "save-job", "copy") == set()


CHANGE_OWN_PASSWORD = policy(
    statement(["iam:ChangePassword"], ["arn:aws:iam::*:user/${aws:username}"]),
    statement(["iam:GetAccountPasswordPolicy"], ["*"]),
)


def reset_data(required: Any = True, **account: Any) -> dict:
    data = base()
    data["users"][0]["password_reset_required"] = required
    data["account"].update(account)
    return data


def sign_in(data: dict) -> Any:
    return run(data, actions=["sign-in-console"])[("ana", "action.sign-in-console", "")]


def test_a_user_who_must_reset_needs_to_change_their_own_password() -> None:
    result = sign_in(reset_data())
    assert result.verdict.value == "fail"
    assert [(f.requirement, f.iam.action, f.iam.resource) for f in result.failures] == [
        ("user.change-own-password", "iam:ChangePassword", "arn:aws:iam::123456789012:user/ana"),
        ("user.change-own-password", "iam:GetAccountPasswordPolicy", "*"),
    ]
    assert sign_in(reset_data(required=False)).passed


def test_iam_user_change_password_statements_let_the_user_reset_with_aws_username() -> None:
    data = reset_data()
    data["users"][0]["inline_policies"] = {"ChangeOwn": CHANGE_OWN_PASSWORD}
    assert sign_in(data).passed
    # The user's ARN carries its path, which user/${aws:username} does not match.
    data["users"][0]["path"] = "/analysts/"
    (failure,) = sign_in(data).failures
    assert failure.iam.resource == "arn:aws:iam::123456789012:user/analysts/ana"
    del data["users"][0]["path"]
    other = policy(statement(["iam:ChangePassword"], ["arn:aws:iam::*:user/someone-else"]),
                   statement(["iam:GetAccountPasswordPolicy"], ["*"]))
    data["users"][0]["inline_policies"] = {"ChangeOther": other}
    assert {f.iam.action for f in sign_in(data).failures} == {"iam:ChangePassword"}


def test_the_account_password_policy_lets_every_user_change_their_password_unless_denied() -> None:
    assert sign_in(reset_data(users_can_change_password=True)).passed
    data = reset_data(users_can_change_password=True)
    data["users"][0]["inline_policies"] = {"NoPasswords": policy(
        statement(["iam:ChangePassword"], ["*"], effect="Deny"))}
    (failure,) = sign_in(data).failures
    assert failure.iam.action == "iam:ChangePassword" and failure.iam.evaluation.decision.value == "explicitDeny"


def test_an_unknown_password_policy_or_reset_flag_is_unknown_not_a_pass() -> None:
    result = sign_in(reset_data(users_can_change_password=None))
    assert result.verdict.value == "unknown"
    assert [f.requirement for f in result.failures] == ["user.change-own-password"]
    assert "account password policy" in result.failures[0].reason
    unknown_flag = sign_in(reset_data(required=None))
    assert unknown_flag.verdict.value == "unknown" and "unknown" in unknown_flag.failures[0].reason
    allowed = reset_data(required=None)
    allowed["users"][0]["inline_policies"] = {"ChangeOwn": CHANGE_OWN_PASSWORD}
    assert sign_in(allowed).passed


def test_opening_glue_studio_waits_for_the_new_password() -> None:
    results = run(reset_data())
    assert failing(results, "ana", "open-glue-studio") == {"action.sign-in-console"}
    assert failing(results, "ana", "run-job", "copy") == {"action.save-job"}


def test_the_fix_lets_the_user_change_their_own_password() -> None:
    from gluesim.simulator.fix import fix

    fixed = fix(scenario.loads(json.dumps(reset_data()), "t.yaml"))
    assert fixed.after.passed and fixed.unresolved == ()
    assert [step.requirement for step in fixed.steps] == ["user.change-own-password"]
