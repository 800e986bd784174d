"""simulate_custom_policy: boto3's request and response shapes."""

from __future__ import annotations

import json

import pytest

from gluesim.kb.errors import GluesimError
from gluesim.simulator.iam import simulate_custom_policy

# The example of the AWS CLI reference page for simulate-custom-policy.
AWS_EXAMPLE = ('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"*",'
               '"Condition":{"DateGreaterThan":{"aws:CurrentTime":"2018-08-16T12:00:00Z"}}}}')


def test_matches_the_published_aws_example() -> None:
    response = simulate_custom_policy(
        PolicyInputList=[AWS_EXAMPLE], ActionNames=["dynamodb:CreateBackup"],
        ContextEntries=[{"ContextKeyName": "aws:CurrentTime", "ContextKeyValues": ["2019-04-25T11:00:00Z"],
                         "ContextKeyType": "date"}])
    assert response == {"EvaluationResults": [{
        "EvalActionName": "dynamodb:CreateBackup", "EvalResourceName": "*", "EvalDecision": "allowed",
        "MatchedStatements": [{"SourcePolicyId": "PolicyInputList.1", "StartPosition": {"Line": 1, "Column": 38},
                               "EndPosition": {"Line": 1, "Column": 167}}],
        "MissingContextValues": []}], "IsTruncated": False}


def test_date_before_the_condition_is_an_implicit_deny() -> None:
    response = simulate_custom_policy(
        PolicyInputList=[AWS_EXAMPLE], ActionNames=["dynamodb:CreateBackup"],
        ContextEntries=[{"ContextKeyName": "aws:CurrentTime", "ContextKeyValues": ["2014-04-25T11:00:00Z"],
                         "ContextKeyType": "date"}])
    assert response["EvaluationResults"][0]["EvalDecision"] == "implicitDeny"
    assert response["EvaluationResults"][0]["MatchedStatements"] == []


def test_missing_context_is_reported() -> None:
    response = simulate_custom_policy(PolicyInputList=[AWS_EXAMPLE], ActionNames=["dynamodb:CreateBackup"])
    assert response["EvaluationResults"][0]["MissingContextValues"] == ["aws:CurrentTime"]


