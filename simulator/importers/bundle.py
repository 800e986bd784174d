"""Read a folder of AWS CLI exports (the layout in ``docs/guides/export-bundle.md``).

Commands and output shapes: input-formats §2 (botocore models). A missing file means
that part of the account is unknown and is reported; an empty file means the call
found nothing (e.g. ``NoSuchBucketPolicy``: the bucket has no policy).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gluesim.kb.errors import LocatedError
from gluesim.simulator.importers import records as r
from gluesim.simulator.importers.bundle_network import read_network
from gluesim.simulator.importers.common import Notices, as_dict, as_list, decode_policy_document, read_json, text_field

ABSENT = object()  # the file does not exist (unknown), as opposed to None (empty file: nothing there)


class Bundle:
    """One export folder; ``get`` reads a file relative to it."""

    def __init__(self, root: Path, notices: Notices, allow_partial: bool) -> None:
        self.root = root
        self.notices = notices
        self.allow_partial = allow_partial

    def get(self, relative: str, report: bool = True) -> Any:
        path = self.root / relative
        if not _present(path):
            if report:
                self.notices.unknown(str(path), "not in the export folder; what it would tell is unknown")
            return ABSENT
        data = read_json(path, "export")
        if data is not None and not isinstance(data, dict):
            raise LocatedError(str(path), "expected the JSON object an AWS CLI command prints (run it with --output json)")
        if isinstance(data, dict) and ("NextToken" in data or data.get("IsTruncated") is True):
            where = f"{path}: NextToken"
            if not self.allow_partial:
                raise LocatedError(where, "the export is partial (a NextToken is present); re-run the command without --max-items, or pass --allow-partial")
            self.notices.unknown(where, "the export is partial; items on later pages are unknown")
        return data

    def name(self, relative: str) -> str:
        return str(self.root / relative)


def read(root: Path, notices: Notices, allow_partial: bool = False) -> dict[str, Any]:
    """Everything an export folder holds, as records plus account, partition and region."""
    b = Bundle(root, notices, allow_partial)
    part: dict[str, Any] = {"records": {}}
    _identity(b, part)
    gaad_path = root / "gaad.json"
    if _present(gaad_path):
        from gluesim.simulator.importers import gaad

        result = gaad.read(read_json(gaad_path, "export"), str(gaad_path), notices, allow_partial)
        part["records"].update(users=result.users, groups=result.groups, roles=result.roles, managed_policies=result.managed_policies)
        part["account"] = part.get("account") or result.account_id
        part["partition"] = result.partition
    else:
        notices.unknown(str(gaad_path), "no IAM export: users, groups, roles and policies are unknown")
    for section in (_buckets(b), _keys(b), _secrets(b), read_network(b), _glue(b)):
        part["records"].update(section)
    part["organization"] = _organization(b, part.get("account"))
    return part


def _identity(b: Bundle, part: dict[str, Any]) -> None:
    caller = b.get("caller.json")
    if isinstance(caller, dict):
        part["account"] = text_field(caller, "Account", b.name("caller.json"), required=False)
        parts = str(text_field(caller, "Arn", b.name("caller.json"), required=False) or "").split(":")
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
    listing = b.get("s3/list-buckets.json")
    names = [] if listing is ABSENT or listing is None else [text_field(as_dict(x, "s3"), "Name", b.name("s3/list-buckets.json")) for x in as_list(listing.get("Buckets"), b.name("s3/list-buckets.json"))]
    folder = b.root / "s3"
    names += sorted(p.name for p in folder.iterdir() if p.is_dir() and p.name not in names) if folder.is_dir() else []
    buckets = []
    for name in names:
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
    listing = b.get("kms/aliases.json")
    if isinstance(listing, dict):
        for item in as_list(listing.get("Aliases"), b.name("kms/aliases.json")):
            if isinstance(item, dict) and isinstance(item.get("TargetKeyId"), str) and isinstance(item.get("AliasName"), str):
                aliases.setdefault(item["TargetKeyId"], []).append(item["AliasName"])
    folder = b.root / "kms"
    keys = []
    for key_dir in sorted(p for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []:
        meta = b.get(f"kms/{key_dir.name}/describe.json", report=False)
        at = b.name(f"kms/{key_dir.name}/describe.json")
        meta = as_dict(meta.get("KeyMetadata"), f"{at}: KeyMetadata") if isinstance(meta, dict) else {}
        key_id = text_field(meta, "KeyId", f"{at}: KeyMetadata", required=False) or key_dir.name
        policy, known = _policy_file(b, f"kms/{key_dir.name}/policy.json", "Policy", "key-policy")
        if not known:
            b.notices.unknown(f"KMS key {key_id!r}", "no kms/<key-id>/policy.json: the key policy is unknown")
        state = text_field(meta, "KeyState", f"{at}: KeyMetadata", required=False) or "Enabled"
        enabled = None if not meta else state.lower() == "enabled" and meta.get("Enabled", True) is not False
        manager = text_field(meta, "KeyManager", f"{at}: KeyMetadata", required=False)
        arn = text_field(meta, "Arn", f"{at}: KeyMetadata", required=False)
        keys.append(r.KmsKey(key_id, arn, None if manager is None else manager == "AWS", enabled, tuple(aliases.get(key_id, ())), policy, known))
    return {"kms_keys": tuple(keys)}


def _secrets(b: Bundle) -> dict[str, Any]:
    listing = b.get("secretsmanager/list-secrets.json")
    policies: dict[str, tuple[r.PolicyDoc | None, bool]] = {}
    folder = b.root / "secretsmanager" / "policies"
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        data = read_json(path, "export")
        if isinstance(data, dict) and isinstance(data.get("ARN"), str):
            value = data.get("ResourcePolicy")
            doc = r.PolicyDoc("secret-policy", decode_policy_document(value, f"{path}: ResourcePolicy"), f"{path}: ResourcePolicy") if value else None
            policies[data["ARN"]] = (doc, True)
    secrets = []
    where = b.name("secretsmanager/list-secrets.json")
    for index, item in enumerate(as_list(listing.get("SecretList"), where) if isinstance(listing, dict) else []):
        item = as_dict(item, f"{where}: SecretList[{index}]")
        arn = text_field(item, "ARN", f"{where}: SecretList[{index}]")
        policy, known = policies.get(arn, (None, False))
        # No KmsKeyId: the AWS managed key aws/secretsmanager encrypts the secret.
        key = text_field(item, "KmsKeyId", f"{where}: SecretList[{index}]", required=False)
        secrets.append(r.Secret(text_field(item, "Name", f"{where}: SecretList[{index}]"), arn, key or "alias/aws/secretsmanager", policy, known))
    return {"secrets": tuple(secrets)}


def _glue(b: Bundle) -> dict[str, Any]:
    from gluesim.simulator.importers.bundle_glue import read_glue

    return read_glue(b)


def _organization(b: Bundle, account: str | None) -> r.Organization | None:
    from gluesim.simulator.importers.bundle_glue import read_organization

    return read_organization(b, account)
