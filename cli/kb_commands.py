"""``gluesim explain``, ``gluesim plan`` and ``gluesim kb list|show|check|graph``.

Thin commands: parse, call the KB library, render with ``gluesim.cli.render.kb``, pick
the exit code. The KB, networkx and the renderers are imported inside the commands.
"""

from __future__ import annotations

import enum
from typing import Any, Optional

import typer

from gluesim.cli.common import EXIT_PROBLEMS, Format, emit, emit_json, format_option, help_option, located

EXPLAIN_HELP = """Explain an id, a Glue Studio action, an IAM action, a managed policy, or a few words.

Shows what it is, why it matters, what it depends on and what needs it, the permissions,
the source section of the AWS documentation, and the fix. Works offline.

\b
Examples:
  gluesim explain job-role.name-prefix
  gluesim explain run-job
  gluesim explain glue:BatchDeleteJob
  gluesim explain AWSGlueConsoleFullAccess
  gluesim explain nat gateway
  gluesim explain redshift --format json

An unknown term is an error (exit 2) that names the closest matches.
"""

PLAN_HELP = """Order the setup steps the goals need into waves, skipping what is done.

Goals are KB ids or action short names (run-job for action.run-job); the default goal is
every Glue Studio action and best practice. A step marked --done counts its own
dependencies as done too. Steps in one wave can be done side by side; each step says why
it is needed (the path to the goal that needs it).

Without --with or --for the plan is generic: steps needed only with some features (a KMS
key, a VPC, a connector, ...) say "only if ...". --with lists your jobs' features and
leaves out what does not apply. --for simulates an account (a scenario file, or one
written by 'gluesim import') and plans only what fails, is unknown or is not checked there.

\b
Examples:
  gluesim plan
  gluesim plan run-job
  gluesim plan create-job-s3 run-job --with kms
  gluesim plan create-job-s3 run-job --with none
  gluesim plan --for my-account.yaml
  gluesim plan action.create-job-vpc --done iam.glue-job-role
  gluesim plan delete-jobs --format markdown
"""


class GraphStyle(str, enum.Enum):
    """Graph output styles."""

    mermaid = "mermaid"
    dot = "dot"
    json = "json"


def register(app: typer.Typer) -> None:
    """Add ``explain``, ``plan`` and the ``kb`` group to app."""
    # explain takes its words and --format from ctx.args (see explain_words): typer 0.29 and
    # later coerce every declared non-flag parameter through pydantic, ~100 ms at start-up.
    app.command("explain", help=EXPLAIN_HELP, options_metavar="[-f|--format text|json|markdown] TERM...",
                add_help_option=False,
                context_settings={"allow_extra_args": True, "ignore_unknown_options": True})(explain)
    app.command("plan", help=PLAN_HELP)(plan)
    kb_app = typer.Typer(
        name="kb",
        help="Browse and check the knowledge base of Glue Studio setup requirements.",
        no_args_is_help=True,
    )
    kb_app.command("list")(kb_list)
    kb_app.command("show")(kb_show)
    kb_app.command("check")(kb_check)
    kb_app.command("graph")(kb_graph)
    app.add_typer(kb_app)


def explain(ctx: typer.Context, show_help: bool = help_option()) -> None:
    from gluesim.cli.render import kb as render
    from gluesim.kb.loader import load
    from gluesim.kb.search import explain as resolve

    words, output = explain_words(ctx.args)
    answer = resolve(load(), " ".join(words))
    _emit(output, render.answer_text(answer), render.answer_markdown(answer), render.answer_data(answer))


def explain_words(args: list[str]) -> tuple[list[str], Format]:
    """TERM words and the --format of ``explain``'s command line; a usage error (exit 2) for anything else."""
    from gluesim.kb.errors import GluesimError

    words: list[str] = []
    output = Format.text
    items = iter(args)
    for item in items:
        name, equals, value = item.partition("=")
        if name in ("--format", "-f"):
            output = _format_value(value if equals else next(items, ""))
        elif item == "--":
            words.extend(items)
        elif item.startswith("-") and len(item) > 1:
            raise GluesimError(f"explain: unknown option {item!r}; expected --format text|json|markdown and TERM words")
        else:
            words.append(item)
    if not words:
        raise GluesimError("explain: missing TERM; expected an id, IAM action, managed policy name, or words")
    return words, output


