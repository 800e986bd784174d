"""policy check as an offline IAM Access Analyzer ValidatePolicy: every issue code on a minimal policy."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gluesim.simulator.iam import PolicyError
from gluesim.simulator.iam.lint import catalogue, check_text
from gluesim.simulator.iam.lint.arns import can_name
from gluesim.simulator.iam.patterns import arn_matcher

BUCKET_OBJECTS = "arn:aws:s3:::b/*"


def allow(**extra: Any) -> dict[str, Any]:
    return {"Effect": "Allow", "Action": "s3:GetObject", "Resource": BUCKET_OBJECTS, **extra}


def codes(*statements: dict[str, Any], kind: str = "managed", version: str = "2012-10-17") -> list[str]:
    document = {"Version": version, "Statement": list(statements)} if version else {"Statement": list(statements)}
    return [f"{f.finding_type} {f.code} {f.path}" for f in check_text(json.dumps(document), "p.json", kind)]


CASES = [
    ("malformed ARN: a field missing", [allow(Resource="arn:aws:s3::bucket/*")],
     ["ERROR MISSING_ARN_FIELD Statement[0].Resource"]),
    ("region in an IAM ARN", [allow(Action="iam:GetRole", Resource="arn:aws:iam:us-east-1:111122223333:role/r")],
     ["WARNING ACTION_RESOURCE_TYPE_MISMATCH Statement[0].Action", "ERROR INVALID_ARN_REGION Statement[0].Resource"]),
    ("account in a Route 53 ARN", [allow(Action="route53:GetHostedZone",
                                         Resource="arn:aws:route53::111122223333:hostedzone/Z1")],
     ["WARNING ACTION_RESOURCE_TYPE_MISMATCH Statement[0].Action", "ERROR INVALID_ARN_ACCOUNT Statement[0].Resource"]),
    ("no region in a Glue ARN", [allow(Action="glue:GetJob", Resource="arn:aws:glue::111122223333:job/j")],
     ["WARNING MISSING_ARN_REGION Statement[0].Resource"]),
    ("no account in a Glue ARN", [allow(Action="glue:GetJob", Resource="arn:aws:glue:us-east-1::job/j")],
     ["WARNING MISSING_ARN_ACCOUNT Statement[0].Resource"]),
    ("resource part of no Glue type", [allow(Action="glue:GetJob",
                                             Resource="arn:aws:glue:us-east-1:111122223333:jbo/j")],
     ["WARNING ACTION_RESOURCE_TYPE_MISMATCH Statement[0].Action", "ERROR INVALID_ARN_RESOURCE Statement[0].Resource"]),
    ("s3:ListBucket on an object ARN", [allow(Action="s3:ListBucket")],
     ["WARNING ACTION_RESOURCE_TYPE_MISMATCH Statement[0].Action"]),
    ("unknown action", [allow(Action="s3:GetObjects")], ["ERROR INVALID_ACTION Statement[0].Action"]),
    ("pattern matching nothing", [allow(Action="s3:Gett*")],
     ["ERROR ACTION_PATTERN_MATCHES_NOTHING Statement[0].Action"]),
    ("unknown service", [allow(Action="nosuchservice:Get")], ["WARNING UNKNOWN_SERVICE Statement[0].Action"]),
    ("global key typo", [allow(Condition={"StringEquals": {"aws:usrname": "a"}})],
     ["ERROR INVALID_GLOBAL_CONDITION_KEY Statement[0].Condition.StringEquals.aws:usrname"]),
    ("service key typo", [allow(Condition={"StringEquals": {"s3:prefx": "a"}})],
     ["ERROR INVALID_SERVICE_CONDITION_KEY Statement[0].Condition.StringEquals.s3:prefx"]),
    ("operator of another type", [allow(Condition={"StringEquals": {"aws:SourceIp": "10.0.0.1"}})],
     ["WARNING MISMATCHED_TYPE Statement[0].Condition.StringEquals.aws:SourceIp"]),
    ("multivalued key without a set operator", [allow(Condition={"StringLike": {"aws:TagKeys": "a*"}})],
     ["WARNING MISSING_QUALIFIER Statement[0].Condition.StringLike.aws:TagKeys"]),
    ("ForAllValues on a single-valued key", [allow(Condition={"ForAllValues:StringEquals": {"aws:username": "a"}})],
     ["SECURITY_WARNING FORALLVALUES_WITH_SINGLE_VALUED_KEY "
      "Statement[0].Condition.ForAllValues:StringEquals.aws:username"]),
    ("iam:PassRole on *", [allow(Action="iam:PassRole", Resource="*")],
     ["SECURITY_WARNING PASS_ROLE_WITH_STAR_IN_RESOURCE Statement[0].Action"]),
    ("iam:PassRole without iam:PassedToService",
     [allow(Action="iam:PassRole", Resource="arn:aws:iam::111122223333:role/r")],
     ["WARNING PASS_ROLE_WITHOUT_PASSED_TO_SERVICE Statement[0].Action"]),
    ("Allow with NotAction", [{"Effect": "Allow", "NotAction": "iam:*", "Resource": BUCKET_OBJECTS}],
     ["SECURITY_WARNING ALLOW_WITH_NOT_ACTION Statement[0].NotAction"]),
    ("Allow with NotResource", [{"Effect": "Allow", "Action": "s3:GetObject", "NotResource": BUCKET_OBJECTS}],
     ["SECURITY_WARNING ALLOW_WITH_NOT_RESOURCE Statement[0].NotResource"]),
    ("redundant statement", [allow(), allow(Action="s3:Get*")], ["WARNING REDUNDANT_STATEMENT Statement[0]"]),
    ("a copy of a statement", [allow(Sid="A"), allow(Sid="B")], ["WARNING REDUNDANT_STATEMENT Statement[1]"]),
    ("shadowed statement", [allow(), {"Effect": "Deny", "Action": "s3:*", "Resource": "*"}],
     ["WARNING SHADOWED_STATEMENT Statement[0]"]),
    ("redundant action", [allow(Action=["s3:GetObject", "s3:Get*"])],
     ["SUGGESTION REDUNDANT_ACTION Statement[0].Action[0]"]),
    ("redundant resource", [allow(Resource=[BUCKET_OBJECTS, "arn:aws:s3:::b/k"])],
     ["SUGGESTION REDUNDANT_RESOURCE Statement[0].Resource[1]"]),
    ("Sid IAM refuses", [allow(Sid="read-only")], ["ERROR INVALID_SID Statement[0].Sid"]),
]


@pytest.mark.parametrize(("statements", "expected"), [(s, e) for _, s, e in CASES], ids=[n for n, _, _ in CASES])
def test_each_check_on_a_minimal_policy(statements: list[dict[str, Any]], expected: list[str]) -> None:
    assert codes(*statements) == expected


def test_resource_policy_checks() -> None:
    star = {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": BUCKET_OBJECTS}
    assert codes(star, kind="resource") == ["SECURITY_WARNING PRINCIPAL_STAR_WITHOUT_CONDITION Statement[0].Principal"]
    guarded = {**star, "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc"}}}
    assert codes(guarded, kind="resource") == []
    not_principal = {"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:user/a"},
                     "Action": "s3:GetObject", "Resource": BUCKET_OBJECTS}
    assert codes(not_principal, kind="resource") == [
        "SECURITY_WARNING ALLOW_WITH_NOT_PRINCIPAL Statement[0].NotPrincipal"]


def test_variables_in_a_2008_policy() -> None:
    assert codes(allow(Resource="arn:aws:s3:::b/${aws:username}/*"), version="2008-10-17") == [
        "WARNING POLICY_VARIABLE_IN_2008_VERSION Version"]


def test_a_clean_policy_has_no_findings() -> None:
    assert codes(allow(), allow(Action="s3:ListBucket", Resource="arn:aws:s3:::b",
                                Condition={"StringLike": {"s3:prefix": "home/*"}})) == []


def test_every_code_has_a_type_a_fix_and_a_link() -> None:
    for code, check in catalogue().items():
        assert check.finding_type in ("ERROR", "SECURITY_WARNING", "WARNING", "SUGGESTION"), code
        assert check.fix and check.link.startswith("https://docs.aws.amazon.com/"), code
    tested = {line.split()[1] for _, _, expected in CASES for line in expected}
    tested |= {"PRINCIPAL_STAR_WITHOUT_CONDITION", "ALLOW_WITH_NOT_PRINCIPAL", "POLICY_VARIABLE_IN_2008_VERSION",
               "POLICY_SIZE_EXCEEDS_QUOTA"}
    assert set(catalogue()) == tested


ACTIONS = ["s3:GetObject", "s3:ListBucket", "s3:Get*", "iam:PassRole", "iam:*", "glue:GetJob", "*", "s3:Gett*",
           "nosuch:Thing"]
RESOURCES = ["*", BUCKET_OBJECTS, "arn:aws:s3:::b", "arn:aws:iam::111122223333:role/r", "arn:aws:glue:*:*:job/*",
             "arn:aws:s3::b/*", "arn:aws:logs:*:*:*", "arn:aws:ec2:us-east-1::image/*"]
CONDITIONS = st.one_of(st.none(), st.dictionaries(
    st.sampled_from(["StringEquals", "StringLike", "ForAllValues:StringEquals", "IpAddress", "Bool", "ArnLike"]),
    st.dictionaries(st.sampled_from(["aws:username", "aws:SourceIp", "aws:TagKeys", "s3:prefix", "aws:usrname",
                                     "iam:PassedToService", "aws:SourceArn"]),
                    st.sampled_from(["x", "10.0.0.1", "true", "arn:aws:iam::1:role/r"]), min_size=1, max_size=2),
    min_size=1, max_size=2))


@st.composite
def statements(draw: Any) -> dict[str, Any]:
    statement: dict[str, Any] = {"Effect": draw(st.sampled_from(["Allow", "Deny"]))}
    statement["NotAction" if draw(st.integers(0, 6)) == 0 else "Action"] = draw(
        st.lists(st.sampled_from(ACTIONS), min_size=1, max_size=3))
    statement["NotResource" if draw(st.integers(0, 6)) == 0 else "Resource"] = draw(
        st.lists(st.sampled_from(RESOURCES), min_size=1, max_size=3))
    condition = draw(CONDITIONS)
    if condition:
        statement["Condition"] = condition
    return statement


@settings(max_examples=150, deadline=None)
@given(st.lists(statements(), min_size=1, max_size=4), st.sampled_from(["managed", "boundary", "scp"]))
def test_any_policy_gets_catalogued_findings_or_one_located_error(items: list[dict[str, Any]], kind: str) -> None:
    text = json.dumps({"Version": "2012-10-17", "Statement": items}, indent=2)
    try:
        findings = check_text(text, "p.json", kind)
    except PolicyError as exc:
        assert str(exc).startswith("p.json")
        return
    for finding in findings:
        assert finding.finding_type == catalogue()[finding.code].finding_type
        assert finding.line >= 1 and finding.column >= 1
    assert check_text(text, "p.json", kind) == findings  # deterministic


@given(st.text(alphabet="ab:/*", max_size=8))
def test_a_pattern_can_name_what_it_matches(tail: str) -> None:
    # Any ARN the evaluator's matcher accepts is one the format check must accept too.
    pattern = "arn:aws:s3:::" + tail
    for concrete in ("arn:aws:s3:::a", "arn:aws:s3:::a/b", "arn:aws:s3:::ab/a:b"):
        if arn_matcher(pattern)(concrete):
            fmt = "arn:${Partition}:s3:::${BucketName}" if "/" not in concrete[13:] else \
                "arn:${Partition}:s3:::${BucketName}/${ObjectName}"
            assert can_name(pattern, fmt)
