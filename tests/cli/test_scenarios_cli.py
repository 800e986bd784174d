"""``gluesim scenarios``: list, show with hints, try, check; formats, exit codes and exact errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gluesim.cli.app import main
from gluesim.simulator import library
import support

ANSWERS = Path(__file__).resolve().parent.parent / "simulator" / "answers"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["scenarios", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_list_shows_every_scenario_easiest_first(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "list")
    assert code == 0
    rows = [line.split()[0] for line in out.splitlines()[1 : 1 + len(library.names())]]
    assert rows == [entry.name for entry in library.ordered()]
    assert sorted(rows) == library.names()


def test_list_as_json_is_one_object_per_scenario(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "list", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert [item["name"] for item in data] == [entry.name for entry in library.ordered()]
    assert set(data[0]) == {"name", "title", "difficulty", "hints"}


def test_list_as_markdown_is_a_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "list", "--format", "markdown")
    assert code == 0
    lines = out.splitlines()
    assert lines[:2] == ["| Scenario | Difficulty | Title |", "|---|---|---|"]
    assert "| `clean-setup` | beginner | A clean setup, for reference |" in lines


def test_list_filters_by_difficulty(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "list", "--difficulty", "advanced", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data and {item["difficulty"] for item in data} == {"advanced"}


def test_list_refuses_an_unknown_difficulty(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "list", "--difficulty", "expert")
    assert (code, out) == (2, "")
    assert err == "Error: --difficulty: unknown difficulty 'expert'; expected beginner, intermediate or advanced\n"


def test_show_tells_the_story_without_hints(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "show", "batch-delete-jobs")
    training = library.get("batch-delete-jobs").training
    assert code == 0
    assert out.splitlines()[0] == "Spring cleaning  (beginner)"
    assert "Omar maintains the Glue jobs" in out
    assert not any(hint in out for hint in training.hints)
    assert out.rstrip().endswith("'gluesim scenarios show batch-delete-jobs --hint 1' reveals hint 1 of 3.")


def test_show_reveals_hints_one_by_one(capsys: pytest.CaptureFixture[str]) -> None:
    hints = library.get("batch-delete-jobs").training.hints
    code, out, _ = run(capsys, "show", "batch-delete-jobs", "--hint", "2", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert [h["text"] for h in data["hints"]] == list(hints[:2])
    assert data["hints_total"] == 3


def test_show_with_every_hint_points_to_try_and_check(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "show", "batch-delete-jobs", "--hint", "3", "--format", "markdown")
    assert code == 0
    assert out.startswith("# Spring cleaning\n\n*Difficulty: beginner*\n")
    assert "3. Add glue:BatchDeleteJob to Omar's policy." in out
    assert "gluesim scenarios check batch-delete-jobs --answer FIXED.yaml" in out


def test_show_refuses_a_hint_beyond_the_last(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "show", "batch-delete-jobs", "--hint", "4")
    assert (code, out) == (2, "")
    assert err == "Error: --hint: 'batch-delete-jobs' has 3 hints; expected a number from 1 to 3\n"


def test_show_yaml_prints_the_scenario_file(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "show", "default", "--yaml")
    assert code == 0
    assert out == library.get("default").source().rstrip("\n") + "\n"


def test_show_unknown_scenario_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "show", "clean-set-up")
    assert (code, out) == (2, "")
    assert err == "Error: argument NAME: no scenario named 'clean-set-up' in the library; did you mean 'clean-setup'?\n"


def test_try_a_failing_scenario_exits_one(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "try", "batch-delete-jobs")
    assert code == 1
    assert "user.batch-delete-jobs" in out


def test_try_the_clean_setup_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = run(capsys, "try", "clean-setup")
    assert code == 0


def test_try_as_json_is_the_engine_report(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "try", "batch-delete-jobs", "--format", "json")
    assert code == 1
    assert "user.batch-delete-jobs" in json.dumps(json.loads(out))


def test_check_a_good_answer_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    answer = ANSWERS / "default.yaml"
    code, out, _ = run(capsys, "check", "default", "--answer", str(answer))
    assert code == 0
    assert out.splitlines()[0] == f"PASSED: your answer to 'default' ({answer})"
    assert "FAIL" not in out


def test_check_the_unfixed_file_exits_one_and_names_the_requirement(capsys: pytest.CaptureFixture[str]) -> None:
    path = library.get("batch-delete-jobs").path
    code, out, _ = run(capsys, "check", "batch-delete-jobs", "--answer", str(path))
    assert code == 1
    assert out.splitlines()[0].startswith("NOT YET: your answer to 'batch-delete-jobs'")
    assert "  FAIL omar: action.delete-jobs" in out
    assert "user.batch-delete-jobs:" in out


def test_check_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    path = library.get("batch-delete-jobs").path
    code, out, _ = run(capsys, "check", "batch-delete-jobs", "--answer", str(path), "--format", "json")
    data = json.loads(out)
    assert code == 1
    assert data["passed"] is False
    assert [(a["actor"], a["action"], a["status"]) for a in data["actions"]] == [
        ("omar", "action.delete-jobs", "fail")
    ]
    assert data["actions"][0]["failures"][0]["requirement"] == "user.batch-delete-jobs"


def test_check_as_markdown(capsys: pytest.CaptureFixture[str]) -> None:
    answer = ANSWERS / "batch-delete-jobs.yaml"
    code, out, _ = run(capsys, "check", "batch-delete-jobs", "--answer", str(answer), "--format", "markdown")
    assert code == 0
    assert out.splitlines()[0] == "# Answer to `batch-delete-jobs`: passed"
    assert "| omar | `action.delete-jobs` | pass |  |" in out


def test_check_a_missing_answer_file_is_one_located_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    missing = tmp_path / "mine.yaml"
    code, out, err = run(capsys, "check", "default", "--answer", str(missing))
    assert (code, out) == (2, "")
    assert err == f"Error: {missing}: no such file; expected a scenario file\n"


def test_check_an_answer_with_a_typo_is_one_located_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    text = (ANSWERS / "batch-delete-jobs.yaml").read_text()
    answer = tmp_path / "mine.yaml"
    answer.write_text(text.replace("console_access: true", "consle_access: true"))
    code, out, err = run(capsys, "check", "batch-delete-jobs", "--answer", str(answer))
    assert (code, out) == (2, "")
    assert err.startswith(f"Error: {answer}:")
    assert "did you mean 'console_access'?" in err
    assert err.count("\n") == 1


# Golden output: every shipped scenario's report as a trainee sees it with 'scenarios try', plus
# the list, a story with all hints and a check. Regenerate with GLUESIM_REGEN_GOLDEN=1 and review
# the diff like code.
GOLDEN = Path(__file__).parent / "golden" / "scenarios"
ANSWER_FOR_GOLDEN = "tests/simulator/answers/default.yaml"


def check_golden(name: str, text: str) -> None:
    support.check_golden(GOLDEN / name, text)


@pytest.mark.parametrize("name", library.names())
def test_try_report_matches_golden(capsys: pytest.CaptureFixture[str], name: str) -> None:
    code, out, _ = run(capsys, "try", name)
    assert code == (0 if name == "clean-setup" else 1)
    check_golden(f"try-{name}.txt", out)


@pytest.mark.parametrize(
    ("argv", "golden"),
    [
        (["list"], "list.txt"),
        (["show", "default", "--hint", "4"], "show-default-all-hints.txt"),
        (["show", "default", "--hint", "1", "--format", "markdown"], "show-default-hint-1.md"),
        (["check", "default", "--answer", "simulator/data/scenarios/default.yaml"], "check-default-unfixed.txt"),
        (["check", "default", "--answer", ANSWER_FOR_GOLDEN, "--format", "markdown"], "check-default-fixed.md"),
    ],
)
def test_output_matches_golden(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, argv: list[str], golden: str
) -> None:
    monkeypatch.chdir(Path(__file__).resolve().parent.parent.parent)  # relative answer paths in the output
    _, out, _ = run(capsys, *argv)
    check_golden(golden, out)
