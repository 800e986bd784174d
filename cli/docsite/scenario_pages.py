"""One page per scenario: an exercise when it has a training section, a report when it is an account.

An exercise starts with the story and the difficulty, offers the starting file to download
(without notes, hints or answer key), reveals the hints one at a time, and keeps the
answer (verdicts, reasons, fix plan) collapsed. Exercises come easiest first. A scenario
without a training section (your own account, ``--scenarios FILE``) shows its verdicts and
the plan of what is still missing there (``gluesim plan --for``).

Scenario files are users' input: every name from them (title, user, role, bucket) is
escaped, and page file names are slugs that cannot leave the ``scenarios/`` folder.
The verdicts come from the simulator, rendered by the same functions as ``gluesim simulate``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gluesim.cli.docsite.kb_pages import entry_link
from gluesim.cli.docsite.project import Page, Section
from gluesim.cli.docsite.text import md_block, md_code, md_text, unique_slug
from gluesim.kb.errors import LocatedError

SCENARIO_SUFFIXES = (".yaml", ".yml")
LEVELS = ("beginner", "intermediate", "advanced")


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

    @property
    def training(self) -> Any:
        """The training section (None for an account that is not an exercise)."""
        return getattr(self.scenario.meta, "training", None)


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


def in_teaching_order(scenarios: Sequence[LoadedScenario]) -> list[LoadedScenario]:
    """Exercises easiest first (then by file name); accounts without training after them, as given."""
    def rank(item: LoadedScenario) -> tuple[int, str]:
        level = getattr(item.training.difficulty, "value", item.training.difficulty)
        return (LEVELS.index(level) if level in LEVELS else len(LEVELS), item.path.stem)

    exercises = sorted((s for s in scenarios if s.training is not None), key=rank)
    return exercises + [s for s in scenarios if s.training is None]


def scenario_section(kb: Any, scenarios: Sequence[LoadedScenario]) -> tuple[Section, dict[str, str]]:
    """The scenarios section, exercises easiest first, and the downloadable files (path -> text)."""
    taken: set[str] = set()
    pages, files = [], {}
    ordered = in_teaching_order(scenarios)
    total = sum(1 for item in ordered if item.training is not None)
    for number, item in enumerate(ordered, start=1):
        name = unique_slug(item.path.stem, taken, "scenario")
        path = f"scenarios/{name}.md"
        if item.training is not None:
            files[f"scenarios/files/{name}.yaml"] = _starting_file(item, name)
            pages.append(Page(path, item.title, exercise_page(kb, item, path, name, (number, total))))
        else:
            pages.append(Page(path, item.title, account_page(kb, item, path)))
    return Section("Scenarios", tuple(pages)), files


def _starting_file(item: LoadedScenario, name: str) -> str:
    from gluesim.kb.safefile import read_bytes
    from gluesim.simulator.library.starting import starting_text
    from gluesim.simulator.scenario.reader import MAX_BYTES

    # The file was read and checked once already; read it the same careful way again.
    text = read_bytes(item.path, MAX_BYTES, "scenario file").decode("utf-8")
    return starting_text(name, text)


def exercise_page(kb: Any, item: LoadedScenario, here: str, name: str, position: tuple[int, int]) -> str:
    """The page of an exercise: story first, the starting file, hints one at a time, the answer collapsed."""
    from gluesim.simulator.engine import simulate

    training = item.training
    level = getattr(training.difficulty, "value", training.difficulty)
    level = level if level in LEVELS else "unknown"
    report = simulate(item.scenario)
    parts = [
        f"# {md_text(item.title)}",
        f'<span class="gluesim-level gluesim-level-{level}">{level}</span> '
        f"Exercise {position[0]} of {position[1]}",
        md_text(training.story),
        _task(name, report),
        _hints(training.hints),
        _answer(kb, item, here, report),
    ]
    return "\n\n".join(parts) + "\n"


def _task(name: str, report: Any) -> str:
    if report.passed:
        return ("## Your task\n\nNothing fails here: this account is a reference to compare your answers with. "
                f"Download it: [{md_text(name)}.yaml](files/{name}.yaml).")
    return (
        "## Your task\n\n"
        "Make the failing Glue Studio actions work without changing what the jobs do. Download the "
        f"starting file [{md_text(name)}.yaml](files/{name}.yaml), fix it, and let gluesim check it:\n\n"
        + md_block(f"gluesim scenarios try {name}\ngluesim scenarios watch {name}.yaml", "sh")
        + "\n\n`try` shows what fails and why (not the fixes); `watch` checks your file again every time you save it."
    )


def _hints(hints: Sequence[str]) -> str:
    blocks = [f'??? hint "Hint {number} of {len(hints)}"\n\n    {md_text(text)}' for number, text in enumerate(hints, 1)]
    return "## Hints\n\nOpen them one at a time: the next one appears when you open the one before.\n\n" + "\n\n".join(blocks)


def _answer(kb: Any, item: LoadedScenario, here: str, report: Any) -> str:
    from gluesim.cli.render.report import render_fix, render_text
    from gluesim.simulator.fix import fix

    repaired = fix(item.scenario)
    # Headings inside the collapsed answer would list it in the page's table of contents.
    verdicts = re.sub(r"(?m)^#{1,6} (.+)$", r"**\1**", _verdicts(kb, report, here))
    output = md_block(render_text(report)) + "\n\n" + md_block(render_fix(repaired, "text"))
    return (
        "## The answer\n\nSpoilers: open these after you have tried.\n\n"
        + _collapsed("What fails, and why", verdicts, "failure")
        + "\n\n" + _collapsed("The fix plan", _fix_plan(kb, repaired, here), "success")
        + "\n\n" + _collapsed("What gluesim prints", output, "note")
    )


def account_page(kb: Any, item: LoadedScenario, here: str) -> str:
    """The page of an account: verdicts, what is still missing (in plan order), the fix plan, the CLI output."""
    from gluesim.cli.render.plan import plan_markdown
    from gluesim.cli.render.report import render_fix, render_text
    from gluesim.simulator.engine import simulate
    from gluesim.simulator.fix import fix
    from gluesim.simulator.fix.setup import setup_plan

    report = simulate(item.scenario)
    repaired = fix(item.scenario)
    parts = [f"# {md_text(item.title)}"]
    if item.scenario.meta.description:
        parts.append(md_text(item.scenario.meta.description))
    parts.append(f"Scenario file: {md_code(item.path.name)}.")
    parts.append(_verdicts(kb, report, here))
    plan = setup_plan(item.scenario, kb=kb)
    parts.append("## What to set up, in order\n\nWhat `gluesim plan --for` this file plans: what fails, is unknown "
                 "or is not checked yet.\n\n" + plan_markdown(plan, link=lambda key: _entry(kb, key, here)))
    parts.append("## Fix plan\n\n" + _fix_plan(kb, repaired, here))
    parts.append(
        "## Simulator output\n\nWhat `gluesim simulate` and `gluesim fix` print for this file:\n\n"
        + md_block(render_text(report)) + "\n\n" + md_block(render_fix(repaired, "text"))
    )
    return "\n\n".join(parts) + "\n"


def _verdicts(kb: Any, report: Any, here: str) -> str:
    """The same markdown as ``gluesim simulate --format markdown``, with KB ids linked to their pages."""
    from gluesim.cli.render.report import render_markdown

    return render_markdown(report, level=2, link=lambda entry_id: _entry(kb, entry_id, here), verdict=_verdict).rstrip()


def _collapsed(title: str, body: str, kind: str) -> str:
    """``body`` in a collapsed block (pymdownx.details), every line indented under it."""
    inner = "\n".join(f"    {line}" if line.strip() else "" for line in body.splitlines())
    return f'??? {kind} "{title}"\n\n{inner}'


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
