"""What the checks need from an Account: lookups, principals with compiled policies, IAM evaluation.

The engine never reads raw scenario data; it asks an :class:`AccountIndex` for a
user's or role's compiled policies and asks :meth:`AccountIndex.evaluate` to run
the IAM evaluator with the right identity, boundary, SCP and resource policies.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from gluesim.simulator import model as m
from gluesim.simulator.engine.evaluation import Evaluation
from gluesim.simulator.engine.iamcheck import EXPORT_HOW, IamCheck, Unknown, near_misses
from gluesim.simulator.policies import aws_managed_arn, iam_arn

__all__ = ["ROLE_ACTOR", "AccountIndex", "IamCheck", "Principal", "Unknown", "near_misses"]

ROLE_ACTOR = "role/"  # an actor named role/NAME is a person in a session of role NAME


@dataclass(frozen=True, slots=True)
class Principal:
    """Who makes a request: its ARN and the policies that govern it (compiled)."""

    kind: str  # "user" or "role"
    name: str
    arn: str
    request_arn: str
    request_type: str
    identity: tuple[Any, ...]
    boundary: tuple[Any, ...] | None
    unknown: tuple[m.UnknownPolicy, ...] = ()  # pieces of its permissions no source shows


class AccountIndex(Evaluation):
    """Lookups over one Account plus a cache of compiled policies."""

    def __init__(self, account: m.Account, jobs: Sequence[m.Job] = ()) -> None:
        self.account = account
        self.jobs = {j.name: j for j in jobs}
        self._parties: dict[tuple[str, ...], Any] = {}
        self.users = {u.name: u for u in account.users}
        self.groups = {g.name: g for g in account.groups}
        self.roles = {r.name: r for r in account.roles}
        self.customer = {p.arn: p for p in account.managed_policies}
        self.buckets = {b.name: b for b in account.buckets}
        self.keys = {k.arn: k for k in account.kms_keys}
        self.secrets = {s.name: s for s in account.secrets}
        self.connections = {c.name: c for c in account.connections}
        self.connectors = {c.name: c for c in account.connectors}
        self.clusters = {c.id: c for c in account.redshift_clusters}
        self.stores = {s.name: s for s in account.data_stores}
        self.tables = {(db.name, t.name): t for db in account.databases for t in db.tables}
        self.databases = {db.name for db in account.databases}
        self.subnets = {s.id: (v, s) for v in account.vpcs for s in v.subnets}
        self._compiled: dict[tuple[str, str, str], Any] = {}
        self._principals: dict[tuple[str, str], Principal] = {}

    # -- policies ---------------------------------------------------------------------------
    def compile(self, doc: m.PolicyDocument, policy_id: str, policy_type: str) -> Any:
        """Compile a policy document once per simulation."""
        from gluesim.simulator.iam import PolicyType, compile_policy

        key = (policy_id, policy_type, doc.document)
        if key not in self._compiled:
            source = f"{policy_id} ({doc.where})" if doc.where else policy_id
            self._compiled[key] = compile_policy(doc.document, policy_id, PolicyType[policy_type], source)
        return self._compiled[key]

    def managed_document(self, arn: str) -> tuple[str, m.PolicyDocument]:
        """The (name, document) of a customer or AWS managed policy ARN."""
        if arn in self.customer:
            policy = self.customer[arn]
            return policy.name, policy.document
        shipped = aws_managed_arn(arn)
        if shipped is None:
            from gluesim.kb.errors import GluesimError

            raise GluesimError(f"managed policy {arn!r} is neither a customer policy nor an AWS policy gluesim ships")
        return shipped.name, m.PolicyDocument(shipped.name, shipped.document, f"AWS managed policy {shipped.name}")

    def _identity(self, owner: str, inline: Sequence[m.PolicyDocument], managed: Sequence[str]) -> list[Any]:
        out = [self.compile(doc, f"{owner} inline policy {doc.name}", "IDENTITY") for doc in inline]
        for arn in managed:
            name, doc = self.managed_document(arn)
            out.append(self.compile(doc, name, "IDENTITY"))
        return out

    def _boundary(self, arn: str | None) -> tuple[Any, ...] | None:
        if not arn:
            return None
        name, doc = self.managed_document(arn)
        return (self.compile(doc, f"{name} (permissions boundary)", "PERMISSIONS_BOUNDARY"),)

    def scp_levels(self) -> list[list[Any]] | None:
        """Compiled SCPs per known level, or None without an organization.

        An unknown level is left out here (an empty level would deny everything); the decisions
        it could change are marked unknown by :meth:`evaluate`.
        """
        org = self.account.organization
        if org is None or org.management_account_id == self.account.account_id:
            # SCPs do not affect principals of the management account (AWS Organizations, "Service
            # control policies": https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html).
            return None
        return [[self.compile(p, f"SCP {p.name} ({level.name})", "SCP") for p in level.policies]
                for level in org.scp_levels if not level.unknown]

    def unknown_scp_levels(self) -> tuple[Unknown, ...]:
        """The SCP levels whose policies are unknown."""
        org = self.account.organization
        levels = org.scp_levels if org is not None else ()
        return tuple(Unknown(f"SCP level {lv.name!r} is unknown" + (f" ({lv.reason})" if lv.reason else ""),
                             EXPORT_HOW["scp"].format(ref=lv.name)) for lv in levels if lv.unknown)

    # -- principals -------------------------------------------------------------------------
    def arn(self, kind: str, path: str, name: str) -> str:
        """An IAM ARN in this account."""
        return iam_arn(self.account.partition, self.account.account_id, kind, path, name)

    def user(self, name: str) -> Principal:
        """The user ``name`` as a requesting principal (user + group policies)."""
        key = ("user", name)
        if key not in self._principals:
            user = self.users[name]
            identity = self._identity(f"user {name}", user.inline_policies, user.managed_policies)
            for group_name in user.groups:
                group = self.groups[group_name]
                identity += self._identity(f"group {group_name}", group.inline_policies, group.managed_policies)
            unknown = list(user.unknown_policies)
            for group_name in user.groups:
                unknown += self.groups[group_name].unknown_policies
            arn = self.arn("user", user.path, name)
            self._principals[key] = Principal("user", name, arn, arn, "User", tuple(identity),
                                              self._boundary(user.permissions_boundary), tuple(unknown))
        return self._principals[key]

    def actor(self, actor: str) -> Principal:
        """The person doing a Glue Studio action: IAM user ``name``, or a session of a role as ``role/NAME``.

        A role actor is someone who assumed the role (switch role, SSO, federation); the audit asks
        about them as about users.
        """
        if actor.startswith(ROLE_ACTOR):
            return self.role(actor[len(ROLE_ACTOR):])
        return self.user(actor)

    def role(self, name: str) -> Principal:
        """A session of role ``name`` (what a Glue job runs as)."""
        key = ("role", name)
        if key not in self._principals:
            role = self.roles[name]
            identity = self._identity(f"role {name}", role.inline_policies, role.managed_policies)
            arn = self.arn("role", role.path, name)
            session = f"arn:{self.account.partition}:sts::{self.account.account_id}:assumed-role/{name}/GlueJobRunnerSession"
            self._principals[key] = Principal("role", name, arn, session, "AssumedRole", tuple(identity),
                                              self._boundary(role.permissions_boundary), role.unknown_policies)
        return self._principals[key]
