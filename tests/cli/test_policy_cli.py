"""gluesim policy simulate / check: output, exact error lines and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from support import run_cli as run

ROLE = """{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ReadSource",
      "Effect": "Allow",
      "Action": ["s3:GetObject", "s3:ListBucket"],
      "Resource": ["arn:aws:s3:::src", "arn:aws:s3:::src/*"],
      "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}
    },
    {
      "Sid": "NoDelete",
      "Effect": "Deny",
      "Action": "s3:DeleteObject",
      "Resource": "*"
    }
  ]
}
"""
IP = "ContextKeyName=aws:SourceIp,ContextKeyValues=10.1.2.3,ContextKeyType=ip"


@pytest.fixture()
def role(tmp_path: Path) -> Path:
    path = tmp_path / "role.json"
    path.write_text(ROLE)
    return path


def test_simulate_text_points_at_the_deciding_statement(role: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "policy", "simulate", "--policy-input-list", f"file://{role}",
                         "--action-names", "s3:GetObject s3:DeleteObject", "--action-names", "glue:CreateJob",
                         "--resource-arns", "arn:aws:s3:::src/a.csv", "--context-entries", IP)
    assert code == 1 and err == ""
    assert out == (
        "allowed       s3:GetObject  arn:aws:s3:::src/a.csv\n"
        "  allowed by Statement[0] 'ReadSource' of identity policy 'PolicyInputList.1'\n"
        f"  Statement[0] 'ReadSource' at {role}:4:5 (PolicyInputList.1)\n"
        "explicitDeny  s3:DeleteObject  arn:aws:s3:::src/a.csv\n"
        "  denied by Statement[1] 'NoDelete' of identity policy 'PolicyInputList.1'\n"
        f"  Statement[1] 'NoDelete' at {role}:11:5 (PolicyInputList.1)\n"
        "implicitDeny  glue:CreateJob  arn:aws:s3:::src/a.csv\n"
        "  no identity-based policy statement allows it (implicit deny)\n"
        "1 of 3 allowed\n")


def test_simulate_json_is_the_aws_response(role: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "policy", "simulate", "--policy-input-list", f"file://{role}",
                       "--action-names", "s3:GetObject", "--resource-arns", "arn:aws:s3:::src/a.csv",
                       "--context-entries", IP, "--output", "json")
    assert code == 0
    assert json.loads(out) == {"EvaluationResults": [{
        "EvalActionName": "s3:GetObject", "EvalResourceName": "arn:aws:s3:::src/a.csv", "EvalDecision": "allowed",
        "MatchedStatements": [{"SourcePolicyId": "PolicyInputList.1", "StartPosition": {"Line": 4, "Column": 6},
                               "EndPosition": {"Line": 10, "Column": 6}}],
        "MissingContextValues": []}], "IsTruncated": False}


def test_simulate_reports_missing_context(role: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "policy", "simulate", "--policy-input-list", f"file://{role}",
                       "--action-names", "s3:GetObject", "--resource-arns", "arn:aws:s3:::src/a.csv")
    assert code == 1
    assert "  missing context values: aws:SourceIp\n" in out


def test_simulate_explain_lists_every_statement(role: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "policy", "simulate", "--policy-input-list", f"file://{role}",
                       "--action-names", "s3:GetObject", "--resource-arns", "arn:aws:s3:::src/a.csv",
                       "--context-entries", "ContextKeyName=aws:SourceIp,ContextKeyValues=8.8.8.8,ContextKeyType=ip",
                       "--explain")
    assert code == 1
    assert (f"    Statement[0] 'ReadSource' at {role}:4:5: does not apply: Condition not met: IpAddress: aws:SourceIp "
            "['10.0.0.0/8']: request has ['8.8.8.8']\n") in out


def test_simulate_with_scp_levels_and_boundary(tmp_path: Path, role: Path, capsys: pytest.CaptureFixture[str]) -> None:
    full = tmp_path / "full.json"
    full.write_text('{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}')
    glue = tmp_path / "glue.json"
    glue.write_text('{"Statement": {"Effect": "Allow", "Action": "glue:*", "Resource": "*"}}')
    code, out, _ = run(capsys, "policy", "simulate", "--policy-input-list", f"file://{role}", "--action-names",
                       "s3:GetObject", "--resource-arns", "arn:aws:s3:::src/a.csv", "--context-entries", IP,
                       "--scp", f"file://{full}", "--scp", f"file://{full},file://{glue}", "--output", "json")
    assert code == 0
    assert json.loads(out)["EvaluationResults"][0]["OrganizationsDecisionDetail"] == {"AllowedByOrganizations": True}
    code, out, _ = run(capsys, "policy", "simulate", "--policy-input-list", f"file://{role}", "--action-names",
                       "s3:GetObject", "--resource-arns", "arn:aws:s3:::src/a.csv", "--context-entries", IP,
                       "--permissions-boundary-policy-input-list", f"file://{glue}")
    assert code == 1
    assert "the permissions boundary does not allow it" in out


def test_context_entries_shorthand_with_quotes_and_lists(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    policy = tmp_path / "p.json"
    policy.write_text('{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*", '
                      '"Condition": {"ForAllValues:StringEquals": {"aws:TagKeys": ["env", "team"]}}}}')
    args = ["policy", "simulate", "--policy-input-list", f"file://{policy}", "--action-names", "s3:PutObject"]
    ok = "ContextKeyName='aws:TagKeys',ContextKeyValues=[env,team],ContextKeyType=stringList"
    assert run(capsys, *args, "--context-entries", ok)[0] == 0
    bad = "ContextKeyName=aws:TagKeys,ContextKeyValues=env,owner,ContextKeyType=stringList"
    assert run(capsys, *args, "--context-entries", bad)[0] == 1
    as_json = '[{"ContextKeyName": "aws:TagKeys", "ContextKeyValues": ["env"], "ContextKeyType": "stringList"}]'
    assert run(capsys, *args, "--context-entries", as_json)[0] == 0


def test_inline_json_policy(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "policy", "simulate", "--policy-input-list",
                       '{"Statement": {"Effect": "Allow", "Action": "glue:*", "Resource": "*"}}',
                       "--action-names", "glue:CreateJob")
    assert code == 0
    assert "Statement[0] at --policy-input-list:1:15 (PolicyInputList.1)" in out


@pytest.mark.parametrize(("args", "error"), [
    (["--policy-input-list", "file://{dir}/missing.json", "--action-names", "s3:GetObject"],
     "Error: {dir}/missing.json: no such file; expected a JSON policy file\n"),
    (["--policy-input-list", "role.json", "--action-names", "s3:GetObject"],
     "Error: --policy-input-list: 'role.json' is neither file://PATH nor a JSON policy document; expected e.g. "
     "file://policy.json\n"),
    (["--policy-input-list", "file://{dir}/bad.json", "--action-names", "s3:GetObject"],
     "Error: {dir}/bad.json:1:26: Statement.Effect: Effect 'Alow' is not valid; expected 'Allow' or 'Deny'\n"),
    (["--policy-input-list", "file://{dir}/role.json", "--action-names", "s3 GetObject"],
     "Error: ActionNames[0]: 's3' is not an action; expected 'service:Action', e.g. 'glue:CreateJob'\n"),
    (["--policy-input-list", "file://{dir}/role.json", "--action-names", "s3:GetObject", "--context-entries",
      "ContextKeyValues=1"],
     "Error: --context-entries[0]: missing ContextKeyName; expected "
     "ContextKeyName=aws:SourceIp,ContextKeyValues=1.2.3.4,ContextKeyType=ip\n"),
    (["--policy-input-list", "file://{dir}/role.json", "--action-names", "s3:GetObject", "--caller-arn", "bob"],
     "Error: CallerArn: 'bob' is not an IAM principal ARN; expected e.g. 'arn:aws:iam::123456789012:user/alice'\n"),
])
def test_simulate_bad_input(tmp_path: Path, role: Path, capsys: pytest.CaptureFixture[str], args: list[str],
                            error: str) -> None:
    (tmp_path / "bad.json").write_text('{"Statement": {"Effect": "Alow", "Action": "*", "Resource": "*"}}')
    code, out, err = run(capsys, "policy", "simulate", *[a.replace("{dir}", str(tmp_path)) for a in args])
    assert (code, out, err) == (2, "", error.replace("{dir}", str(tmp_path)))


def test_check_clean_and_findings(tmp_path: Path, role: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "policy", "check", str(role)) == (0, f"{role}: OK\n", "")
    typo = tmp_path / "typo.json"
    typo.write_text('{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "glue:CreateJobs", '
                    '"Resource": "*"}}')
    code, out, err = run(capsys, "policy", "check", str(role), str(typo))
    assert code == 1 and err == ""
    assert out == (f"{role}: OK\n{typo}:1:70: ERROR INVALID_ACTION: Statement.Action: unknown action "
                   "'glue:CreateJobs' (not in AWS's Service Authorization Reference); did you mean 'glue:CreateJob'?; "
                   "fix: spell the action as the Service Authorization Reference does\n")
    code, out, _ = run(capsys, "policy", "check", str(typo), "--format", "json")
    assert json.loads(out) == [{"file": str(typo), "findings": [{
        "file": str(typo), "line": 1, "column": 70, "path": "Statement.Action", "type": "ERROR",
        "code": "INVALID_ACTION", "fix": "spell the action as the Service Authorization Reference does",
        "learn_more": "https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html"
                      "#access-analyzer-reference-policy-checks-error-invalid-action",
        "message": "unknown action 'glue:CreateJobs' (not in AWS's Service Authorization Reference); did you mean "
                   "'glue:CreateJob'?"}]}]


def test_check_bad_files_exit_2_with_one_line_each(tmp_path: Path, role: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.json"
    empty.write_text("")
    binary = tmp_path / "binary.json"
    binary.write_bytes(b"\xff\xfe{}")
    code, out, err = run(capsys, "policy", "check", str(empty), str(role), str(binary))
    assert code == 2
    assert out == f"{role}: OK\n"
    assert err == (f"Error: {empty}: the file is empty; expected a JSON policy document\n"
                   f"Error: {binary}:1:1: byte 0xff is not UTF-8; save the policy as UTF-8\n")


def test_check_unknown_kind(role: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "policy", "check", str(role), "--kind", "rol")
    assert code == 2
    assert err == ("Error: --kind: unknown kind 'rol'; did you mean 'role'?; expected one of managed, user, role, "
                   "group, boundary, trust, scp, rcp, session, resource, vpc-endpoint, aws-managed\n")


def test_check_trust_policy_kind(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    trust = tmp_path / "trust.json"
    trust.write_text('{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "sts:AssumeRole", '
                     '"Principal": {"Service": "glue.amazonaws.com"}}}')
    assert run(capsys, "policy", "check", str(trust), "--kind", "trust")[0] == 0
    code, _, err = run(capsys, "policy", "check", str(trust))
    assert code == 2
    assert err.startswith(f"Error: {trust}:1:40: Statement.Resource: missing Resource")


def test_help_names_the_aws_options(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "policy", "simulate", "--help")
    assert code == 0
    for option in ("--policy-input-list", "--action-names", "--resource-arns", "--resource-policy", "--caller-arn",
                   "--context-entries", "--permissions-boundary-policy-input-list", "--scp", "--output"):
        assert option in out


def test_markdown_outputs(role: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "policy", "simulate", "--policy-input-list", f"file://{role}", "--action-names",
                       "s3:DeleteObject", "--resource-arns", "arn:aws:s3:::src/a.csv", "--output", "markdown")
    assert code == 1
    assert out == ("| Decision | Action | Resource | Why | Statement |\n| --- | --- | --- | --- | --- |\n"
                   "| explicitDeny | `s3:DeleteObject` | `arn:aws:s3:::src/a.csv` | denied by Statement[1] 'NoDelete' of "
                   f"identity policy 'PolicyInputList.1' | `{role}:11:5` |\n")
    code, out, _ = run(capsys, "policy", "check", str(role), "--format", "markdown")
    assert (code, out) == (0, f"- `{role}`: OK\n")


def test_list_options_take_several_values_after_one_flag(role: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "policy", "simulate", "--policy-input-list", f"file://{role}",
                         "--action-names", "s3:GetObject", "s3:DeleteObject", "glue:CreateJob",
                         "--resource-arns", "arn:aws:s3:::src/a.csv", "arn:aws:s3:::other/b.csv",
                         "--context-entries", IP, "--output", "json")
    assert code == 1 and err == ""
    got = [(r["EvalActionName"], r["EvalResourceName"], r["EvalDecision"])
           for r in json.loads(out)["EvaluationResults"]]
    assert got == [("s3:GetObject", "arn:aws:s3:::src/a.csv", "allowed"),
                   ("s3:GetObject", "arn:aws:s3:::other/b.csv", "implicitDeny"),
                   ("s3:DeleteObject", "arn:aws:s3:::src/a.csv", "explicitDeny"),
                   ("s3:DeleteObject", "arn:aws:s3:::other/b.csv", "explicitDeny"),
                   ("glue:CreateJob", "arn:aws:s3:::src/a.csv", "implicitDeny"),
                   ("glue:CreateJob", "arn:aws:s3:::other/b.csv", "implicitDeny")]


def test_cli_input_json_with_options_taking_precedence(tmp_path: Path, role: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    request = tmp_path / "req.json"
    request.write_text(json.dumps({"PolicyInputList": [ROLE], "ActionNames": ["s3:GetObject"],
                                   "ResourceArns": ["arn:aws:s3:::src/a.csv"],
                                   "ContextEntries": [{"ContextKeyName": "aws:SourceIp",
                                                       "ContextKeyValues": ["10.1.2.3"], "ContextKeyType": "ip"}]}))
    code, out, _ = run(capsys, "policy", "simulate", "--cli-input-json", f"file://{request}", "--output", "json")
    assert code == 0
    (result,) = json.loads(out)["EvaluationResults"]
    assert result["EvalDecision"] == "allowed"
    assert result["MatchedStatements"][0]["StartPosition"] == {"Line": 4, "Column": 6}
    code, out, _ = run(capsys, "policy", "simulate", "--cli-input-json", f"file://{request}",
                       "--action-names", "s3:DeleteObject")
    assert code == 1
    assert out.startswith("explicitDeny  s3:DeleteObject  arn:aws:s3:::src/a.csv\n")
    assert f"Statement[1] 'NoDelete' at {request}: PolicyInputList[0]:11:5" in out


@pytest.mark.parametrize(("document", "error"), [
    ('{"PolicyInputList": [], "ActionNamez": ["s3:GetObject"]}',
     "Error: {path}: ActionNamez: unknown parameter 'ActionNamez'; did you mean 'ActionNames'?; expected a "
     "SimulateCustomPolicy parameter name\n"),
    ('{"PolicyInputList": []}',
     "Error: ActionNames: required; give --action-names or ActionNames in --cli-input-json\n"),
    ('{"PolicyInputList": [7], "ActionNames": ["s3:GetObject"]}',
     "Error: {path}: PolicyInputList[0]: expected a policy document as JSON text\n"),
    ('{"PolicyInputList": [\n', "Error: {path}:2:1: invalid JSON: Expecting value\n"),
])
def test_cli_input_json_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str], document: str, error: str) -> None:
    path = tmp_path / "req.json"
    path.write_text(document)
    assert run(capsys, "policy", "simulate", "--cli-input-json", f"file://{path}") == \
        (2, "", error.replace("{path}", str(path)))


def test_unknown_action_names_get_a_warning(role: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "policy", "simulate", "--policy-input-list", f"file://{role}",
                         "--action-names", "s3:GetObjects", "--resource-arns", "arn:aws:s3:::src/a.csv")
    assert code == 1
    assert err == ("Warning: ActionNames[0]: unknown action 's3:GetObjects' (not in AWS's Service Authorization "
                   "Reference); did you mean 's3:GetObject'?\n")
    assert out.startswith("implicitDeny  s3:GetObjects")


def test_session_and_vpc_endpoint_policies(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    everything = tmp_path / "all.json"
    everything.write_text('{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}')
    glue = tmp_path / "glue.json"
    glue.write_text('{"Statement": {"Effect": "Allow", "Action": "glue:*", "Resource": "*"}}')
    endpoint = tmp_path / "endpoint.json"
    endpoint.write_text('{"Statement": {"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*"}}')
    base = ["policy", "simulate", "--policy-input-list", f"file://{everything}", "--caller-arn",
            "arn:aws:sts::111122223333:assumed-role/R/s"]
    code, out, _ = run(capsys, *base, "--action-names", "s3:GetObject", "glue:GetJob",
                       "--session-policy-input-list", f"file://{glue}")
    assert code == 1
    assert out.splitlines()[0].startswith("implicitDeny") and "the session policy does not allow it" in out
    code, out, _ = run(capsys, *base, "--action-names", "s3:GetObject", "glue:GetJob",
                       "--vpc-endpoint-policy-input-list", f"file://{endpoint}")
    assert code == 1
    assert "the VPC endpoint policy does not allow it" in out and out.startswith("allowed       s3:GetObject")


def test_check_exit_status_follows_the_finding_types(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    warning_only = tmp_path / "w.json"
    warning_only.write_text('{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:ListBucket", '
                            '"Resource": "arn:aws:s3:::b/*"}}')
    code, out, _ = run(capsys, "policy", "check", str(warning_only))
    assert code == 0 and "WARNING ACTION_RESOURCE_TYPE_MISMATCH" in out
    assert run(capsys, "policy", "check", str(warning_only), "--fail-on", "warning,error")[0] == 1
    risky = tmp_path / "r.json"
    risky.write_text('{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "iam:PassRole", '
                     '"Resource": "*"}}')
    assert run(capsys, "policy", "check", str(risky))[0] == 1
    assert run(capsys, "policy", "check", str(risky), "--fail-on", "none")[0] == 0
    assert run(capsys, "policy", "check", str(risky), "--fail-on", "fatal") == (
        2, "", "Error: --fail-on: unknown finding type 'FATAL'; expected a comma-separated list of ERROR, "
               "SECURITY_WARNING, WARNING, SUGGESTION (or none)\n")


def test_check_sarif(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    risky = tmp_path / "r.json"
    risky.write_text('{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "iam:PassRole", '
                     '"Resource": "*"}}')
    code, out, _ = run(capsys, "policy", "check", str(risky), "--format", "sarif")
    assert code == 1
    log = json.loads(out)
    assert log["version"] == "2.1.0"
    (run_,) = log["runs"]
    assert [r["id"] for r in run_["tool"]["driver"]["rules"]] == ["PASS_ROLE_WITH_STAR_IN_RESOURCE"]
    (result,) = run_["results"]
    assert result["ruleId"] == "PASS_ROLE_WITH_STAR_IN_RESOURCE" and result["level"] == "error"
    assert result["locations"][0]["physicalLocation"] == {"artifactLocation": {"uri": risky.as_uri()},
                                                          "region": {"startLine": 1, "startColumn": 70}}
