"""Benchmark ``gluesim audit``: the real sample account and a generated large account.

Run: ``.venv/bin/python bench/audit_bench.py [--roles 5000] [--policies 2000] [--users 500] [--groups 50] [--seed 7]``

1. sample: the real 824 KB account (salesforce/cloudsplaining ``examples/files/example.json``,
   copied in ``tests/simulator/importers/samples/authorization-details/``): import + audit.
2. generated: a GAAD export written to a temporary folder with 5,000 roles, 2,000 customer
   managed policies and 500 users in 50 groups (roles draw their managed policies from 300
   "profiles" and 30% also have an inline policy of their own, as teams stamp out roles from
   templates; 10% trust glue.amazonaws.com). Import + audit of every principal.

Each case runs in a fresh subprocess so the figures include importing gluesim, parsing,
compiling and evaluating, and peak memory (``ru_maxrss``) is the case's own. ``total_s`` is
wall time, ``cpu_s`` the process's CPU time (steadier on a busy machine).
Targets (issue 6): sample < 2 s; generated < 30 s and < 1 GiB.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "tests/simulator/importers/samples/authorization-details/cloudsplaining-example.json"
ACCOUNT = "111122223333"
ARN = f"arn:aws:iam::{ACCOUNT}"
SERVICES = {
    "glue": ["GetJob", "GetJobs", "CreateJob", "UpdateJob", "StartJobRun", "GetTable", "GetDatabases", "*", "Get*"],
    "s3": ["GetObject", "PutObject", "ListBucket", "ListAllMyBuckets", "GetBucketLocation", "*"],
    "iam": ["PassRole", "GetRole", "ListRoles", "ListRolePolicies", "ListAttachedRolePolicies"],
    "cloudwatch": ["GetDashboard", "ListDashboards", "PutDashboard"],
    "logs": ["CreateLogGroup", "CreateLogStream", "PutLogEvents"],
    "ec2": ["DescribeVpcs", "DescribeSubnets"],
    "kms": ["Decrypt", "GenerateDataKey"],
}


def statement(rnd: random.Random, index: int) -> dict:
    """One statement with realistic variety: wildcards, scoped resources, some conditions, a few denies."""
    service = rnd.choice(list(SERVICES))
    actions = sorted({f"{service}:{rnd.choice(SERVICES[service])}" for _ in range(rnd.randint(1, 4))})
    resource = rnd.choice(["*", "*", f"arn:aws:{service}:*:{ACCOUNT}:*", f"arn:aws:s3:::team-{index % 40}/*",
                           f"{ARN}:role/AWSGlueServiceRole-team{index % 40}"])
    out = {"Effect": "Deny" if rnd.random() < 0.05 else "Allow", "Action": actions, "Resource": resource}
    if rnd.random() < 0.2:
        out["Condition"] = {"StringEquals": {"aws:RequestedRegion": ["us-east-1", "eu-west-1"]}}
    return out


def document(rnd: random.Random, index: int) -> dict:
    return {"Version": "2012-10-17", "Statement": [statement(rnd, index) for _ in range(rnd.randint(1, 6))]}


def generated_gaad(roles: int, policies: int, users: int, groups: int, seed: int) -> dict:
    """A GAAD export of a large account, deterministic for a seed."""
    rnd = random.Random(seed)
    managed = [f"{ARN}:policy/team-policy-{i}" for i in range(policies)]
    out_policies = [
        {"PolicyName": f"team-policy-{i}", "Arn": arn, "Path": "/", "DefaultVersionId": "v1",
         "PolicyVersionList": [{"VersionId": "v1", "IsDefaultVersion": True, "Document": document(rnd, i),
                                "CreateDate": "2024-01-02T03:04:05Z"}]}
        for i, arn in enumerate(managed)
    ]
    aws = ["arn:aws:iam::aws:policy/AWSGlueConsoleFullAccess", "arn:aws:iam::aws:policy/service-role/AWSGlueServiceRole",
           "arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess"]
    profiles = [rnd.sample(managed, rnd.randint(1, 3)) + rnd.sample(aws, rnd.randint(0, 1)) for _ in range(300)]
    glue_trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "glue.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
    ec2_trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
    out_roles = []
    for i in range(roles):
        glue = rnd.random() < 0.1
        name = f"AWSGlueServiceRole-team{i}" if glue and i % 2 else f"app-role-{i}"
        inline = [{"PolicyName": "own", "PolicyDocument": document(rnd, i)}] if rnd.random() < 0.3 else []
        out_roles.append({"RoleName": name, "Arn": f"{ARN}:role/{name}", "Path": "/", "RoleId": f"AROA{i:016d}",
                          "CreateDate": "2024-01-02 03:04:05+00:00", "AssumeRolePolicyDocument": glue_trust if glue else ec2_trust,
                          "RolePolicyList": inline,
                          "AttachedManagedPolicies": [{"PolicyArn": a, "PolicyName": a.rsplit("/", 1)[1]} for a in rnd.choice(profiles)]})
    out_groups = [{"GroupName": f"group-{g}", "Arn": f"{ARN}:group/group-{g}", "Path": "/",
                   "AttachedManagedPolicies": [{"PolicyArn": a, "PolicyName": a.rsplit("/", 1)[1]} for a in rnd.choice(profiles)]}
                  for g in range(groups)]
    out_users = [{"UserName": f"user-{u}", "Arn": f"{ARN}:user/user-{u}", "Path": "/", "GroupList": [f"group-{u % groups}"],
                  "AttachedManagedPolicies": [{"PolicyArn": a, "PolicyName": a.rsplit("/", 1)[1]} for a in rnd.sample(aws, rnd.randint(0, 1))]}
                 for u in range(users)]
    return {"UserDetailList": out_users, "GroupDetailList": out_groups, "RoleDetailList": out_roles, "Policies": out_policies}


def run_case(path: Path) -> dict:
    """Import and audit ``path`` in this process; time and peak memory."""
    start, cpu = time.perf_counter(), time.process_time()
    from gluesim.simulator.audit import audit
    from gluesim.simulator.importers import import_scenario

    scenario, notices = import_scenario([path])
    imported = time.perf_counter()
    result = audit(scenario)
    done = time.perf_counter()
    return {
        "principals": len(result.principals), "job_roles": len(result.job_roles), "risky": len(result.risks),
        "import_s": round(imported - start, 2), "audit_s": round(done - imported, 2), "total_s": round(done - start, 2),
        "cpu_s": round(time.process_time() - cpu, 2),
        "peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def in_subprocess(path: Path) -> dict:
    code = f"import json, sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); import audit_bench; print(json.dumps(audit_bench.run_case(__import__('pathlib').Path({str(path)!r}))))"
    output = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--roles", type=int, default=5000)
    parser.add_argument("--policies", type=int, default=2000)
    parser.add_argument("--users", type=int, default=500)
    parser.add_argument("--groups", type=int, default=50)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    sample = in_subprocess(SAMPLE)
    print(f"sample (824 KB real account): {sample}  target: total < 2 s")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "gaad.json"
        path.write_text(json.dumps(generated_gaad(args.roles, args.policies, args.users, args.groups, args.seed)))
        size = path.stat().st_size / 1048576
        generated = in_subprocess(path)
    print(f"generated ({args.roles} roles, {args.policies} policies, {args.users} users in {args.groups} groups, "
          f"{size:.1f} MiB): {generated}  target: total < 30 s, peak < 1024 MiB")


if __name__ == "__main__":
    main()
