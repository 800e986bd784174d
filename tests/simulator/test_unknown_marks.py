"""Unknown marks in the scenario format: what an import could not see survives load/dump and is never a pass."""

from __future__ import annotations

import pytest

from gluesim.kb.errors import GluesimError
from gluesim.simulator import model as m
from gluesim.simulator import scenario

SECRET_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-creds-AbC123"
MARKED = f"""
name: marked
account: {{id: "123456789012", region: us-east-1}}
organization:
  scp_levels:
    - name: root
      policies:
        FullAWSAccess: {{Version: "2012-10-17", Statement: [{{Effect: Allow, Action: "*", Resource: "*"}}]}}
    - name: ou-data
      unknown: true
      reason: the SCPs attached to this OU were not exported
users:
  - name: analyst
    console_access: true
    groups: [analysts]
    managed_policies: [AWSGlueConsoleFullAccess]
    unknown_policies:
      - policy: arn:aws:iam::123456789012:policy/team-extra
        reason: not in the export
      - group: contractors
      - boundary: arn:aws:iam::123456789012:policy/limits
groups:
  - name: analysts
    unknown_policies: [{{policy: arn:aws:iam::123456789012:policy/shared}}]
roles:
  - name: AWSGlueServiceRole-orders
    trusted_services: [glue.amazonaws.com]
    managed_policies: [AWSGlueServiceRole, orders]
    unknown_policies: [{{boundary: arn:aws:iam::123456789012:policy/limits, reason: not exported}}]
policies:
  - name: orders
    arn: arn:aws:iam::123456789012:policy/team/orders
    document: {{Version: "2012-10-17", Statement: [{{Effect: Allow, Action: "s3:*", Resource: "*"}}]}}
kms_keys:
  - id: 1234abcd-12ab-34cd-56ef-1234567890ab
    enabled: false
secrets:
  - name: db-creds
    arn: {SECRET_ARN}
vpcs:
  - id: vpc-1
    subnets: [{{id: subnet-1}}]
    endpoints:
      - id: vpce-1
        service: s3
        policy: {{Version: "2012-10-17", Statement: [{{Effect: Allow, Principal: "*", Action: "s3:GetObject", Resource: "*"}}]}}
      - id: vpce-2
        service: secretsmanager
        type: Interface
        policy: null
connections:
  - name: stream
    type: KAFKA
    subnet: subnet-1
  - name: db
    secret: {SECRET_ARN}
"""


def error_of(text: str) -> str:
    with pytest.raises(GluesimError) as info:
        scenario.loads(text, "s.yaml")
    return str(info.value)


def test_every_unknown_mark_loads_into_the_model() -> None:
    s = scenario.loads(MARKED, "s.yaml")
    analyst = s.account.users[0]
    assert analyst.unknown_policies == (
        m.UnknownPolicy(m.UnknownKind.POLICY, "arn:aws:iam::123456789012:policy/team-extra", "not in the export"),
        m.UnknownPolicy(m.UnknownKind.GROUP, "contractors"),
        m.UnknownPolicy(m.UnknownKind.BOUNDARY, "arn:aws:iam::123456789012:policy/limits"),
    )
    assert s.account.groups[0].unknown_policies[0].kind is m.UnknownKind.POLICY
    assert s.account.roles[0].unknown_policies[0].reason == "not exported"
    levels = s.account.organization.scp_levels
    assert [(lv.name, lv.unknown, len(lv.policies)) for lv in levels] == [("root", False, 1), ("ou-data", True, 0)]
    assert s.account.managed_policies[0].arn == "arn:aws:iam::123456789012:policy/team/orders"
    assert "arn:aws:iam::123456789012:policy/team/orders" in s.account.roles[0].managed_policies
    assert s.account.kms_keys[0].enabled is False
    assert s.account.secrets[0].arn == SECRET_ARN
    assert s.account.connections[0].type is m.ConnectionType.KAFKA
    assert s.account.connections[1].secret == "db-creds"
    endpoints = s.account.vpcs[0].endpoints
    assert isinstance(endpoints[0].policy, m.PolicyDocument) and endpoints[1].policy is None


