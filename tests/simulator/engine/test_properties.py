"""Hypothesis properties of the engine and of fix over generated scenarios."""

from __future__ import annotations

import json
import random
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from gluesim.simulator import scenario
from gluesim.simulator.engine import simulate
from gluesim.simulator.fix import fix

ACCOUNT = "123456789012"
USER_POLICIES = ["AWSGlueConsoleFullAccess", "CloudWatchReadOnlyAccess", "AmazonS3ReadOnlyAccess", "PowerUserAccess"]
USER_GRANTS = {
    "passrole": (["iam:PassRole"], [f"arn:aws:iam::{ACCOUNT}:role/*"]),
    "batchdelete": (["glue:BatchDeleteJob"], ["*"]),
    "dashboards": (["cloudwatch:PutDashboard", "cloudwatch:GetDashboard"], ["*"]),
    "studio": (["glue:*"], ["*"]),
}
ROLE_GRANTS = {
    "read": (["s3:ListBucket", "s3:GetObject"], ["arn:aws:s3:::src", "arn:aws:s3:::src/*"]),
    "write": (["s3:ListBucket", "s3:PutObject", "s3:DeleteObject"], ["arn:aws:s3:::dst", "arn:aws:s3:::dst/*"]),
    "kms": (["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey", "kms:ReEncrypt*"], ["*"]),
    "glue": (["glue:*", "logs:*", "cloudwatch:PutMetricData"], ["*"]),
    "assets": (["s3:*"], ["arn:aws:s3:::aws-glue-*"]),
}
ROLE_POLICIES = ["AWSGlueServiceRole", "AmazonS3FullAccess"]


def _policy(grants: dict[str, tuple[list[str], list[str]]], names: list[str]) -> dict[str, Any]:
    return {"Version": "2012-10-17",
            "Statement": [{"Sid": n, "Effect": "Allow", "Action": grants[n][0], "Resource": grants[n][1]}
                          for n in names]}


@st.composite
def scenarios(draw: st.DrawFn) -> dict[str, Any]:
    """Scenarios without Deny statements or unknowns, so every failure has an automatic fix."""
    user_grants = draw(st.lists(st.sampled_from(sorted(USER_GRANTS)), unique=True))
    role_grants = draw(st.lists(st.sampled_from(sorted(ROLE_GRANTS)), unique=True))
    role_name = draw(st.sampled_from(["AWSGlueServiceRole-Gen", "GenRole"]))
    user: dict[str, Any] = {"name": "gen", "console_access": draw(st.booleans()),
                            "password_reset_required": draw(st.booleans()),
                            "managed_policies": draw(st.lists(st.sampled_from(USER_POLICIES), unique=True))}
    if user_grants:
        user["inline_policies"] = {"Grants": _policy(USER_GRANTS, user_grants)}
    role: dict[str, Any] = {"name": role_name, "trusted_services": [draw(st.sampled_from(
        ["glue.amazonaws.com", "ec2.amazonaws.com"]))],
        "managed_policies": draw(st.lists(st.sampled_from(ROLE_POLICIES), unique=True))}
    if role_grants:
        role["inline_policies"] = {"Grants": _policy(ROLE_GRANTS, role_grants)}
    source = {"name": "src"}
    if draw(st.booleans()):
        source.update({"encryption": "SSE-KMS", "kms_key": "k1"})
    target = draw(st.sampled_from([{"s3": "s3://dst/out/"}, {"catalog": "db.t"}]))
    data: dict[str, Any] = {
        "name": "generated",
        "account": {"id": ACCOUNT, "billing_iam_access": draw(st.booleans()),
                    "users_can_change_password": draw(st.booleans())},
        "users": [user], "roles": [role], "buckets": [source, {"name": "dst"}],
        "kms_keys": [{"id": "k1"}], "dashboards": ["Jobs"],
        # The table exists with its data location: a table the fix creates has a location only a
        # person knows, so the job's access to it would stay unknown.
        "catalog": {"databases": [{"name": "db", "tables": [{"name": "t", "location": "s3://dst/t/"}]}]},
        "jobs": [{"name": "job", "created_by": "gen", "role": role_name,
                  "sources": [{"s3": "s3://src/in/"}], "targets": [target]}],
        "checks": [{"actor": "gen", "action": "delete-jobs"},
                   {"actor": "gen", "action": "modify-dashboards", "dashboard": "Jobs"},
                   {"actor": "gen", "action": "open-billing-console"}],
    }
    return data


def load(data: dict[str, Any]) -> Any:
    return scenario.loads(json.dumps(data, indent=1), "generated.yaml")


def verdicts(data: dict[str, Any]) -> dict[tuple[str, str, str], str]:
    return {r.key: r.verdict.value for r in simulate(load(data)).results}


@settings(max_examples=40)
@given(scenarios(), st.data())
def test_removing_a_permission_never_turns_a_failure_into_a_pass(data: dict[str, Any], more: st.DataObject) -> None:
    before = verdicts(data)
    holders = [(p, k) for p in ("users", "roles") for k in ("Grants",)
               if data[p][0].get("inline_policies", {}).get(k)]
    holders += [(p, "managed") for p in ("users", "roles") if data[p][0]["managed_policies"]]
    if not holders:
        return
    where, what = more.draw(st.sampled_from(holders))
    entity = data[where][0]
    if what == "managed":
        entity["managed_policies"].pop(more.draw(st.integers(0, len(entity["managed_policies"]) - 1)))
    else:
        statements = entity["inline_policies"][what]["Statement"]
        statements.pop(more.draw(st.integers(0, len(statements) - 1)))
        if not statements:
            del entity["inline_policies"]
    after = verdicts(data)
    for key, verdict in before.items():
        if verdict != "pass":
            assert after[key] != "pass", key


@settings(max_examples=30)
@given(scenarios())
def test_fixing_makes_every_wanted_action_pass(data: dict[str, Any]) -> None:
    original = load(data)
    result = fix(original)
    assert result.unresolved == ()
    fixed = simulate(result.fixed_scenario)
    assert fixed.passed
    assert {r.key for r in fixed.results} >= {r.key for r in simulate(original).results if r.action not in
                                              {f"action.create-job-{k}" for k in ("s3", "catalog")}}
    again = scenario.loads(scenario.dump(result.fixed_scenario), "fixed.yaml")
    assert simulate(again).passed


@settings(max_examples=20)
@given(scenarios())
def test_fixing_a_passing_scenario_changes_nothing(data: dict[str, Any]) -> None:
    fixed = fix(load(data)).fixed_scenario
    second = fix(fixed)
    assert second.steps == () and second.fixed_scenario == fixed


@settings(max_examples=30)
@given(scenarios(), st.randoms(use_true_random=False))
def test_entry_order_never_changes_a_verdict(data: dict[str, Any], rnd: random.Random) -> None:
    before = verdicts(data)
    shuffled = json.loads(json.dumps(data))
    for key in ("users", "buckets", "checks"):
        rnd.shuffle(shuffled[key])
    for entity in (shuffled["users"][0], shuffled["roles"][0]):
        rnd.shuffle(entity["managed_policies"])
        for doc in entity.get("inline_policies", {}).values():
            rnd.shuffle(doc["Statement"])
    shuffled = dict(rnd.sample(sorted(shuffled.items()), len(shuffled)))
    assert verdicts(shuffled) == before
