"""A small AWS CDK app: a Glue job with its role, KMS-encrypted source and target buckets, the
CDK assets bucket for the script, a Glue connection with a secret, a user, and a nested stack.

Regenerate the checked-in template (needs node, and aws-cdk-lib and constructs from PyPI in a
throwaway virtualenv outside the repository):

    python app.py          # writes cdk.out/; copy the two *.template.json files next to this file

The tests read only the synthesized templates; they never need node or the CDK.
"""

from pathlib import Path

import aws_cdk as cdk
from aws_cdk import aws_glue as glue
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_assets as assets
from aws_cdk import aws_secretsmanager as secretsmanager

HERE = Path(__file__).parent


class Reports(cdk.NestedStack):
    """A nested stack: a reporting role that reads the target bucket."""

    def __init__(self, scope, construct_id: str, target: s3.IBucket) -> None:
        super().__init__(scope, construct_id)
        role = iam.Role(self, "ReportsRole", assumed_by=iam.ServicePrincipal("glue.amazonaws.com"))
        target.grant_read(role)


class GlueEtl(cdk.Stack):
    def __init__(self, scope, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        key = kms.Key(self, "DataKey", description="Glue ETL data")
        source = s3.Bucket(self, "Source", encryption=s3.BucketEncryption.KMS, encryption_key=key, enforce_ssl=True)
        target = s3.Bucket(self, "Target", encryption=s3.BucketEncryption.KMS, encryption_key=key, enforce_ssl=True)
        script = assets.Asset(self, "Script", path=str(HERE / "job.py"))
        role = iam.Role(
            self, "JobRole", role_name="AWSGlueServiceRole-cdk-etl",
            assumed_by=iam.ServicePrincipal("glue.amazonaws.com"),
            managed_policies=[iam.ManagedPolicy.from_aws_managed_policy_name("service-role/AWSGlueServiceRole")],
        )
        source.grant_read(role)
        target.grant_read_write(role)
        script.grant_read(role)
        secret = secretsmanager.Secret(self, "DbSecret", description="orders database credentials")
        secret.grant_read(role)
        connection = glue.CfnConnection(
            self, "OrdersDb", catalog_id=self.account,
            connection_input=glue.CfnConnection.ConnectionInputProperty(
                name="orders-db", connection_type="JDBC",
                connection_properties={"JDBC_CONNECTION_URL": "jdbc:postgresql://orders.example.com:5432/orders",
                                       "SECRET_ID": secret.secret_name},
            ),
        )
        glue.CfnJob(
            self, "Job", name="orders-etl", role=role.role_arn, glue_version="4.0",
            command=glue.CfnJob.JobCommandProperty(name="glueetl", script_location=script.s3_object_url,
                                                   python_version="3"),
            default_arguments={"--TempDir": target.s3_url_for_object("temporary/"),
                               "--source_path": source.s3_url_for_object("orders/")},
            connections=glue.CfnJob.ConnectionsListProperty(connections=[connection.ref]),
        )
        user = iam.User(self, "Analyst", user_name="analyst")
        user.add_managed_policy(iam.ManagedPolicy.from_aws_managed_policy_name("AWSGlueConsoleFullAccess"))
        Reports(self, "Reports", target)


# The context the CDK CLI sets for "cdk synth": path and asset metadata, and AWS::CDK::Metadata.
app = cdk.App(outdir=str(HERE / "cdk.out"), context={
    "aws:cdk:enable-path-metadata": True, "aws:cdk:enable-asset-metadata": True, "aws:cdk:version-reporting": True,
})
GlueEtl(app, "GlueEtl")
app.synth()
