"""Pure render functions for plans (``gluesim plan``, the site's plan pages): text, markdown, data.

A plan comes in three kinds, and each says which it is on its first lines: generic (steps
needed only with some features say "only if ..."), for chosen features (``--with``: what
does not apply is left out, and counted), and for an account a simulation has seen
(``--for``: each step says whether it fails, is unknown, or was not checked).
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Any

from gluesim.kb.model import Feature

if TYPE_CHECKING:
    from gluesim.kb.planner import Plan, PlanStep

WIDTH = 88
MARKS = {"todo": "+", "missing": "x", "unknown": "?"}
STATUS_WORDS = {"missing": "fails", "unknown": "unknown", "todo": "not checked"}


def only_if_text(only_if: tuple[tuple[str, ...], ...]) -> str:
    """``only if kms``, ``only if connector and vpc, or streaming``; empty when always needed."""
    if not only_if:
        return ""
    return "only if " + ", or ".join(" and ".join(features) for features in only_if)


def only_if_words(only_if: tuple[tuple[str, ...], ...]) -> str:
    """The same condition in plain words: ``only if a bucket the job uses is encrypted with SSE-KMS``."""
    if not only_if:
        return ""
    return "only if " + "; or if ".join(" and ".join(Feature(f).meaning for f in features) for features in only_if)


def plan_kind(plan: Plan) -> str:
    """``generic``, ``features`` (``--with``) or ``account`` (``--for``)."""
    if plan.for_account:
        return "account"
    return "generic" if plan.features is None else "features"


def plan_header(plan: Plan) -> str:
    """One sentence saying what the plan assumes."""
    kind = plan_kind(plan)
    if kind == "account":
        count = len(plan.goals)
        return (f"For the account simulated: {count} action{'s' * (count != 1)} fail or are unknown; "
                "what already holds is done.")
    if kind == "features":
        left = f" {len(plan.not_applicable)} steps for other features are left out." if plan.not_applicable else ""
        return "For jobs with: " + ", ".join(plan.features or ()) + "." + left
    return ('Generic plan: steps needed only with some features say "only if"; '
            "plan for yours with --with FEATURE,... or --for account.yaml.")


def plan_text(plan: Plan) -> str:
    """A plan in the spirit of ``terraform plan``: numbered waves, then a summary line."""
    lines = [*_wrap("Goals: " + ", ".join(plan.goals) if plan.goals else "Goals: none (every action passes)", "  "),
             *_wrap(plan_header(plan), "  "), ""]
    if plan.already_done:
        lines += [*_wrap("Already done: " + ", ".join(plan.already_done), "  "), ""]
    for index, wave in enumerate(plan.waves, start=1):
        lines.append(f"Wave {index}" + (" (steps can be done side by side)" if len(wave) > 1 else ""))
        for step in wave:
            lines += _step_text(step, plan_kind(plan) == "account")
        lines.append("")
    if not plan.waves:
        lines += ["Nothing to do: every step the goals need is already done.", ""]
    lines.append(plan_summary(plan))
    return "\n".join(lines)


def _step_text(step: PlanStep, account: bool) -> list[str]:
    lines = [f"  {step.number:>3}. {MARKS[step.status.value]} {step.entry.id}: {step.entry.title}"]
    pad = " " * 9
    if step.only_if:
        lines += _wrap(only_if_text(step.only_if), pad + "     ", pad)
    if account and step.status.value != "todo":
        lines += _wrap(status_text(step), pad + "     ", pad)
    if len(step.why) > 1:
        lines += _wrap("why: " + " -> ".join(step.why), pad + "     ", pad)
    return lines


def status_text(step: PlanStep) -> str:
    """What the simulation found: ``fails: <reason>`` for a requirement, ``fails for dana on job`` for an action."""
    word = STATUS_WORDS[step.status.value]
    return f"{word} for {step.detail}" if step.entry.kind.value == "action" else f"{word}: {step.detail}"


def _wrap(text: str, hanging: str, first: str = "") -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=first, subsequent_indent=hanging, break_on_hyphens=False)


def plan_summary(plan: Plan) -> str:
    """``Plan: 12 steps in 5 waves (3 already done).``, with what is conditional, failing or unknown."""
    steps, waves = len(plan.steps), len(plan.waves)
    notes = [f"{len(plan.already_done)} already done"]
    conditional = sum(1 for step in plan.steps if step.only_if)
    if conditional:
        notes.append(f"{conditional} only with some features")
    if plan.for_account:
        counts = {status: sum(1 for s in plan.steps if s.status.value == status) for status in ("missing", "unknown")}
        notes.append(f"{counts['missing']} fail, {counts['unknown']} unknown")
    return f"Plan: {steps} step{'s' * (steps != 1)} in {waves} wave{'s' * (waves != 1)} ({', '.join(notes)})."


def plan_markdown(plan: Plan, link: Any = None) -> str:
    """A plan as markdown: one numbered list per wave, each step with its condition, fix and source.

    ``link(entry_id)`` writes an entry as markdown, title included (the site links its page
    under its title); by default a step shows its title in bold and its id in a code span.
    """
    show = link or (lambda entry_id: f"`{entry_id}`")
    parts = [f"**Goals:** {', '.join(show(goal) for goal in plan.goals) or 'none'}", _md(plan_header(plan))]
    if plan.already_done:
        parts.append(f"**Already done:** {', '.join(show(key) for key in plan.already_done)}")
    for index, wave in enumerate(plan.waves, start=1):
        steps = "\n".join(_step_markdown(step, show, plan.for_account, link is not None) for step in wave)
        parts.append(f"### Wave {index}\n\n" + steps)
    parts.append(plan_summary(plan))
    return "\n\n".join(parts)


def _step_markdown(step: PlanStep, show: Any, account: bool, linked: bool) -> str:
    entry = step.entry
    head = f"{step.number}. {show(entry.id)}" if linked else f"{step.number}. **{_md(entry.title)}** {show(entry.id)}"
    notes = []
    if step.only_if:
        notes.append(f"*{_md(_upper_first(only_if_words(step.only_if)))}.*")
    if account and step.status.value != "todo":
        notes.append(f"**{_md(_upper_first(status_text(step)))}**")
    notes.append(f"{_md(entry.remediation)} ([{_md(entry.source.section)}]({entry.source.url}))")
    if len(step.why) > 1:
        notes.append(f"*Why:* {' → '.join(f'`{key}`' for key in step.why)}")
    # Four spaces: Python-Markdown nests a paragraph under a list item only at four.
    return head + "".join(f"\n\n    {note}" for note in notes) + "\n"


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _md(text: str) -> str:
    """Plain KB text as inline markdown (KB text is ours, but may contain ``*`` or ``<``)."""
    from gluesim.cli.render.report import _md as escape

    return escape(text)


def plan_data(plan: Plan) -> dict[str, Any]:
    """A plan as JSON-able data."""
    return plan.as_dict()
