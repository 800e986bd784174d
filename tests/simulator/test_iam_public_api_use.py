"""The engine reads the evaluator through its public API (StatementElement, UndecidedKind), never its codes."""

from __future__ import annotations

import re
from pathlib import Path

from gluesim.simulator.engine.context import near_misses
from gluesim.simulator.iam import PolicyType, Request, compile_policy, evaluate

ROOT = Path(__file__).resolve().parents[2]
SESSION = "arn:aws:sts::111122223333:assumed-role/R/s"
KEY = "arn:aws:kms:us-east-1:111122223333:key/k"


def test_near_misses_skip_action_misses_and_keep_resource_principal_and_condition_misses() -> None:
    identity = compile_policy({"Statement": [
        {"Sid": "OtherAction", "Effect": "Allow", "Action": "kms:Encrypt", "Resource": "*"},
        {"Sid": "OtherKey", "Effect": "Allow", "Action": "kms:Decrypt", "Resource": KEY + "x"},
        {"Sid": "OtherVpc", "Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*",
         "Condition": {"StringEquals": {"aws:SourceVpc": "vpc-1"}}},
    ]}, "role", PolicyType.IDENTITY)
    key_policy = compile_policy({"Statement": [
        {"Sid": "OtherRole", "Effect": "Allow", "Action": "kms:*", "Resource": "*",
         "Principal": {"AWS": "arn:aws:iam::111122223333:role/Other"}},
    ]}, "key", PolicyType.RESOURCE)
    result = evaluate(Request("kms:Decrypt", KEY, principal_arn=SESSION, principal_account="111122223333"),
                      [identity], resource_policy=key_policy)
    lines = near_misses(result, limit=5)
    assert [line.split(" of ")[0] for line in lines] == ["Statement[1] 'OtherKey'", "Statement[2] 'OtherVpc'",
                                                          "Statement[0] 'OtherRole'"]


# The evaluator's private detail codes (gluesim.simulator.iam.model: ACTION_MISS, ...) and ways of reading them.
_CODES = re.compile(r"\\x00(?:action|resource|condition|match| )|\\x00\"|_MISS\b")


def test_the_engine_does_not_parse_evaluator_internals() -> None:
    engine = [p for p in (ROOT / "simulator").glob("*.py")] + list((ROOT / "cli").rglob("*.py"))
    for path in engine:
        text = path.read_text(encoding="utf-8")
        assert not _CODES.search(text), f"{path.name} reads the evaluator's internal detail codes"
        assert "the request resource '*'" not in text, f"{path.name} matches an undecided text, not its kind"
