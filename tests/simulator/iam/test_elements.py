"""Effect, Action/NotAction, Resource/NotResource, Principal/NotPrincipal, statement positions."""

from __future__ import annotations

import pytest
from iam_helpers import ACCOUNT, BUCKET_OBJECT, OTHER, ROLE, SESSION, USER, decide, policy, request, run, stmt

from gluesim.simulator.iam import Decision, PolicyType, compile_policy


def test_no_policy_is_an_implicit_deny() -> None:
    result = run(request())
    assert result.decision is Decision.IMPLICIT_DENY
    assert result.reason == "no identity-based policy statement allows it (implicit deny)"
    assert result.deciding == ()


def test_allow_then_deny_wins() -> None:
    allow = policy(stmt())
    deny = policy(stmt("Deny", resource="arn:aws:s3:::src-bucket/*"))
    assert decide(request(), allow) == "allowed"
    assert decide(request(), allow, deny) == "explicitDeny"


@pytest.mark.parametrize(("pattern", "action", "expected"), [
    ("s3:GetObject", "s3:getobject", "allowed"),
    ("S3:GETOBJECT", "s3:GetObject", "allowed"),
    ("s3:Get*", "s3:GetObjectAcl", "allowed"),
    ("s3:Get?bject", "s3:GetObject", "allowed"),
    ("s3:Get?bject", "s3:GetObjectAcl", "implicitDeny"),
    ("s3:*", "glue:GetJob", "implicitDeny"),
    ("*", "glue:GetJob", "allowed"),
    ("glue:*Job", "glue:BatchDeleteJob", "allowed"),
])
def test_action_matching_is_case_insensitive_with_wildcards(pattern: str, action: str, expected: str) -> None:
    assert decide(request(action), policy(stmt(action=pattern))) == expected


def test_not_action_allows_everything_else() -> None:
    p = policy(stmt(action=None, NotAction="iam:*"))
    assert decide(request("s3:GetObject"), p) == "allowed"
    assert decide(request("iam:PassRole"), p) == "implicitDeny"


@pytest.mark.parametrize(("pattern", "resource", "expected"), [
    ("arn:aws:s3:::src-bucket/*", BUCKET_OBJECT, "allowed"),
    ("arn:aws:s3:::SRC-bucket/*", BUCKET_OBJECT, "implicitDeny"),  # resources are case-sensitive
    ("arn:aws:s3:::src-bucket", BUCKET_OBJECT, "implicitDeny"),
    ("arn:aws:s3:::src-?ucket/data/*", BUCKET_OBJECT, "allowed"),
    ("arn:aws:glue:*:111122223333:job/*", "arn:aws:glue:us-east-1:111122223333:job/etl", "allowed"),
    ("arn:aws:glue:us-*-1:*:job/etl", "arn:aws:glue:us-east-1:111122223333:job/etl", "allowed"),
    # a * inside a segment does not cross a colon ...
    ("arn:aws:logs:us-east-1:1111*2223333:log-group:x", "arn:aws:logs:us-east-1:1111:2223333:log-group:x",
     "implicitDeny"),
    # ... but one that ends a segment may
    ("arn:aws:logs:us-east-1:111122223333:log-group:*", "arn:aws:logs:us-east-1:111122223333:log-group:a:log-stream:b",
     "allowed"),
])
def test_resource_arn_matching(pattern: str, resource: str, expected: str) -> None:
    assert decide(request(resource=resource), policy(stmt(resource=pattern))) == expected


def test_not_resource_with_deny_denies_everything_outside_the_list() -> None:
    allow = policy(stmt(action="s3:*"))
    fence = policy(stmt("Deny", action="s3:*", resource=None, NotResource=["arn:aws:s3:::src-bucket/*"]))
    assert decide(request(), allow, fence) == "allowed"
    result = run(request(resource="arn:aws:s3:::other/x"), allow, fence)
    assert result.decision is Decision.EXPLICIT_DENY
    assert result.deciding[0].policy_id == fence.policy_id


def test_policy_variables_are_literal_in_version_2008() -> None:
    old = policy(stmt(resource="arn:aws:s3:::b/${aws:username}/*"), version="2008-10-17")
    assert decide(request(resource="arn:aws:s3:::b/alice/x"), old) == "implicitDeny"
    assert decide(request(resource="arn:aws:s3:::b/${aws:username}/x"), old) == "allowed"
    new = policy(stmt(resource="arn:aws:s3:::b/${aws:username}/*"))
    assert decide(request(resource="arn:aws:s3:::b/alice/x"), new) == "allowed"


