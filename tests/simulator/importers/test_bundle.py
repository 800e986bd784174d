"""The export folder: what it holds, what it cannot say, and the documented script that makes it.

The fixture ``bundle/`` is assembled from public samples (see ``bundle/SOURCES.md``:
duo-labs/cloudmapper demo @ ec8fbf20, aws/aws-cli docs examples @ 07c4fe36, boto/botocore
examples @ 0e6e2404) plus three hand-built files where no public sample exists.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from gluesim.kb.errors import LocatedError
from gluesim.simulator import scenario
from gluesim.simulator.importers import import_scenario
from gluesim.simulator.importers.bundle_network import FILES
from gluesim.simulator.importers.sources import load_sources

BUNDLE = Path(__file__).parent / "bundle"
GUIDE = Path(__file__).resolve().parents[3] / "docs" / "guides" / "export-bundle.md"


def test_the_bundle_imports_every_part() -> None:
    imp = load_sources([BUNDLE])
    assert imp.account_id == "123456789012" and imp.region == "us-east-1" and imp.partition == "aws"
    assert [b.name for b in imp.buckets] == ["cloudmapper_demo"]
    assert imp.buckets[0].policy.document["Statement"][0]["Sid"] == "PublicReadGetObject"
    assert [k.key_id for k in imp.kms_keys] == ["mrk-1234abcd12ab34cd56ef1234567890ab"]
    assert len(imp.security_groups) == 8 and len(imp.subnets) == 4
    assert [c.name for c in imp.connections] == ["orders-db", "events-kafka"]
    assert imp.organization.levels == ("r-examplerootid111", "ou-examplerootid111-exampleouid111", "123456789012")


def test_a_main_route_table_and_blackhole_routes_are_kept_as_such() -> None:
    tables = {t.route_table_id: t for t in load_sources([BUNDLE]).route_tables}
    main = tables["rtb-09ba434c1bEXAMPLE"]
    assert main.main and main.subnet_ids == ()
    assert any(not route.active for t in tables.values() for route in t.routes)


def test_the_connection_password_is_dropped_with_a_notice() -> None:
    imp = load_sources([BUNDLE])
    assert "hunter2" not in repr(imp)
    assert any(n.message.startswith("connection 'orders-db': password dropped") for n in imp.notices)


def test_missing_pieces_are_reported_unknown_not_assumed() -> None:
    sc, notices = import_scenario([BUNDLE])
    lines = [n.line() for n in notices]
    assert f"unknown: {BUNDLE}: not in the folder, so unknown: aws kms list-aliases (key aliases)" in lines
    assert "unknown: SCP level 'r-examplerootid111': its SCP attachments were not exported; the level is marked unknown, so an action it would deny shows as unknown, never allowed" in lines
    levels = sc.account.organization.scp_levels
    assert [(lv.name, lv.unknown) for lv in levels][0] == ("r-examplerootid111", True)
    secret = next(s for s in sc.account.secrets if s.name == "demo-secret")
    key = next(k for k in sc.account.kms_keys if k.arn == secret.kms_key)
    assert key.policy is None  # the AWS managed key aws/secretsmanager was not exported: unknown


def test_an_empty_policy_file_means_no_policy_and_a_missing_one_unknown(tmp_path) -> None:
    folder = tmp_path / "export"
    shutil.copytree(BUNDLE, folder)
    (folder / "s3" / "cloudmapper_demo" / "policy.json").write_text("")
    bucket = load_sources([folder]).buckets[0]
    assert (bucket.policy, bucket.policy_known) == (None, True)
    (folder / "s3" / "cloudmapper_demo" / "policy.json").unlink()
    bucket = load_sources([folder]).buckets[0]
    assert (bucket.policy, bucket.policy_known) == (None, False)
    written = scenario.dump(import_scenario([folder])[0])
    assert "- name: cloudmapper_demo\n  policy: null\n" in written


def test_a_partial_list_is_refused(tmp_path) -> None:
    folder = tmp_path / "export"
    shutil.copytree(BUNDLE, folder)
    (folder / "ec2" / "vpcs.json").write_text('{"Vpcs": [], "NextToken": "abc"}')
    with pytest.raises(LocatedError) as exc:
        load_sources([folder])
    assert str(exc.value) == f"{folder}/ec2/vpcs.json: NextToken: the export is partial (a NextToken is present); re-run the command without --max-items, or pass --allow-partial"


def test_the_import_round_trips_through_a_scenario_file() -> None:
    sc, _ = import_scenario([BUNDLE], actor=None)
    assert scenario.loads(scenario.dump(sc), "again.yaml") == sc


def guide_script() -> str:
    return re.search(r"```bash\n(.*?)```", GUIDE.read_text(), flags=re.S).group(1)


def test_the_guide_script_writes_every_file_the_importer_reads() -> None:
    script = guide_script()
    fixed = ["gaad.json", "caller.json", "region.txt", "s3/list-buckets.json", "kms/aliases.json",
             "glue/connections.json", "glue/jobs.json", "glue/databases.json", "secretsmanager/list-secrets.json",
             '"s3/$bucket/location.json"', '"s3/$bucket/encryption.json"', '"s3/$bucket/policy.json"',
             '"kms/$key/describe.json"', '"kms/$key/policy.json"', '"glue/tables/$database.json"',
             "secretsmanager/policies/", '"organizations/parents/$child.json"',
             '"organizations/policies-for-target/$child.json"', '"organizations/policies/$policy.json"']
    for path in fixed + [relative for _, _, relative in FILES.values()]:
        assert path in script, path
    assert "--hide-password" in script


def test_the_guide_script_is_valid_bash(tmp_path) -> None:
    path = tmp_path / "export.sh"
    path.write_text(guide_script())
    assert subprocess.run(["bash", "-n", str(path)], capture_output=True, text=True).returncode == 0


FAKE_AWS = r'''#!{python}
"""A stand-in for the AWS CLI that answers from the public samples (no network, no credentials)."""
import json, sys
from pathlib import Path

S = Path({samples!r})
args = sys.argv[1:]
command = " ".join(a for a in args[:2])
text = "--output" in args and args[args.index("--output") + 1] == "text"
ANSWERS = {{
    "configure get": "us-east-1",
    "sts get-caller-identity": S / "cli/cloudmapper-demo/sts-get-caller-identity.json",
    "iam get-account-authorization-details": S / "authorization-details/cloudmapper-demo.json",
    "s3api list-buckets": S / "cli/cloudmapper-demo/s3api-list-buckets.json",
    "s3api get-bucket-location": '{{"LocationConstraint": null}}',
    "s3api get-bucket-policy": S / "cli/cloudmapper-demo/s3api-get-bucket-policy.json",
    "kms list-aliases": '{{"Aliases": []}}',
    "kms list-keys": '{{"Keys": [{{"KeyId": "mrk-1234abcd12ab34cd56ef1234567890ab"}}]}}',
    "kms describe-key": S / "cli/awscli-docs/kms-describe-key-2.json",
    "kms get-key-policy": S / "cli/botocore-examples/kms-get-key-policy.json",
    "ec2 describe-vpcs": S / "cli/cloudmapper-demo/ec2-describe-vpcs.json",
    "ec2 describe-subnets": S / "cli/cloudmapper-demo/ec2-describe-subnets.json",
    "ec2 describe-route-tables": S / "cli/awscli-docs/ec2-describe-route-tables.json",
    "ec2 describe-nat-gateways": S / "cli/awscli-docs/ec2-describe-nat-gateways-1.json",
    "ec2 describe-vpc-endpoints": S / "cli/cloudmapper-demo/ec2-describe-vpc-endpoints.json",
    "ec2 describe-security-groups": S / "cli/cloudmapper-demo/ec2-describe-security-groups.json",
    "glue get-jobs": '{{"Jobs": []}}',
    "glue get-databases": S / "cli/awscli-docs/glue-get-databases.json",
    "glue get-tables": S / "cli/awscli-docs/glue-get-tables.json",
    "secretsmanager list-secrets": S / "cli/cloudmapper-demo/secretsmanager-list-secrets.json",
    "secretsmanager get-resource-policy": S / "cli/cloudmapper-demo/secretsmanager-get-resource-policy.json",
}}
ERRORS = {{
    "s3api get-bucket-encryption": "An error occurred (ServerSideEncryptionConfigurationNotFoundError) when calling the GetBucketEncryption operation",
    "glue get-connections": "An error occurred (AccessDeniedException) when calling the GetConnections operation",
    "organizations list-parents": "An error occurred (AWSOrganizationsNotInUseException)",
}}
if command in ERRORS:
    print(ERRORS[command], file=sys.stderr)
    sys.exit(254)
answer = ANSWERS[command]
if command == "configure get":
    print(answer)
    sys.exit(0)
data = json.loads(answer.read_text() if isinstance(answer, Path) else answer)
if text:
    query = args[args.index("--query") + 1]
    if query == "Account":
        print(data["Account"])
    else:
        key, field = query.split("[].")
        print("\t".join(item[field] for item in data[key]))
else:
    print(json.dumps(data, indent=4))
'''


def test_the_guide_script_makes_a_folder_gluesim_imports(tmp_path) -> None:
    import sys

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    aws = bin_dir / "aws"
    aws.write_text(FAKE_AWS.format(python=sys.executable, samples=str(Path(__file__).parent / "samples")))
    aws.chmod(0o755)
    script = tmp_path / "export.sh"
    script.write_text(guide_script())
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(tmp_path)}
    done = subprocess.run(["bash", str(script), "out"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "skipped glue/connections.json: An error occurred (AccessDeniedException)" in done.stderr
    folder = tmp_path / "out"
    assert (folder / "s3/cloudmapper_demo/encryption.json").read_text() == ""  # none configured: an empty file
    assert not (folder / "glue/connections.json").exists()  # denied: no file, so unknown
    sc, notices = import_scenario([folder])
    assert sc.account.account_id == "123456789012" and len(sc.account.roles) == 4
    assert any(n.line().startswith(f"unknown: {folder}: not in the folder, so unknown: ") and "aws glue get-connections (connections)" in n.line() for n in notices)


def test_complete_scp_levels_become_the_scenario_organization(tmp_path) -> None:
    folder = tmp_path / "export"
    shutil.copytree(BUNDLE, folder)
    org = folder / "organizations"
    target = (org / "policies-for-target" / "123456789012.json").read_text()
    for level in ("r-examplerootid111", "ou-examplerootid111-exampleouid111"):
        (org / "policies-for-target" / f"{level}.json").write_text(target)
    # describe-policy sample of the AWS CLI docs, filed under the id the attachment names
    text = (org / "policies" / "p-examplepolicyid111.json").read_text().replace("p-examplepolicyid111", "p-examplepolicyid222")
    (org / "policies" / "p-examplepolicyid222.json").write_text(text)
    sc, notices = import_scenario([folder])
    levels = sc.account.organization.scp_levels
    assert [level.name for level in levels] == ["r-examplerootid111", "ou-examplerootid111-exampleouid111", "123456789012"]
    assert all([p.name for p in level.policies] == ["AllowAllEC2Actions"] for level in levels)
    assert not any(n.where.startswith("SCP level") for n in notices)
