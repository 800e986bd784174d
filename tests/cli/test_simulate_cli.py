"""``gluesim simulate``, ``fix`` and ``scenario``: exit codes, formats, exact error lines, atomic writes."""

from __future__ import annotations

import json
import xml.dom.minidom
from pathlib import Path

import pytest

from support import run_cli as run

FIXTURES = Path(__file__).resolve().parent.parent / "simulator" / "fixtures"
TYPICAL = str(FIXTURES / "typical.yaml")
PASSING = str(FIXTURES / "passing.yaml")


def test_failing_scenario_exits_1_and_passing_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "simulate", TYPICAL)
    assert code == 1 and out.startswith("Scenario typical (account 123456789012): 5 pass, 7 fail, 0 unknown")
    code, out, _ = run(capsys, "simulate", PASSING)
    assert code == 0 and "0 fail" in out


def test_default_scenario_runs_without_an_argument(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "simulate")
    assert code in (0, 1) and out.startswith("Scenario ") and err == ""


def test_json_format_is_the_report_as_data(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "simulate", TYPICAL, "--format", "json")
    data = json.loads(out)
    assert code == 1 and data["passed"] is False and data["counts"] == {"pass": 5, "fail": 7, "unknown": 0}
    failure = next(f for r in data["results"] for f in r["failures"] if f["requirement"] == "user.pass-job-role")
    assert failure["iam"]["context"] == {"iam:PassedToService": ["glue.amazonaws.com"]}
    assert "trace" not in failure["iam"]["evaluation"]


def test_explain_adds_the_evaluator_trace(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "simulate", TYPICAL, "--format", "json", "--explain", "--action", "save-job")
    failure = next(f for r in json.loads(out)["results"] for f in r["failures"] if f.get("iam"))
    assert failure["iam"]["evaluation"]["trace"][0].startswith("implicitDeny: ")
    _, out, _ = run(capsys, "simulate", TYPICAL, "--explain", "--action", "save-job")
    assert "trace: implicitDeny:" in out and "checked: " in out


def test_junit_has_one_testcase_per_actor_and_action(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "simulate", TYPICAL, "-f", "junit")
    document = xml.dom.minidom.parseString(out)
    cases = document.getElementsByTagName("testcase")
    assert code == 1 and len(cases) == 12
    assert len(document.getElementsByTagName("failure")) == 7


def test_junit_escapes_names_and_drops_characters_xml_cannot_hold(capsys: pytest.CaptureFixture[str],
                                                                    tmp_path: Path) -> None:
    text = Path(PASSING).read_text().replace(" ana", ' "a<b&c\\x01"')
    path = tmp_path / "odd.yaml"
    path.write_text(text)
    code, out, _ = run(capsys, "simulate", str(path), "--format", "junit")
    cases = xml.dom.minidom.parseString(out).getElementsByTagName("testcase")
    assert code == 0 and cases[0].getAttribute("classname") == "gluesim.a<b&c\ufffd"


def test_markdown_format(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "simulate", TYPICAL, "--format", "markdown", "--actor", "Administrator")
    assert code == 1 and out.startswith("# Scenario typical") and "| fail | Administrator |" in out


def test_filters_select_results(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "simulate", TYPICAL, "--action", "delete-jobs", "--actor", "analyst")
    assert code == 0 and out.splitlines()[2] == "PASS    analyst: delete-jobs" and len(out.splitlines()) == 5
    assert out.splitlines()[0] == out.splitlines()[-1]  # the summary first and last


@pytest.mark.parametrize(("args", "expected"), [
    (("simulate", TYPICAL, "--action", "run-jobs"),
     "Error: --action: unknown action 'run-jobs'; did you mean 'run-job'?"),
    (("simulate", TYPICAL, "--actor", "analist"),
     "Error: --actor: unknown user 'analist'; did you mean 'analyst'?"),
    (("simulate", "/nonexistent/s.yaml"), "Error: /nonexistent/s.yaml: no such file; expected a scenario file"),
])
def test_bad_arguments_exit_2_with_one_error_line(capsys: pytest.CaptureFixture[str], args: tuple,
                                                  expected: str) -> None:
    code, out, err = run(capsys, *args)
    assert (code, out, err) == (2, "", expected + "\n")


def test_bad_scenario_is_one_located_error_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(Path(PASSING).read_text().replace("role: AWSGlueServiceRole-Test", "role: AWSGlueServiceRole-Tset"))
    code, out, err = run(capsys, "simulate", str(path))
    assert code == 2 and out == ""
    assert err == (f"Error: {path}:32: job 'copy' refers to unknown role 'AWSGlueServiceRole-Tset'; "
                   "did you mean 'AWSGlueServiceRole-Test'?\n")
    assert run(capsys, "scenario", "check", str(path))[0] == 2


def test_scenario_check_and_schema(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "scenario", "check", TYPICAL)
    assert code == 0 and out == f"{TYPICAL}: valid scenario (2 users, 2 roles, 2 jobs, 4 checks)\n"
    code, out, _ = run(capsys, "scenario", "check", TYPICAL, "--format", "json")
    assert code == 0 and json.loads(out) == {"file": TYPICAL, "valid": True, "users": 2, "roles": 2, "jobs": 2,
                                             "checks": 4}
    code, out, _ = run(capsys, "scenario", "schema")
    schema = json.loads(out)
    assert code == 0 and schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_fix_writes_a_scenario_that_passes(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "fixed.yaml"
    code, out, _ = run(capsys, "fix", TYPICAL, "--write", str(target))
    # The catalog table the fix creates has a data location only a person knows: left unresolved.
    assert code == 1 and out.startswith("Fix plan: 8 step(s); failing or unknown actions 7 -> 2")
    assert "give the table's S3 location" in out
    assert out.rstrip().endswith(f"Wrote the fixed scenario to {target}")
    fixed = target.read_text().replace("tables: [raw, curated]", "tables: [raw, {name: curated, location: 's3://flights-curated/'}]")
    assert fixed != target.read_text()
    target.write_text(fixed)  # with the table's location given, the job role's write to it is checked
    assert run(capsys, "simulate", str(target))[0] == 1
    again = tmp_path / "fixed-again.yaml"
    assert run(capsys, "fix", str(target), "--write", str(again))[0] == 0
    assert run(capsys, "simulate", str(again))[0] == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fixed-again.yaml", "fixed.yaml"]  # no temporary file left


def test_fix_of_a_passing_scenario_has_no_steps(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "fix", PASSING, "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["steps"] == [] and data["passed_before"] is True


def test_fix_never_writes_on_bad_input(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("account: {id: 1}\n")
    target = tmp_path / "out.yaml"
    code, _, err = run(capsys, "fix", str(bad), "--write", str(target))
    assert code == 2 and err.startswith(f"Error: {bad}:1: account.id is 1 (an integer)") and not target.exists()
    code, _, err = run(capsys, "fix", TYPICAL, "--write", str(tmp_path))
    assert (code, err) == (2, f"Error: --write {str(tmp_path)!r}: is a folder; expected a file name to write\n")
