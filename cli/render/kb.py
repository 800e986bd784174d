"""Pure render functions for the knowledge base: entries, explain answers, plans, graphs.

Each function takes KB objects and returns text (plain or markdown) or JSON-able data;
nothing here prints, reads files or loads the KB, so the CLI and the docs site share them.
JSON shapes are documented in docs/reference/json-output.md.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from gluesim.kb.model import Entry, KnowledgeBase, Permission

if TYPE_CHECKING:  # imported for annotations only: ``gluesim plan`` need not load the search module
    from gluesim.kb.search import Answer, IamActionAnswer, PolicyAnswer, SearchAnswer

WIDTH = 88
LABEL = 15  # width of the label column in text output


# ---------------------------------------------------------------- text helpers


def _field(label: str, value: str) -> str:
    """``Label:  value`` with the value wrapped under itself."""
    lines = textwrap.wrap(value, WIDTH - LABEL, break_long_words=False, break_on_hyphens=False) or [""]
    head = f"{label + ':':<{LABEL}}{lines[0]}"
    return "\n".join([head, *(" " * LABEL + line for line in lines[1:])])


def _ids(ids: tuple[str, ...] | list[str]) -> str:
    return ", ".join(ids) if ids else "(none)"


def _condition_text(permission: Permission) -> list[str]:
    return [
        f"{operator} {key} = {' | '.join(values)}"
        for operator, keys in permission.conditions.items()
        for key, values in keys.items()
    ]


def _permission_text(permission: Permission) -> list[str]:
    pad = " " * (LABEL + 2)
    lines = [f"{'':<{LABEL}}{permission.principal.value}: {', '.join(permission.actions)}"]
    lines += [f"{pad}on {resource}" for resource in permission.resources]
    lines += [f"{pad}if {text}" for text in _condition_text(permission)]
    if permission.documented_in.value == "glue-studio-setup-page-only":
        lines.append(f"{pad}not in the Service Authorization Reference: only the Glue Studio setup pages name it")
    if permission.note:
        lines += textwrap.wrap(f"note: {permission.note}", WIDTH, initial_indent=pad, subsequent_indent=pad)
    return lines


# ---------------------------------------------------------------- entries


def _why(entry: Entry, blocks: tuple[str, ...]) -> str:
    """Why an entry matters: the Glue Studio actions that fail without it."""
    if not blocks:
        return "a goal in itself" if entry.kind.value in ("action", "practice") else "needed by no Glue Studio action"
    when = "where it applies, " if entry.applies_when else ""
    count = f"{len(blocks)} Glue Studio action{'s' * (len(blocks) != 1)}"
    return f"{when}without it {count} fail: {', '.join(blocks)}"


def entry_text(entry: Entry, needed_by: tuple[str, ...], blocks: tuple[str, ...] | None = None) -> str:
    """An entry for people: what, why, dependencies, permissions, source and fix.

    ``blocks`` (the actions that need the entry, see ``KnowledgeBase.actions_needing``)
    adds a "Why" line.
    """
    lines = [f"{entry.id} ({entry.kind.value})", entry.title, ""]
    lines.append(_field("What", entry.summary))
    if blocks is not None:
        lines.append(_field("Why", _why(entry, blocks)))
    lines.append(_field("Applies when", ", ".join(f"{f.value} ({f.meaning})" for f in entry.applies_when) or "always"))
    lines.append(_field("Depends on", _ids(entry.depends_on)))
    lines.append(_field("Needed by", _ids(needed_by)))
    if entry.permissions:
        lines.append("Permissions:")
        for permission in entry.permissions:
            lines += _permission_text(permission)
    if entry.managed_policies:
        lines.append(_field("Policies", ", ".join(entry.managed_policies)))
    if entry.note:
        lines.append(_field("Deduced" if entry.basis.value == "inference" else "Note", entry.note))
    lines.append(_field("Source", f'"{entry.source.section}" {entry.source.url}'))
    lines.append(_field("Fix", entry.remediation))
    return "\n".join(lines)


KIND_WORDS = {"step": "Setup step", "requirement": "Requirement", "practice": "Best practice",
              "schema-source": "Schema source", "action": "Glue Studio action"}
PRINCIPAL_WORDS = {"user": "Glue Studio user", "admin": "Administrator", "job-role": "Job role",
                   "key-policy": "KMS key policy", "trust-policy": "Job role's trust policy",
                   "redshift-cluster-role": "Redshift cluster's role"}


def applies_words(entry: Entry) -> str:
    """When an entry applies, in plain words: ``always``, or each feature's meaning joined by "and"."""
    return " and ".join(feature.meaning for feature in entry.applies_when) or "always"


