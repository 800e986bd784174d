"""The generated markdown of a small knowledge base, compared with reviewed golden files.

Regenerate after an intended change with ``GLUESIM_REGEN_GOLDEN=1`` and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from gluesim.cli.docsite import site
from gluesim.kb.model import Basis, DocumentedIn, Entry, Feature, Kind, KnowledgeBase, Permission, Principal, Source

GOLDEN = Path(__file__).parent / "golden"
PAGE_URL = "https://docs.aws.amazon.com/glue/latest/ug/setting-up.html"


def entry(entry_id: str, kind: Kind, title: str, depends_on: tuple[str, ...] = (), **extra: object) -> Entry:
    """A small KB entry with our own test wording."""
    return Entry(
        id=entry_id,
        kind=kind,
        title=title,
        summary=f"Why {title.lower()} matters.",
        depends_on=depends_on,
        source=Source("Setting up", f"{PAGE_URL}#{entry_id.replace('.', '-')}"),
        permissions=extra.pop("permissions", ()),  # type: ignore[arg-type]
        applies_when=extra.pop("applies_when", ()),  # type: ignore[arg-type]
        remediation=f"Make sure that {title[0].lower()}{title[1:]}.",
        basis=Basis.STATED,
        **extra,  # type: ignore[arg-type]
    )


def small_kb() -> KnowledgeBase:
    """Eight entries: two steps, two requirements, four actions, with IAM actions and a managed policy."""
    write = Permission(("s3:PutObject", "s3:DeleteObject"), ("arn:aws:s3:::{target_bucket}/*",), Principal.JOB_ROLE,
                       DocumentedIn.SERVICE_AUTHORIZATION_REFERENCE)
    batch = Permission(("glue:BatchDeleteJob",), ("*",), Principal.USER, DocumentedIn.GLUE_STUDIO_SETUP_PAGE_ONLY,
                       note="Only the Glue Studio page names it.")
    entries = [
        entry("account.sign-up", Kind.STEP, "An AWS account exists"),
        entry("iam.glue-job-role", Kind.STEP, "A job role exists", ("account.sign-up",),
              managed_policies=("AWSGlueServiceRole",)),
        entry("job-role.s3-target-write", Kind.REQUIREMENT, "The job role can write the target", ("iam.glue-job-role",),
              permissions=(write,), applies_when=(Feature.S3,)),
        entry("user.batch-delete-jobs", Kind.REQUIREMENT, "The user can delete jobs at once", ("account.sign-up",),
              permissions=(batch,)),
        entry("action.open-glue-studio", Kind.ACTION, "Open Glue Studio", ("account.sign-up",)),
        entry("action.create-job-s3", Kind.ACTION, "Create an S3 job", ("action.open-glue-studio", "job-role.s3-target-write")),
        entry("action.run-job", Kind.ACTION, "Run the job", ("action.create-job-s3",)),
        entry("action.delete-jobs", Kind.ACTION, "Delete jobs", ("action.open-glue-studio", "user.batch-delete-jobs")),
    ]
    return KnowledgeBase({e.id: e for e in entries})


def generated() -> dict[str, str]:
    """Every generated file of the small site, by path."""
    result = site.generate(small_kb(), ["AWSGlueServiceRole"], [], "Small <site>")
    files = {f"docs/{page.path}": page.text for page in result.pages()}
    files["mkdocs.yml"] = yaml.safe_dump(result.config(), sort_keys=False, allow_unicode=True)
    return files


def test_generated_pages_match_the_golden_files() -> None:
    files = generated()
    if os.environ.get("GLUESIM_REGEN_GOLDEN"):
        for relative, text in files.items():
            (GOLDEN / relative).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / relative).write_text(text, encoding="utf-8")
    on_disk = {p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*") if p.is_file()}
    assert on_disk == set(files), "stale or missing golden files; regenerate with GLUESIM_REGEN_GOLDEN=1"
    for relative, text in files.items():
        assert text == (GOLDEN / relative).read_text(encoding="utf-8"), relative


@pytest.mark.parametrize("entry_id", [e for e in small_kb().entries])
def test_each_small_kb_entry_has_a_page_linking_its_neighbours(entry_id: str) -> None:
    kb = small_kb()
    text = generated()[f"docs/kb/{entry_id}.md"]
    for neighbour in (*kb.get(entry_id).depends_on, *kb.dependents(entry_id)):
        assert f"]({neighbour}.md)" in text
