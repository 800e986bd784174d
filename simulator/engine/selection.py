"""Which (actor, action, subject) a simulation reports: the ``--action`` / ``--actor`` filters.

A selection that checks nothing is not a pass: :func:`select` with ``require`` raises
:class:`NothingChecked`, one line saying why (no jobs in the scenario, no job run by that
actor, ...), which the CLI prints with exit status 2.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from gluesim.kb.errors import GluesimError, LocatedError, did_you_mean
from gluesim.simulator import model as m

Key = tuple[str, str, "str | None"]


class NothingChecked(LocatedError):
    """The scenario and filters select no action, so nothing would be checked."""


def select(wanted: list[Key], actions: Iterable[str] | None, actors: Iterable[str] | None, scenario: m.Scenario,
           kb: Any, require: bool) -> list[Key]:
    """The wanted keys the filters keep; with ``require``, an empty result raises :class:`NothingChecked`."""
    action_filter = _normalise_actions(actions, kb)
    actor_filter = _check_actors(actors, scenario)
    kept = [key for key in wanted if (action_filter is None or key[1] in action_filter)
            and (actor_filter is None or key[0] in actor_filter)]
    if require and not kept:
        raise NothingChecked(*_why(wanted, action_filter, actor_filter, scenario))
    return kept


def _why(wanted: list[Key], actions: set[str] | None, actors: set[str] | None, scenario: m.Scenario) -> tuple[str, str]:
    """(where, what; expected) for an empty selection."""
    if not wanted:
        return (scenario.meta.path or scenario.meta.name or "the scenario",
                "the scenario has no jobs and no checks, so nothing is checked; add a job under 'jobs:' or an "
                "action under 'checks:'")
    flags = " ".join([*(f"--actor {a}" for a in sorted(actors or ())),
                      *(f"--action {_short(a)}" for a in sorted(actions or ()))])
    names = " or ".join(sorted(actors or ()))
    verbs = " or ".join(_short(a) for a in sorted(actions or ()))
    doers = sorted({actor for actor, action, _ in wanted if actions is None or action in actions})
    done = sorted({_short(action) for actor, action, _ in wanted if actors is None or actor in actors})
    if actions is not None and not doers:
        what, expected = f"no job or check of the scenario has {verbs}", _choices("an action", wanted, 1)
    elif actors is not None and not done:
        what, expected = f"{names} has no job or check in the scenario", _choices("a user", wanted, 0)
    else:
        what = f"{names} does not {verbs} in this scenario ({verbs} is done by {', '.join(doers)})"
        expected = f"expected one of {names}'s actions ({', '.join(done)}) or one of those users"
    return flags, f"{what}, so nothing is checked; {expected}"


def _short(action: str) -> str:
    return action.removeprefix("action.")


def _choices(what: str, wanted: list[Key], field: int) -> str:
    found = sorted({_short(key[field]) for key in wanted})
    return f"expected {what} of the scenario ({', '.join(found)})"


def _normalise_actions(actions: Iterable[str] | None, kb: Any) -> set[str] | None:
    if actions is None:
        return None
    known = {e.id for e in kb.actions()}
    found = set()
    for action in actions:
        full = action if action.startswith("action.") else f"action.{action}"
        if full not in known:
            short = sorted(a.removeprefix("action.") for a in known)
            hint = did_you_mean(action.removeprefix("action."), short) or "; expected one of " + ", ".join(short)
            raise GluesimError(f"--action: unknown action {action!r}{hint}")
        found.add(full)
    return found


def _check_actors(actors: Iterable[str] | None, scenario: m.Scenario) -> set[str] | None:
    if actors is None:
        return None
    names = {u.name for u in scenario.account.users}
    for actor in actors:
        if actor not in names:
            hint = did_you_mean(actor, names) or "; expected a user of the scenario"
            raise GluesimError(f"--actor: unknown user {actor!r}{hint}")
    return set(actors)
