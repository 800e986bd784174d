"""Map imported records onto a scenario: the same data a scenario file holds, loaded the same way.

The records become the scenario file's data structure and go through
``gluesim.simulator.scenario.from_data``, so an import and the scenario file written
from it give the same in-memory account. What the sources do not show is written as an
unknown mark (``unknown_policies``, an SCP level with ``unknown: true``), so that replaying
the written file gives the same verdicts; a notice says so too. Nothing is ever replaced
by something that would allow more.
"""

from __future__ import annotations

import re
from typing import Any

from gluesim.kb.errors import LocatedError
from gluesim.simulator.importers import records as r
from gluesim.simulator.importers.common import Notices, partition_of_region
from gluesim.simulator.importers.tomodel_glue import GlueMapper
from gluesim.simulator.importers.tomodel_infra import InfraMapper
from gluesim.simulator.policies import iam_arn

SCP_SUBJECT = "organization/scp"  # an unknown SCP can only deny: it clouds every principal's allowed verdicts
PLACEHOLDER_ACCOUNT = "111122223333"  # the documentation account id AWS uses in examples
PARTITIONS = ("aws", "aws-cn", "aws-us-gov")
NOT_EXPORTED = "not in the export"


def to_scenario_data(imp: r.Imported, notices: Notices, actor: str | None = None, name: str = "import") -> dict[str, Any]:
    """The scenario-file data for an import (what ``gluesim import --to`` writes)."""
    return _Mapper(imp, notices, actor, name).data()


def to_scenario(imp: r.Imported, notices: Notices, actor: str | None = None, name: str = "import") -> Any:
    """The model ``Scenario`` for an import, built exactly as a scenario file is loaded."""
    from gluesim.kb.yamlsafe import Mapping, Sequence
    from gluesim.simulator import scenario

    def wrap(value: Any) -> Any:
        if isinstance(value, dict):
            result = Mapping((k, wrap(v)) for k, v in value.items())
            result.line, result.key_lines = 0, {}
            return result
        if isinstance(value, list):
            items = Sequence(wrap(v) for v in value)
            items.line, items.item_lines = 0, []
            return items
        return value

    return scenario.from_data(wrap(to_scenario_data(imp, notices, actor, name)), f"<import of {name}>")


