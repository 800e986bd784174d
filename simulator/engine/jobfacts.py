"""Facts derived from a job and its account: S3 locations, KMS keys, network placement, features.

``features`` uses the knowledge base's vocabulary (``applies_when``): a KB entry is
relevant to a job when every feature it names is present.
"""

from __future__ import annotations

from dataclasses import dataclass

from gluesim.simulator import model as m
from gluesim.simulator.engine.context import AccountIndex

# A job runs longer than this against Redshift -> its temporary credentials expire.
# https://docs.aws.amazon.com/glue/latest/dg/aws-glue-programming-etl-redshift.html
REDSHIFT_CREDENTIAL_MINUTES = 60


@dataclass(frozen=True, slots=True)
class S3Location:
    """A bucket and a key or prefix; ``prefix`` ends with ``/`` for folders."""

    bucket: str
    prefix: str

    @classmethod
    def parse(cls, url: str) -> S3Location:
        """Split ``s3://bucket/key`` (the loader has checked the form)."""
        bucket, _, key = url[5:].partition("/")
        return cls(bucket, key)

    @property
    def objects(self) -> str:
        """The object part of an ARN covering the location: ``prefix*`` (every object under it)."""
        return f"{self.prefix}*" if self.prefix.endswith("/") or not self.prefix else self.prefix


@dataclass(frozen=True, slots=True)
class JobFacts:
    """Everything the checks need to know about one job."""

    job: m.Job
    role: m.Role
    s3_sources: tuple[S3Location, ...]
    s3_targets: tuple[S3Location, ...]
    script: S3Location
    temp: S3Location
    connections: tuple[m.Connection, ...]
    subnet: str | None
    features: frozenset[str]
    region: str = ""
    # Catalog tables whose data is read (sources) or written (targets): (db.table, S3 location or
    # None when the table's location is unknown or not in S3, the location text).
    table_sources: tuple[tuple[str, S3Location | None, str | None], ...] = ()
    table_targets: tuple[tuple[str, S3Location | None, str | None], ...] = ()
    # Custom connectors the job uses: (connector name, its JAR's S3 location or None when unknown).
    connector_jars: tuple[tuple[str, S3Location | None], ...] = ()

    @property
    def touched_buckets(self) -> tuple[str, ...]:
        """Every bucket the job role reads or writes, in a stable order, once."""
        tables = [loc for _, loc, _ in (*self.table_sources, *self.table_targets) if loc is not None]
        jars = [loc for _, loc in self.connector_jars if loc is not None]
        names = [loc.bucket for loc in (*self.s3_sources, *self.s3_targets, *tables, *jars, self.script, self.temp)]
        return tuple(dict.fromkeys(names))


def job_facts(index: AccountIndex, job: m.Job) -> JobFacts:
    """Derive the facts of ``job``; the script and temporary directory default as Glue Studio's do."""
    account = index.account
    region = job.region or account.region
    # Glue Studio keeps scripts and temporary files in aws-glue-assets-ACCOUNT-REGION by default.
    # https://docs.aws.amazon.com/glue/latest/dg/console-jobs.html (job details: script path, temporary path)
    assets = f"s3://aws-glue-assets-{account.account_id}-{region}"
    script = S3Location.parse(job.script_location or f"{assets}/scripts/{job.name}.py")
    temp = S3Location.parse(job.temp_dir or f"{assets}/temporary/")
    connections = tuple(index.connections[name] for name in _connection_names(job))
    subnet = job.subnet or next((c.subnet for c in connections if c.subnet), None)
    facts = JobFacts(
        job=job,
        role=index.roles[job.role],
        s3_sources=tuple(S3Location.parse(s.ref) for s in job.sources if s.kind is m.DataKind.S3),
        s3_targets=tuple(S3Location.parse(t.ref) for t in job.targets if t.kind is m.DataKind.S3),
        script=script,
        temp=temp,
        connections=connections,
        subnet=subnet,
        features=frozenset(),
        region=region,
        table_sources=_tables(index, job.sources),
        table_targets=_tables(index, job.targets),
        connector_jars=_jars(index, connections),
    )
    return JobFacts(**{**{f: getattr(facts, f) for f in facts.__slots__}, "features": _features(index, facts)})


