"""Templates CloudFormation refuses, parameters as users give them, and errors located in the user's file.

Each bad input gives exit status 2 and one ``Error: <where>: ...`` line pointing into the user's
own file (never ``<import of ...>:0``, the internal re-read of the generated scenario).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support import run_cli as run

IMPORTERS = Path(__file__).resolve().parents[1] / "simulator" / "importers"
CFN = IMPORTERS / "samples" / "cloudformation"
GAAD = IMPORTERS / "samples" / "authorization-details"

ROLE = """Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {Service: glue.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: data
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: s3:GetObject
                Resource:
                  - arn:aws:s3:::x/*
                  - RESOURCE
"""
DATABASE = "Resources:\n  Db:\n    Type: AWS::Glue::Database\n    Properties:\n      DatabaseInput:\n        Name: NAME\n"
BOMB = """Resources:
  Db:
    Type: AWS::Glue::Database
    Properties:
      DatabaseInput:
        Name:
          a: &a !Join ["", [xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx]]
          b: &b !Join ["", [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]]
          c: &c !Sub ["${x}${x}${x}${x}${x}${x}${x}${x}${x}${x}", {x: *b}]
          d: &d !Join ["", [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]]
          e: &e !Join ["", [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]]
          f: &f !Join ["", [*e, *e]]
"""
PARAMETER = """Parameters:
  Env:
    Type: String
    AllowedValues: [dev, prod]
    Default: dev
  Bucket:
    Type: String
    AllowedPattern: "[a-z0-9.-]{3,63}"
    ConstraintDescription: a bucket name
    Default: data
  Workers:
    Type: Number
    MinValue: 2
    Default: 2
"""


def import_text(capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str, *extra: str) -> tuple[int, str, str, Path]:
    source = tmp_path / "t.yaml"
    source.write_text(text)
    code, out, err = run(capsys, "import", source, "--to", tmp_path / "out.yaml", *extra)
    return code, out, err, source


@pytest.mark.parametrize(("text", "where", "message"), [
    (DATABASE.replace("NAME", "{'Fn::Bogus': [a, b]}"), 6,
     "unknown intrinsic function 'Fn::Bogus', which CloudFormation refuses; did you mean 'Fn::Base64'?"),
    (DATABASE.replace("NAME", "!Split [',', [a, b]]"), 6, "the Fn::Split source must be a string, not ['a', 'b']"),
    (DATABASE.replace("NAME", "!Split [',']"), 6, "Fn::Split takes [delimiter, string]"),
    (DATABASE.replace("NAME", "!Select [0, !Cidr ['10.0.0.0/16', 300, 8]]"), 6,
     "Fn::Cidr count '300' must be a whole number from 1 to 256"),
    (BOMB, 12, "Fn::Join builds a value of 1,980,000 characters; CloudFormation templates hold at most 1,048,576 "
               "(are YAML aliases repeating it?)"),
    (ROLE.replace("RESOURCE", "!Sub '${AWS::Region}-bad'"), 17,
     "policy 'data': 'us-east-1-bad' is not an ARN; expected '*' or 'arn:partition:service:region:account:resource'"),
])
def test_a_template_cloudformation_refuses_is_one_located_line(capsys, tmp_path, text: str, where: int, message: str) -> None:
    code, out, err, source = import_text(capsys, tmp_path, text)
    assert (code, out, err) == (2, "", f"Error: {source}:{where}: {message}\n")
    assert not (tmp_path / "out.yaml").exists()


def test_many_values_each_under_the_cap_are_refused_together(capsys, tmp_path) -> None:
    arguments = "".join(f"          --a{i}: *e\n" for i in range(40))
    text = BOMB.split("          f:")[0].replace("Type: AWS::Glue::Database", "Type: AWS::Glue::Job").replace(
        "      DatabaseInput:\n        Name:\n", "      Role: r\n      Command: {Name: glueetl}\n      DefaultArguments:\n"
    ) + arguments
    code, _, err, source = import_text(capsys, tmp_path, text)
    assert code == 2
    assert err.startswith(f"Error: {source}:10: the template's intrinsic functions build more than 33,554,432 characters")


@pytest.mark.parametrize(("given", "where", "message"), [
    (["--parameter", "Env=test"], "--parameter Env",
     "'test' is not an allowed value of parameter 'Env'; CloudFormation refuses it (declared at {t}:2), expected one of "
     "dev, prod"),
    (["--parameter", "Bucket=Data_Bucket"], "--parameter Bucket",
     "'Data_Bucket' does not match the AllowedPattern of parameter 'Bucket'; CloudFormation refuses it (declared at "
     "{t}:6): a bucket name"),
    (["--parameter", "Workers=one"], "--parameter Workers",
     "'one' is not a number, and parameter 'Workers' is a Number; CloudFormation refuses it (declared at {t}:11)"),
    (["--parameter", "Workers=1"], "--parameter Workers",
     "1 is outside MinValue 2 of parameter 'Workers'; CloudFormation refuses it (declared at {t}:11)"),
])
def test_a_parameter_value_outside_its_constraints_is_refused(capsys, tmp_path, given: list[str], where: str,
                                                             message: str) -> None:
    code, out, err, source = import_text(capsys, tmp_path, PARAMETER + DATABASE.replace("NAME", "!Ref Env"), *given)
    assert (code, out, err) == (2, "", f"Error: {where}: {message.format(t=source)}\n")


def test_a_default_outside_its_constraints_is_refused_at_its_line(capsys, tmp_path) -> None:
    text = PARAMETER.replace("Default: dev", "Default: test") + DATABASE.replace("NAME", "!Ref Env")
    code, _, err, source = import_text(capsys, tmp_path, text)
    assert code == 2 and err.startswith(f"Error: {source}:2: 'test' is not an allowed value of parameter 'Env'")


@pytest.mark.parametrize("spell", ["file://{p}", "{p}"])
@pytest.mark.parametrize("shape", [
    [{"ParameterKey": "Env", "ParameterValue": "prod"}],
    {"Parameters": {"Env": "prod"}, "Tags": {"team": "data"}},
    ["Env=prod"],
])
def test_parameter_files_in_every_usual_shape_and_spelling(capsys, tmp_path, spell: str, shape: object) -> None:
    params = tmp_path / "p.json"
    params.write_text(json.dumps(shape))
    code, _, err, _ = import_text(capsys, tmp_path, PARAMETER + DATABASE.replace("NAME", "!Ref Env"),
                                  "--parameters", spell.format(p=params))
    assert code == 0, err
    assert "name: prod" in (tmp_path / "out.yaml").read_text()


def test_a_value_outside_constraints_in_a_file_points_at_its_entry(capsys, tmp_path) -> None:
    params = tmp_path / "p.json"
    params.write_text(json.dumps([{"ParameterKey": "Env", "ParameterValue": "test"}]))
    code, _, err, _ = import_text(capsys, tmp_path, PARAMETER + DATABASE.replace("NAME", "!Ref Env"),
                                  "--parameters", f"file://{params}")
    assert code == 2 and err.startswith(f"Error: {params}: [0].ParameterValue: 'test' is not an allowed value")


def test_the_sample_parameter_file_imports_with_its_placeholders_unknown(capsys, tmp_path) -> None:
    out = tmp_path / "etl.yaml"
    params = CFN / "etl-orchestrator-glue-resources-params.json"
    code, _, err = run(capsys, "import", CFN / "etl-orchestrator-glue-resources.yaml", "--parameters",
                       f"file://{params}", "--to", out)
    assert code == 0, err
    assert f"unknown: {params}: [2].ParameterValue: parameter 'DataBucketName' is the placeholder '<NO-DEFAULT>'" in err
    from gluesim.simulator import scenario

    documents = [p.document for role in scenario.load(out).account.roles for p in role.inline_policies]
    assert any("<unknown: parameter 'DataBucketName' is the placeholder '<NO-DEFAULT>'" in d for d in documents)


def test_a_bad_policy_in_an_authorization_details_export_points_into_it(capsys, tmp_path) -> None:
    data = json.loads((GAAD / "cloudmapper-demo.json").read_text())
    data["UserDetailList"][0]["UserPolicyList"] = [{"PolicyName": "inline0", "PolicyDocument": {
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "bucket"}]}}]
    source = tmp_path / "gaad.json"
    source.write_text(json.dumps(data))
    code, _, err = run(capsys, "import", source, "--to", tmp_path / "x.yaml")
    assert (code, err) == (2, f"Error: {source}: UserDetailList[0].UserPolicyList[0].PolicyDocument.Statement[0].Resource: "
                              "policy 'inline0': 'bucket' is not an ARN; expected '*' or "
                              "'arn:partition:service:region:account:resource'\n")


def test_a_bad_policy_in_a_json_template_is_named_by_its_json_path(capsys, tmp_path) -> None:
    template = {"Resources": {"Role": {"Type": "AWS::IAM::Role", "Properties": {
        "AssumeRolePolicyDocument": {"Statement": [{"Effect": "Allow", "Principal": {"Service": "glue.amazonaws.com"},
                                                    "Action": "sts:AssumeRole"}]},
        "Policies": [{"PolicyName": "data", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "s3 GetObject", "Resource": "*"}]}}]}}}}
    source = tmp_path / "t.template.json"
    source.write_text(json.dumps(template))
    code, _, err = run(capsys, "import", source, "--to", tmp_path / "x.yaml")
    assert code == 2
    assert err.startswith(f"Error: {source}: Resources.Role.Properties.Policies[0].PolicyDocument.Statement[0].Action: "
                          "policy 'data': 's3 GetObject' is not an action")