def _format_value(value: str) -> Format:
    from gluesim.kb.errors import GluesimError

    try:
        return Format(value.lower())
    except ValueError:
        raise GluesimError(f"--format: {value!r} is not a format; expected text, json or markdown") from None


def plan(
    goals: Optional[list[str]] = typer.Argument(
        None, metavar="GOAL", help="Goal ids (default: every action and practice).", show_default=False
    ),
    done: Optional[list[str]] = typer.Option(
        None, "--done", "-d", metavar="STEP", help="A step already done (repeatable).", show_default=False
    ),
    features: Optional[list[str]] = typer.Option(
        None, "--with", "-w", metavar="FEATURE,...", show_default=False,
        help="Your jobs' features (kms, vpc, connector, redshift, ...; repeatable or comma-separated; "
        "'none' for a job with none of them).",
    ),
    account: Optional[str] = typer.Option(
        None, "--for", metavar="FILE", show_default=False,
        help="Plan for this account: a scenario file; simulates it and plans what is missing.",
    ),
    output: Format = format_option(),
) -> None:
    from gluesim.cli.render import plan as render

    result = _account_plan(account, goals, features, done) if account else _plan(goals, features, done)
    _emit(output, render.plan_text(result), render.plan_markdown(result), render.plan_data(result))


def _plan(goals: Optional[list[str]], features: Optional[list[str]], done: Optional[list[str]]) -> Any:
    from gluesim.kb.loader import load
    from gluesim.kb.planner import plan as make_plan

    kb = load()
    _check_ids(kb, goals, done)
    # 'none' (or an empty value) chooses no feature: the plan of a plain job, not the generic one.
    names = (name.strip() for item in features or () for name in item.split(","))
    chosen = None if features is None else [name for name in names if name.lower() not in ("", "none")]
    return make_plan(kb, goals or None, done or (), chosen)


def _check_ids(kb: Any, goals: Optional[list[str]], done: Optional[list[str]]) -> None:
    """Name the argument or option of an unknown id in its error."""
    from gluesim.kb.planner import resolve

    for where, names in (("argument GOAL", goals or ()), ("--done", done or ())):
        for name in names:
            with located(where):
                resolve(kb, name)


def _account_plan(account: str, goals: Optional[list[str]], features: Optional[list[str]],
                  done: Optional[list[str]]) -> Any:
    from gluesim.kb.errors import GluesimError
    from gluesim.kb.loader import load as load_kb
    from gluesim.simulator.fix.setup import setup_plan
    from gluesim.simulator.scenario import load

    if goals or features:
        raise GluesimError("--for: plans for the actions the account has; leave out GOAL and --with")
    _check_ids(load_kb(), None, done)
    return setup_plan(load(account), done or ())


def kb_list(
    kind: Optional[str] = typer.Option(
        None, "--kind", "-k", metavar="KIND", show_default=False,
        help="Only this kind: step, requirement, practice, schema-source or action.",
    ),
    output: Format = format_option(),
) -> None:
    """List every entry (id, kind, title).

    \b
    Examples:
      gluesim kb list
      gluesim kb list --kind action --format json
    """
    from gluesim.cli.render import kb as render
    from gluesim.kb.loader import load
    from gluesim.kb.model import Kind

    entries = list(load())
    if kind is not None:
        entries = [e for e in entries if e.kind is _kind(kind, Kind)]
    _emit(output, render.entries_text(entries), render.entries_markdown(entries), render.entries_data(entries))


