"""Wildcard matching for actions, resource ARNs and StringLike values, compiled once."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from gluesim.simulator.iam.variables import LITERAL_QMARK, LITERAL_STAR, unprotect

Matcher = Callable[[str], bool]


def _always(_: str) -> bool:
    return True


def glob_regex(pattern: str) -> str:
    """Regex for a ``*``/``?`` glob where ``*`` spans any characters (actions, StringLike)."""
    return "".join(_GLOB.get(c) or re.escape(c) for c in pattern)


# Wildcards, and the placeholders policy-variable substitution uses for literal * and ?.
_GLOB = {"*": ".*", "?": ".", LITERAL_STAR: r"\*", LITERAL_QMARK: r"\?"}


def arn_regex(pattern: str) -> str:
    """Regex for a resource ARN pattern, segment by segment.

    Wildcards stay inside a colon-separated segment, except that a ``*`` that ends a
    segment may expand across colons.
    https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
    (section "Using wildcards in resource ARNs").
    """
    out = []
    for i, char in enumerate(pattern):
        if char == "*":
            ends_segment = i + 1 == len(pattern) or pattern[i + 1] == ":"
            out.append(".*" if ends_segment else "[^:]*")
        elif char == "?":
            out.append("[^:]")
        elif char in (LITERAL_STAR, LITERAL_QMARK):
            out.append(_GLOB[char])
        else:
            out.append(re.escape(char))
    return "".join(out)


@functools.lru_cache(maxsize=16384)
def glob_matcher(pattern: str) -> Matcher:
    """A case-sensitive matcher for a ``*``/``?`` glob (actions are lower-cased on both sides first)."""
    return _matcher(pattern, glob_regex)


@functools.lru_cache(maxsize=16384)
def arn_matcher(pattern: str) -> Matcher:
    """A case-sensitive matcher for one resource ARN pattern (see ``arn_regex``)."""
    return _matcher(pattern, arn_regex)


def _matcher(pattern: str, to_regex: Callable[[str], str]) -> Matcher:
    """Match without a regular expression where the pattern allows: ``*``, exact text, ``prefix*``."""
    if pattern == "*":
        return _always
    if "*" not in pattern and "?" not in pattern:
        return unprotect(pattern).__eq__
    body = pattern[:-1]
    if pattern.endswith("*") and "*" not in body and "?" not in body:
        prefix = unprotect(body)
        return lambda text: text.startswith(prefix)
    return re.compile(to_regex(pattern) + r"\Z", re.S).match  # type: ignore[return-value]


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
