"""The simulation: which Glue Studio actions each person can do in an account, why not, and the fix.

Owns the path from an account model to a :class:`~.results.Report`: :mod:`.run` picks the
actions, actors and jobs and asks the knowledge base which requirements each action needs;
:mod:`.context` indexes the account and evaluates IAM requests; :mod:`.jobfacts` derives
the facts of a job (locations, keys, network placement, features); :mod:`.checks` holds one
check per requirement family; :mod:`.results` is what a simulation returns.

It may import the model, ``gluesim.simulator.policies``, the IAM evaluator and ``gluesim.kb``;
never scenario files, importers, fixes or the audit (they build on it).

Public API::

    from gluesim.simulator.engine import simulate
    report = simulate(model, actions=["run-job"], actors=["analyst"], require_checks=True)
    sim = session(model)           # any (actor, action, subject): sim.result("role/Admin", "action.save-job", "job")
"""

from gluesim.simulator.engine.results import ActionResult, Change, Failure, Report, Verdict
from gluesim.simulator.engine.run import ACTION_ORDER, Simulation, nothing_checked, session, simulate
from gluesim.simulator.engine.selection import NothingChecked

__all__ = ["ACTION_ORDER", "ActionResult", "Change", "Failure", "NothingChecked", "Report", "Simulation", "Verdict",
           "nothing_checked", "session", "simulate"]
