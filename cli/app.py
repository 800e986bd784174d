"""The ``gluesim`` command: a thin typer app; each command group lives in its own module.

Command modules import their engines inside the command functions, so that
``gluesim --help`` and ``gluesim explain`` start without loading networkx,
the IAM evaluator or mkdocs.
"""

from __future__ import annotations

import sys
from importlib import import_module

import typer

from gluesim.cli.common import EXIT_INTERNAL, EXIT_USAGE, help_option, package_version

# One module per command group; each exposes ``register(app)``.
COMMAND_MODULES = (
    "gluesim.cli.kb_commands",
    "gluesim.cli.policy_commands",
    "gluesim.cli.simulate_commands",
    "gluesim.cli.fix_commands",
    "gluesim.cli.scenarios_commands",
    "gluesim.cli.docs_commands",
    "gluesim.cli.import_commands",
)
# The module that registers each top-level command: running one command builds only its
# module's commands (typer inspects every registered function's signature, about 1 ms each;
# tests/cli/test_app.py checks this table against the registered commands).
COMMAND_OWNERS = {
    "explain": "gluesim.cli.kb_commands", "plan": "gluesim.cli.kb_commands", "kb": "gluesim.cli.kb_commands",
    "policy": "gluesim.cli.policy_commands",
    "simulate": "gluesim.cli.simulate_commands", "scenario": "gluesim.cli.simulate_commands",
    "fix": "gluesim.cli.fix_commands",
    "scenarios": "gluesim.cli.scenarios_commands",
    "docs": "gluesim.cli.docs_commands",
    "import": "gluesim.cli.import_commands", "audit": "gluesim.cli.import_commands",
}

HELP = """Offline knowledge base and simulator for setting up AWS Glue Studio.

Ask what a requirement, permission or managed policy means, plan the setup steps for a
goal, simulate a (hypothetical or exported) account to see which Glue Studio actions
would fail and why, and build an onboarding site, all without an AWS account or a network.

Examples:

  gluesim explain glue:BatchDeleteJob

  gluesim plan

  gluesim simulate

Exit status: 0 success, 1 problems found, 2 bad input or usage, 3 internal error.
"""


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"gluesim {package_version()}")
        raise typer.Exit(0)


def build_app(modules: tuple[str, ...] = COMMAND_MODULES) -> typer.Typer:
    """Return the typer application with the command groups of ``modules`` (default: all) registered."""
    app = typer.Typer(
        name="gluesim",
        help=HELP,
        no_args_is_help=True,
        add_completion=True,
        add_help_option=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
    )

    @app.callback()
    def _root(
        show_help: bool = help_option(),
        version: bool = typer.Option(
            False, "--version", callback=_version_callback, is_eager=True, help="Print the version and exit."
        ),
    ) -> None:
        """Offline knowledge base and simulator for setting up AWS Glue Studio."""

    for name in modules:
        import_module(name).register(app)
    return app


def _modules_for(argv: list[str] | None) -> tuple[str, ...]:
    """The command modules a run needs: the named command's only, or all (help, completion, a typo)."""
    import os

    words = sys.argv[1:] if argv is None else argv
    first = next((word for word in words if not word.startswith("-")), None)
    if first in COMMAND_OWNERS and not os.environ.get("_GLUESIM_COMPLETE"):
        return (COMMAND_OWNERS[first],)
    return COMMAND_MODULES


def _command(argv: list[str] | None = None) -> typer.core.TyperGroup:
    """The app as a click group whose root flags default to False rather than None.

    typer 0.29 and later coerce a flag's value through pydantic (about 100 ms of start-up,
    measured in bench/README.md) unless it is already a bool; the completion flags typer adds
    default to None. Giving them False keeps every command, ``explain`` above all, off that path.
    """
    command = typer.main.get_command(build_app(_modules_for(argv)))
    for param in command.params:
        if param.name in ("install_completion", "show_completion") and param.default is None:
            param.default = False
    return command  # type: ignore[return-value]


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; return (and, as a console script, exit with) the exit status."""
    from gluesim.kb.errors import GluesimError

    code = _run(argv, GluesimError)
    if argv is None:
        sys.exit(code)
    return code


def _run(argv: list[str] | None, user_error: type[Exception]) -> int:
    try:
        _command(argv)(args=argv, prog_name="gluesim")
    except SystemExit as exc:  # typer's standalone mode ends every run with SystemExit
        return _exit_code(exc.code)
    except user_error as exc:
        for error in getattr(exc, "errors", None) or (exc,):  # a file's every error, one line each
            typer.echo(f"Error: {error}", err=True)
        return EXIT_USAGE
    except BrokenPipeError:
        return 0
    except Exception as exc:  # noqa: BLE001 - the last line of defence: no traceback for users
        import os

        if os.environ.get("GLUESIM_DEBUG"):
            raise
        typer.echo(
            f"Internal error: {type(exc).__name__}: {exc}. This is a bug in gluesim; please report it "
            "with the command you ran (set GLUESIM_DEBUG=1 to see the traceback).",
            err=True,
        )
        return EXIT_INTERNAL
    return 0


def _exit_code(code: object) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    typer.echo(str(code), err=True)
    return EXIT_USAGE
