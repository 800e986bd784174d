"""One page per shipped AWS managed policy: what it grants that matters to Glue Studio.

The facts come from :func:`gluesim.kb.search.explain_policy` over the real policy
documents (the same answer ``gluesim explain <policy>`` prints, shown verbatim at the
end of the page); the site turns it into tables with links to the entries.
"""

from __future__ import annotations

import json
from typing import Any

from gluesim.cli.docsite.kb_pages import entry_link, policy_path
from gluesim.cli.docsite.project import Page, Section
from gluesim.cli.docsite.text import md_block, md_code, md_text, table


def policy_pages(kb: Any, names: list[str]) -> Section:
    """The managed-policies section: one page per shipped policy, sorted by name."""
    return Section("Managed policies", tuple(Page(policy_path(name), name, policy_page(kb, name)) for name in sorted(names)))


def policy_page(kb: Any, name: str) -> str:
    """The markdown page of one AWS managed policy."""
    from gluesim.cli.render.kb import answer_text
    from gluesim.kb.search import explain_policy
    from gluesim.simulator.policies import aws_managed

    here = policy_path(name)
    answer = explain_policy(kb, name)
    parts = [
        f"# {md_text(answer.name)}",
        f"ARN: {md_code(answer.arn or 'unknown')} · [AWS's page for this policy]({aws_page(answer.name)}) "
        "(its versions and the current document)",
        "## Why Glue Studio needs it\n\n"
        + ("\n".join(f"- {entry_link(here, kb, e.id)}" for e in answer.named_by)
           or "No knowledge-base entry names this policy; the tables below say what of it matters to Glue Studio."),
        "## What it grants that matters to Glue Studio\n\n" + _statements(kb, answer, here),
    ]
    if answer.not_granted:
        lacking = [f"- {md_text(who)}: " + ", ".join(md_code(a) for a in actions) for who, actions in answer.not_granted.items()]
        parts.append("## Not granted (needed by the knowledge base)\n\n" + "\n".join(lacking))
    parts.append(f"## As `gluesim explain {md_text(answer.name)}` prints it\n\n" + md_block(answer_text(answer)))
    document = json.loads(aws_managed()[answer.name].document)
    # The whole document stays on the page but out of the search index (ReadOnlyAccess alone
    # names thousands of actions, which would drown the pages that explain them).
    block = md_block(json.dumps(document, indent=2), "json")
    parts.append(f"## Policy document\n\n<div data-search-exclude markdown>\n\n{block}\n\n</div>")
    return "\n\n".join(parts) + "\n"


# AWS's Managed Policy Reference Guide has one page per AWS managed policy, named after it.
AWS_POLICY_PAGE = "https://docs.aws.amazon.com/aws-managed-policy/latest/reference/{name}.html"


def aws_page(name: str) -> str:
    """The address of AWS's own page for the managed policy ``name``."""
    from urllib.parse import quote

    return AWS_POLICY_PAGE.format(name=quote(name, safe=""))


def _statements(kb: Any, answer: Any, here: str) -> str:
    if not answer.statements:
        return "None of the IAM actions the knowledge base names."
    needed = kb.iam_actions()
    rows = []
    for use in answer.statements:
        statement = use.statement
        for action in use.kb_actions:
            rows.append(
                (
                    md_code(action),
                    md_text(statement.effect),
                    md_code(statement.label),
                    _resources(statement),
                    _conditions(statement),
                    "<br>".join(entry_link(here, kb, e.id) for e in needed.get(action, [])),
                )
            )
    return table(("Action", "Effect", "Statement", "Resources", "Conditions", "Needed by"), rows)


def _resources(statement: Any) -> str:
    if statement.not_resources:
        return "all but " + ", ".join(md_code(r) for r in statement.not_resources)
    return "<br>".join(md_code(r) for r in statement.resources)


def _conditions(statement: Any) -> str:
    return "<br>".join(
        f"{md_code(op)} {md_code(key)}: {md_code(json.dumps(value))}"
        for op, keys in statement.condition.items()
        for key, value in keys.items()
    )
