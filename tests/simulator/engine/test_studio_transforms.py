"""job-role.studio-transforms-bucket: jobs with visual transforms read their code from an AWS-owned bucket."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gluesim.kb.errors import LocatedError
from gluesim.kb.loader import load
from gluesim.simulator import scenario
from gluesim.simulator.engine.checks.job import TRANSFORMS_ACCOUNTS
from gluesim.simulator.engine import simulate
from gluesim.simulator.fix import fix
from gluesim.simulator.scenario.writer import dump
from tests.simulator.engine.test_engine import base, failing, role, run, statement

REQ = "job-role.studio-transforms-bucket"
PAGE = "https://docs.aws.amazon.com/glue/latest/dg/getting-started-min-privs-job.html"
FACTS = Path(__file__).resolve().parents[3] / "kb" / "sources" / "glue-docs-facts.md"
US_EAST_1 = "arn:aws:s3:::aws-glue-studio-transforms-510798373988-prod-us-east-1/*"


def transforms_data(region: str = "us-east-1", glue_service_role: bool = False) -> dict:
    """The passing fixture with visual transforms, and without AWSGlueServiceRole unless asked."""
    data = base()
    data["account"]["region"] = region
    data["jobs"][0]["visual_transforms"] = True
    if not glue_service_role:
        role(data)["managed_policies"] = []
        role(data)["inline_policies"]["Glue"] = {"Version": "2012-10-17", "Statement": [
            statement(["glue:*", "logs:*", "cloudwatch:PutMetricData", "s3:ListBucket"], ["*"]),
            statement(["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], ["arn:aws:s3:::aws-glue-assets-*/*"])]}
    return data


def test_without_the_flag_nothing_changes() -> None:
    data = transforms_data()
    data["jobs"][0]["visual_transforms"] = False
    results = run(data)
    assert all(REQ not in r.checked for r in results.values())
    assert failing(results, "ana", "run-job", "copy") == set()


def test_a_role_without_the_bucket_fails_run_and_create_on_the_exact_arn() -> None:
    results = run(transforms_data())
    for action in ("create-job-s3", "run-job"):
        failures = results[("ana", f"action.{action}", "copy")].failures
        assert [(f.requirement, f.iam.action, f.iam.resource, f.unknown) for f in failures] == [
            (REQ, "s3:GetObject", US_EAST_1, False)]
        assert failures[0].url == PAGE
    assert failing(results, "ana", "save-job", "copy") == set()


def test_eu_west_1_uses_its_own_bucket_owner() -> None:
    failure = run(transforms_data("eu-west-1"))[("ana", "action.run-job", "copy")].failures[0]
    assert failure.iam.resource == "arn:aws:s3:::aws-glue-studio-transforms-244479516193-prod-eu-west-1/*"


def test_a_grant_on_the_bucket_passes() -> None:
    data = transforms_data()
    role(data)["inline_policies"]["Data"]["Statement"].append(statement(["s3:GetObject"], [US_EAST_1]))
    assert failing(run(data), "ana", "run-job", "copy") == set()


def test_a_grant_on_another_regions_bucket_does_not_pass() -> None:
    data = transforms_data()
    other = "arn:aws:s3:::aws-glue-studio-transforms-244479516193-prod-eu-west-1/*"
    role(data)["inline_policies"]["Data"]["Statement"].append(statement(["s3:GetObject"], [other]))
    assert failing(run(data), "ana", "run-job", "copy") == {REQ}


def test_aws_glue_service_role_is_evaluated_not_assumed() -> None:
    # AWSGlueServiceRole allows s3:GetObject on arn:aws:s3:::aws-glue-*/*, which the evaluator finds
    # covers the transforms bucket; a Deny on it still wins.
    data = transforms_data(glue_service_role=True)
    assert failing(run(data), "ana", "run-job", "copy") == set()
    role(data)["inline_policies"]["Data"]["Statement"].append(statement(["s3:GetObject"], [US_EAST_1], "Deny"))
    failure = run(data)[("ana", "action.run-job", "copy")].failures[0]
    assert (failure.requirement, failure.iam.evaluation.decision.value) == (REQ, "explicitDeny")


@pytest.mark.parametrize("region", ["ap-south-1", "eu-central-1", "us-west-2"])
def test_an_unlisted_region_is_unknown_and_names_what_to_look_up(region: str) -> None:
    data = transforms_data(region, glue_service_role=True)
    results = run(data)
    failure = results[("ana", "action.run-job", "copy")].failures[0]
    assert failure.requirement == REQ and failure.unknown and failure.iam is None
    assert failure.reason == (f"job copy uses visual transforms, and gluesim does not know the account id in the "
                              f"name of the transforms bucket of Region {region} "
                              f"(aws-glue-studio-transforms-<aws-account-id>-prod-{region})")
    assert f"look up the bucket name for {region} on {PAGE}" in failure.fix
    assert results[("ana", "action.run-job", "copy")].verdict.value == "unknown"


def test_fix_grants_get_object_on_the_exact_bucket_arn() -> None:
    s = scenario.loads(json.dumps(transforms_data(), indent=1), "t.yaml")
    result = fix(s)
    steps = [(step.requirement, step.actions, step.resources) for step in result.steps]
    assert (REQ, ("s3:GetObject",), (US_EAST_1,)) in steps
    assert simulate(result.fixed_scenario).passed


def test_fix_leaves_an_unlisted_region_to_a_person() -> None:
    s = scenario.loads(json.dumps(transforms_data("ap-south-1"), indent=1), "t.yaml")
    assert REQ in {f.requirement for f in fix(s).unresolved}


def test_the_flag_round_trips_through_dump_and_defaults_to_false() -> None:
    s = scenario.loads(json.dumps(transforms_data(), indent=1), "t.yaml")
    assert s.jobs[0].visual_transforms is True
    assert "visual_transforms: true" in dump(s)
    assert scenario.loads(dump(s), "again.yaml").jobs[0].visual_transforms is True
    plain = scenario.loads(json.dumps(base(), indent=1), "t.yaml")
    assert plain.jobs[0].visual_transforms is False and "visual_transforms" not in dump(plain)


def test_the_schema_documents_the_flag_as_a_boolean() -> None:
    node = scenario.schema()["properties"]["jobs"]["items"]["properties"]["visual_transforms"]
    assert node["type"] == "boolean" and "aws-glue-studio-transforms" in node["description"]


def test_the_known_bucket_owners_are_the_ones_in_the_reference_facts() -> None:
    facts = FACTS.read_text(encoding="utf-8")
    for region, owner in TRANSFORMS_ACCOUNTS.items():
        assert f"aws-glue-studio-transforms-{owner}-prod-{region}" in facts
    entry = load().get(REQ)
    assert entry.source.url == PAGE and "visual-transforms" in {f.value for f in entry.applies_when}
    assert REQ in load().get("action.run-job").depends_on


def test_a_flag_that_is_not_a_boolean_is_one_located_error() -> None:
    data = base()
    data["jobs"][0]["visual_transforms"] = "yes"
    with pytest.raises(LocatedError) as caught:
        scenario.loads(json.dumps(data, indent=1), "t.yaml")
    assert str(caught.value).endswith("jobs[0].visual_transforms is 'yes' (a string); expected true or false")


def test_dropping_the_visual_transforms_is_an_intent_change() -> None:
    from gluesim.simulator.library import intent_changes

    s = scenario.loads(json.dumps(transforms_data(), indent=1), "t.yaml")
    plain = dataclasses.replace(s, jobs=(dataclasses.replace(s.jobs[0], visual_transforms=False),))
    assert intent_changes(s, plain) == ["job 'copy': uses visual transforms changed from yes to no"]


@settings(max_examples=25, deadline=None)
@given(st.from_regex(r"[a-z]{2}-[a-z]{4,9}-[1-9]", fullmatch=True))
def test_a_region_is_checked_on_its_own_bucket_or_left_unknown(region: str) -> None:
    failures = run(transforms_data(region))[("ana", "action.run-job", "copy")].failures
    mine = [f for f in failures if f.requirement == REQ]
    assert len(mine) == 1
    owner = TRANSFORMS_ACCOUNTS.get(region)
    if owner is None:
        assert mine[0].unknown and mine[0].iam is None
    else:
        assert mine[0].iam.resource == f"arn:aws:s3:::aws-glue-studio-transforms-{owner}-prod-{region}/*"
