"""The home page's start-here route: its policies work in the simulator, its errors are computed.

The route (``cli/docsite/assets/start-here.yaml``) tells a new team what to click and what to
paste. These tests build the account the route describes, with the policy JSON the page shows,
and let the simulator judge it: an S3-to-S3 job must pass, as the route promises.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from gluesim.cli.docsite import start_page
from gluesim.kb.loader import load
from gluesim.simulator.engine import simulate
from gluesim.simulator.scenario import load as load_scenario


def stage(title_start: str) -> start_page.Stage:
    return next(s for s in start_page.route()[1] if s.title.startswith(title_start))


def route_account(tmp_path: Path, role_name: str, user_policies: dict[str, Any]) -> Any:
    """The account of the start-here route: the user, the job role and a first S3-to-S3 job."""
    values, _ = start_page.route()
    kb = load()
    role = stage("The job role")
    data_policy = start_page.policy_document(kb, tuple(role.policy["entries"]), "job-role", values)  # type: ignore[index]
    trust = start_page.trust_document(role.trust_service)
    assets = f"aws-glue-assets-{values['account_id']}-{values['region']}"
    scenario = {
        "name": "start-here",
        "account": {"id": values["account_id"], "region": values["region"]},
        "users": [{"name": values["user_name"], "console_access": True, "managed_policies": ["AWSGlueConsoleFullAccess"],
                   "inline_policies": user_policies}],
        "roles": [{"name": role_name, "trusted_services": [trust["Statement"][0]["Principal"]["Service"]],
                   "managed_policies": list(role.attach), "inline_policies": {role.policy["name"]: data_policy}}],  # type: ignore[index]
        "buckets": [{"name": values["source_bucket"]}, {"name": values["target_bucket"]}, {"name": assets}],
        "jobs": [{"name": "first-job", "created_by": values["user_name"], "role": role_name,
                  "sources": [{"s3": f"s3://{values['source_bucket']}/{values['source_prefix']}"}],
                  "targets": [{"s3": f"s3://{values['target_bucket']}/{values['target_prefix']}"}]}],
    }
    path = tmp_path / "start-here.yaml"
    path.write_text(yaml.safe_dump(scenario, sort_keys=False), encoding="utf-8")
    return load_scenario(path)


def test_the_routes_policies_make_a_first_s3_job_pass(tmp_path: Path) -> None:
    values, _ = start_page.route()
    report = simulate(route_account(tmp_path, values["job_role_name"], {}))
    assert report.results and report.passed, [f.reason for r in report.results for f in r.failures]


def test_without_the_data_policy_the_job_fails_where_the_page_says(tmp_path: Path) -> None:
    values, _ = start_page.route()
    model = route_account(tmp_path, values["job_role_name"], {})
    data = yaml.safe_load((tmp_path / "start-here.yaml").read_text(encoding="utf-8"))
    data["roles"][0]["inline_policies"] = {}
    (tmp_path / "start-here.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    failing = {f.requirement for r in simulate(load_scenario(tmp_path / "start-here.yaml")).results for f in r.failures}
    assert {"job-role.s3-source-read", "job-role.s3-target-write"} <= failing
    assert model.jobs  # the route's own account had the job


def test_a_role_named_otherwise_fails_as_the_page_warns(tmp_path: Path) -> None:
    report = simulate(route_account(tmp_path, "data-team-first-job", {}))
    failing = {f.requirement for r in report.results for f in r.failures}
    assert {"job-role.name-prefix", "user.pass-job-role"} <= failing
    assert "must start with AWSGlueServiceRole" in " ".join(stage("The job role").do.split())


def test_generated_policy_json_is_plain_iam() -> None:
    values, _ = start_page.route()
    role = stage("The job role")
    document = start_page.policy_document(load(), tuple(role.policy["entries"]), "job-role", values)  # type: ignore[index]
    assert document["Version"] == "2012-10-17"
    resources = [r for s in document["Statement"] for r in s["Resource"]]
    assert f"arn:aws:s3:::{values['target_bucket']}/{values['target_prefix']}*" in resources
    assert not any("{" in r or "<" in r for r in resources)  # every placeholder filled
    assert len({s["Sid"] for s in document["Statement"]}) == len(document["Statement"])
    json.dumps(document)


def test_every_stage_names_known_entries_and_a_scenario_that_fails_there() -> None:
    kb = load()
    _, stages = start_page.route()
    assert [s.title for s in stages][0].startswith("Your AWS account") and len(stages) == 5
    for item in stages:
        assert all(key in kb for key in item.entries), item.title
        assert item.missing is not None
        title, message, _ = start_page.what_goes_wrong(item.missing["scenario"], item.missing["requirement"])
        assert title and message


def test_denials_are_worded_as_aws_words_them() -> None:
    _, message, iam = start_page.what_goes_wrong("passrole-custom-policy", "user.pass-job-role")
    assert iam
    assert message == (
        "User: arn:aws:iam::111122223333:user/wei is not authorized to perform: iam:PassRole on resource: "
        "arn:aws:iam::111122223333:role/AWSGlueServiceRole-Sales because no identity-based policy allows "
        "the iam:PassRole action"
    )


@pytest.mark.parametrize("title", ["Your AWS account", "The job role", "A first S3"])
def test_the_home_page_shows_each_stage_with_a_check_box(title: str) -> None:
    from gluesim.cli.docsite import site
    from gluesim.kb.policies import policy_names

    home = site.overview_page(load(), "T", set(policy_names()), site.plan_pages.plan_section(load()),
                              site.scenario_pages.Section("Scenarios")).text
    part = home[home.index(title):]
    assert part.index("- [ ] Done") < part.index("When it is missing") < part.index("Read more")