def test_one_result_per_action_and_resource_in_order() -> None:
    policy = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::a/*"},
        {"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"}]}
    response = simulate_custom_policy(PolicyInputList=[policy], ActionNames=["s3:GetObject", "s3:DeleteObject"],
                                      ResourceArns=["arn:aws:s3:::a/x", "arn:aws:s3:::b/x"])
    got = [(r["EvalActionName"], r["EvalResourceName"], r["EvalDecision"]) for r in response["EvaluationResults"]]
    assert got == [("s3:GetObject", "arn:aws:s3:::a/x", "allowed"), ("s3:GetObject", "arn:aws:s3:::b/x", "implicitDeny"),
                   ("s3:DeleteObject", "arn:aws:s3:::a/x", "explicitDeny"),
                   ("s3:DeleteObject", "arn:aws:s3:::b/x", "explicitDeny")]


def test_boundary_and_organizations_details() -> None:
    identity = json.dumps({"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}})
    boundary = json.dumps({"Statement": {"Effect": "Allow", "Action": "glue:*", "Resource": "*"}})
    scp = json.dumps({"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}})
    (result,) = simulate_custom_policy(PolicyInputList=[identity], ActionNames=["glue:GetJob"],
                                       PermissionsBoundaryPolicyInputList=[boundary],
                                       ServiceControlPolicyInputList=[[scp]])["EvaluationResults"]
    assert result["EvalDecision"] == "implicitDeny"
    assert result["PermissionsBoundaryDecisionDetail"] == {"AllowedByPermissionsBoundary": True}
    assert result["OrganizationsDecisionDetail"] == {"AllowedByOrganizations": False}


def test_cross_account_resource_policy_details() -> None:
    identity = {"Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}
    bucket = {"Statement": {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
                            "Action": "s3:GetObject", "Resource": "arn:aws:s3:::shared/*"}}
    (result,) = simulate_custom_policy(
        PolicyInputList=[identity], ActionNames=["s3:GetObject"], ResourceArns=["arn:aws:s3:::shared/k"],
        ResourcePolicy=bucket, ResourceOwner="arn:aws:iam::111122223333:root",
        CallerArn="arn:aws:iam::444455556666:user/carol")["EvaluationResults"]
    assert result["EvalDecision"] == "allowed"
    assert result["EvalDecisionDetails"] == {"IAM Policy": "allowed", "Resource Policy": "allowed"}
    assert {m["SourcePolicyId"] for m in result["MatchedStatements"]} == {"PolicyInputList.1", "ResourcePolicy"}
    assert [m.get("SourcePolicyType") for m in result["MatchedStatements"] if m["SourcePolicyId"] == "ResourcePolicy"] \
        == ["resource"]


def test_trust_policy_is_simulated_for_assume_role() -> None:
    trust = {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "sts:AssumeRole",
                                                    "Principal": {"AWS": "arn:aws:iam::111122223333:user/alice"}}}
    (result,) = simulate_custom_policy(PolicyInputList=[], ActionNames=["sts:AssumeRole"],
                                       ResourceArns=["arn:aws:iam::111122223333:role/R"], ResourcePolicy=trust,
                                       CallerArn="arn:aws:iam::111122223333:user/alice")["EvaluationResults"]
    assert result["EvalDecision"] == "allowed"


def test_undecided_is_documented_in_the_result() -> None:
    policy = {"Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
                            "Condition": {"StringNotEquals": {"aws:TagKeys": "a"}}}}
    tags = {"ContextKeyName": "aws:TagKeys", "ContextKeyValues": ["a", "b"], "ContextKeyType": "stringList"}
    (result,) = simulate_custom_policy(PolicyInputList=[policy], ActionNames=["s3:GetObject"],
                                       ContextEntries=[tags])["EvaluationResults"]
    assert result["EvalDecision"] == "undecided"
    assert result["UndecidedFeatures"] == ["StringNotEquals on multivalued key aws:TagKeys (needs "
                                           "ForAnyValue:/ForAllValues:)"]


def test_pagination() -> None:
    policy = {"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}
    first = simulate_custom_policy(PolicyInputList=[policy], ActionNames=["s3:A", "s3:B", "s3:C"], MaxItems=2)
    assert [r["EvalActionName"] for r in first["EvaluationResults"]] == ["s3:A", "s3:B"]
    assert first["IsTruncated"] is True
    rest = simulate_custom_policy(PolicyInputList=[policy], ActionNames=["s3:A", "s3:B", "s3:C"],
                                  Marker=first["Marker"])
    assert [r["EvalActionName"] for r in rest["EvaluationResults"]] == ["s3:C"]


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"ActionNames": ["glue CreateJob"]}, "ActionNames[0]: 'glue CreateJob' is not an action; expected "
                                          "'service:Action', e.g. 'glue:CreateJob'"),
    ({"ContextEntries": [{"ContextKeyName": "aws:SourceIp", "ContextKeyValues": ["x"], "ContextKeyType": "ip"}]},
     "ContextEntries[0].ContextKeyValues[0]: 'x' is not a valid ip value"),
    ({"ContextEntries": [{"ContextKeyName": "k", "ContextKeyValues": ["1", "2"], "ContextKeyType": "numeric"}]},
     "ContextEntries[0].ContextKeyValues: 2 values for single-valued type 'numeric'; use 'numericList'"),
    ({"ContextEntries": [{"ContextKeyName": "k", "ContextKeyValues": ["1"], "ContextKeyType": "int"}]},
     "ContextEntries[0].ContextKeyType: 'int' is not a context key type; expected one of string, stringList, "
     "numeric, numericList, boolean, booleanList, ip, ipList, binary, binaryList, date, dateList"),
    ({"CallerArn": "alice"}, "CallerArn: 'alice' is not an IAM principal ARN; expected e.g. "
                             "'arn:aws:iam::123456789012:user/alice'"),
    ({"ResourceArns": ["bucket"]}, "ResourceArns[0]: 'bucket' is not an ARN; expected 'arn:...' or '*'"),
])
def test_bad_requests(kwargs: dict[str, object], message: str) -> None:
    arguments: dict[str, object] = {"PolicyInputList": [AWS_EXAMPLE], "ActionNames": ["s3:GetObject"], **kwargs}
    with pytest.raises(GluesimError) as caught:
        simulate_custom_policy(**arguments)  # type: ignore[arg-type]
    assert str(caught.value) == message


def test_bad_policy_names_its_input() -> None:
    with pytest.raises(GluesimError) as caught:
        simulate_custom_policy(PolicyInputList=[AWS_EXAMPLE, '{"Statement": {"Effect": "Alow"}}'],
                               ActionNames=["s3:GetObject"])
    assert str(caught.value) == "PolicyInputList.2: Statement.Effect: Effect 'Alow' is not valid; expected 'Allow' or 'Deny'"


def test_resource_policy_needs_a_caller() -> None:
    bucket = {"Statement": {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}}
    with pytest.raises(GluesimError) as caught:
        simulate_custom_policy(PolicyInputList=[], ActionNames=["s3:GetObject"], ResourcePolicy=bucket)
    assert str(caught.value) == ("CallerArn: required when a resource policy is simulated; expected the ARN of the "
                                 "caller, e.g. 'arn:aws:iam::123456789012:user/alice'")
