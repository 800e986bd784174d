"""The shipped trainee scenarios: list them, look one up, read their training section.

A library scenario is an ordinary scenario file (``docs/reference/scenario-format.md``)
whose ``training:`` section tells a story, gives hints to reveal one at a time, and
states the outcome its author expects. The engine never reads that section; grading an
answer is :mod:`gluesim.simulator.library.grading`.
"""

from __future__ import annotations

import enum
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gluesim.kb.errors import GluesimError, LocatedError, did_you_mean
from gluesim.simulator.model import ExpectedFailure, ExpectedPass, Scenario

DEFAULT_NAME = "default"


class Difficulty(str, enum.Enum):
    """How much a trainee needs to know to solve a scenario."""

    beginner = "beginner"
    intermediate = "intermediate"
    advanced = "advanced"


@dataclass(frozen=True, slots=True)
class Training:
    """The trainee-facing part of a library scenario, checked for completeness."""

    title: str
    difficulty: Difficulty
    story: str
    hints: tuple[str, ...]
    fails: frozenset[ExpectedFailure]
    passes: frozenset[ExpectedPass]

    def wanted(self) -> frozenset[tuple[str, str]]:
        """Every (actor, action) the scenario is about, expected to fail or to pass."""
        return frozenset({(f.actor, f.action) for f in self.fails} | {(p.actor, p.action) for p in self.passes})


@dataclass(frozen=True, slots=True)
class LibraryScenario:
    """A shipped scenario: its name (the file stem), file, model and training section."""

    name: str
    path: Path
    scenario: Scenario
    training: Training

    def source(self) -> str:
        """The scenario file's text, as shipped: the answer key (``training.expect``) included."""
        return self.path.read_text(encoding="utf-8")

    def starting(self) -> str:
        """The trainee's starting file: the account and jobs, without notes, hints or answer key."""
        from gluesim.simulator.library.starting import starting_text

        return starting_text(self.name, self.source())


def library_dir() -> Path:
    """The folder holding the shipped scenario files (package data)."""
    from importlib.resources import files

    return Path(str(files("gluesim.simulator") / "data" / "scenarios"))


@functools.cache
def files() -> dict[str, Path]:
    """The shipped scenario files by name (the file stem), sorted; nothing is loaded yet."""
    return {path.stem: path for path in sorted(library_dir().glob("*.yaml"))}


def catalog() -> dict[str, LibraryScenario]:
    """Every shipped scenario by name, in file-name order (each loaded and validated once)."""
    return {name: get(name) for name in files()}


def names() -> list[str]:
    """The names of the shipped scenarios, sorted."""
    return list(files())


def ordered() -> list[LibraryScenario]:
    """The shipped scenarios in teaching order: difficulty, then name."""
    rank = {level: index for index, level in enumerate(Difficulty)}
    return sorted(catalog().values(), key=lambda entry: (rank[entry.training.difficulty], entry.name))


@functools.cache
def get(name: str) -> LibraryScenario:
    """The shipped scenario called ``name`` (only its file is read); a did-you-mean error when there is none."""
    known = files()
    if name in known:
        return read(known[name])
    hint = did_you_mean(name, known) or "; run 'gluesim scenarios list' to see them"
    raise GluesimError(f"no scenario named {name!r} in the library{hint}")


def read(path: str | Path) -> LibraryScenario:
    """Load a library scenario file: the scenario itself plus a complete training section."""
    from gluesim.simulator import scenario as loader

    path = Path(path)
    model = loader.load(path)
    return LibraryScenario(path.stem, path, model, training_of(model, str(path)))


def training_of(model: Scenario, name: str) -> Training:
    """The scenario's training section, refused with a located error when incomplete or wrong."""
    section = model.meta.training
    if section is None:
        raise LocatedError(name, "has no 'training:' section; a library scenario needs one")
    if not section.story.strip():
        raise LocatedError(f"{name}: training.story", "is missing; tell the trainee the story")
    if not section.hints or not all(hint.strip() for hint in section.hints):
        raise LocatedError(f"{name}: training.hints", "is missing or has an empty hint; give at least one hint")
    if not section.fails and not section.passes:
        raise LocatedError(f"{name}: training.expect", "names no action; list at least one in 'fails' or 'passes'")
    _check_expectation(section.fails, section.passes, model, name)
    return Training(
        section.title,
        Difficulty(section.difficulty),
        section.story.strip(),
        tuple(hint.strip() for hint in section.hints),
        frozenset(section.fails),
        frozenset(section.passes),
    )


def _check_expectation(fails: tuple, passes: tuple, model: Scenario, name: str) -> None:
    """Every actor is a user, every action and requirement a knowledge base id, no pair both ways."""
    from gluesim.kb.loader import load as load_kb

    kb = load_kb()
    actions = {entry.id for entry in kb.actions()}
    users = {user.name for user in model.account.users}
    for index, item in enumerate((*fails, *passes)):
        where = f"{name}: training.expect.{'fails' if index < len(fails) else 'passes'}"
        if item.actor not in users:
            raise LocatedError(where, f"actor {item.actor!r} is not a user of the scenario{did_you_mean(item.actor, users)}")
        if item.action not in actions:
            raise LocatedError(where, f"{item.action!r} is not a knowledge base action{did_you_mean(item.action, actions)}")
        requirement = getattr(item, "requirement", None)
        if requirement is not None and requirement not in kb.entries:
            raise LocatedError(where, f"{requirement!r} is not a knowledge base id{did_you_mean(requirement, kb.entries)}")
    both = {(f.actor, f.action) for f in fails} & {(p.actor, p.action) for p in passes}
    if both:
        actor, action = sorted(both)[0]
        raise LocatedError(f"{name}: training.expect", f"{actor}'s {action} is expected both to fail and to pass")
