"""CloudFormation storage, network, secret and Glue resources → records (mixed into the reader).

Where the template shape differs from the CLI export (input-formats §3.2): bucket
encryption is ``BucketEncryption.ServerSideEncryptionConfiguration[].ServerSideEncryptionByDefault``,
security group rules are flat, Glue connections wrap everything in ``ConnectionInput``.
"""

from __future__ import annotations

import json
from typing import Any

from gluesim.simulator.importers import records as r
from gluesim.simulator.importers.cfn.intrinsics import Unknown
# With no KeyPolicy, CloudFormation gives a key the default policy: the account root may do kms:*
# (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html).
from gluesim.simulator.policies import default_key_policy



def known(document: r.PolicyDoc | Unknown | None) -> r.PolicyDoc | None:
    """A document, or None for one not given or not knowable offline."""
    return None if isinstance(document, Unknown) else document


def _policy_known(entry: dict[str, Any], created: Any) -> bool:
    """Whether the template says what the resource policy is: it created the resource or wrote the policy."""
    return not isinstance(entry.get("policy"), Unknown) and (bool(created) or "policy" in entry)


class InfraResources:
    """Handlers for non-IAM resource types; expects the attributes of ``TemplateReader``."""

    def _infra(self) -> dict[str, dict[str, dict[str, Any]]]:
        if not hasattr(self, "_infra_tables"):
            self._infra_tables = {k: {} for k in ("buckets", "keys", "secrets", "route_tables", "groups")}
        return self._infra_tables

    # -- S3 -----------------------------------------------------------------------------
    def _S3_Bucket(self, logical_id: str, props: dict[str, Any], where: str) -> None:
        name = self.text(self.names.ref(logical_id, where), where, "the bucket name") or f"unresolved-{logical_id.lower()}"
        rules = self.seq(self.obj(props.get("BucketEncryption"), where, "BucketEncryption").get("ServerSideEncryptionConfiguration"), where, "ServerSideEncryptionConfiguration")
        default = self.obj(self.obj(rules[0], where, "an encryption rule").get("ServerSideEncryptionByDefault"), where, "ServerSideEncryptionByDefault") if rules else {}
        entry = self._infra()["buckets"].setdefault(name, {})
        # Since January 2023 every new bucket has SSE-S3 by default
        # (https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-encryption-faq.html).
        entry.update(region=self.r.pseudo["AWS::Region"], encryption=self.text(default.get("SSEAlgorithm"), where, "the bucket encryption") or "AES256", kms_key=self.text(default.get("KMSMasterKeyID"), where, "the bucket key"), created=True)

    def _S3_BucketPolicy(self, logical_id: str, props: dict[str, Any], where: str) -> None:
        name = self.text(props.get("Bucket"), where, "the bucket of a bucket policy")
        if name:
            self._infra()["buckets"].setdefault(name, {})["policy"] = self.policy(props.get("PolicyDocument"), "bucket-policy", where, f"the bucket policy of {name!r}", (logical_id, "PolicyDocument"))

    # -- KMS and Secrets Manager --------------------------------------------------------------
    def _KMS_Key(self, logical_id: str, props: dict[str, Any], where: str) -> None:
        key_id = self.names.ref(logical_id, where)
        policy = props.get("KeyPolicy") or json.loads(default_key_policy(self.r.pseudo["AWS::AccountId"], self.r.pseudo["AWS::Partition"]))
        entry = self._infra()["keys"].setdefault(key_id, {"aliases": []})
        entry.update(arn=self.text(self.names.get_att(logical_id, "Arn", where), where, "the key ARN"), enabled=props.get("Enabled", True) not in (False, "false"), policy=self.policy(policy, "key-policy", where, f"the key policy of {logical_id!r}", (logical_id, "KeyPolicy")))

    def _KMS_Alias(self, logical_id: str, props: dict[str, Any], where: str) -> None:
        target = self.text(props.get("TargetKeyId"), where, "the alias target")
        alias = self.text(props.get("AliasName"), where, "the alias name")
        if target and alias:
            key_id = target.rsplit("/", 1)[-1]
            self._infra()["keys"].setdefault(key_id, {"aliases": []})["aliases"].append(alias)

    def _SecretsManager_Secret(self, logical_id: str, props: dict[str, Any], where: str) -> None:
        arn = self.text(self.names.ref(logical_id, where), where, "the secret ARN")
        name = self.text(self.names.physical_name(logical_id), where, "the secret name") or logical_id
        # No KmsKeyId: the AWS managed key aws/secretsmanager encrypts it.
        self._infra()["secrets"].setdefault(arn or name, {}).update(name=name, arn=arn, kms_key=self.text(props.get("KmsKeyId"), where, "the secret's key") or "alias/aws/secretsmanager", created=True)

    def _SecretsManager_ResourcePolicy(self, logical_id: str, props: dict[str, Any], where: str) -> None:
        secret = self.text(props.get("SecretId"), where, "the secret of a resource policy")
        if secret:
            self._infra()["secrets"].setdefault(secret, {"name": secret.rsplit(":", 1)[-1]})["policy"] = self.policy(props.get("ResourcePolicy"), "secret-policy", where, "a secret resource policy", (logical_id, "ResourcePolicy"))

    # -- EC2 ----------------------------------------------------------------------------
    def _EC2_VPC(self, logical_id: str, props: dict[str, Any], where: str) -> None:
        self.acc.out["vpcs"].append(r.Vpc(self.names.ref(logical_id, where), self.text(props.get("CidrBlock"), where, "the VPC CIDR")))

    def _EC2_Subnet(self, logical_id: str, props: dict[str, Any], where: str) -> None:
        self.acc.out["subnets"].append(r.Subnet(self.names.ref(logical_id, where), self.text(props.get("VpcId"), where, "the subnet's VPC"), self.text(props.get("AvailabilityZone"), where, "the subnet's zone"), self.text(props.get("CidrBlock"), where, "the subnet CIDR")))

    def _route_table(self, table_id: str | None) -> dict[str, Any]:
        return self._infra()["route_tables"].setdefault(table_id or "unknown", {"routes": [], "subnets": []})

    def _EC2_RouteTable(self, logical_id: str, props: dict[str, Any], where: str) -> None:
        self._route_table(self.names.ref(logical_id, where))["vpc"] = self.text(props.get("VpcId"), where, "the route table's VPC")

    def _EC2_Route(self, logical_id: str, props: dict[str, Any], where: str) -> None:
        table = self.text(props.get("RouteTableId"), where, "the route's table")
        destination = props.get("DestinationCidrBlock") or props.get("DestinationIpv6CidrBlock") or props.get("DestinationPrefixListId")
        target_key = next((k for k in ("GatewayId", "NatGatewayId", "VpcEndpointId", "TransitGatewayId", "VpcPeeringConnectionId", "NetworkInterfaceId", "InstanceId") if props.get(k) is not None), None)
        target = self.text(props.get(target_key), where, "the route target") if target_key else None
        if table and destination and target:
            self._route_table(table)["routes"].append(r.Route(str(destination), target))

    def _EC2_SubnetRouteTableAssociation(self, logical_id: str, props: dict[str, Any], where: str) -> None:
        table, subnet = self.text(props.get("RouteTableId"), where, "the associated table"), self.text(props.get("SubnetId"), where, "the associated subnet")
        if table and subnet:
            self._route_table(table)["subnets"].append(subnet)

    def _EC2_NatGateway(self, logical_id: str, props: dict[str, Any], where: str) -> None:
        self.acc.out["nat_gateways"].append(r.NatGateway(self.names.ref(logical_id, where), self.text(props.get("VpcId"), where, "the NAT gateway's VPC"), self.text(props.get("SubnetId"), where, "the NAT gateway's subnet")))

    def _EC2_InternetGateway(self, logical_id: str, props: dict[str, Any], where: str) -> None:
        self.acc.out["internet_gateways"].append(self.names.ref(logical_id, where))

    def _EC2_VPCGatewayAttachment(self, logical_id: str, props: dict[str, Any], where: str) -> None:
        """Attachments only tie an internet gateway to a VPC; the routes say where traffic goes."""

    def _EC2_VPCEndpoint(self, logical_id: str, props: dict[str, Any], where: str) -> None:
        service = self.text(props.get("ServiceName"), where, "the endpoint service") or "unknown"
        self.acc.out["vpc_endpoints"].append(
            r.VpcEndpoint(
                endpoint_id=self.names.ref(logical_id, where),
                vpc_id=self.text(props.get("VpcId"), where, "the endpoint's VPC"),
                service=service.rsplit(".", 1)[-1],
                endpoint_type=self.text(props.get("VpcEndpointType"), where, "the endpoint type") or "Gateway",
                route_table_ids=self.texts(props.get("RouteTableIds"), where, "a route table id"),
                subnet_ids=self.texts(props.get("SubnetIds"), where, "a subnet id"),
                policy=known(policy := self.policy(props.get("PolicyDocument"), "endpoint-policy", where, "the endpoint policy", (logical_id, "PolicyDocument"))),
                policy_known=not isinstance(policy, Unknown),
            )
        )

    def _group(self, group_id: str | None) -> dict[str, Any]:
        return self._infra()["groups"].setdefault(group_id or "unknown", {"ingress": [], "egress": None})

    def _EC2_SecurityGroup(self, logical_id: str, props: dict[str, Any], where: str) -> None:
        entry = self._group(self.names.ref(logical_id, where))
        entry.update(name=self.text(props.get("GroupName"), where, "the group name") or logical_id, vpc=self.text(props.get("VpcId"), where, "the group's VPC"))
        entry["ingress"] += [self._rule(self.obj(rule, where, "an ingress rule"), where, "Source") for rule in self.seq(props.get("SecurityGroupIngress"), where, "SecurityGroupIngress")]
        egress = props.get("SecurityGroupEgress")
        # No SecurityGroupEgress: CloudFormation keeps the default allow-all outbound rule.
        entry["egress"] = [r.SecurityGroupRule("-1", cidrs=("0.0.0.0/0",))] if egress is None else [self._rule(self.obj(x, where, "an egress rule"), where, "Destination") for x in self.seq(egress, where, "SecurityGroupEgress")]

    def _EC2_SecurityGroupIngress(self, logical_id: str, props: dict[str, Any], where: str) -> None:
        self._group(self.text(props.get("GroupId"), where, "the rule's group"))["ingress"].append(self._rule(props, where, "Source"))

    def _EC2_SecurityGroupEgress(self, logical_id: str, props: dict[str, Any], where: str) -> None:
        entry = self._group(self.text(props.get("GroupId"), where, "the rule's group"))
        entry["egress"] = [*(entry["egress"] or []), self._rule(props, where, "Destination")]

    def _rule(self, rule: dict[str, Any], where: str, side: str) -> r.SecurityGroupRule:
        protocol = self.text(rule.get("IpProtocol"), where, "the rule protocol") or "-1"
        ports = [rule.get("FromPort"), rule.get("ToPort")]
        ports = [int(p) if isinstance(p, (int, str)) and str(p).lstrip("-").isdigit() else None for p in ports]
        cidrs = self.texts([rule.get(k) for k in ("CidrIp", "CidrIpv6") if rule.get(k) is not None], where, "a rule CIDR")
        groups = self.texts(rule.get(f"{side}SecurityGroupId"), where, "a rule's peer group")
        prefixes = self.texts(rule.get(f"{side}PrefixListId"), where, "a rule's prefix list")
        return r.SecurityGroupRule("-1" if protocol in ("-1", "all") else protocol.lower(), ports[0], ports[1], cidrs, groups, prefixes)

    # -- Glue ---------------------------------------------------------------------------
    def _Glue_Connection(self, logical_id: str, props: dict[str, Any], where: str) -> None:
        spec = self.obj(props.get("ConnectionInput"), where, "ConnectionInput")
        name = self.text(self.names.ref(logical_id, where), where, "the connection name") or logical_id
        properties = self.obj(spec.get("ConnectionProperties"), where, "ConnectionProperties")
        auth = self.obj(spec.get("AuthenticationConfiguration"), where, "AuthenticationConfiguration")
        for key in PASSWORD_KEYS:
            if key in properties:
                self.notices.info(where, f"connection {name!r}: {key} dropped; gluesim never copies passwords (store it in Secrets Manager and use SECRET_ID)")
        if self.obj(auth.get("BasicAuthenticationCredentials"), where, "BasicAuthenticationCredentials").get("Password") is not None:
            self.notices.info(where, f"connection {name!r}: BasicAuthenticationCredentials.Password dropped; gluesim never copies passwords")
        physical = self.obj(spec.get("PhysicalConnectionRequirements"), where, "PhysicalConnectionRequirements")
        secret = properties.get("SECRET_ID") or auth.get("SecretArn")
        self.acc.out["connections"].append(
            r.Connection(
                name=name,
                connection_type=self.text(spec.get("ConnectionType"), where, "the connection type") or "UNKNOWN",
                subnet_id=self.text(physical.get("SubnetId"), where, "the connection's subnet"),
                security_group_ids=self.texts(physical.get("SecurityGroupIdList"), where, "a connection security group"),
                availability_zone=self.text(physical.get("AvailabilityZone"), where, "the connection's zone"),
                secret_id=self.text(secret, where, "the connection's secret"),
                url=self.text(properties.get("JDBC_CONNECTION_URL") or properties.get("KAFKA_BOOTSTRAP_SERVERS"), where, "the connection URL"),
                connector_url=self.text(properties.get("CONNECTOR_URL"), where, "the connector's JAR location"),
            )
        )

    def _Glue_Database(self, logical_id: str, props: dict[str, Any], where: str) -> None:
        name = self.text(self.names.ref(logical_id, where), where, "the database name")
        if name:
            self.acc.out["databases"].append(name)

    def _Glue_Table(self, logical_id: str, props: dict[str, Any], where: str) -> None:
        spec = self.obj(props.get("TableInput"), where, "TableInput")
        database = self.text(props.get("DatabaseName"), where, "the table's database") or "unknown"
        name = self.text(spec.get("Name"), where, "the table name") or logical_id.lower()
        location = self.text(self.obj(spec.get("StorageDescriptor"), where, "StorageDescriptor").get("Location"), where, "the table location")
        self.acc.out["tables"].append(r.Table(database, name, location))

    def _Glue_Job(self, logical_id: str, props: dict[str, Any], where: str) -> None:
        command = self.obj(props.get("Command"), where, "Command")
        arguments = self.obj(props.get("DefaultArguments"), where, "DefaultArguments")
        name = self.text(self.names.ref(logical_id, where), where, "the job name") or logical_id
        self.acc.out["jobs"].append(
            r.Job(
                name=name,
                role=self.text(props.get("Role"), where, f"the role of job {name!r}"),
                command=self.text(command.get("Name"), where, "the job command"),
                script_location=self.text(command.get("ScriptLocation"), where, f"the script location of job {name!r}"),
                temp_dir=self.text(arguments.get("--TempDir"), where, f"the temporary directory of job {name!r}"),
                connections=self.texts(self.obj(props.get("Connections"), where, "Connections").get("Connections"), where, "a job connection"),
                security_configuration=self.text(props.get("SecurityConfiguration"), where, "the security configuration"),
                origin=where,
                s3_arguments=s3_arguments(arguments),
            )
        )

    def _Glue_SecurityConfiguration(self, logical_id: str, props: dict[str, Any], where: str) -> None:
        """Kept for the job's reference; encryption modes are not simulated yet."""

    # -- freezing -----------------------------------------------------------------------
    def _freeze_infra(self) -> None:
        tables, out = self._infra(), self.acc.out
        for name, e in tables["buckets"].items():
            owner = self.r.pseudo["AWS::AccountId"] if e.get("created") else None
            out["buckets"].append(r.Bucket(name, e.get("region"), e.get("encryption"), e.get("kms_key"), known(e.get("policy")),
                                           policy_known=_policy_known(e, e.get("created")), account_id=owner))
        for key_id, e in tables["keys"].items():
            out["kms_keys"].append(r.KmsKey(key_id, e.get("arn"), False if "arn" in e else None, e.get("enabled"), tuple(e["aliases"]), known(e.get("policy")), policy_known=_policy_known(e, False)))
        for key, e in tables["secrets"].items():
            out["secrets"].append(r.Secret(e.get("name") or key, e.get("arn"), e.get("kms_key"), known(e.get("policy")), policy_known=_policy_known(e, e.get("created"))))
        for table_id, e in tables["route_tables"].items():
            out["route_tables"].append(r.RouteTable(table_id, e.get("vpc"), False, tuple(e["subnets"]), tuple(e["routes"])))
        for group_id, e in tables["groups"].items():
            out["security_groups"].append(r.SecurityGroup(group_id, e.get("name"), e.get("vpc"), tuple(e["ingress"]), None if e["egress"] is None else tuple(e["egress"])))


PASSWORD_KEYS = ("PASSWORD", "ENCRYPTED_PASSWORD")


def s3_arguments(arguments: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """Job arguments (other than ``--TempDir``) whose value names S3 locations."""
    return tuple((key, value) for key, value in arguments.items()
                 if key != "--TempDir" and isinstance(value, str) and "s3://" in value)
