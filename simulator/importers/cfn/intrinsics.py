"""Resolve CloudFormation intrinsic functions offline, naming what cannot be known.

Implements the functions of the intrinsic function reference
(https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html):
Ref, Fn::GetAtt, Fn::Sub (``${!Literal}`` stays ``${Literal}``), Fn::Join, Fn::If with
the condition functions, Fn::Select, Fn::Split, Fn::FindInMap, Fn::Base64, Fn::GetAZs,
Fn::Cidr; and the pseudo parameters
(https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/pseudo-parameter-reference.html).
What only exists after deployment (custom resources, Fn::ImportValue, nested stack
outputs, parameters with no value) resolves to :class:`Unknown`, which names the reason.
"""

from __future__ import annotations

import base64
import ipaddress
import re
from dataclasses import dataclass
from typing import Any

from gluesim.kb.errors import LocatedError, did_you_mean
from gluesim.kb.yamlsafe import line_of


@dataclass(frozen=True, slots=True)
class Unknown:
    """A value an offline import cannot know, and why."""

    reason: str

    def __str__(self) -> str:
        return f"<unknown: {self.reason}>"


class NoValue:
    """``Ref: AWS::NoValue``: the property or list item is removed."""


NO_VALUE = NoValue()
CONDITION_FUNCTIONS = frozenset({"Fn::Equals", "Fn::And", "Fn::Or", "Fn::Not", "Condition"})
# Functions CloudFormation defines whose result gluesim does not compute offline: a valid
# template using them gets an unknown value, while any other Fn:: name is refused, as
# CloudFormation refuses it ("Template format error: Encountered unsupported function").
UNMODELLED_FUNCTIONS = frozenset({"Fn::Transform", "Fn::ForEach"})
# The largest template CloudFormation accepts is 1 MB (template body in S3, "CloudFormation
# quotas": https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html);
# no single value built by intrinsic functions can usefully be larger, and all of them together
# are capped at a few times that, so that YAML aliases cannot blow Fn::Sub/Fn::Join up.
MAX_VALUE_CHARS = 1024 * 1024
MAX_BUILT_CHARS = 32 * MAX_VALUE_CHARS
_SUB_VARIABLE = re.compile(r"\$\{([^}]*)\}")


def intrinsic_name(value: Any) -> str | None:
    """The function a one-key mapping calls (``Ref`` or ``Fn::*``), or None for plain data."""
    if isinstance(value, dict) and len(value) == 1:
        key = next(iter(value))
        if key == "Ref" or (isinstance(key, str) and key.startswith("Fn::")):
            return key
    return None


def first_unknown(*values: Any) -> Unknown | None:
    """The first :class:`Unknown` among ``values`` (searching lists one level deep)."""
    for value in values:
        if isinstance(value, Unknown):
            return value
        if isinstance(value, list):
            found = next((item for item in value if isinstance(item, Unknown)), None)
            if found:
                return found
    return None