class _Mapper(InfraMapper, GlueMapper):
    def __init__(self, imp: r.Imported, notices: Notices, actor: str | None, name: str) -> None:
        self.imp = imp
        self.notices = notices
        self.actor = actor
        self.name = name
        self.out: dict[str, Any] = {}
        self.policy_names: dict[str, str | None] = {}
        self.missing_policies: dict[str, list[str]] = {}
        self.missing_boundaries: dict[str, list[str]] = {}

    def data(self) -> dict[str, Any]:
        self.out["name"] = self.name
        self.out["description"] = f"Imported from {', '.join(self.imp.sources) or 'nothing'} by gluesim import."
        self.out["account"] = self.account()
        self.policies()
        self.principals()
        self.storage()
        self.network()
        self.glue()
        self.organization()
        return {k: v for k, v in self.out.items() if v not in ([], {})}

    def account(self) -> dict[str, Any]:
        account_id = self.imp.account_id
        if not (account_id and re.fullmatch(r"\d{12}", account_id)):
            self.notices.info("account", f"the account id is unknown; ARNs use {PLACEHOLDER_ACCOUNT} (pass --account-id)")
            account_id = PLACEHOLDER_ACCOUNT
        region = self.imp.region or "us-east-1"
        if not self.imp.region:
            self.notices.info("account", "the region is unknown; using us-east-1 (pass --region)")
        partition = self.imp.partition or partition_of_region(region)
        if partition not in PARTITIONS:
            raise LocatedError("account", f"partition {partition!r} is not supported; expected one of {', '.join(PARTITIONS)}")
        self.account_id, self.region, self.partition = account_id, region, partition
        return {"id": account_id, "region": region, "partition": partition, "billing_iam_access": None}

    # -- IAM ----------------------------------------------------------------------------
    def policies(self) -> None:
        from gluesim.simulator.policies import aws_managed_arn

        customer: list[dict[str, Any]] = []
        kept: list[str] = []
        taken = {p.name for p in self.imp.managed_policies if not p.aws_managed}
        for policy in self.imp.managed_policies:
            shipped = aws_managed_arn(policy.arn) if policy.aws_managed else None
            if shipped:
                self.policy_names[policy.arn] = shipped.name
            elif policy.document is None:
                self.policy_names[policy.arn] = None
            else:
                name = policy.name
                if policy.aws_managed:
                    name = policy.name if policy.name not in taken else f"{policy.name}.aws-managed"
                    kept.append(name)
                taken.add(name)
                self.policy_names[policy.arn] = name
                entry = {"name": name, "document": policy.document.document}
                if policy.path != "/" and not policy.aws_managed:
                    entry["path"] = policy.path
                if not policy.aws_managed and policy.arn != iam_arn(self.partition, self.account_id, "policy", policy.path or "/", name):
                    entry["arn"] = policy.arn  # the real ARN, which other policies may name
                customer.append(entry)
        self.out["policies"] = customer
        if kept:
            self.notices.info("policies", f"{len(kept)} AWS managed policies gluesim does not ship are kept with their exported documents as account policies: {', '.join(kept)}")

    def policy_ref(self, arn: str, owner: str, boundary: bool = False) -> str | None:
        """The scenario's name for a managed policy; an unexported one is recorded against ``owner``."""
        from gluesim.simulator.policies import aws_managed_arn

        if arn not in self.policy_names:
            shipped = aws_managed_arn(arn) if ":iam::aws:policy/" in arn else None
            self.policy_names[arn] = shipped.name if shipped else None
        if self.policy_names[arn] is None:
            (self.missing_boundaries if boundary else self.missing_policies).setdefault(arn, []).append(owner)
        return self.policy_names[arn]

    def report_missing(self) -> None:
        """One notice per unexported policy, naming every principal it clouds (each also carries the mark).

        An unknown managed policy could allow or deny anything: its notice names the principals
        (the audit clouds all their verdicts). An unknown boundary can only restrict: the audit
        reads its mark from the scenario and clouds allowed verdicts only, so its notice names none.
        """
        for missing, what, subjects in ((self.missing_policies, "left out", True),
                                        (self.missing_boundaries, "marked as an unknown permissions boundary", False)):
            for arn, owners in missing.items():
                unique = tuple(dict.fromkeys(owners))
                shown = ", ".join(unique[:5]) + (f" and {len(unique) - 5} more" if len(unique) > 5 else "")
                self.notices.unknown(f"managed policy {arn!r}", f"not in the export: what it grants or denies is unknown; {what} for {shown}", unique if subjects else ())

    def identity(self, entry: dict[str, Any], item: Any, owner: str) -> None:
        inline: dict[str, Any] = {}
        for doc in item.inline_policies:
            key = doc.name if doc.name not in inline else f"{doc.name}-{len(inline)}"
            inline[key] = doc.document
        if inline:
            entry["inline_policies"] = inline
        managed = []
        for arn in item.managed_policy_arns:
            ref = self.policy_ref(arn, owner)
            if ref:
                managed.append(ref)
            else:
                _mark(entry, "policy", arn, NOT_EXPORTED)
        if managed:
            entry["managed_policies"] = list(dict.fromkeys(managed))
        for mark in item.unknown_policies:
            _mark(entry, mark.kind.value, mark.ref, mark.reason)
            self.notices.unknown(f"{owner.split('/', 1)[0]} {owner.split('/', 1)[1]!r}", f"{mark.describe()}: what it grants or denies is unknown", (owner,))
        boundary = getattr(item, "boundary_arn", None)
        if boundary:
            ref = self.policy_ref(boundary, owner, boundary=True)
            if ref:
                entry["permissions_boundary"] = ref
            else:
                _mark(entry, "boundary", boundary, NOT_EXPORTED)

    def principals(self) -> None:
        groups = {g.name for g in self.imp.groups}
        users = []
        for user in self.imp.users:
            # Neither the authorization details nor the bundle carry the login profile, so whether the
            # user has a console password, and must reset it, is unknown (null), never assumed.
            entry: dict[str, Any] = {"name": user.name, "console_access": user.console_password,
                                     "password_reset_required": None}
            _path(entry, user.path)
            member = [g for g in user.groups if g in groups]
            if member:
                entry["groups"] = member
            for group in user.groups:
                if group not in groups:
                    _mark(entry, "group", group, "no source describes this group")
                    self.notices.unknown(f"user {user.name!r}", f"is in group {group!r}, which no source describes: what it grants or denies is unknown", (f"user/{user.name}",))
            self.identity(entry, user, f"user/{user.name}")
            _tags(entry, user.tags)
            users.append(entry)
        self.out["users"] = users
        self.out["groups"] = [self._group(g) for g in self.imp.groups]
        self.out["roles"] = [self._role(role) for role in self.imp.roles]
        self.report_missing()

    def _group(self, group: r.Group) -> dict[str, Any]:
        entry: dict[str, Any] = {"name": group.name}
        _path(entry, group.path)
        self.identity(entry, group, f"group/{group.name}")
        return entry

    def _role(self, role: r.Role) -> dict[str, Any]:
        entry: dict[str, Any] = {"name": role.name}
        _path(entry, role.path)
        entry["trust_policy"] = role.trust_policy.document if role.trust_policy else None
        self.identity(entry, role, f"role/{role.name}")
        _tags(entry, role.tags)
        return entry

    def organization(self) -> None:
        org = self.imp.organization
        if org is None:
            return
        levels = []
        for level in org.levels:
            attached = [scp for scp in org.scps if level in scp.targets]
            missing = [scp.name for scp in attached if scp.document is None]
            if level in org.unknown_levels or missing:
                why = f"the text of SCP {', '.join(missing)} was not exported" if missing else "its SCP attachments were not exported"
                self.notices.unknown(f"SCP level {level!r}", f"{why}; the level is marked unknown, so an action it would deny shows as unknown, never allowed", (SCP_SUBJECT,))
                levels.append({"name": level, "unknown": True, "reason": why})
                continue
            levels.append({"name": level, "policies": {scp.name: scp.document.document for scp in attached}})
        facts = {"id": org.id, "ou_path": org.ou_path, "management_account_id": org.management_account_id,
                 "accounts": list(org.accounts) if org.accounts is not None else None}
        entry = {k: v for k, v in facts.items() if v is not None}
        if levels:
            entry["scp_levels"] = levels
        if entry:
            self.out["organization"] = entry


def _mark(entry: dict[str, Any], kind: str, ref: str, reason: str) -> None:
    """Add an ``unknown_policies`` mark (once) to a principal's scenario entry."""
    marks = entry.setdefault("unknown_policies", [])
    mark = {kind: ref, "reason": reason}
    if mark not in marks:
        marks.append(mark)


def _tags(entry: dict[str, Any], tags: tuple[tuple[str, str], ...] | None) -> None:
    """``tags: {Key: Value}`` when there are some; ``null`` when the source cannot say."""
    if tags is None or tags:
        entry["tags"] = None if tags is None else dict(tags)


def _path(entry: dict[str, Any], path: str) -> None:
    if path and path != "/":
        entry["path"] = path if path.endswith("/") else path + "/"
