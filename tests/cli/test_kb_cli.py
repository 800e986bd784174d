"""``gluesim explain``, ``plan`` and ``kb``: exit codes, exact error lines, stable JSON, golden text.

Golden files live in tests/cli/golden/; regenerate them with ``GLUESIM_REGEN_GOLDEN=1``
and review the diff like code.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gluesim.kb.loader import load
from gluesim.kb.planner import plan
from support import run_cli as run
import support

GOLDEN = Path(__file__).parent / "golden"
FIXTURES = Path(__file__).resolve().parents[1] / "kb" / "fixtures"
SCENARIOS = Path(__file__).resolve().parents[2] / "simulator" / "data" / "scenarios"


def check_golden(name: str, text: str) -> None:
    support.check_golden(GOLDEN / name, text)


@pytest.mark.parametrize(
    ("argv", "golden"),
    [
        (["explain", "glue:BatchDeleteJob"], "explain-batch-delete-job.txt"),
        (["explain", "user.pass-job-role"], "explain-pass-job-role.txt"),
        (["explain", "AWSGlueConsoleFullAccess"], "explain-glue-console-full-access.txt"),
        (["plan", "run-job", "--done", "iam.glue-job-role"], "plan-run-job.txt"),
        (["kb", "show", "job-role.kms-key-access", "--format", "markdown"], "show-kms-key-access.md"),
    ],
)
def test_golden_output(capsys: pytest.CaptureFixture[str], argv: list[str], golden: str) -> None:
    code, out, err = run(capsys, *argv)
    assert (code, err) == (0, "")
    check_golden(golden, out)


@pytest.mark.parametrize(
    ("argv", "error"),
    [
        (["explain", "xyzzy"], "explain: nothing matches 'xyzzy'; try an entry id (gluesim kb list), an IAM action "
         "such as glue:BatchDeleteJob, a managed policy name, or other words"),
        (["explain", "glue:BatchDeleteJobs"], "explain: no Glue Studio requirement in the knowledge base needs "
         "'glue:BatchDeleteJobs'; did you mean 'glue:BatchDeleteJob' or 'glue:DeleteJob' or 'glue:CreateJob'?"),
        (["plan", "action.run-jobs"], "argument GOAL: unknown knowledge-base id 'action.run-jobs'; did you mean 'action.run-job'?"),
        (["plan", "--done", "iam.glue-role"], "--done: unknown knowledge-base id 'iam.glue-role'; did you mean "
         "'iam.glue-job-role'?"),
        (["kb", "show", "job-role.name-prefx"], "argument ID: unknown knowledge-base id 'job-role.name-prefx'; did you mean "
         "'job-role.name-prefix'?"),
        (["kb", "list", "--kind", "acton"], "--kind: unknown kind 'acton'; did you mean 'action'?"),
    ],
)
def test_bad_input_is_one_error_line_and_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str], error: str) -> None:
    code, out, err = run(capsys, *argv)
    assert (code, out, err) == (2, "", f"Error: {error}\n")


def test_explain_json_is_sorted_and_typed(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "explain", "glue:batchdeletejob", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["type"] == "iam-action"
    assert out.strip() == json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False)
    assert data["documented_in"] == ["glue-studio-setup-page-only"]


def test_explain_words_take_several_arguments(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "explain", "nat", "gateway", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["type"] == "search" and data["hits"][0]["id"] == "vpc.nat-gateway"


def test_explain_entry_markdown(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "explain", "run-job", "--format", "markdown")
    assert code == 0 and out.startswith("## Run a saved job\n\n`action.run-job` · Glue Studio action\n")


def test_default_plan_summary_line(capsys: pytest.CaptureFixture[str]) -> None:
    expected = plan(load())
    conditional = sum(1 for step in expected.steps if step.only_if)
    code, out, _ = run(capsys, "plan")
    assert code == 0 and conditional > 10
    assert out.splitlines()[-1] == (f"Plan: {len(expected.steps)} steps in {len(expected.waves)} waves "
                                    f"(0 already done, {conditional} only with some features).")
    assert out.splitlines()[0].startswith("Goals: action.create-job-catalog, ")


def test_plan_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "plan", "delete-jobs", "-d", "iam.glue-studio-user", "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert data["goals"] == ["action.delete-jobs"]
    assert data["summary"] == {"steps": len(data["waves"][0]) + sum(len(w) for w in data["waves"][1:]),
                               "waves": len(data["waves"]), "already_done": len(data["already_done"]),
                               "not_applicable": 0}
    assert data["features"] is None and data["for_account"] is False
    assert {step["status"] for wave in data["waves"] for step in wave} == {"todo"}
    assert data["waves"][-1][-1]["id"] == "action.delete-jobs"


@pytest.mark.parametrize("name", ["job-role.kms-key-access", "JOB-ROLE.KMS-KEY-ACCESS", "kms-key-access"])
def test_kb_show_accepts_id_any_case_or_unique_ending(capsys: pytest.CaptureFixture[str], name: str) -> None:
    code, out, _ = run(capsys, "kb", "show", name, "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["id"] == "job-role.kms-key-access"
    assert data["needed_by_actions"] == ["action.create-job-s3", "action.run-job"]


def test_plan_with_nothing_left(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "plan", "sign-in-console", "--done", "action.sign-in-console")
    assert code == 0
    assert out.splitlines()[-3:] == [
        "Nothing to do: every step the goals need is already done.",
        "",
        "Plan: 0 steps in 0 waves (10 already done).",
    ]


def test_kb_list_and_kinds(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "kb", "list", "--kind", "action", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["count"] == len(load().actions())
    code, out, _ = run(capsys, "kb", "list")
    assert code == 0 and out.splitlines()[-1] == f"{len(load())} entries."


def test_kb_check_shipped(capsys: pytest.CaptureFixture[str]) -> None:
    kb = load()
    code, out, err = run(capsys, "kb", "check")
    expected = f"Knowledge base OK: {len(kb)} entries, {len(kb.edges())} dependencies, {len(kb.files)} files, no cycles.\n"
    assert (code, out, err) == (0, expected, "")


def test_kb_check_broken_kb_is_a_problem_exit_1(capsys: pytest.CaptureFixture[str]) -> None:
    case = FIXTURES / "cycle"
    expected = (case / "expected.txt").read_text().strip().replace("{dir}", str(case))
    code, out, err = run(capsys, "kb", "check", str(case))
    assert (code, out, err) == (1, "", f"Error: {expected}\n")
    code, out, _ = run(capsys, "kb", "check", str(case), "--format", "json")
    assert (code, json.loads(out)) == (1, {"ok": False, "error": expected})


def test_kb_check_missing_folder_is_usage_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(capsys, "kb", "check", str(tmp_path / "nope"))
    assert (code, out) == (2, "")
    assert err == f"Error: {tmp_path / 'nope'}: is not a folder; expected a folder of knowledge-base *.yaml files\n"


def test_kb_graph_styles(capsys: pytest.CaptureFixture[str]) -> None:
    edges = load().edges()
    code, out, _ = run(capsys, "kb", "graph")
    assert code == 0 and out.startswith("flowchart LR\n") and out.count(" --> ") == len(edges)
    code, out, _ = run(capsys, "kb", "graph", "--as", "dot")
    assert code == 0 and out.startswith("digraph gluesim {") and out.count(" -> ") == len(edges)
    code, out, _ = run(capsys, "kb", "graph", "--as", "json")
    assert code == 0 and len(json.loads(out)["edges"]) == len(edges)
    code, out, _ = run(capsys, "kb", "graph", "--format", "markdown")
    assert code == 0 and out.startswith("```mermaid\nflowchart LR\n") and out.endswith("```\n")


@pytest.mark.parametrize("argv", [["explain"], ["plan"], ["kb", "list"], ["kb", "show"], ["kb", "check"], ["kb", "graph"]])
def test_help_teaches_with_examples(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    code, out, _ = run(capsys, *argv, "--help")
    assert code == 0
    assert "Examples:" in out and "--format" in out


def test_plan_with_features_leaves_out_what_does_not_apply(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "plan", "create-job-s3", "run-job", "--with", "kms", "--format", "json")
    with_kms = json.loads(out)
    code_plain, out, _ = run(capsys, "plan", "create-job-s3", "run-job", "--with", "", "--format", "json")
    plain = json.loads(out)
    ids = lambda data: {step["id"] for wave in data["waves"] for step in wave}  # noqa: E731
    assert code == code_plain == 0
    assert ids(with_kms) - ids(plain) == {"job-role.kms-key-access"}
    assert with_kms["features"] == ["kms", "s3"] and "job-role.kinesis-target-write" in with_kms["not_applicable"]
    assert not any(step["only_if"] for wave in with_kms["waves"] for step in wave)


@pytest.mark.parametrize("spelling", ["none", "NONE", "none,", ""])
def test_plan_with_none_is_the_plain_jobs_plan(capsys: pytest.CaptureFixture[str], spelling: str) -> None:
    code, out, _ = run(capsys, "plan", "create-job-s3", "run-job", "--with", spelling, "--format", "json")
    plain = json.loads(out)
    steps = {step["id"] for wave in plain["waves"] for step in wave}
    assert code == 0 and plain["features"] == ["s3"]
    assert "job-role.kms-key-access" not in steps and "job-role.s3-target-write" in steps
    assert not any(step["only_if"] for wave in plain["waves"] for step in wave)


def test_generic_plan_marks_conditional_steps(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "plan", "create-job-s3")
    assert code == 0
    lines = out.splitlines()
    kms = next(i for i, line in enumerate(lines) if ". + job-role.kms-key-access:" in line)
    assert lines[kms + 1].strip() == "only if kms"


def test_plan_with_an_unknown_feature(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "plan", "--with", "kms,vcp")
    assert (code, out, err) == (2, "", "Error: --with: unknown feature 'vcp'; did you mean 'vpc'?\n")


def test_plan_for_an_account_orders_only_what_fails(capsys: pytest.CaptureFixture[str]) -> None:
    scenario = str(SCENARIOS / "default.yaml")
    code, out, _ = run(capsys, "plan", "--for", scenario, "--format", "json")
    data = json.loads(out)
    steps = {step["id"]: step for wave in data["waves"] for step in wave}
    assert code == 0 and data["for_account"] is True
    assert steps["job-role.name-prefix"]["status"] == "missing"
    assert "GlueFlightDataRole" in steps["job-role.name-prefix"]["detail"]
    assert steps["user.batch-delete-jobs"]["why"] == ["user.batch-delete-jobs", "action.delete-jobs"]
    assert "job-role.s3-source-read" in data["already_done"] and "job-role.s3-source-read" not in steps
    assert "job-role.kms-key-access" not in steps  # no SSE-KMS bucket in this account


def test_plan_for_refuses_goals(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "plan", "run-job", "--for", str(SCENARIOS / "default.yaml"))
    assert (code, out) == (2, "")
    assert err == "Error: --for: plans for the actions the account has; leave out GOAL and --with\n"
