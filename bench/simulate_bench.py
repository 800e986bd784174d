"""Benchmark ``gluesim simulate``: time and peak memory for the default and a large generated scenario.

Run: ``.venv/bin/python bench/simulate_bench.py [--users 1000] [--roles 1000] [--jobs 100]``

1. default: the built-in default scenario (load + simulate), and fix.
2. generated: an account with N users (each in a group, with an inline policy), M roles
   (trust policy, AWSGlueServiceRole, an inline S3 policy), J jobs spread over the users and
   roles (S3 source and target, every fifth job in a VPC through a JDBC connection, every
   seventh on an SSE-KMS bucket), written to a temporary YAML file; load, simulate, fix.
Time is one cold run; peak memory (tracemalloc, Python allocations) a second run of the same phase
with the evaluator's caches cleared; ru_maxrss of the whole process is printed at the end.
Target: the 1,000/1,000/100 scenario simulates in well under the time a person waits (< 5 s).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from importlib.resources import as_file, files
from pathlib import Path
from typing import Any

ACCOUNT = "123456789012"


def _policy(actions: list[str], resources: list[str]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": actions, "Resource": resources}]}


def generated(users: int, roles: int, jobs: int) -> dict[str, Any]:
    """A large scenario as plain data (see the module docstring)."""
    data: dict[str, Any] = {
        "name": f"generated-{users}-{roles}-{jobs}",
        "account": {"id": ACCOUNT, "region": "us-east-1"},
        "groups": [{"name": "studio", "managed_policies": ["AWSGlueConsoleFullAccess"]}],
        "users": [{"name": f"user{i}", "console_access": True, "groups": ["studio"],
                   "inline_policies": {"Dashboards": _policy(["cloudwatch:GetDashboard"], ["*"])}}
                  for i in range(users)],
        "roles": [{"name": f"AWSGlueServiceRole-{i}" if i % 3 else f"EtlRole{i}",
                   "trusted_services": ["glue.amazonaws.com"], "managed_policies": ["AWSGlueServiceRole"],
                   "inline_policies": {"Data": _policy(["s3:ListBucket", "s3:GetObject", "s3:PutObject"],
                                                       [f"arn:aws:s3:::data-{i % 50}", f"arn:aws:s3:::data-{i % 50}/*"])}}
                  for i in range(roles)],
        "kms_keys": [{"id": "key-1", "aliases": ["alias/data"]}],
        "buckets": [{"name": f"data-{b}", **({"encryption": "SSE-KMS", "kms_key": "alias/data"} if b % 7 == 0 else {})}
                    for b in range(50)],
        "vpcs": [{"id": "vpc-1", "route_tables": [{"id": "rtb-1", "main": True}],
                  "subnets": [{"id": "subnet-1"}],
                  "security_groups": [{"id": "sg-1", "inbound": [{"protocol": "tcp", "peer": "sg-1"}]}]}],
        "data_stores": [{"name": "orders", "public": True}],
        "connections": [{"name": "orders-jdbc", "data_store": "orders", "subnet": "subnet-1",
                         "security_groups": ["sg-1"]}],
        "jobs": [],
    }
    for j in range(jobs):
        job: dict[str, Any] = {"name": f"job{j}", "created_by": f"user{j % users}", "run_by": f"user{(j * 7) % users}",
                               "role": data["roles"][j % roles]["name"],
                               "sources": [{"s3": f"s3://data-{j % 50}/in/"}],
                               "targets": [{"s3": f"s3://data-{(j + 1) % 50}/out/"}]}
        if j % 5 == 0:
            job["connections"] = ["orders-jdbc"]
        data["jobs"].append(job)
    return data


def reset_caches() -> None:
    """Forget every cached load and compilation, so a second run costs what a first one does."""
    from gluesim.kb import loader
    from gluesim.simulator import policies
    from gluesim.simulator.scenario import format as scenario_schema
    from gluesim.simulator.iam.policy import clear_caches

    clear_caches()
    for cached in (loader.load, policies.aws_managed, policies.aws_managed_by_arn, scenario_schema.schema):
        cached.cache_clear()


def measure(label: str, function: Callable[[], Any]) -> Any:
    """Time ``function`` (cold), then run it again under tracemalloc, caches cleared, for its peak.

    Timing and memory are separate runs because tracemalloc slows Python down several times.
    """
    start = time.perf_counter()
    result = function()
    elapsed = time.perf_counter() - start
    reset_caches()
    tracemalloc.start()
    function()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{label:44} {elapsed * 1000:9.1f} ms   peak {peak / 1048576:7.1f} MiB")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--roles", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=100)
    args = parser.parse_args()

    from gluesim.kb.loader import load as load_kb
    from gluesim.simulator import scenario
    from gluesim.simulator.engine import simulate
    from gluesim.simulator.fix import fix

    measure("knowledge base load (once per process)", load_kb)
    with as_file(files("gluesim.simulator") / "data/scenarios/default.yaml") as default_path:
        default = measure("default scenario: load", lambda: scenario.load(default_path))
    report = measure("default scenario: simulate", lambda: simulate(default))
    print(f"  {len(report.results)} results, counts {report.counts()}")
    measure("default scenario: fix", lambda: fix(default))

    data = generated(args.users, args.roles, args.jobs)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "generated.yaml"
        path.write_text(json.dumps(data, indent=1), encoding="utf-8")
        size = path.stat().st_size
        big = measure(f"generated ({size / 1048576:.1f} MiB YAML): load", lambda: scenario.load(path))
    report = measure(f"generated {args.users}u/{args.roles}r/{args.jobs}j: simulate", lambda: simulate(big))
    print(f"  {len(report.results)} results, counts {report.counts()}")
    result = measure(f"generated {args.users}u/{args.roles}r/{args.jobs}j: fix", lambda: fix(big))
    print(f"  {len(result.steps)} fix steps; passes after fix: {result.after.passed}")
    import resource

    print(f"process peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
