"""Pure render functions for the knowledge base: entries, explain answers, plans, graphs.

Each function takes KB objects and returns text (plain or markdown) or JSON-able data;
nothing here prints, reads files or loads the KB, so the CLI and the docs site share them.
JSON shapes are documented in docs/reference/json-output.md.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Any

from gluesim.kb.model import Entry, KnowledgeBase, Permission

if TYPE_CHECKING:  # imported for annotations only: ``gluesim plan`` need not load the search module
    from gluesim.kb.planner import Plan
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
    lines.append(f"{pad}documented in: {permission.documented_in.value}")
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
    lines.append(_field("Applies when", ", ".join(entry.applies_when) or "always"))
    lines.append(_field("Depends on", _ids(entry.depends_on)))
    lines.append(_field("Needed by", _ids(needed_by)))
    if entry.permissions:
        lines.append("Permissions:")
        for permission in entry.permissions:
            lines += _permission_text(permission)
    if entry.managed_policies:
        lines.append(_field("Policies", ", ".join(entry.managed_policies)))
    basis = entry.basis.value + (f": {entry.note}" if entry.note else "")
    lines.append(_field("Basis", basis))
    lines.append(_field("Source", f'"{entry.source.section}" {entry.source.url}'))
    lines.append(_field("Fix", entry.remediation))
    return "\n".join(lines)


def entry_markdown(
    entry: Entry, needed_by: tuple[str, ...], heading: str = "##", blocks: tuple[str, ...] | None = None
) -> str:
    """An entry as a markdown section (the docs site uses the same function)."""
    parts = [
        f"{heading} `{entry.id}`: {entry.title}",
        f"*{entry.kind.value}* · basis: {entry.basis.value}" + (f" ({entry.note})" if entry.note else ""),
        entry.summary + (f"\n\n**Why it matters:** {_why(entry, blocks)}." if blocks is not None else ""),
        "\n".join(
            [
                f"- **Applies when:** {', '.join(entry.applies_when) or 'always'}",
                f"- **Depends on:** {_md_ids(entry.depends_on)}",
                f"- **Needed by:** {_md_ids(needed_by)}",
            ]
            + ([f"- **Managed policies:** {', '.join(entry.managed_policies)}"] if entry.managed_policies else [])
        ),
    ]
    if entry.permissions:
        parts.append(_permissions_table(entry.permissions))
    parts.append(f"**Fix:** {entry.remediation}")
    parts.append(f"**Source:** [{entry.source.section}]({entry.source.url})")
    return "\n\n".join(parts)


def _md_ids(ids: tuple[str, ...]) -> str:
    return ", ".join(f"`{i}`" for i in ids) if ids else "(none)"


def _permissions_table(permissions: tuple[Permission, ...]) -> str:
    rows = ["| Who | Actions | Resources | Conditions | Documented in |", "|---|---|---|---|---|"]
    for p in permissions:
        cells = [
            p.principal.value,
            "<br>".join(f"`{a}`" for a in p.actions),
            "<br>".join(f"`{r}`" for r in p.resources),
            "<br>".join(f"`{c}`" for c in _condition_text(p)) or "",
            p.documented_in.value,
        ]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


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
        "named_by": list(answer.named_by),
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
    lines.append(_field("Named by", _ids(answer.named_by)))
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


# ---------------------------------------------------------------- plans


def plan_text(plan: Plan) -> str:
    """A plan in the spirit of ``terraform plan``: numbered waves, then a summary line."""
    lines = [*textwrap.wrap("Goals: " + ", ".join(plan.goals), WIDTH, subsequent_indent="  ",
                            break_on_hyphens=False), ""]
    if plan.already_done:
        lines += textwrap.wrap("Already done: " + ", ".join(plan.already_done), WIDTH, subsequent_indent="  ",
                               break_on_hyphens=False)
        lines.append("")
    for index, wave in enumerate(plan.waves, start=1):
        lines.append(f"Wave {index}" + (" (steps can be done side by side)" if len(wave) > 1 else ""))
        for step in wave:
            lines.append(f"  {step.number:>3}. + {step.entry.id}: {step.entry.title}")
            if len(step.why) > 1:
                lines += textwrap.wrap("why: " + " -> ".join(step.why), WIDTH, initial_indent=" " * 9,
                                       subsequent_indent=" " * 14)
        lines.append("")
    if not plan.waves:
        lines += ["Nothing to do: every step the goals need is already done.", ""]
    lines.append(plan_summary(plan))
    return "\n".join(lines)


def plan_summary(plan: Plan) -> str:
    """``Plan: 12 steps in 5 waves (3 already done).``"""
    steps, waves = len(plan.steps), len(plan.waves)
    text = f"Plan: {steps} step{'s' * (steps != 1)} in {waves} wave{'s' * (waves != 1)}"
    return text + f" ({len(plan.already_done)} already done)."


def plan_markdown(plan: Plan) -> str:
    """A plan as markdown: one numbered list per wave, each step with its fix and source."""
    parts = [f"**Goals:** {_md_ids(plan.goals)}"]
    if plan.already_done:
        parts.append(f"**Already done:** {_md_ids(plan.already_done)}")
    for index, wave in enumerate(plan.waves, start=1):
        items = [
            f"{step.number}. **`{step.entry.id}`**: {step.entry.title}. {step.entry.remediation} "
            f"([{step.entry.source.section}]({step.entry.source.url}))"
            + (f"<br>*why:* {' → '.join(step.why)}" if len(step.why) > 1 else "")
            for step in wave
        ]
        parts.append(f"### Wave {index}\n\n" + "\n".join(items))
    parts.append(plan_summary(plan))
    return "\n\n".join(parts)


def plan_data(plan: Plan) -> dict[str, Any]:
    """A plan as JSON-able data."""
    return plan.as_dict()


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
