"""A folder holding a whole organization: the exports of many accounts plus the Organizations exports.

Layout (``docs/guides/export-bundle.md``): one folder per account, each in the single-account
layout (or just its ``get-account-authorization-details`` output), and the management account's
``organizations/`` folder. Which files belong to which account is told by content: a folder
holding one account's IAM export (or ``get-caller-identity`` output) is that account's, with
everything below it; several IAM exports of different accounts side by side are one account
each. Each account then imports on its own (in parallel, by :func:`import_account`), with its
SCP chain, organization id, OU path and management account taken from the shared tree.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from gluesim.simulator.importers.common import Notices, arn_parts

ORG_SHAPES = frozenset({"describe-organization", "list-roots", "ous-for-parent", "accounts", "parents", "describe-policy",
                        "org-policies", "org-policies-all", "policy-targets"})


@dataclass(frozen=True, slots=True)
class Unit:
    """One account of the folder: its id, its folder and its files (relative to the organization folder)."""

    account: str
    folder: str
    files: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class OrgPlan:
    """Which account each file belongs to; the Organizations files every account shares; what was ignored."""

    root: str
    units: tuple[Unit, ...]
    org_files: tuple[str, ...]
    ignored: tuple[tuple[str, str], ...]
    accounts: tuple[str, ...]  # every account the organization has (its exports, else the folders)
    buckets: tuple[tuple[str, str], ...] = ()  # (bucket, owner account) from each account's list-buckets

    @property
    def account_ids(self) -> tuple[str, ...]:
        return tuple(unit.account for unit in self.units)


def plan(root: Path, allow_partial: bool = False) -> OrgPlan | None:
    """The accounts of an organization folder, or None when it holds one account (a plain export folder)."""
    from gluesim.simulator.importers.bundle_index import index

    found = index(root, Notices(), allow_partial)
    owners: dict[str, set[str]] = defaultdict(set)  # folder -> accounts whose IAM export or identity it holds
    gaad_accounts: dict[str, str] = {}
    for entry in found.all("gaad"):
        account = _gaad_account(entry.data)
        if account:
            gaad_accounts[entry.relative] = account
            owners[_folder(entry.relative)].add(account)
    for entry in found.all("caller"):
        if isinstance(entry.data.get("Account"), str):
            owners[_folder(entry.relative)].add(entry.data["Account"])
    if len(set().union(*owners.values()) if owners else set()) < 2:
        return None
    return _assign(root, found, owners, gaad_accounts)


def _assign(root: Path, found: Any, owners: dict[str, set[str]], gaad_accounts: dict[str, str]) -> OrgPlan:
    single = {folder: next(iter(accounts)) for folder, accounts in owners.items() if len(accounts) == 1}
    files: dict[tuple[str, str], list[str]] = defaultdict(list)  # (account, folder) -> files
    org_files, ignored = [], []
    reasons = dict(found.ignored)
    # Files an account's own layout gives meaning to (s3/<bucket>/policy.json) are judged again per account.
    for relative in sorted({r for r, _ in found.read} | {r for r, _ in found.ignored}):
        entry = found.at(relative)
        if entry is not None and entry.shape is not None and entry.shape.id in ORG_SHAPES:
            org_files.append(relative)
        elif relative in gaad_accounts and _folder(relative) not in single:  # several accounts side by side
            files[(gaad_accounts[relative], _folder(relative))].append(relative)
        elif (folder := _owner_folder(relative, single)) is not None:
            files[(single[folder], folder)].append(relative)
        else:
            ignored.append((relative, reasons.get(relative) or "belongs to no account's folder (several accounts' exports "
                                                               "share this folder; put each account's exports in a folder of its own)"))
    units = tuple(Unit(account, folder, tuple(paths)) for (account, folder), paths in sorted(files.items()))
    listed = _org_accounts(found)
    buckets = tuple((item["Name"], unit.account) for unit in units for relative in unit.files
                    if (entry := found.at(relative)) is not None and entry.shape is not None and entry.shape.id == "list-buckets"
                    for item in entry.data.get("Buckets") or () if isinstance(item, dict) and isinstance(item.get("Name"), str))
    return OrgPlan(str(root), units, tuple(org_files), tuple(ignored),
                   tuple(listed) if listed else tuple(sorted({u.account for u in units})), buckets)


def _folder(relative: str) -> str:
    return str(PurePosixPath(relative).parent)


def _owner_folder(relative: str, single: dict[str, str]) -> str | None:
    """The deepest folder holding one account's exports that contains ``relative``."""
    parents = [str(p) for p in PurePosixPath(relative).parents]
    return next((p for p in parents if p in single), None)


def _gaad_account(data: Any) -> str | None:
    """The account of an IAM export: that of its first user, group or role ARN."""
    for key in ("UserDetailList", "RoleDetailList", "GroupDetailList"):
        for item in data.get(key) or () if isinstance(data, dict) else ():
            parts = arn_parts(item.get("Arn", "")) if isinstance(item, dict) and isinstance(item.get("Arn"), str) else None
            if parts and parts[3].isdigit():
                return parts[3]
    return None


def _org_accounts(found: Any) -> list[str]:
    accounts = set()
    for entry in found.all("accounts"):
        accounts |= {a.get("Id") for a in entry.data.get("Accounts") or () if isinstance(a, dict) and isinstance(a.get("Id"), str)}
    return sorted(accounts)


def import_account(org: OrgPlan, unit: Unit, options: Any = None, actor: str | None = None) -> tuple[Any, list[Any]]:
    """The scenario of one account of the organization folder, and its notices."""
    from gluesim.simulator.importers import bundle
    from gluesim.simulator.importers.bundle_index import index
    from gluesim.simulator.importers.sources import ImportOptions, merge
    from gluesim.simulator.importers.tomodel import to_scenario

    options = options or ImportOptions()
    root, folder = Path(org.root), Path(org.root) / unit.folder
    notices = Notices()
    own = [(root / relative, relative if unit.folder == "." else str(PurePosixPath(relative).relative_to(unit.folder)))
           for relative in unit.files]
    files = index(folder, notices, options.allow_partial, own + [(root / relative, relative) for relative in org.org_files])
    part = bundle.read(folder, notices, options.allow_partial, files)
    part["account"] = part.get("account") or unit.account
    name = str(folder)
    imported = merge([(name, part)], notices, options.account_id or part["account"], options.region or part.get("region"), [name])
    scenario = to_scenario(imported, notices, actor, f"{Path(org.root).name}-{unit.account}")
    return scenario, notices.items
