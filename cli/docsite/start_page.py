"""The home page's start-here path: one recommended route for a new Glue Studio team.

The route is data (``assets/start-here.yaml``): each stage says what to click or run and
which knowledge-base entries it covers. This module adds what is computed: the policy JSON
to paste, generated from the entries' permissions with example names, and what goes wrong
without the stage, from a simulation of the library scenario the stage names, worded as
AWS words access-denied errors.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

from gluesim.cli.docsite.kb_pages import entry_link, policy_path
from gluesim.cli.docsite.text import link, md_block, md_code, md_text

HERE = "index.md"
# How AWS words access-denied errors ("User: ARN is not authorized to perform: ACTION on resource:
# RESOURCE because no TYPE policy allows the ACTION action"; "with an explicit deny in a TYPE policy").
# https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html
ACCESS_DENIED_PAGE = "https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html"
POLICY_TYPE_WORDS = {"identity": "identity-based", "resource": "resource-based", "trust": "resource-based",
                     "permissions-boundary": "permissions boundary", "scp": "service control",
                     "rcp": "resource control"}
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


@dataclass(frozen=True, slots=True)
class Stage:
    """One stage of the route, as written in ``start-here.yaml``."""

    title: str
    entries: tuple[str, ...]
    do: str
    attach: tuple[str, ...] = ()
    trust_service: str = ""
    policy: dict[str, Any] | None = None
    run: str = ""
    missing: dict[str, str] | None = None


@functools.cache
def route() -> tuple[dict[str, str], tuple[Stage, ...]]:
    """The example values and the stages of the route (read once)."""
    import yaml

    text = (resources.files("gluesim.cli.docsite") / "assets" / "start-here.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    stages = tuple(Stage(**{**raw, "entries": tuple(raw["entries"]), "attach": tuple(raw.get("attach", ()))})
                   for raw in data["stages"])
    return dict(data["example"]), stages


def policy_document(kb: Any, entry_ids: tuple[str, ...], principal: str, values: dict[str, str]) -> dict[str, Any]:
    """An IAM policy granting ``principal``'s permissions of the entries, placeholders filled from ``values``."""
    statements = []
    for entry_id in entry_ids:
        entry = kb.get(entry_id)
        for index, permission in enumerate(p for p in entry.permissions if p.principal.value == principal):
            statement: dict[str, Any] = {
                "Sid": _sid(entry_id, index),
                "Effect": "Allow",
                "Action": list(permission.actions),
                "Resource": [_fill(resource, values) for resource in permission.resources],
            }
            if permission.conditions:
                statement["Condition"] = {op: {k: list(v) for k, v in keys.items()} for op, keys in permission.conditions.items()}
            statements.append(statement)
    return {"Version": "2012-10-17", "Statement": statements}


def trust_document(service: str) -> dict[str, Any]:
    """A role trust policy that lets ``service`` assume the role (the console's "AWS service" choice)."""
    return {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}]}


def _sid(entry_id: str, index: int) -> str:
    words = re.split(r"[^A-Za-z0-9]+", entry_id.split(".", 1)[-1])
    return "".join(word.capitalize() for word in words) + (str(index + 1) if index else "")


def _fill(template: str, values: dict[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda match: values.get(match.group(1), f"<{match.group(1)}>"), template)


def denied_message(check: Any) -> str:
    """An IAM denial the simulator found, worded as AWS words access-denied errors."""
    evaluation = check.evaluation
    start = f"User: {check.principal} is not authorized to perform: {check.action} on resource: {check.resource}"
    if evaluation.decision.value == "explicitDeny" and evaluation.deciding:
        kind = POLICY_TYPE_WORDS.get(evaluation.deciding[0].policy_type.value, "identity-based")
        return f"{start} with an explicit deny in a {kind} policy"
    kind = ("service control" if evaluation.organizations_allowed is False
            else "permissions boundary" if evaluation.boundary_allowed is False else "identity-based")
    return f"{start} because no {kind} policy allows the {check.action} action"


def what_goes_wrong(scenario_name: str, requirement: str) -> tuple[str, str, bool]:
    """The scenario's title, what the simulator finds when ``requirement`` does not hold there, and
    whether that is an IAM denial (worded as AWS's error) rather than the simulator's own reason."""
    from gluesim.simulator import library
    from gluesim.simulator.engine import simulate

    entry = library.get(scenario_name)
    failures = [f for r in simulate(entry.scenario).results for f in r.failures if f.requirement == requirement]
    if not failures:
        raise ValueError(f"start-here.yaml: {scenario_name} does not fail {requirement}")
    failure = next((f for f in failures if f.iam is not None and ":user/" in f.iam.principal), failures[0])
    if failure.iam is not None and failure.iam.principal.startswith("arn:aws:iam::"):
        return entry.training.title, denied_message(failure.iam), True
    return entry.training.title, failure.reason, False


def start_here(kb: Any, policy_names: set[str], scenario_paths: dict[str, str]) -> str:
    """The start-here section of the home page (markdown); ``scenario_paths`` maps library names to pages."""
    values, stages = route()
    parts = ["## Start here",
             "One recommended route for a new AWS Glue Studio team, in order. Tick each stage off as you go "
             "(the ticks stay in this browser)."]
    for number, stage in enumerate(stages, start=1):
        parts.append(_stage(kb, number, stage, values, policy_names, scenario_paths))
    return "\n\n".join(parts)


def _stage(kb: Any, number: int, stage: Stage, values: dict[str, str], policy_names: set[str],
           scenario_paths: dict[str, str]) -> str:
    parts = [f"### {number}. {md_text(stage.title)}", "- [ ] Done", md_text(stage.do)]
    if stage.attach:
        parts.append("**Attach:** " + ", ".join(_policy(name, policy_names) for name in stage.attach)
                     + " (AWS managed)")
    if stage.trust_service:
        parts.append("**Trust policy** (the console writes it when you choose the service):\n\n"
                     + md_block(json.dumps(trust_document(stage.trust_service), indent=2), "json"))
    if stage.policy:
        document = policy_document(kb, tuple(stage.policy["entries"]), stage.policy["principal"], values)
        parts.append(f"**Inline policy {md_code(stage.policy['name'])}** to paste (JSON tab of the policy editor):\n\n"
                     + md_block(json.dumps(document, indent=2), "json"))
    if stage.run:
        parts.append('??? example "Or with the AWS CLI"\n\n' + _indent(md_block(stage.run.rstrip(), "sh")))
    if stage.missing:
        parts.append(_missing(stage.missing, scenario_paths))
    parts.append("Read more:\n\n" + "\n".join(f"- {entry_link(HERE, kb, key)}" for key in stage.entries))
    return "\n\n".join(parts)


def _policy(name: str, policy_names: set[str]) -> str:
    return f"[{md_code(name)}]({link(HERE, policy_path(name))})" if name in policy_names else md_code(name)


def _missing(missing: dict[str, str], scenario_paths: dict[str, str]) -> str:
    title, message, iam = what_goes_wrong(missing["scenario"], missing["requirement"])
    page = scenario_paths.get(missing["scenario"])
    where = f"[{md_text(title)}]({link(HERE, page)})" if page else md_text(title)
    said = (f"the request IAM denies, in [AWS's wording]({ACCESS_DENIED_PAGE})" if iam
            else "what gluesim finds")
    return f'!!! failure "When it is missing"\n\n    In the exercise {where}, {said}:\n\n    {md_code(message)}'


def _indent(text: str) -> str:
    return "\n".join(f"    {line}" if line else "" for line in text.splitlines())
