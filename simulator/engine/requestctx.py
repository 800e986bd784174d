"""The request context of every request the simulator evaluates: the keys AWS puts in it, and no guesses.

A real request carries the keys listed on the IAM page "AWS global condition context keys"
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html)
under each key's *Availability*, plus service keys. :func:`build` gives, for one request, the
keys it carries with their values (``known``) and the keys it is known *not* to carry
(``absent``). Every other key is treated as carried with a value the scenario does not give:
the IAM evaluator leaves conditions on it undecided (``Request.unknown_key``), so a verdict
that depends on it is ``unknown``, naming the key and how to give it (:data:`HOW_TO_GIVE`).

Which keys each kind of request carries is listed in ``docs/reference/request-context.md``
(the same table, with the AWS page for each key).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone

from gluesim.simulator import model as m

GLOBAL_KEYS_PAGE = "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html"
# Services with a single endpoint in us-east-1 (aws:RequestedRegion, same page): IAM calls are
# always made to us-east-1. Billing console actions (aws-portal) are global too.
GLOBAL_SERVICES = frozenset({"iam", "aws-portal", "organizations"})
# Services the page lists as not supporting aws:ViaAWSService (the key is left unknown for them).
NO_VIA_AWS_SERVICE = frozenset({"glue", "ec2", "lakeformation", "opsworks"})
# Keys the page says appear only for principals or paths this simulator never has: role sessions
# Glue creates and console users of the account carry none of them.
NEVER_CARRIED = frozenset(k.lower() for k in (
    "aws:AssumedRoot", "aws:FederatedProvider", "aws:SourceIdentity", "aws:ChatbotSourceArn",
    "aws:Ec2InstanceSourceVpc", "aws:Ec2InstanceSourcePrivateIPv4", "ec2:RoleDelivery", "ec2:SourceInstanceArn",
    "lambda:SourceFunctionArn", "ssm:SourceInstanceArn", "identitystore:UserId", "aws:PrincipalServiceName",
    "aws:PrincipalServiceNamesList", "aws:CalledVia", "aws:CalledViaFirst", "aws:CalledViaLast",
    "aws:SourceAccount", "aws:SourceArn", "aws:SourceOrgID", "aws:SourceOrgPaths",
    "s3:DataAccessPointArn", "s3:DataAccessPointAccount", "s3:AccessPointNetworkOrigin",
))
THROUGH_ENDPOINT_ONLY = ("aws:SourceVpc", "aws:SourceVpce", "aws:SourceVpcArn", "aws:VpcSourceIp",
                         "aws:VpceAccount", "aws:VpceOrgID", "aws:VpceOrgPaths")

# How to give a key the scenario lacks (lower-case key or prefix -> the scenario field).
HOW_TO_GIVE = {
    "aws:currenttime": "give the time of the requests as account.as_of",
    "aws:epochtime": "give the time of the requests as account.as_of",
    "aws:principalorgid": "give organization.id",
    "aws:principalorgpaths": "give organization.ou_path",
    "aws:resourceorgid": "give organization.id, and organization.accounts for resources of other accounts",
    "aws:resourceorgpaths": "give organization.ou_path (gluesim knows the path of the scenario's own account only)",
    "aws:principaltag/": "give the principal's tags (users[].tags / roles[].tags)",
    "aws:resourcetag/": "give the resource's tags (tags on the bucket, key, secret, role or job)",
    "aws:resourceaccount": "give the owner account of the resource (buckets[].account_id)",
    "s3:resourceaccount": "give the owner account of the bucket (buckets[].account_id)",
    "aws:requestedregion": "give the Region of the bucket (buckets[].region) or of the job (jobs[].region)",
}


def how_to_give(key: str) -> str:
    """How a scenario gives the value of ``key``, or why gluesim cannot."""
    lowered = key.lower()
    for pattern, how in HOW_TO_GIVE.items():
        if lowered == pattern or (pattern.endswith("/") and lowered.startswith(pattern)):
            return how
    return f"gluesim does not model the value of {key} for this request; check that condition by hand ({GLOBAL_KEYS_PAGE})"


@dataclass(frozen=True, slots=True)
class Call:
    """How one request reaches AWS, apart from who makes it and on what.

    ``region`` None: unknown. ``endpoint``: the VPC endpoint it goes through. ``via``: the service
    that makes it on the principal's behalf (``s3`` for SSE-KMS requests to KMS). ``console``:
    made from the AWS Management Console by a person (else by a job's code).
    """

    region: str | None
    endpoint: m.VpcEndpoint | None = None
    vpc: str | None = None
    via: str | None = None
    console: bool = False


@dataclass(frozen=True, slots=True)
class RequestKeys:
    """The keys one request carries (``known``) and those it does not carry (``absent``, lower case)."""

    known: Mapping[str, tuple[str, ...]]
    absent: frozenset[str] = frozenset()
    absent_prefixes: tuple[str, ...] = ()
    extra: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def unknown_key(self) -> Callable[[str], bool]:
        """The evaluator's predicate: a key neither carried nor known absent has an unknown value."""
        absent, prefixes = self.absent, self.absent_prefixes
        return lambda key: key not in absent and not key.startswith(prefixes)


@dataclass(frozen=True, slots=True)
class Party:
    """What the context needs to know of a principal or a resource's owner: account, organization, tags."""

    account: str | None
    tags: m.Tags | None
    org_id: str | None = None
    org_path: str | None = None
    in_org: bool | None = False  # the account is in an organization (None: unknown)


def _tags(out: dict[str, tuple[str, ...]], prefixes: list[str], prefix: str, tags: m.Tags | None) -> None:
    """``prefix`` + key for each tag; with the tags known, any other tag key is absent."""
    if tags is None:
        return
    for key, value in tags:
        out[f"{prefix}{key}"] = (value,)
    prefixes.append(prefix.lower())


def _org(out: dict[str, tuple[str, ...]], absent: set[str], party: Party, id_key: str, path_key: str) -> None:
    """The organization keys of a principal or a resource's account (absent outside an organization)."""
    if party.in_org is False:
        absent.update((id_key.lower(), path_key.lower()))
        return
    if party.in_org and party.org_id:
        out[id_key] = (party.org_id,)
    if party.in_org and party.org_path:
        out[path_key] = (party.org_path,)


def time_keys(as_of: str | None) -> dict[str, tuple[str, ...]]:
    """aws:CurrentTime and aws:EpochTime for the scenario's ``as_of`` (always carried; unknown without it)."""
    if as_of is None:
        return {}
    moment = datetime.fromisoformat(as_of.replace("Z", "+00:00").replace(" ", "T"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    moment = moment.astimezone(timezone.utc)
    return {"aws:CurrentTime": (moment.strftime("%Y-%m-%dT%H:%M:%SZ"),),
            "aws:EpochTime": (str(int(moment.timestamp())),)}


def principal_keys(kind: str, name: str, arn: str, party: Party, console: bool
                   ) -> tuple[dict[str, tuple[str, ...]], set[str], list[str]]:
    """Keys about who asks: an IAM user in the console, or a session of a role (a Glue job)."""
    out: dict[str, tuple[str, ...]] = {"aws:PrincipalArn": (arn,), "aws:PrincipalIsAWSService": ("false",)}
    if party.account:
        out["aws:PrincipalAccount"] = (party.account,)
    out["aws:PrincipalType"] = ("User",) if kind == "user" else ("AssumedRole",)
    absent: set[str] = set(NEVER_CARRIED)
    prefixes: list[str] = []
    if kind == "user":
        out["aws:username"] = (name,)  # "always included in the request context for IAM users"
    else:
        absent.add("aws:username")
        # A Glue job's role session uses temporary credentials without MFA: MultiFactorAuthPresent
        # is present and false, MultiFactorAuthAge is absent (MFA was not used).
        out["aws:MultiFactorAuthPresent"] = ("false",)
        absent.add("aws:multifactorauthage")
    _tags(out, prefixes, "aws:PrincipalTag/", party.tags)
    _org(out, absent, party, "aws:PrincipalOrgID", "aws:PrincipalOrgPaths")
    return out, absent, prefixes


def call_keys(service: str, call: Call, as_of: str | None) -> tuple[dict[str, tuple[str, ...]], set[str]]:
    """Keys about the request itself: TLS, time, Region, network path, service acting on the caller's behalf."""
    # Glue and the console call AWS over HTTPS only.
    out: dict[str, tuple[str, ...]] = {"aws:SecureTransport": ("true",), **time_keys(as_of)}
    absent: set[str] = set()
    if call.region:
        out["aws:RequestedRegion"] = (call.region,)
    if call.via:
        out["aws:ViaAWSService"] = ("true",)
    elif service not in NO_VIA_AWS_SERVICE:
        out["aws:ViaAWSService"] = ("false",)
    if call.endpoint is not None:
        out["aws:SourceVpce"] = (call.endpoint.id,)
        if call.vpc:
            out["aws:SourceVpc"] = (call.vpc,)
        absent.add("aws:sourceip")  # "included ... except when the requester uses a VPC endpoint"
    else:
        absent.update(k.lower() for k in THROUGH_ENDPOINT_ONLY)
    if not call.console:
        absent.add("aws:referer")  # programmatic requests carry no Referer header
    return out, absent


def request_tag_keys(tags: m.Tags | None) -> tuple[dict[str, tuple[str, ...]], set[str], list[str]]:
    """aws:RequestTag/* and aws:TagKeys: the tags a request attaches (``()`` none, None unknown)."""
    if tags is None:
        return {}, set(), []
    out = {f"aws:RequestTag/{key}": (value,) for key, value in tags}
    if tags:
        out["aws:TagKeys"] = tuple(key for key, _ in tags)
        return out, set(), ["aws:requesttag/"]
    return out, {"aws:tagkeys"}, ["aws:requesttag/"]


def resource_keys(service: str, action: str, resource: str, owner: Party) -> tuple[dict[str, tuple[str, ...]],
                                                                                     set[str], list[str]]:
    """Keys about the resource: owner account, its organization, its tags (and the service's copies)."""
    out: dict[str, tuple[str, ...]] = {}
    absent: set[str] = set()
    prefixes: list[str] = []
    if resource == "*":
        return out, absent, prefixes
    if owner.account:
        out["aws:ResourceAccount"] = (owner.account,)
        if service == "s3":
            out["s3:ResourceAccount"] = (owner.account,)
    _org(out, absent, owner, "aws:ResourceOrgID", "aws:ResourceOrgPaths")
    if service != "s3":  # S3 object requests: whether bucket tags reach the context is left unknown
        _tags(out, prefixes, "aws:ResourceTag/", owner.tags)
        if service in ("secretsmanager", "iam"):
            _tags(out, prefixes, f"{service}:ResourceTag/", owner.tags)
    return out, absent, prefixes


def service_keys(action: str, resource: str, call: Call, principal_account: str | None) -> dict[str, tuple[str, ...]]:
    """Service keys gluesim knows the value of (others of the service stay unknown)."""
    service, _, name = action.lower().partition(":")
    out: dict[str, tuple[str, ...]] = {}
    if service == "s3":
        # Glue's S3 clients sign with Signature Version 4 in the Authorization header.
        out["s3:authType"] = ("REST-HEADER",)
        out["s3:signatureversion"] = ("AWS4-HMAC-SHA256",)
    elif service == "kms" and call.via and call.region:
        out["kms:ViaService"] = (f"{call.via}.{call.region}.amazonaws.com",)
        if principal_account:
            out["kms:CallerAccount"] = (principal_account,)
    elif service == "secretsmanager" and resource != "*":
        out["secretsmanager:SecretId"] = (resource,)
    return out


def build(who: tuple[str, str, str], principal: Party, action: str, resource: str, owner: Party, call: Call,
          as_of: str | None, extra: Mapping[str, tuple[str, ...]] | None = None,
          request_tags: m.Tags | None = ()) -> RequestKeys:
    """The full context of one request: ``who`` is (kind, name, ARN) of the principal.

    ``extra``: keys of this request the caller knows (``iam:PassedToService``, ...);
    ``request_tags``: the tags the request attaches (``()`` none, None unknown).
    """
    service = action.partition(":")[0].lower()
    known, absent, prefixes = principal_keys(*who, principal, call.console)
    call_known, call_absent = call_keys(service, call, as_of)
    res_known, res_absent, res_prefixes = resource_keys(service, action, resource, owner)
    tag_known, tag_absent, tag_prefixes = request_tag_keys(request_tags)
    known = {**known, **call_known, **res_known, **tag_known,
             **service_keys(action, resource, call, principal.account), **(extra or {})}
    return RequestKeys(known, frozenset(absent | call_absent | res_absent | tag_absent),
                       tuple(prefixes + res_prefixes + tag_prefixes), dict(extra or {}))


def trust_keys(service: str, account_id: str, as_of: str | None) -> RequestKeys:
    """The context of a service principal (glue.amazonaws.com) assuming a role of the account.

    A service acting for a resource of the account carries ``aws:SourceAccount`` (the account);
    ``aws:SourceArn`` names the Glue resource, which gluesim does not know, so it stays unknown.
    A service principal is in no organization and has no tags or user name.
    """
    known = {"aws:PrincipalIsAWSService": ("true",), "aws:PrincipalServiceName": (service,),
             "aws:SourceAccount": (account_id,), "aws:SecureTransport": ("true",), **time_keys(as_of)}
    absent = {k.lower() for k in ("aws:PrincipalOrgID", "aws:PrincipalOrgPaths", "aws:username",
                                  "aws:MultiFactorAuthPresent", "aws:MultiFactorAuthAge", "sts:ExternalId",
                                  "aws:PrincipalAccount", "aws:PrincipalArn", "aws:userid")}
    absent |= NEVER_CARRIED - {"aws:sourceaccount", "aws:sourcearn", "aws:principalservicename"}
    return RequestKeys(known, frozenset(absent), ("aws:principaltag/",))


SPELLINGS = {k.lower(): k for k in (
    "aws:CalledVia", "aws:CalledViaFirst", "aws:CalledViaLast", "aws:CurrentTime", "aws:EpochTime",
    "aws:FederatedProvider", "aws:MultiFactorAuthAge", "aws:MultiFactorAuthPresent", "aws:PrincipalAccount",
    "aws:PrincipalArn", "aws:PrincipalIsAWSService", "aws:PrincipalOrgID", "aws:PrincipalOrgPaths",
    "aws:PrincipalServiceName", "aws:PrincipalType", "aws:referer", "aws:RequestedRegion", "aws:ResourceAccount",
    "aws:ResourceOrgID", "aws:ResourceOrgPaths", "aws:SecureTransport", "aws:SourceAccount", "aws:SourceArn",
    "aws:SourceIp", "aws:SourceVpc", "aws:SourceVpce", "aws:SourceVpcArn", "aws:TagKeys", "aws:TokenIssueTime",
    "aws:UserAgent", "aws:userid", "aws:username", "aws:ViaAWSService", "aws:VpcSourceIp", "aws:VpceAccount",
    "aws:VpceOrgID", "aws:VpceOrgPaths", "aws:SourceIdentity", "iam:AssociatedResourceArn", "iam:PassedToService",
    "kms:ViaService", "kms:CallerAccount", "kms:EncryptionContextKeys", "s3:ResourceAccount", "s3:TlsVersion",
    "s3:x-amz-server-side-encryption", "s3:x-amz-server-side-encryption-aws-kms-key-id", "s3:prefix",
    "s3:x-amz-acl", "secretsmanager:VersionStage", "glue:CredentialIssuingService", "glue:RoleAssumedBy",
)}
TAG_PREFIXES = ("aws:PrincipalTag/", "aws:ResourceTag/", "aws:RequestTag/", "secretsmanager:ResourceTag/",
                "iam:ResourceTag/", "kms:EncryptionContext:", "s3:ExistingObjectTag/")


def spelled(key: str) -> str:
    """``key`` (lower case, as the evaluator reports it) in AWS's spelling where gluesim knows it."""
    lowered = key.lower()
    if lowered in SPELLINGS:
        return SPELLINGS[lowered]
    prefix = next((p for p in TAG_PREFIXES if lowered.startswith(p.lower())), None)
    return prefix + key[len(prefix):] if prefix else key