def kb_show(
    entry_id: str = typer.Argument(
        ..., metavar="ID", help="An entry id (any case), an action's short name, or a unique id ending."
    ),
    output: Format = format_option(),
) -> None:
    """Show one entry in full.

    \b
    Examples:
      gluesim kb show user.pass-job-role
      gluesim kb show run-job --format markdown
      gluesim kb show kms-key-access --format json
    """
    from gluesim.cli.render import kb as render
    from gluesim.kb.loader import load
    from gluesim.kb.search import find_entry

    kb = load()
    with located("argument ID"):
        entry = find_entry(kb, entry_id) or kb.get(entry_id)
    needed_by, blocks = kb.dependents(entry.id), kb.actions_needing(entry.id)
    _emit(
        output,
        render.entry_text(entry, needed_by, blocks),
        render.entry_markdown(entry, needed_by, blocks=blocks),
        render.entry_data(entry, needed_by, blocks),
    )


def kb_check(
    folder: Optional[str] = typer.Argument(
        None, metavar="DIR", show_default=False,
        help="A folder of KB *.yaml files (default: the knowledge base shipped with gluesim).",
    ),
    output: Format = format_option(),
) -> None:
    """Check a knowledge base: keys, fields, ids, references and cycles.

    Prints one located error line (file:line) and exits 1 when the KB has a problem;
    a DIR that is not a folder of *.yaml files is a usage error (exit 2).

    \b
    Examples:
      gluesim kb check
      gluesim kb check ./my-kb --format json
    """
    kb = _checked(folder, output)
    edges = len(kb.edges())
    summary = f"Knowledge base OK: {len(kb)} entries, {edges} dependencies, {len(kb.files)} files, no cycles."
    data = {"ok": True, "entries": len(kb), "dependencies": edges, "files": len(kb.files)}
    _emit(output, summary, summary, data)


def kb_graph(
    style: GraphStyle = typer.Option(GraphStyle.mermaid, "--as", help="Graph style: mermaid, dot or json.",
                                     case_sensitive=False),
    output: Format = format_option(),
) -> None:
    """Print the dependency graph (edges point from a step to what needs it).

    --format json always prints the JSON graph; --format markdown wraps mermaid or dot in a
    fenced block.

    \b
    Examples:
      gluesim kb graph
      gluesim kb graph --as dot | dot -Tsvg > kb.svg
      gluesim kb graph --as json
    """
    from gluesim.cli.render import kb as render
    from gluesim.kb.loader import load

    kb = load()
    if output is Format.json or style is GraphStyle.json:
        emit_json(render.graph_data(kb))
        return
    text = render.graph_mermaid(kb) if style is GraphStyle.mermaid else render.graph_dot(kb)
    emit(f"```{style.value}\n{text}\n```" if output is Format.markdown else text)


def _checked(folder: Optional[str], output: Format) -> Any:
    """The KB of ``folder`` (default: the shipped one); a broken KB prints its error and exits 1."""
    from pathlib import Path

    from gluesim.kb import loader
    from gluesim.kb.errors import LocatedError
    from gluesim.kb.safefile import UnreadableFile

    if folder is not None and (not Path(folder).is_dir() or not any(Path(folder).glob("*.yaml"))):
        loader.load_dir(folder)  # raises the usage error (exit 2)
    try:
        return loader.load() if folder is None else loader.load_dir(folder)
    except UnreadableFile:
        raise  # a file that cannot be read (a FIFO, a device, a link loop) is bad input: exit 2
    except LocatedError as exc:
        if output is Format.json:
            emit_json({"ok": False, "error": str(exc)})
        else:
            typer.echo(f"Error: {exc}", err=True)
        raise typer.Exit(EXIT_PROBLEMS) from None


def _kind(value: str, kind_type: type) -> object:
    from gluesim.kb.errors import GluesimError, did_you_mean

    allowed = [k.value for k in kind_type]
    if value not in allowed:
        hint = did_you_mean(value, allowed) or f"; expected one of: {', '.join(allowed)}"
        raise GluesimError(f"--kind: unknown kind {value!r}{hint}")
    return kind_type(value)


def _emit(output: Format, text: str, markdown: str, data: object) -> None:
    if output is Format.json:
        emit_json(data)
    elif output is Format.markdown:
        emit(markdown)
    else:
        emit(text)