class Resolver:
    """Resolves the values of one template; ``names`` supplies resource Ref/GetAtt values."""

    def __init__(self, template: dict[str, Any], name: str, parameters: dict[str, Any], pseudo: dict[str, Any], names: Any) -> None:
        self.template = template
        self.name = name
        self.parameters = parameters
        self.pseudo = pseudo
        self.names = names  # object with ref(logical_id, where) and get_att(logical_id, attribute, where)
        self.resources: dict[str, Any] = template.get("Resources") or {}
        self.mappings: dict[str, Any] = template.get("Mappings") or {}
        self.conditions: dict[str, Any] = template.get("Conditions") or {}
        self._condition_values: dict[str, Any] = {}
        self._evaluating: list[str] = []
        self.built = 0  # characters built by intrinsic functions so far

    def at(self, container: Any, key: Any, path: str) -> str:
        """``file:line`` when the YAML line is known, else ``file: JSON.path``."""
        line = line_of(container, key)
        return f"{self.name}:{line}" if line else f"{self.name}: {path}"

    # -- values -------------------------------------------------------------------------
    def value(self, node: Any, path: str) -> Any:
        """The resolved value of ``node`` (a property value), with NoValue items dropped."""
        function = intrinsic_name(node)
        if function is not None:
            return self.call(function, node[function], node, path)
        if isinstance(node, dict):
            resolved = {key: self.value(item, f"{path}.{key}") for key, item in node.items()}
            return {key: item for key, item in resolved.items() if item is not NO_VALUE}
        if isinstance(node, list):
            resolved = [self.value(item, f"{path}[{i}]") for i, item in enumerate(node)]
            return [item for item in resolved if item is not NO_VALUE]
        return node

    def call(self, function: str, args: Any, node: Any, path: str) -> Any:
        handler = _FUNCTIONS.get(function)
        where = self.at(node, function, path)
        if handler is None:
            if function in UNMODELLED_FUNCTIONS:
                return Unknown(f"{function} at {where} is not resolved offline")
            hint = did_you_mean(function, [*_FUNCTIONS, *UNMODELLED_FUNCTIONS]) or "; expected e.g. Fn::Sub or Fn::Join"
            raise LocatedError(where, f"unknown intrinsic function {function!r}, which CloudFormation refuses{hint}")
        return self.capped(handler(self, args, where, f"{path}.{function}"), function, where)

    def capped(self, value: Any, function: str, where: str) -> Any:
        """``value``, unless it (or everything built so far) is beyond what a template can hold."""
        size = len(value) if isinstance(value, str) else sum(len(v) for v in value if isinstance(v, str)) if isinstance(value, list) else 0
        self.built += size
        if size > MAX_VALUE_CHARS:
            raise LocatedError(where, f"{function} builds a value of {size:,} characters; CloudFormation templates hold at "
                               f"most {MAX_VALUE_CHARS:,} (are YAML aliases repeating it?)")
        if self.built > MAX_BUILT_CHARS:
            raise LocatedError(where, f"the template's intrinsic functions build more than {MAX_BUILT_CHARS:,} characters; "
                               "expected at most a few times the 1 MB a template can hold (are YAML aliases repeating values?)")
        return value

    def text(self, node: Any, path: str) -> Any:
        """A value that must be a string (numbers and booleans become their CloudFormation text)."""
        value = self.value(node, path)
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (int, float)):
            return str(value)
        return value

    def string(self, node: Any, path: str, where: str, what: str) -> Any:
        """A value that must resolve to one string (or :class:`Unknown`); anything else is an error."""
        value = self.text(node, path)
        if isinstance(value, (str, Unknown)):
            return value
        raise LocatedError(where, f"{what} must be a string, not {value!r}")

    # -- references ---------------------------------------------------------------------
    def ref(self, target: Any, where: str) -> Any:
        if not isinstance(target, str):
            raise LocatedError(where, f"Ref takes a name, not {target!r}")
        if target == "AWS::NoValue":
            return NO_VALUE
        if target in self.pseudo:
            return self.pseudo[target]
        if target.startswith("AWS::"):
            raise LocatedError(where, f"unknown pseudo parameter {target!r}{did_you_mean(target, self.pseudo)}")
        if target in self.parameters:
            return self.parameters[target]
        if target in self.resources:
            return self.names.ref(target, where)
        choices = list(self.parameters) + list(self.resources)
        raise LocatedError(where, f"Ref to {target!r}, which is neither a parameter nor a resource{did_you_mean(target, choices)}")

    def get_att(self, args: Any, where: str, path: str) -> Any:
        if isinstance(args, str):
            args = args.split(".", 1)
        if not isinstance(args, list) or len(args) != 2:
            raise LocatedError(where, "Fn::GetAtt takes [LogicalId, Attribute]")
        logical_id, attribute = args[0], self.string(args[1], f"{path}[1]", where, "the Fn::GetAtt attribute")
        if isinstance(attribute, Unknown):
            return attribute
        if not isinstance(logical_id, str):
            raise LocatedError(where, f"Fn::GetAtt takes a resource name, not {logical_id!r}")
        if logical_id not in self.resources:
            raise LocatedError(where, f"Fn::GetAtt of {logical_id!r}, which is not a resource{did_you_mean(str(logical_id), self.resources)}")
        return self.names.get_att(logical_id, attribute, where)

    # -- conditions ---------------------------------------------------------------------
    def condition(self, name: Any, where: str) -> Any:
        """True/False, or :class:`Unknown` when it depends on an unknown value."""
        if not isinstance(name, str) or name not in self.conditions:
            raise LocatedError(where, f"unknown condition {name!r}{did_you_mean(str(name), self.conditions)}")
        if name in self._condition_values:
            return self._condition_values[name]
        if name in self._evaluating:
            cycle = " -> ".join([*self._evaluating[self._evaluating.index(name):], name])
            raise LocatedError(where, f"circular condition: {cycle}; a condition cannot depend on itself")
        self._evaluating.append(name)
        try:
            result = self.condition_value(self.conditions[name], f"Conditions.{name}", self.at(self.conditions, name, f"Conditions.{name}"))
        finally:
            self._evaluating.pop()
        self._condition_values[name] = result
        return result

    def condition_value(self, node: Any, path: str, where: str) -> Any:
        if isinstance(node, dict) and len(node) == 1 and next(iter(node)) == "Condition":
            return self.condition(node["Condition"], where)
        function = intrinsic_name(node)
        if function not in CONDITION_FUNCTIONS:
            raise LocatedError(where, f"{path}: expected Fn::Equals, Fn::And, Fn::Or, Fn::Not or Condition")
        args = node[function]
        if function == "Fn::Equals":
            if not isinstance(args, list) or len(args) != 2:
                raise LocatedError(where, "Fn::Equals takes two values")
            # Compared as strings: YAML true equals the parameter value "true".
            left, right = (self.text(a, f"{path}.Fn::Equals[{i}]") for i, a in enumerate(args))
            unknown = first_unknown(left, right)
            return unknown if unknown else _as_text(left) == _as_text(right)
        if not isinstance(args, list) or not args:
            raise LocatedError(where, f"{function} takes a list of conditions")
        values = [self.condition_value(a, f"{path}.{function}[{i}]", where) for i, a in enumerate(args)]
        return _logic(function, values)


