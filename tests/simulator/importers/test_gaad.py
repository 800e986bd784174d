"""``aws iam get-account-authorization-details`` import, on the three public samples.

Samples (copied unchanged into ``samples/authorization-details/``; see its SOURCES.md):
``cloudsplaining-example.json`` from salesforce/cloudsplaining ``examples/files/example.json``
@ 5012eab1 (BSD-3-Clause, a real account), ``cloudmapper-demo.json`` from duo-labs/cloudmapper
``account-data/demo/us-east-1/iam-get-account-authorization-details.json`` @ ec8fbf20
(BSD-3-Clause), ``awscli-docs-example.json`` from aws/aws-cli
``awscli/examples/iam/get-account-authorization-details.rst`` @ 07c4fe36 (Apache-2.0).
The boundary and URL-encoded cases are hand-built, as that SOURCES.md recommends.
"""

from __future__ import annotations

import copy
import json
import urllib.parse
from pathlib import Path

import pytest

from gluesim.kb.errors import LocatedError
from gluesim.simulator.importers import gaad
from gluesim.simulator.importers.common import Notices, read_json

SAMPLES = Path(__file__).parent / "samples" / "authorization-details"


def load(name: str, notices: Notices, **options: bool) -> gaad.Gaad:
    return gaad.read(read_json(SAMPLES / name, "export"), name, notices, **options)


def test_the_real_account_sample_imports_whole(notices: Notices) -> None:
    result = load("cloudsplaining-example.json", notices)
    assert (len(result.users), len(result.groups), len(result.roles), len(result.managed_policies)) == (44, 5, 78, 84)
    assert result.account_id == "200611803367" and result.partition == "aws"
    assert sum(p.aws_managed for p in result.managed_policies) == 38
    assert [n.message for n in notices] == [
        "ARNs name 2 accounts (200611803367, 012345678901); treating 200611803367 as the account"
    ]


def test_only_the_default_version_of_a_managed_policy_is_kept(notices: Notices) -> None:
    data = read_json(SAMPLES / "cloudsplaining-example.json", "export")
    two = next(p for p in data["Policies"] if len(p["PolicyVersionList"]) == 2)
    default = next(v for v in two["PolicyVersionList"] if v["IsDefaultVersion"])
    other = next(v for v in two["PolicyVersionList"] if not v["IsDefaultVersion"])
    assert default["Document"] != other["Document"]
    imported = {p.arn: p for p in load("cloudsplaining-example.json", notices).managed_policies}[two["Arn"]]
    assert imported.document.document == default["Document"]


def test_missing_lists_mean_empty(notices: Notices) -> None:
    users = {u.name: u for u in load("cloudsplaining-example.json", notices).users}
    assert sum(1 for u in users.values() if not u.inline_policies) == 42


def test_the_cli_demo_with_mixed_timestamps_imports(notices: Notices) -> None:
    result = load("cloudmapper-demo.json", notices)
    assert (len(result.users), len(result.groups), len(result.roles)) == (2, 1, 4)
    assert list(notices) == []


def test_the_partial_aws_docs_example_is_a_clear_error(notices: Notices) -> None:
    with pytest.raises(LocatedError) as exc:
        load("awscli-docs-example.json", notices)
    assert str(exc.value) == (
        "awscli-docs-example.json: IsTruncated: the export is partial (IsTruncated is true or Marker is present); "
        "re-run 'aws iam get-account-authorization-details' without --max-items, or pass --allow-partial to import it anyway"
    )


def test_the_aws_docs_example_imports_when_partial_is_allowed(notices: Notices) -> None:
    result = load("awscli-docs-example.json", notices, allow_partial=True)
    groups = {g.name: g for g in result.groups}
    assert groups["Admins"].managed_policy_arns == ("arn:aws:iam::aws:policy/AdministratorAccess",)
    assert [n.severity.value for n in notices] == ["unknown", "warning", "warning"]
    bob = next(u for u in result.users if u.name == "Bob")
    assert bob.inline_policies[0].document["Statement"]["Effect"] == "Deny"  # a lone Statement object kept as is


def small_export() -> dict:
    return copy.deepcopy(read_json(SAMPLES / "cloudmapper-demo.json", "export"))


def test_url_encoded_documents_import_to_the_same_policies(notices: Notices) -> None:
    plain = small_export()
    encoded = small_export()
    for role in encoded["RoleDetailList"]:
        role["AssumeRolePolicyDocument"] = urllib.parse.quote(json.dumps(role["AssumeRolePolicyDocument"]), safe="")
    for policy in encoded["Policies"]:
        for version in policy["PolicyVersionList"]:
            version["Document"] = urllib.parse.quote(json.dumps(version["Document"]), safe="")
    a, b = gaad.read(plain, "a", Notices()), gaad.read(encoded, "b", Notices())
    assert [r.trust_policy.document for r in a.roles] == [r.trust_policy.document for r in b.roles]
    assert [p.document.document for p in a.managed_policies] == [p.document.document for p in b.managed_policies]


def test_a_permissions_boundary_is_read_by_its_arn(notices: Notices) -> None:
    data = small_export()
    arn = "arn:aws:iam::123456789012:policy/boundary"
    data["RoleDetailList"][0]["PermissionsBoundary"] = {"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": arn}
    assert gaad.read(data, "b", notices).roles[0].boundary_arn == arn


def test_an_aws_cn_export_keeps_its_partition(notices: Notices) -> None:
    text = json.dumps(small_export()).replace("arn:aws:", "arn:aws-cn:")
    result = gaad.read(json.loads(text), "cn.json", notices)
    assert result.partition == "aws-cn"
    assert all(r.arn.startswith("arn:aws-cn:iam::") for r in result.roles)


def test_two_partitions_in_one_file_are_refused(notices: Notices) -> None:
    data = small_export()
    data["RoleDetailList"][0]["Arn"] = data["RoleDetailList"][0]["Arn"].replace("arn:aws:", "arn:aws-cn:")
    with pytest.raises(LocatedError, match=r"^mixed\.json: ARNs from two partitions"):
        gaad.read(data, "mixed.json", notices)


def test_a_duplicate_role_name_is_a_located_error(notices: Notices) -> None:
    data = small_export()
    data["RoleDetailList"].append(copy.deepcopy(data["RoleDetailList"][0]))
    name = data["RoleDetailList"][0]["RoleName"]
    with pytest.raises(LocatedError) as exc:
        gaad.read(data, "dup.json", notices)
    assert str(exc.value) == f"dup.json: duplicate role {name!r} (entries 0 and 4); an export lists each once"


def test_a_wrong_type_names_its_json_path(notices: Notices) -> None:
    data = small_export()
    data["UserDetailList"][1]["UserName"] = 7
    with pytest.raises(LocatedError) as exc:
        gaad.read(data, "bad.json", notices)
    assert str(exc.value) == "bad.json: UserDetailList[1].UserName: expected a string, got a number"
