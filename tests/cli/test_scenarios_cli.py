"""``gluesim scenarios``: list, next, show with hints, try, check, watch; progress, formats, exit codes, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gluesim.cli.app import main
from gluesim.simulator import library
import support

ANSWERS = Path(__file__).resolve().parent.parent / "simulator" / "answers"


@pytest.fixture(autouse=True)
def state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test starts with no progress, kept in its own folder."""
    folder = tmp_path / "state"
    monkeypatch.setenv("GLUESIM_STATE_DIR", str(folder))
    return folder


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["scenarios", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_list_shows_every_scenario_easiest_first(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "list")
    assert code == 0
    rows = [line.split()[0] for line in out.splitlines()[1 : 1 + len(library.names())]]  # nothing done yet
    assert rows == [entry.name for entry in library.ordered()]
    assert sorted(rows) == library.names()


def test_list_as_json_is_one_object_per_scenario(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "list", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert [item["name"] for item in data] == [entry.name for entry in library.ordered()]
    assert set(data[0]) == {"name", "title", "difficulty", "hints", "done"}


def test_list_as_markdown_is_a_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "list", "--format", "markdown")
    assert code == 0
    lines = out.splitlines()
    assert lines[:2] == ["| Done | Scenario | Difficulty | Title |", "|---|---|---|---|"]
    assert "|  | `clean-setup` | beginner | A clean setup, for reference |" in lines


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


def test_show_yaml_prints_the_starting_file_without_the_answer(capsys: pytest.CaptureFixture[str]) -> None:
    entry = library.get("default")
    code, out, _ = run(capsys, "show", "default", "--yaml")
    assert code == 0
    assert out == entry.starting()
    assert "training:" not in out and "expect:" not in out and "description:" not in out
    assert not any(hint[:40] in out for hint in entry.training.hints)


def test_show_answer_prints_the_whole_file(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "show", "default", "--answer")
    assert code == 0
    assert out == library.get("default").source().rstrip("\n") + "\n"


def test_hints_read_are_remembered(capsys: pytest.CaptureFixture[str], state: Path) -> None:
    run(capsys, "show", "batch-delete-jobs", "--hint", "2")
    run(capsys, "show", "batch-delete-jobs", "--hint", "1")
    assert json.loads((state / "progress.json").read_text())["hints"] == {"batch-delete-jobs": 2}


def test_show_unknown_scenario_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "show", "clean-set-up")
    assert (code, out) == (2, "")
    assert err == "Error: argument NAME: no scenario named 'clean-set-up' in the library; did you mean 'clean-setup'?\n"


def test_try_a_failing_scenario_exits_one_and_hides_the_fix(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "try", "batch-delete-jobs")
    assert code == 1
    assert "user.batch-delete-jobs" in out
    assert "allow glue:BatchDeleteJob" not in out
    assert "fix: (hidden: finding it is the exercise; 'gluesim scenarios try batch-delete-jobs --reveal' shows it)" in out
    assert "gluesim scenarios watch mine.yaml" in out


def test_try_reveal_shows_the_fixes(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "try", "batch-delete-jobs", "--reveal")
    assert code == 1
    assert "fix: allow glue:BatchDeleteJob on arn:aws:glue:us-east-1:111122223333:job/* in a policy of user omar" in out
    assert "hidden" not in out


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
    assert out.splitlines()[-1] == "Next: 'gluesim scenarios show batch-delete-jobs' (or 'gluesim scenarios next')."


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
        (["show", "role-name-prefix", "--yaml"], "starting-role-name-prefix.yaml"),
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


# ---------------------------------------------------------------- progress: list, next, watch