def entry_markdown(
    entry: Entry,
    needed_by: tuple[str, ...],
    heading: str = "##",
    blocks: tuple[str, ...] | None = None,
    link: Callable[[str], str] | None = None,
    badge: Callable[[Entry], str] | None = None,
) -> str:
    """An entry as a markdown section for people: the title first, then the id, what, why, permissions, fix.

    The docs site uses the same function: ``link(id)`` writes another entry (default: its
    id as code) and ``badge(entry)`` the line under the heading (default: id and kind).
    """
    show = link or (lambda key: f"`{key}`")
    parts = [
        f"{heading} {entry.title}",
        badge(entry) if badge else f"`{entry.id}` · {KIND_WORDS[entry.kind.value]}",
        entry.summary + (f"\n\n**Why it matters:** {_why_markdown(entry, blocks, show)}" if blocks is not None else ""),
        "\n".join(
            [
                f"- **Applies when:** {applies_words(entry)}",
                f"- **Depends on:** {_md_list(entry.depends_on, show)}",
                f"- **Needed by:** {_md_list(needed_by, show)}",
            ]
            + ([f"- **Managed policies:** {', '.join(entry.managed_policies)}"] if entry.managed_policies else [])
        ),
    ]
    if entry.permissions:
        parts.append(_permissions_table(entry.permissions))
        parts += _setup_page_only(entry.permissions)
    if entry.note:
        parts.append(f"**{'Deduced' if entry.basis.value == 'inference' else 'Note'}:** {entry.note}")
    parts.append(f"**Fix:** {entry.remediation}")
    parts.append(f"**Source:** [{entry.source.section}]({entry.source.url})")
    return "\n\n".join(parts)


def _why_markdown(entry: Entry, blocks: tuple[str, ...], show: Callable[[str], str]) -> str:
    """Why an entry matters, with each Glue Studio action that fails without it written by ``show``."""
    if not blocks:
        return _why(entry, blocks) + "."
    when = "where it applies, " if entry.applies_when else ""
    count = f"{len(blocks)} Glue Studio action{'s' * (len(blocks) != 1)}"
    verb = "fails" if len(blocks) == 1 else "fail"
    return f"{when}without it {count} {verb}: " + ", ".join(show(key) for key in blocks) + "."


def _md_list(ids: tuple[str, ...], show: Callable[[str], str]) -> str:
    if not ids:
        return "nothing"
    if len(ids) == 1:
        return show(ids[0])
    # Four spaces: Python-Markdown nests a list under a list item only at four.
    return "".join(f"\n    - {show(key)}" for key in ids)


def _permissions_table(permissions: tuple[Permission, ...]) -> str:
    rows = ["| Who | Actions | Resources | Conditions |", "|---|---|---|---|"]
    for p in permissions:
        cells = [
            PRINCIPAL_WORDS[p.principal.value],
            "<br>".join(f"`{a}`" for a in p.actions),
            "<br>".join(f"`{r}`" for r in p.resources),
            "<br>".join(f"`{c}`" for c in _condition_text(p)) or "",
        ]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def _setup_page_only(permissions: tuple[Permission, ...]) -> list[str]:
    """A note for actions the Service Authorization Reference does not list (glue:BatchDeleteJob)."""
    from gluesim.kb.model import DocumentedIn

    actions = [a for p in permissions if p.documented_in is DocumentedIn.GLUE_STUDIO_SETUP_PAGE_ONLY for a in p.actions]
    if not actions:
        return []
    named = ", ".join(f"`{a}`" for a in dict.fromkeys(actions))
    return [f"{named}: only the Glue Studio setup pages name this action; the Service Authorization "
            "Reference does not list it, so IAM policy tools may not know it."]


def entry_data(entry: Entry, needed_by: tuple[str, ...], blocks: tuple[str, ...] | None = None) -> dict[str, Any]:
    """An entry as JSON-able data, with the reverse edges (and the actions that need it, if given)."""
    data = {**entry.as_dict(), "needed_by": list(needed_by)}
    if blocks is not None:
        data["needed_by_actions"] = list(blocks)
    return data


def entries_text(entries: list[Entry]) -> str:
    """One line per entry: id, kind, title."""
    width = max((len(e.id) for e in entries), default=0)
    lines = [f"{e.id:<{width}}  {e.kind.value:<13}  {e.title}" for e in entries]
    return "\n".join([*lines, "", f"{len(entries)} entries."])


