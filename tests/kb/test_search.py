"""``explain`` resolution and the managed-policy reader behind it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gluesim.kb import policies
from gluesim.kb.errors import GluesimError
from gluesim.kb.loader import load
from gluesim.kb.policies import action_matches, load_policy
from gluesim.kb.search import EntryAnswer, IamActionAnswer, PolicyAnswer, SearchAnswer, explain, search


def test_entry_id_any_case_and_action_short_name() -> None:
    for term in ("job-role.name-prefix", "JOB-ROLE.NAME-PREFIX"):
        answer = explain(load(), term)
        assert isinstance(answer, EntryAnswer) and answer.entry.id == "job-role.name-prefix"
        assert "action.save-job" in answer.needed_by
    answer = explain(load(), "run-job")
    assert isinstance(answer, EntryAnswer) and answer.entry.id == "action.run-job"


def test_unique_id_suffix_names_the_entry() -> None:
    answer = explain(load(), "kms-key-access")
    assert isinstance(answer, EntryAnswer) and answer.entry.id == "job-role.kms-key-access"
    assert answer.blocks == ("action.create-job-s3", "action.run-job")


def test_actions_needing_follows_dependents_to_actions_only() -> None:
    kb = load()
    assert kb.actions_needing("user.batch-delete-jobs") == ("action.delete-jobs",)
    assert set(kb.actions_needing("account.sign-up")) == {a.id for a in kb.actions()}
    assert kb.actions_needing("action.run-job") == ()
    assert kb.actions_needing("user.delete-job-glue-console") == ()


@pytest.mark.parametrize("term", ["glue:BatchDeleteJob", "glue:batchdeletejob", "GLUE:BATCHDELETEJOB"])
def test_iam_action_any_case(term: str) -> None:
    answer = explain(load(), term)
    assert isinstance(answer, IamActionAnswer)
    assert [use.entry.id for use in answer.uses] == ["user.batch-delete-jobs"]
    assert answer.documented_in == ("glue-studio-setup-page-only",)
    granting = {grant.policy for grant in answer.granted_by if grant.allow}
    assert {"AWSGlueConsoleFullAccess", "AdministratorAccess", "AWSGlueServiceRole"} <= granting
    assert "CloudWatchFullAccess" not in granting


def test_pass_role_grants_show_their_resource_and_condition() -> None:
    answer = explain(load(), "iam:PassRole")
    assert isinstance(answer, IamActionAnswer)
    (console,) = [g for g in answer.granted_by if g.policy == "AWSGlueConsoleFullAccess"]
    assert console.allow == (8, 9, 10)
    assert [s.resources for s in console.statements][0] == ("arn:aws:iam::*:role/AWSGlueServiceRole*",)  # type: ignore[attr-defined]
    assert "PowerUserAccess" not in {g.policy for g in answer.granted_by}


def test_kms_reencrypt_as_written_on_the_page_finds_the_wildcard() -> None:
    answer = explain(load(), "kms:ReEncrypt")
    assert isinstance(answer, IamActionAnswer)
    assert {use.entry.id for use in answer.uses} == {"job-role.kms-key-access"}
    assert all(use.matched == ("kms:ReEncrypt*",) for use in answer.uses)


def test_iam_wildcard_term_finds_every_matching_requirement() -> None:
    answer = explain(load(), "cloudwatch:*Dashboard*")
    assert isinstance(answer, IamActionAnswer)
    assert {use.entry.id for use in answer.uses} == {
        "user.cloudwatch-view-dashboards",
        "user.cloudwatch-modify-dashboards",
        "user.cloudwatch-delete-dashboards",
    }


def test_glue_console_full_access_passes_only_glue_service_roles() -> None:
    answer = explain(load(), "awsglueconsolefullaccess")
    assert isinstance(answer, PolicyAnswer) and answer.name == "AWSGlueConsoleFullAccess"
    assert answer.arn == "arn:aws:iam::aws:policy/AWSGlueConsoleFullAccess"
    pass_role = [u.statement for u in answer.statements if "iam:PassRole" in u.kb_actions]
    assert [s.resources for s in pass_role] == [  # type: ignore[attr-defined]
        ("arn:aws:iam::*:role/AWSGlueServiceRole*",),
        ("arn:aws:iam::*:role/AWSGlueServiceNotebookRole*",),
        ("arn:aws:iam::*:role/service-role/AWSGlueServiceRole*",),
    ]
    assert pass_role[0].condition == {"StringLike": {"iam:PassedToService": ["glue.amazonaws.com"]}}  # type: ignore[attr-defined]
    assert answer.not_granted["user"] == (
        "cloudwatch:DeleteDashboards",
        "cloudwatch:GetDashboard",
        "cloudwatch:PutDashboard",
        "iam:ChangePassword",
        "iam:GetAccountPasswordPolicy",
    )
    assert "cloudwatch:ListDashboards" in answer.granted


def test_administrator_access_grants_everything_the_kb_needs() -> None:
    answer = explain(load(), "AdministratorAccess")
    assert isinstance(answer, PolicyAnswer)
    assert answer.not_granted == {}
    assert set(answer.granted) == set(load().iam_actions())


def test_power_user_notaction_excludes_iam() -> None:
    answer = explain(load(), "PowerUserAccess")
    assert isinstance(answer, PolicyAnswer)
    assert "iam:PassRole" in answer.not_granted["user"]
    assert "glue:BatchDeleteJob" in answer.granted


@pytest.mark.parametrize(
    ("words", "first"),
    [("nat gateway", "vpc.nat-gateway"), ("NAT", "vpc.nat-gateway"), ("redshift", "job-role.redshift-cluster-role"),
     ("security group", "vpc.self-referencing-security-group"), ("root credentials", "admin.lock-away-root")],
)
def test_free_words_rank_the_obvious_entry_first(words: str, first: str) -> None:
    answer = explain(load(), words)
    assert isinstance(answer, SearchAnswer)
    ids = [entry.id for entry, _ in answer.hits]
    assert first in ids[:2], ids
    scores = [score for _, score in answer.hits]
    assert scores == sorted(scores, reverse=True)


def test_every_word_must_match() -> None:
    assert search(load(), "nat kinesis") == ()


def test_unknown_term_suggests_close_names() -> None:
    with pytest.raises(GluesimError) as caught:
        explain(load(), "action.runjob")
    assert str(caught.value) == (
        "explain: nothing matches 'action.runjob'; did you mean 'action.run-job' or 'action.save-job' "
        "or 'action.create-job-s3'?"
    )


def test_unknown_iam_action_suggests_known_ones() -> None:
    with pytest.raises(GluesimError) as caught:
        explain(load(), "glue:BatchDeleteJobs")
    assert str(caught.value).startswith(
        "explain: no Glue Studio requirement in the knowledge base needs 'glue:BatchDeleteJobs'; "
        "did you mean 'glue:BatchDeleteJob'"
    )


def test_empty_term_is_an_error() -> None:
    with pytest.raises(GluesimError):
        explain(load(), "   ")


@given(st.sampled_from(sorted(load().iam_actions())), st.data())
def test_action_matching_ignores_case(action: str, data: st.DataObject) -> None:
    flipped = "".join(c.upper() if data.draw(st.booleans()) else c.lower() for c in action)
    assert action_matches(action, flipped)
    assert action_matches("*", flipped)
    assert action_matches(action.split(":")[0] + ":*", flipped)


def test_action_matching_wildcards() -> None:
    assert action_matches("kms:ReEncrypt*", "kms:ReEncryptFrom")
    assert action_matches("s3:Get?bject", "s3:GetObject")
    assert not action_matches("kms:ReEncryptFrom", "kms:ReEncrypt*")
    assert not action_matches("s3:Get", "s3:GetObject")
    assert not action_matches("s3:GetObject", "s3:GetObjectAcl")


def test_every_shipped_policy_reads() -> None:
    for name in policies.policy_names():
        policy = load_policy(name)
        assert policy.statements and policy.arn and policy.arn.endswith("/" + name)


def test_unknown_policy_name() -> None:
    with pytest.raises(GluesimError) as caught:
        load_policy("AWSGlueConsoleFullAcess")
    assert str(caught.value) == "unknown managed policy 'AWSGlueConsoleFullAcess'; did you mean 'AWSGlueConsoleFullAccess'?"


@given(st.sampled_from(sorted(load().entries)))
def test_every_id_explains_to_its_entry(entry_id: str) -> None:
    answer = explain(load(), entry_id)
    assert isinstance(answer, EntryAnswer) and answer.entry.id == entry_id
    assert answer.needed_by == load().dependents(entry_id)


@given(st.sampled_from(sorted(load().iam_actions())))
def test_every_kb_iam_action_explains_to_the_entries_needing_it(action: str) -> None:
    answer = explain(load(), action)
    assert isinstance(answer, IamActionAnswer)
    assert {e.id for e in load().iam_actions()[action]} <= {use.entry.id for use in answer.uses}


def test_a_one_word_policy_name_needs_its_exact_case() -> None:
    assert isinstance(explain(load(), "billing"), SearchAnswer)
    answer = explain(load(), "Billing")
    assert isinstance(answer, PolicyAnswer) and answer.arn == "arn:aws:iam::aws:policy/job-function/Billing"


@given(st.sampled_from(policies.policy_names()))
def test_every_shipped_policy_explains(name: str) -> None:
    answer = explain(load(), name)
    assert isinstance(answer, PolicyAnswer) and answer.name == name
    assert set(answer.granted).isdisjoint(a for actions in answer.not_granted.values() for a in actions)
