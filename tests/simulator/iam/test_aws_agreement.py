"""Where AWS's own simulator (SimulateCustomPolicy) and documentation decide, gluesim decides the same (issue 11).

Each test failed before the change it names; the AWS page is cited beside the code it tests.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from iam_helpers import ACCOUNT, OTHER, ROLE, SESSION, USER, policy, request, run, stmt

from gluesim.simulator.iam import Decision, PolicyType, simulate_custom_policy

BUCKET = "arn:aws:s3:::shared/k"


def _bucket(*statements: dict[str, Any]) -> Any:
    return policy(*statements, kind=PolicyType.RESOURCE)


def _decide(**kwargs: Any) -> str:
    (result,) = simulate_custom_policy(**kwargs)["EvaluationResults"]
    return str(result["EvalDecision"])


# SCPs affect only IAM users and roles of member accounts (Organizations, "Service control policies").
@pytest.mark.parametrize(("principal_type", "principal_arn"), [("Service", "glue.amazonaws.com"),
                                                               ("Anonymous", None)])
def test_an_scp_deny_does_not_reach_service_or_anonymous_principals(principal_type: str,
                                                                    principal_arn: str | None) -> None:
    bucket = _bucket(stmt(resource=BUCKET, Principal="*"))
    scp = policy(stmt("Deny", action="s3:*"), kind=PolicyType.SCP)
    req = request(resource=BUCKET, principal_arn=principal_arn, principal_type=principal_type,
                  principal_account=None)
    assert run(req, resource_policy=bucket, scp_levels=[[scp]]).decision is Decision.ALLOWED
    user = request(resource=BUCKET)
    assert run(user, resource_policy=bucket, scp_levels=[[scp]]).decision is Decision.EXPLICIT_DENY


# Allow with NotPrincipal grants everyone except the listed principals (NotPrincipal page).
def test_allow_with_not_principal_does_not_grant_the_principal_it_names() -> None:
    bucket = _bucket(stmt(resource=BUCKET, NotPrincipal={"AWS": USER}))
    assert run(request(resource=BUCKET), resource_policy=bucket).decision is Decision.IMPLICIT_DENY
    other = request(resource=BUCKET, principal_arn=f"arn:aws:iam::{ACCOUNT}:user/bob")
    assert run(other, resource_policy=bucket).decision is Decision.ALLOWED
    whole_account = _bucket(stmt(resource=BUCKET, NotPrincipal={"AWS": f"arn:aws:iam::{ACCOUNT}:root"}))
    assert run(request(resource=BUCKET), resource_policy=whole_account).decision is Decision.IMPLICIT_DENY


# Kept on purpose (docs/reference/iam-evaluator.md): a Deny with NotPrincipal that lists a user but not
# the user's account still denies that user, as the NotPrincipal page says.
def test_deny_with_not_principal_needs_the_account_listed_too() -> None:
    deny = _bucket(stmt(resource=BUCKET, Principal="*"), stmt("Deny", resource=BUCKET, NotPrincipal={"AWS": USER}))
    assert run(request(resource=BUCKET), resource_policy=deny).decision is Decision.EXPLICIT_DENY
    both = _bucket(stmt(resource=BUCKET, Principal="*"),
                   stmt("Deny", resource=BUCKET, NotPrincipal={"AWS": [USER, f"arn:aws:iam::{ACCOUNT}:root"]}))
    assert run(request(resource=BUCKET), resource_policy=both).decision is Decision.ALLOWED


# ContextKeyType stringList is multivalued whatever its length (API_ContextEntry page; AWS's simulator).
def test_a_one_element_string_list_is_multivalued() -> None:
    document = json.dumps({"Version": "2012-10-17", "Statement": {
        "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
        "Condition": {"StringLike": {"aws:PrincipalTag/team": "data*"}}}})
    entry = {"ContextKeyName": "aws:PrincipalTag/team", "ContextKeyValues": ["data"]}
    assert _decide(PolicyInputList=[document], ActionNames=["s3:GetObject"],
                   ContextEntries=[{**entry, "ContextKeyType": "string"}]) == "allowed"
    assert _decide(PolicyInputList=[document], ActionNames=["s3:GetObject"],
                   ContextEntries=[{**entry, "ContextKeyType": "stringList"}]) == "implicitDeny"
    any_value = document.replace("StringLike", "ForAnyValue:StringLike")
    assert _decide(PolicyInputList=[any_value], ActionNames=["s3:GetObject"],
                   ContextEntries=[{**entry, "ContextKeyType": "stringList"}]) == "allowed"


@pytest.mark.parametrize("kind", ["numericList", "booleanList", "ipList", "dateList", "binaryList"])
def test_every_list_type_is_multivalued(kind: str) -> None:
    value = {"numericList": "5", "booleanList": "true", "ipList": "10.0.0.1", "dateList": "2020-01-01T00:00:00Z",
             "binaryList": "QUJD"}[kind]
    operator = {"numericList": "NumericEquals", "booleanList": "Bool", "ipList": "IpAddress",
                "dateList": "DateEquals", "binaryList": "BinaryEquals"}[kind]
    condition_value = "10.0.0.0/8" if kind == "ipList" else value
    document = {"Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
                              "Condition": {operator: {"k:key": condition_value}}}}
    entry = {"ContextKeyName": "k:key", "ContextKeyValues": [value]}
    assert _decide(PolicyInputList=[document], ActionNames=["s3:GetObject"],
                   ContextEntries=[{**entry, "ContextKeyType": kind[:-4]}]) == "allowed"
    assert _decide(PolicyInputList=[document], ActionNames=["s3:GetObject"],
                   ContextEntries=[{**entry, "ContextKeyType": kind}]) == "implicitDeny"


# For a request on "*" (no ResourceArns), AWS's simulator matches "*" literally.
def test_the_request_resource_star_is_matched_literally() -> None:
    specific_allow = {"Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::a/*"}}
    assert _decide(PolicyInputList=[specific_allow], ActionNames=["s3:GetObject"]) == "implicitDeny"
    specific_deny = {"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
                                   {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::a/*"}]}
    assert _decide(PolicyInputList=[specific_deny], ActionNames=["s3:GetObject"]) == "allowed"
    not_resource = {"Statement": {"Effect": "Allow", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::a/*"}}
    assert _decide(PolicyInputList=[not_resource], ActionNames=["s3:GetObject"]) == "allowed"


def test_gluesim_own_reading_of_star_stays_every_resource() -> None:
    result = run(request(resource="*"), policy(stmt(resource="arn:aws:s3:::a/*")))
    assert result.decision is Decision.UNDECIDED


# sts:GetCallerIdentity needs no permission and cannot be denied (STS API reference).
def test_get_caller_identity_is_always_allowed() -> None:
    deny = {"Statement": {"Effect": "Deny", "Action": "sts:*", "Resource": "*"}}
    assert _decide(PolicyInputList=[deny], ActionNames=["sts:GetCallerIdentity"]) == "allowed"
    assert _decide(PolicyInputList=[], ActionNames=["sts:getcalleridentity"]) == "allowed"
    scp = [[{"Statement": {"Effect": "Deny", "Action": "*", "Resource": "*"}}]]
    assert _decide(PolicyInputList=[], ActionNames=["sts:GetCallerIdentity"],
                   ServiceControlPolicyInputList=scp) == "allowed"


# Session policies: the session's permissions are the intersection of its identity policies and the
# session policies; a resource policy naming the session itself is not limited, one naming the role is.
def test_session_policies_intersect_with_identity_policies() -> None:
    everything = {"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}
    glue_only = {"Statement": {"Effect": "Allow", "Action": "glue:*", "Resource": "*"}}
    common = {"PolicyInputList": [everything], "CallerArn": SESSION}
    assert _decide(ActionNames=["glue:GetJob"], SessionPolicyInputList=[glue_only], **common) == "allowed"
    assert _decide(ActionNames=["s3:GetObject"], SessionPolicyInputList=[glue_only], **common) == "implicitDeny"
    assert _decide(ActionNames=["s3:GetObject"], **common) == "allowed"
    deny = {"Statement": {"Effect": "Deny", "Action": "glue:DeleteJob", "Resource": "*"}}
    assert _decide(ActionNames=["glue:DeleteJob"], SessionPolicyInputList=[everything, deny], **common) == \
        "explicitDeny"


@pytest.mark.parametrize(("named", "expected"), [(SESSION, "allowed"), (ROLE, "implicitDeny")])
def test_resource_grants_to_the_session_escape_the_session_policy(named: str, expected: str) -> None:
    glue_only = {"Statement": {"Effect": "Allow", "Action": "glue:*", "Resource": "*"}}
    bucket = {"Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*",
                            "Principal": {"AWS": named}}}
    assert _decide(PolicyInputList=[], ActionNames=["s3:GetObject"], ResourceArns=["arn:aws:s3:::b/k"],
                   ResourcePolicy=bucket, CallerArn=SESSION, SessionPolicyInputList=[glue_only]) == expected


# A VPC endpoint policy must allow the request too (PrivateLink, "Control access to VPC endpoints").
def test_vpc_endpoint_policies_must_allow() -> None:
    everything = {"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}
    endpoint = {"Statement": {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                              "Resource": "arn:aws:s3:::b/*"}}
    common = {"PolicyInputList": [everything], "CallerArn": USER, "VpcEndpointPolicyInputList": [endpoint]}
    assert _decide(ActionNames=["s3:GetObject"], ResourceArns=["arn:aws:s3:::b/k"], **common) == "allowed"
    assert _decide(ActionNames=["s3:PutObject"], ResourceArns=["arn:aws:s3:::b/k"], **common) == "implicitDeny"
    assert _decide(ActionNames=["s3:GetObject"], ResourceArns=["arn:aws:s3:::c/k"], **common) == "implicitDeny"


def test_resource_control_policies_are_an_input() -> None:
    everything = {"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}
    rcp = {"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"},
                         {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*",
                          "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalAccount": OTHER}}}]}
    assert _decide(PolicyInputList=[everything], ActionNames=["s3:GetObject"], ResourceArns=[BUCKET],
                   CallerArn=USER, ResourceControlPolicyInputList=[[rcp]]) == "explicitDeny"


def test_an_unknown_action_name_gets_a_warning() -> None:
    everything = {"Statement": {"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}}
    (result,) = simulate_custom_policy(PolicyInputList=[everything], ActionNames=["s3:GetObjects"])[
        "EvaluationResults"]
    assert result["Warnings"] == ["ActionNames[0]: unknown action 's3:GetObjects' (not in AWS's Service "
                                  "Authorization Reference); did you mean 's3:GetObject'?"]
    (known,) = simulate_custom_policy(PolicyInputList=[everything], ActionNames=["s3:GetObject"])[
        "EvaluationResults"]
    assert "Warnings" not in known
