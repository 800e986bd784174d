"""Pages about the knowledge base: one per entry, the dependency graph, the IAM glossary.

Every page and navigation label is the entry's human title; the id follows as a small
badge. Page bodies come from the same render functions as ``gluesim explain``
(:mod:`gluesim.cli.render.kb`); the site adds only the links.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from gluesim.cli.docsite import graph_svg
from gluesim.cli.docsite.project import Page, Section
from gluesim.cli.docsite.text import html_link, id_badge, link, md_code, md_text, slug, table

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
    """A markdown link to an entry: its title, then its id as a small badge."""
    entry = kb.get(entry_id)
    return f"[{md_text(entry.title)}]({link(from_page, entry_path(entry.id))}) {id_badge(entry.id)}"


def entry_pages(kb: Any, policy_names: set[str]) -> Section:
    """The knowledge-base section: one page per entry, grouped by kind, titled by the entry's title."""
    sections = []
    for kind, title in KIND_SECTIONS:
        entries = [entry for entry in kb if entry.kind.value == kind]
        pages = tuple(Page(entry_path(e.id), e.title, entry_page(kb, e, policy_names)) for e in entries)
        if pages:
            sections.append(Section(title, pages))
    return Section("Knowledge base", tuple(sections))


def entry_page(kb: Any, entry: Any, policy_names: set[str]) -> str:
    """The markdown page of one entry: the CLI's own rendering, with links, then what it takes."""
    from gluesim.cli.render.kb import KIND_WORDS, entry_markdown

    here = entry_path(entry.id)
    blocks = kb.actions_needing(entry.id)
    parts = [
        entry_markdown(
            entry, kb.dependents(entry.id), heading="#", blocks=blocks,
            link=lambda key: entry_link(here, kb, key),
            badge=lambda e: f'{id_badge(e.id)} <span class="gluesim-kind">{KIND_WORDS[e.kind.value]}</span>',
        )
    ]
    if entry.kind.value == "action":
        parts.append(_steps_to(kb, entry, here))
    if entry.managed_policies:
        parts.append("## Managed policies\n\n" + _policy_list(entry.managed_policies, here, policy_names))
    return "\n\n".join(parts) + "\n"


def _steps_to(kb: Any, entry: Any, here: str) -> str:
    """Everything that must hold before this action works, in plan order (``gluesim plan <id>``)."""
    from gluesim.cli.render.plan import only_if_words
    from gluesim.kb.planner import plan

    steps = plan(kb, [entry.id]).steps
    lines = [
        f"{step.number}. {entry_link(here, kb, step.entry.id)}"
        + (f" *({md_text(only_if_words(step.only_if))})*" if step.only_if else "")
        for step in steps
    ]
    marked = " (steps marked *only if* are needed only with those features)" if any(s.only_if for s in steps) else ""
    return f"## Steps to get here\n\nThe plan `gluesim plan {entry.id}` prints, in order{marked}:\n\n" + "\n".join(lines)


def _policy_list(names: tuple[str, ...], here: str, policy_names: set[str]) -> str:
    items = []
    for name in names:
        shown = md_code(name)
        items.append(f"- [{shown}]({link(here, policy_path(name))})" if name in policy_names else f"- {shown}")
    return "\n".join(items)


def graph_nodes(kb: Any, from_page: str, ids: Iterable[str] | None = None) -> list[graph_svg.Node]:
    """Graph boxes for entries (default: all), each linking to its page, its title as the tooltip."""
    chosen = list(kb) if ids is None else [kb.get(key) for key in ids]
    return [graph_svg.Node(e.id, e.id, e.kind.value, html_link(from_page, entry_path(e.id)), e.title) for e in chosen]


def graph_page(kb: Any) -> Page:
    """The dependency graph drawn as SVG, each box linking to its entry."""
    svg = graph_svg.render(graph_nodes(kb, GRAPH_PAGE), kb.edges(), "Dependency graph of the Glue Studio setup")
    caption = ("Each box is a knowledge-base entry; an arrow goes from a step to what needs it. "
               "Glue Studio actions are shaded. Select a box to open its page.")
    text = (
        "---\nhide:\n  - navigation\n  - toc\n---\n\n"  # the graph needs the page's whole width
        "# Dependency graph\n\n"
        "Everything in one band (a wave) can be done side by side once the waves above it are done.\n"
        "The drawing fits the page; on a small screen, zoom in to read the boxes and scroll sideways.\n"
        "The plans draw only their own steps.\n\n"
        f"{graph_svg.figure(svg, caption, 'graph')}\n"
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
