"""Requirement checks: each KB requirement id -> the failures it has for one actor and job.

IAM requirements are checked generically from the KB's ``permissions`` (actions and
resource templates with ``{placeholders}``), evaluated by the IAM evaluator for the
principal the KB names (``user`` = the actor, ``job-role`` = the job's role).
Requirements that are not about IAM (role name, trust, catalog tables, network,
console access, Billing activation) have their own functions here and in
:mod:`gluesim.simulator.engine.checks.network`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from gluesim.simulator import model as m
from gluesim.simulator.engine.checks.gates import Gates
from gluesim.simulator.engine.context import AccountIndex, IamCheck, Principal
from gluesim.simulator.engine.jobfacts import JobFacts, S3Location
from gluesim.simulator.engine.results import Change, Failure

if TYPE_CHECKING:
    from gluesim.kb.model import KnowledgeBase

GLUE_SERVICE = "glue.amazonaws.com"
# Requirements about the job alone (its role, network, tables): their failures do not depend on
# who asks, so they are checked once per job whoever the actor is.
JOB_ONLY = ("job-role.", "vpc.", "catalog.", "preview.")
REDSHIFT_SERVICE = "redshift.amazonaws.com"
ROLE_PREFIX = "AWSGlueServiceRole"
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")

Binding = dict[str, str]


class Checker(Gates):
    """Runs requirement checks for one account; results are cached per (requirement, actor, job)."""

    def __init__(self, index: AccountIndex, kb: KnowledgeBase) -> None:
        self.index = index
        self.kb = kb
        # actor ("" for what does not depend on who asks) -> (requirement, job, subject) -> failures
        self._cache: dict[str, dict[tuple[str, str, str], tuple[Failure, ...]]] = {}

    # -- entry point --------------------------------------------------------------------------
    def check(self, req_id: str, actor: str, facts: JobFacts | None, subject: str | None) -> tuple[Failure, ...]:
        """Failures of requirement ``req_id`` (empty when it holds)."""
        cache = self._cache.setdefault("" if facts is not None and req_id.startswith(JOB_ONLY) else actor, {})
        key = (req_id, facts.job.name if facts else "", subject or "")
        if key not in cache:
            special = SPECIAL.get(req_id)
            entry = self.kb.get(req_id)
            found = special(self, entry, actor, facts, subject) if special else self.permissions(
                entry, actor, facts, self.bindings(actor, facts, subject))
            cache[key] = tuple(found)
        return cache[key]

    def forget(self, actor: str) -> None:
        """Drop the cached failures of ``actor`` (the audit asks many actors, one after the other)."""
        if actor:
            self._cache.pop(actor, None)

    # -- bindings -------------------------------------------------------------------------------
    def bindings(self, actor: str, facts: JobFacts | None, subject: str | None) -> list[Binding]:
        """The base placeholder values: account, region, user, job, role, dashboard."""
        account = self.index.account
        region = facts.region if facts is not None else account.region
        base = {"region": region, "account_id": account.account_id, "user_name": actor,
                "dashboard_name": subject or "*"}
        if facts is not None:
            role = facts.role
            base |= {"job_name": facts.job.name, "job_role_name": role.path.lstrip("/") + role.name}
        return [base]

    # -- generic IAM ----------------------------------------------------------------------------
    def job_role(self, facts: JobFacts | None) -> Principal | None:
        """The session a job runs as (None without a job)."""
        return self.index.role(facts.role.name) if facts is not None else None

    def principal(self, kind: str, actor: str, facts: JobFacts | None) -> Principal | None:
        """The requesting principal for a KB permission's ``principal`` field."""
        if kind == "user":
            return self.index.actor(actor)
        if kind == "job-role" and facts is not None:
            return self.job_role(facts)
        return None

    def permissions(self, entry: Any, actor: str, facts: JobFacts | None, bindings: list[Binding],
                    principal_kinds: tuple[str, ...] = ("user", "job-role")) -> list[Failure]:
        """Evaluate every KB permission of ``entry`` for every binding; one Failure per denied request."""
        failures: list[Failure] = []
        for permission in entry.permissions:
            kind = permission.principal.value
            if kind not in principal_kinds:
                continue
            who = self.principal(kind, actor, facts)
            if who is None:
                continue
            context = {key: tuple(values) for keys in permission.conditions.values() for key, values in keys.items()}
            for binding in bindings:
                for resource in _fill_all(permission.resources, binding):
                    for action in permission.actions:
                        through = self.endpoint_for(facts, action) if kind == "job-role" else None
                        failures += self.request(entry, who, action, resource, context, through, facts,
                                                 console=kind == "user")
        return failures

    def request(self, entry: Any, who: Principal, action: str, resource: str,
                context: dict[str, tuple[str, ...]], endpoint: m.VpcEndpoint | None = None,
                facts: JobFacts | None = None, console: bool = False) -> list[Failure]:
        """Evaluate one request with the resource's own policy (and the endpoint it goes through); failures.

        ``console``: a person makes it in the console (else a job's code makes it as the job role).
        """
        key = self.index.keys.get(resource) if action.lower().startswith("kms:") else None
        if key is not None and key.enabled is not True:
            return [self.key_state(entry, key, action)]
        policy, label, unknown = self.resource_policy(action, resource)
        if unknown:
            return [self.unknown(entry, f"{label} is unknown, so {action} on {resource} cannot be decided")]
        tags = facts.job.tags if facts is not None and action.lower() == "glue:createjob" else ()
        call = self.call_for(who, facts, action, resource, console)
        check = self.index.evaluate(who, action, resource, context, policy, label, call, tags)
        found = self.decide(entry, who, check, policy)
        if found or endpoint is None:
            return found
        return self.through_endpoint(entry, who, check, endpoint)

    def decide(self, entry: Any, who: Principal, check: IamCheck, policy: Any = None) -> list[Failure]:
        """The failures of one evaluated request: none when allowed and nothing unknown could change it."""
        if check.unknowns:
            return [self.clouded(entry, who, check)]
        if check.owner_unknown:
            return [self.owner_unknown(entry, who, check)]
        if check.unknown_keys and check.undecided:
            return [self.key_unknown(entry, who, check)]
        if check.allowed:
            return []
        return [self.iam_failure(entry, who, check, policy, partial=_partial_wildcard(check))]

    def resource_policy(self, action: str, resource: str) -> tuple[Any, str | None, bool]:
        """(compiled policy or None, its label, unknown?) for the resource of a request."""
        service = action.partition(":")[0].lower()
        doc: m.PolicyDocument | m.NoPolicy | None = m.NO_POLICY
        label = None
        parts = resource.split(":", 5)
        if service == "s3" and len(parts) == 6:
            bucket = self.index.buckets.get(parts[5].split("/", 1)[0])
            if bucket is not None:
                doc, label = bucket.policy, f"bucket policy of {bucket.name}"
        elif service == "kms" and resource in self.index.keys:
            key = self.index.keys[resource]
            doc, label = key.policy, f"key policy of {key.key_id}"
        elif service == "secretsmanager":
            secret = next((s for s in self.index.account.secrets if s.arn == resource), None)
            if secret is not None:
                doc, label = secret.policy, f"resource policy of secret {secret.name}"
        if doc is None:
            return None, label, True
        if isinstance(doc, m.NoPolicy):
            return None, None, False
        return self.index.compile(doc, label or doc.name, "RESOURCE"), label, False

    def iam_failure(self, entry: Any, who: Principal, check: IamCheck, policy: Any, partial: bool = False) -> Failure:
        """A Failure for a denied or undecided request, with the smallest changes that would allow it.

        ``partial``: the request is for every resource ("*") and the evaluator found statements
        about only some of them; the requirement (all resources) is then not met, which is a
        failure rather than an unknown.
        """
        evaluation = check.evaluation
        decision = "not allowed on every resource" if partial else evaluation.decision.value
        request = f"{check.action} on {check.resource}"
        if check.context:
            request += " with " + ", ".join(f"{k}={'/'.join(v)}" for k, v in sorted(check.context.items()))
        reason = f"{who.kind} {who.name}: {request} is {decision}: {evaluation.reason}"
        if partial:
            unknowns = "; ".join(u.text for u in evaluation.undecided)
            reason = (f"{who.kind} {who.name}: {request} is not allowed on every resource: the policies name "
                      f"only specific resources ({unknowns})")
            decision = "implicitDeny"
        changes = self.changes_for(who, check, policy, partial)
        fix = "; ".join(c.detail for c in changes) or entry.remediation
        return Failure(entry.id, entry.title, reason, entry.source.section, entry.source.url, fix, check,
                       tuple(changes), unknown=decision == "undecided")

    def changes_for(self, who: Principal, check: IamCheck, policy: Any, partial: bool = False) -> list[Change]:
        """What would turn this denied request into an allowed one, smallest first."""
        evaluation = check.evaluation
        decision = "implicitDeny" if partial else evaluation.decision.value
        if decision in ("explicitDeny", "undecided"):
            what = evaluation.deciding[0].describe() if evaluation.deciding else evaluation.reason
            verb = "remove or narrow" if decision == "explicitDeny" else "resolve"
            return [Change("manual", who.arn, (check.action,), (check.resource,), detail=f"{verb} {what}")]
        conditions = tuple(("StringEquals", k, v) for k, v in sorted(check.context.items()))
        changes: list[Change] = []
        if evaluation.organizations_allowed is False:
            changes.append(Change("allow-scp", "organization", (check.action,), (check.resource,),
                                  detail=f"let the SCPs allow {check.action}"))
        # Only another policy type (resource policy, boundary, SCPs) can refuse what the identity
        # policies allow; with none of them refusing, the identity side is what is missing.
        owner = check.carried.get("aws:ResourceAccount", (self.index.account.account_id,))[0]
        others_refuse = (policy is not None or who.boundary is not None or evaluation.organizations_allowed is False
                         or owner != self.index.account.account_id)
        identity_ok = others_refuse and self.index.evaluate_identity_only(who, check)
        if not identity_ok:
            changes.append(Change("allow", f"{who.kind}:{who.name}", (check.action,), (check.resource,), conditions,
                                  detail=f"allow {check.action} on {check.resource} in a policy of {who.kind} {who.name}"))
        if who.boundary is not None and evaluation.boundary_allowed is False:
            changes.append(Change("allow-boundary", f"{who.kind}:{who.name}", (check.action,), (check.resource,),
                                  detail=f"allow {check.action} in the permissions boundary of {who.kind} {who.name}"))
        if check.action.lower().startswith("kms:") and policy is not None and not _resource_side_ok(evaluation):
            changes.append(Change("key-policy", check.resource, (check.action,), (who.arn,),
                                  detail=f"let the key policy allow {who.arn} {check.action}"))
        if self._crosses_to_bucket(check) and not _resource_side_ok(evaluation):
            # Across accounts the bucket policy must allow the request too (cross-account evaluation).
            bucket = check.resource.split(":", 5)[5].split("/", 1)[0]
            changes.append(Change("bucket-policy", bucket, (check.action,), (check.resource,), principal=who.arn,
                                  detail=f"let the bucket policy of {bucket} allow {who.arn} {check.action} on "
                                         f"{check.resource}"))
        return changes

    def _crosses_to_bucket(self, check: IamCheck) -> bool:
        """A request on an S3 bucket of another (known) account."""
        owner = check.carried.get("aws:ResourceAccount", ("",))[0]
        return check.action.lower().startswith("s3:") and owner not in ("", self.index.account.account_id)

    def unknown(self, entry: Any, reason: str, fix: str | None = None) -> Failure:
        """An unknown verdict: the model does not say, so the requirement is not known to hold."""
        return Failure(entry.id, entry.title, reason, entry.source.section, entry.source.url,
                       fix or f"find out the missing fact; then: {entry.remediation}", None,
                       (Change("manual", entry.id, detail=reason),), unknown=True)

    def fail(self, entry: Any, reason: str, *changes: Change) -> Failure:
        """A failed non-IAM condition with its fix."""
        fix = "; ".join(c.detail for c in changes) or entry.remediation
        return Failure(entry.id, entry.title, reason, entry.source.section, entry.source.url, fix, None, changes)


