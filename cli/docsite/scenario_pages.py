"""One page per scenario: which Glue Studio actions fail for whom, why, and the fix plan.

Scenario files are users' input: every name from them (title, user, role, bucket) is
escaped, and page file names are slugs that cannot leave the ``scenarios/`` folder.
The verdicts come from the simulator, rendered by the same functions as ``gluesim simulate``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gluesim.cli.docsite.kb_pages import entry_link
from gluesim.cli.docsite.project import Page, Section
from gluesim.cli.docsite.text import md_block, md_code, md_text, unique_slug
from gluesim.kb.errors import LocatedError

SCENARIO_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True, slots=True)
class LoadedScenario:
    """A scenario file and its validated model."""

    path: Path
    scenario: Any

    @property
    def title(self) -> str:
        """The name people see: the training title, else the scenario name, else the file name."""
        meta = self.scenario.meta
        training = getattr(meta, "training", None)
        return (getattr(training, "title", "") or meta.name or self.path.stem).strip() or self.path.stem


def default_paths() -> list[Path]:
    """The scenario library shipped with gluesim."""
    from gluesim.simulator.library import library_dir

    return [library_dir()]


def expand(paths: Iterable[Path]) -> list[Path]:
    """Scenario files named directly, plus the ``*.yaml``/``*.yml`` files of named folders (sorted), once each."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            # Anything named *.yaml but a folder is read (and a FIFO or device refused with its name).
            found = sorted(p for p in path.iterdir() if p.suffix in SCENARIO_SUFFIXES and not p.is_dir())
            if not found:
                raise LocatedError(f"--scenarios {str(path)!r}", "the folder has no *.yaml scenario files; expected at least one")
            files.extend(found)
        elif path.exists() or path.is_symlink():  # a broken or looping link is refused when read
            files.append(path)
        else:
            raise LocatedError(f"--scenarios {str(path)!r}", "no such file or folder; expected a scenario file or a folder of them")
    unique: dict[Path, Path] = {}
    for path in files:
        unique.setdefault(Path(os.path.realpath(path)), path)  # realpath, unlike resolve(), never raises on a loop
    return list(unique.values())


def load_all(paths: Sequence[Path]) -> list[LoadedScenario]:
    """Load and validate every scenario (the first bad one raises its located error)."""
    from gluesim.simulator.scenario import load

    return [LoadedScenario(path, load(path)) for path in expand(paths)]


def scenario_section(kb: Any, scenarios: Sequence[LoadedScenario]) -> Section:
    """The scenarios section, one page each, in the order given."""
    taken: set[str] = set()
    pages = []
    for item in scenarios:
        path = f"scenarios/{unique_slug(item.path.stem, taken, 'scenario')}.md"
        pages.append(Page(path, item.title, scenario_page(kb, item, path)))
    return Section("Scenarios", tuple(pages))


def scenario_page(kb: Any, item: LoadedScenario, here: str) -> str:
    """The markdown page of one simulated scenario: verdicts, reasons, fix plan, CLI output."""
    from gluesim.cli.render.report import render_fix, render_markdown, render_text
    from gluesim.simulator.engine import simulate
    from gluesim.simulator.fix import fix

    report = simulate(item.scenario)
    repaired = fix(item.scenario)
    parts = [f"# {md_text(item.title)}"]
    if item.scenario.meta.description:
        parts.append(md_text(item.scenario.meta.description))
    parts.append(f"Scenario file: {md_code(item.path.name)}.")
    # The same markdown as `gluesim simulate --format markdown`, with KB ids linked to their pages.
    parts.append(render_markdown(report, level=2, link=lambda entry_id: _entry(kb, entry_id, here),
                                 verdict=_verdict).rstrip())
    parts.append("## Fix plan\n\n" + _fix_plan(kb, repaired, here))
    parts.append(
        "## Simulator output\n\nWhat `gluesim simulate` and `gluesim fix` print for this file:\n\n"
        + md_block(render_text(report))
        + "\n\n"
        + md_block(render_fix(repaired, "text"))
    )
    return "\n\n".join(parts) + "\n"


VERDICT_CLASS = {"pass": "gluesim-verdict-pass", "fail": "gluesim-verdict-fail", "unknown": "gluesim-verdict-unknown"}


def _verdict(value: str) -> str:
    return f'<span class="{VERDICT_CLASS.get(value, "")}">{md_text(value)}</span>'


def _entry(kb: Any, entry_id: str, here: str) -> str:
    return entry_link(here, kb, entry_id) if entry_id in kb else md_code(entry_id)


def _fix_plan(kb: Any, repaired: Any, here: str) -> str:
    if not repaired.steps and not repaired.unresolved:
        return "Nothing to fix: every checked action passes."
    lines = [f"{n}. {_entry(kb, step.requirement, here)}: {md_text(step.description)}" for n, step in enumerate(repaired.steps, 1)]
    if repaired.unresolved:
        lines.append("\nTo do by hand:\n")
        lines += [f"- {_entry(kb, f.requirement, here)}: {md_text(f.reason)}; {md_text(f.fix)}" for f in repaired.unresolved]
    after = repaired.after.counts()
    lines.append(f"\nAfter the plan: {after['pass']} pass, {after['fail']} fail, {after['unknown']} unknown.")
    return "\n".join(lines)