def test_unknown_marks_survive_a_round_trip() -> None:
    s = scenario.loads(MARKED, "s.yaml")
    text = scenario.dump(s)
    assert "unknown_policies" in text and "unknown: true" in text and SECRET_ARN in text
    assert scenario.loads(text, "again.yaml") == s


def test_defaults_are_not_written_back() -> None:
    text = MARKED.replace("    arn: arn:aws:iam::123456789012:policy/team/orders\n", "").replace(
        f"    arn: {SECRET_ARN}\n", "").replace(f"secret: {SECRET_ARN}", "secret: db-creds")
    dumped = scenario.dump(scenario.loads(text, "s.yaml"))
    assert "arn: arn" not in dumped and "enabled: true" not in dumped


def test_unknown_scp_level_with_policies_is_a_located_error() -> None:
    text = MARKED.replace("      unknown: true\n", "      unknown: true\n      policies: {}\n")
    assert error_of(text) == ("s.yaml:9: SCP level 'ou-data' has both unknown: true and policies; give its "
                              "policies, or 'unknown: true' (with a reason) when they could not be read")


def test_known_scp_level_without_policies_is_a_located_error() -> None:
    text = MARKED.replace("      unknown: true\n", "")
    assert error_of(text) == ("s.yaml:9: SCP level 'ou-data' has no policies; give its policies, "
                              "or 'unknown: true' (with a reason) when they could not be read")


def test_an_unknown_mark_names_exactly_one_piece() -> None:
    text = MARKED.replace("      - group: contractors\n", "      - {group: contractors, policy: x}\n")
    assert error_of(text) == ("s.yaml:20: user 'analyst': unknown_policies[1] names 2 pieces; "
                              "expected exactly one of policy, boundary, group")


def test_a_group_cannot_have_an_unknown_boundary() -> None:
    text = MARKED.replace("{policy: arn:aws:iam::123456789012:policy/shared}", "{boundary: b}")
    assert error_of(text) == ("s.yaml:24: unknown field 'boundary' in groups[0].unknown_policies[0]; "
                              "expected one of 'policy', 'reason'")


def test_a_given_arn_must_name_its_entry() -> None:
    text = MARKED.replace("policy/team/orders\n", "policy/team/other\n", 1)
    assert error_of(text) == ("s.yaml:32: policy 'orders': arn 'arn:aws:iam::123456789012:policy/team/other' "
                              "does not name it; expected an ARN that would end with /orders")
    bad_secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:other-AbC123"
    text = MARKED.replace(f"    arn: {SECRET_ARN}", f"    arn: {bad_secret}")
    assert error_of(text) == (f"s.yaml:39: secret 'db-creds': arn {bad_secret!r} does not name it; expected an "
                              "ARN that would end with :secret:db-creds- and six characters")


def test_an_unknown_connection_type_is_refused_with_the_aws_list() -> None:
    message = error_of(MARKED.replace("type: KAFKA", "type: KAFKAH"))
    assert message.startswith("s.yaml:53:") and "'KAFKA'" in message and "'MONGODB'" in message


def test_schema_documents_the_marks() -> None:
    props = scenario.schema()["properties"]
    user = props["users"]["items"]["properties"]
    assert set(user["unknown_policies"]["items"]["properties"]) == {"policy", "boundary", "group", "reason"}
    assert "unknown" in props["organization"]["properties"]["scp_levels"]["items"]["properties"]
    assert "KAFKA" in props["connections"]["items"]["properties"]["type"]["enum"]
    assert "enabled" in props["kms_keys"]["items"]["properties"]
    assert "arn" in props["secrets"]["items"]["properties"] and "arn" in props["policies"]["items"]["properties"]
    assert "policy" in props["vpcs"]["items"]["properties"]["endpoints"]["items"]["properties"]
