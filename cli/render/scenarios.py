"""Render the trainee scenario library: the list, one scenario with its hints, a check of an answer.

Pure functions from library objects to text (or JSON-ready data), shared by the CLI and the docs.
"""

from __future__ import annotations

import textwrap
from typing import Any

WIDTH = 88


def list_data(entries: list[Any]) -> list[dict[str, Any]]:
    """The library as JSON-ready data: one object per scenario."""
    return [
        {
            "name": entry.name,
            "title": entry.training.title,
            "difficulty": entry.training.difficulty.value,
            "hints": len(entry.training.hints),
        }
        for entry in entries
    ]


def list_text(entries: list[Any]) -> str:
    """The library as an aligned table for a terminal."""
    if not entries:
        return "No scenarios match."
    width = max(len(entry.name) for entry in entries)
    lines = [f"{'NAME':<{width}}  {'DIFFICULTY':<12}  TITLE"]
    for entry in entries:
        lines.append(f"{entry.name:<{width}}  {entry.training.difficulty.value:<12}  {entry.training.title}")
    lines += ["", "Read one with 'gluesim scenarios show NAME'; run it with 'gluesim scenarios try NAME'."]
    return "\n".join(lines)


def list_markdown(entries: list[Any]) -> str:
    """The library as a Markdown table."""
    lines = ["| Scenario | Difficulty | Title |", "|---|---|---|"]
    for entry in entries:
        lines.append(f"| `{entry.name}` | {entry.training.difficulty.value} | {_cell(entry.training.title)} |")
    return "\n".join(lines)


def show_data(entry: Any, hints: int) -> dict[str, Any]:
    """One scenario as JSON-ready data, with the first ``hints`` hints revealed."""
    training = entry.training
    return {
        "name": entry.name,
        "title": training.title,
        "difficulty": training.difficulty.value,
        "story": training.story,
        "hints_total": len(training.hints),
        "hints": [{"number": n, "text": text} for n, text in enumerate(training.hints[:hints], start=1)],
    }


def show_text(entry: Any, hints: int) -> str:
    """One scenario for a terminal: title, difficulty, story, revealed hints, what to do next."""
    data = show_data(entry, hints)
    lines = [f"{data['title']}  ({data['difficulty']})", "", *_wrap(data["story"]), ""]
    for hint in data["hints"]:
        lines += _wrap(f"Hint {hint['number']}/{data['hints_total']}: {hint['text']}")
    lines.append(_next_step(entry.name, hints, data["hints_total"]))
    return "\n".join(lines)


def show_markdown(entry: Any, hints: int) -> str:
    """One scenario as Markdown."""
    data = show_data(entry, hints)
    lines = [f"# {data['title']}", "", f"*Difficulty: {data['difficulty']}*", "", data["story"], ""]
    for hint in data["hints"]:
        lines.append(f"{hint['number']}. {hint['text']}")
    if data["hints"]:
        lines.append("")
    lines.append(_next_step(entry.name, hints, data["hints_total"]))
    return "\n".join(lines)


def check_data(result: Any) -> dict[str, Any]:
    """A check of a trainee's answer as JSON-ready data."""
    return {
        "scenario": result.name,
        "answer": str(result.answer),
        "passed": result.passed,
        "actions": [
            {
                "actor": item.actor,
                "action": item.action,
                "status": item.status,
                "failures": [{"requirement": req, "reason": why} for req, why in item.failures],
            }
            for item in result.actions
        ],
        "intent_changes": list(result.intent_changes),
        "advice": list(result.advice),
    }


def check_text(result: Any) -> str:
    """A check of a trainee's answer for a terminal."""
    data = check_data(result)
    verdict = "PASSED" if result.passed else "NOT YET"
    lines = [f"{verdict}: your answer to {result.name!r} ({data['answer']})", ""]
    for item in data["actions"]:
        lines.append(f"  {_mark(item['status'])} {item['actor']}: {item['action']}")
        for failure in item["failures"]:
            lines += _wrap(f"{failure['requirement']}: {failure['reason']}", indent="      ")
    if data["intent_changes"]:
        lines += ["", "Your answer changes what the scenario is about:"]
        for change in data["intent_changes"]:
            lines += _wrap(f"- {change}", indent="  ")
    if data["advice"]:
        lines += ["", "Advice (least privilege):"]
        for advice in data["advice"]:
            lines += _wrap(f"- {advice}", indent="  ")
    if not result.passed:
        lines += ["", f"Stuck? 'gluesim scenarios show {result.name} --hint 1' reveals the first hint."]
    return "\n".join(lines)


def check_markdown(result: Any) -> str:
    """A check of a trainee's answer as Markdown."""
    data = check_data(result)
    verdict = "passed" if result.passed else "not yet passing"
    lines = [f"# Answer to `{result.name}`: {verdict}", "", "| Actor | Action | Result | Why |", "|---|---|---|---|"]
    for item in data["actions"]:
        why = "; ".join(f"`{f['requirement']}`: {f['reason']}" for f in item["failures"])
        lines.append(f"| {item['actor']} | `{item['action']}` | {item['status']} | {_cell(why)} |")
    if data["intent_changes"]:
        lines += ["", "## Changes to the scenario's intent", ""]
        lines += [f"- {_cell(change)}" for change in data["intent_changes"]]
    if data["advice"]:
        lines += ["", "## Advice (least privilege)", ""]
        lines += [f"- {_cell(advice)}" for advice in data["advice"]]
    return "\n".join(lines)


def _next_step(name: str, shown: int, total: int) -> str:
    if shown < total:
        return f"Stuck? 'gluesim scenarios show {name} --hint {shown + 1}' reveals hint {shown + 1} of {total}."
    return f"Try it: 'gluesim scenarios try {name}'; check your fix: 'gluesim scenarios check {name} --answer FIXED.yaml'."


def _mark(status: str) -> str:
    return {"pass": "PASS", "fail": "FAIL", "missing": "GONE"}.get(status, status.upper())


def _wrap(text: str, indent: str = "") -> list[str]:
    lines = []
    for paragraph in text.split("\n"):
        hanging = indent + ("  " if paragraph.startswith("- ") else "")
        lines += textwrap.wrap(paragraph, WIDTH, initial_indent=indent, subsequent_indent=hanging) or [""]
    return lines


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
