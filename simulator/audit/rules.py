"""What the audit asks: KB permissions per Glue Studio action, job-role checks, risky-grant probes.

Requirements come from the knowledge base (an action's ``depends_on`` closure, keeping the
permissions whose principal is the ``user``); nothing here restates a Glue fact.
Risky grants are probes on resources no policy would name on purpose, so an Allow means
the grant is not scoped (e.g. ``iam:PassRole`` on ``*``, which lets a user hand any role,
an administrator role included, to a Glue job:
https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gluesim.kb.model import KnowledgeBase

from gluesim.simulator.policies import people_can_assume, trusted_by

__all__ = ["RISKS", "Probe", "Risk", "job_role_checks", "people_can_assume", "trusted_by", "user_requirements"]

# Requirement families the audit leaves to job-level checks (they depend on a job's data).
FEATURES = frozenset({"dashboards", "billing"})


@dataclass(frozen=True, slots=True)
class Probe:
    """One IAM request template to evaluate: action, resource template, context."""

    action: str
    resource: str
    context: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def label(self) -> str:
        """``glue:CreateJob on arn:...`` (the KB's placeholders kept, the audit's stand-ins said in words)."""
        return public(f"{self.action} on {self.resource}")


@dataclass(frozen=True, slots=True)
class Risk:
    """A risky grant: every probe allowed means the principal has it."""

    id: str
    title: str
    probes: tuple[Probe, ...]


ANY_ROLE = "arn:aws:iam::{account_id}:role/gluesim-probe/any-role"
ANY_BUCKET = "arn:aws:s3:::gluesim-probe-bucket"
RISKS = (
    Risk("admin", "full administrator: allows actions of any service on any resource",
         (Probe("gluesimprobe:AnyAction", "*"),)),
    Risk("passrole-any", "iam:PassRole on any role (can hand an administrator role to a Glue job)",
         (Probe("iam:PassRole", ANY_ROLE, (("iam:PassedToService", ("glue.amazonaws.com",)),)),)),
    Risk("glue-and-s3-full", "glue:* together with s3:* on every resource",
         (Probe("glue:DeleteDatabase", "*"), Probe("glue:PutResourcePolicy", "*"),
          Probe("s3:DeleteBucket", ANY_BUCKET), Probe("s3:PutBucketPolicy", ANY_BUCKET), Probe("s3:GetObject", ANY_BUCKET + "/x"))),
    Risk("iam-escalation", "can change IAM policies of any role (privilege escalation)",
         (Probe("iam:PutRolePolicy", ANY_ROLE), Probe("iam:AttachRolePolicy", ANY_ROLE))),
)


# Stand-in names the audit evaluates with, and what output says instead (users never see them).
STAND_INS = (
    ("gluesimprobe:AnyAction", "<an action of any service>"),
    ("gluesim-probe-bucket", "<any bucket>"),
    ("role/gluesim-probe/any-role", "role/<any role>"),
    ("job/gluesim-audit-job", "job/<a new job>"),
    ("AWSGlueServiceRole-gluesim-audit", "AWSGlueServiceRole-<a new job role>"),
)


def public(text: str) -> str:
    """``text`` with the audit's stand-in names replaced by what they stand for."""
    for stand_in, words in STAND_INS:
        text = text.replace(stand_in, words)
    return text


def _applicable(entry: Any, features: frozenset[str]) -> bool:
    return {f.value for f in entry.applies_when} <= features


@functools.cache
def _closure(kb: KnowledgeBase, action_id: str, custom_policy: bool) -> tuple[Probe, ...]:
    entry = kb.get(action_id)
    features = FEATURES | {f.value for f in entry.applies_when} | ({"custom-policy"} if custom_policy else set())
    seen: dict[str, None] = {}
    stack = [action_id]
    while stack:
        current = kb.get(stack.pop())
        if current.id in seen:
            continue
        seen[current.id] = None
        for dep in current.depends_on:
            dep_entry = kb.get(dep)
            if dep_entry.kind.value == "action" or (_applicable(dep_entry, features) and dep_entry.kind.value in ("requirement", "step")):
                stack.append(dep)
    probes: dict[Probe, None] = {}
    for entry_id in seen:
        for permission in kb.get(entry_id).permissions:
            if permission.principal.value != "user":
                continue
            context = tuple(sorted((k, tuple(v)) for keys in permission.conditions.values() for k, v in keys.items()))
            for resource in permission.resources:
                for action in permission.actions:
                    probes[Probe(action, resource, context)] = None
    return tuple(probes)


def user_requirements(kb: KnowledgeBase, action_id: str, custom_policy: bool = True) -> tuple[Probe, ...]:
    """The user IAM requests a Glue Studio action needs, prerequisites included."""
    return _closure(kb, action_id, custom_policy)


@functools.cache
def job_role_checks(kb: KnowledgeBase) -> tuple[Probe, ...]:
    """The IAM requests every job role needs (the KB's Glue service permissions)."""
    entry = kb.get("job-role.glue-service-permissions")
    return tuple(
        Probe(action, resource) for p in entry.permissions if p.principal.value == "job-role"
        for resource in p.resources for action in p.actions
    )
