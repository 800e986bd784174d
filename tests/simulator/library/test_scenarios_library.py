"""The trainee scenario library: coverage of the seed page, expectations checked by the real engine,
answers that pass, and the checker's intent rules."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gluesim.kb.errors import GluesimError, LocatedError
from gluesim.simulator import scenario as loader
from gluesim.simulator import library
from gluesim.simulator.model import ExpectedFailure, ExpectedPass, PolicyDocument
from gluesim.simulator.engine import simulate

ANSWERS = Path(__file__).parents[1] / "answers"
NAMES = library.names()

# Every failure the seed page "Setting up for AWS Glue Studio" describes, and a scenario that
# isolates it (the engine must fail exactly this requirement there; see test_engine_agrees...).
SEED_FAILURES = {
    "job-role.s3-source-read": "s3-source-read",
    "job-role.s3-target-write": "s3-target-write",
    "job-role.name-prefix": "role-name-prefix",
    "user.pass-job-role": "passrole-custom-policy",
    "job-role.kms-key-access": "kms-role-policy",
    "user.cloudwatch-view-dashboards": "cloudwatch-dashboards",
    "user.cloudwatch-modify-dashboards": "cloudwatch-dashboards",
    "user.cloudwatch-delete-dashboards": "cloudwatch-dashboards",
    "user.batch-delete-jobs": "batch-delete-jobs",
    "job-role.connector-ecr": "marketplace-connector-ecr",
    "job-role.connector-get-job": "connector-get-job",
    "job-role.connection-secrets": "connection-secret",
    "vpc.nat-gateway": "vpc-nat-gateway",
    "vpc.s3-endpoint": "vpc-s3-endpoint",
    "job-role.redshift-cluster-role": "redshift-long-job",
    "catalog.tables-exist": "catalog-table-missing",
    "billing.activate-iam-access": "billing-access",
    "user.console-password": "console-access",
    "user.change-own-password": "first-sign-in-password",
}
# Failures the seed page describes in two forms: each form has its own scenario.
SECOND_FORMS = {
    ("user.pass-job-role", "role-name-prefix"),  # AWSGlueConsoleFullAccess with a non-prefixed role
    ("user.pass-job-role", "role-path"),  # ... or a prefixed role on another path
    ("job-role.kms-key-access", "kms-key-policy"),  # the key policy, not the role policy, refuses
}
# Failures from the pages the setup page points to (role creation, VPC configuration).
RELATED_FAILURES = {
    ("user.view-resources", "power-user"),
    ("user.pass-job-role", "power-user"),
    ("job-role.trusts-glue", "role-trust"),
    ("vpc.self-referencing-security-group", "vpc-security-group-dns"),
    ("vpc.dns-support", "vpc-security-group-dns"),
    ("user.use-glue-studio", "use-glue-studio"),  # the current "Review IAM permissions" page
    ("job-role.kinesis-source-read", "kinesis-stream-read"),  # "Adding Streaming ETL Jobs in AWS Glue"
    ("user.pass-job-role", "data-preview"),  # the current page's notebook and data preview permissions
    ("job-role.connector-jar-read", "custom-connector-jar"),  # "Creating custom connectors": the JAR in S3
}
# Scenarios built on the facts real accounts have (issue 10): the lesson each teaches.
REAL_ACCOUNT_SCENARIOS = {
    "region-guardrail-allowed": "job-role.s3-target-write",  # the Region guardrail allows the job's Region
    "region-guardrail-denied": "action.create-job-s3",  # ... and denies another one
    "tls-only-bucket": "job-role.s3-source-read",  # a TLS-only bucket policy never stops Glue
    "org-only-bucket": "job-role.s3-source-read",  # a perimeter naming the wrong organization does
    "cross-account-source": "job-role.s3-source-read",  # no bucket policy grant across accounts
    "cross-account-granted": "job-role.s3-source-read",  # a bucket policy grant, but no identity grant
    "catalog-table-unreadable": "job-role.s3-source-read",  # the table's S3 location is read as the job role
    "custom-connector-jar": "job-role.connector-jar-read",  # the connector's JAR is read as the job role
}


def entry(name: str) -> library.LibraryScenario:
    return library.get(name)


def failing_requirements(name: str) -> set[str]:
    return {failure.requirement for failure in entry(name).training.fails}


def test_library_has_at_least_fifteen_scenarios_and_the_default() -> None:
    assert len(NAMES) >= 15
    assert library.DEFAULT_NAME in NAMES


@pytest.mark.parametrize(("requirement", "name"), sorted(SEED_FAILURES.items()) + sorted(SECOND_FORMS | RELATED_FAILURES))
def test_every_seed_failure_has_a_scenario_expecting_it(requirement: str, name: str) -> None:
    assert requirement in failing_requirements(name)


@pytest.mark.parametrize(("name", "requirement"), sorted(REAL_ACCOUNT_SCENARIOS.items()))
def test_real_account_scenarios_teach_their_lesson(name: str, requirement: str) -> None:
    assert requirement in failing_requirements(name)
    assert entry(name).training.story and len(entry(name).training.hints) >= 3


def test_the_default_scenario_shows_the_typical_failures() -> None:
    assert {"job-role.name-prefix", "job-role.s3-target-write", "user.batch-delete-jobs"} <= failing_requirements(
        "default"
    )


def test_a_few_scenarios_combine_several_failures() -> None:
    combined = [name for name in NAMES if len(failing_requirements(name)) >= 3]
    assert len(combined) >= 3, combined


def test_the_clean_setup_passes_entirely() -> None:
    clean = entry("clean-setup")
    assert not clean.training.fails
    assert simulate(clean.scenario).passed


def test_every_difficulty_is_taught() -> None:
    assert {entry(name).training.difficulty for name in NAMES} == set(library.Difficulty)


def test_teaching_order_is_by_difficulty() -> None:
    levels = [item.training.difficulty for item in library.ordered()]
    rank = list(library.Difficulty)
    assert levels == sorted(levels, key=rank.index)


@pytest.mark.parametrize("name", NAMES)
def test_engine_agrees_with_the_expected_outcome(name: str) -> None:
    exercise = entry(name)
    seen = library.outcome(simulate(exercise.scenario))
    assert library.disagreements(exercise.training, seen) == []


@pytest.mark.parametrize("name", NAMES)
def test_the_hand_written_answer_passes_the_check(name: str) -> None:
    result = library.check(name, ANSWERS / f"{name}.yaml")
    assert [a for a in result.actions if a.status != "pass"] == []
    assert result.intent_changes == ()
    assert result.advice == ()
    assert result.passed


def test_a_broad_managed_policy_passes_with_advice() -> None:
    exercise = entry("s3-target-write")
    role = exercise.scenario.account.roles[0]
    broad = dataclasses.replace(role, managed_policies=(*role.managed_policies, "arn:aws:iam::aws:policy/AmazonS3FullAccess"))
    answer = dataclasses.replace(exercise.scenario, account=dataclasses.replace(exercise.scenario.account, roles=(broad,)))
    result = library.check_model(exercise, answer, "answer.yaml")
    assert result.passed
    assert result.advice == (
        "role 'AWSGlueServiceRole-ClickstreamCompact' now has AmazonS3FullAccess; it works, but grant only the "
        "actions and resources the task needs",
    )


def test_a_wildcard_inline_statement_passes_with_advice() -> None:
    exercise = entry("batch-delete-jobs")
    user = exercise.scenario.account.users[0]
    document = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "glue:*", "Resource": "*"}]}'
    everything = dataclasses.replace(user, inline_policies=(PolicyDocument("GlueEverything", document),))
    account = dataclasses.replace(exercise.scenario.account, users=(everything,))
    result = library.check_model(exercise, dataclasses.replace(exercise.scenario, account=account), "answer.yaml")
    assert result.passed
    assert result.advice == (
        "user 'omar' now has 'glue:*' on every resource; it works, but grant only the actions and resources the task needs",
    )


# Scenarios whose failure the automatic fix leaves to a person, and what it leaves: the fixer
# never lifts an explicit deny (here an organization SCP) by guessing, and a catalog table it
# creates has a data location only a person knows (the job's read of it stays unknown).
LEFT_TO_A_PERSON = {"org-guardrails": {"job-role.s3-target-write"},
                    "region-guardrail-denied": {"action.create-job-s3", "action.save-job", "action.run-job",
                                                "job-role.glue-service-permissions", "job-role.s3-script-and-temp"},
                    "org-only-bucket": {"job-role.s3-source-read", "job-role.s3-target-write"},
                    "catalog-table-missing": {"job-role.s3-source-read"},
                    "handover": {"job-role.s3-source-read"}}


@pytest.mark.parametrize("name", NAMES)
def test_the_generated_fix_answers_the_scenario(name: str) -> None:
    from gluesim.simulator.fix import fix

    exercise = entry(name)
    fixed = fix(exercise.scenario)
    result = library.check_model(exercise, fixed.fixed_scenario, "fixed.yaml")
    assert result.intent_changes == ()
    left = {requirement for a in result.actions for requirement, _ in a.failures}
    assert left == LEFT_TO_A_PERSON.get(name, set())
    assert {failure.requirement for failure in fixed.unresolved} == left
    assert result.passed == (name not in LEFT_TO_A_PERSON)


@pytest.mark.parametrize("name", [n for n in NAMES if n != "clean-setup"])
def test_the_unfixed_scenario_does_not_pass_the_check(name: str) -> None:
    result = library.check(name, entry(name).path)
    assert not result.passed
    failing = {(a.actor, a.action) for a in result.actions if a.status == "fail"}
    assert failing == {(f.actor, f.action) for f in entry(name).training.fails}


def test_removing_a_job_is_an_intent_change() -> None:
    exercise = entry("s3-source-read")
    answer = dataclasses.replace(exercise.scenario, jobs=())
    result = library.check_model(exercise, answer, "answer.yaml")
    assert "job 'orders-to-parquet' is gone" in result.intent_changes
    assert not result.passed


def test_dropping_sse_kms_is_an_intent_change() -> None:
    exercise = entry("kms-role-policy")
    account = exercise.scenario.account
    plain = tuple(dataclasses.replace(b, encryption=b.encryption.SSE_S3, kms_key=None) for b in account.buckets)
    answer = dataclasses.replace(exercise.scenario, account=dataclasses.replace(account, buckets=plain))
    result = library.check_model(exercise, answer, "answer.yaml")
    assert result.intent_changes == (
        "job 'ledger-import': encryption of bucket 'anycompany-finance-exports' changed from SSE-KMS to SSE-S3",
    )
    assert not result.passed


def test_an_action_the_answer_no_longer_checks_is_reported_missing() -> None:
    exercise = entry("batch-delete-jobs")
    fixed = loader.load(ANSWERS / "batch-delete-jobs.yaml")
    result = library.check_model(exercise, dataclasses.replace(fixed, checks=()), "answer.yaml")
    assert [(a.actor, a.action, a.status) for a in result.actions] == [("omar", "action.delete-jobs", "missing")]
    assert "the check of omar's action.delete-jobs is gone" in result.intent_changes


@given(st.sampled_from(NAMES))
def test_a_scenario_keeps_its_own_intent(name: str) -> None:
    model = entry(name).scenario
    assert library.intent_changes(model, model) == []


@given(st.sampled_from([n for n in NAMES if entry(n).scenario.jobs]), st.data())
def test_changing_any_job_source_or_target_is_an_intent_change(name: str, data: st.DataObject) -> None:
    model = entry(name).scenario
    index = data.draw(st.integers(0, len(model.jobs) - 1))
    field = data.draw(st.sampled_from(["sources", "targets", "created_by"]))
    job = model.jobs[index]
    changed = dataclasses.replace(job, **{field: () if field != "created_by" else job.created_by + "-2"})
    if changed == job:  # a job without targets cannot lose them
        return
    jobs = model.jobs[:index] + (changed,) + model.jobs[index + 1 :]
    assert library.intent_changes(model, dataclasses.replace(model, jobs=jobs))


def test_unknown_name_offers_the_closest() -> None:
    with pytest.raises(GluesimError) as caught:
        library.get("role-name-prefx")
    assert str(caught.value) == "no scenario named 'role-name-prefx' in the library; did you mean 'role-name-prefix'?"


def test_unknown_name_without_a_close_one_points_to_the_list() -> None:
    with pytest.raises(GluesimError) as caught:
        library.get("zzz")
    assert str(caught.value) == "no scenario named 'zzz' in the library; run 'gluesim scenarios list' to see them"


def write_variant(tmp_path: Path, old: str, new: str, source: str = "batch-delete-jobs") -> Path:
    text = entry(source).source()
    assert text.count(old) == 1
    path = tmp_path / "variant.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "requirement: user.batch-delete-jobs",
            "requirement: user.batch-delete-job",
            "training.expect.fails: 'user.batch-delete-job' is not a knowledge base id; did you mean 'user.batch-delete-jobs'?",
        ),
        (
            "action: action.delete-jobs, requirement",
            "action: action.delete-job, requirement",
            "training.expect.fails: 'action.delete-job' is not a knowledge base action; did you mean 'action.delete-jobs'?",
        ),
        (
            "{actor: omar, action: action.delete-jobs, requirement",
            "{actor: omer, action: action.delete-jobs, requirement",
            "training.expect.fails: actor 'omer' is not a user of the scenario; did you mean 'omar'?",
        ),
        ("    - Add glue:BatchDeleteJob to Omar's policy.\n", "    - '  '\n", "training.hints: is missing or has an empty hint; give at least one hint"),
    ],
)
def test_a_broken_training_section_is_one_located_error(tmp_path: Path, old: str, new: str, message: str) -> None:
    path = write_variant(tmp_path, old, new)
    with pytest.raises(LocatedError) as caught:
        library.read(path)
    assert str(caught.value) == f"{path}: {message}"


def test_a_file_without_training_is_not_a_library_scenario(tmp_path: Path) -> None:
    text = entry("batch-delete-jobs").source()
    path = tmp_path / "plain.yaml"
    path.write_text(text[: text.index("training:")], encoding="utf-8")
    with pytest.raises(LocatedError) as caught:
        library.read(path)
    assert str(caught.value) == f"{path}: has no 'training:' section; a library scenario needs one"


def test_expecting_one_action_both_to_fail_and_to_pass_is_refused(tmp_path: Path) -> None:
    path = write_variant(
        tmp_path, "  expect:\n", "  expect:\n    passes:\n      - {actor: omar, action: action.delete-jobs}\n"
    )
    with pytest.raises(LocatedError) as caught:
        library.read(path)
    assert str(caught.value) == f"{path}: training.expect: omar's action.delete-jobs is expected both to fail and to pass"


def test_disagreements_name_every_kind_of_difference() -> None:
    exercise = entry("batch-delete-jobs")
    seen = library.outcome(simulate(exercise.scenario))
    wrong = dataclasses.replace(
        exercise.training,
        fails=frozenset({ExpectedFailure("omar", "action.delete-jobs", "user.console-password")}),
        passes=frozenset({ExpectedPass("omar", "action.view-dashboards")}),
    )
    assert library.disagreements(wrong, seen) == [
        "expected omar's action.delete-jobs to fail user.console-password, but the engine does not fail it there",
        "the engine fails omar's action.delete-jobs on user.batch-delete-jobs, which the scenario does not expect",
        "expected omar's action.view-dashboards to pass, but the engine does not pass it",
    ]
    silent = dataclasses.replace(exercise.training, fails=frozenset(), passes=frozenset())
    assert library.disagreements(silent, seen)[-1] == (
        "the engine checks omar's action.delete-jobs, which the scenario's expectation does not mention"
    )


@given(st.sampled_from(NAMES), st.booleans(), st.randoms(use_true_random=False))
def test_the_order_of_entries_in_an_answer_never_changes_the_check(name: str, fixed: bool, rng: Any) -> None:
    exercise = entry(name)
    answer = loader.load(ANSWERS / f"{name}.yaml") if fixed else exercise.scenario
    account = answer.account
    shuffled = {
        field: tuple(rng.sample(getattr(account, field), len(getattr(account, field))))
        for field in ("users", "groups", "roles", "managed_policies", "buckets", "connections", "data_stores")
    }
    reordered = dataclasses.replace(
        answer,
        account=dataclasses.replace(account, **shuffled),
        jobs=tuple(rng.sample(answer.jobs, len(answer.jobs))),
        checks=tuple(rng.sample(answer.checks, len(answer.checks))),
    )
    assert library.check_model(exercise, reordered, "a") == library.check_model(exercise, answer, "a")
