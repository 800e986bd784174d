"""What fix cannot resolve is listed once, though several actions share the problem."""

from __future__ import annotations

from gluesim.simulator import library
from gluesim.simulator.fix import fix


def _key(failure):  # type: ignore[no-untyped-def]
    return (failure.requirement, failure.reason, failure.fix)


def test_each_unresolved_problem_is_listed_once() -> None:
    shared = 0
    for name in library.names():
        result = fix(library.get(name).scenario)
        keys = [_key(f) for f in result.unresolved]
        assert len(keys) == len(set(keys)), name
        raw = [_key(f) for r in result.after.results for f in r.failures]
        assert set(raw) == set(keys), name  # nothing left out, only repeats dropped
        shared += len(raw) - len(keys)
    assert shared > 0  # the library has problems several actions share, so the test exercises the merge
