"""Read any mix of sources (GAAD files, CLI export folders, CloudFormation templates) into one import.

A file is recognised by its content, not its name (input-formats §0 rule 1): GAAD by
its four lists, a template by ``Resources``, single-entity ``get-role`` output by ``Role``.
A folder is an export bundle (``docs/guides/export-bundle.md``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from gluesim.kb.errors import GluesimError, LocatedError
from gluesim.simulator.importers import records as r
from gluesim.simulator.importers.common import Notice, Notices, arn_parts, partition_of_region, read_json


@dataclass(frozen=True, slots=True)
class ImportOptions:
    """What the user told ``gluesim import`` beyond the sources."""

    parameters: dict[str, str] = field(default_factory=dict, hash=False)
    parameter_origins: dict[str, str] = field(default_factory=dict, hash=False)  # key -> where it was given
    region: str | None = None
    account_id: str | None = None
    allow_partial: bool = False


class NothingUsable(GluesimError):
    """A folder none of whose files is an export gluesim reads (the CLI exits 1, listing why)."""

    def __init__(self, folder: str, notices: list[Notice]) -> None:
        ignored = sum(1 for n in notices if n.message.startswith("ignored:"))
        super().__init__(f"{folder}: nothing usable: {ignored} file(s) ignored, none is an AWS CLI export gluesim reads")
        self.notices = notices


def load_sources(paths: list[str | Path], options: ImportOptions | None = None) -> r.Imported:
    """Read every source and merge them; the first located problem stops the import."""
    options = options or ImportOptions()
    notices = Notices()
    parts: list[tuple[str, dict[str, Any]]] = []
    templates: list[tuple[str, dict[str, Any]]] = []
    for path in paths:
        source = Path(path)
        if source.is_dir():
            from gluesim.simulator.importers import bundle

            part = bundle.read(source, notices, options.allow_partial)
            if not part["usable"]:
                raise NothingUsable(str(source), notices.items)
            parts.append((str(source), part))
        else:
            data = _parse(source)
            kind = _kind(data, str(source))
            if kind == "template":
                templates.append((str(source), data))
            else:
                parts.append((str(source), _read_file(kind, data, str(source), notices, options)))
    account, region = _identity(parts, options)
    if templates:
        from gluesim.simulator.importers.cfn import importer

        importer.check_given_parameters(templates, options.parameters, options.parameter_origins)
        for name, data in templates:
            records = importer.read_template(data, name, options.parameters, region or "us-east-1", account or "111122223333",
                                             notices, options.parameter_origins)
            parts.append((name, {"records": records, "template": True}))
    elif options.parameters:
        raise LocatedError("--parameter", "parameters apply to CloudFormation templates, and no template was given")
    return merge(parts, notices, account, region, [str(p) for p in paths])


def _parse(source: Path) -> Any:
    if source.suffix.lower() in (".yaml", ".yml", ".template") or not source.suffix:
        from gluesim.simulator.importers.cfn import loader

        return loader.load(source)
    return read_json(source, "export")


def _kind(data: Any, name: str) -> str:
    from gluesim.simulator.importers import gaad

    if isinstance(data, dict) and isinstance(data.get("Resources"), dict):
        return "template"
    if gaad.is_gaad(data):
        return "gaad"
    if isinstance(data, dict) and isinstance(data.get("Role"), dict):
        return "get-role"
    keys = ", ".join(sorted(data)[:4]) if isinstance(data, dict) else type(data).__name__
    raise LocatedError(
        name,
        f"not a source gluesim can import (top-level: {keys or 'empty'}); expected 'aws iam "
        "get-account-authorization-details' output, a CloudFormation template, or an export folder",
    )


def _read_file(kind: str, data: Any, name: str, notices: Notices, options: ImportOptions) -> dict[str, Any]:
    from gluesim.simulator.importers import gaad

    if kind == "gaad":
        result = gaad.read(data, name, notices, options.allow_partial)
        return {"records": {"users": result.users, "groups": result.groups, "roles": result.roles, "managed_policies": result.managed_policies}, "account": result.account_id, "partition": result.partition}
    role = gaad.role(data["Role"], f"{name}: Role", notices)
    notices.unknown(name, f"get-role output has no policies; the permissions of role {role.name!r} are unknown (use get-account-authorization-details)")
    parts = arn_parts(role.arn)
    return {"records": {"roles": (role,)}, "account": parts[3] if parts else None, "partition": parts[0] if parts else None}


def _identity(parts: list[tuple[str, dict[str, Any]]], options: ImportOptions) -> tuple[str | None, str | None]:
    accounts = [p.get("account") for _, p in parts if p.get("account")]
    regions = [p.get("region") for _, p in parts if p.get("region")]
    account = options.account_id or (accounts[0] if accounts else None)
    region = options.region or (regions[0] if regions else None)
    return account, region


def merge(parts: list[tuple[str, dict[str, Any]]], notices: Notices, account: str | None, region: str | None, sources: list[str]) -> r.Imported:
    """One :class:`records.Imported` from every source's records; duplicates are located errors."""
    collected: dict[str, list[Any]] = {f.name: [] for f in fields(r.Imported) if f.name not in ("sources", "account_id", "partition", "region", "organization", "notices")}
    attachments: list[r.Attachment] = []
    owners: dict[tuple[str, str], str] = {}
    organization = None
    partitions = {p["partition"]: name for name, p in parts if p.get("partition")}
    for name, part in parts:
        for key, items in part["records"].items():
            if key == "attachments":
                attachments.extend(items)
                continue
            for item in items:
                _collect(collected[key], owners, key, item, name, part.get("template", False), notices)
        organization = part.get("organization") or organization
    _attach(collected, attachments, notices)
    if region:
        partitions.setdefault(partition_of_region(region), "--region")
    if len(partitions) > 1:
        (a, first), (b, second) = list(partitions.items())[:2]
        raise LocatedError(second, f"partition {b!r} differs from {a!r} in {first}; import one partition at a time")
    return r.Imported(
        sources=tuple(sources), account_id=account, partition=next(iter(partitions), None), region=region,
        organization=organization, notices=tuple(notices), **{k: tuple(v) for k, v in collected.items()},
    )


