"""Risky grants: unscoped grants probed with the IAM evaluator, roles anyone may assume, privileged job roles.

Mixed into the auditor (:mod:`.access`), which supplies the account index, the memo and the
principal signatures.
"""

from __future__ import annotations

from typing import Any

from gluesim.simulator import model as m
from gluesim.simulator.audit.results import JobRoleAudit, RiskyGrant
from gluesim.simulator.audit.rules import RISKS, public

POWERFUL = frozenset({"admin", "iam-escalation", "passrole-any"})  # risks a job role must not give its passers
# An account no policy names: a principal there stands for "anyone" when probing trust policies.
ANYONE = "999999999999"


class RiskProbes:
    """Auditor methods that find risky grants."""

    index: Any
    account: m.Account
    memo: dict[tuple[Any, ...], Any]
    who: Any
    signature: Any

    def escalations(self, job_roles: tuple[JobRoleAudit, ...], risks: tuple[RiskyGrant, ...]) -> list[RiskyGrant]:
        """Who can pass a job role that holds more power than they do: a Glue job script runs with it."""
        held: dict[str, set[str]] = {}
        for risk in risks:
            held.setdefault(risk.principal, set()).add(risk.risk)
        found = []
        for role in job_roles:
            power = held.get(f"role/{role.name}", set()) & POWERFUL
            for passer in role.passable_by:
                if power - held.get(passer, set()):
                    found.append(RiskyGrant(
                        passer, "pass-privileged-job-role",
                        "can pass a more privileged job role to Glue (a job's script runs with the role's permissions)",
                        f"iam:PassRole on role {role.name!r} to glue.amazonaws.com; the role has {', '.join(sorted(power))}",
                    ))
        return found


    def risks(self, kind: str, item: Any) -> list[RiskyGrant]:
        who = self.who(kind, item)
        sign = self.signature(kind, item, who)
        found = [self.anyone_may_assume(item)] if kind == "role" else []
        for risk in RISKS:
            evidence = []
            for probe in risk.probes:
                key = (sign, probe, "risk")
                if key not in self.memo:
                    check = self.index.evaluate(who, probe.action, probe.resource.replace("{account_id}", self.account.account_id), dict(probe.context))
                    deciding = "; ".join(ref.describe() for ref in check.evaluation.deciding[:1])
                    self.memo[key] = (check.allowed, deciding)
                allowed, deciding = self.memo[key]
                if not allowed:
                    break
                evidence.append(f"{probe.action} allowed by {deciding or 'a statement'}")
            else:
                found.append(RiskyGrant(f"{kind}/{item.name}", risk.id, risk.title,
                                        public("; ".join(dict.fromkeys(evidence)))))
        return [risk for risk in found if risk is not None]

    def anyone_may_assume(self, role: m.Role) -> RiskyGrant | None:
        """A trust policy that lets any principal of any account assume the role, with no condition to meet.

        Probed as a role session of an account no policy names, allowed everything by its own
        account, with no context keys: a statement with ``Principal: "*"`` (or ``{"AWS": "*"}``)
        and no condition that such a request fails allows it.
        """
        from gluesim.simulator.iam import Request, evaluate

        if role.trust_policy is None:
            return None
        trust = self.index.compile(role.trust_policy, f"trust policy of role {role.name}", "TRUST")
        arn = self.index.arn("role", role.path, role.name)
        request = Request("sts:AssumeRole", arn, principal_arn=f"arn:aws:sts::{ANYONE}:assumed-role/anyone/x",
                          principal_account=ANYONE, resource_account=self.account.account_id, principal_type="AssumedRole")
        # The other account grants its own principal whatever it likes: only the trust policy decides.
        evaluation = evaluate(request, identity_policies=(self.index.allow_all(),), resource_policy=trust)
        if not evaluation.allowed:
            return None
        deciding = "; ".join(ref.describe() for ref in evaluation.deciding[:1]) or "a statement"
        return RiskyGrant(f"role/{role.name}", "assumable-by-anyone",
                          "anyone, in any AWS account, may assume the role (trust policy Principal \"*\")",
                          f"sts:AssumeRole by any principal allowed by {deciding}")
