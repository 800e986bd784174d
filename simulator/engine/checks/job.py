"""Checks about a job's role and resources: name, trust, S3, KMS, secrets, Redshift, catalog tables."""

from __future__ import annotations

from typing import Any

from gluesim.simulator import model as m
from gluesim.simulator.engine.checks.base import GLUE_SERVICE, REDSHIFT_SERVICE, ROLE_PREFIX, Checker, s3_binding, special
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


def _s3(c: Checker, entry: Any, actor: str, facts: JobFacts, prefix: str, locations: tuple[S3Location, ...]) -> list:
    base = c.bindings(actor, facts, None)[0]
    bindings = [base | s3_binding(prefix, loc) for loc in locations]
    return c.permissions(entry, actor, facts, bindings, ("job-role",))


@special("job-role.s3-source-read")
def s3_source(c: Checker, entry: Any, actor: str, facts: JobFacts | None, subject: str | None) -> list[Failure]:
    """s3:ListBucket on each source bucket, s3:GetObject on its objects."""
    assert facts is not None
    return _s3(c, entry, actor, facts, "source", facts.s3_sources)


@special("job-role.s3-target-write")
def s3_target(c: Checker, entry: Any, actor: str, facts: JobFacts | None, subject: str | None) -> list[Failure]:
    """s3:ListBucket, s3:PutObject and s3:DeleteObject on each target."""
    assert facts is not None
    return _s3(c, entry, actor, facts, "target", facts.s3_targets)


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


# Engines reached through a JDBC connection with the connection's credentials (user name and
# password, or a Secrets Manager secret): the job role needs nothing on the database itself.
# https://docs.aws.amazon.com/glue/latest/dg/connection-properties-secrets-manager.html
JDBC_ENGINES = frozenset({"jdbc", "mysql", "postgresql", "oracle", "sqlserver", "mariadb", "aurora", "redshift"})


@special("job-role.other-data-stores")
def other_data_stores(c: Checker, entry: Any, actor: str, facts: JobFacts | None,
                      subject: str | None) -> list[Failure]:
    """Non-S3 stores gluesim does not model are unknown (never a silent pass); modelled ones have their own ids.

    Kinesis streams: job-role.kinesis-*. JDBC and connector stores: the connection's credentials
    (job-role.connection-secrets) and network (vpc.*). Redshift: its S3 staging (temporary
    directory, cluster role).
    """
    assert facts is not None
    job = facts.job
    failures = [c.unknown(entry, f"job {job.name} uses stream {loc.ref}, which is not named as a Kinesis data "
                                 "stream; gluesim models Kinesis only",
                          f"if {loc.ref} is a Kinesis data stream, write it as 'kinesis: {loc.ref}'; if it is a "
                          "Kafka or Amazon MSK topic, check by hand that the job's Kafka connection can "
                          f"authenticate and that the job role may read topic {loc.ref}")
                for loc in (*job.sources, *job.targets) if loc.kind is m.DataKind.STREAM]
    for connection in facts.connections:
        failures += _connection_store(c, entry, job, connection)
    return failures


def _connection_store(c: Checker, entry: Any, job: m.Job, connection: m.Connection) -> list[Failure]:
    if connection.connector or connection.type in (m.ConnectionType.MARKETPLACE, m.ConnectionType.CUSTOM):
        return []  # the seed page's connector section lists the job role's needs; checked under their ids
    if connection.type not in (m.ConnectionType.JDBC, m.ConnectionType.NETWORK):
        kind = connection.type.value
        return [c.unknown(entry, f"job {job.name} uses {kind} connection {connection.name}; gluesim does not model "
                                 f"what the job role needs for a {kind} store",
                          f"check by hand which permissions the job role needs to read or write through {kind} "
                          f"connection {connection.name}, and grant them; see "
                          "https://docs.aws.amazon.com/glue/latest/dg/start-connecting.html")]
    store = c.index.stores.get(connection.data_store or "")
    if store is None or store.engine.lower() in JDBC_ENGINES:
        return []
    return [c.unknown(entry, f"job {job.name} reaches data store {store.name} (engine {store.engine!r}) through "
                             f"connection {connection.name}; gluesim does not model what the job role needs "
                             "for that engine",
                      f"check by hand which IAM permissions (if any) {store.engine} needs for reading or writing "
                      f"{store.name} as the job role, and grant them; see "
                      "https://docs.aws.amazon.com/glue/latest/dg/start-connecting.html")]


