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

    __slots__ = ("exact", "globs", "anywhere", "everything", "services", "patterns")

    def __init__(self, patterns: tuple[str, ...]) -> None:
        self.patterns = patterns
        lowered = [p.lower() for p in patterns]
        self.everything = "*" in lowered
        self.exact = frozenset(p for p in lowered if "*" not in p and "?" not in p)
        # Globs filed under their service prefix, which the parser requires to be spelt out
        # ("s3:Get*"), so an action is tried only against its own service's globs: a statement
        # of a few dozen globs across services used to try them all for every request.
        globs: dict[str, list[Matcher]] = {}
        anywhere: list[Matcher] = []
        for p in lowered:
            if p == "*" or ("*" not in p and "?" not in p):
                continue
            service, colon, _ = p.partition(":")
            if colon and "*" not in service and "?" not in service:
                globs.setdefault(service, []).append(glob_matcher(p))
            else:  # not reached through the parser; kept so a hand-built set still matches
                anywhere.append(glob_matcher(p))
        self.globs = {service: tuple(found) for service, found in globs.items()}
        self.anywhere = tuple(anywhere)
        self.services = frozenset(p.partition(":")[0] for p in lowered if p != "*")

    def matches(self, action_lower: str) -> bool:
        """True when the (lower-cased) action matches one pattern."""
        if self.everything or action_lower in self.exact:
            return True
        for match in self.globs.get(action_lower.partition(":")[0], ()):
            if match(action_lower):
                return True
        for match in self.anywhere:
            if match(action_lower):
                return True
        return False
