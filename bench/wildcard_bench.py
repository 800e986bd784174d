"""Worst-case wildcard matching: hostile patterns against long subjects, now and with backtracking.

Run: ``.venv/bin/python bench/wildcard_bench.py [--cap SECONDS]``

Each case matches one pattern dense in ``*`` against a long subject it does not match (the worst
case for a backtracking matcher), in three ways:

- ``gluesim``: the matchers in use (``gluesim.kb.wildcards``), including building the matcher
  (every cache is emptied before each timed call);
- ``evaluator``: where a case is about a policy element, the whole ``simulate_custom_policy`` call
  with that element in a policy (parse, compile, evaluate);
- ``backtracking``: the translation gluesim used before (each ``*`` to ``.*`` or ``[^:]*`` in one
  Python regular expression), stopped after ``--cap`` seconds.

Target (issue 13): 5,000 wildcards against a 20,000-character ARN well under a second.
Times are wall-clock milliseconds (``time.perf_counter``; the CPU clock ticks too coarsely here for
sub-millisecond runs); the cap counts CPU time.
"""

from __future__ import annotations

import argparse
import json
import re
import signal
import time
from collections.abc import Callable
from typing import Any

from gluesim.kb.wildcards import arn_matcher, glob_matcher
from gluesim.simulator.iam import simulate_custom_policy
from gluesim.simulator.iam.policy import clear_caches

ARN = "arn:aws:s3:::"


class _Stopped(Exception):
    pass


def backtracking_glob(pattern: str) -> Callable[[str], Any]:
    """The former translation for actions and StringLike: ``*`` -> ``.*``, ``?`` -> ``.``."""
    body = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile(body + r"\Z", re.S).match


def backtracking_arn(pattern: str) -> Callable[[str], Any]:
    """The former translation for Resource: segment-ending ``*`` -> ``.*``, other ``*`` -> ``[^:]*``."""
    out = []
    for i, char in enumerate(pattern):
        if char == "*":
            out.append(".*" if i + 1 == len(pattern) or pattern[i + 1] == ":" else "[^:]*")
        else:
            out.append("[^:]" if char == "?" else re.escape(char))
    return re.compile("".join(out) + r"\Z", re.S).match


def _resource_policy(pattern: str) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": pattern}]})


def _condition_policy(pattern: str) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
         "Condition": {"StringLike": {"aws:PrincipalTag/team": pattern}}}]})


def _stars(count: int) -> str:
    """``count`` wildcards: ``*a*a...*b`` (every piece but the last occurs everywhere)."""
    return "*a" * (count - 1) + "*b"


CASES: list[dict[str, Any]] = [
    {"name": "Resource, 4 wildcards vs a 400-character ARN", "kind": "arn",
     "pattern": ARN + _stars(4), "subject": ARN + "a" * 387},
    {"name": "Resource arn:aws:s3:::*-*-*-*-*/* vs a bucket of 150 dashes", "kind": "arn",
     "pattern": ARN + "*-*-*-*-*/*", "subject": ARN + "-" * 150},
    {"name": "Action, 5 wildcards vs a 200-character action", "kind": "glob",
     "pattern": "s3:" + _stars(5), "subject": "s3:" + "a" * 197},
    {"name": "StringLike, 6 wildcards vs a 100-character value", "kind": "glob",
     "pattern": _stars(6), "subject": "a" * 100},
    {"name": "Resource, 5,000 wildcards vs a 20,000-character ARN", "kind": "arn",
     "pattern": ARN + _stars(5000), "subject": ARN + "a" * (20_000 - len(ARN))},
    {"name": "StringLike, 5,000 wildcards vs a 20,000-character value", "kind": "glob",
     "pattern": _stars(5000), "subject": "a" * 20_000},
    {"name": "StringLike, 5,000 wildcards and 5,000 ? vs a 20,000-character value", "kind": "glob",
     "pattern": "*a?" * 4999 + "*b", "subject": "a" * 20_000},
]


def _timed(run: Callable[[], Any], cap: float) -> str:
    clear_caches()  # every matcher is built inside the timed call
    signal.setitimer(signal.ITIMER_PROF, cap)  # CPU time, like time.process_time
    start = time.perf_counter()
    try:
        answer = run()
    except _Stopped:
        return f"> {cap * 1000:.0f} ms (stopped)"
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
    return f"{(time.perf_counter() - start) * 1000:.2f} ms ({'match' if answer else 'no match'})"


def _action_policy(pattern: str) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": pattern, "Resource": "*"}]})


def _evaluator(case: dict[str, Any]) -> Callable[[], Any]:
    action = "s3:GetObject"
    if case["name"].startswith("Action"):
        kwargs: dict[str, Any] = {"PolicyInputList": [_action_policy(case["pattern"])]}
        action = case["subject"]
    elif case["kind"] == "arn":
        kwargs = {"PolicyInputList": [_resource_policy(case["pattern"])], "ResourceArns": [case["subject"]]}
    else:
        kwargs = {"PolicyInputList": [_condition_policy(case["pattern"])],
                  "ContextEntries": [{"ContextKeyName": "aws:PrincipalTag/team", "ContextKeyType": "string",
                                      "ContextKeyValues": [case["subject"]]}]}
    return lambda: simulate_custom_policy(ActionNames=[action], **kwargs)["EvaluationResults"][0][
        "EvalDecision"] == "allowed"


def _raise_stopped(*_: Any) -> None:
    raise _Stopped


def main() -> None:
    """Print each case's time with gluesim's matcher, the evaluator and the former backtracking regex."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cap", type=float, default=20.0, help="stop the backtracking matcher after this many s")
    args = parser.parse_args()
    signal.signal(signal.SIGPROF, _raise_stopped)
    from gluesim.simulator.iam import catalog

    catalog.actions("s3")  # load the action catalogue (for unknown-action warnings) before timing
    for case in CASES:
        pattern, subject = case["pattern"], case["subject"]
        ours = arn_matcher if case["kind"] == "arn" else glob_matcher
        theirs = backtracking_arn if case["kind"] == "arn" else backtracking_glob
        evaluator = _timed(_evaluator(case), args.cap)
        print(f"{case['name']}:\n  gluesim {_timed(lambda: ours(pattern)(subject), args.cap)}"
              f"  evaluator {evaluator}  backtracking {_timed(lambda: theirs(pattern)(subject), args.cap)}",
              flush=True)


if __name__ == "__main__":
    main()
