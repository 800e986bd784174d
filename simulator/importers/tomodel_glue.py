"""Map Glue records onto scenario data: the catalog, connections and jobs (mixed into the mapper).

Jobs are always kept, so a template's jobs are checked even when no source names a user:
their job role's run-time needs (trust, S3, KMS, network, connections, secrets) are computed,
and who builds and runs them is then a stand-in user whose permissions are unknown, so every
user-side verdict is ``unknown`` (``--actor USER`` names a real user of the import instead).
"""

from __future__ import annotations

from typing import Any

from gluesim.kb.errors import LocatedError, did_you_mean
from gluesim.simulator.importers import records as r

# The Connection API's ConnectionType values the scenario format has
# (https://docs.aws.amazon.com/glue/latest/dg/aws-glue-api-catalog-connections.html).
CONNECTION_TYPES = ("JDBC", "NETWORK", "MARKETPLACE", "CUSTOM", "KAFKA", "MONGODB", "SFTP", "SALESFORCE")
# IAM user names cannot hold spaces or parentheses, so the stand-in never meets a real user.
UNKNOWN_BUILDER = "(unknown user)"


class GlueMapper:
    """The catalog, connections and jobs; expects the mapper's ``imp``, ``notices``, ``out``, ``actor``."""

    def glue(self) -> None:
        tables: dict[str, list[Any]] = {name: [] for name in self.imp.databases}
        for table in self.imp.tables:
            # The table's data location, which the job role must read; null: the source does not say.
            location = table.location if table.location and table.location.startswith("s3://") else None
            tables.setdefault(table.database, []).append({"name": table.name, "location": location})
        self.out["catalog"] = {"databases": [_drop_none({"name": n, "tables": t or None}) for n, t in tables.items()]}
        if not tables:
            del self.out["catalog"]
        stores, connections = [], []
        for connection in self.imp.connections:
            entry = self._connection(connection, stores)
            if entry:
                connections.append(entry)
        self.out["data_stores"] = stores
        self.out["connections"] = connections
        self.out["connectors"] = [self._connector(c, e) for c, e in zip(self.imp.connections, connections) if c.connector_url]
        self.out["jobs"] = self._jobs({c["name"] for c in connections})

    def _connection(self, c: r.Connection, stores: list[dict[str, Any]]) -> dict[str, Any]:
        where = f"connection {c.name!r}"
        kind = c.connection_type.upper()
        if kind not in CONNECTION_TYPES:
            self.notices.warn(where, f"connection type {kind} is not in the scenario format; written as NETWORK (its VPC placement is kept)")
            kind = "NETWORK"
        entry: dict[str, Any] = {"name": c.name, "type": kind}
        if c.url and kind == "JDBC":
            engine = c.url.split(":")[1] if c.url.startswith("jdbc:") and c.url.count(":") > 1 else "jdbc"
            stores.append({"name": f"{c.name}-store", "engine": engine, "public": None})
            entry["data_store"] = f"{c.name}-store"
        if c.subnet_id in self.subnet_ids:
            entry["subnet"] = c.subnet_id
        elif c.subnet_id:
            self.notices.unknown(where, f"subnet {c.subnet_id!r} was not exported; left out")
        groups = [g for g in c.security_group_ids if g in self.group_ids]
        if len(groups) < len(c.security_group_ids):
            self.notices.unknown(where, "some security groups were not exported; left out")
        if groups:
            entry["security_groups"] = groups
        if c.secret_id:
            entry["secret"] = self.secret_ref(c.secret_id, where)
        return entry

    def _connector(self, connection: r.Connection, entry: dict[str, Any]) -> dict[str, Any]:
        """The connector a CUSTOM or MARKETPLACE connection loads from its CONNECTOR_URL."""
        name = f"{connection.name}-connector"
        entry["connector"] = name
        out: dict[str, Any] = {"name": name, "type": "marketplace" if entry["type"] == "MARKETPLACE" else "custom"}
        url = self.bucket_ref(connection.connector_url, f"connection {connection.name!r}")
        if url:
            out["connector_url"] = url
        return out

    def _jobs(self, connections: set[str]) -> list[dict[str, Any]]:
        roles = {role.name: role.name for role in self.imp.roles} | {role.arn: role.name for role in self.imp.roles}
        jobs = []
        for job in self.imp.jobs:
            where = job.origin or f"job {job.name!r}"
            role = roles.get(job.role or "")
            if role is None:
                self.notices.unknown(where, f"job {job.name!r}: its role {job.role!r} was not imported; the job is left out")
                continue
            entry = {"name": job.name, "role": role}
            entry["script_location"] = self.bucket_ref(job.script_location, where)
            entry["temp_dir"] = self.bucket_ref(job.temp_dir, where)
            entry["connections"] = [c for c in job.connections if c in connections] or None
            self._unchecked_arguments(job, where)
            jobs.append(_drop_none(entry))
        if jobs or self.actor is not None:
            builder = self._builder(len(jobs))
            jobs = [{"name": j["name"], "created_by": builder, **j} for j in jobs]
        return jobs

    def _builder(self, count: int) -> str:
        """The user the jobs are checked as built by: ``--actor``, or a stand-in with unknown permissions."""
        users = [u.name for u in self.imp.users]
        if self.actor is not None:
            if self.actor not in users:
                hint = did_you_mean(self.actor, users) or ("; import the account's users too (get-account-authorization-details)" if not users else "; expected a user of the import")
                raise LocatedError(f"--actor {self.actor!r}", f"not a user of the imported account{hint}")
            return self.actor
        why = ("no user in the sources; pass --actor USER or import the account's IAM export with the template" if not users
               else "the sources do not say who builds the jobs; pass --actor USER")
        self.out["users"].append({"name": UNKNOWN_BUILDER, "console_access": None, "password_reset_required": None,
                                  "unknown_policies": [{"policy": "the permissions of whoever builds the jobs", "reason": why}]})
        self.notices.unknown("jobs", f"{count} Glue job(s) are checked as built by {UNKNOWN_BUILDER!r}: "
                             f"their job roles' needs are computed, every verdict about the user is unknown ({why})",
                             (f"user/{UNKNOWN_BUILDER}",))
        return UNKNOWN_BUILDER

    def _unchecked_arguments(self, job: r.Job, where: str) -> None:
        """Job arguments naming S3 locations the template does not say are read or written."""
        if job.s3_arguments:
            listed = ", ".join(f"{k} {v}" for k, v in job.s3_arguments)
            self.notices.unknown(where, f"job {job.name!r}: arguments name S3 locations ({listed}); whether the job reads "
                                 "or writes them is not said, so they are not checked (add them to the job's sources or "
                                 "targets in the written scenario)")


def _drop_none(entry: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in entry.items() if v is not None}
