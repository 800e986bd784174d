"""Checks about the person: console access, Billing activation and Billing permissions."""

from __future__ import annotations

from typing import Any

from gluesim.simulator.checks import Checker, special
from gluesim.simulator.jobfacts import JobFacts
from gluesim.simulator.results import Change, Failure

# The Billing console action the IAM tutorial on delegating Billing access grants.
# https://docs.aws.amazon.com/IAM/latest/UserGuide/tutorial_billing.html (step 2 policies)
BILLING_VIEW_ACTION = "aws-portal:ViewBilling"


@special("user.console-password")
def console_password(c: Checker, entry: Any, actor: str, facts: JobFacts | None, subject: str | None) -> list[Failure]:
    """The actor has a console password (login profile)."""
    user = c.index.users[actor]
    if user.console_access is None:
        return [c.unknown(entry, f"user {actor}: whether the user has console access is unknown")]
    if user.console_access:
        return []
    change = Change("console-access", actor, detail=f"give user {actor} a console password (AWS Management Console access)")
    return [c.fail(entry, f"user {actor} has no console password, so cannot sign in to the console", change)]


@special("signin.iam-user")
def signin_iam_user(c: Checker, entry: Any, actor: str, facts: JobFacts | None, subject: str | None) -> list[Failure]:
    """Signing in as an IAM user needs only the user itself (actors are IAM users by construction)."""
    return []


@special("billing.activate-iam-access")
def billing_activated(c: Checker, entry: Any, actor: str, facts: JobFacts | None, subject: str | None) -> list[Failure]:
    """The account setting "IAM user and role access to Billing information" is on."""
    activated = c.index.account.billing_iam_access
    if activated is None:
        return [c.unknown(entry, "whether IAM user and role access to Billing is activated is unknown")]
    if activated:
        return []
    change = Change("billing-access", c.index.account.account_id,
                    detail="as the root user, activate IAM user and role access to Billing information")
    return [c.fail(entry, "IAM user and role access to Billing is not activated, so no IAM user can open the "
                          "Billing console whatever their policies allow", change)]


@special("admin.administrators-group")
def billing_permissions(c: Checker, entry: Any, actor: str, facts: JobFacts | None,
                        subject: str | None) -> list[Failure]:
    """For the Billing console: the actor's policies allow viewing Billing (AdministratorAccess does)."""
    who = c.index.user(actor)
    check = c.index.evaluate(who, BILLING_VIEW_ACTION, "*")
    if check.allowed:
        return []
    return [c.iam_failure(entry, who, check, None)]