def _as_text(value: Any) -> Any:
    if isinstance(value, list):
        return [_as_text(v) for v in value]
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value) if isinstance(value, (int, float)) else value


def _logic(function: str, values: list[Any]) -> Any:
    known = [v for v in values if not isinstance(v, Unknown)]
    unknown = first_unknown(*values)
    if function == "Fn::Not":
        return unknown if unknown else not values[0]
    if function == "Fn::And":
        return False if False in known else (unknown or True)
    return True if True in known else (unknown or False)


# -- the functions ------------------------------------------------------------------------
def _ref(r: Resolver, args: Any, where: str, path: str) -> Any:
    return r.ref(args, where)


def _get_att(r: Resolver, args: Any, where: str, path: str) -> Any:
    return r.get_att(args, where, path)


def _sub(r: Resolver, args: Any, where: str, path: str) -> Any:
    variables: dict[str, Any] = {}
    if isinstance(args, list):
        if len(args) != 2 or not isinstance(args[1], dict):
            raise LocatedError(where, "Fn::Sub takes a string or [string, {Name: value}]")
        variables = {k: r.string(v, f"{path}[1].{k}", where, f"Fn::Sub variable {k!r}") for k, v in args[1].items()}
        args = args[0]
    if not isinstance(args, str):
        raise LocatedError(where, f"Fn::Sub takes a string, not {args!r}")
    pieces: list[Any] = []
    position = 0
    for match in _SUB_VARIABLE.finditer(args):
        pieces.append(args[position:match.start()])
        pieces.append(_sub_variable(r, match.group(1), variables, where))
        position = match.end()
    pieces.append(args[position:])
    unknown = first_unknown(*pieces)
    return unknown if unknown else "".join(_as_text(p) if not isinstance(p, list) else ",".join(p) for p in pieces)


