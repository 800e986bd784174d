"""What refuses a request whatever the identity policies allow, or leaves it unknown.

Mixed into :class:`gluesim.simulator.engine.checks.base.Checker`: pieces of a principal's permissions the
scenario marks unknown (``unknown_policies``, unknown SCP levels), the state of a KMS key, and
the VPC endpoint a job's request goes through.
"""

from __future__ import annotations

from typing import Any

from gluesim.simulator import model as m
from gluesim.simulator.engine.context import IamCheck, Principal
from gluesim.simulator.engine.jobfacts import JobFacts
from gluesim.simulator.engine.results import Change, Failure


class Gates:
    """Checker methods for unknown pieces, KMS key state and VPC endpoint policies."""

    index: Any
    unknown: Any
    fail: Any

    def endpoint_for(self, facts: JobFacts | None, action: str) -> m.VpcEndpoint | None:
        """The VPC endpoint with a custom or unknown policy that a job's request for ``action`` goes through.

        S3: the gateway endpoint on the subnet's route table (an unknown gateway policy is reported
        once, by vpc.s3-endpoint). Other services: an interface endpoint for the service in the
        job's VPC; gluesim assumes its private DNS is on (the default), so the service's usual
        host name resolves to it from the VPC (basis: inference).
        """
        if facts is None or facts.subnet is None or facts.subnet not in self.index.subnets:
            return None
        from gluesim.simulator.engine.checks.network import placement, s3_gateway

        service = action.partition(":")[0].lower()
        vpc, _, table = placement(self, facts)
        if service == "s3":
            gateway = s3_gateway(vpc, table)
            return gateway if gateway is not None and isinstance(gateway.policy, m.PolicyDocument) else None
        found = next((e for e in vpc.endpoints if e.type == "Interface" and e.service.lower() == service), None)
        return found if found is not None and found.policy is not m.NO_POLICY else None

    def through_endpoint(self, entry: Any, who: Principal, check: IamCheck, endpoint: m.VpcEndpoint) -> list[Failure]:
        """A request through a VPC endpoint must also be allowed by the endpoint policy.

        "Control access to VPC endpoints using endpoint policies"
        (https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html): the endpoint
        policy does not grant anything, it limits which principals, actions and resources can be
        reached through the endpoint; it is evaluated here as a resource policy of its own.
        """
        if endpoint.policy is None:
            return [self.unknown(entry, f"{who.kind} {who.name}: {check.action} on {check.resource} goes through VPC "
                                        f"endpoint {endpoint.id}, whose endpoint policy is unknown",
                                 f"export the endpoint policy of {endpoint.id} (aws ec2 describe-vpc-endpoints) and "
                                 "check that it allows the request")]
        assert isinstance(endpoint.policy, m.PolicyDocument)
        gate = self.index.evaluate_endpoint(who, check, endpoint.policy, f"endpoint policy of {endpoint.id}")
        if gate.allowed:
            return []
        evaluation = gate.evaluation
        decision = evaluation.decision.value
        if decision == "explicitDeny" and evaluation.deciding:
            why = f"denied by {evaluation.deciding[0].describe()}"
        else:
            why = evaluation.reason if decision == "undecided" else "no statement of the endpoint policy allows it"
        reason = (f"{who.kind} {who.name}: {check.action} on {check.resource} goes through VPC endpoint {endpoint.id}, "
                  f"whose endpoint policy makes it {decision}: {why}")
        change = Change("manual", endpoint.id, (check.action,), (check.resource,),
                        detail=f"let the endpoint policy of {endpoint.id} allow {who.arn} {check.action} on {check.resource}")
        return [Failure(entry.id, entry.title, reason, entry.source.section, entry.source.url, change.detail, gate,
                        (change,), unknown=decision == "undecided")]

    def clouded(self, entry: Any, who: Principal, check: IamCheck) -> Failure:
        """An unknown verdict: the known policies decide, but a piece the scenario marks unknown could change it.

        The fix names the piece and how to export it; it is a manual change, so ``fix`` never
        papers over it by granting more.
        """
        decision = check.evaluation.decision.value
        pieces = "; ".join(u.what for u in check.unknowns)
        reason = (f"{who.kind} {who.name}: {check.action} on {check.resource} is {decision} by the known policies, "
                  f"but {pieces}, so it is unknown")
        fix = "; ".join(dict.fromkeys(u.export for u in check.unknowns))
        changes = tuple(Change("manual", who.arn, (check.action,), (check.resource,), detail=f"{u.what}: {u.export}")
                        for u in check.unknowns)
        return Failure(entry.id, entry.title, reason, entry.source.section, entry.source.url, fix, check,
                       changes, unknown=True)

    def key_state(self, entry: Any, key: m.KmsKey, action: str) -> Failure:
        """A request on a KMS key that is not enabled: AWS KMS rejects it whatever the policies say.

        "Key states of AWS KMS keys" (https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html):
        a disabled key, or one pending deletion, cannot be used in cryptographic operations.
        """
        if key.enabled is None:
            return self.unknown(entry, f"whether KMS key {key.key_id} is enabled is unknown, so {action} with it "
                                       "cannot be decided")
        change = Change("manual", key.arn, (action,), (key.arn,), detail=f"enable KMS key {key.key_id} "
                        "(aws kms enable-key, or cancel its deletion), or use an enabled key")
        return self.fail(entry, f"KMS key {key.key_id} is disabled (or pending deletion): AWS KMS rejects {action} "
                                "with a key that is not enabled, whatever the policies allow", change)
