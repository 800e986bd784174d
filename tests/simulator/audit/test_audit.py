"""The account audit: verdicts per principal computed by the engine, job roles, risky grants.

Small accounts are written as scenario files (the same model imports produce); the real
sample account is salesforce/cloudsplaining ``examples/files/example.json`` @ 5012eab1
(BSD-3-Clause), copied in ``tests/simulator/importers/samples/authorization-details/``.
"""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from gluesim.simulator import scenario
from gluesim.simulator.audit import audit
from gluesim.simulator.importers import import_scenario
from gluesim.simulator.importers.common import unknowns_by_subject

SAMPLE = Path(__file__).parents[1] / "importers" / "samples" / "authorization-details" / "cloudsplaining-example.json"

BASE = """
account: {id: "111122223333"}
users:
  - name: studio
    console_access: true
    managed_policies: [AWSGlueConsoleFullAccess]
  - name: viewer
    console_access: true
    inline_policies:
      dash: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: ["cloudwatch:GetDashboard", "cloudwatch:ListDashboards"], Resource: "*"}]}
  - name: passer
    console_access: true
    inline_policies:
      pass: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "iam:PassRole", Resource: "*"}]}
  - name: twin
    console_access: true
    managed_policies: [AWSGlueConsoleFullAccess]
roles:
  - name: AWSGlueServiceRole-etl
    trusted_services: [glue.amazonaws.com]
    managed_policies: [AWSGlueServiceRole]
  - name: ec2-app
    trusted_services: [ec2.amazonaws.com]
  - name: mystery
    trust_policy: null
"""


def verdicts(result, label: str) -> dict[str, str]:
    principal = next(p for p in result.principals if p.label == label)
    return {v.action.removeprefix("action."): v.verdict for v in principal.actions}


def test_the_console_policy_user_can_open_glue_studio_and_save_jobs() -> None:
    result = audit(scenario.loads(BASE))
    studio = verdicts(result, "user/studio")
    assert studio["open-glue-studio"] == "allowed"
    assert studio["save-job"] == "allowed"  # AWSGlueConsoleFullAccess passes AWSGlueServiceRole* roles to Glue
    assert studio["view-dashboards"] == "denied"


def test_a_dashboard_only_user_can_view_dashboards_and_nothing_else() -> None:
    viewer = verdicts(audit(scenario.loads(BASE)), "user/viewer")
    assert viewer["view-dashboards"] == "allowed"
    assert viewer["open-glue-studio"] == "denied" and viewer["modify-dashboards"] == "denied"


def test_denied_actions_name_the_failing_requirement_and_request() -> None:
    result = audit(scenario.loads(BASE), ["viewer"])
    actions = {v.action: v for v in result.principals[0].actions}
    modify = actions["action.modify-dashboards"]
    assert modify.missing == ("user.cloudwatch-modify-dashboards",)
    assert modify.reasons == ("denied: user.cloudwatch-modify-dashboards: user viewer: cloudwatch:PutDashboard on "
                              "arn:aws:cloudwatch::111122223333:dashboard/* is implicitDeny: no identity-based policy "
                              "statement allows it (implicit deny)",)
    # An action whose prerequisite fails names the prerequisite (and why it fails).
    delete = actions["action.delete-jobs"]
    assert delete.verdict == "denied" and delete.missing == ("action.open-glue-studio",)


def test_job_roles_trust_name_and_permissions() -> None:
    roles = {r.name: r for r in audit(scenario.loads(BASE)).job_roles}
    assert roles["AWSGlueServiceRole-etl"].usable is True and roles["AWSGlueServiceRole-etl"].name_prefix
    assert "ec2-app" not in roles  # its trust policy does not let Glue in
    assert roles["mystery"].trusts_glue is None and roles["mystery"].usable is False  # no permissions at all


def test_a_role_without_the_name_prefix_is_not_a_usable_job_role() -> None:
    text = BASE.replace("  - name: ec2-app\n", "  - name: etl-unprefixed\n    trusted_services: [glue.amazonaws.com]\n"
                        "    managed_policies: [AWSGlueServiceRole]\n  - name: ec2-app\n", 1)
    roles = {r.name: r for r in audit(scenario.loads(text)).job_roles}
    unprefixed = roles["etl-unprefixed"]
    assert unprefixed.trusts_glue and unprefixed.service_permissions and not unprefixed.name_prefix
    assert unprefixed.usable is False


def test_pass_role_on_star_is_a_risky_grant_and_scoped_pass_role_is_not() -> None:
    risks = {(r.principal, r.risk) for r in audit(scenario.loads(BASE)).risks}
    assert ("user/passer", "passrole-any") in risks
    assert not any(p == "user/studio" for p, _ in risks)  # the console policy scopes PassRole to AWSGlueServiceRole*


