"""Benchmark ``gluesim audit`` of a whole organization: 20 accounts x 500 roles x 200 policies.

Run: ``.venv/bin/python bench/org_audit_bench.py [--accounts 20] [--roles 500] [--policies 200] [--jobs 1 2]``

Writes an organization folder to a temporary directory: the management account's Organizations
exports (describe-organization, list-roots, list-organizational-units-for-parent,
list-accounts-for-parent, list-policies, describe-policy, list-targets-for-policy: two OUs,
FullAWSAccess everywhere and a Region guardrail SCP on one OU) and, per account, the single-account
layout with an IAM export made by ``audit_bench.generated_gaad`` (500 roles drawing on 200 customer
managed policies, 50 users in 5 groups), ``caller.json``, ``region.txt`` and two buckets, one with
a bucket policy granting the next account, and a job role of each account trusted by the next one.

For each ``--jobs`` value it runs the import + audit of the whole folder in a fresh subprocess
(``audit_organization`` with that many worker processes, as ``gluesim audit DIR --jobs N`` does)
and prints the wall time, the CPU time, the peak memory of the main process and the largest
peak of one worker (``ru_maxrss`` of the process and of its children). Targets (issue 12):
under 30 s with 2 workers, under 1 GB.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import audit_bench  # noqa: E402

ORG = "o-exampleorgid"
ROOT = "r-examplerootid1"
OUS = ("ou-examplerootid1-data0001", "ou-examplerootid1-apps0001")
MANAGEMENT = "999999999999"
FULL = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
REGION_GUARD = {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "NotAction": ["iam:*", "sts:*"], "Resource": "*",
                                                        "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["us-east-1"]}}}]}


def write(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data))


def organization(folder: Path, accounts: list[str]) -> None:
    """The management account's Organizations exports."""
    org = folder / "organizations"
    write(org / "describe-organization.json", {"Organization": {"Id": ORG, "MasterAccountId": MANAGEMENT, "FeatureSet": "ALL"}})
    write(org / "roots.json", {"Roots": [{"Id": ROOT, "Name": "Root"}]})
    write(org / "ous" / f"{ROOT}.json", {"OrganizationalUnits": [{"Id": ou, "Name": ou} for ou in OUS]})
    write(org / "accounts" / f"{ROOT}.json", {"Accounts": [{"Id": MANAGEMENT, "Name": "management"}]})
    for index, ou in enumerate(OUS):
        write(org / "accounts" / f"{ou}.json", {"Accounts": [{"Id": a, "Name": a} for a in accounts[index::2]]})
    policies = [("p-FullAWSAccess", "FullAWSAccess", FULL, [ROOT, *OUS, MANAGEMENT, *accounts]),
                ("p-regionguard1", "RegionGuard", REGION_GUARD, [OUS[0]])]
    write(org / "policies.json", {"Policies": [{"Id": p, "Name": n, "Type": "SERVICE_CONTROL_POLICY"} for p, n, _, _ in policies]})
    for policy_id, name, document, targets in policies:
        write(org / "policies" / f"{policy_id}.json", {"Policy": {"PolicySummary": {
            "Id": policy_id, "Name": name, "Type": "SERVICE_CONTROL_POLICY"}, "Content": json.dumps(document)}})
        write(org / "targets" / f"{policy_id}.json", {"Targets": [{"TargetId": t, "Name": t} for t in targets]})


def account(folder: Path, account_id: str, following: str, args: argparse.Namespace, seed: int) -> None:
    """One account's export folder, with a bucket and a job role the following account may use."""
    gaad = audit_bench.generated_gaad(args.roles, args.policies, 50, 5, seed)
    text = json.dumps(gaad).replace(audit_bench.ACCOUNT, account_id)
    data = json.loads(text)
    data["RoleDetailList"][0]["AssumeRolePolicyDocument"] = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{following}:root"}, "Action": "sts:AssumeRole"}]}
    here = folder / "accounts" / account_id
    write(here / "gaad.json", data)
    write(here / "caller.json", {"Account": account_id, "Arn": f"arn:aws:iam::{account_id}:user/auditor", "UserId": "AIDA0"})
    (here / "region.txt").write_text("us-east-1\n")
    buckets = [f"data-{account_id}", f"scripts-{account_id}"]
    write(here / "s3" / "list-buckets.json", {"Buckets": [{"Name": b} for b in buckets]})
    shared = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{following}:root"},
                                                      "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{buckets[0]}/*"}]}
    write(here / "s3" / buckets[0] / "policy.json", {"Policy": json.dumps(shared)})
    (here / "s3" / buckets[1] / "policy.json").parent.mkdir(parents=True, exist_ok=True)
    (here / "s3" / buckets[1] / "policy.json").write_text("")
    for bucket in buckets:
        (here / "s3" / bucket / "encryption.json").write_text("")


def run_case(folder: str, jobs: int) -> dict:
    """Import and audit the organization folder in this process with ``jobs`` workers."""
    import resource
    import time

    start, cpu = time.perf_counter(), time.process_time()
    from gluesim.simulator.audit.organization import audit_organization
    from gluesim.simulator.importers import organization_plan

    org = organization_plan([folder])
    result = audit_organization(org, None, jobs)
    done = time.perf_counter()
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"accounts": len(result.accounts), "principals": sum(len(a.audit.principals) for a in result.accounts),
            "cross_account": len(result.cross), "total_s": round(done - start, 2),
            "cpu_s": round(own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime, 2),
            "main_peak_mib": round(own.ru_maxrss / 1024), "worker_peak_mib": round(children.ru_maxrss / 1024)}


def in_subprocess(folder: Path, jobs: int) -> dict:
    code = (f"import json, sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); import org_audit_bench as b; "
            f"print(json.dumps(b.run_case({str(folder)!r}, {jobs})))")
    output = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=20)
    parser.add_argument("--roles", type=int, default=500)
    parser.add_argument("--policies", type=int, default=200)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    accounts = [f"{100000000000 + i * 1111:012d}" for i in range(args.accounts)]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "org"
        organization(folder, accounts)
        for index, account_id in enumerate(accounts):
            account(folder, account_id, accounts[(index + 1) % len(accounts)], args, seed=index)
        size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1048576
        print(f"organization: {args.accounts} accounts x {args.roles} roles x {args.policies} policies, {size:.1f} MiB")
        for jobs in args.jobs:
            print(f"--jobs {jobs}: {in_subprocess(folder, jobs)}  target (2 workers): total < 30 s, < 1024 MiB")


if __name__ == "__main__":
    main()
