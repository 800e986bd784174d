"""Who owns a resource and who asks: the account, organization and tags the request context needs.

A resource's owner decides whether a request is cross-account (then the identity policy **and**
the resource policy must allow it: "Cross-account policy evaluation logic",
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html)
and gives ``aws:ResourceAccount``, ``aws:ResourceOrgID`` and ``aws:ResourceTag/*``. An owner the
scenario does not give is ``None``: the verdicts that depend on it are unknown.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from gluesim.simulator import model as m
from gluesim.simulator.engine.requestctx import Party

if TYPE_CHECKING:
    from gluesim.simulator.engine.context import AccountIndex, Principal

# The AWS-owned buckets holding the code of visual transforms: aws-glue-studio-transforms-<owner>-prod-<region>.
TRANSFORMS_BUCKET = re.compile(r"^aws-glue-studio-transforms-(\d{12})-prod-[a-z0-9-]+$")


def org_party(index: AccountIndex, account: str | None, tags: m.Tags | None) -> Party:
    """A Party in ``account``: whether it is in the scenario's organization, and the organization's id and path."""
    own = index.account
    org = own.organization
    if account is None:
        return Party(None, tags, in_org=None)
    if account == own.account_id:
        if org is None:
            return Party(account, tags, in_org=False)
        return Party(account, tags, org.id, org.ou_path, in_org=True)
    if org is not None and org.accounts is not None and account in org.accounts:
        return Party(account, tags, org.id, None, in_org=True)
    return Party(account, tags, in_org=None)  # another account: in some organization or none, we cannot tell


def principal_party(index: AccountIndex, who: Principal) -> Party:
    """The requesting user or role: the scenario's account, its tags."""
    item = index.users.get(who.name) if who.kind == "user" else index.roles.get(who.name)
    tags = item.tags if item is not None else None
    return org_party(index, index.account.account_id, tags)


def owner_party(index: AccountIndex, action: str, resource: str) -> Party:
    """The owner of ``resource``: account (None unknown), organization, tags."""
    service = action.partition(":")[0].lower()
    parts = resource.split(":", 5)
    if resource == "*" or len(parts) < 6:
        return Party(None, None, in_org=None)
    if service == "s3":
        return _bucket_owner(index, parts[5].split("/", 1)[0])
    if service == "kms" and resource in index.keys:
        key = index.keys[resource]
        return org_party(index, key.account_id, key.tags)
    if service == "secretsmanager":
        secret = next((s for s in index.account.secrets if s.arn == resource), None)
        if secret is not None:
            return org_party(index, secret.account_id, secret.tags)
    if service == "iam" and ":role/" in resource:
        role = index.roles.get(resource.rsplit("/", 1)[-1])
        return org_party(index, parts[4], role.tags if role is not None else None)
    if service == "glue" and ":job/" in resource:
        job = index.jobs.get(resource.rsplit("/", 1)[-1])
        return org_party(index, parts[4], job.tags if job is not None else None)
    return org_party(index, parts[4] or None, None)


def _bucket_owner(index: AccountIndex, name: str) -> Party:
    bucket = index.buckets.get(name)
    if bucket is not None:
        return org_party(index, bucket.account_id, bucket.tags)
    transforms = TRANSFORMS_BUCKET.match(name)
    if transforms:  # AWS-owned, so outside the scenario's organization; its tags are AWS's
        return Party(transforms[1], None, in_org=None)
    # The only buckets a scenario may leave out are the assets buckets Glue Studio creates in the
    # account (aws-glue-assets-ACCOUNT-REGION): every other bucket a job uses must be listed.
    return org_party(index, index.account.account_id, ())


def owner_for_rule(index: AccountIndex, action: str, resource: str) -> str | None:
    """The account the cross-account rule compares with the principal's (None: unknown).

    The AWS-owned transforms buckets are read across accounts, and AWS documents only the job
    role's side ("Review IAM permissions needed for ETL jobs",
    https://docs.aws.amazon.com/glue/latest/dg/getting-started-min-privs-job.html): their bucket
    policies are AWS's to keep open, so only the identity side is evaluated (as for one account).
    """
    if resource == "*":
        return index.account.account_id
    if action.lower().startswith("s3:") and TRANSFORMS_BUCKET.match(resource.split(":", 5)[-1].split("/", 1)[0]):
        return index.account.account_id
    return owner_party(index, action, resource).account


def bucket_region(index: AccountIndex, name: str, default: str | None) -> str | None:
    """The Region of bucket ``name`` (None: unknown); unlisted buckets name their Region or are ``default``'s."""
    bucket = index.buckets.get(name)
    if bucket is not None:
        return bucket.region
    match = re.search(r"-((?:[a-z]{2}-)(?:[a-z]+-)+\d)$", name)
    return match[1] if match else default
