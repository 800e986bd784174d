"""CloudFormation import: short-form YAML, intrinsic functions, unknowns, and the five real templates.

Templates (copied byte-for-byte into ``samples/cloudformation/``; see its SOURCES.md):
aws-samples/aws-etl-orchestrator ``cloudformation/glue-resources.yaml`` @ 6477b181,
aws-samples/aws-glue-with-s2s-vpn ``Templates/glue.yaml`` and ``Templates/simple_vpc.yaml`` @ dbcc2e4f,
aws-samples/aws-glue-msk-with-schema-registry ``amazon-msk-and-glue.template`` and
``vpc-subnet-and-mskclient.template`` @ a1c80672 (all MIT-0).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gluesim.kb.errors import LocatedError
from gluesim.simulator.importers.cfn import importer, loader
from gluesim.simulator.importers.cfn.intrinsics import Unknown
from gluesim.simulator.importers.common import Notices

SAMPLES = Path(__file__).parent / "samples" / "cloudformation"


def read(text: str, notices: Notices, parameters: dict[str, str] | None = None, region: str = "us-east-1") -> dict:
    return importer.read_template(loader.loads(text, "t.yaml"), "t.yaml", parameters or {}, region, "111122223333", notices)


def resolve(expression: str, notices: Notices | None = None, extra: str = "") -> object:
    """The value of one expression, as the Name of a Glue database."""
    text = f"{extra}\nResources:\n  Db:\n    Type: AWS::Glue::Database\n    Properties:\n      DatabaseInput:\n        Name: {expression}\n"
    out = read(text, notices or Notices())
    return out["databases"][0] if out.get("databases") else None


def test_short_forms_become_long_forms() -> None:
    data = loader.loads("A: !Ref X\nB: !GetAtt R.Arn.Sub\nC: !Sub 'a-${X}'\nD: !Condition C\nE: !Join [',', [a, b]]\n", "t.yaml")
    assert data == {
        "A": {"Ref": "X"},
        "B": {"Fn::GetAtt": ["R", "Arn.Sub"]},
        "C": {"Fn::Sub": "a-${X}"},
        "D": {"Condition": "C"},
        "E": {"Fn::Join": [",", ["a", "b"]]},
    }


def test_dates_stay_strings_and_keys_stay_names() -> None:
    assert loader.loads("Version: 2012-10-17\nOn: yes\n", "t.yaml") == {"Version": "2012-10-17", "On": True}


def test_an_unknown_tag_is_a_located_error() -> None:
    with pytest.raises(LocatedError) as exc:
        loader.loads("A:\n  B: !Reff X\n", "t.yaml")
    assert str(exc.value) == "t.yaml:2: unknown tag '!Reff'; expected a CloudFormation short form such as !Ref or !Sub"


def test_an_alias_bomb_is_refused() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 8):
        lines.append(f"{chr(97 + i)}: &{chr(97 + i)} [*{chr(96 + i)}, *{chr(96 + i)}, *{chr(96 + i)}, *{chr(96 + i)}, *{chr(96 + i)}, *{chr(96 + i)}, *{chr(96 + i)}, *{chr(96 + i)}, *{chr(96 + i)}, *{chr(96 + i)}]")
    with pytest.raises(LocatedError, match="aliases expand to more than 500,000 values"):
        loader.loads("\n".join(lines), "bomb.yaml")


def test_duplicate_keys_are_refused() -> None:
    with pytest.raises(LocatedError) as exc:
        loader.loads("Resources:\n  A: 1\n  A: 2\n", "t.yaml")
    assert str(exc.value) == "t.yaml:3: duplicate key 'A' (first at line 2); keep one"


def test_non_utf8_is_refused(tmp_path) -> None:
    path = tmp_path / "t.yaml"
    path.write_bytes(b"Resources:\n  A: \xff\n")
    with pytest.raises(LocatedError) as exc:
        loader.load(path)
    assert str(exc.value) == f"{path}:2:6: byte 0xff is not valid UTF-8; save the file as UTF-8"


def test_sub_keeps_literal_variables() -> None:
    assert resolve("!Sub 'db-${AWS::Region}-${!aws:username}'") == "db-us-east-1-${aws:username}"


def test_sub_with_a_variable_map() -> None:
    assert resolve("!Sub ['${A}-${AWS::AccountId}', {A: x}]") == "x-111122223333"


def test_pseudo_parameters_follow_the_partition() -> None:
    text = "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: r\n      AssumeRolePolicyDocument: {}\n"
    out = read(text, Notices(), region="cn-north-1")
    assert out["roles"][0].arn == "arn:aws-cn:iam::111122223333:role/r"


def test_parameters_user_value_then_default() -> None:
    extra = "Parameters:\n  Env: {Type: String, Default: dev}\n"
    assert resolve("!Sub 'db-${Env}'", extra=extra) == "db-dev"
    text = extra + "Resources:\n  Db:\n    Type: AWS::Glue::Database\n    Properties:\n      DatabaseInput: {Name: !Ref Env}\n"
    assert read(text, Notices(), {"Env": "prod"})["databases"] == ["prod"]


def test_conditions_pick_a_branch_and_compare_as_strings() -> None:
    extra = "Parameters:\n  On: {Type: String, Default: 'true'}\nConditions:\n  IsOn: !Equals [true, !Ref On]\n  Both: !And [!Condition IsOn, !Not [!Equals [a, b]]]\n"
    assert resolve("!If [Both, yes-db, no-db]", extra=extra) == "yes-db"


def test_a_parameter_without_value_is_unknown_and_named() -> None:
    notices = Notices()
    extra = "Parameters:\n  Bucket: {Type: String}\n"
    assert resolve("!Sub '${Bucket}-db'", notices, extra=extra) == "t-Db-GLUESIM"
    assert [n.line() for n in notices] == [
        "unknown: t.yaml:2: parameter 'Bucket' has no default and no --parameter value; values built from it are unknown",
        "unknown: t.yaml:5: the name of AWS::Glue::Database 'Db' is unknown (parameter 'Bucket' has no value "
        "(pass --parameter Bucket=VALUE)); shown as 't-Db-GLUESIM'",
    ]


def test_find_in_map_and_get_azs() -> None:
    extra = "Mappings:\n  M:\n    us-east-1: {Name: mapped}\n"
    assert resolve("!FindInMap [M, !Ref 'AWS::Region', Name]", extra=extra) == "mapped"
    assert resolve("!Select [1, !GetAZs '']") == "us-east-1b"


def test_a_circular_ref_is_a_located_error() -> None:
    text = (
        "Resources:\n  A:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: !Ref B\n"
        "  B:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: !GetAtt A.GroupId\n"
    )
    with pytest.raises(LocatedError) as exc:
        read(text, Notices())
    assert str(exc.value) == "t.yaml:2: circular reference: A -> B -> A; CloudFormation refuses circular dependencies, break the cycle"


def test_a_ref_to_nothing_offers_the_closest_name() -> None:
    text = "Resources:\n  GlueRole:\n    Type: AWS::IAM::Role\n    Properties: {AssumeRolePolicyDocument: {}}\n  Db:\n    Type: AWS::Glue::Database\n    Properties:\n      DatabaseInput: {Name: !Ref GlueRol}\n"
    with pytest.raises(LocatedError) as exc:
        read(text, Notices())
    assert str(exc.value) == "t.yaml:8: Ref to 'GlueRol', which is neither a parameter nor a resource; did you mean 'GlueRole'?"


def test_unknown_resource_types_and_custom_resources_are_named() -> None:
    notices = Notices()
    text = "Resources:\n  X:\n    Type: AWS::Foo::Bar\n  C:\n    Type: Custom::Thing\n  Db:\n    Type: AWS::Glue::Database\n    Properties:\n      DatabaseInput: {Name: !GetAtt C.Value}\n"
    read(text, notices)
    assert [n.line() for n in notices] == [
        "unknown: t.yaml:2: resource type 'AWS::Foo::Bar' ('X') is not modelled; anything it grants or blocks is unknown",
        "unknown: t.yaml:4: Custom::Thing 'C' cannot be evaluated offline; its outputs are unknown",
        "unknown: t.yaml:6: the name of AWS::Glue::Database 'Db' is unknown (attribute 'Value' of Custom::Thing 'C' "
        "(known only after deployment)); shown as 't-Db-GLUESIM'",
    ]


def test_import_value_is_unknown() -> None:
    notices = Notices()
    assert resolve("!ImportValue shared-db", notices) == "t-Db-GLUESIM"
    assert "Fn::ImportValue 'shared-db'" in notices.items[0].message


intrinsic = st.deferred(
    lambda: st.one_of(
        st.text(alphabet="abc", min_size=1, max_size=3).map(lambda s: (s, s)),
        st.tuples(st.sampled_from(["-", "+"]), st.lists(intrinsic, min_size=1, max_size=3)).map(
            lambda t: ({"Fn::Join": [t[0], [e for e, _ in t[1]]]}, t[0].join(v for _, v in t[1]))
        ),
        st.tuples(st.lists(intrinsic, min_size=1, max_size=3), st.integers(0, 2)).filter(lambda t: t[1] < len(t[0])).map(
            lambda t: ({"Fn::Select": [t[1], {"Fn::Split": ["|", {"Fn::Join": ["|", [e for e, _ in t[0]]]}]}]}, "|".join(v for _, v in t[0]).split("|")[t[1]])
        ),
    )
)


@given(intrinsic)
def test_nested_join_select_split_equal_a_direct_computation(case: tuple) -> None:
    expression, expected = case
    template = {"Resources": {"Db": {"Type": "AWS::Glue::Database", "Properties": {"DatabaseInput": {"Name": expression}}}}}
    out = importer.read_template(template, "t.json", {}, "us-east-1", "111122223333", Notices())
    assert out["databases"] == [expected]


def test_the_etl_orchestrator_template_gives_three_jobs_on_one_role() -> None:
    notices = Notices()
    params = importer.load_parameter_file(SAMPLES / "etl-orchestrator-glue-resources-params.json")
    data = loader.load(SAMPLES / "etl-orchestrator-glue-resources.yaml")
    out = importer.read_template(data, "etl.yaml", {**params, "ArtifactBucketName": "artifacts", "DataBucketName": "data", "ETLScriptsPrefix": "scripts", "ETLOutputPrefix": "out"}, "us-east-1", "111122223333", notices)
    assert [j.name for j in out["jobs"]] == ["ProcessSalesData", "ProcessMarketingData", "JoinMarketingAndSalesData"]
    role = out["roles"][0]
    assert {j.role for j in out["jobs"]} == {role.name}
    assert role.managed_policy_arns == ("arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole",)
    assert out["jobs"][0].script_location.startswith("s3://artifacts/scripts/")


def test_a_plaintext_connection_password_is_dropped() -> None:
    notices = Notices()
    out = importer.read_template(loader.load(SAMPLES / "s2s-vpn-glue.yaml"), "glue.yaml", {}, "us-east-1", "111122223333", notices)
    assert "PASSWORD dropped" in " ".join(n.message for n in notices)
    assert "password" not in repr(out["connections"]).lower()


def test_a_custom_resource_attribute_is_unknown_not_guessed() -> None:
    notices = Notices()
    out = importer.read_template(loader.load(SAMPLES / "msk-glue-amazon-msk-and-glue.template.yaml"), "msk.yaml", {"EnvironmentName": "demo"}, "us-east-1", "111122223333", notices)
    assert out["connections"][0].url is None
    assert any("BootstrapBrokerStringSaslScram" in n.message for n in notices)
    assert out["jobs"][0].connections == ("GlueMskConnection",) and out["jobs"][0].streaming


def test_conditions_drop_resources_in_the_vpc_template() -> None:
    out = importer.read_template(loader.load(SAMPLES / "s2s-vpn-simple_vpc.yaml"), "vpc.yaml", {"EnvironmentName": "x", "CreateNat": "false"}, "us-east-1", "111122223333", Notices())
    assert out.get("nat_gateways", []) == []


def test_every_sample_template_imports() -> None:
    for path in sorted(SAMPLES.glob("*.yaml")):
        importer.read_template(loader.load(path), path.name, {}, "us-east-1", "111122223333", Notices())


def test_unknown_is_not_a_string() -> None:
    assert not isinstance(Unknown("x"), str)


def test_deep_nesting_is_one_error_not_a_crash() -> None:
    name: object = "x"
    for _ in range(3000):
        name = {"Fn::Join": ["", [name]]}
    template = {"Resources": {"A": {"Type": "AWS::Glue::Database", "Properties": {"DatabaseInput": {"Name": name}}}}}
    with pytest.raises(LocatedError) as exc:
        importer.read_template(template, "deep.json", {}, "us-east-1", "111122223333", Notices())
    assert str(exc.value) in (
        "deep.json: values nested too deeply to resolve; expected a CloudFormation template",
        "deep.json: resources nested too deeply to check; expected a CloudFormation template",
    )


def test_a_circular_condition_is_a_located_error() -> None:
    text = "Conditions:\n  A: !Condition B\n  B: !Not [!Condition A]\nResources:\n  Db:\n    Type: AWS::Glue::Database\n    Condition: A\n    Properties: {DatabaseInput: {Name: x}}\n"
    with pytest.raises(LocatedError) as exc:
        read(text, Notices())
    assert "circular condition: A -> B -> A" in str(exc.value)


def test_two_resources_with_one_role_name_are_refused() -> None:
    text = (
        "Resources:\n  A:\n    Type: AWS::IAM::Role\n    Properties: {RoleName: etl, AssumeRolePolicyDocument: {}}\n"
        "  B:\n    Type: AWS::IAM::Role\n    Properties: {RoleName: etl, AssumeRolePolicyDocument: {}}\n"
    )
    with pytest.raises(LocatedError) as exc:
        read(text, Notices())
    assert str(exc.value) == "t.yaml:5: role name 'etl' is also created by resource 'A'; names must be unique"


def test_two_jobs_with_one_name_are_refused() -> None:
    job = "    Type: AWS::Glue::Job\n    Properties: {Name: nightly, Role: r, Command: {Name: glueetl}}\n"
    with pytest.raises(LocatedError) as exc:
        read(f"Resources:\n  A:\n{job}  B:\n{job}", Notices())
    assert str(exc.value) == "t.yaml: two resources create job 'nightly'; names must be unique"
