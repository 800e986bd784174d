"""Policy JSON text: parse with located errors, and map JSON paths back to lines and columns.

Parsing uses the C ``json`` decoder (fast); positions are computed by a separate, iterative
token scan only when someone asks for them (matched statements, linter messages), so
compiling many policies stays cheap and deeply nested input cannot exhaust the stack.
"""

from __future__ import annotations

import bisect
import json
import re
from typing import Any

from gluesim.kb.jsonnumbers import NumberTooLong, line_col, parse_int
from gluesim.simulator.iam.model import PolicyError

MAX_DEPTH = 32  # IAM grammar needs at most 6 levels; deeper input is refused, never recursed into.

_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+', re.S)

JsonPath = tuple[str | int, ...]


class _DuplicateKey(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return result


# One decoder for every parse: json.loads(text, object_pairs_hook=...) would build a new
# decoder and scanner for each call, a good part of the cost of parsing a small policy.
_DECODER = json.JSONDecoder(object_pairs_hook=_no_duplicates, parse_int=parse_int)


def parse(text: str, source: str) -> Any:
    """Parse policy JSON text; raise PolicyError at ``source:line:col`` when it is not JSON."""
    if not text.strip():
        raise PolicyError(source, "", "the policy document is empty; expected a JSON object")
    try:
        if text.startswith("\ufeff"):  # what json.loads says about a byte order mark
            raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
        return _DECODER.decode(text)
    except json.JSONDecodeError as exc:
        raise PolicyError(source, "", f"invalid JSON: {exc.msg}", exc.lineno, exc.colno) from None
    except NumberTooLong as exc:
        raise PolicyError(source, "", exc.message(), *line_col(text, exc)) from None
    except _DuplicateKey as exc:
        line, col = _locate_duplicate(text, str(exc))
        raise PolicyError(source, "", f"duplicate key {str(exc)!r}; each key may appear once per object",
                          line, col) from None
    except RecursionError:
        line, col = _too_deep(text)
        raise PolicyError(source, "", f"JSON nested deeper than {MAX_DEPTH} levels; IAM policies are shallow",
                          line, col) from None


def check_depth(text: str, source: str) -> None:
    """Refuse JSON nested deeper than MAX_DEPTH, at the line and column where it gets too deep."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return
    found = _depth_violation(text)
    if found is not None:
        raise PolicyError(source, "", f"JSON nested deeper than {MAX_DEPTH} levels; IAM policies are shallow",
                          *found)


def _depth_violation(text: str) -> tuple[int, int] | None:
    lines = _LineIndex(text)
    depth = 0
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token in "{[":
            depth += 1
            if depth > MAX_DEPTH:
                return lines.position(match.start())
        elif token in "}]":
            depth -= 1
    return None


def _too_deep(text: str) -> tuple[int, int]:
    return _depth_violation(text) or (1, 1)


def _locate_duplicate(text: str, key: str) -> tuple[int | None, int | None]:
    spans = Positions(text)
    for path, (start, _end) in spans.keys.items():
        if path and path[-1] == key and spans.key_count(path) > 1:
            return spans.lines.position(start)
    return None, None


class _LineIndex:
    """Offsets to 1-based (line, column)."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1


class Positions:
    """Where every value (and every object key) of a JSON text sits, by JSON path.

    ``values[path] = (start, end)`` offsets of the value (end inclusive: the closing brace
    of an object). Built by an iterative scan, so nesting depth does not matter.
    """

    def __init__(self, text: str) -> None:
        self.lines = _LineIndex(text)
        self.values: dict[JsonPath, tuple[int, int]] = {}
        self.keys: dict[JsonPath, tuple[int, int]] = {}
        self._key_counts: dict[JsonPath, int] = {}
        self._scan(text)

    def key_count(self, path: JsonPath) -> int:
        """How many times the key at ``path`` occurs in its object."""
        return self._key_counts.get(path, 0)

    def _scan(self, text: str) -> None:
        stack: list[list[Any]] = []  # frames: [kind, path, start, next_key_or_index, expecting_key]
        pending_key: str | None = None
        for match in _TOKEN.finditer(text):
            token, start = match.group(), match.start()
            frame = stack[-1] if stack else None
            if frame is not None and frame[0] == "{" and frame[4] and token.startswith('"'):
                pending_key = _decode_key(token)
                key_path = (*frame[1], pending_key)
                self.keys[key_path] = (start, match.end() - 1)
                self._key_counts[key_path] = self._key_counts.get(key_path, 0) + 1
                frame[4] = False
                continue
            if token in ":,":
                if token == "," and frame is not None:
                    if frame[0] == "{":
                        frame[4] = True
                    else:
                        frame[3] += 1
                continue
            if token in "}]":
                if stack:
                    done = stack.pop()
                    self.values[done[1]] = (done[2], start)
                continue
            path = self._child_path(frame, pending_key)
            if token in "{[":
                stack.append([token, path, start, 0, token == "{"])
            else:
                self.values[path] = (start, match.end() - 1)

    @staticmethod
    def _child_path(frame: list[Any] | None, key: str | None) -> JsonPath:
        if frame is None:
            return ()
        if frame[0] == "{":
            return (*frame[1], key if key is not None else "")
        return (*frame[1], frame[3])

    def span(self, path: JsonPath) -> tuple[int, int, int, int] | None:
        """(start line, start column, end line, end column) of the value at ``path``."""
        found = self.values.get(path)
        if found is None:
            return None
        return (*self.lines.position(found[0]), *self.lines.position(found[1]))

    def line_col(self, path: JsonPath, at_key: bool = False) -> tuple[int, int] | None:
        """(line, column) of the value (or key) at ``path``, or of the nearest enclosing value."""
        if at_key and path in self.keys:
            return self.lines.position(self.keys[path][0])
        while True:
            found = self.values.get(path) or self.keys.get(path)
            if found is not None:
                return self.lines.position(found[0])
            if not path:
                return None
            path = path[:-1]


_WHITESPACE = re.compile(r"[ \t\n\r]*")
_SKIPPER = json.JSONDecoder()  # skips over values of text already parsed (and so known to be valid)


def statement_offsets(text: str) -> list[tuple[int, int]]:
    """Offsets of each statement's opening and closing brace in valid policy text.

    Faster than ``Positions`` for the one thing ``MatchedStatements`` needs: the top-level keys
    are read and the values skipped by the C JSON decoder, with no Python loop over tokens.
    """
    position = statement_list_start(text)
    return [] if position is None else _element_offsets(text, position)


def skip_space(text: str, position: int) -> int:
    """The position of the first character at or after ``position`` that is not JSON white space."""
    return _WHITESPACE.match(text, position).end()  # type: ignore[union-attr]


def _after_value(text: str, position: int) -> int:
    """The position after the value at ``position`` and the comma (and white space) that may follow it."""
    position = skip_space(text, _SKIPPER.raw_decode(text, position)[1])
    return skip_space(text, position + 1) if text[position] == "," else position


def _element_offsets(text: str, position: int) -> list[tuple[int, int]]:
    if text[position] != "[":
        return [(position, _SKIPPER.raw_decode(text, position)[1] - 1)]
    found = []
    position = skip_space(text, position + 1)
    while text[position] != "]":
        end = _SKIPPER.raw_decode(text, position)[1]
        found.append((position, end - 1))
        position = _after_value(text, position)
    return found


def statement_list_start(text: str) -> int | None:
    """Where the value of the top-level Statement key starts, or None."""
    position = skip_space(text, skip_space(text, 0) + 1)
    while text[position] == '"':
        key, position = json.decoder.scanstring(text, position + 1)
        position = skip_space(text, skip_space(text, position) + 1)  # past the colon
        if key == "Statement":
            return position
        position = _after_value(text, position)
    return None


def line_column(text: str, offset: int) -> tuple[int, int]:
    """1-based (line, column) of ``offset``."""
    return text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)


def _decode_key(token: str) -> str:
    if "\\" not in token:
        return token[1:-1]
    try:
        return str(json.loads(token))
    except ValueError:
        return token[1:-1]


def format_path(path: JsonPath) -> str:
    """``Statement[1].Condition.StringEquals`` style JSON path."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += ("." if text else "") + part
    return text
