"""Policy variables: ``${aws:username}``, ``${aws:PrincipalTag/team}``, ``${*}``, defaults.

Rules implemented (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html):
- only in policies with ``"Version": "2012-10-17"``; in 2008-10-17 (or no Version) the text is literal;
- key names are case-insensitive; ``${*}``, ``${?}`` and ``${$}`` stand for literal ``*``, ``?``, ``$``;
- ``${key, 'default'}`` uses the default when the key has no value (``''`` inside quotes is one ``'``);
- a variable whose key has no value and no default makes the element not match;
- substitution happens once: a substituted value is never itself expanded or treated as a wildcard.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from gluesim.kb.wildcards import LITERAL_QMARK, LITERAL_STAR, plain
from gluesim.simulator.iam.model import is_multivalued
from gluesim.simulator.iam.unknowns import is_unknown

# Substitution marks the wildcard characters of a value with LITERAL_STAR / LITERAL_QMARK,
# which the matchers read as a literal * and ?.
_LITERALS = {"*": LITERAL_STAR, "?": LITERAL_QMARK, "$": "$"}

_VARIABLE = re.compile(r"\$\{\s*([^,}\s]+)\s*(?:,\s*'((?:[^']|'')*)'\s*)?\}")

Part = str | tuple[str, str | None]  # literal text, or (key lower-cased, default)


class Unresolved(Exception):
    """A variable whose key the request context does not supply."""

    def __init__(self, key: str, multivalued: bool = False, unknown: bool = False) -> None:
        super().__init__(key)
        self.key = key
        self.multivalued = multivalued
        self.unknown = unknown  # the request may carry the key, with a value the caller does not know


def has_variables(text: str) -> bool:
    """True when ``text`` contains a ``${...}`` variable."""
    return "${" in text


def parse_template(text: str) -> tuple[Part, ...]:
    """Split ``text`` into literal parts and variable parts."""
    parts: list[Part] = []
    pos = 0
    for match in _VARIABLE.finditer(text):
        parts.append(text[pos:match.start()])
        name, default = match.group(1), match.group(2)
        if name in _LITERALS and default is None:
            parts.append(_LITERALS[name])
        else:
            parts.append((name.lower(), None if default is None else default.replace("''", "'")))
        pos = match.end()
    parts.append(text[pos:])
    return tuple(p for p in parts if p != "")


def protect(value: str) -> str:
    """Mark wildcard characters of a substituted value as literal."""
    return value.replace("*", LITERAL_STAR).replace("?", LITERAL_QMARK)


def resolve(parts: tuple[Part, ...], context: Mapping[str, tuple[str, ...]]) -> str:
    """Substitute every variable; wildcard characters from values come back protected.

    Raises Unresolved for a key with no value and no default.
    """
    out = []
    for part in parts:
        if isinstance(part, str):
            out.append(part)
            continue
        key, default = part
        values = context.get(key)
        if is_unknown(values):
            raise Unresolved(key, unknown=True)
        if values is None or len(values) == 0:
            if default is None:
                raise Unresolved(key)
            out.append(protect(default))
        elif is_multivalued(values):
            raise Unresolved(key, multivalued=True)
        else:
            out.append(protect(values[0]))
    return "".join(out)


def unprotect(text: str) -> str:
    """The plain text of a resolved value (protected wildcards back to ``*`` and ``?``)."""
    return plain(text)


def keys_of(parts: tuple[Part, ...]) -> tuple[str, ...]:
    """The context keys a template refers to."""
    return tuple(p[0] for p in parts if not isinstance(p, str))