def _tables(index: AccountIndex, locations: tuple[m.DataLocation, ...]
            ) -> tuple[tuple[str, S3Location | None, str | None], ...]:
    """The catalog tables among ``locations`` that exist, with their data's S3 location (None: unknown or not S3)."""
    found = []
    for loc in locations:
        if loc.kind is not m.DataKind.CATALOG:
            continue
        database, _, name = loc.ref.partition(".")
        table = index.tables.get((database, name))
        if table is None:
            continue  # a missing table is catalog.tables-exist's failure
        where = table.location
        s3 = S3Location.parse(where) if where is not None and where.startswith("s3://") else None
        found.append((loc.ref, s3, where))
    return tuple(found)


def _jars(index: AccountIndex, connections: tuple[m.Connection, ...]) -> tuple[tuple[str, S3Location | None], ...]:
    """The custom connectors of the job's connections and their JAR's S3 location (None: unknown)."""
    names = dict.fromkeys(c.connector for c in connections if c.connector)
    custom = [index.connectors[n] for n in names if n in index.connectors
              and index.connectors[n].type is m.ConnectorType.CUSTOM]
    return tuple((c.name, S3Location.parse(c.connector_url) if c.connector_url else None) for c in custom)


def _connection_names(job: m.Job) -> tuple[str, ...]:
    named = [loc.ref for loc in (*job.sources, *job.targets) if loc.kind is m.DataKind.CONNECTION]
    return tuple(dict.fromkeys([*job.connections, *named]))


def _features(index: AccountIndex, facts: JobFacts) -> frozenset[str]:
    job = facts.job
    kinds = {loc.kind for loc in (*job.sources, *job.targets)}
    # Every job reads its script from S3, so S3 requirements always apply.
    found = {"s3"}
    # SSE-KMS (or unknown encryption, which the KMS check reports as unknown) on a touched bucket.
    declared = [index.buckets[name] for name in facts.touched_buckets if name in index.buckets]
    if any(b.encryption is not m.Encryption.SSE_S3 for b in declared):
        found.add("kms")
    if m.DataKind.REDSHIFT in kinds:
        found |= {"redshift", "non-s3-store"}
        minutes = job.expected_runtime_minutes
        if minutes is None or minutes > REDSHIFT_CREDENTIAL_MINUTES:
            found.add("long-running")
    if m.DataKind.CATALOG in kinds:
        found.add("catalog")
    if m.DataKind.STREAM in kinds or m.DataKind.KINESIS in kinds:
        found |= {"streaming", "non-s3-store"}
    if any(loc.kind is m.DataKind.KINESIS for loc in job.sources):
        found.add("kinesis-source")
    if any(loc.kind is m.DataKind.KINESIS for loc in job.targets):
        found.add("kinesis-target")
    if facts.connections:
        found |= {"connector", "non-s3-store"}
        if any(_marketplace(index, c) for c in facts.connections):
            found.add("marketplace-connector")
        if any(c.secret for c in facts.connections):
            found.add("connection-secret")
    if job.visual_transforms:
        found.add("visual-transforms")
    if facts.connector_jars:
        found.add("custom-connector")
    if facts.subnet:
        found.add("vpc")
        if any(_public_store(index, c) is not False for c in facts.connections if c.data_store):
            found.add("internet")
    return frozenset(found)


def _marketplace(index: AccountIndex, connection: m.Connection) -> bool:
    if connection.type is m.ConnectionType.MARKETPLACE:
        return True
    connector = index.connectors.get(connection.connector or "")
    return connector is not None and connector.type is m.ConnectorType.MARKETPLACE


def _public_store(index: AccountIndex, connection: m.Connection) -> bool | None:
    store = index.stores.get(connection.data_store or "")
    return None if store is None else store.public
