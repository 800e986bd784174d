"""Load YAML the careful way: located errors, line numbers kept, no surprises.

Every loader in gluesim (knowledge base, scenarios, imports) reads YAML through
:func:`load`, so they all refuse the same bad input with the same kind of message:
non-UTF-8 bytes, files over a size limit, duplicate keys, alias bombs, and syntax
errors, each as ``file:line: what; expected``.

Mappings come back as :class:`Mapping` (a ``dict`` that also knows the line of
itself and of each key) and sequences as :class:`Sequence` (a ``list`` that knows
the line of each item), so validation can point at the exact line.

Why not a library that keeps marks itself: ruamel.yaml's round-trip loader knows every
line and refuses duplicate keys, but it read the 0.8 MiB benchmark scenario
(``bench/simulate_bench.py``) in 3.0 s of CPU against 0.47 s for PyYAML's C parser and the
small :class:`Builder` here (measured 2026-12-07, ruamel.yaml 0.19.1, PyYAML 6). Parsing
stays with PyYAML; only the node-to-value step, which PyYAML cannot give with lines, is ours.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gluesim.kb.errors import LocatedError
from gluesim.kb.gcpause import paused

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_MAX_NODES = 2_000_000
_STR_TAG = "tag:yaml.org,2002:str"


class Mapping(dict):
    """A YAML mapping that remembers its own line and the line of each key (1-based)."""

    line: int = 0
    key_lines: dict[Any, int]

    def line_of(self, key: Any) -> int:
        """Return the line of ``key``, or the mapping's own line when unknown."""
        return self.key_lines.get(key, self.line)


class Sequence(list):
    """A YAML sequence that remembers its own line and the line of each item (1-based)."""

    line: int = 0
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        """Return the line of item ``index``, or the sequence's own line when unknown."""
        return self.item_lines[index] if 0 <= index < len(self.item_lines) else self.line


def line_of(container: Any, key: Any) -> int | None:
    """Line of ``key`` inside ``container`` when it came from :func:`load`, else None."""
    if isinstance(container, (Mapping, Sequence)):
        return container.line_of(key)
    return None


def read_text(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES, what: str = "file") -> str:
    """Read a UTF-8 text file through :mod:`gluesim.kb.safefile` (regular files only, size capped)."""
    from gluesim.kb.safefile import read_bytes

    return decode_utf8(read_bytes(path, max_bytes, what), str(path))


