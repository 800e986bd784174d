"""Read ``aws iam simulate-custom-policy`` style command-line values.

- policy documents: ``file://path`` or the JSON text itself;
- ``--context-entries``: AWS CLI shorthand
  ``ContextKeyName=aws:SourceIp,ContextKeyValues=1.2.3.4,ContextKeyType=ip`` (several values:
  ``ContextKeyValues=a,b`` or ``ContextKeyValues=[a,b]``; values may be quoted), or JSON (an
  entry object or a list of them), or ``file://entries.json``;
- list options take several values after one flag, as the AWS CLI does
  (``--action-names s3:GetObject s3:PutObject``; ``expand_list_options``);
- ``--cli-input-json file://req.json``: the request as a JSON object with the API's parameter
  names (``read_cli_input_json``); options given on the command line take precedence.
Shorthand syntax: https://docs.aws.amazon.com/cli/latest/userguide/cli-usage-shortcuts.html
List values: https://docs.aws.amazon.com/cli/latest/userguide/cli-usage-parameters-types.html
Input JSON: https://docs.aws.amazon.com/cli/latest/userguide/cli-usage-skeleton.html
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from gluesim.kb.errors import LocatedError
from gluesim.kb.jsonnumbers import NumberTooLong, parse_int
from gluesim.simulator.iam.lint import read_policy_file

ENTRY_FIELDS = ("ContextKeyName", "ContextKeyValues", "ContextKeyType")
# The options of ``aws iam simulate-custom-policy`` (and gluesim's extensions) whose type is a list.
LIST_OPTIONS = frozenset({"--policy-input-list", "--permissions-boundary-policy-input-list", "--action-names",
                          "--resource-arns", "--context-entries", "--session-policy-input-list",
                          "--vpc-endpoint-policy-input-list"})
# SimulateCustomPolicy's request parameters, and gluesim's documented extensions.
# https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulateCustomPolicy.html
REQUEST_KEYS = ("PolicyInputList", "PermissionsBoundaryPolicyInputList", "ActionNames", "ResourceArns",
                "ResourcePolicy", "ResourceOwner", "CallerArn", "ContextEntries", "ResourceHandlingOption",
                "MaxItems", "Marker", "ServiceControlPolicyInputList", "ResourceControlPolicyInputList",
                "SessionPolicyInputList", "VpcEndpointPolicyInputList")


def expand_list_options(args: list[str]) -> list[str]:
    """``--action-names a b`` as ``--action-names a --action-names b``: every list option takes several values."""
    out: list[str] = []
    current: str | None = None
    has_value = False
    for arg in args:
        if arg.startswith("-") and len(arg) > 1:
            current, has_value = (arg if arg in LIST_OPTIONS else None), False
        elif current is not None:
            if has_value:
                out.append(current)
            has_value = True
        out.append(arg)
    return out


def read_cli_input_json(value: str) -> tuple[dict[str, Any], str]:
    """The request object of ``--cli-input-json`` (``file://PATH`` or JSON text) and its source name."""
    from gluesim.kb.errors import did_you_mean

    if value.startswith("file://"):
        path = Path(value[len("file://"):])
        text, source = read_policy_file(path), str(path)
    else:
        text, source = value, "--cli-input-json"
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise LocatedError(f"{source}:{exc.lineno}:{exc.colno}", f"invalid JSON: {exc.msg}") from None
    if not isinstance(data, dict):
        raise LocatedError(source, "expected a JSON object of SimulateCustomPolicy parameters, e.g. "
                           '{"PolicyInputList": ["{...}"], "ActionNames": ["s3:GetObject"]}')
    for key in data:
        if key not in REQUEST_KEYS:
            raise LocatedError(f"{source}: {key}", f"unknown parameter {key!r}{did_you_mean(key, REQUEST_KEYS)}; "
                               "expected a SimulateCustomPolicy parameter name")
    return data, source


def json_policy_texts(data: dict[str, Any], key: str, source: str) -> list[tuple[str, str]] | None:
    """(text, source) of each policy of list parameter ``key`` in a ``--cli-input-json`` object, or None."""
    if key not in data:
        return None
    items = data[key]
    if not isinstance(items, list):
        raise LocatedError(f"{source}: {key}", "expected a list of policy documents (JSON text)")
    return [(_document_text(item, f"{source}: {key}[{i}]"), f"{source}: {key}[{i}]") for i, item in enumerate(items)]


def _document_text(item: Any, where: str) -> str:
    if isinstance(item, str):
        return item
    if isinstance(item, dict):
        return json.dumps(item, indent=2)
    raise LocatedError(where, "expected a policy document as JSON text")


def policy_text(value: str, option: str) -> tuple[str, str]:
    """(text, source name) for ``file://path`` or inline JSON."""
    if value.startswith("file://"):
        path = Path(value[len("file://"):])
        return read_policy_file(path), str(path)
    if value.lstrip().startswith("{"):
        return value, option
    raise LocatedError(option, f"{value!r} is neither file://PATH nor a JSON policy document; "
                       "expected e.g. file://policy.json")


def context_entries(values: list[str]) -> list[dict[str, Any]]:
    """ContextEntries (boto3 shape) from the ``--context-entries`` values given."""
    entries: list[dict[str, Any]] = []
    for n, value in enumerate(values):
        option = f"--context-entries[{n}]"
        text = value
        if value.startswith("file://"):
            text = read_policy_file(Path(value[len("file://"):]))
        if text.lstrip().startswith(("{", "[")):
            entries.extend(_json_entries(text, option))
        else:
            entries.append(shorthand_entry(text, option))
    return entries


def _json_entries(text: str, option: str) -> list[dict[str, Any]]:
    try:
        data = json.loads(text, parse_int=parse_int)
    except json.JSONDecodeError as exc:
        raise LocatedError(f"{option}:{exc.colno}", f"invalid JSON: {exc.msg}") from None
    except NumberTooLong as exc:
        raise LocatedError(option, exc.message()) from None
    except RecursionError:
        raise LocatedError(option, "JSON nested too deeply; expected a list of context entries") from None
    items = data if isinstance(data, list) else [data]
    for item in items:
        if not isinstance(item, dict) or "ContextKeyName" not in item:
            raise LocatedError(option, "expected {\"ContextKeyName\": ..., \"ContextKeyValues\": [...], "
                               "\"ContextKeyType\": ...} or a list of them")
    return items


def shorthand_entry(text: str, option: str) -> dict[str, Any]:
    """One entry from ``ContextKeyName=k,ContextKeyValues=v1,v2,ContextKeyType=t``."""
    fields: dict[str, list[str]] = {}
    current: str | None = None
    for token in _split(text, option):
        name, sep, rest = token.partition("=")
        if sep and name.strip() in ENTRY_FIELDS:
            current = name.strip()
            if current in fields:
                raise LocatedError(option, f"{current} appears twice")
            fields[current] = [] if rest.strip() in ("", "[]") else [rest]
        elif current == "ContextKeyValues":
            fields[current].append(token)
        else:
            raise LocatedError(option, f"{token!r} is not Name=value; expected "
                               "ContextKeyName=aws:SourceIp,ContextKeyValues=1.2.3.4,ContextKeyType=ip")
    if "ContextKeyName" not in fields or len(fields["ContextKeyName"]) != 1:
        raise LocatedError(option, "missing ContextKeyName; expected "
                           "ContextKeyName=aws:SourceIp,ContextKeyValues=1.2.3.4,ContextKeyType=ip")
    values = [_unquote(v) for v in _unbracket(fields.get("ContextKeyValues", []))]
    entry: dict[str, Any] = {"ContextKeyName": _unquote(fields["ContextKeyName"][0]), "ContextKeyValues": values}
    if "ContextKeyType" in fields:
        entry["ContextKeyType"] = _unquote(fields["ContextKeyType"][0]) if fields["ContextKeyType"] else ""
    else:
        entry["ContextKeyType"] = "stringList" if len(values) > 1 else "string"
    return entry


def _split(text: str, option: str) -> list[str]:
    """Split on commas outside quotes."""
    tokens, current, quote = [], "", None
    for char in text:
        if quote:
            current += char
            if char == quote:
                quote = None
        elif char in "'\"":
            quote = char
            current += char
        elif char == ",":
            tokens.append(current)
            current = ""
        else:
            current += char
    if quote:
        raise LocatedError(option, f"unclosed quote {quote} in {text!r}")
    tokens.append(current)
    return [t for t in tokens if t.strip()]


def _unbracket(values: list[str]) -> list[str]:
    if values and values[0].lstrip().startswith("[") and values[-1].rstrip().endswith("]"):
        values = [*values]
        values[0] = values[0].lstrip()[1:]
        values[-1] = values[-1].rstrip()[:-1]
    return [v for v in values if v.strip()]


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value
