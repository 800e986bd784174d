"""Reading exports: sizes, JSON errors, the three policy encodings and the four timestamp forms.

Timestamp examples are the forms named in input-formats §0 rule 3, as they appear in the
public samples (`samples/*/SOURCES.md`): CLI v1 wire (aws/aws-cli docs), epoch floats
(Glue/KMS CLI v1), CLI v2 ISO with offset (duo-labs/cloudmapper) and boto3's
``json.dumps(default=str)`` (salesforce/cloudsplaining).
"""

from __future__ import annotations

import json
import os
import urllib.parse
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gluesim.kb.errors import LocatedError
from gluesim.simulator.importers.common import decode_policy_document, parse_timestamp, read_json

MOMENT = datetime(2022, 8, 7, 12, 55, 43, tzinfo=UTC)


@pytest.mark.parametrize(
    "value",
    ["2022-08-07T12:55:43Z", "2022-08-07T12:55:43.000Z", 1659876943.0, "2022-08-07T12:55:43+00:00", "2022-08-07 12:55:43+00:00", "2022-08-07T06:55:43-06:00"],
)
def test_every_timestamp_form_reads_as_the_same_moment(value: object) -> None:
    assert parse_timestamp(value, "x") == MOMENT


def test_a_bad_timestamp_is_a_located_error() -> None:
    with pytest.raises(LocatedError) as exc:
        parse_timestamp("yesterday", "gaad.json: UserDetailList[0].CreateDate")
    assert str(exc.value) == "gaad.json: UserDetailList[0].CreateDate: cannot read the timestamp 'yesterday'; expected ISO 8601 or epoch seconds"


statements = st.lists(
    st.fixed_dictionaries(
        {
            "Effect": st.sampled_from(["Allow", "Deny"]),
            "Action": st.text(alphabet="abcdefghijklmnopqrstuvwxyz:*+%&= /", min_size=1, max_size=20),
            "Resource": st.text(min_size=1, max_size=30),
        }
    ),
    min_size=1,
    max_size=3,
)


@given(statements)
def test_a_policy_document_in_any_encoding_decodes_to_the_same_policy(statement: list[dict[str, str]]) -> None:
    document = {"Version": "2012-10-17", "Statement": statement}
    text = json.dumps(document)
    encoded = urllib.parse.quote(text, safe="")
    assert decode_policy_document(document, "p") == document
    assert decode_policy_document(text, "p") == document
    assert decode_policy_document(encoded, "p") == document


def test_a_literal_plus_survives_url_decoding() -> None:
    document = {"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::a+b/*"}]}
    assert decode_policy_document(urllib.parse.quote(json.dumps(document), safe=""), "p") == document


def test_an_unreadable_policy_document_is_a_located_error() -> None:
    with pytest.raises(LocatedError) as exc:
        decode_policy_document("%7Bnot json", "gaad.json: RoleDetailList[0].AssumeRolePolicyDocument")
    assert str(exc.value) == (
        "gaad.json: RoleDetailList[0].AssumeRolePolicyDocument: cannot read the policy document '%7Bnot json'; "
        "expected JSON, plain or URL-encoded"
    )


def test_truncated_json_names_line_and_column(tmp_path) -> None:
    path = tmp_path / "gaad.json"
    path.write_text('{\n  "UserDetailList": [\n    {"UserName": "a"')
    with pytest.raises(LocatedError) as exc:
        read_json(path, "export")
    assert str(exc.value) == f"{path}:3:21: invalid JSON: Expecting ',' delimiter; the file ends early; re-run the export"


def test_a_200_mb_file_is_refused_before_it_is_read(tmp_path) -> None:
    path = tmp_path / "huge.json"
    with open(path, "wb") as handle:  # a sparse file: no disk space is used
        handle.truncate(200 * 1024 * 1024)
    with pytest.raises(LocatedError) as exc:
        read_json(path, "export")
    assert str(exc.value) == f"{path}: the export is 200.0 MiB; at most 64 MiB is accepted"
    os.unlink(path)


def test_an_empty_file_means_nothing_was_there(tmp_path) -> None:
    path = tmp_path / "policy.json"
    path.write_text("")
    assert read_json(path, "export") is None


def test_duplicate_json_keys_are_refused(tmp_path) -> None:
    path = tmp_path / "x.json"
    path.write_text('{"Policies": [], "Policies": []}')
    with pytest.raises(LocatedError, match="duplicate key 'Policies'"):
        read_json(path, "export")
