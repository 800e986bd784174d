"""Checks about a job's role and resources: name, trust, S3, KMS, secrets, Redshift, catalog tables."""

from __future__ import annotations

from typing import Any

from gluesim.simulator import model as m
from gluesim.simulator.engine.checks.base import GLUE_SERVICE, ROLE_PREFIX, Checker, s3_binding, special
from gluesim.simulator.engine.jobfacts import JobFacts, S3Location
from gluesim.simulator.engine.results import Change, Failure


@special("job-role.name-prefix")
def name_prefix(c: Checker, entry: Any, actor: str, facts: JobFacts | None, subject: str | None) -> list[Failure]:
    """The job role's name starts with AWSGlueServiceRole (Glue Studio setup page, job permissions)."""
    assert facts is not None
    name = facts.role.name
    if name.startswith(ROLE_PREFIX):
        return []
    new = f"{ROLE_PREFIX}-{name}"
    change = Change("rename-role", name, detail=f"recreate role {name} as {new} (IAM roles cannot be renamed) "
                                               "and use it for the job")
    return [c.fail(entry, f"role {name} does not start with {ROLE_PREFIX}", change)]


@special("job-role.trusts-glue")
def trusts_glue(c: Checker, entry: Any, actor: str, facts: JobFacts | None, subject: str | None) -> list[Failure]:
    """The role's trust policy lets glue.amazonaws.com call sts:AssumeRole."""
    assert facts is not None
    role = facts.role
    if role.trust_policy is None:
        return [c.unknown(entry, f"the trust policy of role {role.name} is unknown")]
    check = c.index.evaluate_trust(role, GLUE_SERVICE)
    if check.allowed:
        return []
    change = Change("trust-service", role.name, ("sts:AssumeRole",), (GLUE_SERVICE,),
                    detail=f"let {GLUE_SERVICE} sts:AssumeRole in the trust policy of role {role.name}")
    decision = check.evaluation.decision.value
    reason = f"{GLUE_SERVICE}: sts:AssumeRole on role {role.name} is {decision}: {check.evaluation.reason}"
    return [Failure(entry.id, entry.title, reason, entry.source.section, entry.source.url, change.detail, check,
                    (change,), unknown=decision == "undecided")]


def _s3(c: Checker, entry: Any, actor: str, facts: JobFacts, prefix: str, locations: tuple[S3Location, ...],
        tables: tuple[tuple[str, S3Location | None, str | None], ...] = ()) -> list:
    """The S3 requests of ``locations`` and of the catalog ``tables``' data; a table's unknown location is unknown."""
    base = c.bindings(actor, facts, None)[0]
    known = [loc for _, loc, _ in tables if loc is not None]
    bindings = [base | s3_binding(prefix, loc) for loc in dict.fromkeys((*locations, *known))]
    return [_table_location_unknown(c, entry, facts, ref, where) for ref, loc, where in tables if loc is None] + \
        c.permissions(entry, actor, facts, bindings, ("job-role",))


def _table_location_unknown(c: Checker, entry: Any, facts: JobFacts, ref: str, where: str | None) -> Failure:
    """A catalog table whose data location is not given (or not in S3): the job role's access to it is unknown."""
    if where is None:
        reason = (f"job {facts.job.name} uses Data Catalog table {ref}, whose data location is unknown, so whether "
                  "the job role can reach the table's data cannot be decided")
        how = f"give the table's S3 location (catalog.databases[].tables[]: {{name, location: s3://...}}) for {ref}"
    else:
        reason = (f"job {facts.job.name} uses Data Catalog table {ref}, whose data is at {where}, not in Amazon S3; "
                  "gluesim checks S3 table locations only")
        how = f"check by hand that the job role can read and write the data of {ref} at {where}"
    return c.unknown(entry, reason, how)


@special("job-role.s3-source-read")
def s3_source(c: Checker, entry: Any, actor: str, facts: JobFacts | None, subject: str | None) -> list[Failure]:
    """s3:ListBucket on each source bucket, s3:GetObject on its objects (S3 sources and catalog tables' data)."""
    assert facts is not None
    return _s3(c, entry, actor, facts, "source", facts.s3_sources, facts.table_sources)


@special("job-role.s3-target-write")
def s3_target(c: Checker, entry: Any, actor: str, facts: JobFacts | None, subject: str | None) -> list[Failure]:
    """s3:ListBucket, s3:PutObject and s3:DeleteObject on each target (S3 targets and catalog tables' data)."""
    assert facts is not None
    return _s3(c, entry, actor, facts, "target", facts.s3_targets, facts.table_targets)


@special("job-role.connector-jar-read")
def connector_jar(c: Checker, entry: Any, actor: str, facts: JobFacts | None, subject: str | None) -> list[Failure]:
    """s3:GetObject on each custom connector's JAR (its CONNECTOR_URL); unknown where the URL is not given."""
    assert facts is not None
    base = c.bindings(actor, facts, None)[0]
    failures = [c.unknown(entry, f"job {facts.job.name} uses custom connector {name}, whose JAR location is unknown, "
                                 "so whether the job role can read it cannot be decided",
                          f"give the connector's JAR as connectors[].connector_url for {name}")
                for name, loc in facts.connector_jars if loc is None]
    bindings = [base | s3_binding("connector", loc) for _, loc in facts.connector_jars if loc is not None]
    return failures + c.permissions(entry, actor, facts, bindings, ("job-role",))


