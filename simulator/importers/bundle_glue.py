"""Glue and Organizations exports of a bundle → records (input-formats §2.4, §2.6).

A connection exported without ``--hide-password`` carries a plaintext ``PASSWORD``:
it is dropped here, with a notice, and never reaches any output.
The Organizations exports are read by ``bundle_org``.
"""

from __future__ import annotations

from typing import Any

from gluesim.kb.errors import LocatedError
from gluesim.simulator.importers import records as r
from gluesim.simulator.importers.common import as_dict, as_list, decode_policy_document, text_field

PASSWORD_KEYS = ("PASSWORD", "ENCRYPTED_PASSWORD")


def read_glue(b: Any) -> dict[str, Any]:
    """Connections, databases, tables and jobs of an export folder, from every file of each kind."""
    jobs = {job.name: job for job in (_job(item, where) for item, where in _items(b, "jobs", "Jobs", "glue get-jobs"))}
    return {
        "connections": tuple(_unique(_connection(b, item, where) for item, where in _items(b, "connections", "ConnectionList", "glue get-connections"))),
        "databases": tuple(dict.fromkeys(text_field(item, "Name", where) for item, where in _items(b, "databases", "DatabaseList", "glue get-databases"))),
        "tables": tuple(_tables(b)),
        "jobs": tuple(jobs.values()),
    }


def _unique(records: Any) -> list[Any]:
    return list({record.name: record for record in reversed(list(records))}.values())[::-1]


def _items(b: Any, shape: str, key: str, command: str) -> list[tuple[dict[str, Any], str]]:
    """The items of every ``shape`` output: a list under ``key`` (get-jobs) or one under its singular (get-job)."""
    found = []
    single = key[:-4] if key.endswith("List") else key[:-1]
    for entry in b.all(shape, f"aws {command} ({shape})"):
        data, where = as_dict(entry.data, entry.where), entry.where
        if key not in data and isinstance(data.get(single), dict):
            found.append((data[single], f"{where}: {single}"))
            continue
        found += [(as_dict(item, f"{where}: {key}[{i}]"), f"{where}: {key}[{i}]") for i, item in enumerate(as_list(data.get(key), f"{where}: {key}"))]
    return found


def _connection(b: Any, item: dict[str, Any], where: str) -> r.Connection:
    name = text_field(item, "Name", where)
    properties = as_dict(item.get("ConnectionProperties"), f"{where}.ConnectionProperties")
    for key in PASSWORD_KEYS:
        if properties.get(key):
            b.notices.info(f"{where}.ConnectionProperties.{key}", f"connection {name!r}: password dropped; gluesim never copies passwords (export with --hide-password)")
    physical = as_dict(item.get("PhysicalConnectionRequirements"), f"{where}.PhysicalConnectionRequirements")
    auth = as_dict(item.get("AuthenticationConfiguration"), f"{where}.AuthenticationConfiguration")
    return r.Connection(
        name=name,
        connection_type=text_field(item, "ConnectionType", where, required=False) or "UNKNOWN",
        subnet_id=text_field(physical, "SubnetId", f"{where}.PhysicalConnectionRequirements", required=False),
        security_group_ids=_texts(physical.get("SecurityGroupIdList"), f"{where}.PhysicalConnectionRequirements.SecurityGroupIdList"),
        availability_zone=text_field(physical, "AvailabilityZone", f"{where}.PhysicalConnectionRequirements", required=False),
        secret_id=text_field(properties, "SECRET_ID", f"{where}.ConnectionProperties", required=False)
        or text_field(auth, "SecretArn", f"{where}.AuthenticationConfiguration", required=False),
        url=text_field(properties, "JDBC_CONNECTION_URL", f"{where}.ConnectionProperties", required=False)
        or text_field(properties, "KAFKA_BOOTSTRAP_SERVERS", f"{where}.ConnectionProperties", required=False),
        connector_url=text_field(properties, "CONNECTOR_URL", f"{where}.ConnectionProperties", required=False),
    )


def _texts(value: Any, where: str) -> tuple[str, ...]:
    """A list of strings (a missing list is empty)."""
    items = as_list(value, where)
    if not all(isinstance(item, str) for item in items):
        raise LocatedError(where, "expected a list of strings")
    return tuple(items)


def _tables(b: Any) -> list[r.Table]:
    tables = {}
    for item, where in _items(b, "tables", "TableList", "glue get-tables"):
        location = text_field(as_dict(item.get("StorageDescriptor"), f"{where}.StorageDescriptor"), "Location", f"{where}.StorageDescriptor", required=False)
        database = text_field(item, "DatabaseName", where, required=False) or where.rsplit("/", 1)[-1].split(".json")[0]
        tables.setdefault((database, text_field(item, "Name", where)), r.Table(database, text_field(item, "Name", where), location))
    return list(tables.values())


def _job(item: dict[str, Any], where: str) -> r.Job:
    command = as_dict(item.get("Command"), f"{where}.Command")
    arguments = as_dict(item.get("DefaultArguments"), f"{where}.DefaultArguments")
    return r.Job(
        name=text_field(item, "Name", where),
        role=text_field(item, "Role", where, required=False),  # a role name or an ARN, as given when the job was made
        command=text_field(command, "Name", f"{where}.Command", required=False),
        script_location=text_field(command, "ScriptLocation", f"{where}.Command", required=False),
        temp_dir=text_field(arguments, "--TempDir", f"{where}.DefaultArguments", required=False),
        connections=_texts(as_dict(item.get("Connections"), f"{where}.Connections").get("Connections"), f"{where}.Connections.Connections"),
        security_configuration=text_field(item, "SecurityConfiguration", where, required=False),
        origin=where,
        s3_arguments=tuple((k, v) for k, v in arguments.items() if k != "--TempDir" and isinstance(v, str) and "s3://" in v),
    )