def _sub_variable(r: Resolver, name: str, variables: dict[str, Any], where: str) -> Any:
    if name.startswith("!"):
        return "${" + name[1:] + "}"  # ${!Literal} writes ${Literal}, e.g. IAM's ${!aws:username}
    name = name.strip()
    if name in variables:
        return variables[name]
    if "." in name and not name.startswith("AWS::"):
        return r.get_att(name.split(".", 1), where, where)
    return r.ref(name, where)


def _join(r: Resolver, args: Any, where: str, path: str) -> Any:
    if not isinstance(args, list) or len(args) != 2:
        raise LocatedError(where, "Fn::Join takes [delimiter, [values]]")
    delimiter = r.string(args[0], f"{path}[0]", where, "the Fn::Join delimiter")
    items = r.value(args[1], f"{path}[1]")
    unknown = first_unknown(delimiter, items)
    if unknown:
        return unknown
    if not isinstance(items, list):
        raise LocatedError(where, f"Fn::Join needs a list of values, got {items!r}")
    items = [_as_text(item) for item in items]
    unknown = first_unknown(items)
    if unknown:
        return unknown
    if not all(isinstance(item, str) for item in items):
        raise LocatedError(where, "Fn::Join can only join strings")
    return delimiter.join(items)


def _select(r: Resolver, args: Any, where: str, path: str) -> Any:
    if not isinstance(args, list) or len(args) != 2:
        raise LocatedError(where, "Fn::Select takes [index, [values]]")
    index, items = r.string(args[0], f"{path}[0]", where, "the Fn::Select index"), r.value(args[1], f"{path}[1]")
    unknown = first_unknown(index, items)
    if unknown:
        return unknown
    if not isinstance(items, list):
        raise LocatedError(where, f"Fn::Select needs a list, got {items!r}")
    if not (isinstance(index, str) and index.isdigit() and int(index) < len(items)):
        raise LocatedError(where, f"Fn::Select index {index!r} is out of range for {len(items)} values")
    return items[int(index)]


def _split(r: Resolver, args: Any, where: str, path: str) -> Any:
    if not isinstance(args, list) or len(args) != 2:
        raise LocatedError(where, "Fn::Split takes [delimiter, string]")
    delimiter, source = r.string(args[0], f"{path}[0]", where, "the Fn::Split delimiter"), r.string(args[1], f"{path}[1]", where, "the Fn::Split source")
    unknown = first_unknown(delimiter, source)
    if unknown:
        return unknown
    if not isinstance(delimiter, str) or not isinstance(source, str) or not delimiter:
        raise LocatedError(where, "Fn::Split takes a non-empty delimiter and a string")
    return source.split(delimiter)


def _if(r: Resolver, args: Any, where: str, path: str) -> Any:
    if not isinstance(args, list) or len(args) != 3:
        raise LocatedError(where, "Fn::If takes [Condition, value if true, value if false]")
    verdict = r.condition(args[0], where)
    if isinstance(verdict, Unknown):
        return Unknown(f"condition {args[0]!r} depends on {verdict.reason}")
    return r.value(args[1] if verdict else args[2], f"{path}[{1 if verdict else 2}]")


def _find_in_map(r: Resolver, args: Any, where: str, path: str) -> Any:
    if not isinstance(args, list) or len(args) not in (3, 4):
        raise LocatedError(where, "Fn::FindInMap takes [MapName, TopLevelKey, SecondLevelKey]")
    keys = [r.string(a, f"{path}[{i}]", where, "a Fn::FindInMap key") for i, a in enumerate(args[:3])]
    unknown = first_unknown(*keys)
    if unknown:
        return unknown
    level: Any = r.mappings
    for key in keys:
        if not isinstance(level, dict) or key not in level:
            if len(args) == 4:  # AWS::LanguageExtensions DefaultValue
                return r.value(args[3], f"{path}[3]")
            choices = level if isinstance(level, dict) else {}
            raise LocatedError(where, f"Fn::FindInMap: no key {key!r} in the mapping{did_you_mean(str(key), choices)}")
        level = level[key]
    return r.value(level, path)


