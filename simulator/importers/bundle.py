"""Read a folder of AWS CLI exports (the layout in ``docs/guides/export-bundle.md``).

Commands and output shapes: input-formats §2 (botocore models). A missing file means
that part of the account is unknown and is reported; an empty file means the call
found nothing (e.g. ``NoSuchBucketPolicy``: the bucket has no policy).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from gluesim.kb.errors import LocatedError
from gluesim.simulator.importers import records as r
from gluesim.simulator.importers.bundle_network import read_network
from gluesim.simulator.importers.common import Notices, as_dict, as_list, decode_policy_document, text_field

ABSENT = object()  # the file does not exist (unknown), as opposed to None (empty file: nothing there)


class Bundle:
    """One export folder, indexed by content (``bundle_index``)."""

    def __init__(self, root: Path, notices: Notices, allow_partial: bool, files: Any = None) -> None:
        from gluesim.simulator.importers.bundle_index import index

        self.root = root
        self.notices = notices
        self.allow_partial = allow_partial
        self.files = files if files is not None else index(root, notices, allow_partial)
        self.missing: list[str] = []  # outputs the folder lacks, reported together

    def get(self, relative: str, report: bool = True) -> Any:
        """The output at a layout path (None: an empty answer), or ABSENT."""
        entry = self.files.at(relative)
        if entry is None:
            if report:
                self.notices.unknown(str(self.root / relative), "not in the export folder; what it would tell is unknown")
            return ABSENT
        if entry.data is not None and not isinstance(entry.data, dict):
            raise LocatedError(entry.where, "expected the JSON object an AWS CLI command prints (run it with --output json)")
        return entry.data

    def all(self, shape: str, missing: str | None = None) -> list[Any]:
        """Every output of one shape, wherever it lies; ``missing`` says what is unknown when there is none."""
        entries = self.files.all(shape)
        if not entries and missing:
            self.missing.append(missing)
        return entries

    def name(self, relative: str) -> str:
        return str(self.root / relative)


def read(root: Path, notices: Notices, allow_partial: bool = False, files: Any = None) -> dict[str, Any]:
    """Everything an export folder holds, as records plus account, partition and region.

    ``files``: an already made ``bundle_index.Index`` (one account of an organization folder).
    """
    from gluesim.simulator.importers.bundle_index import report

    b = Bundle(root, notices, allow_partial, files)
    part: dict[str, Any] = {"records": {}}
    _identity(b, part)
    _iam(b, part)
    for section in (_buckets(b), _keys(b), _secrets(b), read_network(b), _glue(b)):
        part["records"].update(section)
    # list-buckets lists the buckets the caller's account owns.
    part["records"]["buckets"] = tuple(replace(x, account_id=part.get("account")) for x in part["records"]["buckets"])
    part["organization"] = _organization(b, part.get("account"))
    if b.missing:
        notices.unknown(str(root), f"not in the folder, so unknown: {'; '.join(b.missing)}")
    report(b.files)
    part["usable"] = len(b.files.read)
    return part


def _iam(b: Bundle, part: dict[str, Any]) -> None:
    from gluesim.simulator.importers import gaad

    files = b.all("gaad", "aws iam get-account-authorization-details (users, groups, roles, policies)")
    collected: dict[str, list[Any]] = {"users": [], "groups": [], "roles": [], "managed_policies": []}
    for entry in files:
        result = gaad.read(entry.data, entry.where, b.notices, b.allow_partial)
        for key in collected:
            collected[key] += getattr(result, key)
        part["account"] = part.get("account") or result.account_id
        part["partition"] = part.get("partition") or result.partition
    for entry in b.all("get-role"):
        role = gaad.role(entry.data["Role"], f"{entry.where}: Role", b.notices)
        b.notices.unknown(entry.where, f"get-role output has no policies; the permissions of role {role.name!r} are unknown (use get-account-authorization-details)")
        collected["roles"].append(role)
    part["records"].update({k: tuple(v) for k, v in collected.items()})


def _identity(b: Bundle, part: dict[str, Any]) -> None:
    callers = b.all("caller")
    if callers:
        caller, where = callers[0].data, callers[0].where
        part["account"] = text_field(caller, "Account", where, required=False)
        parts = str(text_field(caller, "Arn", where, required=False) or "").split(":")
        part["partition"] = parts[1] if len(parts) > 2 else None
    region_file = b.root / "region.txt"
    if _present(region_file):
        part["region"] = _region(region_file)
    else:
        b.notices.unknown(str(region_file), "no region recorded; pass --region")


def _present(path: Path) -> bool:
    """True when the folder has an entry of this name (a FIFO or a broken link is present, and refused when read)."""
    return path.exists() or path.is_symlink()


def _region(path: Path) -> str | None:
    """The Region recorded in ``region.txt`` (``aws configure get region`` output), checked for form."""
    from gluesim.kb.yamlsafe import read_text
    from gluesim.simulator.policies import is_region_name

    text = read_text(path, max_bytes=4096, what="region file").strip()
    if text and not is_region_name(text):
        shown = text if len(text) <= 40 else text[:37] + "..."
        raise LocatedError(f"{path}:1", f"{shown!r} is not an AWS Region name; expected e.g. 'eu-west-1'")
    return text or None


def _policy_file(b: Bundle, relative: str, key: str, label: str) -> tuple[r.PolicyDoc | None, bool]:
    """(policy, known): an absent file is unknown, an empty one means no policy."""
    data = b.get(relative, report=False)
    if data is ABSENT:
        return None, False
    if data is None:
        return None, True
    where = b.name(relative)
    value = as_dict(data, where).get(key)
    if value is None:
        return None, True
    return r.PolicyDoc(label, decode_policy_document(value, f"{where}: {key}"), f"{where}: {key}"), True


def _buckets(b: Bundle) -> dict[str, Any]:
    names: list[str] = []
    for entry in b.all("list-buckets", "aws s3api list-buckets (buckets)"):
        names += [text_field(as_dict(x, entry.where), "Name", entry.where) for x in as_list(entry.data.get("Buckets"), entry.where)]
    folder = b.root / "s3"
    names += sorted(p.name for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []
    buckets = []
    for name in dict.fromkeys(names):
        policy, known = _policy_file(b, f"s3/{name}/policy.json", "Policy", "bucket-policy")
        if not known:
            b.notices.unknown(f"bucket {name!r}", "no s3/<bucket>/policy.json: the bucket policy is unknown")
        algorithm, key = _encryption(b, name)
        location = b.get(f"s3/{name}/location.json", report=False)
        region = (text_field(location, "LocationConstraint", b.name(f"s3/{name}/location.json"), required=False) or "us-east-1") if isinstance(location, dict) else None
        buckets.append(r.Bucket(name, "eu-west-1" if region == "EU" else region, algorithm, key, policy, known))
    return {"buckets": tuple(buckets)}


def _encryption(b: Bundle, name: str) -> tuple[str | None, str | None]:
    data = b.get(f"s3/{name}/encryption.json", report=False)
    if data is ABSENT:
        b.notices.unknown(f"bucket {name!r}", "no s3/<bucket>/encryption.json: the default encryption is unknown")
        return None, None
    if data is None:  # ServerSideEncryptionConfigurationNotFoundError: SSE-S3 applies since Jan 2023
        return "AES256", None
    where = b.name(f"s3/{name}/encryption.json")
    rules = as_list(as_dict(as_dict(data, where).get("ServerSideEncryptionConfiguration"), where).get("Rules"), where)
    default = as_dict(as_dict(rules[0], where).get("ApplyServerSideEncryptionByDefault"), where) if rules else {}
    return text_field(default, "SSEAlgorithm", where, required=False) or "AES256", text_field(default, "KMSMasterKeyID", where, required=False)


def _keys(b: Bundle) -> dict[str, Any]:
    aliases: dict[str, list[str]] = {}
    for entry in b.all("list-aliases", "aws kms list-aliases (key aliases)"):
        for item in as_list(entry.data.get("Aliases"), entry.where):
            if isinstance(item, dict) and isinstance(item.get("TargetKeyId"), str) and isinstance(item.get("AliasName"), str):
                aliases.setdefault(item["TargetKeyId"], []).append(item["AliasName"])
    described = {}
    for entry in b.all("describe-key"):
        meta = as_dict(entry.data.get("KeyMetadata"), f"{entry.where}: KeyMetadata")
        key_id = text_field(meta, "KeyId", f"{entry.where}: KeyMetadata")
        described.setdefault(key_id, (meta, f"{entry.where}: KeyMetadata", entry.relative))
    folder = b.root / "kms"
    for key_dir in sorted(p for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []:
        described.setdefault(key_dir.name, ({}, b.name(f"kms/{key_dir.name}"), ""))
    keys = []
    for key_id, (meta, at, relative) in described.items():
        folder_name = relative.split("/")[1] if relative.startswith("kms/") and relative.count("/") == 2 else key_id
        policy, known = _policy_file(b, f"kms/{folder_name}/policy.json", "Policy", "key-policy")
        if not known:
            b.notices.unknown(f"KMS key {key_id!r}", "no kms/<key-id>/policy.json: the key policy is unknown")
        state = text_field(meta, "KeyState", at, required=False) or "Enabled"
        enabled = None if not meta else state.lower() == "enabled" and meta.get("Enabled", True) is not False
        manager = text_field(meta, "KeyManager", at, required=False)
        arn = text_field(meta, "Arn", at, required=False)
        keys.append(r.KmsKey(key_id, arn, None if manager is None else manager == "AWS", enabled, tuple(aliases.get(key_id, ())), policy, known))
    return {"kms_keys": tuple(keys)}


def _secrets(b: Bundle) -> dict[str, Any]:
    policies: dict[str, tuple[r.PolicyDoc | None, bool]] = {}
    for entry in b.all("secret-policy"):
        value = entry.data.get("ResourcePolicy")
        where = f"{entry.where}: ResourcePolicy"
        doc = r.PolicyDoc("secret-policy", decode_policy_document(value, where), where) if value else None
        policies[text_field(entry.data, "ARN", entry.where)] = (doc, True)
    listed: list[tuple[dict[str, Any], str]] = []
    for entry in b.all("list-secrets", "aws secretsmanager list-secrets (secrets)"):
        listed += [(as_dict(item, f"{entry.where}: SecretList[{i}]"), f"{entry.where}: SecretList[{i}]")
                   for i, item in enumerate(as_list(entry.data.get("SecretList"), entry.where))]
    listed += [(entry.data, entry.where) for entry in b.all("describe-secret")]
    secrets: dict[str, r.Secret] = {}
    for item, where in listed:
        arn = text_field(item, "ARN", where)
        policy, known = policies.get(arn, (None, False))
        # No KmsKeyId: the AWS managed key aws/secretsmanager encrypts the secret.
        key = text_field(item, "KmsKeyId", where, required=False)
        name = text_field(item, "Name", where)
        twin = next((s for s in secrets.values() if s.name == name and s.arn != arn), None)
        if twin is not None:  # one name is one secret in an account and Region
            b.notices.warn(where, f"secret {name!r} also appears as {twin.arn!r}; the first is kept")
            continue
        secrets.setdefault(arn, r.Secret(name, arn, key or "alias/aws/secretsmanager", policy, known))
    return {"secrets": tuple(secrets.values())}


def _glue(b: Bundle) -> dict[str, Any]:
    from gluesim.simulator.importers.bundle_glue import read_glue

    return read_glue(b)


def _organization(b: Bundle, account: str | None) -> r.Organization | None:
    from gluesim.simulator.importers.bundle_org import organization, read_tree

    return organization(read_tree(b), account, b.notices, str(b.root / "organizations"))
