"""Template parameters as users give them, checked as CloudFormation checks them.

Where values come from: ``--parameter KEY=VALUE``, and ``--parameters FILE`` (``file://FILE``
too, the AWS CLI habit) in any of the usual shapes: the ``create-stack --parameters`` list
``[{"ParameterKey": K, "ParameterValue": V}]``, ``{"Parameters": {K: V}}`` (the CodePipeline
template configuration file, whose ``Tags`` and ``StackPolicy`` are ignored) or ``["K=V"]``.

A value in angle brackets (``<NO-DEFAULT>``, ``<your-bucket>``) is a placeholder a sample file
left for the user: it is reported and the parameter is unknown. A real value that breaks the
parameter's declared constraints (``AllowedValues``, ``AllowedPattern``, ``MinLength``/``MaxLength``,
``MinValue``/``MaxValue``, ``Type: Number``) is refused, as CloudFormation refuses to create
the stack: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html
(for ``CommaDelimitedList`` the pattern and the allowed values apply to each item).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from gluesim.kb.errors import LocatedError, did_you_mean
from gluesim.kb.yamlsafe import line_of
from gluesim.simulator.importers.cfn.intrinsics import Unknown
from gluesim.simulator.importers.common import Notices, read_json

PLACEHOLDER = re.compile(r"^<[^<>]*>$")  # <NO-DEFAULT>, <your-bucket-name>: left for the user to fill in
MAX_PARAMETER_FILE = 1024 * 1024


def read_parameter_file(spec: str) -> tuple[dict[str, str], dict[str, str]]:
    """(values, where each came from) of a parameter file; ``spec`` may start with ``file://``."""
    path = spec[len("file://"):] if spec.startswith("file://") else spec
    if not path:
        raise LocatedError(f"--parameters {spec!r}", "names no file; expected --parameters file://params.json or a path")
    data = read_json(Path(path), "parameter file", max_bytes=MAX_PARAMETER_FILE)
    values: dict[str, str] = {}
    origins: dict[str, str] = {}
    if isinstance(data, dict) and isinstance(data.get("Parameters"), dict):
        for key, value in data["Parameters"].items():
            origins[str(key)] = f"{path}: Parameters.{key}"
            values[str(key)] = _scalar(value, origins[str(key)])
        return values, origins
    if not isinstance(data, list):
        raise LocatedError(path, 'expected [{"ParameterKey": K, "ParameterValue": V}, ...] or {"Parameters": {K: V}}')
    for index, item in enumerate(data):
        key, value, where = _list_item(item, f"{path}: [{index}]")
        values[key], origins[key] = value, where
    return values, origins


def _list_item(item: Any, where: str) -> tuple[str, str, str]:
    if isinstance(item, dict) and isinstance(item.get("ParameterKey"), str):
        if item.get("UsePreviousValue") is True:
            raise LocatedError(f"{where}.UsePreviousValue", "the previous value of a deployed stack is not known offline; "
                               "give the value as ParameterValue")
        return item["ParameterKey"], _scalar(item.get("ParameterValue", ""), f"{where}.ParameterValue"), f"{where}.ParameterValue"
    if isinstance(item, str) and "=" in item:
        key, _, value = item.partition("=")
        return key, value, where
    raise LocatedError(where, 'expected {"ParameterKey": K, "ParameterValue": V} or "K=V"')


