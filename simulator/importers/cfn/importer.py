"""Import CloudFormation templates: load, check, resolve, read resources."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gluesim.kb.errors import LocatedError
from gluesim.simulator.importers.cfn import loader
from gluesim.simulator.importers.cfn.intrinsics import Resolver
from gluesim.simulator.importers.cfn.resources import TemplateReader
from gluesim.simulator.importers.cfn.parameters import check_given_parameters, parameter_values, read_parameter_file
from gluesim.simulator.importers.cfn.stack import PhysicalNames, check_cycles, pseudo_parameters
from gluesim.simulator.importers.common import Notices


def is_template(data: Any) -> bool:
    """True when ``data`` is a CloudFormation template (it has a ``Resources`` mapping)."""
    return isinstance(data, dict) and isinstance(data.get("Resources"), dict)


def read_template(data: dict[str, Any], name: str, parameters: dict[str, str], region: str, account_id: str,
                  notices: Notices, origins: dict[str, str] | None = None) -> dict[str, list[Any]]:
    """The records a template would create, keyed by ``records.Imported`` field name.

    ``origins`` says where each given parameter came from (for located errors).
    """
    stack_name = Path(name).stem.replace(".template", "").replace("_", "-")
    return read_stack(data, name, parameters, Stack(region, account_id, stack_name), notices, origins)[0]


@dataclass(frozen=True, slots=True)
class Stack:
    """Where a stack is created: Region, account, its name, and how deep it is nested."""

    region: str
    account_id: str
    name: str
    depth: int = 0


MAX_NESTING = 5  # nested stacks within nested stacks, as deep as gluesim follows


def read_stack(data: dict[str, Any], name: str, parameters: dict[str, Any], stack: Stack, notices: Notices,
               origins: dict[str, str] | None = None) -> tuple[dict[str, list[Any]], dict[str, Any]]:
    """(records, resolved Outputs) of one stack; ``parameters`` may hold values a parent stack resolved."""
    if not is_template(data):
        raise LocatedError(name, "no Resources section; expected a CloudFormation template")
    _check_transforms(data, name, notices)
    for section in ("Parameters", "Mappings", "Conditions", "Outputs"):
        if data.get(section) is not None and not isinstance(data[section], dict):
            raise LocatedError(f"{name}: {section}", "must be a mapping of names")
    resources = data["Resources"]
    try:
        check_cycles(resources, name)
    except RecursionError:
        raise LocatedError(name, "resources nested too deeply to check; expected a CloudFormation template") from None
    pseudo = pseudo_parameters(stack.region, stack.account_id, stack.name)
    names = PhysicalNames(resources, pseudo, notices, name)
    resolver = Resolver(data, name, parameter_values(data, name, parameters, notices, origins), pseudo, names)
    names.resolver = resolver
    try:
        records = TemplateReader(resolver, names, notices, stack).read()
        outputs = {key: resolver.value(spec.get("Value"), f"Outputs.{key}.Value")
                   for key, spec in (data.get("Outputs") or {}).items() if isinstance(spec, dict)}
    except RecursionError:
        raise LocatedError(name, "values nested too deeply to resolve; expected a CloudFormation template") from None
    names.report_unnamed()
    return records, outputs


def _check_transforms(data: dict[str, Any], name: str, notices: Notices) -> None:
    transform = data.get("Transform")
    if transform:
        listed = transform if isinstance(transform, list) else [transform]
        notices.unknown(name, f"Transform {', '.join(map(str, listed))} is not expanded offline; resources it would add are unknown")


def load_parameter_file(path: str | Path) -> dict[str, str]:
    """Parameter values from a file (see ``parameters.read_parameter_file`` for the shapes)."""
    return read_parameter_file(str(path))[0]


__all__ = ["check_given_parameters", "is_template", "load_parameter_file", "loader", "read_template"]
