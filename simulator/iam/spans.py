"""Where a statement sits in a policy text: the offsets of its braces, for ``MatchedStatements``.

Only the statements a response reports are located, one at a time. In a text without a
backslash the statements before it are skipped by one regular-expression match each, with no
objects built; otherwise (or if that fails) the C JSON decoder reads them
(``jsontext.statement_offsets``), which a property test checks this agrees with.
"""

from __future__ import annotations

import functools
import re

from gluesim.simulator.iam import jsontext


def _balanced(depth: int) -> str:
    """Regex for the inside of a JSON object or array nested at most ``depth`` levels, in text without a backslash.

    Without a backslash a string is ``"[^"]*"``; outside strings only brackets nest. Possessive
    quantifiers never backtrack, so a match takes time linear in its length.
    """
    inside = r'(?:[^{}\[\]"]++|"[^"]*+")*+'
    for _ in range(depth):
        inside = rf'(?:[^{{}}\[\]"]++|"[^"]*+"|\{{{inside}\}}|\[{inside}\])*+'
    return inside


@functools.cache
def _object() -> re.Pattern[str]:
    # A valid statement nests three levels (Condition, operator, value list); five leave room.
    return re.compile(r"\{" + _balanced(5) + r"\}")


_NEXT_ELEMENT = re.compile(r"[ \t\n\r]*,[ \t\n\r]*")
# The usual opening of a policy: string-valued Version and Id (if any) before Statement.
_OPENING = re.compile(r'[ \t\n\r]*\{[ \t\n\r]*(?:"(?:Version|Id)"[ \t\n\r]*:[ \t\n\r]*"[^"]*"[ \t\n\r]*,[ \t\n\r]*)*'
                      r'"Statement"[ \t\n\r]*:[ \t\n\r]*')


def statement_span(text: str, index: int) -> tuple[int, int]:
    """Offsets of the opening and closing brace of statement ``index`` in valid policy text.

    Skips the statements before it with one regular-expression match each (no objects built)
    when the text has no backslash, else reads them as ``statement_offsets`` does.
    """
    found = _quick_span(text, index) if "\\" not in text else None
    return found if found is not None else jsontext.statement_offsets(text)[index]


def _quick_span(text: str, index: int) -> tuple[int, int] | None:
    opening = _OPENING.match(text)
    position = opening.end() if opening is not None else jsontext.statement_list_start(text)
    if position is None:
        return None
    if text[position] == "[":
        position = jsontext.skip_space(text, position + 1)
        for _ in range(index):
            found = _object().match(text, position)
            after = _NEXT_ELEMENT.match(text, found.end()) if found is not None else None
            if after is None:
                return None
            position = after.end()
    elif index:
        return None
    found = _object().match(text, position)
    return None if found is None else (position, found.end() - 1)
