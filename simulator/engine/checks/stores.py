"""Checks about a job's non-S3 stores: Kinesis streams, Redshift clusters, and stores gluesim does not model."""

from __future__ import annotations

from typing import Any

from gluesim.simulator import model as m
from gluesim.simulator.engine.checks.base import REDSHIFT_SERVICE, Checker, s3_binding, special
from gluesim.simulator.engine.jobfacts import JobFacts
from gluesim.simulator.engine.results import Change, Failure


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
            f"arn:{account.partition}:kinesis:{facts.region}:{account.account_id}:stream/{loc.ref}")
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
