"""Read the shipped AWS managed policy documents just enough to say which statements grant what.

This is action-level reading for ``gluesim explain``: which statements allow (or deny) an
action name, with their resources and conditions shown as written. It does not
evaluate resources or conditions; the IAM evaluator (``gluesim.simulator.iam``) does
that, and is deliberately not imported here, to keep ``explain`` fast (for the same
reason the records are NamedTuples, which are cheaper to define than dataclasses).
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any, NamedTuple

from gluesim.kb.errors import GluesimError, did_you_mean
from gluesim.kb.wildcards import glob_matcher

POLICY_FOLDER = "data/aws-managed-policies"


class Statement(NamedTuple):
    """One statement of a managed policy, as written (lists normalised to tuples)."""

    index: int
    sid: str | None
    effect: str
    actions: tuple[str, ...]
    not_actions: tuple[str, ...]
    resources: tuple[str, ...]
    not_resources: tuple[str, ...]
    condition: dict[str, Any]

    @property
    def label(self) -> str:
        """``Statement[3] 'Sid'`` (the Sid only when there is one)."""
        return f"Statement[{self.index}]" + (f" {self.sid!r}" if self.sid else "")

    def covers(self, action: str) -> bool:
        """Whether this statement's Action (or NotAction) element covers ``action``."""
        if self.not_actions:
            return not any(action_matches(p, action) for p in self.not_actions)
        return any(action_matches(p, action) for p in self.actions)

    def as_dict(self) -> dict[str, Any]:
        """This statement as JSON-able data."""
        return {
            "index": self.index,
            "sid": self.sid,
            "effect": self.effect,
            "actions": list(self.actions),
            "not_actions": list(self.not_actions),
            "resources": list(self.resources),
            "not_resources": list(self.not_resources),
            "condition": self.condition,
        }


class ManagedPolicy(NamedTuple):
    """An AWS managed policy document shipped with gluesim."""

    name: str
    arn: str | None
    statements: tuple[Statement, ...]

    def statements_covering(self, action: str, effect: str = "Allow") -> list[Statement]:
        """Statements with this effect whose action element covers ``action``."""
        return [s for s in self.statements if s.effect == effect and s.covers(action)]


def action_matches(pattern: str, action: str) -> bool:
    """Whether an IAM action pattern (``*``, ``?`` wildcards, any case) matches ``action``.

    IAM compares action names case-insensitively and supports ``*`` and ``?``
    (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html).
    A wildcard inside ``action`` is taken literally, so ``kms:*`` covers ``kms:ReEncrypt*``
    but ``kms:ReEncryptFrom`` does not.
    """
    wanted, given = pattern.lower(), action.lower()
    if "*" not in wanted and "?" not in wanted:
        return wanted == given
    service = wanted.partition(":")[0]
    if "*" not in service and "?" not in service and not given.startswith(service + ":"):
        return False  # different service: no need to build a regular expression
    return glob_matcher(wanted)(given)  # linear time however many wildcards (gluesim.kb.wildcards)


@functools.cache
def policy_names() -> tuple[str, ...]:
    """Names of the shipped managed policies, sorted."""
    return tuple(sorted(item.name[:-5] for item in policy_folder().iterdir() if item.name.endswith(".json")))


def find_policy_name(name: str) -> str | None:
    """The shipped policy name equal to ``name`` ignoring case (an ARN's last part works too), or None."""
    wanted = name.rsplit("/", 1)[-1].lower()
    return next((known for known in policy_names() if known.lower() == wanted), None)


@functools.cache
def load_policy(name: str) -> ManagedPolicy:
    """The managed policy ``name`` (any case), or a GluesimError suggesting the closest name."""
    known = find_policy_name(name)
    if known is None:
        raise GluesimError(f"unknown managed policy {name!r}{did_you_mean(name, policy_names())}")
    document = json.loads((policy_folder() / f"{known}.json").read_text(encoding="utf-8"))
    statements = document["Statement"]
    if isinstance(statements, dict):
        statements = [statements]
    return ManagedPolicy(known, policy_arns().get(known), tuple(_statement(i, s) for i, s in enumerate(statements)))


def _statement(index: int, raw: dict[str, Any]) -> Statement:
    return Statement(
        index=index,
        sid=raw.get("Sid"),
        effect=raw.get("Effect", "Allow"),
        actions=_strings(raw.get("Action")),
        not_actions=_strings(raw.get("NotAction")),
        resources=_strings(raw.get("Resource")),
        not_resources=_strings(raw.get("NotResource")),
        condition=raw.get("Condition", {}),
    )


def _strings(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


@functools.cache
def policy_arns() -> dict[str, str]:
    """Policy name -> ARN, read from the provenance table in SOURCES.md (the simulator uses it too)."""
    text = (policy_folder() / "SOURCES.md").read_text(encoding="utf-8")
    return dict(re.findall(r"^\| ([\w+=,.@-]+) \| `(arn:aws:iam::aws:policy/[\w/+=,.@-]+)` \|", text, flags=re.M))


@functools.cache
def policy_folder() -> Path:
    """The policy folder inside the installed ``gluesim.simulator`` package.

    Found with ``find_spec`` rather than ``importlib.resources`` or an import of the
    package, both of which cost more start-up time than reading the policies.
    """
    from importlib.util import find_spec

    spec = find_spec("gluesim.simulator")
    if spec is None or not spec.submodule_search_locations:
        raise GluesimError("the gluesim.simulator package (which ships the AWS managed policies) is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / POLICY_FOLDER
