"""Read a CloudFormation template (JSON or YAML with short-form tags) into plain data.

``yaml.safe_load`` rejects ``!Ref`` and friends, so templates are composed with the
safe loader (composing never runs constructors) and built here: a short-form tag
``!X`` becomes the long form ``{"Fn::X": ...}`` (``!Ref`` and ``!Condition`` keep their
names; a scalar ``!GetAtt A.B.C`` becomes ``["A", "B.C"]``), as the CloudFormation
user guide describes for YAML
(https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html).
YAML 1.1 timestamps stay strings (``Version: 2012-10-17`` is a string to CloudFormation).
The same safeguards as ``gluesim.kb.yamlsafe`` apply: size, UTF-8, duplicate keys,
merge keys and alias bombs are refused with a located error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gluesim.kb.errors import LocatedError
from gluesim.kb.yamlsafe import Mapping, Sequence, read_text

# CloudFormation accepts templates up to 1 MB (S3-hosted); leave room, refuse giants before reading.
MAX_TEMPLATE_BYTES = 4 * 1024 * 1024
MAX_NODES = 500_000

SHORT_FORMS = frozenset(
    {
        "Ref", "Condition", "Sub", "GetAtt", "Join", "If", "Equals", "And", "Or", "Not", "Select", "Split",
        "FindInMap", "Base64", "GetAZs", "ImportValue", "Cidr", "Transform", "Length", "ToJsonString", "ForEach",
    }
)


def load(path: str | Path) -> Any:
    """Parse a template file; JSON when it starts with ``{``, YAML otherwise."""
    text = read_text(path, max_bytes=MAX_TEMPLATE_BYTES, what="CloudFormation template")
    return loads(text, str(path))


def loads(text: str, name: str) -> Any:
    """Parse template text; ``name`` prefixes every located error."""
    if text.lstrip().startswith("{"):
        from gluesim.simulator.importers.common import loads_json

        return loads_json(text, name)
    import yaml

    from gluesim.kb import yamlsafe

    try:
        node = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{name}:{mark.line + 1}:{mark.column + 1}" if mark else name
        raise LocatedError(where, f"YAML syntax error: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise LocatedError(name, f"YAML error: {exc}") from None
    if node is None:
        return None
    yamlsafe._check_expanded_size(node, name, MAX_NODES)  # the shared alias-bomb guard
    return _Builder(name).build(node)


class _Builder:
    """Composed YAML nodes → :class:`Mapping` / :class:`Sequence` / scalars, tags → intrinsics."""

    def __init__(self, name: str) -> None:
        import yaml

        self.name = name
        self.yaml = yaml
        self.scalars = yaml.constructor.SafeConstructor()

    def build(self, node: Any) -> Any:
        tag = node.tag or ""
        if tag.startswith("!") and not tag.startswith("!!"):
            return self.intrinsic(tag[1:], node)
        if isinstance(node, self.yaml.MappingNode):
            return self.mapping(node)
        if isinstance(node, self.yaml.SequenceNode):
            return self.sequence(node)
        return self.scalar(node)

    def intrinsic(self, suffix: str, node: Any) -> Mapping:
        if suffix not in SHORT_FORMS:
            raise LocatedError(self.at(node), f"unknown tag '!{suffix}'; expected a CloudFormation short form such as !Ref or !Sub")
        key = suffix if suffix in ("Ref", "Condition") else f"Fn::{suffix}"
        if isinstance(node, self.yaml.ScalarNode):
            value: Any = str(node.value)
            if key == "Fn::GetAtt":
                value = Sequence(value.split(".", 1))
                value.line, value.item_lines = node.start_mark.line + 1, []
        elif isinstance(node, self.yaml.SequenceNode):
            value = self.sequence(node)
        else:
            value = self.mapping(node)
        result = Mapping({key: value})
        result.line = node.start_mark.line + 1
        result.key_lines = {key: result.line}
        return result

    def sequence(self, node: Any) -> Sequence:
        result = Sequence(self.build(item) for item in node.value)
        result.line = node.start_mark.line + 1
        result.item_lines = [item.start_mark.line + 1 for item in node.value]
        return result

    def mapping(self, node: Any) -> Mapping:
        result = Mapping()
        result.line = node.start_mark.line + 1
        result.key_lines = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise LocatedError(self.at(key_node), "YAML merge keys ('<<') are not supported; write the keys out")
            if not isinstance(key_node, self.yaml.ScalarNode):
                raise LocatedError(self.at(key_node), "a mapping key must be a plain value")
            key = str(key_node.value)  # CloudFormation keys are names: 'On' and 'Yes' stay strings
            if key in result.key_lines:
                raise LocatedError(self.at(key_node), f"duplicate key {key!r} (first at line {result.key_lines[key]}); keep one")
            result.key_lines[key] = key_node.start_mark.line + 1
            result[key] = self.build(value_node)
        return result

    def scalar(self, node: Any) -> Any:
        if node.tag == "tag:yaml.org,2002:timestamp":
            return str(node.value)  # CloudFormation reads 2012-10-17 as a string, not a date
        try:
            return self.scalars.construct_object(node, deep=True)
        except self.yaml.constructor.ConstructorError as exc:
            raise LocatedError(self.at(node), f"cannot read value: {exc.problem}") from None
        except (ValueError, OverflowError) as exc:
            raise LocatedError(self.at(node), f"cannot read value {node.value!r}: {exc}") from None

    def at(self, node: Any) -> str:
        return f"{self.name}:{node.start_mark.line + 1}"