def test_no_version_means_2008_semantics() -> None:
    p = policy(stmt(resource="arn:aws:s3:::b/${aws:username}"), version=None)
    assert decide(request(resource="arn:aws:s3:::b/alice"), p) == "implicitDeny"


def bucket_policy(principal: object, effect: str = "Allow", key: str = "Principal") -> object:
    return policy(stmt(effect, resource="arn:aws:s3:::src-bucket/*", **{key: principal}), kind=PolicyType.RESOURCE)


def test_resource_policy_alone_grants_a_named_user_in_the_same_account() -> None:
    assert decide(request(), resource_policy=bucket_policy({"AWS": USER})) == "allowed"


def test_resource_policy_naming_the_account_delegates_to_identity_policies() -> None:
    grant = bucket_policy({"AWS": ACCOUNT})
    assert decide(request(), resource_policy=grant) == "implicitDeny"
    assert decide(request(), policy(stmt()), resource_policy=grant) == "allowed"


def test_resource_policy_that_names_someone_else_does_not_apply() -> None:
    grant = bucket_policy({"AWS": f"arn:aws:iam::{ACCOUNT}:user/bob"})
    assert decide(request(), resource_policy=grant) == "implicitDeny"


def test_cross_account_needs_both_sides() -> None:
    identity = policy(stmt())
    grant = bucket_policy({"AWS": f"arn:aws:iam::{ACCOUNT}:root"})
    cross = request(resource_account=OTHER)
    assert decide(cross, identity) == "implicitDeny"
    assert decide(cross, resource_policy=grant) == "implicitDeny"
    result = run(cross, identity, resource_policy=grant)
    assert result.decision is Decision.ALLOWED
    assert {ref.policy_id for ref in result.deciding} == {identity.policy_id, grant.policy_id}
    assert result.details == {"IAM Policy": Decision.ALLOWED, "Resource Policy": Decision.ALLOWED}


def test_cross_account_resource_policy_deny_wins() -> None:
    deny = bucket_policy("*", effect="Deny")
    assert decide(request(resource_account=OTHER), policy(stmt()), resource_policy=deny) == "explicitDeny"


def test_boundary_that_does_not_allow_what_the_identity_policy_allows() -> None:
    identity = policy(stmt(action="s3:*"))
    boundary = policy(stmt(action="glue:*"), kind=PolicyType.PERMISSIONS_BOUNDARY)
    result = run(request(), identity, boundary_policies=[boundary])
    assert result.decision is Decision.IMPLICIT_DENY
    assert result.reason == "the permissions boundary does not allow it"
    assert result.boundary_allowed is False
    assert decide(request("glue:GetJob"), identity, boundary_policies=[boundary]) == "implicitDeny"
    both = policy(stmt(action="glue:*"))
    assert decide(request("glue:GetJob"), both, boundary_policies=[boundary]) == "allowed"


def test_boundary_does_not_limit_a_resource_policy_grant_to_the_user_itself() -> None:
    boundary = policy(stmt(action="glue:*"), kind=PolicyType.PERMISSIONS_BOUNDARY)
    assert decide(request(), resource_policy=bucket_policy({"AWS": USER}), boundary_policies=[boundary]) == "allowed"


def test_boundary_limits_a_resource_policy_grant_to_the_role() -> None:
    boundary = policy(stmt(action="glue:*"), kind=PolicyType.PERMISSIONS_BOUNDARY)
    as_session = dict(principal_arn=SESSION, principal_type="AssumedRole")
    role_grant = bucket_policy({"AWS": ROLE})
    assert decide(request(**as_session), resource_policy=role_grant) == "allowed"
    assert decide(request(**as_session), resource_policy=role_grant, boundary_policies=[boundary]) == "implicitDeny"
    session_grant = bucket_policy({"AWS": SESSION})
    assert decide(request(**as_session), resource_policy=session_grant, boundary_policies=[boundary]) == "allowed"


def test_boundary_deny_beats_a_resource_policy_grant() -> None:
    boundary = policy(stmt(), stmt("Deny"), kind=PolicyType.PERMISSIONS_BOUNDARY)
    assert decide(request(), resource_policy=bucket_policy({"AWS": USER}), boundary_policies=[boundary]) == \
        "explicitDeny"


def test_scp_level_with_no_allow_denies() -> None:
    identity = policy(stmt(action="s3:*"))
    full = policy(stmt(action="*"), kind=PolicyType.SCP)
    glue_only = policy(stmt(action="glue:*"), kind=PolicyType.SCP)
    assert decide(request(), identity, scp_levels=[[full], [full]]) == "allowed"
    result = run(request(), identity, scp_levels=[[full], [glue_only]])
    assert result.decision is Decision.IMPLICIT_DENY
    assert result.reason == "no SCP at organization level 2 allows it"
    assert result.organizations_allowed is False
    assert decide(request(), identity, scp_levels=[[full], []]) == "implicitDeny"


