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
from gluesim.simulator.engine.requestctx import GLOBAL_SERVICES, Call, how_to_give
from gluesim.simulator.engine.results import Change, Failure

# The Region of the single endpoint of a global service, per partition (aws:RequestedRegion on
# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html).
GLOBAL_REGION = {"aws": "us-east-1", "aws-cn": "cn-north-1", "aws-us-gov": "us-gov-west-1"}


class Gates:
    """Checker methods for unknown pieces, KMS key state and VPC endpoint policies."""

    index: Any
    unknown: Any
    fail: Any

    def call_for(self, who: Principal, facts: JobFacts | None, action: str, resource: str,
                 console: bool = False) -> Call:
        """How a request reaches AWS: a person in the console, or a job's code (Region, VPC endpoint, via S3).

        Console requests go to the job's Region (global services to their one endpoint; the Region of
        an iam:PassRole check is not documented, so it is left unknown). A job's S3 requests go to the
        bucket's Region, its KMS requests are made by S3 on its behalf (SSE-KMS), and requests to
        other services go to the Region in the resource's ARN or the job's Region.
        """
        from gluesim.simulator.engine.owners import bucket_region

        service = action.partition(":")[0].lower()
        region = facts.region if facts is not None else self.index.account.region
        if console:
            if action.lower() == "iam:passrole":
                return Call(None, console=True)
            if service in GLOBAL_SERVICES:
                return Call(GLOBAL_REGION.get(self.index.account.partition, "us-east-1"), console=True)
            return Call(region, console=True)
        parts = resource.split(":", 5)
        if service == "s3" and len(parts) == 6:
            region = bucket_region(self.index, parts[5].split("/", 1)[0], region)
        elif len(parts) == 6 and parts[3]:
            region = parts[3]
        endpoint = self.route_for(facts, action)
        vpc = self.index.subnets[facts.subnet][0].id if endpoint is not None and facts is not None and facts.subnet else None
        return Call(region, endpoint, vpc, via="s3" if service == "kms" else None)

    def route_for(self, facts: JobFacts | None, action: str) -> m.VpcEndpoint | None:
        """The VPC endpoint a job's request for ``action`` goes through, whatever its policy."""
        if facts is None or facts.subnet is None or facts.subnet not in self.index.subnets:
            return None
        from gluesim.simulator.engine.checks.network import placement, s3_gateway

        service = action.partition(":")[0].lower()
        vpc, _, table = placement(self, facts)
        if service == "s3":
            return s3_gateway(vpc, table)
        return next((e for e in vpc.endpoints if e.type == "Interface" and e.service.lower() == service), None)

    def endpoint_for(self, facts: JobFacts | None, action: str) -> m.VpcEndpoint | None:
        """The VPC endpoint with a custom or unknown policy that a job's request for ``action`` goes through.

        S3: the gateway endpoint on the subnet's route table (an unknown gateway policy is reported
        once, by vpc.s3-endpoint). Other services: an interface endpoint for the service in the
        job's VPC; gluesim assumes its private DNS is on (the default), so the service's usual
        host name resolves to it from the VPC (basis: inference).
        """
        found = self.route_for(facts, action)
        if found is None or found.policy is m.NO_POLICY:
            return None
        if action.partition(":")[0].lower() == "s3" and found.policy is None:
            return None  # an unknown gateway endpoint policy is reported once, by vpc.s3-endpoint
        return found

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

    def key_unknown(self, entry: Any, who: Principal, check: IamCheck) -> Failure:
        """An unknown verdict: the decision depends on context keys whose values the scenario does not give."""
        keys = ", ".join(check.unknown_keys)
        reason = (f"{who.kind} {who.name}: {check.action} on {check.resource} depends on {keys}, whose value "
                  f"the scenario does not give, so it is unknown")
        hows = tuple(dict.fromkeys(how_to_give(key) for key in check.unknown_keys))
        changes = tuple(Change("manual", who.arn, (check.action,), (check.resource,), detail=how) for how in hows)
        return Failure(entry.id, entry.title, reason, entry.source.section, entry.source.url, "; ".join(hows),
                       check, changes, unknown=True)

    def owner_unknown(self, entry: Any, who: Principal, check: IamCheck) -> Failure:
        """An unknown verdict: the bucket's owner is unknown, and a bucket of another account would differ.

        Across accounts the identity policy and the resource policy must both allow a request
        (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html).
        """
        bucket = check.resource.split(":", 5)[-1].split("/", 1)[0]
        reason = (f"{who.kind} {who.name}: {check.action} on {check.resource} is {check.evaluation.decision.value} "
                  f"if bucket {bucket} is in account {self.index.account.account_id}, but the bucket's owner is "
                  "unknown and across accounts the bucket policy must allow it too, so it is unknown")
        how = f"give the owner account of bucket {bucket} (buckets[].account_id)"
        return Failure(entry.id, entry.title, reason, entry.source.section, entry.source.url, how, check,
                       (Change("manual", who.arn, (check.action,), (check.resource,), detail=how),), unknown=True)

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
