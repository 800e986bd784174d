"""A folder holding a whole organization: per-account imports with the real SCP tree, and the
audit per account (serially or in parallel, the same) and across accounts.

Fixture: ``organization/`` (see its SOURCES.md)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from support import run_cli as run

from gluesim.simulator.audit.organization import audit_organization
from gluesim.simulator.importers import import_organization, organization_plan

HERE = Path(__file__).parent
ORG = HERE / "organization"
AWSCLI_DOCS = HERE / "samples" / "cli" / "awscli-docs"


@pytest.fixture(scope="module")
def plan():
    return organization_plan([ORG])


def test_the_folder_is_two_accounts_and_the_shared_organization_files(plan) -> None:
    assert plan.account_ids == ("123456789012", "444455556666")
    assert plan.accounts == ("111111111111", "123456789012", "444455556666")
    assert all(f.startswith("organizations/") for f in plan.org_files) and len(plan.org_files) == 8
    assert plan.ignored == (("SOURCES.md", "not an AWS CLI JSON output"),)


def test_each_account_gets_its_scp_chain_and_place_in_the_organization(plan) -> None:
    (first, _), (second, notices) = import_organization(plan)
    for scenario in (first, second):
        org = scenario.account.organization
        assert (org.id, org.management_account_id) == ("o-exampleorgid", "111111111111")
        assert org.ou_path == "o-exampleorgid/r-examplerootid111/ou-examplerootid111-exampleouid111/"
        assert [(level.name, level.unknown) for level in org.scp_levels] == [
            ("r-examplerootid111", False), ("ou-examplerootid111-exampleouid111", False), (scenario.account.account_id, False)]
    assert second.account.region == "us-east-1" and [b.name for b in second.account.buckets] == ["shared-data"]
    assert not any(n.where.startswith("SCP level") for n in notices)


@pytest.fixture(scope="module")
def serial(plan):
    return audit_organization(plan, jobs=1)


def test_the_parallel_audit_equals_the_serial_one(plan, serial) -> None:
    seen: list[tuple[int, int]] = []
    parallel = audit_organization(plan, jobs=2, progress=lambda done, total: seen.append((done, total)))
    assert parallel == serial
    assert seen[0] == (0, 2) and seen[-1] == (2, 2)


def test_across_accounts_the_shared_bucket_and_open_trusts_are_reported(serial) -> None:
    kinds = {(g.kind, g.owner, g.grantee): g for g in serial.cross}
    shared = kinds[("bucket", "444455556666", "123456789012")]
    assert shared.resource == "arn:aws:s3:::shared-data" and shared.actions == ("s3:GetObject",)
    assert ("assume-role", "123456789012", "*") in kinds  # the demo's bad_role trusts anyone
    assert serial.cross_account_risks


def test_the_cli_audits_the_organization_and_imports_one_file_per_account(capsys, tmp_path) -> None:
    code, out, err = run(capsys, "audit", ORG, "--jobs", "2", "--format", "json")
    data = json.loads(out)
    assert code == 1 and [a["account_id"] for a in data["accounts"]] == ["123456789012", "444455556666"]
    assert data["organization"] == "o-exampleorgid" and data["cross_account"]
    code, out, err = run(capsys, "import", ORG, "--to", tmp_path)
    assert code == 0, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["123456789012.yaml", "444455556666.yaml"]
    code, _, err = run(capsys, "import", ORG, "--to", tmp_path / "one.yaml")
    assert code == 2 and "holds 2 accounts, so --to must be an existing folder" in err


def test_a_folder_with_nothing_usable_exits_1_saying_why(capsys, tmp_path) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "notes.json").write_text('{"Foo": 1}')
    (folder / "readme.md").write_text("hello")
    code, out, err = run(capsys, "import", folder, "--to", tmp_path / "x.yaml")
    assert (code, out) == (1, "")
    assert f"warning: {folder}/notes.json: ignored: not an AWS CLI output gluesim reads (top level: Foo)" in err
    assert err.rstrip().endswith("none is an AWS CLI export gluesim reads")
    assert not (tmp_path / "x.yaml").exists()


def test_every_file_of_the_aws_cli_docs_folder_is_accounted_for(tmp_path) -> None:
    folder = tmp_path / "awscli-docs"
    shutil.copytree(AWSCLI_DOCS, folder)
    from gluesim.simulator.importers import import_scenario

    scenario, notices = import_scenario([folder], actor=None)
    read = next(n.message for n in notices if n.message.startswith("read "))
    ignored = [n for n in notices if n.message.startswith("ignored:")]
    names = sorted(p.name for p in folder.iterdir())
    assert len(names) == 22
    assert all(name in read or any(n.where.endswith(name) for n in ignored) for name in names)
    assert "glue-get-job.json (aws glue get-job)" in read
    assert {k.key_id for k in scenario.account.kms_keys} >= {"mrk-1234abcd12ab34cd56ef1234567890ab"}
    assert any("get-bucket-policy" in n.message and "save it as s3/<bucket>/policy.json" in n.message for n in ignored)
