"""Wildcard matching for actions, resource ARNs and StringLike values, compiled once.

The matchers themselves live in ``gluesim.kb.wildcards`` (linear time in the worst case; the KB's
``explain`` uses them too); this module groups a statement's action patterns.
"""

from __future__ import annotations

from gluesim.kb.wildcards import Matcher, arn_matcher, glob_matcher

__all__ = ["ActionSet", "Matcher", "arn_matcher", "glob_matcher"]


class ActionSet:
    """The action patterns of one statement, matched case-insensitively.

    Action names are not case-sensitive:
    https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
    """

    __slots__ = ("exact", "globs", "everything", "services", "patterns")

    def __init__(self, patterns: tuple[str, ...]) -> None:
        self.patterns = patterns
        lowered = [p.lower() for p in patterns]
        self.everything = "*" in lowered
        self.exact = frozenset(p for p in lowered if "*" not in p and "?" not in p)
        self.globs = tuple(glob_matcher(p) for p in lowered if p != "*" and ("*" in p or "?" in p))
        self.services = frozenset(p.partition(":")[0] for p in lowered if p != "*")

    def matches(self, action_lower: str) -> bool:
        """True when the (lower-cased) action matches one pattern."""
        if self.everything or action_lower in self.exact:
            return True
        for match in self.globs:
            if match(action_lower):
                return True
        return False