def test_scp_alone_grants_nothing() -> None:
    full = policy(stmt(action="*"), kind=PolicyType.SCP)
    assert decide(request(), scp_levels=[[full]]) == "implicitDeny"


def test_rcp_applies_only_to_its_services() -> None:
    deny_s3 = policy(stmt(action="*", Principal="*"), stmt("Deny", action="s3:*", Principal="*"), kind=PolicyType.RCP)
    identity = policy(stmt(action="*"))
    assert decide(request(), identity, rcp_levels=[[deny_s3]]) == "explicitDeny"
    assert decide(request("glue:GetJob"), identity, rcp_levels=[[deny_s3]]) == "allowed"


def test_trust_policy_must_allow_the_principal() -> None:
    trust = policy(stmt(action="sts:AssumeRole", resource=None, Principal={"Service": "glue.amazonaws.com"}),
                   kind=PolicyType.TRUST)
    glue = request("sts:AssumeRole", ROLE, principal_arn="glue.amazonaws.com", principal_type="Service",
                   principal_account=None)
    assert decide(glue, resource_policy=trust) == "allowed"
    assert decide(request("sts:AssumeRole", ROLE), policy(stmt(action="sts:AssumeRole")), resource_policy=trust) \
        == "implicitDeny"


def test_kms_key_policy_must_allow() -> None:
    key = "arn:aws:kms:us-east-1:111122223333:key/1"
    identity = policy(stmt(action="kms:Decrypt"))
    other_key_policy = policy(stmt(action="kms:*", Principal={"AWS": f"arn:aws:iam::{ACCOUNT}:user/bob"}),
                              kind=PolicyType.RESOURCE)
    assert decide(request("kms:Decrypt", key), identity, resource_policy=other_key_policy) == "implicitDeny"
    delegating = policy(stmt(action="kms:*", Principal={"AWS": f"arn:aws:iam::{ACCOUNT}:root"}),
                        kind=PolicyType.RESOURCE)
    assert decide(request("kms:Decrypt", key), identity, resource_policy=delegating) == "allowed"
    assert decide(request("kms:Decrypt", key), resource_policy=delegating) == "implicitDeny"


def test_not_principal_with_deny_exempts_only_fully_listed_principals() -> None:
    allow = policy(stmt(action="s3:*"))
    deny_all_but_alice = bucket_policy({"AWS": [USER, f"arn:aws:iam::{ACCOUNT}:root"]}, effect="Deny",
                                       key="NotPrincipal")
    assert decide(request(), allow, resource_policy=deny_all_but_alice) == "allowed"
    bob = request(principal_arn=f"arn:aws:iam::{ACCOUNT}:user/bob")
    assert decide(bob, allow, resource_policy=deny_all_but_alice) == "explicitDeny"
    user_only = bucket_policy({"AWS": [USER]}, effect="Deny", key="NotPrincipal")
    assert decide(request(), allow, resource_policy=user_only) == "explicitDeny"


def test_unknown_principal_is_undecided_when_it_matters() -> None:
    grant = bucket_policy({"AWS": USER})
    anonymous_caller = request(principal_arn=None)
    result = run(anonymous_caller, resource_policy=grant)
    assert result.decision is Decision.UNDECIDED
    assert result.undecided_features == ("the request's principal is unknown (no principal ARN)",)
    # ... but not when an identity policy already allows it
    assert decide(anonymous_caller, policy(stmt()), resource_policy=grant) == "allowed"


def test_statement_positions_point_at_the_braces_of_the_text_given() -> None:
    text = '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {"Effect": "Deny", "Action": "s3:*",\n' \
           '     "Resource": "*"},\n    {\n      "Sid": "Two",\n      "Effect": "Allow", "Action": "*", ' \
           '"Resource": "*"\n    }\n  ]\n}\n'
    p = compile_policy(text, "p", PolicyType.IDENTITY)
    first, second = (s.ref for s in p.statements)
    assert (first.start_line, first.start_column, first.end_line, first.end_column) == (4, 5, 5, 21)
    assert (second.start_line, second.start_column, second.end_line, second.end_column) == (6, 5, 9, 5)
    assert second.sid == "Two" and second.index == 1


def test_single_statement_object_position() -> None:
    p = compile_policy('{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}', "p", PolicyType.IDENTITY)
    ref = p.statements[0].ref
    assert (ref.start_line, ref.start_column, ref.end_line, ref.end_column) == (1, 15, 1, 65)


