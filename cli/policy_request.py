"""The request of ``gluesim policy simulate``: command-line options merged over ``--cli-input-json``.

Options given on the command line take precedence over the same parameter in the input JSON,
as in the AWS CLI (https://docs.aws.amazon.com/cli/latest/userguide/cli-usage-skeleton.html).
Policies read from files keep their file name, so deciding statements point at ``FILE:LINE:COL``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from gluesim.kb.errors import LocatedError
from gluesim.simulator.iam import PolicyType, simulate
from gluesim.simulator.iam.cli_inputs import context_entries, json_policy_texts, policy_text, read_cli_input_json
from gluesim.simulator.iam.policy import Policy, compile_located

# API parameter -> (command-line option, policy type) for the lists of policy documents.
POLICY_LISTS = {
    "PolicyInputList": ("--policy-input-list", PolicyType.IDENTITY),
    "PermissionsBoundaryPolicyInputList": ("--permissions-boundary-policy-input-list", PolicyType.PERMISSIONS_BOUNDARY),
    "SessionPolicyInputList": ("--session-policy-input-list", PolicyType.SESSION),
    "VpcEndpointPolicyInputList": ("--vpc-endpoint-policy-input-list", PolicyType.VPC_ENDPOINT),
}
LEVELS = {"ServiceControlPolicyInputList": ("--scp", PolicyType.SCP),
          "ResourceControlPolicyInputList": ("--rcp", PolicyType.RCP)}


@dataclass(slots=True)
class SimulateRequest:
    """Everything one ``policy simulate`` run evaluates, compiled."""

    inputs: simulate.Inputs
    actions: list[str]
    resources: list[str] | None
    caller_arn: str | None
    resource_owner: str | None
    context: Mapping[str, tuple[str, ...]]
    sources: dict[str, str] = field(default_factory=dict)  # policy id -> file or option, for positions

    @classmethod
    def read(cls, given: Mapping[str, Any], cli_input_json: str | None) -> SimulateRequest:
        """Merge the options ``given`` (None: not given) over the input JSON, then compile every policy."""
        data, source = read_cli_input_json(cli_input_json) if cli_input_json else ({}, "")
        reader = _Reader(given, data, source)
        actions = reader.value("ActionNames")
        if actions is None:
            raise LocatedError("ActionNames", "required; give --action-names or ActionNames in --cli-input-json")
        if reader.value("PolicyInputList") is None:
            raise LocatedError("PolicyInputList", "required; give --policy-input-list or PolicyInputList in "
                               "--cli-input-json")
        inputs = simulate.Inputs(
            identity=reader.policies("PolicyInputList") or [],
            boundary=reader.policies("PermissionsBoundaryPolicyInputList") or None,
            resource_policy=reader.resource_policy(actions),
            scps=reader.levels("ServiceControlPolicyInputList"),
            rcps=reader.levels("ResourceControlPolicyInputList"),
            session=reader.policies("SessionPolicyInputList"),
            endpoints=reader.policies("VpcEndpointPolicyInputList"),
        )
        return cls(inputs, list(actions), reader.value("ResourceArns"),
                   reader.value("CallerArn"), reader.value("ResourceOwner"),
                   reader.context(), reader.sources)


class _Reader:
    """Reads each parameter from the command line, or else from the input JSON."""

    def __init__(self, given: Mapping[str, Any], data: Mapping[str, Any], source: str) -> None:
        self.given = given
        self.data = data
        self.source = source
        self.sources: dict[str, str] = {}

    def value(self, key: str) -> Any:
        if self.given.get(key) is not None:
            return self.given[key]
        return self.data.get(key)

    def _texts(self, key: str, option: str) -> list[tuple[str, str]] | None:
        if self.given.get(key):
            return [policy_text(value, option) for value in self.given[key]]
        return json_policy_texts(self.data, key, self.source)

    def _compile(self, text: str, source: str, policy_id: str, kind: PolicyType) -> Policy:
        self.sources[policy_id] = source
        return compile_located(text, policy_id, kind, source)

    def policies(self, key: str) -> list[Policy] | None:
        option, kind = POLICY_LISTS[key]
        texts = self._texts(key, option)
        if texts is None:
            return None
        return [self._compile(text, source, f"{key}.{i}", kind) for i, (text, source) in enumerate(texts, start=1)]

    def resource_policy(self, actions: list[str]) -> Policy | None:
        kind = simulate.resource_policy_type(actions)
        if self.given.get("ResourcePolicy"):
            text, source = policy_text(self.given["ResourcePolicy"], "--resource-policy")
        elif "ResourcePolicy" in self.data:
            text = json_policy_texts({"ResourcePolicy": [self.data["ResourcePolicy"]]}, "ResourcePolicy",
                                     self.source)[0][0]  # type: ignore[index]
            source = f"{self.source}: ResourcePolicy"
        else:
            return None
        return self._compile(text, source, "ResourcePolicy", kind)

    def levels(self, key: str) -> list[list[Policy]] | None:
        option, kind = LEVELS[key]
        if self.given.get(key):
            return [[self._compile(*policy_text(doc, option), f"{key}.{n}.{i}", kind)
                     for i, doc in enumerate(_commas(level), start=1)]
                    for n, level in enumerate(self.given[key], start=1)]
        if key not in self.data:
            return None
        levels = self.data[key]
        if not isinstance(levels, list):
            raise LocatedError(f"{self.source}: {key}", "expected a list of levels, each a list of policy documents")
        found = []
        for n, level in enumerate(levels, start=1):
            texts = json_policy_texts({key: level}, key, f"{self.source}: {key}[{n - 1}]") or []
            found.append([self._compile(text, source, f"{key}.{n}.{i}", kind)
                          for i, (text, source) in enumerate(texts, start=1)])
        return found

    def context(self) -> Mapping[str, tuple[str, ...]]:
        if self.given.get("ContextEntries"):
            return simulate.context_entries(context_entries(list(self.given["ContextEntries"])))
        entries = self.data.get("ContextEntries", [])
        if not isinstance(entries, list):
            raise LocatedError(f"{self.source}: ContextEntries", "expected a list of context entries")
        return simulate.context_entries(entries)


def _commas(level: str) -> list[str]:
    return [part for part in level.split(",") if part]
