"""Integers in JSON that Python will not convert: refused with their place, never a ``ValueError``.

Python refuses to turn a string of more than 4,300 digits into an ``int`` (a guard
against quadratic-time conversion, ``sys.get_int_max_str_digits``), so ``json.loads``
raises a bare ``ValueError`` on such a number. Every JSON reader of user input passes
:func:`parse_int` to the decoder and turns :class:`NumberTooLong` into a located error with
:func:`line_col`. No IAM policy or AWS export holds a number anywhere near that long.
"""

from __future__ import annotations

MAX_INT_DIGITS = 4300  # Python's default limit (sys.int_info.default_max_str_digits)


class NumberTooLong(ValueError):
    """A JSON integer with more digits than :data:`MAX_INT_DIGITS`."""

    def __init__(self, token: str) -> None:
        super().__init__(token[:20])
        self.token = token

    def message(self) -> str:
        """What is wrong and what is expected, for a located error."""
        digits = len(self.token.lstrip("-"))
        return f"a number with {digits:,} digits; at most {MAX_INT_DIGITS:,} digits are accepted"


def parse_int(token: str) -> int:
    """``int(token)``, or :class:`NumberTooLong` when the number has too many digits."""
    if len(token) > MAX_INT_DIGITS and len(token.lstrip("-")) > MAX_INT_DIGITS:
        raise NumberTooLong(token)
    return int(token)


def line_col(text: str, error: NumberTooLong) -> tuple[int, int]:
    """1-based line and column of the too-long number in ``text`` (its first occurrence)."""
    offset = max(text.find(error.token), 0)
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1
