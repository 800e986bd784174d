"""Pages about the knowledge base: one per entry, the dependency graph, the IAM glossary.

Page bodies come from the same render functions as ``gluesim explain`` when they are
available (:mod:`gluesim.cli.render.kb`); the site adds only the cross-links.
"""

from __future__ import annotations

import re
from typing import Any

from gluesim.cli.docsite import graph_svg
from gluesim.cli.docsite.project import Page, Section
from gluesim.cli.docsite.text import html_link, link, md_code, md_text, slug, table

KIND_SECTIONS = (
    ("action", "Glue Studio actions"),
    ("step", "Setup steps"),
    ("requirement", "Requirements"),
    ("practice", "Practices"),
    ("schema-source", "Schema sources"),
)
GRAPH_PAGE = "graph.md"
_SAFE_ID = re.compile(r"^[a-z0-9]+(?:[.-][a-z0-9]+)*$")
GLOSSARY_PAGE = "glossary.md"


def entry_path(entry_id: str) -> str:
    """The page of a KB entry: ``kb/<id>.md`` for well-formed ids, a slug otherwise."""
    name = entry_id if _SAFE_ID.match(entry_id) else slug(entry_id, "entry")
    return f"kb/{name}.md"


def policy_path(name: str) -> str:
    """The page of a managed policy."""
    return f"policies/{slug(name, 'policy')}.md"


def entry_link(from_page: str, kb: Any, entry_id: str) -> str:
    """A markdown link to an entry, showing its id and title."""
    entry = kb.get(entry_id)
    return f"[{md_code(entry.id)}]({link(from_page, entry_path(entry.id))}) {md_text(entry.title)}"


def entry_pages(kb: Any, policy_names: set[str]) -> Section:
    """The knowledge-base section: one page per entry, grouped by kind."""
    sections = []
    for kind, title in KIND_SECTIONS:
        entries = [entry for entry in kb if entry.kind.value == kind]
        pages = tuple(Page(entry_path(e.id), e.id, entry_page(kb, e, policy_names)) for e in entries)
        if pages:
            sections.append(Section(title, pages))
    return Section("Knowledge base", tuple(sections))


def entry_page(kb: Any, entry: Any, policy_names: set[str]) -> str:
    """The markdown page of one entry: the CLI's own rendering, then the cross-links."""
    from gluesim.cli.render.kb import entry_markdown

    here = entry_path(entry.id)
    parts = [entry_markdown(entry, kb.dependents(entry.id), heading="#"), _related(kb, entry, here)]
    if entry.kind.value == "action":
        parts.append(_steps_to(kb, entry, here))
    if entry.managed_policies:
        parts.append("## Managed policies\n\n" + _policy_list(entry.managed_policies, here, policy_names))
    return "\n\n".join(parts) + "\n"


def _steps_to(kb: Any, entry: Any, here: str) -> str:
    """Everything that must hold before this action works, in plan order (``gluesim plan <id>``)."""
    from gluesim.kb.planner import plan

    steps = plan(kb, [entry.id]).steps
    lines = [f"{step.number}. {entry_link(here, kb, step.entry.id)}" for step in steps]
    return f"## Steps to get here\n\nThe plan `gluesim plan {entry.id}` prints, in order:\n\n" + "\n".join(lines)


def _related(kb: Any, entry: Any, here: str) -> str:
    deps = [f"- {entry_link(here, kb, dep)}" for dep in entry.depends_on] or ["- nothing"]
    needed = [f"- {entry_link(here, kb, dep)}" for dep in kb.dependents(entry.id)] or ["- nothing"]
    return "## Depends on\n\n" + "\n".join(deps) + "\n\n## Needed by\n\n" + "\n".join(needed)


def _policy_list(names: tuple[str, ...], here: str, policy_names: set[str]) -> str:
    items = []
    for name in names:
        shown = md_code(name)
        items.append(f"- [{shown}]({link(here, policy_path(name))})" if name in policy_names else f"- {shown}")
    return "\n".join(items)


def graph_page(kb: Any) -> Page:
    """The dependency graph drawn as SVG, each box linking to its entry."""
    nodes = [
        graph_svg.Node(e.id, e.id, e.kind.value, html_link(GRAPH_PAGE, entry_path(e.id)), e.title) for e in kb
    ]
    svg = graph_svg.render(nodes, kb.edges(), "Dependency graph of the Glue Studio setup")
    text = (
        "---\nhide:\n  - navigation\n  - toc\n---\n\n"  # the graph needs the page's whole width
        "# Dependency graph\n\n"
        "Each box is a knowledge-base entry; an arrow goes from a step to what needs it, so\n"
        "everything in one column can be done side by side once the columns to its left are done.\n"
        "Glue Studio actions are shaded. Select a box to open its page.\n\n"
        f'<div class="gluesim-graph" data-search-exclude markdown="0">\n{svg}\n</div>\n'
    )
    return Page(GRAPH_PAGE, "Dependency graph", text)


def glossary_page(kb: Any) -> Page:
    """Every IAM action the KB mentions, with the entries that need it."""
    parts = [
        "# IAM actions",
        "Every IAM action named by the knowledge base, and the steps and requirements that need it.",
    ]
    by_service: dict[str, list[tuple[str, list[Any]]]] = {}
    for action, entries in kb.iam_actions().items():
        by_service.setdefault(action.split(":", 1)[0], []).append((action, entries))
    for service, actions in sorted(by_service.items()):
        rows = [
            (md_code(action), "<br>".join(entry_link(GLOSSARY_PAGE, kb, e.id) for e in entries))
            for action, entries in actions
        ]
        parts.append(f"## {md_text(service)}\n\n" + table(("Action", "Needed by"), rows))
    return Page(GLOSSARY_PAGE, "IAM actions", "\n\n".join(parts) + "\n")