def _scalar(value: Any, where: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    raise LocatedError(where, f"expected a text value, got {value!r}")


def check_given_parameters(templates: list[tuple[str, dict[str, Any]]], given: dict[str, str],
                           origins: dict[str, str] | None = None) -> None:
    """Every given parameter must be one some template declares (CloudFormation refuses others)."""
    declared = {key for _, template in templates for key in (template.get("Parameters") or {})}
    for key in given:
        if key not in declared:
            same = [name for name in declared if name.lower() == key.lower()]
            hint = f"; did you mean {same[0]!r}?" if same else did_you_mean(key, declared) or f"; declared: {', '.join(sorted(declared)) or 'none'}"
            where = (origins or {}).get(key, f"--parameter {key}")
            raise LocatedError(where, f"no template declares a parameter {key!r}{hint}")


def parameter_values(template: dict[str, Any], name: str, given: dict[str, str], notices: Notices,
                     origins: dict[str, str] | None = None) -> dict[str, Any]:
    """Each declared parameter's value: the user's, else its Default, else :class:`Unknown`."""
    declared = template.get("Parameters") or {}
    if not isinstance(declared, dict):
        raise LocatedError(f"{name}: Parameters", "expected a mapping of parameter names")
    values: dict[str, Any] = {}
    for key, spec in declared.items():
        at = _at(name, declared, key)
        spec = spec if isinstance(spec, dict) else {}
        where = (origins or {}).get(key, f"--parameter {key}") if key in given else at
        values[key] = _value(key, spec, given.get(key, spec.get("Default")), where, at, notices)
    return values


def _value(key: str, spec: dict[str, Any], raw: Any, where: str, at: str, notices: Notices) -> Any:
    if isinstance(raw, Unknown):  # a parent stack passed a value known only after deployment
        return raw
    if isinstance(raw, list):  # a parent stack passes a list as comma-delimited text
        unknown = next((item for item in raw if isinstance(item, Unknown)), None)
        if unknown is not None:
            return unknown
        raw = ",".join(str(item) for item in raw)
    kind = str(spec.get("Type", "String"))
    if kind.startswith("AWS::SSM::Parameter::Value<"):
        notices.unknown(at, f"parameter {key!r} is read from SSM Parameter Store at deployment; values built from it are unknown")
        return Unknown(f"parameter {key!r} comes from SSM Parameter Store ({raw!r})")
    if raw is None:
        notices.unknown(at, f"parameter {key!r} has no default and no --parameter value; values built from it are unknown")
        return Unknown(f"parameter {key!r} has no value (pass --parameter {key}=VALUE)")
    text = ("true" if raw else "false") if isinstance(raw, bool) else str(raw)
    if PLACEHOLDER.match(text.strip()):
        notices.unknown(where, f"parameter {key!r} is the placeholder {text!r}; values built from it are unknown")
        return Unknown(f"parameter {key!r} is the placeholder {text!r} (pass --parameter {key}=VALUE)")
    listed = kind.startswith("List<") or kind == "CommaDelimitedList"
    items = [item.strip() for item in text.split(",")] if listed else [text]
    for item in items:
        _check(key, spec, kind, item, where, at)
    return items if listed else text


def _check(key: str, spec: dict[str, Any], kind: str, value: str, where: str, at: str) -> None:
    """Refuse a value CloudFormation would refuse for this parameter."""
    refused = f"CloudFormation refuses it (declared at {at})"
    allowed = spec.get("AllowedValues")
    if isinstance(allowed, list) and value not in [str(v).lower() if isinstance(v, bool) else str(v) for v in allowed]:
        raise LocatedError(where, f"{value!r} is not an allowed value of parameter {key!r}; {refused}, "
                           f"expected one of {', '.join(map(str, allowed))}{did_you_mean(value, map(str, allowed))}")
    pattern = spec.get("AllowedPattern")
    if isinstance(pattern, str) and kind in ("String", "CommaDelimitedList") and not _full_match(pattern, value, at):
        hint = spec.get("ConstraintDescription") or f"expected a value matching {pattern!r}"
        raise LocatedError(where, f"{value!r} does not match the AllowedPattern of parameter {key!r}; {refused}: {hint}")
    if kind in ("String", "CommaDelimitedList"):
        _bounds(key, len(value), spec, "MinLength", "MaxLength", f"{len(value)} characters", where, refused)
    if kind in ("Number", "List<Number>"):
        try:
            number = float(value)
        except ValueError:
            raise LocatedError(where, f"{value!r} is not a number, and parameter {key!r} is a {kind}; {refused}") from None
        _bounds(key, number, spec, "MinValue", "MaxValue", value, where, refused)


def _bounds(key: str, amount: float, spec: dict[str, Any], low: str, high: str, shown: str, where: str, refused: str) -> None:
    for bound, too in ((low, lambda limit: amount < limit), (high, lambda limit: amount > limit)):
        limit = spec.get(bound)
        try:
            limit_value = float(limit) if limit is not None else None
        except (TypeError, ValueError):
            continue
        if limit_value is not None and too(limit_value):
            raise LocatedError(where, f"{shown} is outside {bound} {limit} of parameter {key!r}; {refused}")


def _full_match(pattern: str, value: str, at: str) -> bool:
    try:
        return re.fullmatch(pattern, value) is not None
    except re.error as exc:
        raise LocatedError(at, f"AllowedPattern {pattern!r} is not a regular expression ({exc})") from None


def _at(name: str, container: Any, key: str) -> str:
    line = line_of(container, key)
    return f"{name}:{line}" if line else f"{name}: Parameters.{key}"