def test_a_passed_check_is_remembered_by_list_and_next(capsys: pytest.CaptureFixture[str], state: Path) -> None:
    exercises = [entry.name for entry in library.ordered() if entry.training.fails]
    code, out, _ = run(capsys, "next", "--format", "json")
    assert code == 0 and json.loads(out)["next"]["name"] == exercises[0]
    first = exercises[0]
    code, out, _ = run(capsys, "check", first, "--answer", str(ANSWERS / f"{first}.yaml"))
    assert code == 0 and out.splitlines()[-1] == f"Next: 'gluesim scenarios show {exercises[1]}' (or 'gluesim scenarios next')."
    assert first in json.loads((state / "progress.json").read_text())["passed"]
    code, out, _ = run(capsys, "list")
    row = next(line for line in out.splitlines() if f"  {first} " in line)
    assert row.startswith("yes ")
    assert out.splitlines()[-1] == f"1 of {len(library.names())} done. 'gluesim scenarios next' shows the next one to solve."
    code, out, _ = run(capsys, "next")
    assert code == 0 and out.splitlines()[0].startswith(library.get(exercises[1]).training.title)


def test_next_when_everything_is_done(capsys: pytest.CaptureFixture[str], state: Path) -> None:
    state.mkdir()
    passed = {name: "2026-01-01T00:00:00+00:00" for name in library.names()}
    (state / "progress.json").write_text(json.dumps({"format": 1, "passed": passed, "hints": {}}))
    code, out, _ = run(capsys, "next")
    exercises = [entry for entry in library.ordered() if entry.training.fails]
    assert code == 0 and out.startswith(f"All {len(exercises)} scenarios done.")


def test_a_damaged_progress_file_is_one_located_error(capsys: pytest.CaptureFixture[str], state: Path) -> None:
    state.mkdir()
    (state / "progress.json").write_text("{not json")
    code, out, err = run(capsys, "list")
    assert (code, out) == (2, "")
    assert err == f"Error: {state / 'progress.json'}: is not a gluesim progress file; delete it to start over\n"


def test_the_state_folder_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from gluesim.simulator.library import progress

    monkeypatch.delenv("GLUESIM_STATE_DIR")
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg"))
    assert progress.state_dir() == tmp_path / "xdg" / "gluesim"


def test_watch_checks_again_after_each_save_until_it_passes(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from gluesim.simulator.library import watch

    answer = tmp_path / "mine.yaml"
    answer.write_text(library.get("batch-delete-jobs").starting())
    saves = iter(["users: [\n", (ANSWERS / "batch-delete-jobs.yaml").read_text()])  # a half-typed save first

    def save_the_fix(_seconds: float) -> None:  # the trainee saves the fixed file while gluesim waits
        answer.write_text(next(saves))

    monkeypatch.setattr(watch.time, "sleep", save_the_fix)
    code, out, err = run(capsys, "watch", str(answer))
    assert code == 0
    assert err.startswith(f"Error: {answer}:") and err.count("\n") == 1
    assert out.count("NOT YET: your answer to 'batch-delete-jobs'") == 1
    assert f"Watching {answer} for changes" in out
    assert "PASSED: your answer to 'batch-delete-jobs'" in out.split("Watching", 1)[1]


def test_watch_checks_only_after_a_save(tmp_path: Path) -> None:
    from gluesim.simulator.library.watch import watch

    answer = tmp_path / "mine.yaml"
    answer.write_text("a")
    seen: list[str] = []
    saves = iter(["ab", None, "abc"])  # None: a poll with nothing saved, so no check

    def sleep(_seconds: float) -> None:
        text = next(saves)
        if text is not None:
            answer.write_text(text)

    def on_change() -> bool:
        seen.append(answer.read_text())
        return seen[-1] == "abc"

    watch(answer, on_change, sleep=sleep)
    assert seen == ["a", "ab", "abc"]


def test_every_starting_file_simulates_like_the_shipped_file(tmp_path: Path) -> None:
    from gluesim.simulator.engine import simulate
    from gluesim.simulator.scenario import load

    for entry in library.ordered():
        start = tmp_path / f"{entry.name}.yaml"
        start.write_text(entry.starting())
        model = load(start)
        assert model.meta.training is None and model.meta.name == entry.name
        assert simulate(model).as_dict()["results"] == simulate(entry.scenario).as_dict()["results"], entry.name