def test_an_explicit_deny_turns_an_action_to_denied() -> None:
    text = BASE.replace(
        "    managed_policies: [AWSGlueConsoleFullAccess]\n  - name: viewer",
        "    managed_policies: [AWSGlueConsoleFullAccess]\n    inline_policies:\n"
        "      deny-batch-delete: {Version: \"2012-10-17\", Statement: [{Effect: Deny, Action: \"glue:BatchDeleteJob\", Resource: \"*\"}]}\n"
        "  - name: viewer",
    )
    studio = verdicts(audit(scenario.loads(text)), "user/studio")
    assert studio["delete-jobs"] == "denied" and studio["save-job"] == "allowed"


def test_principals_with_the_same_policies_share_verdicts() -> None:
    result = audit(scenario.loads(BASE))
    assert verdicts(result, "user/studio") == verdicts(result, "user/twin")


ACTIONS = ["glue:*", "glue:GetJobs", "glue:CreateJob", "iam:PassRole", "cloudwatch:*", "s3:List*", "*"]
statements = st.lists(
    st.fixed_dictionaries({"Effect": st.sampled_from(["Allow", "Deny"]), "Action": st.lists(st.sampled_from(ACTIONS), min_size=1, max_size=3), "Resource": st.just("*")}),
    min_size=1, max_size=4,
)


def one_user(stmts: list[dict]) -> object:
    document = json.dumps({"Version": "2012-10-17", "Statement": stmts})
    return scenario.loads(f"account: {{id: '111122223333'}}\nusers:\n  - name: u\n    inline_policies:\n      p: '{document}'\n")


@settings(max_examples=40)
@given(statements)
def test_adding_an_allow_never_turns_allowed_into_denied(stmts: list[dict]) -> None:
    before = verdicts(audit(one_user(stmts)), "user/u")
    after = verdicts(audit(one_user([*stmts, {"Effect": "Allow", "Action": "glue:GetJobs", "Resource": "*"}])), "user/u")
    assert all(after[a] == "allowed" for a, v in before.items() if v == "allowed")


@settings(max_examples=40)
@given(statements)
def test_a_shared_verdict_equals_the_verdict_computed_alone(stmts: list[dict]) -> None:
    document = json.dumps({"Version": "2012-10-17", "Statement": stmts})
    text = "account: {id: '111122223333'}\npolicies:\n  - name: p\n    document: '" + document + "'\nusers:\n"
    text += "".join(f"  - name: u{i}\n    managed_policies: [p]\n" for i in range(3))
    shared = audit(scenario.loads(text))
    alone = audit(scenario.loads(text), ["u2"])
    assert verdicts(shared, "user/u2") == verdicts(alone, "user/u2") == verdicts(shared, "user/u0")


def test_the_real_sample_account() -> None:
    result = audit(import_scenario([SAMPLE])[0])
    assert len(result.principals) == 114
    # The one role Glue may assume with the service permissions lacks the AWSGlueServiceRole prefix.
    glue_ready = [r for r in result.job_roles if r.trusts_glue and r.service_permissions]
    assert [r.name for r in glue_ready] == ["privesc-high-priv-service-role"]
    assert [r.name for r in result.job_roles if r.usable] == []
    obama = {v.action.removeprefix("action."): v for v in next(p for p in result.principals if p.name == "obama").actions}
    # An administrator, but the export does not say whether obama has a console password: unknown, not allowed.
    assert obama["sign-in-console"].verdict == "unknown" and obama["sign-in-console"].missing == ("user.console-password",)
    assert obama["open-glue-studio"].verdict == "unknown"
    # The only role Glue may assume lacks the AWSGlueServiceRole prefix: no job can be built with it.
    assert obama["create-job-s3"].verdict == "denied" and "job-role.name-prefix" in obama["create-job-s3"].missing
    assert obama["create-job-s3"].subjects == (("<a new job with role privesc-high-priv-service-role>", "denied"),)
    assert {"admin", "passrole-any", "glue-and-s3-full", "iam-escalation"} <= {r.risk for r in result.risks}


