"""What applies: the knowledge base's ``applies_when`` features, for plans.

An entry applies when all of its ``applies_when`` features are present (the simulator reads
them the same way, simulator/engine/jobfacts.py). A plan for chosen features keeps only the
entries that apply (:class:`Scope`); a generic plan keeps every entry and works out, for each
step, the alternative sets of features under which a goal needs it (:func:`conditions`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from gluesim.kb.errors import GluesimError, did_you_mean
from gluesim.kb.model import Feature, KnowledgeBase

# Every Glue job keeps its script and temporary directory in Amazon S3, so S3 is always a
# feature of a job (https://docs.aws.amazon.com/glue/latest/dg/console-jobs.html: "Script
# path", "Temporary path"); the simulator assumes the same (simulator/engine/jobfacts.py).
ALWAYS = frozenset({Feature.S3.value})


class Scope:
    """The dependency graph restricted to the entries that apply to ``present`` features (None: all)."""

    def __init__(self, kb: KnowledgeBase, present: Iterable[str] | None) -> None:
        self.kb = kb
        self.full = kb.graph()
        self.present = None if present is None else frozenset(present)
        kept = [key for key in self.full if self.applies(key)]
        self.graph = self.full.subgraph(kept)

    def applies(self, key: str) -> bool:
        """Whether an entry applies to the present features (always, for a generic plan)."""
        return self.present is None or features_of(self.kb, key) <= self.present

    def closure(self, ids: Sequence[str]) -> set[str]:
        """``ids`` and everything they depend on, among the entries that apply."""
        import networkx as nx

        kept = [key for key in ids if key in self.graph]
        return set(kept).union(*(nx.ancestors(self.graph, key) for key in kept))

    def done(self, ids: Iterable[str]) -> set[str]:
        """``ids`` and everything they depend on, whatever applies (it had to hold first)."""
        import networkx as nx

        kept = [key for key in ids if key in self.full]
        return set(kept).union(*(nx.ancestors(self.full, key) for key in kept))

    def left_out(self, goal_ids: Sequence[str]) -> tuple[str, ...]:
        """What the goals would need under other features (nothing, for a generic plan)."""
        import networkx as nx

        if self.present is None:
            return ()
        reached = set(goal_ids).union(*(nx.ancestors(self.full, key) for key in goal_ids))
        return tuple(sorted(key for key in reached if not self.applies(key)))


def conditions(kb: KnowledgeBase, scope: Scope, needed: set[str], goals: set[str],
                assumed: frozenset[str]) -> dict[str, tuple[tuple[str, ...], ...]]:
    """For each needed step, the alternative feature sets beyond ``assumed`` under which it is needed.

    A step is needed when its own features are present and a step that needs it is needed
    (or it is a goal); the result keeps only the smallest sets, and is empty when the step
    is needed whatever the features.
    """
    import networkx as nx

    graph = scope.graph.subgraph(needed)
    found: dict[str, frozenset[frozenset[str]]] = {}
    for key in reversed(list(nx.topological_sort(graph))):
        own = features_of(kb, key) - assumed
        routes = {frozenset()} if key in goals else set()
        routes.update(route for after in graph.successors(key) for route in found[after])
        found[key] = _smallest({own | route for route in routes})
    return {key: tuple(sorted(tuple(sorted(s)) for s in sets)) for key, sets in found.items() if frozenset() not in sets}


def _smallest(sets: set[frozenset[str]]) -> frozenset[frozenset[str]]:
    """The sets of ``sets`` that contain no other set of ``sets``."""
    return frozenset(s for s in sets if not any(other < s for other in sets))


def features_of(kb: KnowledgeBase, key: str) -> frozenset[str]:
    """The ``applies_when`` feature names of entry ``key``."""
    return frozenset(feature.value for feature in kb.entries[key].applies_when)


def check_features(names: Iterable[str]) -> tuple[str, ...]:
    """Feature names as the KB spells them (``kms``, ``vpc``, ...); a did-you-mean error for others."""
    known = [feature.value for feature in Feature]
    checked = []
    for name in names:
        value = name.strip().lower()
        if value not in known:
            hint = did_you_mean(value, known) or "; expected one of: " + ", ".join(known)
            raise GluesimError(f"--with: unknown feature {name!r}{hint}")
        checked.append(value)
    return tuple(sorted(set(checked)))
