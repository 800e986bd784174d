"""The importers fill the model's real-account fields from what the exports carry: tags, bucket
owners and Regions, catalog table locations, connector JAR locations, the organization."""

from __future__ import annotations

import json
from pathlib import Path

from gluesim.simulator.importers import ImportOptions, import_scenario

SAMPLES = Path(__file__).parent / "samples"
ETL = SAMPLES / "cloudformation" / "etl-orchestrator-glue-resources.yaml"
PARAMS = {"ArtifactBucketName": "artifacts", "DataBucketName": "data", "ETLScriptsPrefix": "scripts",
          "ETLOutputPrefix": "out"}


def test_authorization_details_tags_become_principal_tags(tmp_path) -> None:
    data = json.loads((SAMPLES / "authorization-details" / "cloudmapper-demo.json").read_text())
    data["RoleDetailList"][0]["Tags"] = [{"Key": "team", "Value": "analytics"}]
    (tmp_path / "gaad.json").write_text(json.dumps(data))
    scenario, _ = import_scenario([tmp_path / "gaad.json"])
    role = next(r for r in scenario.account.roles if r.name == data["RoleDetailList"][0]["RoleName"])
    assert role.tags == (("team", "analytics"),)
    assert all(u.tags == () for u in scenario.account.users)


def test_template_tables_keep_their_locations_and_buckets_their_owner() -> None:
    scenario, _ = import_scenario([ETL], ImportOptions(parameters=PARAMS, account_id="123456789012"))
    tables = {t.name: t.location for db in scenario.account.databases for t in db.tables}
    assert tables["salespipeline_qs"].startswith("s3://data/")
    referenced = next(b for b in scenario.account.buckets if b.name == "artifacts")
    assert (referenced.account_id, referenced.region) == (None, None)  # only named by a job: owner unknown


def test_a_custom_connection_gives_its_connector_jar(tmp_path) -> None:
    (tmp_path / "t.yaml").write_text(
        "Resources:\n  C:\n    Type: AWS::Glue::Connection\n    Properties:\n      CatalogId: !Ref AWS::AccountId\n"
        "      ConnectionInput:\n        Name: snowflake\n        ConnectionType: CUSTOM\n"
        "        ConnectionProperties: {CONNECTOR_URL: 's3://jars/snowflake.jar', CONNECTOR_TYPE: Jdbc}\n")
    scenario, _ = import_scenario([tmp_path / "t.yaml"])
    [connector] = scenario.account.connectors
    assert connector.connector_url == "s3://jars/snowflake.jar"
    assert scenario.account.connections[0].connector == connector.name
