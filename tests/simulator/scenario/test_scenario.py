"""The scenario file format: loading, exact error lines, round trips, hostile input, the schema."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gluesim.kb.errors import GluesimError
from gluesim.simulator import model as m
from gluesim.simulator import scenario
from gluesim.simulator.policies import aws_managed, default_key_policy

FIXTURES = Path(__file__).parents[1] / "fixtures"
TYPICAL = (FIXTURES / "typical.yaml").read_text()


def error_of(text: str) -> str:
    with pytest.raises(GluesimError) as info:
        scenario.loads(text, "s.yaml")
    return str(info.value)


def test_typical_fixture_loads_into_the_model() -> None:
    s = scenario.load(FIXTURES / "typical.yaml")
    assert s.meta.name == "typical"
    analyst = next(u for u in s.account.users if u.name == "analyst")
    assert analyst.console_access is True and analyst.password_reset_required is True
    assert analyst.managed_policies == ("arn:aws:iam::aws:policy/AWSGlueConsoleFullAccess",)
    role = next(r for r in s.account.roles if r.name == "GlueOrdersRole")
    assert role.managed_policies == (
        "arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole",
        "arn:aws:iam::123456789012:policy/orders-access",
    )
    bucket = next(b for b in s.account.buckets if b.name == "flights-raw")
    assert bucket.encryption is m.Encryption.SSE_KMS
    assert bucket.kms_key == "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    assert next(b for b in s.account.buckets if b.name == "flights-curated").policy is m.NO_POLICY
    assert s.jobs[0].sources == (m.DataLocation(m.DataKind.S3, "s3://flights-raw/2024/"),)
    assert s.checks[0] == m.Check("analyst", "action.delete-jobs")


def test_unquoted_policy_version_is_kept_as_the_string_iam_expects() -> None:
    s = scenario.load(FIXTURES / "typical.yaml")
    analyst = next(u for u in s.account.users if u.name == "analyst")
    assert json.loads(analyst.inline_policies[0].document)["Version"] == "2012-10-17"


def test_kms_key_without_policy_gets_the_documented_default_key_policy() -> None:
    key = scenario.load(FIXTURES / "typical.yaml").account.kms_keys[0]
    assert key.policy is not None and key.policy.document == default_key_policy("123456789012")
    statement = json.loads(key.policy.document)["Statement"][0]
    assert statement["Principal"] == {"AWS": "arn:aws:iam::123456789012:root"} and statement["Action"] == "kms:*"


def test_null_means_unknown_and_survives_a_round_trip() -> None:
    text = TYPICAL.replace("billing_iam_access: false", "billing_iam_access: null").replace(
        "  - name: flights-curated\n", "  - name: flights-curated\n    policy: null\n    encryption: null\n").replace(
        "users_can_change_password: true", "users_can_change_password: null").replace(
        "password_reset_required: true", "password_reset_required: null")
    s = scenario.loads(text, "s.yaml")
    assert s.account.billing_iam_access is None and s.account.users_can_change_password is None
    assert next(u for u in s.account.users if u.name == "analyst").password_reset_required is None
    curated = next(b for b in s.account.buckets if b.name == "flights-curated")
    assert curated.policy is None and curated.encryption is None
    assert scenario.loads(scenario.dump(s), "again.yaml") == s


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.yaml")), ids=lambda p: p.name)
def test_dump_round_trips_every_fixture(path: Path) -> None:
    s = scenario.load(path)
    assert scenario.loads(scenario.dump(s), "dumped.yaml") == s


BAD_INPUT = [
    ("console_access: true\n    password_reset_required: true", "consle_access: true\n    password_reset_required: true",
     "s.yaml:14: unknown field 'consle_access' in users[1]; did you mean 'console_access'?"),
    ("groups: [Administrators]", "groups: [Administrator]",
     "s.yaml:12: user 'Administrator' refers to unknown group 'Administrator'; did you mean 'Administrators'?"),
    ("managed_policies: [AWSGlueConsoleFullAccess]", "managed_policies: [AWSGlueConsoleFullAcess]",
     "s.yaml:16: user 'analyst' refers to unknown managed policy 'AWSGlueConsoleFullAcess'; "
     "did you mean 'AWSGlueConsoleFullAccess'?"),
    ("kms_key: alias/flights", "kms_key: alias/nothing-like-it",
     "s.yaml:64: bucket 'flights-raw' refers to unknown KMS key 'alias/nothing-like-it'; define it under kms_keys"),
    ("subnet: subnet-private\n", "subnet: subnet-privat\n",
     "s.yaml:110: connection 'orders-jdbc' refers to unknown subnet 'subnet-privat'; did you mean 'subnet-private'?"),
    ("    console_access: true\n    password_reset_required", "    console_access: yes please\n    password_reset_required",
     "s.yaml:14: users[1].console_access is 'yes please' (a string); expected true or false or null"),
    ("  - name: flights-curated", "  - name: flights-raw",
     "s.yaml:65: duplicate bucket 'flights-raw' (first at line 62); names must be unique"),
    ("s3://orders-curated/orders/", "s3://orders-curate/orders/",
     "s.yaml:129: job 'orders-import' refers to unknown bucket 'orders-curate'; did you mean 'orders-curated'?"),
    ("{actor: analyst, action: delete-jobs}", "{actor: analyst, action: delete-job}",
     "s.yaml:133: checks[0].action is 'delete-job'; expected one of 'sign-in-console', 'open-glue-studio', "
     "'create-job-s3', 'create-job-catalog', 'create-job-redshift', 'create-job-connector', 'create-job-vpc', "
     "'create-job-streaming', 'data-preview', 'save-job', 'run-job', 'delete-jobs', 'view-dashboards', 'modify-dashboards', 'delete-dashboards', "
     "'open-billing-console'; did you mean 'delete-jobs'?"),
    ("role: GlueOrdersRole", "role: GlueOrderRole",
     "s.yaml:127: job 'orders-import' refers to unknown role 'GlueOrderRole'; did you mean 'GlueOrdersRole'?"),
    ('{s3: "s3://flights-raw/2024/"}', '{s3: "s3://flights-raw/2024/", catalog: a.b}',
     "s.yaml:120: jobs[0].sources[0] has 2 keys; expected exactly one of 's3', 'catalog', 'redshift', "
     "'connection', 'stream', 'kinesis'"),
    ("expected_runtime_minutes: 20", "expected_runtime_minutes: -3",
     "s.yaml:124: jobs[0].expected_runtime_minutes is -3; expected a number at least 0"),
    ("    trusted_services: [glue.amazonaws.com]\n", "",
     "s.yaml:30: role 'AWSGlueServiceRole-Flights' has neither of trust_policy and trusted_services; "
     "give exactly one (trust_policy: null means unknown)"),
    ('  id: "123456789012"', "  id: 12345",
     "s.yaml:5: account.id is 12345 (an integer); expected a string (YAML reads unquoted digits as a number: "
     "quote the value, e.g. '12345')"),
    ("            Action: [cloudwatch:GetDashboard, cloudwatch:ListDashboards]",
     "            Action: [cloudwatch GetDashboard]",
     "s.yaml:18: policy 'ViewDashboards': ViewDashboards: Statement[0].Action[0]: 'cloudwatch GetDashboard' "
     "is not an action; expected 'service:Action', e.g. 'glue:CreateJob'"),
    ("{actor: analyst, action: delete-jobs}", "{actor: analyst, action: run-job}",
     "s.yaml:133: checks[0] (run-job) names no job; add 'job:' with a job name"),
    ('      FlightsData: |\n        {', '      FlightsData: |\n        {,',
     "s.yaml:34: policy 'FlightsData' is not valid JSON (Expecting property name enclosed in double quotes "
     "at line 1 of the string); expected a policy document as a YAML mapping or a JSON string"),
]


@pytest.mark.parametrize(("old", "new", "expected"), BAD_INPUT, ids=[case[2][:50] for case in BAD_INPUT])
def test_bad_input_gives_one_exact_located_error(old: str, new: str, expected: str) -> None:
    assert old in TYPICAL
    assert error_of(TYPICAL.replace(old, new, 1)) == expected


def test_empty_and_non_mapping_files_are_refused() -> None:
    assert error_of("") == "s.yaml:1: the scenario is empty or not a mapping; expected 'account:' and more"
    assert error_of("- a\n") == "s.yaml:1: the scenario is empty or not a mapping; expected 'account:' and more"
    assert error_of("account: {}\n") == "s.yaml:1: account has no 'id'; add it"


def test_duplicate_yaml_keys_are_refused_with_both_lines() -> None:
    text = 'account:\n  id: "123456789012"\n  id: "123456789013"\n'
    assert error_of(text) == "s.yaml:3: duplicate key 'id' (first at line 2); keep one"


def test_non_utf8_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b'account:\n  id: "123456789012"\nname: caf\xe9\n')
    with pytest.raises(GluesimError) as info:
        scenario.load(path)
    assert str(info.value) == f"{path}:3:10: byte 0xe9 is not valid UTF-8; save the file as UTF-8"


def test_oversized_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    with pytest.raises(GluesimError) as info:
        scenario.load(path)
    assert str(info.value) == f"{path}: the scenario file is 50.0 MiB; at most 10 MiB is accepted"


def test_alias_bomb_is_refused() -> None:
    lines = ['account: {id: "123456789012"}', "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    with pytest.raises(GluesimError) as info:
        scenario.loads("\n".join(lines) + "\n", "bomb.yaml")
    assert "YAML aliases expand to more than 2,000,000 values" in str(info.value)


def test_ten_thousand_users_load() -> None:
    users = "".join(f"  - name: user{i}\n    groups: [staff]\n" for i in range(10_000))
    text = f'account: {{id: "123456789012"}}\ngroups:\n  - name: staff\nusers:\n{users}'
    s = scenario.loads(text, "many.yaml")
    assert len(s.account.users) == 10_000 and s.account.users[-1].groups == ("staff",)


def test_aws_managed_policies_resolve_by_name_and_arn_to_the_shipped_documents() -> None:
    shipped = aws_managed()
    assert shipped["AWSGlueServiceRole"].arn == "arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole"
    assert shipped["Billing"].arn == "arn:aws:iam::aws:policy/job-function/Billing"
    assert len(shipped) == len(list((FIXTURES.parent.parent.parent / "simulator/data/aws-managed-policies")
                                    .glob("*.json")))


def test_schema_is_draft_2020_12_and_lists_every_top_level_section() -> None:
    schema = scenario.schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["additionalProperties"] is False and schema["required"] == ["account"]
    assert {"users", "roles", "buckets", "kms_keys", "vpcs", "jobs", "checks", "training"} <= set(schema["properties"])
    json.dumps(schema)  # plain JSON data


def _objects(schema: dict, node: dict, path: tuple = ()) -> list[tuple]:
    """Every (path, properties) of closed objects reachable from ``node`` (following $ref and items)."""
    if "$ref" in node:
        node = schema["$defs"][node["$ref"].rsplit("/", 1)[-1]]
    found = []
    if node.get("additionalProperties") is False:
        found.append((path, sorted(node.get("properties", {}))))
    for key, child in node.get("properties", {}).items():
        found += _objects(schema, child, (*path, key))
    if isinstance(node.get("items"), dict):
        found += _objects(schema, node["items"], (*path, 0))
    return found


@given(st.data())
def test_loader_rejects_an_unknown_key_anywhere(data: st.DataObject) -> None:
    """Property: adding an unknown key to any closed object of the format is a located error."""
    schema = scenario.schema()
    objects = [o for o in _objects(schema, schema)
               if len(o[0]) <= 2 and o[0][:1] in ((), ("account",), ("users",), ("roles",), ("jobs",), ("vpcs",))]
    assert len(objects) == 6
    path, props = data.draw(st.sampled_from(objects))
    key = data.draw(st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=3, max_size=12).filter(
        lambda k: k not in props))
    document = {"account": {"id": "123456789012"}, "users": [{"name": "u"}],
                "roles": [{"name": "r", "trusted_services": ["glue.amazonaws.com"]}],
                "jobs": [{"name": "j", "created_by": "u", "role": "r"}], "vpcs": [{"id": "vpc-1"}]}
    target = document
    for step in path:
        target = target[step]
    target[key] = "x"
    with pytest.raises(GluesimError) as info:
        scenario.loads(json.dumps(document, indent=1), "p.yaml")
    assert f"unknown field {key!r}" in str(info.value) and str(info.value).startswith("p.yaml:")
