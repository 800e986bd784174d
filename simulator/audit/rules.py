"""What the audit probes beside the engine's verdicts: job-role checks and risky grants.

The job-role probes are the KB's Glue service permissions; nothing here restates a Glue fact.
Risky grants are probes on resources no policy would name on purpose, so an Allow means
the grant is not scoped (e.g. ``iam:PassRole`` on ``*``, which lets a user hand any role,
an administrator role included, to a Glue job:
https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gluesim.kb.model import KnowledgeBase

from gluesim.simulator.policies import people_can_assume, trusted_by

__all__ = ["RISKS", "Probe", "Risk", "job_role_checks", "people_can_assume", "trusted_by"]


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


# The stand-in jobs of an account without jobs, one per possible job role (audit.verdicts).
STAND_IN_JOB = re.compile(r"gluesim-audit-([\w+=,.@-]+)")


def public(text: str) -> str:
    """``text`` with the audit's stand-in names replaced by what they stand for."""
    for stand_in, words in STAND_INS:
        text = text.replace(stand_in, words)
    return STAND_IN_JOB.sub(r"<a new job with role \1>", text)


@functools.cache
def job_role_checks(kb: KnowledgeBase) -> tuple[Probe, ...]:
    """The IAM requests every job role needs (the KB's Glue service permissions)."""
    entry = kb.get("job-role.glue-service-permissions")
    return tuple(
        Probe(action, resource) for p in entry.permissions if p.principal.value == "job-role"
        for resource in p.resources for action in p.actions
    )