def _base64(r: Resolver, args: Any, where: str, path: str) -> Any:
    value = r.string(args, path, where, "the Fn::Base64 value")
    if isinstance(value, Unknown):
        return value
    return base64.b64encode(value.encode()).decode()


def _get_azs(r: Resolver, args: Any, where: str, path: str) -> Any:
    region = r.string(args, path, where, "the Fn::GetAZs region") or r.pseudo["AWS::Region"]
    if isinstance(region, Unknown):
        return region
    return [f"{region}{letter}" for letter in "abc"]


def _cidr(r: Resolver, args: Any, where: str, path: str) -> Any:
    if not isinstance(args, list) or len(args) != 3:
        raise LocatedError(where, "Fn::Cidr takes [ipBlock, count, cidrBits]")
    block, count, bits = (r.string(a, f"{path}[{i}]", where, "a Fn::Cidr argument") for i, a in enumerate(args))
    unknown = first_unknown(block, count, bits)
    if unknown:
        return unknown
    # Fn::Cidr makes 1 to 256 blocks (Fn::Cidr reference page).
    if not (isinstance(count, str) and count.isdigit() and 1 <= int(count) <= 256):
        raise LocatedError(where, f"Fn::Cidr count {count!r} must be a whole number from 1 to 256")
    try:
        network = ipaddress.ip_network(block, strict=False)
        prefix = network.max_prefixlen - int(bits)
        subnets = network.subnets(new_prefix=prefix)
        return [str(next(subnets)) for _ in range(int(count))]
    except (ValueError, TypeError, StopIteration) as exc:
        raise LocatedError(where, f"Fn::Cidr cannot split {block!r} into {count} blocks of {bits} bits: {exc}") from None


def _length(r: Resolver, args: Any, where: str, path: str) -> Any:
    items = r.value(args, path)
    unknown = first_unknown(items)
    if unknown:
        return unknown
    if not isinstance(items, list):
        raise LocatedError(where, f"Fn::Length takes a list, not {items!r}")
    return len(items)


def _to_json_string(r: Resolver, args: Any, where: str, path: str) -> Any:
    import json

    value = r.value(args, path)
    if not isinstance(value, (dict, list)):
        raise LocatedError(where, f"Fn::ToJsonString takes an object or a list, not {value!r}")
    found: list[Unknown] = []
    _collect_unknowns(value, found)
    return found[0] if found else json.dumps(value, separators=(",", ":"))


def _collect_unknowns(value: Any, found: list[Unknown]) -> None:
    if isinstance(value, Unknown):
        found.append(value)
    elif isinstance(value, dict):
        for item in value.values():
            _collect_unknowns(item, found)
    elif isinstance(value, list):
        for item in value:
            _collect_unknowns(item, found)


def _import_value(r: Resolver, args: Any, where: str, path: str) -> Any:
    name = r.string(args, path, where, "the Fn::ImportValue name")
    return Unknown(f"Fn::ImportValue {str(name)!r} at {where} (another stack's export is not available offline)")


_FUNCTIONS = {
    "Ref": _ref,
    "Fn::GetAtt": _get_att,
    "Fn::Sub": _sub,
    "Fn::Join": _join,
    "Fn::Select": _select,
    "Fn::Split": _split,
    "Fn::If": _if,
    "Fn::FindInMap": _find_in_map,
    "Fn::Base64": _base64,
    "Fn::GetAZs": _get_azs,
    "Fn::Cidr": _cidr,
    "Fn::ImportValue": _import_value,
    "Fn::Length": _length,  # AWS::LanguageExtensions
    "Fn::ToJsonString": _to_json_string,  # AWS::LanguageExtensions
}
