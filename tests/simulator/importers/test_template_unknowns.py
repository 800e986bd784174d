"""Values a template leaves to deployment flow into the scenario as explicit unknowns, never a crash.

Real templates from ``samples/cloudformation/`` (see SOURCES.md there): a policy Resource that is the
Ref of an AWS::MSK::Cluster, and policy ARNs built from parameters nobody gave a value.
"""

from __future__ import annotations

from pathlib import Path

from gluesim.simulator import scenario
from gluesim.simulator.engine import simulate
from gluesim.simulator.importers import ImportOptions, import_scenario

CFN = Path(__file__).parent / "samples" / "cloudformation"
MSK = CFN / "msk-glue-amazon-msk-and-glue.template.yaml"
ETL = CFN / "etl-orchestrator-glue-resources.yaml"


def role_policies(imported, fragment: str) -> str:
    role = next(r for r in imported.account.roles if fragment in r.name)
    return "\n".join(p.document for p in role.inline_policies)


def test_a_resource_of_an_unmodelled_type_becomes_an_unknown_value_in_the_policy() -> None:
    imported, notices = import_scenario([MSK])
    text = role_policies(imported, "BootstrapBrokersFunctionExecutionRole")
    assert "<unknown: the Ref value of AWS::MSK::Cluster 'MSKCluster'" in text
    assert any("written as <unknown: ...>" in n.message for n in notices)


def test_parameters_without_values_become_unknown_values_and_the_replay_agrees() -> None:
    imported, _ = import_scenario([ETL])
    assert "<unknown: parameter 'DataBucketName' has no value" in role_policies(imported, "AWSGlueJobRole")
    replayed = scenario.loads(scenario.dump(imported), "replay.yaml")
    assert replayed.account.roles == imported.account.roles
    assert [r.verdict for r in simulate(replayed).results] == [r.verdict for r in simulate(imported).results]


def test_given_parameters_resolve_what_was_unknown() -> None:
    options = ImportOptions(parameters={"ArtifactBucketName": "artifacts", "DataBucketName": "data",
                                        "ETLScriptsPrefix": "scripts", "ETLOutputPrefix": "out"})
    imported, _ = import_scenario([ETL], options)
    text = role_policies(imported, "AWSGlueJobRole")
    assert "<unknown" not in text and "arn:aws:s3:::data/*" in text
