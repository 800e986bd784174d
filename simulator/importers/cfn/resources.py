"""Turn a resolved CloudFormation template into the importers' records.

Property names follow the CloudFormation resource reference (e.g.
https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-glue-job.html);
where the template shape differs from the CLI export shape (bucket encryption, security
group rules, connection input) the records are the same either way.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from gluesim.kb.errors import LocatedError
from gluesim.kb.yamlsafe import line_of
from gluesim.simulator.importers import records as r
from gluesim.simulator.importers.cfn.infra import InfraResources, known
from gluesim.simulator.importers.cfn.intrinsics import NO_VALUE, Resolver, Unknown
from gluesim.simulator.importers.cfn.stack import UNRESOLVABLE_TYPES, PhysicalNames
from gluesim.simulator.importers.cfn.nested import NestedStacks
from gluesim.simulator.importers.cfn.values import ValueReader
from gluesim.simulator.importers.common import Notices
from gluesim.simulator.model import UnknownKind, UnknownPolicy

# Types that appear in real Glue templates but do not change a Glue Studio verdict.
IGNORED_TYPES = frozenset(
    {
        "AWS::Lambda::Function", "AWS::Lambda::Permission", "AWS::Lambda::LayerVersion", "AWS::Logs::LogGroup",
        "AWS::MSK::Cluster", "AWS::MSK::Configuration", "AWS::Glue::Registry", "AWS::Glue::Schema", "AWS::Glue::Trigger",
        "AWS::Glue::Workflow", "AWS::Glue::Crawler", "AWS::Glue::Partition", "AWS::EC2::EIP", "AWS::EC2::Instance",
        "AWS::EC2::KeyPair", "AWS::EC2::NetworkAcl", "AWS::EC2::NetworkAclEntry", "AWS::EC2::SubnetNetworkAclAssociation",
        "AWS::EC2::VPNGateway", "AWS::EC2::VPNConnection", "AWS::EC2::CustomerGateway", "AWS::EC2::VPNGatewayRoutePropagation",
        "AWS::EC2::LaunchTemplate", "AWS::SNS::Topic", "AWS::SQS::Queue", "AWS::StepFunctions::StateMachine",
        "AWS::Events::Rule", "AWS::CloudWatch::Alarm", "AWS::CloudWatch::Dashboard", "AWS::SSM::Parameter",
        "AWS::DynamoDB::Table", "AWS::Cloud9::EnvironmentEC2", "AWS::IAM::InstanceProfile", "AWS::CDK::Metadata",
    }
)


@dataclass
class _Accounts:
    """Mutable collections while one template is read; frozen into records at the end."""

    roles: dict[str, dict[str, Any]] = field(default_factory=dict)
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    groups: dict[str, dict[str, Any]] = field(default_factory=dict)
    out: dict[str, list[Any]] = field(default_factory=lambda: defaultdict(list))


def _is_stack(body: Any) -> bool:
    return isinstance(body, dict) and body.get("Type") == "AWS::CloudFormation::Stack"


class TemplateReader(InfraResources, NestedStacks, ValueReader):
    """Reads the resources of one template through a :class:`Resolver`."""

    def __init__(self, resolver: Resolver, names: PhysicalNames, notices: Notices, stack: Any) -> None:
        self.r = resolver
        self.names = names
        self.notices = notices
        self.stack = stack  # importer.Stack: Region, account, name, nesting depth
        self.acc = _Accounts()

    def read(self) -> dict[str, list[Any]]:
        """Every modelled resource as records, keyed by the :class:`records.Imported` field name."""
        skipped: Counter[str] = Counter()
        # Nested stacks first: the parent's Fn::GetAtt of their Outputs needs them read.
        ordered = sorted(self.r.resources.items(), key=lambda item: not _is_stack(item[1]))
        for logical_id, body in ordered:
            where = self.where(logical_id)
            if logical_id.startswith("Fn::ForEach::"):
                self.notices.unknown(where, f"{logical_id} repeats resources (AWS::LanguageExtensions), which is not expanded offline; what they would create is unknown")
                continue
            if not isinstance(body, dict) or not isinstance(body.get("Type"), str):
                raise LocatedError(where, f"resource {logical_id!r} needs a Type")
            if not self._included(logical_id, body, where):
                continue
            kind = body["Type"]
            handler = getattr(self, "_" + kind.replace("::", "_").replace("AWS_", "", 1), None)
            if handler is not None:
                handler(logical_id, self._props(logical_id, body), where)
            elif kind.startswith(UNRESOLVABLE_TYPES):
                self.notices.unknown(where, f"{kind} {logical_id!r} cannot be evaluated offline; its outputs are unknown")
            elif kind in IGNORED_TYPES:
                skipped[kind] += 1
            else:
                self.notices.unknown(where, f"resource type {kind!r} ({logical_id!r}) is not modelled; anything it grants or blocks is unknown")
        if skipped:
            listed = ", ".join(f"{k} ({n})" for k, n in sorted(skipped.items()))
            self.notices.info(self.r.name, f"ignored resources that do not affect Glue Studio checks: {listed}")
        return self._freeze()

    def where(self, logical_id: str) -> str:
        line = line_of(self.r.resources, logical_id)
        return f"{self.r.name}:{line}" if line else f"{self.r.name}: Resources.{logical_id}"

    def _included(self, logical_id: str, body: dict[str, Any], where: str) -> bool:
        condition = body.get("Condition")
        if condition is None:
            return True
        verdict = self.r.condition(condition, where)
        if isinstance(verdict, Unknown):
            self.notices.unknown(where, f"whether {logical_id!r} is created is unknown: condition {condition!r} depends on {verdict.reason}; imported as if created")
            return True
        return bool(verdict)

    def _props(self, logical_id: str, body: dict[str, Any]) -> dict[str, Any]:
        props = self.r.value(body.get("Properties") or {}, f"Resources.{logical_id}.Properties")
        if not isinstance(props, dict):
            raise LocatedError(self.where(logical_id), "Properties must be a mapping")
        return props

    # -- helpers ------------------------------------------------------------------------
    def inline(self, logical_id: str, props: dict[str, Any], where: str, entry: dict[str, Any]) -> None:
        """Add the ``Policies`` of a role, user or group to its entry (unknown ones as marks)."""
        for index, item in enumerate(self.seq(props.get("Policies"), where, "Policies")):
            if isinstance(item, dict):
                name = self.text(item.get("PolicyName"), where, "an inline policy name") or f"inline-{index}"
                at = (logical_id, "Policies", index, "PolicyDocument")
                self.add_policy(entry, name, self.policy(item.get("PolicyDocument"), name, where, f"inline policy {name!r}", at))

    @staticmethod
    def add_policy(entry: dict[str, Any], name: str, document: r.PolicyDoc | Unknown | None) -> None:
        """An inline policy for a principal entry; one that cannot be known offline becomes an unknown mark."""
        if isinstance(document, Unknown):
            entry["unknown"].append(UnknownPolicy(UnknownKind.POLICY, name, f"inline policy: {document.reason}"))
        elif document is not None:
            entry["inline"].append(document)

    def principal(self, table: dict[str, dict[str, Any]], name: str) -> dict[str, Any]:
        return table.setdefault(name, {"inline": [], "managed": [], "groups": [], "unknown": []})

    def define(self, table: dict[str, dict[str, Any]], name: str, logical_id: str, where: str, what: str) -> dict[str, Any]:
        """The entry for a principal a resource creates; two resources creating one name is an error."""
        entry = self.principal(table, name)
        if "defined_by" in entry:
            raise LocatedError(where, f"{what} name {name!r} is also created by resource {entry['defined_by']!r}; names must be unique")
        entry["defined_by"] = logical_id
        return entry

    # -- IAM ----------------------------------------------------------------------------
    def _IAM_Role(self, logical_id: str, props: dict[str, Any], where: str) -> None:
        name = self.text(self.names.ref(logical_id, where), where, "the role name") or f"UNRESOLVED-{logical_id}"
        entry = self.define(self.acc.roles, name, logical_id, where, "role")
        entry.update(
            arn=self.text(self.names.get_att(logical_id, "Arn", where), where, "the role ARN") or "",
            path=props.get("Path") if isinstance(props.get("Path"), str) else "/",
            trust=known(self.policy(props.get("AssumeRolePolicyDocument"), "trust", where, f"the trust policy of role {name!r}",
                                     (logical_id, "AssumeRolePolicyDocument"))),
            boundary=self.text(props.get("PermissionsBoundary"), where, "the permissions boundary"),
        )
        self.inline(logical_id, props, where, entry)
        entry["managed"] += self.texts(props.get("ManagedPolicyArns"), where, "a managed policy ARN")

    def _IAM_User(self, logical_id: str, props: dict[str, Any], where: str) -> None:
        name = self.text(self.names.ref(logical_id, where), where, "the user name") or f"UNRESOLVED-{logical_id}"
        entry = self.define(self.acc.users, name, logical_id, where, "user")
        entry.update(
            arn=self.text(self.names.get_att(logical_id, "Arn", where), where, "the user ARN") or "",
            path=props.get("Path") if isinstance(props.get("Path"), str) else "/",
            boundary=self.text(props.get("PermissionsBoundary"), where, "the permissions boundary"),
            console=bool(props.get("LoginProfile")),
        )
        self.inline(logical_id, props, where, entry)
        entry["managed"] += self.texts(props.get("ManagedPolicyArns"), where, "a managed policy ARN")
        entry["groups"] += self.texts(props.get("Groups"), where, "a group name")

    def _IAM_Group(self, logical_id: str, props: dict[str, Any], where: str) -> None:
        name = self.text(self.names.ref(logical_id, where), where, "the group name") or f"UNRESOLVED-{logical_id}"
        entry = self.define(self.acc.groups, name, logical_id, where, "group")
        entry.update(
            arn=self.text(self.names.get_att(logical_id, "Arn", where), where, "the group ARN") or "",
            path=props.get("Path") if isinstance(props.get("Path"), str) else "/",
        )
        self.inline(logical_id, props, where, entry)
        entry["managed"] += self.texts(props.get("ManagedPolicyArns"), where, "a managed policy ARN")

    def _IAM_UserToGroupAddition(self, logical_id: str, props: dict[str, Any], where: str) -> None:
        group = self.text(props.get("GroupName"), where, "the group name")
        for user in self.texts(props.get("Users"), where, "a user name"):
            if group:
                self.principal(self.acc.users, user)["groups"].append(group)

    def _IAM_ManagedPolicy(self, logical_id: str, props: dict[str, Any], where: str) -> None:
        arn = self.text(self.names.ref(logical_id, where), where, "the policy ARN") or f"UNRESOLVED-{logical_id}"
        name = arn.rsplit("/", 1)[-1]
        document = self.policy(props.get("PolicyDocument"), name, where, f"managed policy {name!r}", (logical_id, "PolicyDocument"))
        path = props.get("Path") if isinstance(props.get("Path"), str) else "/"
        self.acc.out["managed_policies"].append(r.ManagedPolicy(arn, name, path, known(document)))
        self._attach(props, where, lambda entry: entry["managed"].append(arn))

    def _IAM_Policy(self, logical_id: str, props: dict[str, Any], where: str) -> None:
        name = self.text(props.get("PolicyName"), where, "the policy name") or logical_id
        document = self.policy(props.get("PolicyDocument"), name, where, f"policy {name!r}", (logical_id, "PolicyDocument"))
        self._attach(props, where, lambda entry: self.add_policy(entry, name, document))

    def _single_inline(self, logical_id: str, props: dict[str, Any], where: str, table: dict[str, Any], key: str) -> None:
        name = self.text(props.get("PolicyName"), where, "the policy name") or "inline"
        document = self.policy(props.get("PolicyDocument"), name, where, f"policy {name!r}", (logical_id, "PolicyDocument"))
        owner = self.text(props.get(key), where, key)
        if owner:
            self.add_policy(self.principal(table, owner), name, document)

    def _IAM_RolePolicy(self, logical_id: str, props: dict[str, Any], where: str) -> None:
        self._single_inline(logical_id, props, where, self.acc.roles, "RoleName")

    def _IAM_UserPolicy(self, logical_id: str, props: dict[str, Any], where: str) -> None:
        self._single_inline(logical_id, props, where, self.acc.users, "UserName")

    def _IAM_GroupPolicy(self, logical_id: str, props: dict[str, Any], where: str) -> None:
        self._single_inline(logical_id, props, where, self.acc.groups, "GroupName")

    def _attach(self, props: dict[str, Any], where: str, action: Any) -> None:
        for key, table in (("Roles", self.acc.roles), ("Users", self.acc.users), ("Groups", self.acc.groups)):
            for name in self.texts(props.get(key), where, f"a name in {key}"):
                action(self.principal(table, name))

    # -- freezing -----------------------------------------------------------------------
    def _freeze(self) -> dict[str, list[Any]]:
        self._freeze_infra()
        out = self.acc.out
        for field, attribute in (("jobs", "name"), ("connections", "name"), ("managed_policies", "arn"), ("vpcs", "vpc_id"), ("subnets", "subnet_id")):
            seen: set[str] = set()
            for record in out.get(field, []):
                value = getattr(record, attribute)
                if value in seen:
                    raise LocatedError(self.r.name, f"two resources create {field[:-1].replace('_', ' ')} {value!r}; names must be unique")
                seen.add(value)
        account = f"arn:{self.r.pseudo['AWS::Partition']}:iam::{self.r.pseudo['AWS::AccountId']}:"
        for kind in ("roles", "users", "groups"):
            table = getattr(self.acc, kind)
            for name in [n for n, e in table.items() if "defined_by" not in e]:
                e = table.pop(name)
                out["attachments"].append(r.Attachment(kind, name, tuple(e["inline"]), tuple(e["managed"]), tuple(e["groups"]), self.r.name, tuple(e["unknown"])))
        for name, e in self.acc.roles.items():
            out["roles"].append(r.Role(name, e.get("arn") or f"{account}role/{name}", e.get("path", "/"), e.get("trust"), tuple(e["inline"]), tuple(dict.fromkeys(e["managed"])), e.get("boundary"), tuple(e["unknown"])))
        for name, e in self.acc.users.items():
            out["users"].append(r.User(name, e.get("arn") or f"{account}user/{name}", e.get("path", "/"), tuple(dict.fromkeys(e["groups"])), tuple(e["inline"]), tuple(dict.fromkeys(e["managed"])), e.get("boundary"), e.get("console"), tuple(e["unknown"])))
        for name, e in self.acc.groups.items():
            out["groups"].append(r.Group(name, e.get("arn") or f"{account}group/{name}", e.get("path", "/"), tuple(e["inline"]), tuple(dict.fromkeys(e["managed"])), tuple(e["unknown"])))
        return out


