"""The guide's Organizations export script, run against a stand-in ``aws`` command that answers
from the organization fixture (``organization/organizations``, see its SOURCES.md): what it writes
is what gluesim reads."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from gluesim.simulator.importers import import_organization, organization_plan

HERE = Path(__file__).parent
GUIDE = HERE.parents[2] / "docs" / "guides" / "export-bundle.md"
ORG = HERE / "organization"

FAKE_AWS = r'''#!{python}
"""A stand-in for 'aws organizations ...' answering from files (no network, no credentials)."""
import json, sys
from pathlib import Path

S = Path({answers!r})
args = sys.argv[1:]
def option(name):
    return args[args.index(name) + 1] if name in args else None
command = args[1]
files = {{
    "describe-organization": S / "describe-organization.json",
    "list-roots": S / "roots.json",
    "list-policies": S / "policies.json",
    "list-organizational-units-for-parent": S / "ous" / f"{{option('--parent-id')}}.json",
    "list-accounts-for-parent": S / "accounts" / f"{{option('--parent-id')}}.json",
    "describe-policy": S / "policies" / f"{{option('--policy-id')}}.json",
    "list-targets-for-policy": S / "targets" / f"{{option('--policy-id')}}.json",
}}
empty = {{"list-organizational-units-for-parent": {{"OrganizationalUnits": []}}, "list-accounts-for-parent": {{"Accounts": []}}}}
path = files[command]
data = json.loads(path.read_text()) if path.is_file() else empty[command]
if option("--output") == "text" and option("--query"):
    key, field = option("--query").split("[].")
    print("\t".join(item[field] for item in data[key]))
else:
    print(json.dumps(data, indent=4))
'''


def org_script() -> str:
    return re.findall(r"```bash\n(.*?)```", GUIDE.read_text(), flags=re.S)[1]


def test_the_organizations_script_writes_what_gluesim_reads(tmp_path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    aws = bin_dir / "aws"
    aws.write_text(FAKE_AWS.format(python=sys.executable, answers=str(ORG / "organizations")))
    aws.chmod(0o755)
    folder = tmp_path / "org-export"
    shutil.copytree(ORG / "accounts", folder / "accounts")
    script = tmp_path / "org.sh"
    script.write_text(org_script())
    done = subprocess.run(["bash", str(script)], cwd=folder, capture_output=True, text=True,
                          env={"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    plan = organization_plan([folder])
    assert plan.account_ids == ("123456789012", "444455556666") and plan.ignored == ()
    written, expected = import_organization(plan), import_organization(organization_plan([ORG]))
    assert [s.account.organization for s, _ in written] == [s.account.organization for s, _ in expected]
