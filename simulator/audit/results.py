"""What an audit returns: per-principal verdicts, job roles, risky grants, the scenario's jobs."""

from __future__ import annotations

from dataclasses import dataclass

from gluesim.simulator.audit.verdicts import ActionVerdict


@dataclass(frozen=True, slots=True)
class PrincipalAudit:
    """Everything the audit says about one user or role."""

    kind: str
    name: str
    arn: str
    console_access: bool | None
    actions: tuple[ActionVerdict, ...]
    assumable_by: tuple[str, ...] = ()
    unknowns: tuple[str, ...] = ()  # what the sources could not say about this principal's permissions

    @property
    def label(self) -> str:
        """``user/alice`` or ``role/Admin``."""
        return f"{self.kind}/{self.name}"


@dataclass(frozen=True, slots=True)
class JobRoleAudit:
    """Whether a role can be a Glue job role: trust, name prefix, service permissions."""

    name: str
    trusts_glue: bool | None
    name_prefix: bool
    service_permissions: bool | None
    missing: tuple[str, ...] = ()
    passable_by: tuple[str, ...] = ()

    @property
    def usable(self) -> bool | None:
        """True when Glue can assume it, it has the Glue service permissions, and its name has the prefix.

        "Setting up for AWS Glue Studio", Job-related permissions: the role's name must start
        with AWSGlueServiceRole for Glue Studio to use it correctly.
        """
        if not self.name_prefix or self.trusts_glue is False or self.service_permissions is False:
            return False
        if self.trusts_glue is None or self.service_permissions is None:
            return None
        return True


@dataclass(frozen=True, slots=True)
class RiskyGrant:
    """A grant a reviewer should see, with the statement that makes it."""

    principal: str
    risk: str
    title: str
    evidence: str


@dataclass(frozen=True, slots=True)
class JobAudit:
    """An imported Glue job checked by the simulation engine (run-job by its runner)."""

    name: str
    role: str
    actor: str
    verdict: str
    failures: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Audit:
    """The whole audit of one account."""

    account_id: str
    actions: tuple[tuple[str, str], ...]
    principals: tuple[PrincipalAudit, ...]
    job_roles: tuple[JobRoleAudit, ...]
    risks: tuple[RiskyGrant, ...]
    notes: tuple[str, ...] = ()
    jobs: tuple[JobAudit, ...] = ()
