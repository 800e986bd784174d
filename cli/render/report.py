"""Render a simulation Report as text, JSON, Markdown or JUnit XML (pure functions: data in, text out)."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from typing import Any

from gluesim.cli.render.report_text import iam_lines, label, paired, render_text, summary
from gluesim.cli.render.style import PLAIN, Style

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# Characters that start markdown inline syntax (emphasis, code spans, links and images, table
# cells, attribute lists such as {: onclick=...}, closing heading hashes) or escape it; each is
# backslash-escaped so user text shows as typed.
_MD_INLINE = re.compile(r"([\\`*_\[\]|{}#])")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def _short(action: str) -> str:
    return action.removeprefix("action.")


def report_data(report: Any, explain: bool = False, findings: list[Any] | None = None) -> dict[str, Any]:
    """The report as data; with ``findings``, each failure says whether (and why) it is suppressed."""
    data = report.as_dict(explain)
    if findings is not None:
        pairs = iter(list(paired(report, findings)))
        for result in data["results"]:
            for failure in result["failures"]:
                finding = next(pairs)[2]
                failure["suppressed"] = finding.suppressed_by.as_dict() if finding and finding.suppressed_by else None
        data["findings"] = [f.as_dict() for f in findings]
    return data


def render_json(report: Any, explain: bool = False, findings: list[Any] | None = None) -> str:
    """Stable JSON: sorted keys, two-space indent (see docs/reference/json-output.md)."""
    return json.dumps(report_data(report, explain, findings), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _md(text: object) -> str:
    """``text`` as one line of inline markdown that shows exactly its characters.

    Names and reasons come from users' files. Markdown passes raw HTML through, so ``<``, ``>``
    and ``&`` become entities (no ``<script>`` or ``<img onerror=...>`` survives rendering), and
    markdown's own syntax characters are backslash-escaped (no links, images, code spans or
    extra table cells). Line breaks become spaces; control characters become U+FFFD.
    """
    line = " ".join(_CONTROL.sub("\ufffd", " ".join(str(text).split())).split())
    return html.escape(_MD_INLINE.sub(r"\\\1", line), quote=False)


def _md_url(url: str) -> str:
    """A link target that cannot break out of the markdown link (the KB's URLs are https)."""
    return url if url.startswith("https://") and not re.search(r"[\s()<>\"'\\]", url) else "#"


def _code(entry_id: str) -> str:
    return f"`{entry_id.removeprefix('action.')}`"


def _bold(entry_id: str) -> str:
    return f"**{_md(entry_id)}**"


def render_markdown(report: Any, explain: bool = False, *, level: int = 1, link: Callable[[str], str] | None = None,
                    verdict: Callable[[str], str] | None = None) -> str:
    """Markdown: a summary table, then one section per failing action.

    The docs site embeds the same output in a scenario page: ``level`` is the heading level of
    the summary, ``link`` writes a KB id (an action or requirement) as markdown, for example a
    link to its page, and ``verdict`` writes a verdict cell (both must return escaped markdown).
    """
    action, requirement, cell = link or _code, link or _bold, verdict or str
    head = "#" * level
    lines = [f"{head} {_md(summary(report, 0, 0))}", "", "| Verdict | Actor | Action | Subject |", "|---|---|---|---|"]
    for r in report.results:
        lines.append(f"| {cell(r.verdict.value)} | {_md(r.actor)} | {action(r.action)} | {_md(r.subject or '')} |")
    for r in report.results:
        if r.passed:
            continue
        lines += ["", f"{head}# {_md(label(r))}: {r.verdict.value}", ""]
        for f in r.failures:
            lines.append(f"- {requirement(f.requirement)} ({'unknown' if f.unknown else 'fails'}): {_md(f.reason)}")
            # Four spaces: Python-Markdown nests a list under a list item only at four.
            lines += [f"    - {_md(line)}" for line in iam_lines(f, explain)]
            lines.append(f"    - Source: [{_md(f.section)}]({_md_url(f.url)})")
            lines.append(f"    - Fix: {_md(f.fix)}")
    return "\n".join(lines) + "\n"


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def render_junit(report: Any, explain: bool = False, findings: list[Any] | None = None) -> str:
    """JUnit XML: one test case per actor x action (x subject); failing requirements become <failure>.

    A requirement whose finding is suppressed does not fail its test case (it is named in
    the case's system-out with the reason).
    """
    import xml.etree.ElementTree as ET

    counting = {id(failure): finding is None or finding.counts for _, failure, finding in paired(report, findings)}
    failing = [r for r in report.results if any(counting[id(f)] for f in r.failures)]
    suites = ET.Element("testsuites", name="gluesim")
    suite = ET.SubElement(suites, "testsuite", name=_xml_text(f"gluesim simulate {report.scenario}"),
                          tests=str(len(report.results)), failures=str(len(failing)), errors="0", skipped="0")
    for r in report.results:
        case = ET.SubElement(suite, "testcase", classname=_xml_text(f"gluesim.{r.actor}"),
                             name=_xml_text(_short(r.action) + (f" [{r.subject}]" if r.subject else "")))
        counted = [f for f in r.failures if counting[id(f)]]
        if len(counted) < len(r.failures):
            quiet = [f.requirement for f in r.failures if not counting[id(f)]]
            ET.SubElement(case, "system-out").text = _xml_text("suppressed: " + ", ".join(quiet))
        if not counted:
            continue
        message = "; ".join(f"{f.requirement}: {f.reason}" for f in counted)
        failure = ET.SubElement(case, "failure", message=_xml_text(message), type=r.verdict.value)
        body = [line for f in counted for line in _failure_lines(f, explain)]
        failure.text = _xml_text("\n".join(body))
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


def _failure_lines(failure: Any, explain: bool) -> list[str]:
    mark = "?" if failure.unknown else "x"
    lines = [f"  {mark} {failure.requirement}: {failure.title}", f"      why: {failure.reason}"]
    lines += [f"      {line}" for line in iam_lines(failure, explain)]
    lines.append(f"      source: {failure.section} <{failure.url}>")
    lines.append(f"      fix: {failure.fix}")
    return lines


def render(report: Any, fmt: str, explain: bool = False, findings: list[Any] | None = None,
           style: Style = PLAIN) -> str:
    """Render ``report`` in format ``fmt`` (text, json, markdown, junit); ``findings`` mark suppressions."""
    if fmt == "text":
        return render_text(report, explain, findings, style)
    if fmt == "json":
        return render_json(report, explain, findings)
    if fmt == "junit":
        return render_junit(report, explain, findings)
    return render_markdown(report, explain)


def render_many(runs: list[tuple[Any, list[Any]]], fmt: str, explain: bool = False, style: Style = PLAIN) -> str:
    """Several reports: text and markdown one after another, json as a list, junit as one document."""
    if fmt == "json":
        data = [report_data(report, explain, findings) for report, findings in runs]
        return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    if fmt == "junit":
        import xml.etree.ElementTree as ET

        roots = [ET.fromstring(render_junit(r, explain, f).split("\n", 1)[1]) for r, f in runs]
        for root in roots[1:]:
            roots[0].extend(list(root))
        ET.indent(roots[0])
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(roots[0], encoding="unicode") + "\n"
    return "\n".join(render(r, fmt, explain, f, style) for r, f in runs)


def _fix_text(result: Any, written: str | None) -> str:
    before, after = result.before.counts(), result.after.counts()
    lines = [f"Fix plan: {len(result.steps)} step(s); failing or unknown actions "
             f"{before['fail'] + before['unknown']} -> {after['fail'] + after['unknown']}"]
    if not result.steps and not result.unresolved:
        lines.append("Nothing to fix: every checked action passes.")
    for number, step in enumerate(result.steps, start=1):
        lines.append(f"{number}. [{step.requirement}] {step.description}")
    if result.unresolved:
        lines.append("Unresolved (do these by hand):")
        for failure in result.unresolved:
            lines.append(f"  - [{failure.requirement}] {failure.reason}; {failure.fix}")
    if written:
        lines.append(f"Wrote the fixed scenario to {written}")
    return "\n".join(lines) + "\n"


def render_fix(result: Any, fmt: str, written: str | None = None) -> str:
    """Render a FixResult as text, json or markdown."""
    if fmt == "json":
        data = result.as_dict()
        data["written"] = written
        return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    text = _fix_text(result, written)
    if fmt == "markdown":
        head, *rest = text.splitlines()
        return f"# {_md(head)}\n\n" + "\n".join(_md(line) for line in rest) + "\n"
    return text