def entries_markdown(entries: list[Entry]) -> str:
    """A markdown table of entries."""
    rows = ["| Id | Kind | Title |", "|---|---|---|"]
    rows += [f"| `{e.id}` | {e.kind.value} | {e.title} |" for e in entries]
    return "\n".join(rows)


def entries_data(entries: list[Entry]) -> dict[str, Any]:
    """``{"entries": [{id, kind, title}...], "count": n}``."""
    return {"count": len(entries), "entries": [{"id": e.id, "kind": e.kind.value, "title": e.title} for e in entries]}


# ---------------------------------------------------------------- explain answers


def answer_text(answer: Answer) -> str:
    """Any explain answer for people."""
    from gluesim.kb.search import EntryAnswer, IamActionAnswer, PolicyAnswer

    if isinstance(answer, EntryAnswer):
        return entry_text(answer.entry, answer.needed_by, answer.blocks)
    if isinstance(answer, IamActionAnswer):
        return _iam_text(answer)
    if isinstance(answer, PolicyAnswer):
        return _policy_text(answer)
    return _search_text(answer)


def answer_markdown(answer: Answer) -> str:
    """Any explain answer as markdown."""
    from gluesim.kb.search import EntryAnswer

    if isinstance(answer, EntryAnswer):
        return entry_markdown(answer.entry, answer.needed_by, blocks=answer.blocks)
    return "```text\n" + answer_text(answer) + "\n```"


def answer_data(answer: Answer) -> dict[str, Any]:
    """Any explain answer as JSON-able data; ``type`` says which shape follows."""
    from gluesim.kb.search import EntryAnswer, IamActionAnswer, PolicyAnswer

    if isinstance(answer, EntryAnswer):
        return {"type": "entry", "entry": entry_data(answer.entry, answer.needed_by, answer.blocks)}
    if isinstance(answer, IamActionAnswer):
        return _iam_data(answer)
    if isinstance(answer, PolicyAnswer):
        return _policy_data(answer)
    return {
        "type": "search",
        "query": answer.query,
        "hits": [{"id": e.id, "kind": e.kind.value, "title": e.title, "score": s} for e, s in answer.hits],
    }


def _iam_data(answer: IamActionAnswer) -> dict[str, Any]:
    return {
        "type": "iam-action",
        "action": answer.action,
        "documented_in": list(answer.documented_in),
        "needed_by": [
            {"entry": u.entry.id, "matched": list(u.matched), "permission": u.permission.as_dict()}
            for u in answer.uses
        ],
        "granted_by": [
            {
                "policy": g.policy,
                "allow_statements": list(g.allow),
                "deny_statements": list(g.deny),
                "statements": [s.as_dict() for s in g.statements],  # type: ignore[attr-defined]
            }
            for g in answer.granted_by
        ],
    }


def _policy_data(answer: PolicyAnswer) -> dict[str, Any]:
    return {
        "type": "managed-policy",
        "policy": answer.name,
        "arn": answer.arn,
        "named_by": [e.id for e in answer.named_by],
        "needed_for": [{"id": e.id, "title": e.title} for e in answer.named_by],
        "statements": [
            {"statement": u.statement.as_dict(), "kb_actions": list(u.kb_actions)}  # type: ignore[attr-defined]
            for u in answer.statements
        ],
        "grants": list(answer.granted),
        "does_not_grant": {k: list(v) for k, v in answer.not_granted.items()},
    }


def _iam_text(answer: IamActionAnswer) -> str:
    lines = [f"{answer.action} (IAM action)", ""]
    lines.append(_field("Documented in", ", ".join(answer.documented_in)))
    lines.append("Needed by:")
    for use in answer.uses:
        lines += textwrap.wrap(f"{use.entry.id} ({use.permission.principal.value}): {use.entry.title}", WIDTH,
                               initial_indent="  ", subsequent_indent="      ", break_on_hyphens=False)
        lines += [f"    on {r}" for r in use.permission.resources]
        lines += [f"    if {c}" for c in _condition_text(use.permission)]
        if use.permission.note:
            lines += textwrap.wrap(f"note: {use.permission.note}", WIDTH, initial_indent="    ",
                                   subsequent_indent="    ")
    lines.append("Managed policies whose statements cover it:" if answer.granted_by else
                 "No shipped AWS managed policy covers it.")
    for grant in answer.granted_by:
        for statement in grant.statements:
            lines += textwrap.wrap(f"{grant.policy} {_statement_scope(statement)}", WIDTH, initial_indent="  ",
                                   subsequent_indent="      ", break_on_hyphens=False)
    lines.append("")
    lines.append("Action names only: resources and conditions are not evaluated here (gluesim simulate does).")
    lines.append(f"More: gluesim explain {answer.uses[0].entry.id}")
    return "\n".join(lines)


