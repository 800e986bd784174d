"""Output people read: colour only when asked or on a terminal, one line per root cause, summaries, no stand-ins."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from gluesim.cli import terminal
from support import run_cli as run

TESTS = Path(__file__).resolve().parents[1]
LIBRARY = TESTS.parent / "simulator" / "data" / "scenarios"
SAMPLES = TESTS / "simulator" / "importers" / "samples"
ESCAPE = "\x1b["


@pytest.mark.parametrize(("argv", "env", "coloured"), [
    ([], {}, False),                                     # captured output is not a terminal
    (["--color", "always"], {}, True),
    (["--color", "never"], {"FORCE_COLOR": "1"}, False),
    ([], {"FORCE_COLOR": "1"}, True),
    ([], {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),  # NO_COLOR wins over FORCE_COLOR
    ([], {"FORCE_COLOR": "0"}, False),
])
def test_colour_only_when_chosen(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
                                 argv: list[str], env: dict[str, str], coloured: bool) -> None:
    for name in ("NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    _, out, _ = run(capsys, "simulate", *argv)
    assert (ESCAPE in out) is coloured
    _, out, _ = run(capsys, "simulate", "--format", "json", *argv)
    assert ESCAPE not in out  # machine formats never


def test_colour_on_a_terminal_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    for name in ("NO_COLOR", "FORCE_COLOR", "TERM"):
        monkeypatch.delenv(name, raising=False)
    assert terminal.color_on(terminal.ColorMode.auto, Tty()) is True
    monkeypatch.setenv("TERM", "dumb")
    assert terminal.color_on(terminal.ColorMode.auto, Tty()) is False


def test_each_fix_once_and_the_summary_first_and_last(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "simulate", LIBRARY / "default.yaml")
    lines = out.splitlines()
    fixes = [line for line in lines if line.strip().startswith("fix: ")]
    assert len(fixes) == len(set(fixes)) == 6
    assert lines[0] == lines[-1] == "Scenario default (account 111122223333): 2 pass, 4 fail, 0 unknown; 6 problems"
    assert "6 problems block 4 actions:" in lines
    passrole = lines.index("x [4/6] user.pass-job-role: The user may pass the job role to glue.amazonaws.com "
                           "(iam:PassRole)")
    assert lines[passrole + 1] == "      blocks: dana: create-job-s3 [flights-daily], dana: save-job [flights-daily]"
    assert "      where: " + str(LIBRARY / "default.yaml") + ":14:5: user dana" in lines


def test_statements_are_pointed_at_one_way(capsys: pytest.CaptureFixture[str]) -> None:
    _, simulated, _ = run(capsys, "simulate", LIBRARY / "default.yaml")
    _, explained, _ = run(capsys, "explain", "AWSGlueConsoleFullAccess")
    assert "closest: Statement[8] of identity policy 'AWSGlueConsoleFullAccess' does not apply" in simulated
    assert "Statement[8]" in explained
    assert not re.search(r"statement #\d|\(line \d+\)", simulated)


def test_the_audit_of_114_principals_is_short_and_summarised(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "audit", SAMPLES / "authorization-details" / "cloudsplaining-example.json")
    lines = out.splitlines()
    assert code == 1 and lines[0] == lines[-1]
    assert lines[0].startswith("Glue Studio audit of account 200611803367: 114 principals, 10 actions (")
    assert len(lines) < 700  # 2,443 lines when every principal had its own block
    assert "(39 principals with the same access)" in out


@pytest.mark.parametrize("argv", [
    ["audit", SAMPLES / "authorization-details" / "cloudsplaining-example.json"],
    ["audit", SAMPLES / "authorization-details" / "cloudmapper-demo.json", "--format", "json"],
    ["audit", TESTS / "cli" / "fixtures" / "stack-with-suppression.yaml", "--format", "markdown"],
    ["import", TESTS / "simulator" / "importers" / "bundle", "--to", "{tmp}/account.yaml"],
    ["simulate", LIBRARY / "default.yaml", "--format", "json"],
])
def test_no_internal_stand_in_names_in_output(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                             argv: list[object]) -> None:
    argv = [str(a).replace("{tmp}", str(tmp_path)) for a in argv]
    _, out, err = run(capsys, *argv)
    text = out + err
    for stand_in in ("gluesimprobe", "gluesim-probe", "gluesim-audit", "VPC None", "None was"):
        assert stand_in not in text


def test_arns_are_never_broken_inside(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "scenarios", "check", "default", "--answer", LIBRARY / "default.yaml")
    for line in out.splitlines():
        assert not re.search(r"arn:\S*-$", line) and not re.search(r"(^|\s)(east|west)-\d", line)


def test_no_progress_bar_when_standard_error_is_not_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    _, _, err = run(capsys, "audit", SAMPLES / "authorization-details" / "cloudmapper-demo.json")
    assert "Auditing" not in err and ESCAPE not in err


def test_progress_bar_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Tty()
    monkeypatch.setattr("sys.stderr", stream)
    with terminal.progress_bar("Auditing principals") as advance:
        for done in range(1, 4):
            advance(done, 3)
    assert "Auditing principals" in stream.getvalue()


def test_text_and_json_positions_follow_the_stated_conventions(capsys: pytest.CaptureFixture[str],
                                                               tmp_path: Path) -> None:
    import json

    policy = tmp_path / "p.json"
    policy.write_text('{\n  "Version": "2012-10-17",\n  "Statement": [\n'
                      '    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}\n  ]\n}\n')
    argv = ["policy", "simulate", "--policy-input-list", f"file://{policy}", "--action-names", "s3:GetObject"]
    _, text, _ = run(capsys, *argv)
    _, out, _ = run(capsys, *argv, "--format", "json")
    position = json.loads(out)["EvaluationResults"][0]["MatchedStatements"][0]["StartPosition"]
    assert f"Statement[0] at {policy}:4:5 " in text and position == {"Line": 4, "Column": 6}
    _, helped, _ = run(capsys, "policy", "simulate", "--help")
    documented = (TESTS.parent / "docs" / "reference" / "locations.md").read_text()
    assert "one past the brace" in " ".join(helped.split()) and "one past the statement's opening brace" in documented
