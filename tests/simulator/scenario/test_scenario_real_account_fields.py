"""The model facts real accounts have: owners, organization, tags, table locations, connector JARs, Regions, time."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gluesim.kb.errors import GluesimError
from gluesim.simulator import model as m
from gluesim.simulator import scenario

FIXTURE = Path(__file__).parents[1] / "fixtures" / "real-account.yaml"
TEXT = FIXTURE.read_text()


def loaded() -> m.Scenario:
    return scenario.load(FIXTURE)


def error_of(text: str) -> str:
    with pytest.raises(GluesimError) as info:
        scenario.loads(text, "s.yaml")
    return str(info.value)


def test_organization_facts_load() -> None:
    org = loaded().account.organization
    assert org is not None
    assert (org.id, org.ou_path, org.management_account_id) == (
        "o-a1b2c3d4e5", "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/", "999988887777")
    assert org.accounts == ("111122223333", "444455556666", "999988887777")
    assert [level.name for level in org.scp_levels] == ["root"]


def test_owner_accounts_default_to_the_scenario_account_and_null_is_unknown() -> None:
    account = loaded().account
    buckets = {b.name: b for b in account.buckets}
    assert buckets["sales-raw-444455556666"].account_id == "444455556666"
    assert buckets["sales-curated"].account_id == "111122223333"
    assert buckets["sales-curated"].region == "us-east-1"
    assert buckets["partner-drop"].account_id is None and buckets["partner-drop"].region is None
    assert buckets["aws-glue-assets-111122223333-eu-west-1"].region == "eu-west-1"


def test_a_key_or_secret_of_another_account_has_that_account_in_its_arn() -> None:
    account = loaded().account
    keys = {k.key_id: k for k in account.kms_keys}
    other = keys["9f8e7d6c-aaaa-bbbb-cccc-ddddeeeeffff"]
    assert other.arn == "arn:aws:kms:us-east-1:444455556666:key/9f8e7d6c-aaaa-bbbb-cccc-ddddeeeeffff"
    assert other.account_id == "444455556666"
    # The default key policy of a key trusts the key's own account, not the scenario's.
    assert other.policy is not None and "arn:aws:iam::444455556666:root" in other.policy.document
    secrets = {s.name: s for s in account.secrets}
    assert secrets["partner-credentials"].account_id == "444455556666"
    assert secrets["partner-credentials"].arn.startswith("arn:aws:secretsmanager:us-east-1:444455556666:secret:")
    assert secrets["warehouse-credentials"].account_id == "111122223333"


def test_tags_load_in_order_and_null_means_unknown() -> None:
    account = loaded().account
    users = {u.name: u for u in account.users}
    assert users["dana"].tags == (("team", "analytics"), ("cost-center", "4410"))
    assert users["lee"].tags is None
    assert account.roles[0].tags == (("team", "analytics"),)
    assert account.buckets[0].tags == (("classification", "internal"),)
    assert account.kms_keys[0].tags == (("team", "analytics"),) and account.kms_keys[1].tags == ()
    assert account.secrets[0].tags == (("team", "analytics"),)
    assert loaded().jobs[0].tags == (("pipeline", "orders"),)


def test_catalog_tables_carry_their_location_or_unknown() -> None:
    (database,) = loaded().account.databases
    assert database.tables == (m.Table("orders", "s3://sales-raw-444455556666/orders/"),
                               m.Table("orders_unknown_location"), m.Table("customers"))


def test_connector_jar_job_region_and_as_of_time() -> None:
    s = loaded()
    assert s.account.connectors[0].connector_url == "s3://connectors-jars/acme/acme-jdbc-1.2.jar"
    assert s.jobs[0].region == "eu-west-1"
    assert s.account.as_of == "2026-05-04T09:30:00Z"


def test_an_unquoted_as_of_timestamp_keeps_its_text() -> None:
    s = scenario.loads(TEXT.replace('as_of: "2026-05-04T09:30:00Z"', "as_of: 2026-05-04T09:30:00Z"), "s.yaml")
    assert s.account.as_of == "2026-05-04T09:30:00Z"


def test_the_real_account_fixture_round_trips() -> None:
    s = loaded()
    again = scenario.loads(scenario.dump(s), "again.yaml")
    assert again == s
    assert "account_id: '444455556666'" in scenario.dump(s)


BAD = [
    ("ou_path: o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/", "ou_path: o-zzzzzzzzzz/r-ab12/",
     "s.yaml:13: organization ou_path 'o-zzzzzzzzzz/r-ab12/' is not in organization 'o-a1b2c3d4e5'; "
     "expected a path starting with 'o-a1b2c3d4e5/'"),
    ("  id: o-a1b2c3d4e5", "  id: org-1",
     "s.yaml:12: organization.id is 'org-1'; expected the organization id (DescribeOrganization Id), "
     "aws:PrincipalOrgID"),
    ('    account_id: "444455556666"\n    region: us-east-1', "    account_id: 444455556666\n    region: us-east-1",
     "s.yaml:41: buckets[0].account_id is 444455556666 (an integer); expected a string (YAML reads unquoted digits "
     "as a number: quote the value, e.g. '444455556666')"),
    ("    tags: {classification: internal}", "    tags: [classification]",
     "s.yaml:43: buckets[0].tags is a list; expected a mapping"),
    ('as_of: "2026-05-04T09:30:00Z"', 'as_of: "next tuesday"',
     "s.yaml:9: account.as_of is 'next tuesday'; expected when the requests are made, ISO 8601 (aws:CurrentTime); "
     "omit: unknown"),
    ("    region: eu-west-1\n    sources", "    region: Europe\n    sources",
     "s.yaml:89: jobs[0].region is 'Europe'; expected the Region the job runs in (omit: the scenario's Region)"),
    ("connector_url: s3://connectors-jars/acme/acme-jdbc-1.2.jar", "connector_url: s3://no-such-bucket/a.jar",
     "s.yaml:78: connector 'acme-jdbc' refers to unknown bucket 'no-such-bucket'; define it under buckets"),
]


@pytest.mark.parametrize(("old", "new", "expected"), BAD, ids=[case[2][:40] for case in BAD])
def test_bad_new_fields_give_one_located_error(old: str, new: str, expected: str) -> None:
    assert old in TEXT
    assert error_of(TEXT.replace(old, new, 1)) == expected


def test_a_secret_arn_and_account_id_must_agree() -> None:
    text = TEXT.replace("  - name: partner-credentials\n    account_id: \"444455556666\"",
                        "  - name: partner-credentials\n    account_id: \"444455556666\"\n    arn: "
                        "arn:aws:secretsmanager:us-east-1:111122223333:secret:partner-credentials-AbCdEf")
    assert error_of(text) == ("s.yaml:65: secret 'partner-credentials': account_id '444455556666' differs from the "
                              "account in its arn (111122223333); give one of them, or make them agree")


TAG_TEXT = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_:./=+@ ", min_size=1, max_size=20)


@given(tags=st.one_of(st.none(), st.dictionaries(TAG_TEXT.map(str.strip).filter(bool), TAG_TEXT, max_size=4)),
       owner=st.one_of(st.none(), st.from_regex(r"\A[0-9]{12}\Z")))
def test_tags_and_owners_survive_a_round_trip(tags: dict[str, str] | None, owner: str | None) -> None:
    """Property: any tags (known, none, unknown) and bucket owner (known, unknown) round-trip through the writer."""
    import json

    document = {"account": {"id": "111122223333"}, "users": [{"name": "u", "tags": tags}],
                "buckets": [{"name": "b-one", "account_id": owner, "tags": tags}]}
    s = scenario.loads(json.dumps(document), "p.yaml")
    assert s.account.users[0].tags == (None if tags is None else tuple(tags.items()))
    assert s.account.buckets[0].account_id == owner
    assert scenario.loads(scenario.dump(s), "again.yaml") == s
