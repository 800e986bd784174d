"""Render the trainee scenario library: the list, one scenario with its hints, a check of an answer.

Pure functions from library objects to text (or JSON-ready data), shared by the CLI and the docs.
"""

from __future__ import annotations

import textwrap
from typing import Any

WIDTH = 88


def list_data(entries: list[Any], done: set[str] | frozenset[str] = frozenset()) -> list[dict[str, Any]]:
    """The library as JSON-ready data: one object per scenario, with whether the trainee has passed it."""
    return [
        {
            "name": entry.name,
            "title": entry.training.title,
            "difficulty": entry.training.difficulty.value,
            "hints": len(entry.training.hints),
            "done": entry.name in done,
        }
        for entry in entries
    ]


def list_text(entries: list[Any], done: set[str] | frozenset[str] = frozenset()) -> str:
    """The library as an aligned table for a terminal, easiest first, with a done column."""
    if not entries:
        return "No scenarios match."
    width = max(len(entry.name) for entry in entries)
    lines = [f"{'DONE':<4}  {'NAME':<{width}}  {'DIFFICULTY':<12}  TITLE"]
    for entry in entries:
        mark = "yes" if entry.name in done else ""
        lines.append(f"{mark:<4}  {entry.name:<{width}}  {entry.training.difficulty.value:<12}  {entry.training.title}")
    finished = sum(1 for entry in entries if entry.name in done)
    lines += ["", f"{finished} of {len(entries)} done. 'gluesim scenarios next' shows the next one to solve."]
    return "\n".join(lines)


def list_markdown(entries: list[Any], done: set[str] | frozenset[str] = frozenset()) -> str:
    """The library as a Markdown table."""
    lines = ["| Done | Scenario | Difficulty | Title |", "|---|---|---|---|"]
    for entry in entries:
        mark = "yes" if entry.name in done else ""
        lines.append(f"| {mark} | `{entry.name}` | {entry.training.difficulty.value} | {_cell(entry.training.title)} |")
    return "\n".join(lines)


def all_done(total: int) -> str:
    """What ``scenarios next`` says when every scenario is passed."""
    return f"All {total} scenarios done. Build your own: 'gluesim import' an account and 'gluesim plan --for' it."


def without_fixes(report: Any, name: str) -> Any:
    """``report`` with each failure's fix replaced by how to reveal it (``scenarios try`` without --reveal)."""
    from dataclasses import replace

    hidden = f"(hidden: finding it is the exercise; 'gluesim scenarios try {name} --reveal' shows it)"
    results = tuple(
        replace(result, failures=tuple(replace(failure, fix=hidden) for failure in result.failures))
        for result in report.results
    )
    return replace(report, results=results)


def try_footer(name: str) -> str:
    """The next steps after ``scenarios try`` shows failures."""
    return "\n".join(_wrap(f"Fix your copy ('gluesim scenarios show {name} --yaml > mine.yaml'), then run "
                           f"'gluesim scenarios watch mine.yaml'. Stuck? 'gluesim scenarios show {name} --hint 1'."))


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


def check_text(result: Any, following: str | None = None) -> str:
    """A check of a trainee's answer for a terminal; after a pass, ``following`` names the next scenario ("": none)."""
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
    elif following:
        lines += ["", f"Next: 'gluesim scenarios show {following}' (or 'gluesim scenarios next')."]
    elif following == "":
        lines += ["", "That was the last one: every scenario in the library is done."]
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
    """Lines of at most WIDTH characters, broken only at spaces: an ARN, a path or a hyphenated
    name is never split inside (a token longer than a line gets a line of its own)."""
    lines = []
    for paragraph in text.split("\n"):
        hanging = indent + ("  " if paragraph.startswith("- ") else "")
        lines += textwrap.wrap(paragraph, WIDTH, initial_indent=indent, subsequent_indent=hanging,
                               break_long_words=False, break_on_hyphens=False) or [""]
    return lines


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