def test_compiling_the_same_text_twice_is_cached() -> None:
    text = '{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}'
    assert compile_policy(text, "p", PolicyType.IDENTITY) is compile_policy(text, "p", PolicyType.IDENTITY)


def test_root_user_is_allowed_in_its_own_account_but_not_past_scps() -> None:
    root = request(principal_arn=f"arn:aws:iam::{ACCOUNT}:root", principal_type="Root")
    assert decide(root) == "allowed"
    glue_only = policy(stmt(action="glue:*"), kind=PolicyType.SCP)
    assert decide(root, scp_levels=[[glue_only]]) == "implicitDeny"


def test_unknown_principal_arn_with_known_account() -> None:
    unknown_user = request(principal_arn=None)
    delegating = bucket_policy({"AWS": ACCOUNT})
    result = run(unknown_user, policy(stmt()), resource_policy=delegating)
    assert result.decision is Decision.ALLOWED and result.undecided_features == ()
    elsewhere = bucket_policy({"AWS": f"arn:aws:iam::{OTHER}:user/x"})
    assert run(unknown_user, resource_policy=elsewhere).decision is Decision.IMPLICIT_DENY


def test_unknown_principal_account_makes_cross_account_undecided() -> None:
    grant = bucket_policy({"AWS": USER})
    caller = request(principal_arn="glue-job", principal_account=None, resource_account=OTHER)
    result = run(caller, policy(stmt()), resource_policy=grant)
    assert result.decision is Decision.UNDECIDED
    assert "whether the request is cross-account (the principal's account is unknown)" in result.undecided_features


def test_wildcard_principal_grant_under_a_boundary_is_undecided() -> None:
    boundary = policy(stmt(action="glue:*"), kind=PolicyType.PERMISSIONS_BOUNDARY)
    result = run(request(), resource_policy=bucket_policy("*"), boundary_policies=[boundary])
    assert result.decision is Decision.UNDECIDED
    assert result.undecided_features == ('a same-account resource-policy grant to Principal "*" when the permissions '
                                         "boundary does not allow the action",)
    assert decide(request(), resource_policy=bucket_policy("*")) == "allowed"


def test_role_principal_type_is_limited_by_its_boundary() -> None:
    boundary = policy(stmt(action="glue:*"), kind=PolicyType.PERMISSIONS_BOUNDARY)
    as_role = dict(principal_arn=ROLE, principal_type="Role")
    assert decide(request(**as_role), resource_policy=bucket_policy({"AWS": ROLE})) == "allowed"
    assert decide(request(**as_role), resource_policy=bucket_policy({"AWS": ROLE}), boundary_policies=[boundary]) \
        == "implicitDeny"


def test_service_principals_are_not_governed_by_scps() -> None:
    trust = policy(stmt(action="sts:AssumeRole", resource=None, Principal={"Service": "glue.amazonaws.com"}),
                   kind=PolicyType.TRUST)
    nothing = policy(stmt(action="glue:*"), kind=PolicyType.SCP)
    glue = request("sts:AssumeRole", ROLE, principal_arn="glue.amazonaws.com", principal_type="Service",
                   principal_account=None)
    assert decide(glue, resource_policy=trust, scp_levels=[[nothing]]) == "allowed"


def test_trace_explains_every_statement() -> None:
    p = policy(stmt(Sid="Read", resource="arn:aws:s3:::src-bucket/*"), stmt("Deny", action="s3:PutObject"),
               policy_id="role-inline")
    result = run(request(resource="arn:aws:s3:::other/x"), p)
    assert result.trace == (
        "implicitDeny: no identity-based policy statement allows it (implicit deny)",
        "Statement[0] 'Read' of identity policy 'role-inline' does not apply: Resource "
        "['arn:aws:s3:::src-bucket/*'] does not cover arn:aws:s3:::other/x",
        "Statement[1] of identity policy 'role-inline' does not apply: Action ['s3:PutObject'] does not "
        "cover s3:GetObject",
    )
    assert result.as_dict()["decision"] == "implicitDeny"


def test_a_delegating_key_policy_is_among_the_deciding_statements() -> None:
    key = "arn:aws:kms:us-east-1:111122223333:key/1"
    identity = policy(stmt(action="kms:Decrypt"))
    delegating = policy(stmt(action="kms:*", Principal={"AWS": f"arn:aws:iam::{ACCOUNT}:root"}),
                        kind=PolicyType.RESOURCE)
    result = run(request("kms:Decrypt", key), identity, resource_policy=delegating)
    assert [ref.policy_id for ref in result.deciding] == [identity.policy_id, delegating.policy_id]
