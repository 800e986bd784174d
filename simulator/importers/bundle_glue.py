"""Glue and Organizations exports of a bundle → records (input-formats §2.4, §2.6).

A connection exported without ``--hide-password`` carries a plaintext ``PASSWORD``:
it is dropped here, with a notice, and never reaches any output.
SCPs: ``list-policies-for-target`` lists only direct attachments, so the levels are
walked with ``list-parents`` from the account up to the root
(https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html).
"""

from __future__ import annotations

from typing import Any

from gluesim.kb.errors import LocatedError
from gluesim.simulator.importers import records as r
from gluesim.simulator.importers.common import as_dict, as_list, decode_policy_document, text_field

PASSWORD_KEYS = ("PASSWORD", "ENCRYPTED_PASSWORD")


def read_glue(b: Any) -> dict[str, Any]:
    """Connections, databases, tables and jobs of an export folder."""
    return {
        "connections": tuple(_connection(b, item, where) for item, where in _items(b, "glue/connections.json", "ConnectionList")),
        "databases": tuple(text_field(item, "Name", where) for item, where in _items(b, "glue/databases.json", "DatabaseList")),
        "tables": tuple(_tables(b)),
        "jobs": tuple(_job(item, where) for item, where in _items(b, "glue/jobs.json", "Jobs")),
    }


def _items(b: Any, relative: str, key: str, report: bool = True) -> list[tuple[dict[str, Any], str]]:
    from gluesim.simulator.importers.bundle import ABSENT

    data = b.get(relative, report=report)
    if data is ABSENT or data is None:
        return []
    where = b.name(relative)
    single = key[:-1] if key.endswith("s") else None  # get-job prints {"Job": {...}}, get-jobs {"Jobs": [...]}
    if single and isinstance(data, dict) and key not in data and isinstance(data.get(single), dict):
        return [(data[single], f"{where}: {single}")]
    return [(as_dict(item, f"{where}: {key}[{i}]"), f"{where}: {key}[{i}]") for i, item in enumerate(as_list(as_dict(data, where).get(key), f"{where}: {key}"))]


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
    )


def _texts(value: Any, where: str) -> tuple[str, ...]:
    """A list of strings (a missing list is empty)."""
    items = as_list(value, where)
    if not all(isinstance(item, str) for item in items):
        raise LocatedError(where, "expected a list of strings")
    return tuple(items)


def _tables(b: Any) -> list[r.Table]:
    folder = b.root / "glue" / "tables"
    tables = []
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        for item, where in _items(b, f"glue/tables/{path.name}", "TableList", report=False):
            location = text_field(as_dict(item.get("StorageDescriptor"), f"{where}.StorageDescriptor"), "Location", f"{where}.StorageDescriptor", required=False)
            tables.append(r.Table(text_field(item, "DatabaseName", where, required=False) or path.stem, text_field(item, "Name", where), location))
    return tables


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


def read_organization(b: Any, account: str | None) -> r.Organization | None:
    """The SCP levels (root first) and their policies, or None when nothing was exported."""
    folder = b.root / "organizations"
    if not folder.is_dir():
        b.notices.unknown(str(folder), "no Organizations export (only the management account can make one): SCPs are unknown")
        return None
    if not account:
        b.notices.unknown(str(folder), "the account id is unknown (no caller.json): SCP levels cannot be walked")
        return None
    levels = _levels(b, account)
    scps: dict[str, r.Scp] = {}
    unknown = []
    for level in levels:
        if not (b.root / f"organizations/policies-for-target/{level}.json").is_file():
            unknown.append(level)
        for item, where in _items(b, f"organizations/policies-for-target/{level}.json", "Policies"):
            if (text_field(item, "Type", where, required=False) or "SERVICE_CONTROL_POLICY") != "SERVICE_CONTROL_POLICY":
                continue
            policy_id = text_field(item, "Id", where)
            known = scps.get(policy_id) or r.Scp(policy_id, text_field(item, "Name", where, required=False) or policy_id, _scp_document(b, policy_id))
            scps[policy_id] = r.Scp(known.policy_id, known.name, known.document, (*known.targets, level))
    return r.Organization(tuple(levels), tuple(scps.values()), tuple(unknown))


def _levels(b: Any, account: str) -> list[str]:
    chain, child = [account], account
    for _ in range(10):  # Organizations nests OUs at most five deep
        parents = _items(b, f"organizations/parents/{child}.json", "Parents")
        if not parents:
            break
        child = text_field(parents[0][0], "Id", parents[0][1])
        chain.append(child)
        if parents[0][0].get("Type") == "ROOT":
            break
    return list(reversed(chain))


def _scp_document(b: Any, policy_id: str) -> r.PolicyDoc | None:
    from gluesim.simulator.importers.bundle import ABSENT

    relative = f"organizations/policies/{policy_id}.json"
    data = b.get(relative)
    if data is ABSENT or data is None:
        return None
    where = b.name(relative)
    content = as_dict(as_dict(data, where).get("Policy"), f"{where}: Policy").get("Content")
    return r.PolicyDoc(policy_id, decode_policy_document(content, f"{where}: Policy.Content"), f"{where}: Policy.Content")
