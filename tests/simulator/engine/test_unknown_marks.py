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


def test_an_unknown_mark_with_only_a_reason_names_nothing() -> None:
    text = MARKED.replace("      - group: contractors\n", "      - {reason: forgot}\n")
    assert error_of(text) == ("s.yaml:20: user 'analyst': unknown_policies[1] names 0 pieces; "
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


# -- the engine: unknown marks are never a pass ------------------------------------------------
from dataclasses import replace  # noqa: E402
from pathlib import Path  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from gluesim.simulator.engine import Verdict, simulate  # noqa: E402
from gluesim.simulator.fix import fix  # noqa: E402

PASSING = (Path(__file__).parents[1] / "fixtures" / "passing.yaml").read_text()
ROLE_EXTRA = "arn:aws:iam::123456789012:policy/role-extra"
DENY_PUT = '          - {Sid: NoPut, Effect: Deny, Action: "s3:PutObject", Resource: "*"}\n'


def verdicts(text: str) -> dict[tuple[str, str], Verdict]:
    report = simulate(scenario.loads(text, "s.yaml"))
    return {(r.actor, r.action): r.verdict for r in report.results}


def with_role_mark(text: str, mark: str) -> str:
    return text.replace("    managed_policies: [AWSGlueServiceRole]\n",
                        f"    managed_policies: [AWSGlueServiceRole]\n    unknown_policies: [{mark}]\n")


def test_the_passing_fixture_passes() -> None:
    assert set(verdicts(PASSING).values()) == {Verdict.PASS}


def test_an_unknown_managed_policy_on_the_job_role_makes_running_the_job_unknown_not_a_pass() -> None:
    text = with_role_mark(PASSING, f"{{policy: {ROLE_EXTRA}, reason: not in the export}}")
    report = simulate(scenario.loads(text, "s.yaml"))
    run = next(r for r in report.results if r.action == "action.run-job")
    assert run.verdict is Verdict.UNKNOWN
    reasons = [f.reason for f in run.failures if f.requirement == "job-role.s3-source-read"]
    assert reasons and all(f"managed policy {ROLE_EXTRA!r} is unknown (not in the export) for role "
                           "AWSGlueServiceRole-Test" in r for r in reasons)
    assert all("get-account-authorization-details" in f.fix for f in run.failures if f.iam is not None)
    assert verdicts(text)[("ana", "action.delete-jobs")] is Verdict.PASS  # ana's own policies are known


def test_a_known_explicit_deny_stays_a_failure_whatever_is_unknown() -> None:
    text = with_role_mark(PASSING, f"{{policy: {ROLE_EXTRA}}}").replace(
        'Resource: ["arn:aws:s3:::dst", "arn:aws:s3:::dst/*"]\n', 'Resource: ["arn:aws:s3:::dst", "arn:aws:s3:::dst/*"]\n'
        + DENY_PUT)
    run = next(r for r in simulate(scenario.loads(text, "s.yaml")).results if r.action == "action.run-job")
    assert run.verdict is Verdict.FAIL
    put = [f for f in run.failures if f.iam is not None and f.iam.action == "s3:PutObject"]
    assert put and not any(f.unknown for f in put) and "explicitDeny" in put[0].reason


def test_an_unknown_boundary_clouds_what_is_allowed_but_not_what_is_refused() -> None:
    text = with_role_mark(PASSING, f"{{boundary: {ROLE_EXTRA}}}").replace(
        'Action: [s3:ListBucket, s3:PutObject, s3:DeleteObject]', 'Action: [s3:ListBucket, s3:DeleteObject]')
    run = next(r for r in simulate(scenario.loads(text, "s.yaml")).results if r.action == "action.run-job")
    by_action = {f.iam.action: f for f in run.failures if f.iam is not None}
    assert by_action["s3:PutObject"].unknown is False  # no known policy allows it: a boundary cannot help
    assert by_action["s3:GetObject"].unknown is True and "permissions boundary" in by_action["s3:GetObject"].reason
    assert run.verdict is Verdict.FAIL


def test_an_unknown_group_of_the_user_makes_her_actions_unknown() -> None:
    text = PASSING.replace("    managed_policies: [AWSGlueConsoleFullAccess]\n",
                           "    managed_policies: [AWSGlueConsoleFullAccess]\n    unknown_policies: [{group: ops}]\n")
    found = verdicts(text)
    assert found[("ana", "action.delete-jobs")] is Verdict.UNKNOWN
    assert found[("ana", "action.sign-in-console")] is Verdict.PASS  # console access is not an IAM decision


def test_a_groups_unknown_policy_reaches_its_members() -> None:
    text = PASSING.replace("    managed_policies: [AWSGlueConsoleFullAccess]\n",
                           "    groups: [g]\n    managed_policies: [AWSGlueConsoleFullAccess]\n") + \
        "groups:\n  - name: g\n    unknown_policies: [{policy: x}]\n"
    assert verdicts(text)[("ana", "action.delete-jobs")] is Verdict.UNKNOWN


ORG = """organization:
  scp_levels:
    - name: root
      policies:
        FullAWSAccess: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "*", Resource: "*"}]}
        NoDelete: {Version: "2012-10-17", Statement: [{Effect: Deny, Action: "glue:BatchDeleteJob", Resource: "*"}]}
    - {name: ou-data, unknown: true, reason: not exported}
"""


def test_an_unknown_scp_level_clouds_allowed_requests_and_keeps_denied_ones() -> None:
    found = verdicts(PASSING.replace("users:\n", ORG + "users:\n", 1))
    assert found[("ana", "action.delete-jobs")] is Verdict.FAIL  # a known SCP denies it
    assert found[("ana", "action.run-job")] is Verdict.UNKNOWN
    report = simulate(scenario.loads(PASSING.replace("users:\n", ORG + "users:\n", 1), "s.yaml"))
    reasons = [f.reason for r in report.results for f in r.failures if f.unknown]
    assert any("SCP level 'ou-data' is unknown (not exported)" in r for r in reasons)


def test_fix_leaves_unknowns_unresolved_and_grants_nothing_for_them() -> None:
    s = scenario.loads(with_role_mark(PASSING, f"{{policy: {ROLE_EXTRA}}}"), "s.yaml")
    result = fix(s)
    assert result.fixed_scenario == s
    assert result.unresolved and all(f.unknown for f in result.unresolved)
    assert any(ROLE_EXTRA in f.fix or "get-account-authorization-details" in f.fix for f in result.unresolved)


KMS = PASSING.replace("  - name: src\n", "  - {name: src, encryption: SSE-KMS, kms_key: k1}\n") + \
    "kms_keys:\n  - id: k1\n"
KMS = KMS.replace('Resource: ["arn:aws:s3:::src", "arn:aws:s3:::src/*"]',
                  'Resource: ["arn:aws:s3:::src", "arn:aws:s3:::src/*"]\n          - {Effect: Allow, '
                  'Action: "kms:*", Resource: "*"}')


def test_a_disabled_kms_key_fails_the_job_with_the_reason() -> None:
    assert verdicts(KMS)[("ana", "action.run-job")] is Verdict.PASS
    report = simulate(scenario.loads(KMS.replace("  - id: k1\n", "  - {id: k1, enabled: false}\n"), "s.yaml"))
    run = next(r for r in report.results if r.action == "action.run-job")
    assert run.verdict is Verdict.FAIL
    reasons = {f.reason for f in run.failures if f.requirement == "job-role.kms-key-access"}
    assert "KMS key k1 is disabled (or pending deletion): AWS KMS rejects kms:Decrypt with a key that is not " \
           "enabled, whatever the policies allow" in reasons
    unknown = simulate(scenario.loads(KMS.replace("  - id: k1\n", "  - {id: k1, enabled: null}\n"), "s.yaml"))
    assert next(r for r in unknown.results if r.action == "action.run-job").verdict is Verdict.UNKNOWN


VPC = PASSING.replace("    targets: [{s3: \"s3://dst/out/\"}]\n", "    targets: [{s3: \"s3://dst/out/\"}]\n    subnet: subnet-1\n") + """
vpcs:
  - id: vpc-1
    subnets: [{id: subnet-1, route_table: rtb-1}]
    route_tables: [{id: rtb-1}]
    endpoints: [{id: vpce-1, service: s3, route_tables: [rtb-1]POLICY}]
    security_groups: [{id: sg-1, inbound: [{protocol: tcp, peer: sg-1}], outbound: [{protocol: all, peer: 0.0.0.0/0}]}]
"""


def endpoint_failures(policy: str) -> list:
    report = simulate(scenario.loads(VPC.replace("POLICY", policy), "s.yaml"))
    return [f for r in report.results if r.action == "action.run-job" for f in r.failures
            if f.requirement.startswith(("job-role.s3", "vpc.s3"))]


def test_an_unknown_endpoint_policy_makes_the_s3_path_unknown() -> None:
    failures = endpoint_failures(", policy: null")
    assert [f.requirement for f in failures] == ["vpc.s3-endpoint"] and failures[0].unknown
    assert "gateway endpoint vpce-1, whose endpoint policy is unknown" in failures[0].reason
    assert endpoint_failures("") == []  # no policy given: the default full-access endpoint policy


def test_a_restrictive_endpoint_policy_is_evaluated_with_each_s3_request_of_the_job_role() -> None:
    only_get = ', policy: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: "*", Action: "s3:GetObject", Resource: "*"}]}'
    failures = endpoint_failures(only_get)
    denied = {(f.iam.action, f.iam.resource) for f in failures}
    assert ("s3:PutObject", "arn:aws:s3:::dst/out/*") in denied and ("s3:ListBucket", "arn:aws:s3:::src") in denied
    assert not any(a == "s3:GetObject" for a, _ in denied)
    put = next(f for f in failures if f.iam.action == "s3:PutObject" and f.iam.resource == "arn:aws:s3:::dst/out/*")
    assert not put.unknown and put.reason == (
        "role AWSGlueServiceRole-Test: s3:PutObject on arn:aws:s3:::dst/out/* goes through VPC endpoint vpce-1, "
        "whose endpoint policy makes it implicitDeny: no statement of the endpoint policy allows it")
    assert put.changes[0].kind == "manual" and "endpoint policy of vpce-1" in put.fix
    everything = ', policy: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: "*", Action: "*", Resource: "*"}]}'
    assert endpoint_failures(everything) == []
    deny = everything.replace("}]}", '}, {Effect: Deny, Principal: "*", Action: "s3:DeleteObject", Resource: "*"}]}')
    denied = endpoint_failures(deny)
    assert {f.iam.action for f in denied} == {"s3:DeleteObject"}
    assert all("explicitDeny: denied by Statement[1] of resource policy" in f.reason for f in denied), denied[0].reason


U = m.UnknownPolicy
MARKS = st.lists(st.sampled_from([
    ("role", U(m.UnknownKind.POLICY, ROLE_EXTRA)), ("role", U(m.UnknownKind.BOUNDARY, ROLE_EXTRA)),
    ("user", U(m.UnknownKind.GROUP, "ops")), ("user", U(m.UnknownKind.POLICY, "p")),
    ("user", U(m.UnknownKind.BOUNDARY, "b")), ("scp", None),
]), unique=True, max_size=4)


def marked(s: m.Scenario, marks: list[tuple[str, m.UnknownPolicy | None]]) -> m.Scenario:
    a = s.account
    users = tuple(replace(u, unknown_policies=u.unknown_policies + tuple(x for w, x in marks if w == "user"))
                  for u in a.users)
    roles = tuple(replace(r, unknown_policies=r.unknown_policies + tuple(x for w, x in marks if w == "role"))
                  for r in a.roles)
    org = a.organization
    if any(w == "scp" for w, _ in marks):
        level = m.ScpLevel("ou-x", (), unknown=True)
        org = m.Organization((org.scp_levels if org else ()) + (level,))
    return replace(s, account=replace(a, users=users, roles=roles, organization=org))


@settings(max_examples=30, deadline=None)
@given(MARKS, st.sampled_from([PASSING, KMS, with_role_mark(PASSING, "{policy: q}"),
                               PASSING.replace("users:\n", ORG + "users:\n", 1)]))
def test_unknown_marks_never_turn_anything_into_a_pass(marks: list[tuple[str, m.UnknownPolicy | None]],
                                                       base: str) -> None:
    original = scenario.loads(base, "s.yaml")
    before = {r.key: r.verdict for r in simulate(original).results}
    after = {r.key: r.verdict for r in simulate(marked(original, marks)).results}
    for key, verdict in after.items():
        if before[key] is not Verdict.PASS:
            assert verdict is not Verdict.PASS  # a fail may become unknown, never a pass
        else:
            assert verdict in (Verdict.PASS, Verdict.UNKNOWN)
    if any(w in ("role", "scp") for w, _ in marks):
        assert all(v is not Verdict.PASS for k, v in after.items() if k[1] == "action.run-job")


SECRET = PASSING.replace('Resource: ["arn:aws:s3:::src", "arn:aws:s3:::src/*"]\n', 'Resource: ["arn:aws:s3:::src", "arn:aws:s3:::src/*"]\n'
                         f'          - {{Effect: Allow, Action: secretsmanager:GetSecretValue, Resource: "{SECRET_ARN}"}}\n')
SECRET = SECRET.replace("    targets: [{s3: \"s3://dst/out/\"}]\n", "    targets: [{s3: \"s3://dst/out/\"}]\n    connections: [db]\n") + f"""
secrets:
  - name: db-creds
    ARN_LINE
connectors: [{{name: jdbc-connector, type: marketplace}}]
connections: [{{name: db, type: MARKETPLACE, connector: jdbc-connector, secret: db-creds}}]
"""


def secret_failures(text: str) -> list:
    report = simulate(scenario.loads(text, "s.yaml"))
    return [f for r in report.results for f in r.failures if f.requirement == "job-role.connection-secrets"]


def test_a_policy_naming_the_real_secret_arn_matches_when_the_arn_is_given() -> None:
    assert secret_failures(SECRET.replace("ARN_LINE", f"arn: {SECRET_ARN}")) == []
    derived = secret_failures(SECRET.replace("    ARN_LINE\n", ""))  # the derived suffix is not AWS's
    assert derived and all(f.iam.action == "secretsmanager:GetSecretValue" and not f.unknown for f in derived)


def test_an_interface_endpoint_policy_gates_the_job_roles_requests_to_its_service() -> None:
    text = SECRET.replace("ARN_LINE", f"arn: {SECRET_ARN}").replace(
        "    targets: [{s3: \"s3://dst/out/\"}]\n", "    targets: [{s3: \"s3://dst/out/\"}]\n    subnet: subnet-1\n")
    vpc = VPC[VPC.index("\nvpcs:"):].replace("POLICY", "")
    vpc = vpc.replace("    security_groups:", "      - {id: vpce-sm, service: secretsmanager, type: Interface SMPOLICY}\n"
                      "    security_groups:").replace("    endpoints: [{id: vpce-1, service: s3, route_tables: [rtb-1]}]",
                                                  "    endpoints:\n      - {id: vpce-1, service: s3, route_tables: [rtb-1]}")
    assert secret_failures(text + vpc.replace("SMPOLICY", "")) == []
    unknown = secret_failures(text + vpc.replace("SMPOLICY", ", policy: null"))
    assert unknown and all(f.unknown and "endpoint vpce-sm, whose endpoint policy is unknown" in f.reason for f in unknown)
    deny = (', policy: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: "*", Action: "*", Resource: "*"},'
            ' {Effect: Deny, Principal: "*", Action: "secretsmanager:GetSecretValue", Resource: "*"}]}')
    denied = secret_failures(text + vpc.replace("SMPOLICY", deny))
    assert denied and all(not f.unknown and "goes through VPC endpoint vpce-sm" in f.reason for f in denied)


def test_an_unknown_policy_cannot_open_a_key_whose_key_policy_refuses_the_role() -> None:
    """KMS: without the key policy's consent no identity policy helps, so the refusal stays a failure."""
    other_only = ('    policy: {Version: "2012-10-17", Statement: [{Effect: Allow, Principal: {AWS: '
                  '"arn:aws:iam::123456789012:role/Other"}, Action: "kms:*", Resource: "*"}]}\n')
    text = with_role_mark(KMS.replace("  - id: k1\n", "  - id: k1\n" + other_only), f"{{policy: {ROLE_EXTRA}}}")
    run = next(r for r in simulate(scenario.loads(text, "s.yaml")).results if r.action == "action.run-job")
    kms = [f for f in run.failures if f.requirement == "job-role.kms-key-access"]
    assert kms and not any(f.unknown for f in kms) and run.verdict is Verdict.FAIL
    default_policy = with_role_mark(KMS.replace('Action: "kms:*"', 'Action: "kms:DescribeKey"'), f"{{policy: {ROLE_EXTRA}}}")
    run = next(r for r in simulate(scenario.loads(default_policy, "s.yaml")).results if r.action == "action.run-job")
    decrypt = [f for f in run.failures if f.iam is not None and f.iam.action == "kms:Decrypt"]
    assert decrypt and all(f.unknown for f in decrypt)  # the default key policy lets IAM policies grant it
