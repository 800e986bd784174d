"""A NAT gateway helps a VPC job reach the internet only when it sits in a public subnet."""

from __future__ import annotations

from pathlib import Path

import pytest

from gluesim.simulator import engine, scenario
from gluesim.simulator.fix import fix

ANSWER = Path(__file__).parents[1] / "answers" / "vpc-nat-gateway.yaml"
PUBLIC, PRIVATE = "subnet-0b2c3d4e5f6a70010", "subnet-0a1b2c3d4e5f60001"


def _variant(tmp_path: Path, old: str, new: str) -> Path:
    text = ANSWER.read_text()
    assert old in text
    path = tmp_path / "variant.yaml"
    path.write_text(text.replace(old, new, 1))
    return path


def _nat_failures(path: Path) -> list[str]:
    report = engine.simulate(scenario.load(path))
    return [f.reason for r in report.results for f in r.failures if f.requirement == "vpc.nat-gateway"]


def test_nat_in_a_public_subnet_passes() -> None:
    assert _nat_failures(ANSWER) == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (f"        subnet: {PUBLIC}\n    route_tables", f"        subnet: {PRIVATE}\n    route_tables",
         f"routes to NAT gateway nat-0b2c3d4e5f6a70009, but nat-0b2c3d4e5f6a70009 sits in subnet {PRIVATE}, "
         "which has no route to an internet gateway"),
        ("          - {destination: 0.0.0.0/0, target: igw-0b2c3d4e5f6a78901}\n", "",
         f"routes to NAT gateway nat-0b2c3d4e5f6a70009, but nat-0b2c3d4e5f6a70009 sits in subnet {PUBLIC}, "
         "which has no route to an internet gateway"),
    ],
    ids=["nat-in-private-subnet", "nat-subnet-without-igw-route"],
)
def test_nat_without_internet_fails_and_fix_repairs_it(tmp_path: Path, old: str, new: str, expected: str) -> None:
    path = _variant(tmp_path, old, new)
    reasons = _nat_failures(path)
    assert reasons and all(expected in reason for reason in reasons)
    fixed = fix(scenario.load(path)).fixed_scenario
    assert engine.simulate(fixed).passed
