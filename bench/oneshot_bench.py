"""One-shot IAM requests: every request brings its own policies, gluesim vs @cloud-copilot/iam-simulate.

Run: ``.venv/bin/python bench/oneshot_bench.py [--requests N] [--repeat R]``
(the reference evaluator runs too when ``bench/node`` has it: ``cd bench/node && npm install``;
it is a dev-only bench dependency, never shipped).

Workload (issue 11): each request brings 1-4 identity policies of 2-6 statements (action lists
with wildcards, ARN wildcards, conditions in about half of them), a resource policy for most
S3, KMS and Secrets Manager requests, a permissions boundary in one request of five and two SCP
levels in one of four; every policy text is new (unique Sids), passed as JSON text as boto3 passes
it. gluesim answers through ``simulate_custom_policy`` (``MatchedStatements`` positions included);
the reference through ``runSimulation``, parsing the same JSON text inside its timed loop. Both
run on the same machine in the same invocation, in alternating rounds (each round: R runs of
gluesim, then R runs of the reference in one node process), so that a slow spell of a shared
machine falls on both; each figure is the best run of CPU time over all rounds. Decisions are
compared request by request and the disagreements counted.

Target (issue 11): at least 10x the reference's requests per second.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import shutil
import subprocess
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from gluesim.simulator.iam import simulate_custom_policy
from gluesim.simulator.iam.policy import clear_caches

ACCOUNT = "111122223333"
OTHER = "444455556666"
NODE_DIR = Path(__file__).resolve().parent / "node"
ACTIONS = {
    "s3": (["GetObject", "PutObject", "DeleteObject"], "arn:aws:s3:::{name}-data/raw/{n}.csv"),
    "glue": (["GetJob", "StartJobRun", "UpdateJob"], "arn:aws:glue:us-east-1:{account}:job/{name}-etl"),
    "kms": (["Decrypt", "GenerateDataKey"], "arn:aws:kms:us-east-1:{account}:key/{name}-{n}"),
    "iam": (["PassRole", "GetRole"], "arn:aws:iam::{account}:role/service/{name}-role"),
    "secretsmanager": (["GetSecretValue"], "arn:aws:secretsmanager:us-east-1:{account}:secret:{name}-AbCdEf"),
    "logs": (["PutLogEvents", "CreateLogStream"], "arn:aws:logs:us-east-1:{account}:log-group:/aws-glue/{name}:"
                                                  "log-stream:run-{n}"),
}
RESOURCE_POLICY_SERVICES = ("s3", "kms", "secretsmanager")
NAMES = ["alpha", "beta", "gamma", "delta"]
CONDITIONS = [
    {"IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "192.168.0.0/16"]}},
    {"Bool": {"aws:SecureTransport": "true"}},
    {"StringEquals": {"aws:PrincipalTag/team": ["data", "ops"]}},
    {"StringLike": {"aws:PrincipalTag/team": "da*"}},
    {"DateLessThan": {"aws:CurrentTime": "2030-01-01T00:00:00Z"}},
    {"StringEquals": {"aws:RequestedRegion": "us-east-1"}},
]


def arn(service: str, rnd: random.Random, account: str = ACCOUNT) -> str:
    """A resource ARN of ``service``."""
    return ACTIONS[service][1].format(name=rnd.choice(NAMES), n=rnd.randint(0, 9), account=account)


def wildcarded(resource: str, rnd: random.Random) -> str:
    """``resource`` with a wildcard in its name, its region/account, or its tail."""
    choice = rnd.randint(0, 3)
    if choice == 0:
        return resource
    if choice == 1:
        return resource.rsplit("/", 1)[0] + "/*" if "/" in resource else resource.rsplit(":", 1)[0] + ":*"
    if choice == 2:
        return resource.replace("us-east-1", "*").replace(ACCOUNT, "*")
    return resource.replace(rnd.choice(NAMES), "*", 1).replace("alpha", "al*a")


def statement(rnd: random.Random, sid: str) -> dict[str, Any]:
    """A statement with action and ARN wildcards, sometimes a condition, sometimes a Deny."""
    service = rnd.choice(list(ACTIONS))
    names = ACTIONS[service][0]
    actions = [f"{service}:{rnd.choice(names)}" for _ in range(rnd.randint(1, 3))]
    if rnd.random() < 0.4:
        actions.append(rnd.choice([f"{service}:Get*", f"{service}:*", f"{service}:*Job*"]))
    result: dict[str, Any] = {"Sid": sid, "Effect": "Deny" if rnd.random() < 0.12 else "Allow", "Action": actions,
                              "Resource": [wildcarded(arn(service, rnd), rnd) for _ in range(rnd.randint(1, 2))]}
    if rnd.random() < 0.5:
        result["Condition"] = rnd.choice(CONDITIONS)
    return result


def policy(rnd: random.Random, tag: str, low: int = 2, high: int = 6) -> str:
    """A new policy text."""
    statements = [statement(rnd, f"{tag}S{i}") for i in range(rnd.randint(low, high))]
    return json.dumps({"Version": "2012-10-17", "Statement": statements}, indent=2)


def resource_policy(rnd: random.Random, service: str, resource: str, caller: str, tag: str) -> str:
    """A bucket, key or secret policy granting the caller, its account or everyone (with a condition)."""
    principal = rnd.choice([{"AWS": caller}, {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "*"])
    grant: dict[str, Any] = {"Sid": f"{tag}R0", "Effect": "Allow", "Principal": principal,
                             "Action": f"{service}:*", "Resource": wildcarded(resource, rnd)}
    if principal == "*":
        grant["Condition"] = {"StringEquals": {"aws:PrincipalAccount": ACCOUNT}}
    statements = [grant]
    if rnd.random() < 0.3:
        statements.append({"Sid": f"{tag}R1", "Effect": "Deny", "Principal": "*", "Action": f"{service}:*",
                           "Resource": resource, "Condition": {"Bool": {"aws:SecureTransport": "false"}}})
    return json.dumps({"Version": "2012-10-17", "Statement": statements}, indent=2)


def request(rnd: random.Random, i: int) -> dict[str, Any]:
    """One self-contained request: its policies as JSON text, the action, resource, caller and context."""
    service = rnd.choice(list(ACTIONS))
    caller = f"arn:aws:iam::{ACCOUNT}:user/u{rnd.randint(0, 9)}"
    resource = arn(service, rnd)
    item: dict[str, Any] = {
        "identity": [policy(rnd, f"Q{i}P{p}") for p in range(rnd.randint(1, 4))],
        "action": f"{service}:{rnd.choice(ACTIONS[service][0])}", "resource": resource, "caller": caller,
        "resourceAccount": ACCOUNT, "resourcePolicy": None, "boundary": None, "scps": None,
        "context": {"aws:SourceIp": rnd.choice(["10.1.2.3", "8.8.8.8"]), "aws:SecureTransport": rnd.choice(
            ["true", "false"]), "aws:CurrentTime": "2026-11-28T00:00:00Z", "aws:RequestedRegion": "us-east-1"},
    }
    if rnd.random() < 0.6:
        item["context"]["aws:PrincipalTag/team"] = rnd.choice(["data", "web"])
    if service in RESOURCE_POLICY_SERVICES and rnd.random() < 0.7:
        item["resourcePolicy"] = resource_policy(rnd, service, resource, caller, f"Q{i}")
    if rnd.random() < 0.2:
        item["boundary"] = [json.dumps({"Version": "2012-10-17", "Statement": [
            {"Sid": f"Q{i}B", "Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}]})]
    if rnd.random() < 0.25:
        item["scps"] = [[json.dumps({"Version": "2012-10-17", "Statement": [
            {"Sid": f"Q{i}Full", "Effect": "Allow", "Action": "*", "Resource": "*"}]})],
            [policy(rnd, f"Q{i}O", 1, 2), json.dumps({"Version": "2012-10-17", "Statement": [
                {"Sid": f"Q{i}Region", "Effect": "Deny", "NotAction": "iam:*", "Resource": "*",
                 "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["us-east-1", "eu-west-1"]}}}]})]]
    return item


def workload(n: int, seed: int) -> list[dict[str, Any]]:
    """``n`` requests, each with policies of its own."""
    rnd = random.Random(seed)
    return [request(rnd, i) for i in range(n)]


def _context_entries(context: dict[str, str]) -> list[dict[str, Any]]:
    types = {"aws:SourceIp": "ip", "aws:SecureTransport": "boolean", "aws:CurrentTime": "date"}
    return [{"ContextKeyName": k, "ContextKeyValues": [v], "ContextKeyType": types.get(k, "string")}
            for k, v in context.items()]


def gluesim_run(items: list[dict[str, Any]]) -> tuple[float, list[str]]:
    """CPU seconds for every request through simulate_custom_policy (caches emptied first), and the decisions."""
    calls = []
    for item in items:
        kwargs: dict[str, Any] = {"PolicyInputList": item["identity"], "ActionNames": [item["action"]],
                                  "ResourceArns": [item["resource"]], "CallerArn": item["caller"],
                                  "ContextEntries": _context_entries(item["context"])}
        if item["resourcePolicy"]:
            kwargs["ResourcePolicy"] = item["resourcePolicy"]
            kwargs["ResourceOwner"] = f"arn:aws:iam::{item['resourceAccount']}:root"
        if item["boundary"]:
            kwargs["PermissionsBoundaryPolicyInputList"] = item["boundary"]
        if item["scps"]:
            kwargs["ServiceControlPolicyInputList"] = item["scps"]
        calls.append(kwargs)
    clear_caches()
    gc.collect()
    decisions = []
    start = time.process_time()
    for kwargs in calls:
        decisions.append(simulate_custom_policy(**kwargs)["EvaluationResults"][0]["EvalDecision"])
    return time.process_time() - start, decisions


def reference_run(items: list[dict[str, Any]], repeat: int) -> dict[str, Any] | None:
    """The reference evaluator's best run on the same items, or None when it is not installed."""
    node = shutil.which("node")
    if node is None or not (NODE_DIR / "node_modules" / "@cloud-copilot" / "iam-simulate").is_dir():
        return None
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "workload.json"
        path.write_text(json.dumps(items))
        out = subprocess.run([node, str(NODE_DIR / "oneshot.mjs"), str(path), str(repeat)], cwd=NODE_DIR,
                             capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    """Run both evaluators on one workload and print requests per second and agreement."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--repeat", type=int, default=3, help="runs per round; the fastest run is reported")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds of gluesim and the reference")
    parser.add_argument("--skip-reference", action="store_true", help="time gluesim only")
    parser.add_argument("--show-disagreements", type=int, default=0, help="print this many disagreeing requests")
    args = parser.parse_args()
    items = workload(args.requests, args.seed)
    runs: list[tuple[float, list[str]]] = []
    references: list[dict[str, Any]] = []
    for _ in range(args.rounds):
        runs += [gluesim_run(items) for _ in range(args.repeat)]
        found = None if args.skip_reference else reference_run(items, args.repeat)
        if found is not None:
            references.append(found)
    seconds, decisions = min(runs, key=lambda run: run[0])
    print(f"gluesim: {len(items)} one-shot requests, {seconds:.3f} s CPU, {len(items) / seconds:,.0f} requests/s  "
          f"decisions {dict(sorted(Counter(decisions).items()))}")
    if args.skip_reference:
        return
    if not references:
        print("reference: not installed (cd bench/node && npm install)")
        return
    reference = min(references, key=lambda run: run["cpu"])
    theirs = reference["decisions"]
    print(f"reference @cloud-copilot/iam-simulate: {reference['cpu']:.3f} s CPU ({reference['wall']:.3f} s wall), "
          f"{len(items) / reference['cpu']:,.0f} requests/s  decisions {dict(sorted(Counter(theirs).items()))}")
    print(f"ratio: {reference['cpu'] / seconds:.1f}x")
    differ = [i for i, (a, b) in enumerate(zip(decisions, theirs)) if a != b]
    print(f"agreement: {len(items) - len(differ)} of {len(items)} decisions equal")
    for i in differ[:args.show_disagreements]:
        print(json.dumps({"gluesim": decisions[i], "reference": theirs[i], **items[i]}))


if __name__ == "__main__":
    main()