def decode_utf8(data: bytes, name: str) -> str:
    """Decode bytes as UTF-8 (a BOM is allowed) or raise a located error naming the bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise LocatedError(
            f"{name}:{line}:{col}",
            f"byte 0x{data[exc.start]:02x} is not valid UTF-8; save the file as UTF-8",
        ) from None


def loads(text: str, name: str, max_nodes: int = DEFAULT_MAX_NODES) -> Any:
    """Parse YAML text into plain data with line numbers; ``name`` is used in errors."""
    with paused():
        node = compose(text, name, max_nodes)
        return None if node is None else Builder(name).construct(node)


def compose(text: str, name: str, max_nodes: int = DEFAULT_MAX_NODES) -> Any:
    """Compose YAML text into a node graph (no constructor runs), refusing syntax errors and alias bombs."""
    import yaml

    try:
        node = yaml.compose(text, Loader=_loader_class())
    except yaml.reader.ReaderError as exc:  # a character YAML forbids (NUL, other controls)
        line, col = _line_col(text, exc.position)
        code = exc.character if isinstance(exc.character, int) else ord(exc.character[:1] or "\0")
        raise LocatedError(f"{name}:{line}:{col}", f"character U+{code:04X} is not allowed in YAML; remove it") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        loc = f"{name}:{mark.line + 1}:{mark.column + 1}" if mark else name
        problem = exc.problem or exc.context or "invalid YAML"
        raise LocatedError(loc, f"YAML syntax error: {problem}") from None
    except yaml.YAMLError as exc:
        raise LocatedError(name, f"YAML error: {exc}") from None
    if node is not None and _may_expand_past(text, max_nodes):
        _check_expanded_size(node, name, max_nodes)
    return node


def _line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of ``offset`` in ``text``."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def load(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES, what: str = "YAML file") -> Any:
    """Read and parse a YAML file with every safeguard; see the module docstring."""
    return loads(read_text(path, max_bytes=max_bytes, what=what), str(path))


def _loader_class() -> type:
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _may_expand_past(text: str, max_nodes: int) -> bool:
    """Whether the node graph of ``text`` could hold more than ``max_nodes`` values once expanded.

    Only an alias makes one node count many times, and an alias needs an anchor, which is
    written ``&name``: with no ``&`` in the text every node stands for itself, and a node takes
    at least half a character of text (``a:`` is a key and an empty value), so a short text
    cannot exceed the limit and the walk (33 ms on the 0.8 MiB benchmark scenario) is skipped.
    """
    return "&" in text or 2 * len(text) + 1 > max_nodes


def _check_expanded_size(root: Any, name: str, max_nodes: int) -> None:
    """Refuse documents whose aliases expand past ``max_nodes`` (the "billion laughs" attack)."""
    import yaml

    sizes: dict[int, int] = {}
    active: set[int] = set()

    def size(node: Any) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in active:
            raise LocatedError(f"{name}:{node.start_mark.line + 1}", "recursive YAML alias; remove the cycle")
        active.add(key)
        total = 1
        if isinstance(node, yaml.MappingNode):
            total += sum(size(k) + size(v) for k, v in node.value)
        elif isinstance(node, yaml.SequenceNode):
            total += sum(size(item) for item in node.value)
        active.discard(key)
        if total > max_nodes:
            raise LocatedError(
                f"{name}:{node.start_mark.line + 1}",
                f"YAML aliases expand to more than {max_nodes:,} values; write the data out without aliases",
            )
        sizes[key] = total
        return total

    size(root)


class Builder:
    """Turns composed YAML nodes into :class:`Mapping`, :class:`Sequence` and scalars.

    Subclasses adapt it to a dialect (the CloudFormation loader turns ``!Ref`` tags into
    intrinsic functions) by overriding :meth:`construct`, :meth:`key` or :meth:`scalar`.
    """

    def __init__(self, name: str) -> None:
        import yaml

        self.name = name
        self.yaml = yaml
        self.scalars = yaml.constructor.SafeConstructor()

    def construct(self, node: Any) -> Any:
        if isinstance(node, self.yaml.MappingNode):
            return self.mapping(node)
        if isinstance(node, self.yaml.SequenceNode):
            return self.sequence(node)
        return self.scalar(node)

    def sequence(self, node: Any) -> Sequence:
        result = Sequence(self.construct(item) for item in node.value)
        result.line = node.start_mark.line + 1
        result.item_lines = [item.start_mark.line + 1 for item in node.value]
        return result

    def key(self, node: Any) -> Any:
        """The value of a mapping key node."""
        return self.scalar(node)

    def scalar(self, node: Any) -> Any:
        if node.tag == _STR_TAG:  # most values: the resolver already said it is a plain string
            return node.value
        try:
            return self.scalars.construct_object(node, deep=True)
        except self.yaml.constructor.ConstructorError as exc:
            raise LocatedError(self.at(node), f"cannot read value: {exc.problem}") from None
        except (ValueError, OverflowError) as exc:
            raise LocatedError(self.at(node), f"cannot read value {node.value!r}: {exc}") from None

    def mapping(self, node: Any) -> Mapping:
        result = Mapping()
        result.line = node.start_mark.line + 1
        result.key_lines = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise LocatedError(self.at(key_node), "YAML merge keys ('<<') are not supported; write the keys out")
            if not isinstance(key_node, self.yaml.ScalarNode):
                raise LocatedError(self.at(key_node), "a mapping key must be a plain value")
            key = self.key(key_node)
            if key in result.key_lines:
                raise LocatedError(
                    self.at(key_node), f"duplicate key {key!r} (first at line {result.key_lines[key]}); keep one"
                )
            result.key_lines[key] = key_node.start_mark.line + 1
            result[key] = self.construct(value_node)
        return result

    def at(self, node: Any) -> str:
        """``file:line`` of ``node``."""
        return f"{self.name}:{node.start_mark.line + 1}"