@special("job-role.s3-script-and-temp")
def s3_script_and_temp(c: Checker, entry: Any, actor: str, facts: JobFacts | None,
                       subject: str | None) -> list[Failure]:
    """The script (read) and the temporary directory (list, read, write, delete)."""
    assert facts is not None
    binding = c.bindings(actor, facts, None)[0] | s3_binding("script", facts.script) | s3_binding("temp", facts.temp)
    return c.permissions(entry, actor, facts, [binding], ("job-role",))


@special("job-role.kms-key-access")
def kms_key_access(c: Checker, entry: Any, actor: str, facts: JobFacts | None, subject: str | None) -> list[Failure]:
    """For each SSE-KMS bucket the job touches: the role's policies AND the key policy allow the key actions."""
    assert facts is not None
    failures: list[Failure] = []
    keys: list[str] = []
    for name in facts.touched_buckets:
        bucket = c.index.buckets.get(name)
        if bucket is None or bucket.encryption is m.Encryption.SSE_S3:
            continue
        if bucket.encryption is None:
            failures.append(c.unknown(entry, f"the default encryption of bucket {name} is unknown"))
        elif bucket.kms_key is not None:
            keys.append(bucket.kms_key)
        # SSE-KMS without a key named uses the AWS managed key aws/s3, whose key policy lets every
        # principal of the account use it through S3: nothing more to grant.
        # https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html
    base = c.bindings(actor, facts, None)[0]
    bindings = [base | {"kms_key_arn": arn} for arn in dict.fromkeys(keys)]
    return failures + c.permissions(entry, actor, facts, bindings, ("job-role",))


@special("job-role.connection-secrets")
def connection_secrets(c: Checker, entry: Any, actor: str, facts: JobFacts | None,
                       subject: str | None) -> list[Failure]:
    """secretsmanager:GetSecretValue on each connection's secret (with the secret's resource policy)."""
    assert facts is not None
    base = c.bindings(actor, facts, None)[0]
    arns = dict.fromkeys(c.index.secrets[conn.secret].arn for conn in facts.connections if conn.secret)
    return c.permissions(entry, actor, facts, [base | {"secret_arn": arn} for arn in arns], ("job-role",))


@special("catalog.tables-exist")
def tables_exist(c: Checker, entry: Any, actor: str, facts: JobFacts | None, subject: str | None) -> list[Failure]:
    """Every Data Catalog table the job uses exists before the job is created."""
    assert facts is not None
    failures = []
    for loc in (*facts.job.sources, *facts.job.targets):
        if loc.kind is not m.DataKind.CATALOG:
            continue
        database, _, table = loc.ref.partition(".")
        if (database, table) in c.index.tables:
            continue
        missing = "database" if database not in c.index.databases else "table"
        change = Change("create-table", loc.ref, detail=f"create the Data Catalog table {loc.ref} "
                        "(crawler, console, AWS CLI or CloudFormation) before creating the job")
        failures.append(c.fail(entry, f"job {facts.job.name} uses Data Catalog table {loc.ref}, but the {missing} "
                                      "does not exist", change))
    return failures


@special("preview.batch-source")
def batch_source(c: Checker, entry: Any, actor: str, facts: JobFacts | None, subject: str | None) -> list[Failure]:
    """Data preview is not supported for streaming sources; no permission changes that.

    "Review IAM permissions needed for the AWS Glue Studio user", notebook and data preview
    permissions (https://docs.aws.amazon.com/glue/latest/dg/getting-started-min-privs.html).
    """
    assert facts is not None
    streams = [loc.ref for loc in facts.job.sources if loc.kind in (m.DataKind.STREAM, m.DataKind.KINESIS)]
    if not streams:
        return []
    names = ", ".join(dict.fromkeys(streams))
    change = Change("manual", facts.job.name, detail=f"look at a sample of {names} another way (data preview "
                    "cannot read streams), or preview a batch copy of the data in Amazon S3")
    return [c.fail(entry, f"job {facts.job.name} reads streaming source {names}: data preview is not supported "
                          "for streaming sources", change)]


# The owners of the AWS-owned buckets that hold the code of some visual transforms, per Region:
# only the Regions whose bucket name gluesim has read from "Review IAM permissions needed for ETL
# jobs" (https://docs.aws.amazon.com/glue/latest/dg/getting-started-min-privs-job.html). Other
# Regions are unknown, never guessed.
TRANSFORMS_ACCOUNTS = {"us-east-1": "510798373988", "eu-west-1": "244479516193"}


@special("job-role.studio-transforms-bucket")
def studio_transforms_bucket(c: Checker, entry: Any, actor: str, facts: JobFacts | None,
                             subject: str | None) -> list[Failure]:
    """s3:GetObject on the Region's aws-glue-studio-transforms bucket, for jobs using visual transforms."""
    assert facts is not None
    region = facts.region
    owner = TRANSFORMS_ACCOUNTS.get(region)
    if owner is None:
        bucket = f"aws-glue-studio-transforms-<aws-account-id>-prod-{region}"
        return [c.unknown(entry, f"job {facts.job.name} uses visual transforms, and gluesim does not know the "
                                 f"account id in the name of the transforms bucket of Region {region} ({bucket})",
                          f"look up the bucket name for {region} on {entry.source.url} and allow the job role "
                          f"s3:GetObject on arn:aws:s3:::{bucket}/*")]
    binding = c.bindings(actor, facts, None)[0] | {"transforms_account_id": owner}
    return c.permissions(entry, actor, facts, [binding], ("job-role",))