def _kinesis(c: Checker, entry: Any, actor: str, facts: JobFacts, locations: tuple[m.DataLocation, ...]
             ) -> list[Failure]:
    account = c.index.account
    base = c.bindings(actor, facts, None)[0]
    failures: list[Failure] = []
    arns: list[str] = []
    for loc in locations:
        if loc.kind is not m.DataKind.KINESIS:
            continue
        arn = loc.ref if loc.ref.startswith("arn:") else (
            f"arn:{account.partition}:kinesis:{account.region}:{account.account_id}:stream/{loc.ref}")
        owner = arn.split(":")[4]
        # "Kinesis streams must be in the same account as the AWS Glue job."
        # https://docs.aws.amazon.com/glue/latest/dg/add-job-streaming.html (notes and restrictions)
        if owner != account.account_id:
            failures.append(c.fail(entry, f"job {facts.job.name} uses Kinesis stream {arn} of account {owner}; "
                                          f"Glue streaming jobs need the stream in their own account "
                                          f"({account.account_id})",
                                   Change("manual", arn, detail=f"use a Kinesis stream of account {account.account_id}")))
            continue
        arns.append(arn)
    bindings = [base | {"kinesis_stream_arn": arn} for arn in dict.fromkeys(arns)]
    return failures + c.permissions(entry, actor, facts, bindings, ("job-role",))


@special("job-role.kinesis-source-read")
def kinesis_source(c: Checker, entry: Any, actor: str, facts: JobFacts | None, subject: str | None) -> list[Failure]:
    """kinesis:DescribeStream, GetShardIterator and GetRecords on each Kinesis source stream."""
    assert facts is not None
    return _kinesis(c, entry, actor, facts, facts.job.sources)


@special("job-role.kinesis-target-write")
def kinesis_target(c: Checker, entry: Any, actor: str, facts: JobFacts | None, subject: str | None) -> list[Failure]:
    """kinesis:DescribeStream, PutRecord and PutRecords on each Kinesis target stream."""
    assert facts is not None
    return _kinesis(c, entry, actor, facts, facts.job.targets)


@special("job-role.redshift-cluster-role")
def redshift_cluster_role(c: Checker, entry: Any, actor: str, facts: JobFacts | None,
                          subject: str | None) -> list[Failure]:
    """A job over an hour against Redshift needs a role on the cluster that can use the temporary directory."""
    assert facts is not None
    if facts.job.expected_runtime_minutes is None:
        return [c.unknown(entry, f"job {facts.job.name} reads Redshift and its expected run time is unknown; "
                                 "over 60 minutes the temporary credentials expire")]
    clusters = [loc.ref for loc in (*facts.job.sources, *facts.job.targets) if loc.kind is m.DataKind.REDSHIFT]
    failures: list[Failure] = []
    for cluster_id in dict.fromkeys(clusters):
        failures += _cluster(c, entry, actor, facts, c.index.clusters[cluster_id])
    return failures


def _cluster(c: Checker, entry: Any, actor: str, facts: JobFacts, cluster: m.RedshiftCluster) -> list[Failure]:
    minutes = facts.job.expected_runtime_minutes
    if not cluster.roles:
        change = Change("cluster-role", cluster.id, detail=f"associate an IAM role with Redshift cluster {cluster.id} "
                        f"that trusts {REDSHIFT_SERVICE} and can use the job's temporary directory")
        return [c.fail(entry, f"job {facts.job.name} runs {minutes} minutes against Redshift cluster {cluster.id}, "
                              "which has no IAM role; the job's temporary credentials expire after one hour", change)]
    binding = c.bindings(actor, facts, None)[0] | s3_binding("temp", facts.temp)
    best: list[Failure] | None = None
    for role_name in cluster.roles:
        role = c.index.roles[role_name]
        found = [] if role.trust_policy is not None and c.index.evaluate_trust(role, REDSHIFT_SERVICE).allowed else [
            c.fail(entry, f"role {role_name} on cluster {cluster.id} does not trust {REDSHIFT_SERVICE}",
                   Change("trust-service", role_name, ("sts:AssumeRole",), (REDSHIFT_SERVICE,),
                          detail=f"let {REDSHIFT_SERVICE} sts:AssumeRole in the trust policy of role {role_name}"))]
        found += _as_role(c, entry, role_name, binding)
        if not found:
            return []
        best = found if best is None or len(found) < len(best) else best
    return best or []


def _as_role(c: Checker, entry: Any, role_name: str, binding: dict[str, str]) -> list[Failure]:
    failures: list[Failure] = []
    who = c.index.role(role_name)
    for permission in entry.permissions:
        if permission.principal.value != "redshift-cluster-role":
            continue
        for template in permission.resources:
            resource = template.format(**binding)
            for action in permission.actions:
                failures += c.request(entry, who, action, resource, {})
    return failures


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
    region = c.index.account.region
    owner = TRANSFORMS_ACCOUNTS.get(region)
    if owner is None:
        bucket = f"aws-glue-studio-transforms-<aws-account-id>-prod-{region}"
        return [c.unknown(entry, f"job {facts.job.name} uses visual transforms, and gluesim does not know the "
                                 f"account id in the name of the transforms bucket of Region {region} ({bucket})",
                          f"look up the bucket name for {region} on {entry.source.url} and allow the job role "
                          f"s3:GetObject on arn:aws:s3:::{bucket}/*")]
    binding = c.bindings(actor, facts, None)[0] | {"transforms_account_id": owner}
    return c.permissions(entry, actor, facts, [binding], ("job-role",))
