"""AWS Organizations exports of a folder -> the organization tree and each account's SCP levels.

Read from the management account's exports (input-formats §2.6; the guide's script writes them):
``describe-organization`` (id, management account), ``list-roots``, the tree from
``list-organizational-units-for-parent`` / ``list-accounts-for-parent`` (saved as
``organizations/ous/<parent>.json`` and ``organizations/accounts/<parent>.json``) or from
``list-parents`` (``organizations/parents/<child>.json``); SCPs from ``describe-policy``, and
where they are attached from ``list-targets-for-policy`` (``organizations/targets/<policy>.json``)
or ``list-policies-for-target`` (``organizations/policies-for-target/<target>.json``).

SCPs apply at every level from the root down to the account
(https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html);
a level whose attachments no file tells is unknown, never assumed to allow.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gluesim.simulator.importers import records as r
from gluesim.simulator.importers.common import as_dict, as_list, decode_policy_document, text_field

SCP = "SERVICE_CONTROL_POLICY"


@dataclass
class OrgTree:
    """What the Organizations files say: the tree, the SCPs and where each is attached."""

    org_id: str | None = None
    management: str | None = None
    accounts: list[str] | None = None
    parent: dict[str, str] = field(default_factory=dict)  # child id -> parent id
    roots: set[str] = field(default_factory=set)
    documents: dict[str, tuple[str, r.PolicyDoc | None]] = field(default_factory=dict)  # policy id -> (name, text)
    attached: dict[str, list[str]] = field(default_factory=dict)  # target id -> SCP ids
    complete_targets: set[str] = field(default_factory=set)  # targets whose SCP attachments are all known
    all_targets_known: bool = False  # every SCP has its list-targets-for-policy output
    seen: bool = False

    def levels(self, account: str) -> list[str]:
        """The chain from the root down to the account (as far as the files say)."""
        chain, child = [account], account
        while child in self.parent and len(chain) < 10:  # Organizations nests OUs at most five deep
            child = self.parent[child]
            chain.append(child)
        return list(reversed(chain))


def read_tree(b: Any) -> OrgTree:
    """Every Organizations output of the folder ``b`` (a ``bundle.Bundle``), however many accounts it holds."""
    tree = OrgTree()
    for entry in b.all("describe-organization"):
        org = as_dict(entry.data.get("Organization"), f"{entry.where}: Organization")
        tree.org_id = text_field(org, "Id", f"{entry.where}: Organization", required=False)
        tree.management = text_field(org, "MasterAccountId", f"{entry.where}: Organization", required=False)
    for entry in b.all("list-roots"):
        tree.roots |= {text_field(item, "Id", entry.where) for item in _list(entry, "Roots")}
    _tree_links(b, tree)
    _policies(b, tree)
    tree.seen = any(b.files.all(s) for s in ("describe-organization", "list-roots", "ous-for-parent", "accounts", "parents",
                                             "describe-policy", "org-policies", "policy-targets"))
    return tree


def _list(entry: Any, key: str) -> list[dict[str, Any]]:
    return [as_dict(item, f"{entry.where}: {key}[{i}]") for i, item in enumerate(as_list(entry.data.get(key), f"{entry.where}: {key}"))]


def _stem(entry: Any) -> str:
    return entry.relative.rsplit("/", 1)[-1].removesuffix(".json")


def _tree_links(b: Any, tree: OrgTree) -> None:
    for entry in b.all("ous-for-parent"):
        for item in _list(entry, "OrganizationalUnits"):
            tree.parent[text_field(item, "Id", entry.where)] = _stem(entry)
    for entry in b.all("accounts"):
        accounts = [text_field(item, "Id", entry.where) for item in _list(entry, "Accounts")]
        if entry.relative.startswith("organizations/accounts/"):  # list-accounts-for-parent, filed by parent
            tree.parent.update({account: _stem(entry) for account in accounts})
        tree.accounts = sorted(set(tree.accounts or []) | set(accounts))
    for entry in b.all("parents"):
        parents = _list(entry, "Parents")
        if parents:
            tree.parent[_stem(entry)] = text_field(parents[0], "Id", entry.where)


def _policies(b: Any, tree: OrgTree) -> None:
    for entry in b.all("describe-policy"):
        policy = as_dict(entry.data.get("Policy"), f"{entry.where}: Policy")
        summary = as_dict(policy.get("PolicySummary"), f"{entry.where}: Policy.PolicySummary")
        if (text_field(summary, "Type", entry.where, required=False) or SCP) != SCP:
            continue
        policy_id = text_field(summary, "Id", f"{entry.where}: Policy.PolicySummary")
        where = f"{entry.where}: Policy.Content"
        document = r.PolicyDoc(policy_id, decode_policy_document(policy.get("Content"), where), where)
        tree.documents[policy_id] = (text_field(summary, "Name", entry.where, required=False) or policy_id, document)
    for entry in b.all("org-policies"):
        target = _stem(entry)
        tree.complete_targets.add(target)
        for item in _list(entry, "Policies"):
            if (text_field(item, "Type", entry.where, required=False) or SCP) == SCP:
                policy_id = text_field(item, "Id", entry.where)
                tree.attached.setdefault(target, []).append(policy_id)
                name = text_field(item, "Name", entry.where, required=False) or policy_id
                tree.documents[policy_id] = (name, tree.documents.get(policy_id, (name, None))[1])
    targets_of = {_stem(entry): [text_field(t, "TargetId", entry.where) for t in _list(entry, "Targets")] for entry in b.all("policy-targets")}
    for policy_id, targets in targets_of.items():
        for target in targets:
            if policy_id not in tree.attached.setdefault(target, []):
                tree.attached[target].append(policy_id)
    listed = [text_field(item, "Id", entry.where) for entry in b.all("org-policies-all") for item in _list(entry, "Policies")]
    tree.all_targets_known = bool(listed) and all(p in targets_of for p in listed)


def organization(tree: OrgTree, account: str | None, notices: Any, where: str) -> r.Organization | None:
    """The account's organization: SCP levels root first (unknown where no file tells), id, path, management."""
    if not tree.seen:
        notices.unknown(where, "no Organizations export (only the management account can make one): SCPs are unknown")
        return None
    if not account:
        notices.unknown(where, "the account id is unknown (no caller.json): SCP levels cannot be walked")
        return None
    levels = tree.levels(account)
    scps: dict[str, r.Scp] = {}
    unknown = []
    for level in levels:
        if level not in tree.complete_targets and not tree.all_targets_known:
            unknown.append(level)
        for policy_id in tree.attached.get(level, []):
            name, document = tree.documents.get(policy_id, (policy_id, None))
            known = scps.get(policy_id) or r.Scp(policy_id, name, document)
            scps[policy_id] = r.Scp(known.policy_id, known.name, known.document, (*known.targets, level))
    path = f"{tree.org_id}/{'/'.join(levels[:-1])}/" if tree.org_id and levels[0] in tree.roots | {levels[0]} and \
        levels[0].startswith("r-") else None
    return r.Organization(tuple(levels), tuple(scps.values()), tuple(unknown), tree.org_id, path, tree.management,
                          tuple(tree.accounts) if tree.accounts is not None else None)
