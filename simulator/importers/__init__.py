"""Importers: real AWS exports (GAAD, CLI export folders, CloudFormation) → the account model.

They write scenario data and read it back through ``gluesim.simulator.scenario``, so they may
import the scenario package, the model, ``gluesim.simulator.policies`` and ``gluesim.kb``;
never the engine, fixes or the audit.

Public API (imports nothing heavy until called)::

    from gluesim.simulator.importers import ImportOptions, import_scenario, load_for_audit

    scenario, notices = import_scenario(["gaad.json", "stack.yaml"], ImportOptions(region="eu-west-1"))
    scenario, notices = load_for_audit(["scenario.yaml"])   # a scenario file works too

``notices`` lists what the sources could not say (unknowns), what was dropped (passwords)
and what was assumed; ``scenario`` is the same model ``gluesim.simulator.scenario.load``
returns, and ``gluesim.simulator.scenario.dump(scenario)`` writes it as a scenario file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gluesim.kb.gcpause import paused
from gluesim.simulator.importers.sources import ImportOptions

__all__ = ["ImportOptions", "import_organization", "import_scenario", "is_scenario_file", "load_for_audit",
           "organization_plan"]


@paused()  # builds a large object graph with no cyclic garbage: see gluesim.kb.gcpause
def import_scenario(paths: list[str | Path], options: ImportOptions | None = None, actor: str | None = None, name: str | None = None) -> tuple[Any, list[Any]]:
    """Read the sources and build the scenario; returns (Scenario, notices)."""
    from gluesim.kb.errors import LocatedError
    from gluesim.simulator.importers.common import Notices
    from gluesim.simulator.importers.locate import locate_policy_error
    from gluesim.simulator.importers.sources import load_sources
    from gluesim.simulator.importers.tomodel import to_scenario

    imported = load_sources(paths, options)
    notices = Notices()
    notices.items.extend(imported.notices)
    label = name or "-".join(Path(p).stem for p in paths) or "import"
    try:
        scenario = to_scenario(imported, notices, actor, label)
    except LocatedError as exc:
        located = locate_policy_error(imported) if exc.where.startswith("<import of") else None
        if located is None:
            raise
        raise located from None
    return scenario, notices.items


def organization_plan(paths: list[str | Path], options: ImportOptions | None = None) -> Any:
    """The accounts of an organization folder (``organization.OrgPlan``), or None for anything else.

    An organization folder is one folder holding the exports of several accounts; it is imported
    one account at a time (:func:`import_organization`, or ``organization.import_account`` per account).
    """
    from gluesim.simulator.importers.organization import plan

    if len(paths) != 1 or not Path(paths[0]).is_dir():
        return None
    return plan(Path(paths[0]), (options or ImportOptions()).allow_partial)


def import_organization(org: Any, options: ImportOptions | None = None, actor: str | None = None) -> list[tuple[Any, list[Any]]]:
    """(Scenario, notices) of every account of an organization plan, in account order."""
    from gluesim.simulator.importers.organization import import_account

    return [import_account(org, unit, options, actor) for unit in org.units]


def is_scenario_file(path: str | Path) -> bool:
    """True for a gluesim scenario file (YAML whose top level has ``account``), by a cheap look."""
    source = Path(path)
    if not source.is_file() or source.suffix.lower() not in (".yaml", ".yml"):
        return False
    with open(source, "rb") as handle:
        head = handle.read(65536)
    return b"\naccount:" in b"\n" + head and b"\nResources:" not in b"\n" + head


def load_for_audit(paths: list[str | Path], options: ImportOptions | None = None, actor: str | None = None) -> tuple[Any, list[Any]]:
    """A scenario file as is, or an import of the sources; returns (Scenario, notices)."""
    if len(paths) == 1 and is_scenario_file(paths[0]):
        from gluesim.simulator import scenario

        return scenario.load(paths[0]), []
    return import_scenario(paths, options, actor)