def _collect(records: list[Any], owners: dict[tuple[str, str], str], key: str, item: Any, name: str, template: bool,
             notices: Notices) -> None:
    """Add one record; an entity two sources define is an error, unless a template redefines an exported one.

    A stack imported with the export of the account it is (or will be) deployed in defines
    some of the same entities: the template's definition wins, since the import shows the
    account as the stack would leave it.
    """
    identity = _key(item)
    earlier = owners.get((key, identity)) if identity is not None else None
    if earlier is not None and earlier.removesuffix(_TEMPLATE_MARK) != name:
        if not template or earlier.endswith(_TEMPLATE_MARK):
            raise LocatedError(name, f"{key[:-1].replace('_', ' ')} {identity!r} is also defined in {earlier.removesuffix(_TEMPLATE_MARK)}; import each entity from one source")
        index = next(i for i, record in enumerate(records) if _key(record) == identity)
        records[index] = item
        notices.info(name, f"{key[:-1].replace('_', ' ')} {identity!r} is also in {earlier}; the template's definition replaces it")
        owners[(key, identity)] = name + _TEMPLATE_MARK
        return
    if identity is not None:
        owners[(key, identity)] = name + (_TEMPLATE_MARK if template else "")
    records.append(item)


_TEMPLATE_MARK = "\0template"


def _attach(collected: dict[str, list[Any]], attachments: list[r.Attachment], notices: Notices) -> None:
    """Add what templates attach to principals defined elsewhere (e.g. an AWS::IAM::Policy on an exported role)."""
    for attachment in attachments:
        records = collected[attachment.kind]
        index = next((i for i, item in enumerate(records) if item.name == attachment.name), None)
        if index is None:
            notices.unknown(attachment.origin, f"{attachment.kind[:-1]} {attachment.name!r} gets policies from the template but no source describes it; they are left out")
            continue
        record = records[index]
        changes: dict[str, Any] = {
            "inline_policies": record.inline_policies + attachment.inline_policies,
            "managed_policy_arns": tuple(dict.fromkeys(record.managed_policy_arns + attachment.managed_policy_arns)),
            "unknown_policies": record.unknown_policies + attachment.unknown_policies,
        }
        if attachment.groups:
            changes["groups"] = tuple(dict.fromkeys(record.groups + attachment.groups))
        records[index] = replace(record, **changes)


# The field that names each kind of record (the first one present for records not listed).
_IDENTITY = {r.VpcEndpoint: "endpoint_id", r.NatGateway: "nat_gateway_id", r.RouteTable: "route_table_id",
             r.SecurityGroup: "group_id", r.Subnet: "subnet_id", r.Vpc: "vpc_id", r.KmsKey: "key_id"}


def _key(item: Any) -> str | None:
    if isinstance(item, str):
        return item
    if isinstance(item, r.Table):
        return f"{item.database}.{item.name}"
    attribute = _IDENTITY.get(type(item))
    for name in (attribute,) if attribute else ("arn", "name"):
        value = getattr(item, name, None)
        if isinstance(value, str) and value:
            return value
    return None
