"""A template ready to resolve: parameters, pseudo parameters, physical names, cycle check.

Resources have no physical ids offline, so each gets a deterministic stand-in
(``<stack>-<LogicalId>-GLUESIM`` when the template gives no name, as CloudFormation
would generate ``<stack>-<LogicalId>-<random>``), and ARNs are built from it.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from gluesim.kb.errors import LocatedError, did_you_mean
from gluesim.kb.yamlsafe import line_of
from gluesim.simulator.importers.cfn.intrinsics import Resolver, Unknown, intrinsic_name
from gluesim.simulator.importers.common import Notices, partition_of_region

# Resource types whose name property, when set, is the Ref value (user guide "Return values" sections).
NAME_PROPERTY = {
    "AWS::IAM::Role": "RoleName",
    "AWS::IAM::User": "UserName",
    "AWS::IAM::Group": "GroupName",
    "AWS::IAM::InstanceProfile": "InstanceProfileName",
    "AWS::IAM::ManagedPolicy": "ManagedPolicyName",
    "AWS::S3::Bucket": "BucketName",
    "AWS::KMS::Alias": "AliasName",
    "AWS::Glue::Job": "Name",
    "AWS::Glue::Crawler": "Name",
    "AWS::Glue::SecurityConfiguration": "Name",
    "AWS::SecretsManager::Secret": "Name",
    "AWS::Lambda::Function": "FunctionName",
}
NAME_IN_INPUT = {"AWS::Glue::Connection": "ConnectionInput", "AWS::Glue::Database": "DatabaseInput", "AWS::Glue::Table": "TableInput"}
EC2_ID_PREFIX = {
    "AWS::EC2::VPC": "vpc",
    "AWS::EC2::Subnet": "subnet",
    "AWS::EC2::RouteTable": "rtb",
    "AWS::EC2::NatGateway": "nat",
    "AWS::EC2::InternetGateway": "igw",
    "AWS::EC2::VPCEndpoint": "vpce",
    "AWS::EC2::SecurityGroup": "sg",
    "AWS::EC2::EIP": "eipalloc",
}
UNRESOLVABLE_TYPES = ("Custom::", "AWS::CloudFormation::CustomResource", "AWS::CloudFormation::Stack")  # their Ref is a physical id


def pseudo_parameters(region: str, account_id: str, stack_name: str) -> dict[str, Any]:
    """The pseudo parameters for a stack in ``region`` of ``account_id``."""
    partition = partition_of_region(region)
    return {
        "AWS::AccountId": account_id,
        "AWS::Region": region,
        "AWS::Partition": partition,
        "AWS::URLSuffix": "amazonaws.com.cn" if partition == "aws-cn" else "amazonaws.com",
        "AWS::StackName": stack_name,
        "AWS::StackId": f"arn:{partition}:cloudformation:{region}:{account_id}:stack/{stack_name}/00000000-0000-0000-0000-000000000000",
        "AWS::NotificationARNs": [],
    }


def check_cycles(resources: dict[str, Any], name: str) -> None:
    """Refuse a template whose resources depend on each other in a circle, as CloudFormation does."""
    graph = {logical_id: sorted(_dependencies(body, resources)) for logical_id, body in resources.items()}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for target in graph.get(node, ()):
            if state.get(target) == 1:
                cycle = " -> ".join([*stack[stack.index(target):], target])
                where = _at(name, resources, target, f"Resources.{target}")
                raise LocatedError(where, f"circular reference: {cycle}; CloudFormation refuses circular dependencies, break the cycle")
            if target not in state:
                visit(target)
        stack.pop()
        state[node] = 2

    for logical_id in sorted(graph):
        if logical_id not in state:
            visit(logical_id)


def _dependencies(node: Any, resources: dict[str, Any]) -> set[str]:
    found: set[str] = set()
    if isinstance(node, dict):
        function = intrinsic_name(node)
        if function == "Ref" and isinstance(node["Ref"], str) and node["Ref"] in resources:
            found.add(node["Ref"])
        elif function == "Fn::GetAtt":
            target = node["Fn::GetAtt"]
            target = target.split(".", 1)[0] if isinstance(target, str) else (target[0] if isinstance(target, list) and target else None)
            if isinstance(target, str) and target in resources:
                found.add(target)
        elif function == "Fn::Sub":
            args = node["Fn::Sub"]
            template = (args[0] if args else None) if isinstance(args, list) else args
            for variable in re.findall(r"\$\{([^}!][^}]*)\}", template if isinstance(template, str) else ""):
                if variable.split(".", 1)[0] in resources:  # noqa: SIM102
                    found.add(variable.split(".", 1)[0])
        depends = node.get("DependsOn") if "Type" in node else None
        for target in [depends] if isinstance(depends, str) else (depends if isinstance(depends, list) else []):
            if isinstance(target, str) and target in resources:
                found.add(target)
        for value in node.values():
            found |= _dependencies(value, resources)
    elif isinstance(node, list):
        for value in node:
            found |= _dependencies(value, resources)
    return found


class PhysicalNames:
    """Ref and GetAtt values of a stack's resources, synthesised deterministically."""

    def __init__(self, resources: dict[str, Any], pseudo: dict[str, Any], notices: Notices, name: str) -> None:
        self.resources = resources
        self.pseudo = pseudo
        self.notices = notices
        self.name = name
        self.resolver: Resolver | None = None
        self._refs: dict[str, Any] = {}
        self.nested_outputs: dict[str, dict[str, Any]] = {}  # nested stack logical id -> its resolved Outputs
        self.unnamed: list[tuple[str, str]] = []  # (logical id, stand-in) of resources CloudFormation names

    def type_of(self, logical_id: str) -> str:
        body = self.resources.get(logical_id)
        return str(body.get("Type", "")) if isinstance(body, dict) else ""

    def properties(self, logical_id: str) -> dict[str, Any]:
        body = self.resources.get(logical_id)
        props = body.get("Properties") if isinstance(body, dict) else None
        return props if isinstance(props, dict) else {}

    def ref(self, logical_id: str, where: str) -> Any:
        if logical_id not in self._refs:
            self._refs[logical_id] = self._ref(logical_id)
        return self._refs[logical_id]

    def _ref(self, logical_id: str) -> Any:
        kind = self.type_of(logical_id)
        if kind.startswith(UNRESOLVABLE_TYPES):
            return Unknown(f"the physical id of {kind} {logical_id!r} (known only after deployment)")
        if kind in EC2_ID_PREFIX:
            return f"{EC2_ID_PREFIX[kind]}-{logical_id.lower()}"
        if kind == "AWS::KMS::Key":
            return str(uuid.uuid5(uuid.NAMESPACE_URL, f"gluesim:{self.pseudo['AWS::StackName']}:{logical_id}"))
        if kind == "AWS::IAM::ManagedPolicy":
            return self._arn("iam", "", f"policy{self._path(logical_id)}{self.physical_name(logical_id)}")
        if kind == "AWS::SecretsManager::Secret":
            return self._arn("secretsmanager", self.pseudo["AWS::Region"], f"secret:{self.physical_name(logical_id)}-GLUESM")
        if kind in NAME_PROPERTY or kind in NAME_IN_INPUT or kind.startswith("AWS::IAM::"):
            return self.physical_name(logical_id)
        return Unknown(f"the Ref value of {kind} {logical_id!r} (not modelled offline)")

    def physical_name(self, logical_id: str) -> Any:
        """The resource's name property, or a stand-in for the name CloudFormation generates."""
        kind = self.type_of(logical_id)
        props = self.properties(logical_id)
        value = None
        if kind in NAME_PROPERTY and NAME_PROPERTY[kind] in props:
            value = self.resolver.text(props[NAME_PROPERTY[kind]], f"Resources.{logical_id}.Properties.{NAME_PROPERTY[kind]}")
        elif kind in NAME_IN_INPUT and isinstance(props.get(NAME_IN_INPUT[kind]), dict) and "Name" in props[NAME_IN_INPUT[kind]]:
            value = self.resolver.text(props[NAME_IN_INPUT[kind]]["Name"], f"Resources.{logical_id}.Properties.{NAME_IN_INPUT[kind]}.Name")
        if isinstance(value, Unknown):
            stand_in = f"{self.pseudo['AWS::StackName']}-{logical_id}-GLUESIM"
            self.notices.unknown(
                _at(self.name, self.resources, logical_id, f"Resources.{logical_id}"),
                f"the name of {kind} {logical_id!r} is unknown ({value.reason}); shown as {stand_in!r}",
            )
            return stand_in.lower() if kind == "AWS::S3::Bucket" else stand_in
        if value is None and kind == "AWS::SecretsManager::Secret":
            return f"{logical_id}-GLUESIM"  # CloudFormation names a secret LogicalId-random (no stack name)
        if value is None:
            value = f"{self.pseudo['AWS::StackName']}-{logical_id}-GLUESIM"
            if kind == "AWS::S3::Bucket":
                value = value.lower()[:63]  # bucket names: at most 63 characters
            elif kind.startswith("AWS::IAM::"):
                value = value[-64:]  # CloudFormation shortens generated IAM names to IAM's 64 characters
            if kind in ("AWS::IAM::Role", "AWS::IAM::ManagedPolicy", "AWS::S3::Bucket"):
                self.unnamed.append((logical_id, value))
        return value

    def report_unnamed(self) -> None:
        """One notice for every resource whose name CloudFormation would generate (not one per resource)."""
        if self.unnamed:
            shown = ", ".join(f"{logical_id} as {value!r}" for logical_id, value in self.unnamed)
            self.notices.info(self.name, f"{len(self.unnamed)} resource(s) have no name, so CloudFormation generates one "
                              f"(policies elsewhere written against the real name cannot be matched); shown here: {shown}")

    def _path(self, logical_id: str) -> str:
        path = self.properties(logical_id).get("Path", "/")
        return path if isinstance(path, str) else "/"

    def _arn(self, service: str, region: str, resource: str) -> str:
        account = "" if service == "s3" else self.pseudo["AWS::AccountId"]
        return f"arn:{self.pseudo['AWS::Partition']}:{service}:{region}:{account}:{resource}"

    def get_att(self, logical_id: str, attribute: str, where: str) -> Any:
        kind = self.type_of(logical_id)
        if kind == "AWS::CloudFormation::Stack" and attribute.startswith("Outputs.") and logical_id in self.nested_outputs:
            outputs = self.nested_outputs[logical_id]
            name = attribute.split(".", 1)[1]
            if name not in outputs:
                raise LocatedError(where, f"nested stack {logical_id!r} has no output {name!r}{did_you_mean(name, outputs)}")
            return outputs[name]
        ref = self.ref(logical_id, where)
        if isinstance(ref, Unknown):
            return Unknown(f"attribute {attribute!r} of {kind} {logical_id!r} (known only after deployment)")
        value = self._attribute(kind, logical_id, attribute, ref)
        if value is None:
            return Unknown(f"attribute {attribute!r} of {kind} {logical_id!r} is not modelled offline")
        return value

    def _attribute(self, kind: str, logical_id: str, attribute: str, ref: Any) -> Any:
        props = self.properties(logical_id)
        region = self.pseudo["AWS::Region"]
        if attribute == "Arn":
            kinds = {
                "AWS::IAM::Role": ("iam", "", f"role{self._path(logical_id)}{ref}"),
                "AWS::IAM::User": ("iam", "", f"user{self._path(logical_id)}{ref}"),
                "AWS::IAM::Group": ("iam", "", f"group{self._path(logical_id)}{ref}"),
                "AWS::IAM::InstanceProfile": ("iam", "", f"instance-profile{self._path(logical_id)}{ref}"),
                "AWS::S3::Bucket": ("s3", "", str(ref)),
                "AWS::KMS::Key": ("kms", region, f"key/{ref}"),
                "AWS::Lambda::Function": ("lambda", region, f"function:{ref}"),
            }
            if kind in kinds:
                return self._arn(*kinds[kind])
        simple = {
            ("AWS::IAM::Role", "RoleId"): f"AROA{logical_id.upper()[:17]}",
            ("AWS::IAM::ManagedPolicy", "PolicyArn"): ref,
            ("AWS::KMS::Key", "KeyId"): ref,
            ("AWS::SecretsManager::Secret", "Id"): ref,
            ("AWS::EC2::VPC", "VpcId"): ref,
            ("AWS::EC2::VPC", "CidrBlock"): props.get("CidrBlock"),
            ("AWS::EC2::VPC", "DefaultSecurityGroup"): f"sg-default-{logical_id.lower()}",
            ("AWS::EC2::Subnet", "SubnetId"): ref,
            ("AWS::EC2::SecurityGroup", "GroupId"): ref,
            ("AWS::EC2::NatGateway", "NatGatewayId"): ref,
            ("AWS::EC2::EIP", "AllocationId"): ref,
            ("AWS::EC2::RouteTable", "RouteTableId"): ref,
            ("AWS::EC2::InternetGateway", "InternetGatewayId"): ref,
            ("AWS::EC2::VPCEndpoint", "Id"): ref,
            ("AWS::S3::Bucket", "DomainName"): f"{ref}.s3.{self.pseudo['AWS::URLSuffix']}",
            ("AWS::S3::Bucket", "RegionalDomainName"): f"{ref}.s3.{region}.{self.pseudo['AWS::URLSuffix']}",
        }
        value = simple.get((kind, attribute))
        if kind in ("AWS::EC2::Subnet", "AWS::EC2::SecurityGroup") and attribute in ("VpcId", "AvailabilityZone"):
            node = props.get(attribute)
            return None if node is None else self.resolver.value(node, f"Resources.{logical_id}.Properties.{attribute}")
        if isinstance(value, (dict, list)):
            return self.resolver.value(value, f"Resources.{logical_id}.Properties.{attribute}")
        return value


def _at(name: str, container: Any, key: str, path: str) -> str:
    line = line_of(container, key)
    return f"{name}:{line}" if line else f"{name}: {path}"