def test_an_unknown_boundary_is_marked_and_never_allows(tmp_path) -> None:
    gaad = json.loads((SAMPLE.parent / "cloudmapper-demo.json").read_text())
    plain = audit(import_scenario([SAMPLE.parent / "cloudmapper-demo.json"])[0])
    role = next(r for r in gaad["RoleDetailList"] if r["RoleName"] == "bad_role")
    role["PermissionsBoundary"] = {"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": "arn:aws:iam::123456789012:policy/not-exported"}
    path = tmp_path / "gaad.json"
    path.write_text(json.dumps(gaad))
    sc, notices = import_scenario([path])
    assert "unknown: managed policy 'arn:aws:iam::123456789012:policy/not-exported': not in the export: what it grants or " \
        "denies is unknown; marked as an unknown permissions boundary for role/bad_role" in [n.line() for n in notices]
    bad_role = next(r for r in sc.account.roles if r.name == "bad_role")
    assert bad_role.permissions_boundary is None and [u.kind.value for u in bad_role.unknown_policies] == ["boundary"]
    before, after = verdicts(plain, "role/bad_role"), verdicts(audit(sc), "role/bad_role")
    # A boundary can only restrict: what the policies allow becomes unknown, what they refuse stays refused
    # (signing in as the role is its trust policy's matter, which no boundary limits).
    assert {a: ("unknown" if v == "allowed" and a != "sign-in-console" else v) for a, v in before.items()} == after
    assert "unknown" in after.values() and [a for a, v in after.items() if v == "allowed"] == ["sign-in-console"]
    clouded = audit(sc, unknown=unknowns_by_subject(notices))
    assert verdicts(clouded, "role/bad_role") == after
    assert set(verdicts(clouded, "user/USER").values()) == set(verdicts(audit(sc), "user/USER").values())


def test_an_unexported_group_policy_clouds_its_members() -> None:
    text = BASE + "groups:\n  - {name: analysts, managed_policies: [AWSGlueConsoleFullAccess]}\n"
    text = text.replace("  - name: viewer\n", "  - name: viewer\n    groups: [analysts]\n")
    sc = scenario.loads(text)
    plain = verdicts(audit(sc), "user/viewer")
    clouded = verdicts(audit(sc, unknown={"group/analysts": ("managed policy 'x': not in the export",)}), "user/viewer")
    assert plain["open-glue-studio"] == "allowed" and clouded["open-glue-studio"] == "unknown"
    assert verdicts(audit(sc, unknown={"group/analysts": ("x",)}), "user/studio") == verdicts(audit(sc), "user/studio")


def test_a_usable_job_role_lists_who_can_pass_it_to_glue() -> None:
    roles = {r.name: r for r in audit(scenario.loads(BASE)).job_roles}
    # the console policy passes AWSGlueServiceRole* roles; PassRole on * passes any role
    assert roles["AWSGlueServiceRole-etl"].passable_by == ("user/studio", "user/passer", "user/twin")
    assert roles["mystery"].passable_by == ()


def test_roles_say_who_may_assume_them() -> None:
    result = audit(scenario.loads(BASE))
    assumable = {p.name: p.assumable_by for p in result.principals if p.kind == "role"}
    assert assumable == {"AWSGlueServiceRole-etl": ("glue.amazonaws.com",), "ec2-app": ("ec2.amazonaws.com",), "mystery": ()}


def test_principals_sharing_a_policy_set_are_evaluated_once(monkeypatch) -> None:
    from gluesim.simulator.engine.context import AccountIndex

    calls = []
    original = AccountIndex.evaluate

    def counting(self, *args, **kwargs):
        calls.append(args[1:3])
        return original(self, *args, **kwargs)

    monkeypatch.setattr(AccountIndex, "evaluate", counting)
    head = "account: {id: '111122223333'}\nusers:\n"
    one = head + "  - {name: u0, managed_policies: [AWSGlueConsoleFullAccess]}\n"
    many = head + "".join(f"  - {{name: u{i}, managed_policies: [AWSGlueConsoleFullAccess]}}\n" for i in range(25))
    audit(scenario.loads(one))
    single = len(calls)
    calls.clear()
    audit(scenario.loads(many))
    assert single > 0 and len(calls) == single


def test_passing_a_more_powerful_job_role_is_an_escalation() -> None:
    text = BASE.replace(
        "    managed_policies: [AWSGlueServiceRole]\n",
        "    managed_policies: [AWSGlueServiceRole, AdministratorAccess]\n",
    )
    risks = {(r.principal, r.risk) for r in audit(scenario.loads(text)).risks}
    assert ("role/AWSGlueServiceRole-etl", "admin") in risks
    assert {("user/studio", "pass-privileged-job-role"), ("user/passer", "pass-privileged-job-role")} <= risks
    assert not any(risk == "pass-privileged-job-role" for _, risk in {(r.principal, r.risk) for r in audit(scenario.loads(BASE)).risks})


def test_an_unknown_scp_level_clouds_allowed_verdicts_only() -> None:
    sc = scenario.loads(BASE)
    plain = verdicts(audit(sc), "user/studio")
    clouded = verdicts(audit(sc, unknown={"organization/scp": ("SCP level 'r-1': not exported",)}), "user/studio")
    # Signing in needs a console password, which no SCP can take away; every IAM-allowed action becomes unknown.
    assert {a for a, v in plain.items() if v == "allowed"} - {"sign-in-console"} == \
        {a for a, v in clouded.items() if v == "unknown"}
    assert {a for a, v in plain.items() if v == "denied"} == {a for a, v in clouded.items() if v == "denied"}
