"""Documented IAM examples as data: every file in cases/ holds policies, requests and the expected decisions.

Each case cites the AWS page it comes from ("source"); the verdicts are computed by the engine.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from gluesim.simulator.iam import PolicyType, Request, compile_policy, evaluate

CASES = sorted((Path(__file__).parent / "cases").glob("*.json"))
DEFAULT_PRINCIPAL = {"arn": "arn:aws:iam::111122223333:user/alice", "type": "User"}


def requests() -> list[tuple[Path, int]]:
    return [(path, i) for path in CASES for i in range(len(json.loads(path.read_text())["requests"]))]


def test_cases_exist_and_cite_aws_pages() -> None:
    assert len(CASES) >= 10
    for path in CASES:
        case = json.loads(path.read_text())
        assert case["source"].startswith("https://docs.aws.amazon.com/"), path.name
        assert case["about"] and case["requests"], path.name


def _policies(case: dict[str, Any], name: str) -> Any:
    identity = [compile_policy(doc, f"{name}.identity.{i}", PolicyType.IDENTITY)
                for i, doc in enumerate(case.get("identity", []))]
    boundary = [compile_policy(doc, f"{name}.boundary.{i}", PolicyType.PERMISSIONS_BOUNDARY)
                for i, doc in enumerate(case["boundary"])] if "boundary" in case else None
    scps = [[compile_policy(doc, f"{name}.scp.{n}.{i}", PolicyType.SCP) for i, doc in enumerate(level)]
            for n, level in enumerate(case["scp_levels"])] if "scp_levels" in case else None
    resource = compile_policy(case["resource_policy"], f"{name}.resource",
                              PolicyType[case.get("resource_policy_type", "RESOURCE")]) \
        if "resource_policy" in case else None
    return identity, resource, boundary, scps


@pytest.mark.parametrize(("path", "index"), requests(), ids=lambda v: v.stem if isinstance(v, Path) else str(v))
def test_documented_case(path: Path, index: int) -> None:
    case = json.loads(path.read_text())
    identity, resource, boundary, scps = _policies(case, path.stem)
    item = case["requests"][index]
    principal = item.get("principal", case.get("principal", DEFAULT_PRINCIPAL))
    request = Request(item["action"], item["resource"], principal_arn=principal["arn"],
                      principal_type=principal["type"], resource_account=case.get("resource_account"),
                      context={k: tuple(v) for k, v in item.get("context", {}).items()})
    result = evaluate(request, identity, resource, boundary, scps)
    assert result.decision.value == item["expect"], result.trace
    if "missing" in item:
        assert list(result.missing_context) == item["missing"]