def _statement_scope(statement: Any) -> str:
    """``Statement[8]: Allow on arn:...:role/AWSGlueServiceRole* if StringLike iam:PassedToService = glue...``."""
    text = f"{statement.label}: {statement.effect}"
    if statement.resources:
        text += " on " + ", ".join(statement.resources)
    if statement.not_resources:
        text += " on all but " + ", ".join(statement.not_resources)
    for operator, keys in statement.condition.items():
        for key, value in keys.items():
            text += f" if {operator} {key} = " + (" | ".join(value) if isinstance(value, list) else str(value))
    return text


def _policy_text(answer: PolicyAnswer) -> str:
    lines = [f"{answer.name} (AWS managed policy)", answer.arn or "", ""]
    lines.append("Why Glue Studio needs it:" if answer.named_by else "No knowledge-base entry names it.")
    for entry in answer.named_by:
        lines += textwrap.wrap(f"{entry.title} [{entry.id}]", WIDTH, initial_indent="  ", subsequent_indent="    ",
                               break_on_hyphens=False)
    lines.append("Statements that matter to Glue Studio:")
    for use in answer.statements:
        statement = use.statement
        lines.append(f"  {statement.label}: {statement.effect}")  # type: ignore[attr-defined]
        lines += textwrap.wrap("covers " + ", ".join(use.kb_actions), WIDTH, initial_indent="    ",
                               subsequent_indent="      ")
        lines += [f"    on {r}" for r in statement.resources]  # type: ignore[attr-defined]
        lines += [f"    not on {r}" for r in statement.not_resources]  # type: ignore[attr-defined]
        for operator, keys in statement.condition.items():  # type: ignore[attr-defined]
            for key, value in keys.items():
                shown = " | ".join(value) if isinstance(value, list) else str(value)
                lines.append(f"    if {operator} {key} = {shown}")
    if answer.not_granted:
        lines.append("Does not grant (needed by the KB):")
        for principal, actions in answer.not_granted.items():
            lines += textwrap.wrap(f"{principal}: " + ", ".join(actions), WIDTH, initial_indent="  ",
                                   subsequent_indent="    ")
    lines.append("")
    lines.append("Action names only: resources and conditions are shown as written, not evaluated.")
    return "\n".join(lines)


def _search_text(answer: SearchAnswer) -> str:
    width = max(len(e.id) for e, _ in answer.hits)
    lines = [f"Entries matching {answer.query!r}, best first:", ""]
    lines += [f"  {e.id:<{width}}  {e.title}" for e, _ in answer.hits]
    lines += ["", f"Run 'gluesim explain {answer.hits[0][0].id}' for the details."]
    return "\n".join(lines)


# ---------------------------------------------------------------- graphs


def graph_mermaid(kb: KnowledgeBase) -> str:
    """The dependency graph as a mermaid flowchart (edges point to what depends on them)."""
    lines = ["flowchart LR"]
    lines += [f'  {_node(e.id)}["{e.id}"]' for e in kb]
    lines += [f"  {_node(a)} --> {_node(b)}" for a, b in kb.edges()]
    return "\n".join(lines)


def _node(entry_id: str) -> str:
    return entry_id.replace(".", "__").replace("-", "_")


def graph_dot(kb: KnowledgeBase) -> str:
    """The dependency graph in Graphviz DOT."""
    shapes = {"action": "box", "practice": "note", "schema-source": "cylinder", "step": "ellipse"}
    lines = ["digraph gluesim {", "  rankdir=LR;"]
    lines += [f'  "{e.id}" [shape={shapes.get(e.kind.value, "ellipse")}];' for e in kb]
    lines += [f'  "{a}" -> "{b}";' for a, b in kb.edges()]
    lines.append("}")
    return "\n".join(lines)


def graph_data(kb: KnowledgeBase) -> dict[str, Any]:
    """``{"nodes": [{id, kind, title}], "edges": [{"from", "to"}]}``, sorted."""
    return {
        "nodes": [{"id": e.id, "kind": e.kind.value, "title": e.title} for e in kb],
        "edges": [{"from": a, "to": b} for a, b in kb.edges()],
    }
