"""Benchmark the IAM evaluator: requests per second, varied corpus and cached account.

Run: ``.venv/bin/python bench/iam_bench.py [--requests N] [--seed S]``

1. varied: N requests (default 10,000), each against its own set of 1-3 policies (2-8
   statements each, drawn from a pool of 200 texts); a given share of the requests (10%, 25%,
   50%) brings a policy text never seen before, so parsing and compiling count. Time includes
   compile_policy for every policy of every request (cache hits for repeated texts); before
   each run every cache is emptied and the garbage of earlier runs collected.
2. cached: the same N requests against one fixed account's policies (the real AWS managed
   policies AWSGlueConsoleFullAccess and AWSGlueServiceRole plus a custom role policy, a
   permissions boundary and a bucket policy), compiled once.
Target (issue 3): at least 25,000 requests/s for the varied corpus on one core.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import time
from importlib.resources import files
from typing import Any

from gluesim.simulator.iam import PolicyType, Request, compile_policy, evaluate
from gluesim.simulator.iam.policy import clear_caches

ACCOUNT = "111122223333"
SERVICES = {
    "s3": ["GetObject", "PutObject", "DeleteObject", "ListBucket", "GetBucketLocation"],
    "glue": ["CreateJob", "GetJob", "GetJobs", "StartJobRun", "BatchDeleteJob", "GetTable", "UseGlueStudio"],
    "iam": ["PassRole", "GetRole", "ListRoles"],
    "cloudwatch": ["GetDashboard", "PutDashboard", "ListDashboards"],
    "kms": ["Decrypt", "GenerateDataKey"],
    "logs": ["CreateLogGroup", "PutLogEvents"],
}
OPERATORS = [("StringEquals", "aws:PrincipalTag/team", ["data", "ops"]),
             ("IpAddress", "aws:SourceIp", ["10.0.0.0/8", "192.168.0.0/16"]),
             ("Bool", "aws:SecureTransport", ["true"]),
             ("StringLike", "s3:prefix", ["home/${aws:username}/*"]),
             ("DateLessThan", "aws:CurrentTime", ["2030-01-01T00:00:00Z"]),
             ("ForAnyValue:StringEquals", "aws:TagKeys", ["env", "owner"])]


def resource_for(service: str, rnd: random.Random) -> str:
    """A resource ARN for ``service``."""
    name = rnd.choice(["alpha", "beta", "gamma", "delta"])
    return {
        "s3": f"arn:aws:s3:::{name}-bucket/data/{rnd.randint(0, 99)}.csv",
        "glue": f"arn:aws:glue:us-east-1:{ACCOUNT}:job/{name}",
        "iam": f"arn:aws:iam::{ACCOUNT}:role/AWSGlueServiceRole-{name}",
        "cloudwatch": f"arn:aws:cloudwatch::{ACCOUNT}:dashboard/{name}",
        "kms": f"arn:aws:kms:us-east-1:{ACCOUNT}:key/{name}",
        "logs": f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:/aws-glue/jobs/{name}:log-stream:x",
    }[service]


def random_statement(rnd: random.Random, tag: int) -> dict[str, Any]:
    """A statement with realistic variety (wildcards, lists, conditions)."""
    service = rnd.choice(list(SERVICES))
    actions = [f"{service}:{rnd.choice(SERVICES[service])}" for _ in range(rnd.randint(1, 4))]
    if rnd.random() < 0.3:
        actions.append(f"{service}:Get*")
    resource = resource_for(service, rnd)
    if rnd.random() < 0.5:
        resource = resource.rsplit("/", 1)[0] + "/*" if "/" in resource else "*"
    statement: dict[str, Any] = {"Sid": f"S{tag}", "Effect": "Deny" if rnd.random() < 0.15 else "Allow",
                                 "Action": actions, "Resource": [resource, resource_for(service, rnd)]}
    if rnd.random() < 0.4:
        op, key, values = rnd.choice(OPERATORS)
        statement["Condition"] = {op: {key: values}}
    return statement


def random_policy(rnd: random.Random, tag: int) -> str:
    """A new policy text (its Sids make it unique)."""
    statements = [random_statement(rnd, tag * 100 + i) for i in range(rnd.randint(2, 8))]
    return json.dumps({"Version": "2012-10-17", "Statement": statements}, indent=2)


def random_request(rnd: random.Random) -> Request:
    """A request from a user with a varied context."""
    service = rnd.choice(list(SERVICES))
    context: dict[str, tuple[str, ...]] = {"aws:SourceIp": (rnd.choice(["10.1.2.3", "8.8.8.8", "2001:db8::1"]),),
                                           "aws:SecureTransport": (rnd.choice(["true", "false"]),),
                                           "aws:CurrentTime": ("2026-11-28T00:00:00Z",)}
    if rnd.random() < 0.5:
        context["aws:PrincipalTag/team"] = (rnd.choice(["data", "web"]),)
    if rnd.random() < 0.3:
        context["aws:TagKeys"] = ("env", "cost")
    return Request(f"{service}:{rnd.choice(SERVICES[service])}", resource_for(service, rnd),
                   principal_arn=f"arn:aws:iam::{ACCOUNT}:user/u{rnd.randint(0, 9)}", principal_type="User",
                   principal_account=ACCOUNT, context=context)


def varied_corpus(n: int, seed: int, new_fraction: float = 0.5) -> list[tuple[Request, list[str]]]:
    """``n`` requests, each with 1-3 policy texts; ``new_fraction`` of them bring a new text."""
    rnd = random.Random(seed)
    pool = [random_policy(rnd, i) for i in range(200)]
    corpus = []
    for i in range(n):
        texts = [rnd.choice(pool) for _ in range(rnd.randint(1, 3))]
        if rnd.random() < new_fraction:
            texts[0] = random_policy(rnd, 1000 + i)
        corpus.append((random_request(rnd), texts))
    return corpus


def managed(name: str) -> str:
    """The text of an AWS managed policy shipped with gluesim (its policy document)."""
    data = json.loads((files("gluesim.simulator") / "data/aws-managed-policies" / f"{name}.json").read_text())
    document = data.get("PolicyVersion", {}).get("Document", data.get("Document", data))
    return json.dumps(document, indent=2)


def bench_varied(corpus: list[tuple[Request, list[str]]]) -> tuple[float, int, dict[str, int]]:
    """CPU seconds for the varied corpus (caches emptied first), distinct texts compiled, decisions tally."""
    clear_caches()
    _collect()
    tally: dict[str, int] = {}
    start = time.process_time()
    for req, texts in corpus:
        policies = [compile_policy(t, f"p{i}", PolicyType.IDENTITY) for i, t in enumerate(texts)]
        decision = evaluate(req, policies).decision
        tally[decision] = tally.get(decision, 0) + 1
    elapsed = time.process_time() - start
    return elapsed, len({t for _, texts in corpus for t in texts}), _words(tally)


def _collect() -> None:
    """Collect the garbage of earlier runs before timing this one (the garbage collector stays on).

    Compiled policies are no longer reference cycles (they are freed as soon as clear_caches()
    forgets them), but other garbage of an earlier run may be; collecting it here keeps every
    timed run starting from the same state.
    """
    gc.collect()


def _words(tally: dict[Any, int]) -> dict[str, int]:
    return {decision.value: count for decision, count in sorted(tally.items(), key=lambda item: item[0].value)}


def bench_cached(corpus: list[tuple[Request, list[str]]]) -> tuple[float, dict[str, int]]:
    """Seconds for the corpus's requests against one fixed, pre-compiled account."""
    identity = [compile_policy(managed("AWSGlueConsoleFullAccess"), "AWSGlueConsoleFullAccess", PolicyType.IDENTITY),
                compile_policy(managed("AWSGlueServiceRole"), "AWSGlueServiceRole", PolicyType.IDENTITY),
                compile_policy(random_policy(random.Random(7), 7), "custom", PolicyType.IDENTITY)]
    boundary = [compile_policy('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "NotAction": "iam:*", '
                               '"Resource": "*"}]}', "boundary", PolicyType.PERMISSIONS_BOUNDARY)]
    tally: dict[str, int] = {}
    _collect()
    start = time.process_time()
    for req, _ in corpus:
        decision = evaluate(req, identity, boundary_policies=boundary).decision
        tally[decision] = tally.get(decision, 0) + 1
    return time.process_time() - start, _words(tally)


def main() -> None:
    """Run both benchmarks and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure; the fastest is reported")
    parser.add_argument("--new-fraction", type=float, action="append",
                        help="share of requests bringing a never-seen policy (repeatable; default 0.1 0.25 0.5)")
    args = parser.parse_args()
    print("CPU seconds (time.process_time), best of", args.repeat, "runs; caches emptied and garbage collected "
          "before each run")
    for fraction in args.new_fraction or [0.1, 0.25, 0.5]:
        corpus = varied_corpus(args.requests, args.seed, fraction)
        runs = [bench_varied(corpus) for _ in range(args.repeat)]
        elapsed, distinct, tally = min(runs, key=lambda run: run[0])
        print(f"varied ({fraction:.0%} new policies): {len(corpus)} requests, {distinct} distinct policy texts, "
              f"{elapsed:.3f} s, {len(corpus) / elapsed:,.0f} requests/s  decisions {tally}")
    best = min((bench_cached(corpus) for _ in range(args.repeat)), key=lambda run: run[0])
    print(f"cached: {len(corpus)} requests against a fixed account, {best[0]:.3f} s, "
          f"{len(corpus) / best[0]:,.0f} requests/s  decisions {best[1]}")


if __name__ == "__main__":
    main()
