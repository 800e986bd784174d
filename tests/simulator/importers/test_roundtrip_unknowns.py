"""``gluesim import --to X.yaml`` then ``simulate X.yaml`` gives the verdicts of the import itself.

Over the real public samples: the written scenario keeps every unknown mark (unexported managed
policies, unknown boundaries and groups, unknown SCP levels), so replaying it never passes
what the import reported unknown; the audit of the written file equals the audit of the sources.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from gluesim.simulator import model as m
from gluesim.simulator import scenario
from gluesim.simulator.audit import audit
from gluesim.simulator.engine import simulate
from gluesim.simulator.importers import ImportOptions, import_scenario, load_for_audit
from gluesim.simulator.importers.common import unknowns_by_subject

HERE = Path(__file__).parent
SAMPLES = HERE / "samples"
GAAD = SAMPLES / "authorization-details"
CFN = SAMPLES / "cloudformation"
ETL_PARAMS = {"ArtifactBucketName": "artifacts", "DataBucketName": "data", "ETLScriptsPrefix": "scripts",
              "ETLOutputPrefix": "out"}
SOURCES = {
    "bundle": ([HERE / "bundle"], ImportOptions(), "USER"),
    "awscli-docs-partial": ([GAAD / "awscli-docs-example.json"], ImportOptions(allow_partial=True), None),
    "cloudmapper": ([GAAD / "cloudmapper-demo.json"], ImportOptions(), None),
    "cloudsplaining": ([GAAD / "cloudsplaining-example.json"], ImportOptions(), None),
    "gaad+etl": ([GAAD / "cloudmapper-demo.json", CFN / "etl-orchestrator-glue-resources.yaml"],
                 ImportOptions(parameters=ETL_PARAMS), "USER"),
}
CHECKED = ("open-glue-studio", "delete-jobs", "view-dashboards", "modify-dashboards", "open-billing-console")


def with_work(s: m.Scenario) -> m.Scenario:
    """Give every principal something to be simulated: other actions for each user, a job for each role."""
    a = s.account
    users = [u.name for u in a.users][:25]
    checks = tuple(m.Check(u, f"action.{action}", dashboard="d" if "dashboard" in action else None)
                   for u in users for action in CHECKED)
    jobs = s.jobs
    if users:
        jobs += tuple(m.Job(f"gluesim-probe-{r.name}", users[0], r.name) for r in a.roles[:25]
                      if f"gluesim-probe-{r.name}" not in {j.name for j in s.jobs})
    return replace(s, checks=s.checks + checks, jobs=jobs, account=replace(a, dashboards=a.dashboards or ("d",)))


def verdicts(s: m.Scenario) -> dict[tuple[str, str, str], str]:
    return {r.key: r.verdict.value for r in simulate(s).results}


@pytest.fixture(params=sorted(SOURCES))
def source(request: pytest.FixtureRequest) -> str:
    return request.param


def _import(key: str) -> tuple[m.Scenario, list]:
    paths, options, actor = SOURCES[key]
    return import_scenario(paths, options, actor)


def test_the_written_scenario_loads_back_to_the_imported_one(source: str) -> None:
    sc, _ = _import(source)
    assert scenario.loads(scenario.dump(sc), "written.yaml") == sc


def test_replaying_the_written_scenario_gives_the_same_verdicts(source: str) -> None:
    sc = with_work(_import(source)[0])
    replayed = scenario.loads(scenario.dump(sc), "written.yaml")
    direct = verdicts(sc)
    assert direct and verdicts(replayed) == direct


def test_the_audit_of_the_written_scenario_equals_the_audit_of_the_sources(source: str, tmp_path: Path) -> None:
    sc, notices = _import(source)
    written = tmp_path / "written.yaml"
    written.write_text(scenario.dump(sc))
    from_file, file_notices = load_for_audit([written])
    assert file_notices == []

    def table(result) -> dict[tuple[str, str], str]:
        return {(p.kind + "/" + p.name, v.action): v.verdict for p in result.principals for v in p.actions}

    assert table(audit(from_file)) == table(audit(sc, unknown=unknowns_by_subject(notices)))


def test_marks_in_the_real_samples_are_never_a_pass() -> None:
    """The AWS CLI documentation export attaches a managed policy it does not include: EC2role is unknown."""
    sc = with_work(_import("awscli-docs-partial")[0])
    marked = {u.name for u in sc.account.users if u.unknown_policies}
    marked |= {u.name for u in sc.account.users for g in u.groups
               if next(x for x in sc.account.groups if x.name == g).unknown_policies}
    roles = {r.name for r in sc.account.roles if r.unknown_policies}
    assert "EC2role" in roles
    for result in simulate(sc).results:
        probe = result.subject.removeprefix("gluesim-probe-") if result.subject else None
        if result.actor in marked or (result.action == "action.run-job" and probe in roles):
            assert result.verdict.value != "pass", result.key


def _edited_bundle(tmp_path: Path) -> Path:
    """The sample bundle with a real-looking secret ARN, a disabled key and a restrictive S3 endpoint policy."""
    import shutil

    folder = tmp_path / "bundle"
    shutil.copytree(HERE / "bundle", folder)
    secrets = folder / "secretsmanager" / "list-secrets.json"
    secrets.write_text(secrets.read_text().replace(":0123456789012:secret:", ":123456789012:secret:"))
    describe = next((folder / "kms").glob("*/describe.json"))
    describe.write_text(describe.read_text().replace('"Enabled": true', '"Enabled": false')
                        .replace('"KeyState": "Enabled"', '"KeyState": "Disabled"'))
    endpoints = folder / "ec2" / "vpc-endpoints.json"
    endpoints.write_text(endpoints.read_text().replace(
        '\\"Action\\":\\"*\\",\\"Resource\\":\\"*\\"', '\\"Action\\":\\"s3:GetObject\\",\\"Resource\\":\\"*\\"', 1))
    return folder


def test_the_import_writes_what_the_format_can_now_hold(tmp_path: Path) -> None:
    sc, notices = import_scenario([_edited_bundle(tmp_path)])
    a = sc.account
    assert next(s for s in a.secrets if s.name == "demo-secret").arn == \
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:demo-secret-lfUPRe"
    assert {c.name: c.type.value for c in a.connections}["events-kafka"] == "KAFKA"
    keys = {k.key_id: k.enabled for k in a.kms_keys}
    assert keys == {"mrk-1234abcd12ab34cd56ef1234567890ab": False, "unknown-aws-secretsmanager": None}
    policies = [e.policy for v in a.vpcs for e in v.endpoints]
    assert sum(isinstance(p, m.PolicyDocument) for p in policies) == 1
    assert [(lv.name, lv.unknown) for lv in a.organization.scp_levels] == [
        ("r-examplerootid111", True), ("ou-examplerootid111-exampleouid111", True), ("123456789012", True)]
    assert not any("written as NETWORK" in n.message or "cannot say so" in n.message for n in notices)
    assert scenario.loads(scenario.dump(sc), "written.yaml") == sc
