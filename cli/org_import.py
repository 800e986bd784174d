"""``gluesim import`` and ``gluesim audit`` of a folder holding a whole organization.

Thin: the importers plan which files belong to which account; ``gluesim.simulator.audit.organization``
audits each account (in parallel) and across accounts; the render module says it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import typer

from gluesim.cli.common import EXIT_PROBLEMS, Format, emit, emit_json


def import_organization(org: Any, to: str, options: Any, actor: str | None, fmt: Format) -> None:
    """Write one scenario per account into the folder ``to`` (all written, or none)."""
    from gluesim.kb.atomic import check_not_an_input, write_text_atomic
    from gluesim.kb.errors import LocatedError
    from gluesim.simulator import scenario as scenario_file
    from gluesim.simulator.importers import import_organization as run

    folder = Path(to)
    if not folder.is_dir():
        raise LocatedError(f"--to {to}", f"{org.root} holds {len(org.units)} accounts, so --to must be an existing "
                           "folder (one scenario file per account is written into it)")
    texts = []
    for scenario, notices in run(org, options, actor):
        text = scenario_file.dump(scenario)
        path = folder / f"{scenario.account.account_id}.yaml"
        check_not_an_input(path, [org.root], f"--to {to!r}")
        scenario_file.loads(text, str(path))  # what we write must load back
        texts.append((path, text, scenario, notices))
    for path, text, _, _ in texts:
        write_text_atomic(path, text, f"--to {to!r}")
    summary = {str(path): {"users": len(s.account.users), "roles": len(s.account.roles), "notes": len(n)}
               for path, _, s, n in texts}
    if fmt is Format.json:
        emit_json({"organization": org.root, "written": summary,
                   "ignored": [{"file": f, "reason": why} for f, why in org.ignored],
                   "notices": {str(p): [n.line() for n in notices] for p, _, _, notices in texts}})
        return
    emit(f"Wrote {len(texts)} account scenarios into {to}: " + ", ".join(
        f"{Path(p).name} ({c['users']} users, {c['roles']} roles)" for p, c in summary.items()))
    for file, why in org.ignored:
        typer.echo(f"warning: {Path(org.root) / file}: ignored: {why}", err=True)
    for path, _, _, notices in texts:
        for notice in notices:
            typer.echo(f"{path.name}: {notice.line()}", err=True)


def audit_organization(org: Any, options: Any, jobs: int | None, output: Any, matrix: bool,
                       sources: list[str] | None = None, cfg: Any = None) -> None:
    """Audit every account (``jobs`` workers) and across accounts; a progress bar on a terminal."""
    from gluesim.cli.render import org_audit as render
    from gluesim.cli.terminal import progress_bar
    from gluesim.simulator.audit.organization import audit_organization as run

    with progress_bar("Auditing accounts") as advance:
        result = run(org, options, jobs or os.cpu_count() or 1, advance)
    formats = {"json": lambda: emit_json(render.to_data(result)), "markdown": lambda: emit(render.markdown(result, matrix)),
               "csv": lambda: emit(render.csv_text(result)), "text": lambda: emit(render.text(result, matrix)),
               "sarif": lambda: emit(_sarif(result, sources or [], cfg))}
    formats[output.value]()
    if any(a.audit.risks for a in result.accounts) or result.cross_account_risks:
        raise typer.Exit(EXIT_PROBLEMS)


def _sarif(result: Any, sources: list[str], cfg: Any) -> str:
    """The risky grants and job failures of every account, as one SARIF log (the config's suppressions applied)."""
    from gluesim.cli import pipeline
    from gluesim.simulator.findings.collect import from_audit

    found = [finding for account in result.accounts for finding in from_audit(account.audit, sources, None)]
    return pipeline.sarif(pipeline.suppressed(found, cfg) if cfg is not None else found)
