"""Step plans for common goals, computed by the KB planner (the same as ``gluesim plan``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gluesim.cli.docsite.kb_pages import entry_link
from gluesim.cli.docsite.project import Page, Section
from gluesim.cli.docsite.text import md_text


@dataclass(frozen=True, slots=True)
class Goal:
    """A common thing to set up: page slug, title, one-line story and the KB goal ids."""

    slug: str
    title: str
    story: str
    goals: tuple[str, ...]


COMMON_GOALS = (
    Goal("s3-to-s3", "S3 to S3", "Build and run a job that reads from one S3 bucket and writes to another.",
         ("action.create-job-s3", "action.run-job")),
    Goal("s3-with-kms", "S3 to S3 with SSE-KMS", "The same job when the buckets are encrypted with a KMS key.",
         ("action.create-job-s3", "action.run-job", "job-role.kms-key-access")),
    Goal("data-catalog", "From the Data Catalog", "A job whose source is a Data Catalog table.",
         ("action.create-job-catalog", "action.run-job")),
    Goal("redshift", "From Amazon Redshift", "A job that reads from Amazon Redshift (and may run over an hour).",
         ("action.create-job-redshift", "action.run-job")),
    Goal("connector-in-vpc", "Marketplace connector in a VPC",
         "A job that uses an AWS Marketplace connector and runs inside a VPC.",
         ("action.create-job-vpc", "action.run-job")),
)


def plan_section(kb: Any, goals: tuple[Goal, ...] = COMMON_GOALS) -> Section:
    """One page per common goal whose ids all exist in ``kb``."""
    pages = tuple(plan_page(kb, goal) for goal in goals if all(g in kb for g in goal.goals))
    return Section("Step plans", pages)


def plan_page(kb: Any, goal: Goal) -> Page:
    """The plan for one goal, as ``gluesim plan --format markdown`` renders it, then links to each step."""
    from gluesim.cli.render.kb import plan_markdown
    from gluesim.kb.planner import plan

    here = f"plans/{goal.slug}.md"
    result = plan(kb, goal.goals)
    links = "\n".join(f"{step.number}. {entry_link(here, kb, step.entry.id)}" for step in result.steps)
    text = "\n\n".join([f"# {md_text(goal.title)}", md_text(goal.story), plan_markdown(result), "## Step pages\n\n" + links])
    return Page(here, goal.title, text + "\n")
