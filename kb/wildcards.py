"""AWS's ``*`` and ``?`` wildcards, matched in time linear in pattern length x subject length.

Two dialects:

- glob: ``*`` is any run of characters, ``?`` one character (action names, ``StringLike``,
  each colon-separated part of an ``ArnLike`` value);
- ARN (``Resource``/``NotResource``): ``*`` and ``?`` stay inside one colon-separated segment,
  except that a ``*`` ending a segment (followed by ``:`` or the end) may span colons.
  https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html

Why not a plain translation to a regular expression: Python's ``re`` backtracks, so ``.*a.*a.*b``
against a long subject takes time that grows with the subject length to the power of the number
of stars (4 wildcards against 400 characters took 18.7 s; 5,000 never finished). Here a pattern is
cut at its stars into pieces of fixed length, and each piece is placed at its leftmost possible
position and never moved again. That greedy placement is exact: when a wildcard separates two
pieces, an earlier end of the first leaves at least as much room for the rest. The regular
expressions built below wrap each placement in an atomic group ``(?>...)`` (Python 3.11), so the
engine cannot go back to try another; patterns whose only wildcards are a leading or trailing ``*``
(in the ARN dialect: segment-ending ``*``) are matched with ``str.startswith``/``endswith`` and no
regular expression at all, which also saves compiling one.

This module is the standard library only: ``gluesim explain`` imports it for action globs.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence

Matcher = Callable[[str], bool]

# Placeholders for a literal * and ? in a pattern: policy-variable substitution marks with them
# the wildcard characters of a substituted value (``${*}``, or a value that contains them).
LITERAL_STAR = "\ue000"
LITERAL_QMARK = "\ue001"
_LITERALS = {LITERAL_STAR: "*", LITERAL_QMARK: "?"}
_STAR_RUN = re.compile(r"\*+")


def _always(_: str) -> bool:
    return True


def plain(text: str) -> str:
    """``text`` with literal-wildcard placeholders turned back into ``*`` and ``?``."""
    return text.replace(LITERAL_STAR, "*").replace(LITERAL_QMARK, "?")


@functools.lru_cache(maxsize=16384)
def glob_matcher(pattern: str) -> Matcher:
    """A case-sensitive full-match test for a glob (``*`` any run, ``?`` one character)."""
    if pattern == "*":
        return _always
    if "?" not in pattern:
        return star_matcher(_STAR_RUN.split(pattern))
    pieces = _STAR_RUN.split(pattern)
    parts = [_piece(pieces[0], ".")]
    parts += [f"(?>.*?{_piece(p, '.')})" for p in pieces[1:-1]]
    if len(pieces) == 1:
        parts.append(r"\Z")
    elif pieces[-1]:
        parts.append(f".*{_piece(pieces[-1], '.')}" + r"\Z")
    return re.compile("".join(parts), re.S).match  # type: ignore[return-value]


@functools.lru_cache(maxsize=16384)
def arn_matcher(pattern: str) -> Matcher:
    """A case-sensitive full-match test for a Resource ARN pattern (see the module docstring)."""
    if pattern == "*":
        return _always
    blocks = _spanning_blocks(pattern)
    if "?" not in pattern and not any("*" in block for block in blocks):
        return star_matcher(blocks)  # every * spans colons: a plain glob
    return re.compile(_arn_regex(blocks), re.S).match  # type: ignore[return-value]


def star_matcher(pieces: Sequence[str]) -> Matcher:
    """Full match of ``pieces[0] * pieces[1] * ... * pieces[-1]`` where ``*`` is any run of characters."""
    first, last = plain(pieces[0]), plain(pieces[-1])
    if len(pieces) == 1:
        return first.__eq__
    middle = tuple(plain(p) for p in pieces[1:-1] if p)
    if not middle:
        if not last:
            return _always if not first else lambda text: text.startswith(first)
        if not first:
            return lambda text: text.endswith(last)
    if not middle:
        need = len(first) + len(last)
        return lambda text: len(text) >= need and text.startswith(first) and text.endswith(last)
    # Pieces between stars: each placed leftmost and never moved (atomic groups), in C.
    parts = [re.escape(first)] + [f"(?>.*?{re.escape(piece)})" for piece in middle]
    parts.append(f".*{re.escape(last)}" + r"\Z" if last else "")
    return re.compile("".join(parts), re.S).match  # type: ignore[return-value]


def _piece(text: str, any_char: str) -> str:
    """Regex for a fixed-length piece: ``?`` is ``any_char``, everything else literal."""
    return "".join(any_char if c == "?" else re.escape(_LITERALS.get(c, c)) for c in text)


def _spanning_blocks(pattern: str) -> list[str]:
    """``pattern`` cut at its segment-ending star runs (those followed by ``:`` or the end)."""
    blocks, start = [], 0
    for run in _STAR_RUN.finditer(pattern):
        if run.end() == len(pattern) or pattern[run.end()] == ":":
            blocks.append(pattern[start:run.start()])
            start = run.end()
    blocks.append(pattern[start:])
    return blocks


def _arn_regex(blocks: list[str]) -> str:
    """Regex for ARN blocks joined by spanning stars (``.*``), each placed at its earliest end."""
    if len(blocks) == 1:
        return _arn_block(blocks[0], end_anchored=True) + r"\Z"
    parts = [_arn_block(blocks[0], end_anchored=False)]
    parts += [f"(?>.*?{_arn_block(block, end_anchored=False)})" for block in blocks[1:-1]]
    if blocks[-1]:
        parts.append(f".*{_arn_block(blocks[-1], end_anchored=True)}" + r"\Z")
    return "".join(parts)


def _arn_block(block: str, end_anchored: bool) -> str:
    """Regex for a block without spanning stars: its colons are literal, its ``*`` stay in one segment."""
    segments = block.split(":")
    last = len(segments) - 1
    return ":".join(_arn_segment(segment, end_anchored or i < last) for i, segment in enumerate(segments))


def _arn_segment(segment: str, end_anchored: bool) -> str:
    """Regex for one segment's pieces: in-segment stars placed leftmost, inside atomic groups.

    An end-anchored segment (followed by ``:`` or the end of the subject) ends with a piece
    that must sit at the end of the field: a greedy ``[^:]*`` finds it by giving back at most
    the field's length.
    """
    pieces = _STAR_RUN.split(segment)
    parts = [_piece(pieces[0], "[^:]")]
    placed = pieces[1:-1] if end_anchored else pieces[1:]
    parts += [f"(?>[^:]*?{_piece(p, '[^:]')})" for p in placed]
    if end_anchored and len(pieces) > 1:
        parts.append("[^:]*" + _piece(pieces[-1], "[^:]"))
    return "".join(parts)
