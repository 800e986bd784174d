"""Checks about the person: console access, Billing activation and Billing permissions."""

from __future__ import annotations

from typing import Any

from gluesim.simulator.engine.checks.base import Checker, special
from gluesim.simulator.engine.context import ROLE_ACTOR
from gluesim.simulator.engine.jobfacts import JobFacts
from gluesim.simulator.engine.results import Change, Failure

# The Billing console action the IAM tutorial on delegating Billing access grants.
# https://docs.aws.amazon.com/IAM/latest/UserGuide/tutorial_billing.html (step 2 policies)
BILLING_VIEW_ACTION = "aws-portal:ViewBilling"


@special("user.console-password")
def console_password(c: Checker, entry: Any, actor: str, facts: JobFacts | None, subject: str | None) -> list[Failure]:
    """The actor has a console password (login profile); a role actor signs in by assuming the role."""
    if actor.startswith(ROLE_ACTOR):
        return _assumable(c, entry, actor[len(ROLE_ACTOR):])
    user = c.index.users[actor]
    if user.console_access is None:
        return [c.unknown(entry, f"user {actor}: whether the user has console access is unknown")]
    if user.console_access:
        return []
    change = Change("console-access", actor, detail=f"give user {actor} a console password (AWS Management Console access)")
    return [c.fail(entry, f"user {actor} has no console password, so cannot sign in to the console", change)]


@special("user.change-own-password")
def change_own_password(c: Checker, entry: Any, actor: str, facts: JobFacts | None,
                        subject: str | None) -> list[Failure]:
    """A user who must create a new password at first sign-in may change it (iam:ChangePassword on themselves).

    The account password policy's "Allow users to change their own password" grants this to every
    user; an explicit Deny (for example an MFA-only policy) still blocks it.
    https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_enable-user-change.html
    """
    if actor.startswith(ROLE_ACTOR):
        return []  # a role session has no password
    user = c.index.users[actor]
    if user.password_reset_required is False:
        return []
    who = c.index.user(actor)
    base = c.bindings(actor, facts, subject)[0] | {"user_arn": who.arn}
    failures = c.permissions(entry, actor, facts, [base], ("user",))
    allowed_by_account = c.index.account.users_can_change_password
    if allowed_by_account is not False:
        denied = [f for f in failures if f.iam is not None and f.iam.evaluation.decision.value == "explicitDeny"]
        if allowed_by_account is None and len(denied) < len(failures):
            return denied + [c.unknown(entry, f"user {actor} must create a new password at first sign-in, no policy "
                                              "lets them change it, and whether the account password policy "
                                              "allows users to change their own password is unknown")]
        failures = denied
    if failures and user.password_reset_required is None:
        return [c.unknown(entry, f"user {actor}: whether the user must create a new password at first sign-in is "
                                 "unknown, and the user may not change their own password")]
    return failures


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
    who = c.index.actor(actor)
    call = c.call_for(who, None, BILLING_VIEW_ACTION, "*", console=True)
    check = c.index.evaluate(who, BILLING_VIEW_ACTION, "*", call=call)
    return c.decide(entry, who, check)


def _assumable(c: Checker, entry: Any, role_name: str) -> list[Failure]:
    """People reach a role's session by assuming it: its trust policy must let someone other than a service in."""
    from gluesim.simulator.policies import people_can_assume, trusted_by

    role = c.index.roles[role_name]
    if role.trust_policy is None:
        return [c.unknown(entry, f"the trust policy of role {role_name} is unknown, so whether people can assume "
                                 "it is unknown")]
    if people_can_assume(trusted_by(role.trust_policy.document)):
        return []
    change = Change("manual", role_name, detail=f"let the people who need it assume role {role_name} (trust policy)")
    return [c.fail(entry, f"only AWS services may assume role {role_name}, so no person signs in with it", change)]
