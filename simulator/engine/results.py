"""What a simulation returns: a Report of ActionResults, each with its Failures and fixes."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from gluesim.simulator.engine.context import IamCheck, near_misses


class Verdict(str, enum.Enum):
    """The outcome of one action: pass, fail, or unknown (the model or the evaluator cannot tell)."""

    PASS = "pass"
    FAIL = "fail"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Change:
    """A structured fix ``fix.py`` can apply to the model.

    ``kind`` is one of: allow, allow-boundary, allow-scp, key-policy, bucket-policy, rename-role,
    trust-service, console-access, billing-access, create-table, cluster-role, nat-gateway,
    s3-endpoint, sg-self-rule, dns, manual. ``target`` names what changes (a user, role, key,
    bucket, VPC, ...); ``principal`` whom a resource policy statement names.
    """

    kind: str
    target: str
    actions: tuple[str, ...] = ()
    resources: tuple[str, ...] = ()
    conditions: tuple[tuple[str, str, tuple[str, ...]], ...] = ()
    detail: str = ""
    principal: str = ""


@dataclass(frozen=True, slots=True)
class Failure:
    """One requirement that does not hold, with the KB citation, the reason and the fix."""

    requirement: str
    title: str
    reason: str
    section: str
    url: str
    fix: str
    iam: IamCheck | None = None
    changes: tuple[Change, ...] = ()
    unknown: bool = False

    @property
    def source(self) -> Mapping[str, str]:
        """The KB source of the requirement: section heading and URL."""
        return {"section": self.section, "url": self.url}

    def as_dict(self, explain: bool = False) -> dict[str, Any]:
        """JSON-ready form (``explain`` adds the evaluator's full trace)."""
        out: dict[str, Any] = {
            "requirement": self.requirement,
            "title": self.title,
            "verdict": "unknown" if self.unknown else "fail",
            "reason": self.reason,
            "source": dict(self.source),
            "fix": self.fix,
        }
        if self.iam is not None:
            evaluation = self.iam.evaluation.as_dict()
            if not explain:
                evaluation.pop("trace", None)
            from gluesim.simulator.engine.requestctx import how_to_give

            out["iam"] = {
                "principal": self.iam.principal,
                "action": self.iam.action,
                "resource": self.iam.resource,
                "context": {k: list(v) for k, v in sorted(self.iam.context.items())},
                "carried": {k: list(v) for k, v in sorted(self.iam.carried.items())},
                "unknown_context": [{"key": k, "how": how_to_give(k)} for k in self.iam.unknown_keys],
                "owner_unknown": self.iam.owner_unknown,
                "resource_policy": self.iam.resource_policy,
                "evaluation": evaluation,
                "near_misses": list(near_misses(self.iam.evaluation)),
            }
        return out


@dataclass(frozen=True, slots=True)
class ActionResult:
    """One Glue Studio action for one actor (and job or dashboard): its verdict and failures."""

    actor: str
    action: str
    title: str
    subject: str | None
    failures: tuple[Failure, ...]
    checked: tuple[str, ...] = field(default=())

    @property
    def passed(self) -> bool:
        """True only when no requirement failed or is unknown."""
        return not self.failures

    @property
    def verdict(self) -> Verdict:
        """pass, fail (a requirement fails) or unknown (only unknowns)."""
        if not self.failures:
            return Verdict.PASS
        return Verdict.UNKNOWN if all(f.unknown for f in self.failures) else Verdict.FAIL

    @property
    def key(self) -> tuple[str, str, str]:
        """(actor, action, subject) — what identifies this result."""
        return (self.actor, self.action, self.subject or "")

    def as_dict(self, explain: bool = False) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "actor": self.actor,
            "action": self.action,
            "title": self.title,
            "subject": self.subject,
            "verdict": self.verdict.value,
            "checked": list(self.checked),
            "failures": [f.as_dict(explain) for f in self.failures],
        }


@dataclass(frozen=True, slots=True)
class Report:
    """Every result of one simulation."""

    scenario: str
    account_id: str
    results: tuple[ActionResult, ...]

    @property
    def passed(self) -> bool:
        """True when every checked action passes."""
        return all(r.passed for r in self.results)

    def counts(self) -> dict[str, int]:
        """How many results pass, fail and are unknown."""
        counts = {v.value: 0 for v in Verdict}
        for result in self.results:
            counts[result.verdict.value] += 1
        return counts

    def as_dict(self, explain: bool = False) -> dict[str, Any]:
        """JSON-ready form (documented in docs/reference/scenario-format.md)."""
        return {
            "scenario": self.scenario,
            "account": self.account_id,
            "passed": self.passed,
            "counts": self.counts(),
            "results": [r.as_dict(explain) for r in self.results],
        }
