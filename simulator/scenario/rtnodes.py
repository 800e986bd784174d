"""Helpers on ruamel.yaml round-trip nodes: style, where a node ends, new nodes, appending before a tail.

ruamel.yaml keeps the blank lines and comment lines that follow a collection on its deepest
last value (or, after a flow item, on the list's ``ca.end``). Appending there would put the
new entry after the blank line that closes a section; :func:`append` moves that tail to the
new last value instead.
"""

from __future__ import annotations

import json
from typing import Any


def is_map(node: Any) -> bool:
    """A round-trip mapping."""
    from ruamel.yaml.comments import CommentedMap

    return isinstance(node, CommentedMap)


def is_seq(node: Any) -> bool:
    """A round-trip list."""
    from ruamel.yaml.comments import CommentedSeq

    return isinstance(node, CommentedSeq)


def flow(node: Any) -> bool:
    """A collection written in flow style (``[a, b]``, ``{k: v}``)."""
    return bool(getattr(node, "fa", None) is not None and node.fa.flow_style())


def block(node: Any) -> bool:
    """A non-empty mapping or list in block style."""
    return (is_map(node) or is_seq(node)) and len(node) > 0 and not flow(node)


def new(value: Any, like: Any = None, double_quotes: bool = False) -> Any:
    """``value`` as round-trip nodes: block style, unless ``like`` (what it replaces or joins) is flow.

    A string that must be quoted gets double quotes when the file prefers them.
    """
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString

    if isinstance(like, str) and isinstance(value, dict):  # a policy the user wrote as a JSON string
        return LiteralScalarString(json.dumps(value, indent=2) + "\n")
    if isinstance(value, dict):
        node: Any = CommentedMap((k, new(v, double_quotes=double_quotes)) for k, v in value.items())
    elif isinstance(value, list):
        node = CommentedSeq(new(v, double_quotes=double_quotes) for v in value)
    elif isinstance(value, str) and double_quotes and _needs_quotes(value):
        return DoubleQuotedScalarString(value)
    else:
        return value
    if flow(like):
        node.fa.set_flow_style()
    return node


def prefers_double_quotes(text: str) -> bool:
    """True when the file quotes with ``"`` at least as often as with ``'``."""
    return text.count('"') >= text.count("'")


def _needs_quotes(value: str) -> bool:
    """True when YAML would read ``value`` unquoted as something else (a date, a number, an alias)."""
    import io

    from ruamel.yaml import YAML

    out = io.StringIO()
    YAML(typ="rt").dump([value], out)
    return out.getvalue()[2:3] in ("'", '"')


def start(parent: Any, key: Any) -> int:
    """The 0-based line where ``parent[key]`` (its key, or its list item) starts."""
    return parent.lc.key(key)[0] if is_map(parent) else parent.lc.item(key)[0]


def end(node: Any, line: int) -> int:
    """The last line (0-based) of ``node``, which starts at ``line``; a scalar ends where it starts."""
    if not (is_map(node) or is_seq(node)) or not len(node):
        return line
    keys = list(node) if is_map(node) else range(len(node))
    last = line
    for key in keys:
        first = start(node, key)
        value_line = node.lc.value(key)[0] if is_map(node) else first
        last = max(last, end(node[key], value_line))
    return last


def append(parent: Any, key: Any, value: Any) -> None:
    """Add ``value`` at the end of a mapping (under ``key``) or a list (``key`` None), before its tail."""
    tail = _detach_tail(parent) if block(parent) else ""
    if not len(parent) and parent.fa.flow_style() is None:
        parent.fa.set_flow_style()  # an empty collection is written [] or {}: stay on that line
    if key is None:
        parent.append(value)
    else:
        parent[key] = value
    if tail:
        _attach_tail(parent, tail)


def _last(node: Any) -> tuple[Any, int]:
    """(key or index of the last child, the comment slot ruamel uses for it)."""
    return (list(node)[-1], 2) if is_map(node) else (len(node) - 1, 0)


def _detach_tail(node: Any) -> str:
    ends = getattr(node.ca, "end", None)
    if ends:
        node.ca.end = []
        return "".join(token.value for token in ends)
    key, slot = _last(node)
    if block(node[key]):
        return _detach_tail(node[key])
    tokens = node.ca.items.get(key)
    token = tokens[slot] if tokens and len(tokens) > slot else None
    if token is None:
        return ""
    same_line, newline, rest = token.value.partition("\n")
    if not rest:
        return ""
    token.value = same_line + newline
    return rest


def _attach_tail(node: Any, tail: str) -> None:
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    key, slot = _last(node)
    child = node[key]
    if block(child):
        _attach_tail(child, tail)
    elif is_map(child) or is_seq(child):
        node.ca.end = [CommentToken(tail, CommentMark(0), None)]
    else:
        tokens = node.ca.items.setdefault(key, [None, None, None, None])
        tokens[slot] = CommentToken("\n" + tail, CommentMark(0), None)
