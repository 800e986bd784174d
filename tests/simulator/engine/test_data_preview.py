"""Data preview (action.data-preview): the role Glue Studio assumes, and streaming sources it cannot preview."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gluesim.kb.errors import LocatedError
from gluesim.kb.loader import load
from gluesim.simulator import scenario
from tests.simulator.engine.test_engine import base, failing, role, run, statement

PAGE = "https://docs.aws.amazon.com/glue/latest/dg/getting-started-min-privs.html"


def preview_data() -> dict:
    data = base()
    data["checks"] = [{"actor": "ana", "action": "data-preview", "job": "copy"}]
    return data


def preview(data: dict):
    return run(data)[("ana", "action.data-preview", "copy")]


def test_the_passing_fixture_can_preview_its_source() -> None:
    result = preview(preview_data())
    assert result.passed
    assert {"user.pass-job-role", "job-role.trusts-glue", "job-role.s3-source-read", "preview.batch-source"} <= set(
        result.checked)


def test_the_preview_does_not_need_the_target_or_the_role_name_itself() -> None:
    result = preview(preview_data())
    assert "job-role.s3-target-write" not in result.checked
    assert "job-role.name-prefix" not in result.checked


def test_a_role_that_cannot_write_the_target_still_previews_the_source() -> None:
    data = preview_data()
    role(data)["inline_policies"]["Data"]["Statement"].pop()  # the Write statement
    results = run(data)
    assert failing(results, "ana", "run-job", "copy") == {"job-role.s3-target-write"}
    assert failing(results, "ana", "data-preview", "copy") == set()


def test_a_role_that_cannot_read_the_source_fails_the_preview() -> None:
    data = preview_data()
    role(data)["inline_policies"]["Data"]["Statement"].pop(0)  # the Read statement
    failures = preview(data).failures
    assert {f.requirement for f in failures} == {"job-role.s3-source-read"}
    # AWSGlueServiceRole allows s3:ListBucket on every bucket, so only the object read is missing.
    assert [(f.iam.action, f.iam.resource) for f in failures] == [("s3:GetObject", "arn:aws:s3:::src/in/*")]


def test_a_role_not_named_awsglueservicerole_needs_passrole_under_the_console_policy() -> None:
    data = preview_data()
    role(data)["name"] = "FlightsRole"
    data["jobs"][0]["role"] = "FlightsRole"
    failures = preview(data).failures
    assert [(f.requirement, f.iam.action, f.iam.resource) for f in failures] == [
        ("user.pass-job-role", "iam:PassRole", "arn:aws:iam::123456789012:role/FlightsRole")]


def test_a_custom_named_role_with_a_passrole_grant_can_be_previewed() -> None:
    data = preview_data()
    role(data)["name"] = "FlightsRole"
    data["jobs"][0]["role"] = "FlightsRole"
    grant = statement(["iam:PassRole"], ["arn:aws:iam::123456789012:role/FlightsRole"])
    data["users"][0]["inline_policies"] = {"Pass": {"Version": "2012-10-17", "Statement": [grant]}}
    assert preview(data).passed
    assert failing(run(data), "ana", "save-job", "copy") == {"job-role.name-prefix"}


def test_a_role_that_does_not_trust_glue_cannot_be_assumed_for_the_preview() -> None:
    data = preview_data()
    role(data)["trusted_services"] = ["ec2.amazonaws.com"]
    assert failing(run(data), "ana", "data-preview", "copy") == {"job-role.trusts-glue"}


@pytest.mark.parametrize("source", [{"kinesis": "clicks"}, {"stream": "clicks"}])
def test_a_streaming_source_cannot_be_previewed_whatever_the_permissions(source: dict) -> None:
    data = preview_data()
    data["jobs"][0]["sources"] = [source]
    role(data)["managed_policies"].append("AdministratorAccess")
    failures = preview(data).failures
    assert len(failures) == 1
    failure = failures[0]
    assert failure.requirement == "preview.batch-source"
    assert failure.reason == "job copy reads streaming source clicks: data preview is not supported for streaming sources"
    assert failure.iam is None and not failure.unknown
    assert (failure.section, failure.url) == ("Notebook and data preview permissions", PAGE)
    assert [c.kind for c in failure.changes] == ["manual"]


def test_a_streaming_target_does_not_stop_the_preview_of_a_batch_source() -> None:
    data = preview_data()
    data["jobs"][0]["targets"] = [{"kinesis": "clicks"}]
    assert "preview.batch-source" not in failing(run(data), "ana", "data-preview", "copy")


def test_a_preview_check_must_name_its_job() -> None:
    data = base()
    data["checks"] = [{"actor": "ana", "action": "data-preview"}]
    with pytest.raises(LocatedError) as caught:
        scenario.loads(json.dumps(data, indent=1), "t.yaml")
    assert str(caught.value).endswith("checks[0] (data-preview) names no job; add 'job:' with a job name")


def test_the_kb_action_cites_the_page_and_states_billing_and_streaming() -> None:
    entry = load().get("action.data-preview")
    assert entry.source.url == PAGE
    assert entry.basis.value == "inference" and entry.note
    assert "Billing starts as soon as a role is given" in entry.summary
    assert "Streaming sources cannot be previewed" in entry.summary
    assert load().get("preview.batch-source").basis.value == "stated"


SOURCE_KINDS = st.sampled_from([{"s3": "s3://src/in/"}, {"s3": "s3://src/other/"}, {"kinesis": "clicks"},
                                {"stream": "events"}])


@settings(max_examples=25, deadline=None)
@given(st.lists(SOURCE_KINDS, min_size=1, max_size=4))
def test_batch_source_fails_exactly_when_a_source_is_a_stream(sources: list[dict]) -> None:
    data = preview_data()
    data["jobs"][0]["sources"] = sources
    streaming = any(("kinesis" in s or "stream" in s) for s in sources)
    assert ("preview.batch-source" in failing(run(data), "ana", "data-preview", "copy")) == streaming
