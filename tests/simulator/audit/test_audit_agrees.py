"""One engine: the audit and ``simulate`` never disagree, on the library and on generated accounts (issue 10)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gluesim.simulator import library, scenario
from gluesim.simulator.audit import audit
from gluesim.simulator.engine import simulate

WORD = {"pass": "allowed", "fail": "denied", "unknown": "unknown"}


def disagreements(model: Any) -> list[str]:
    """Every (actor, action, subject) simulate reports whose audit verdict differs (or is missing)."""
    audited = {p.name: {v.action: v for v in p.actions} for p in audit(model).principals if p.kind == "user"}
    found = []
    for result in simulate(model).results:
        verdict = audited[result.actor].get(result.action)
        if verdict is None:
            found.append(f"{result.key}: not audited")
            continue
        seen = dict(verdict.subjects).get(result.subject) if result.subject else verdict.verdict
        if seen != WORD[result.verdict.value]:
            found.append(f"{result.key}: simulate {result.verdict.value}, audit {seen}")
    return found


@pytest.mark.parametrize("name", library.names())
def test_audit_and_simulate_agree_on_every_library_scenario(name: str) -> None:
    assert disagreements(library.get(name).scenario) == []


ACCOUNT = "123456789012"
USER_POLICIES = ["AWSGlueConsoleFullAccess", "CloudWatchReadOnlyAccess", "PowerUserAccess", "ReadOnlyAccess"]
GRANTS = {
    "passrole-any": {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"},
    "glue": {"Effect": "Allow", "Action": "glue:*", "Resource": "*"},
    "deny-delete": {"Effect": "Deny", "Action": "glue:BatchDeleteJob", "Resource": "*"},
    "region": {"Effect": "Deny", "Action": "glue:*", "Resource": "*",
               "Condition": {"StringNotEquals": {"aws:RequestedRegion": "us-east-1"}}},
}


@st.composite
def accounts(draw: st.DrawFn) -> dict[str, Any]:
    """Two users, two roles (prefixed or not, trusting Glue or not), one or two jobs, some checks."""
    users = []
    for name in ("ana", "ben"):
        user: dict[str, Any] = {"name": name, "console_access": draw(st.sampled_from([True, False, None])),
                                "managed_policies": draw(st.lists(st.sampled_from(USER_POLICIES), unique=True,
                                                                  max_size=2))}
        grants = draw(st.lists(st.sampled_from(sorted(GRANTS)), unique=True, max_size=2))
        if grants:
            user["inline_policies"] = {"Grants": {"Version": "2012-10-17", "Statement": [GRANTS[g] for g in grants]}}
        users.append(user)
    roles = [{"name": draw(st.sampled_from(["AWSGlueServiceRole-A", "RoleA"])),
              "trusted_services": [draw(st.sampled_from(["glue.amazonaws.com", "ec2.amazonaws.com"]))],
              "managed_policies": draw(st.lists(st.sampled_from(["AWSGlueServiceRole", "AmazonS3FullAccess"]),
                                                unique=True))},
             {"name": "AWSGlueServiceRole-B", "trust_policy": {"Version": "2012-10-17", "Statement": [
                 {"Effect": "Allow", "Principal": draw(st.sampled_from([{"Service": "glue.amazonaws.com"},
                                                                         {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}])),
                  "Action": "sts:AssumeRole"}]}, "managed_policies": ["AWSGlueServiceRole"]}]
    jobs = [{"name": f"job{i}", "created_by": draw(st.sampled_from(["ana", "ben"])),
             "run_by": draw(st.sampled_from(["ana", "ben"])), "role": draw(st.sampled_from([r["name"] for r in roles])),
             "region": draw(st.sampled_from(["us-east-1", "eu-west-1"])),
             "sources": [{"s3": "s3://src/in/"}], "targets": [{"s3": "s3://dst/out/"}]}
            for i in range(draw(st.integers(1, 2)))]
    checks = [{"actor": draw(st.sampled_from(["ana", "ben"])), "action": action}
              for action in draw(st.lists(st.sampled_from(["delete-jobs", "open-billing-console"]), unique=True))]
    return {"account": {"id": ACCOUNT, "billing_iam_access": draw(st.booleans())}, "users": users, "roles": roles,
            "buckets": [{"name": "src"}, {"name": "dst"}], "jobs": jobs, "checks": checks,
            "dashboards": ["Ops"]}


@settings(max_examples=25, deadline=None)
@given(accounts())
def test_audit_and_simulate_agree_on_every_generated_account(data: dict[str, Any]) -> None:
    """Property: for every (actor, action, job) simulate reports, the audit's verdict is the same."""
    assert disagreements(scenario.loads(json.dumps(data), "generated.yaml")) == []
