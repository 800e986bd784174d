"""Step plans for common kinds of job, computed by the KB planner (the same as ``gluesim plan --with``).

Each plan is for one kind of job with exactly its features, so a plain S3 job's plan asks
for no KMS or Kinesis permission; the generic plan of everything marks what applies only
with some features. Each page draws a small graph of its own steps.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gluesim.cli.docsite import graph_svg
from gluesim.cli.docsite.kb_pages import entry_link, graph_nodes
from gluesim.cli.docsite.project import Page, Section
from gluesim.cli.docsite.text import md_code, md_text


@dataclass(frozen=True, slots=True)
class Goal:
    """A common thing to set up: page slug, title, one-line story, the KB goal ids and the job's features."""

    slug: str
    title: str
    story: str
    goals: tuple[str, ...]
    features: tuple[str, ...] = ()


COMMON_GOALS = (
    Goal("s3-to-s3", "S3 to S3", "Build and run a job that reads from one S3 bucket and writes to another.",
         ("action.create-job-s3", "action.run-job")),
    Goal("s3-with-kms", "S3 to S3 with SSE-KMS", "The same job when the buckets are encrypted with a KMS key.",
         ("action.create-job-s3", "action.run-job"), ("kms",)),
    Goal("data-catalog", "From the Data Catalog", "A job whose source is a Data Catalog table, written to S3.",
         ("action.create-job-catalog", "action.run-job")),
    Goal("redshift", "From Amazon Redshift", "A job that reads from Amazon Redshift and may run over an hour.",
         ("action.create-job-redshift", "action.run-job"), ("long-running", "non-s3-store")),
    Goal("kinesis", "From a Kinesis data stream", "A streaming job that reads a Kinesis data stream.",
         ("action.create-job-streaming", "action.run-job"), ("kinesis-source", "non-s3-store")),
    Goal("connector-in-vpc", "Marketplace connector in a VPC",
         "A job that uses an AWS Marketplace connector, with its credentials in Secrets Manager, inside a VPC "
         "that also needs the internet.",
         ("action.create-job-vpc", "action.run-job"),
         ("marketplace-connector", "connection-secret", "internet", "non-s3-store")),
)
EVERYTHING = "plans/everything.md"
PLAN_GRAPH_WIDTH = 680  # the width of a page's text column beside the navigation, so it is drawn at full size


def plan_section(kb: Any, goals: tuple[Goal, ...] = COMMON_GOALS) -> Section:
    """One page per common goal whose ids all exist in ``kb``, then the generic plan of everything."""
    pages = [plan_page(kb, goal) for goal in goals if all(g in kb for g in goal.goals)]
    return Section("Step plans", (*pages, everything_page(kb)))


def plan_page(kb: Any, goal: Goal) -> Page:
    """The plan for one kind of job, as ``gluesim plan GOALS --with FEATURES`` computes it, with its graph."""
    from gluesim.kb.planner import plan

    here = f"plans/{goal.slug}.md"
    result = plan(kb, goal.goals, features=goal.features)
    shorts = " ".join(g.removeprefix("action.") for g in goal.goals)
    command = f"gluesim plan {shorts} --with {','.join(goal.features) or 'none'}"
    text = "\n\n".join([
        f"# {md_text(goal.title)}",
        md_text(goal.story),
        f"The plan for exactly this kind of job ({md_code(command)}): {len(result.steps)} steps in "
        f"{len(result.waves)} waves, each wave's steps side by side once the waves above are done.",
        _graph(kb, result, here, goal.slug),
        _steps(kb, result, here),
        _left_out(kb, result, here),
    ])
    return Page(here, goal.title, text + "\n")


def everything_page(kb: Any) -> Page:
    """The generic plan of every action and practice: the whole setup path, conditional steps marked."""
    from gluesim.kb.planner import plan

    result = plan(kb)
    text = "\n\n".join([
        "# Everything, in waves",
        "The plan `gluesim plan` prints for every Glue Studio action and practice. Everything in one "
        "wave can be done side by side once the earlier waves are done. Steps needed only with some "
        "features (a KMS key, a VPC, a connector, ...) say so; the plans for one kind of job leave "
        "them out.",
        _steps(kb, result, EVERYTHING),
    ])
    return Page(EVERYTHING, "Everything, in waves", text + "\n")


def _left_out(kb: Any, result: Any, here: str) -> str:
    if not result.not_applicable:
        return ""
    items = "\n".join(f"    - {entry_link(here, kb, key)}" for key in result.not_applicable)
    return f'??? info "Left out: {len(result.not_applicable)} steps that other kinds of job need"\n\n{items}'


def _graph(kb: Any, result: Any, here: str, key: str) -> str:
    ids = [step.entry.id for step in result.steps]
    inside = set(ids)
    edges = [(a, b) for a, b in kb.edges() if a in inside and b in inside]
    svg = graph_svg.render(graph_nodes(kb, here, ids), edges, "The steps of this plan and how they depend on each other",
                           width=PLAN_GRAPH_WIDTH)
    return graph_svg.figure(svg, "Only this plan's steps; an arrow goes from a step to what needs it.", key)


def _steps(kb: Any, result: Any, here: str) -> str:
    from gluesim.cli.render.plan import plan_markdown

    return plan_markdown(result, link=lambda key: entry_link(here, kb, key))
