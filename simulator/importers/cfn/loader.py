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

from gluesim.kb import yamlsafe
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
    node = yamlsafe.compose(text, name, MAX_NODES)  # syntax errors and the shared alias-bomb guard
    return None if node is None else _TemplateBuilder(name).construct(node)


class _TemplateBuilder(yamlsafe.Builder):
    """The shared YAML builder, with short-form tags read as intrinsic functions."""

    def construct(self, node: Any) -> Any:
        tag = node.tag or ""
        if tag.startswith("!") and not tag.startswith("!!"):
            return self.intrinsic(tag[1:], node)
        return super().construct(node)

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

    def key(self, node: Any) -> str:
        return str(node.value)  # CloudFormation keys are names: 'On' and 'Yes' stay strings

    def scalar(self, node: Any) -> Any:
        if node.tag == "tag:yaml.org,2002:timestamp":
            return str(node.value)  # CloudFormation reads 2012-10-17 as a string, not a date
        return super().scalar(node)