def _partial_wildcard(check: IamCheck) -> bool:
    """An undecided request on "*" whose only unknown is statements naming specific resources."""
    from gluesim.simulator.iam import UndecidedKind

    undecided = check.evaluation.undecided
    return check.resource == "*" and check.undecided and bool(undecided) and all(
        u.kind is UndecidedKind.RESOURCE_WILDCARD for u in undecided)


def _resource_side_ok(evaluation: Any) -> bool:
    details = getattr(evaluation, "details", {}) or {}
    side = details.get("Resource Policy")
    return side is not None and side.value == "allowed"


def _fill(template: str, binding: Binding) -> str | None:
    names = _PLACEHOLDER.findall(template)
    if any(name not in binding for name in names):
        return None
    return _PLACEHOLDER.sub(lambda match: binding[match[1]], template)


def _fill_all(templates: Iterable[str], binding: Binding) -> list[str]:
    return [filled for filled in (_fill(t, binding) for t in templates) if filled is not None]


def s3_binding(prefix: str, location: S3Location) -> Binding:
    """Placeholders for one S3 location: ``{prefix}_bucket`` and ``{prefix}_prefix``/``_key``."""
    return {f"{prefix}_bucket": location.bucket, f"{prefix}_prefix": location.prefix,
            f"{prefix}_key": location.prefix}


CheckFunction = Callable[[Checker, Any, str, "JobFacts | None", "str | None"], list[Failure]]
SPECIAL: dict[str, CheckFunction] = {}


def special(req_id: str) -> Callable[[CheckFunction], CheckFunction]:
    """Register the check function of a requirement that needs more than its KB permissions."""
    def register(function: CheckFunction) -> CheckFunction:
        SPECIAL[req_id] = function
        return function
    return register


# Import for side effects: the special checks register themselves.
from gluesim.simulator.engine.checks import job, network, stores, user  # noqa: E402,F401
