"""The gluesim entry point: version, usage errors and internal errors."""

from __future__ import annotations

import pytest

from gluesim.cli import app as cli_app
from gluesim.cli.app import main
from gluesim.kb.errors import GluesimError


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("gluesim ")


def test_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["no-such-command"]) == 2
    assert "No such command 'no-such-command'" in capsys.readouterr().err


def _app_raising(error: Exception):  # type: ignore[no-untyped-def]
    import typer

    def build(*_modules: object) -> typer.Typer:
        app = typer.Typer()

        @app.command()
        def boom() -> None:
            raise error

        @app.command()
        def other() -> None:
            """A second command so that typer keeps sub-command names."""

        return app

    return build


def test_user_error_is_one_line_and_exit_2(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(cli_app, "build_app", _app_raising(GluesimError("f.yaml:3: bad; expected good")))
    assert main(["boom"]) == 2
    assert capsys.readouterr().err == "Error: f.yaml:3: bad; expected good\n"


def test_bug_is_exit_3_without_traceback(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("GLUESIM_DEBUG", raising=False)
    monkeypatch.setattr(cli_app, "build_app", _app_raising(KeyError("x")))
    assert main(["boom"]) == 3
    err = capsys.readouterr().err
    assert err.startswith("Internal error: KeyError: 'x'. This is a bug in gluesim")
    assert "Traceback" not in err


def test_shell_completion_is_offered(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert "--install-completion" in out and "--show-completion" in out


def test_completion_script_completes_commands(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("_GLUESIM_COMPLETE", "complete_bash")
    monkeypatch.setenv("COMP_WORDS", "gluesim expl")
    monkeypatch.setenv("COMP_CWORD", "1")
    assert main([]) == 0
    assert capsys.readouterr().out.split() == ["explain"]


@pytest.mark.parametrize("argv", [["-h"], ["--help"], ["explain", "-h"], ["explain", "--help"]])
def test_help_flags(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    assert main(argv) == 0
    assert capsys.readouterr().out.startswith("Usage: gluesim")


@pytest.mark.parametrize(("argv", "error"), [
    (["explain"], "Error: explain: missing TERM; expected an id, IAM action, managed policy name, or words\n"),
    (["explain", "run-job", "--formt", "json"],
     "Error: explain: unknown option '--formt'; expected --format text|json|markdown and TERM words\n"),
    (["explain", "run-job", "-f", "xml"], "Error: --format: 'xml' is not a format; expected text, json or markdown\n"),
])
def test_explain_usage_errors(capsys: pytest.CaptureFixture[str], argv: list[str], error: str) -> None:
    assert main(argv) == 2
    assert capsys.readouterr().err == error


def test_each_command_is_built_from_the_module_that_owns_it() -> None:
    import typer

    for module in cli_app.COMMAND_MODULES:
        group = typer.main.get_command(cli_app.build_app((module,)))
        owned = {name for name, owner in cli_app.COMMAND_OWNERS.items() if owner == module}
        assert set(group.commands) == owned, module  # type: ignore[attr-defined]
