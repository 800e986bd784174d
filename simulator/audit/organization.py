"""The audit of a whole organization: each account audited on its own, in parallel, then across accounts.

Each account is imported and audited by :func:`gluesim.simulator.audit.audit` in a worker
process (``jobs`` of them; the accounts are independent), so the per-account verdicts are the
ones ``gluesim audit`` gives that account alone. Across accounts it reports what an account's
own audit cannot show, each decided by the IAM evaluator with the cross-account rule (the
identity side and the resource side must both allow:
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html):

- roles another account of the organization (or anyone) may assume, from their trust policies;
- buckets whose bucket policy lets another account of the organization read or write them;
- job roles (trusted by Glue) whose own policies reach buckets owned by another account, and
  whether that bucket's policy lets them in: the cross-account data paths of Glue jobs.

A grant to an account reads "if that account's IAM policies allow it too", which the other
account's own audit answers; what a source could not say stays ``unknown``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from gluesim.simulator import model as m
from gluesim.simulator.audit.access import Audit, audit

GLUE = "glue.amazonaws.com"
ALLOW_ALL = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})


@dataclass(frozen=True, slots=True)
class CrossGrant:
    """One way across accounts: ``grantee`` (an account id or a role) may do ``actions`` on ``resource``."""

    kind: str  # "assume-role", "bucket", "job-role-data"
    owner: str  # the account that owns the resource
    resource: str
    grantee: str
    actions: tuple[str, ...]
    verdict: str  # "yes" or "unknown"
    reason: str = ""


@dataclass(frozen=True, slots=True)
class AccountAudit:
    """One account's audit, its import notes, and the cross-account grants found in it."""

    account_id: str
    audit: Audit
    notes: tuple[str, ...]
    cross: tuple[CrossGrant, ...]
    buckets: tuple[tuple[str, str | None], ...]  # (bucket, bucket policy text or None: none / unknown)
    organization: str | None = None  # the organization id the account's exports name


@dataclass(frozen=True, slots=True)
class OrgAudit:
    """The organization's audit: every account's, and what crosses accounts."""

    organization: str | None
    accounts: tuple[AccountAudit, ...]
    cross: tuple[CrossGrant, ...]
    ignored: tuple[tuple[str, str], ...]

    @property
    def cross_account_risks(self) -> tuple[CrossGrant, ...]:
        """Grants to anyone outside the organization (``*``)."""
        return tuple(g for g in self.cross if g.grantee == "*")


def audit_organization(org: Any, options: Any = None, jobs: int = 1,
                       progress: Callable[[int, int], None] | None = None) -> OrgAudit:
    """Audit every account of an organization plan (``importers.organization.OrgPlan``) with ``jobs`` workers."""
    tasks = [(org, unit, options) for unit in org.units]
    results: list[AccountAudit] = []
    if progress:
        progress(0, len(tasks))
    if jobs <= 1 or len(tasks) <= 1:
        for task in tasks:
            results.append(_audit_account(task))
            if progress:
                progress(len(results), len(tasks))
    else:
        with ProcessPoolExecutor(max_workers=min(jobs, len(tasks))) as pool:
            for result in pool.map(_audit_account, tasks):
                results.append(result)
                if progress:
                    progress(len(results), len(tasks))
    cross = _settle([g for r in results for g in r.cross], results)
    org_id = next((r.organization for r in results if r.organization), None)
    return OrgAudit(org_id, tuple(results), tuple(cross), tuple(org.ignored))


def _audit_account(task: tuple[Any, Any, Any]) -> AccountAudit:
    """Import and audit one account (runs in a worker process)."""
    from gluesim.simulator.importers.common import unknowns_by_subject
    from gluesim.simulator.importers.organization import import_account

    org, unit, options = task
    scenario, notices = import_account(org, unit, options)
    result = audit(scenario, unknown=unknowns_by_subject(notices))
    account = scenario.account
    others = [a for a in org.accounts if a != account.account_id]
    cross = _trusts(account, others) + _bucket_grants(account, others) + _role_reach(account, org.buckets)
    notes = tuple(n.line() for n in notices)
    buckets = tuple((b.name, b.policy.document if isinstance(b.policy, m.PolicyDocument) else None) for b in account.buckets)
    org_id = account.organization.id if account.organization is not None else None
    return AccountAudit(account.account_id, result, notes, tuple(cross), buckets, org_id)


def _evaluate(action: str, resource: str, grantee: str, owner: str, resource_policy: Any,
              identity: tuple[Any, ...] | None = None, principal_arn: str | None = None) -> str | None:
    """'yes', 'unknown', or None: may ``grantee`` do ``action`` on a resource of ``owner`` (resource side)."""
    from gluesim.simulator.iam import PolicyType, Request, compile_policy, evaluate

    allow_all = (compile_policy(ALLOW_ALL, "the grantee's identity policies at their widest", PolicyType.IDENTITY),)
    request = Request(action, resource, principal_arn=principal_arn, principal_account=grantee,
                      resource_account=owner, principal_type="AssumedRole" if principal_arn else "User")
    decision = evaluate(request, identity_policies=identity or allow_all, resource_policy=resource_policy).decision.value
    return {"allowed": "yes", "undecided": "unknown"}.get(decision)


