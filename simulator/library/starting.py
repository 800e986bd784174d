"""A trainee's starting file: the shipped scenario without what gives the answer away.

A library scenario file carries its author's notes: a comment saying what is broken, a
``description`` naming the mistake, and the ``training`` section with the hints and the
expected outcome (the answer key). The starting file keeps the account and the jobs exactly
as shipped (the same YAML lines, so line numbers in errors still help) and drops those:
full-line comments, the top-level ``description`` and ``training`` blocks.
"""

from __future__ import annotations

import re

# A top-level key of a YAML block mapping: it starts in the first column.
_TOP_LEVEL_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:")
_COMMENT = re.compile(r"^\s*#")
DROPPED_KEYS = frozenset({"description", "training"})


def starting_text(name: str, shipped: str) -> str:
    """The starting file of library scenario ``name`` made from its shipped text."""
    kept: list[str] = []
    dropping = False
    for line in shipped.splitlines():
        key = _TOP_LEVEL_KEY.match(line)
        if key:
            dropping = key.group(1) in DROPPED_KEYS
        if dropping or _COMMENT.match(line):
            continue
        kept.append(line)
    body = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip("\n")
    header = (
        f"# gluesim scenario {name!r}: your starting file. Fix the account so the jobs work,\n"
        f"# then: gluesim scenarios check {name} --answer THIS-FILE  (or: gluesim scenarios watch THIS-FILE)\n"
    )
    return header + body + "\n"