def _trusts(account: m.Account, others: list[str]) -> list[CrossGrant]:
    from gluesim.simulator.iam import PolicyType, compile_policy

    grants = []
    for role in account.roles:
        if role.trust_policy is None:
            continue
        arn = f"arn:{account.partition}:iam::{account.account_id}:role{role.path}{role.name}"
        trust = compile_policy(role.trust_policy.document, f"trust policy of {role.name}", PolicyType.TRUST)
        for other in _named(role.trust_policy.document, others):
            verdict = _evaluate("sts:AssumeRole", arn, other, account.account_id, trust)
            if verdict:
                grants.append(CrossGrant("assume-role", account.account_id, arn, other, ("sts:AssumeRole",), verdict))
    return grants


def _bucket_grants(account: m.Account, others: list[str]) -> list[CrossGrant]:
    from gluesim.simulator.iam import PolicyType, compile_policy

    grants = []
    for bucket in account.buckets:
        if not isinstance(bucket.policy, m.PolicyDocument):
            continue
        policy = compile_policy(bucket.policy.document, f"bucket policy of {bucket.name}", PolicyType.RESOURCE)
        for other in _named(bucket.policy.document, others):
            actions = tuple(a for a in ("s3:GetObject", "s3:PutObject")
                            if _evaluate(a, f"arn:{account.partition}:s3:::{bucket.name}/*", other, account.account_id, policy))
            if actions:
                grants.append(CrossGrant("bucket", account.account_id, f"arn:{account.partition}:s3:::{bucket.name}", other,
                                         actions, "yes"))
    return grants


def _named(document: str, accounts: list[str]) -> list[str]:
    """The other accounts a policy may grant to: those it names, and ``*`` (anyone) when it grants to anyone."""
    everyone = '"*"' in document and ('"AWS": "*"' in document or '"Principal": "*"' in document)
    return [a for a in accounts if a in document] + (["*"] if everyone else [])


def _role_reach(account: m.Account, buckets: tuple[tuple[str, str], ...]) -> list[CrossGrant]:
    """Job roles (trusted by Glue) whose own policies allow reading a bucket another account owns."""
    from gluesim.simulator.iam import PolicyType, compile_policy
    from gluesim.simulator.policies import aws_managed_arn

    foreign = [(name, owner) for name, owner in buckets if owner != account.account_id]
    customer = {p.arn: p.document.document for p in account.managed_policies}
    grants = []
    for role in account.roles if foreign else ():
        if role.trust_policy is None or GLUE not in role.trust_policy.document:
            continue
        texts = [p.document for p in role.inline_policies] + [
            customer.get(arn) or (shipped.document if (shipped := aws_managed_arn(arn)) else ALLOW_ALL)
            for arn in role.managed_policies]
        # A policy no source shows is read at its widest, and what it decides stays unknown.
        clouded = bool(role.unknown_policies) or len(texts) > len(role.inline_policies) + len(
            [a for a in role.managed_policies if a in customer or aws_managed_arn(a)])
        identity = tuple(compile_policy(t, f"{role.name} policy {i}", PolicyType.IDENTITY) for i, t in enumerate(texts))
        session = f"arn:{account.partition}:sts::{account.account_id}:assumed-role/{role.name}/GlueJobRunnerSession"
        for name, owner in foreign:
            verdict = _evaluate("s3:GetObject", f"arn:{account.partition}:s3:::{name}/*", account.account_id, owner,
                                None, identity, session)
            if verdict:
                verdict = "unknown" if clouded else verdict
                grants.append(CrossGrant("job-role-data", owner, f"arn:{account.partition}:s3:::{name}",
                                         f"arn:{account.partition}:iam::{account.account_id}:role{role.path}{role.name}",
                                         ("s3:GetObject",), verdict, session))
    return grants


def _settle(grants: list[CrossGrant], results: list[AccountAudit]) -> list[CrossGrant]:
    """Job-role reaches decided on the bucket side too: the owner's bucket policy must let the role in."""
    from gluesim.simulator.iam import PolicyType, compile_policy

    policies = {name: text for r in results for name, text in r.buckets}
    settled = []
    for grant in grants:
        if grant.kind != "job-role-data":
            settled.append(grant)
            continue
        name = grant.resource.rsplit(":", 1)[-1]
        text = policies.get(name)
        role_account = grant.grantee.split(":")[4]
        verdict = "unknown" if text is None and name not in policies else None
        if text is not None:
            policy = compile_policy(text, f"bucket policy of {name}", PolicyType.RESOURCE)
            verdict = _evaluate("s3:GetObject", f"{grant.resource}/*", role_account, grant.owner, policy, None, grant.reason)
        if verdict:
            both = "unknown" if "unknown" in (verdict, grant.verdict) else "yes"
            settled.append(CrossGrant(grant.kind, grant.owner, grant.resource, grant.grantee, grant.actions, both,
                                      "the role's policies and the bucket policy both allow it"
                                      if both == "yes" else "one side depends on something unknown"))
    return settled
