"""Scenario files: ``load`` (YAML -> validated model), ``dump`` (model -> YAML), ``schema`` (JSON Schema).

The format is documented in ``docs/reference/scenario-format.md``. Field names are
lower snake_case forms of the AWS API names (``RoleName`` -> ``name`` inside
``roles``, ``AssumeRolePolicyDocument`` -> ``trust_policy``); policy documents
keep IAM's own spelling (``Version``, ``Statement``, ``Effect``, ...).
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gluesim.kb import yamlsafe
from gluesim.kb.errors import LocatedError
from gluesim.kb.gcpause import paused
from gluesim.kb.jsonnumbers import NumberTooLong, parse_int
from gluesim.simulator import model as m
from gluesim.simulator.policies import canonical_json, default_key_policy, iam_arn, trust_policy_for_services
from gluesim.simulator.scenario.references import Resolver
from gluesim.simulator.scenario.format import schema as _schema
from gluesim.simulator.scenario.validate import SchemaErrors, Validator

MAX_BYTES = 10 * 1024 * 1024
# Checks of these actions are about one job, so they must name it.
JOB_CHECK_ACTIONS = frozenset({"save-job", "run-job", "create-job-s3", "create-job-catalog", "create-job-redshift",
                               "create-job-connector", "create-job-vpc", "create-job-streaming",
                               "data-preview"})


def schema() -> dict[str, Any]:
    """Return the scenario file's JSON Schema (draft 2020-12)."""
    return _schema()


def load(path: str | Path) -> m.Scenario:
    """Read, validate and build a scenario; any problem is one LocatedError (file:line)."""
    with paused():  # reading builds a large object graph with no garbage in it (see gcpause)
        data = yamlsafe.load(path, max_bytes=MAX_BYTES, what="scenario file")
        return from_data(data, str(path))


def loads(text: str, name: str = "<scenario>") -> m.Scenario:
    """Like :func:`load`, from text; ``name`` is used in error locations."""
    with paused():
        return from_data(yamlsafe.loads(text, name), name)


def from_data(data: Any, name: str) -> m.Scenario:
    """Validate parsed YAML data and build the model."""
    if not isinstance(data, dict):
        raise LocatedError(f"{name}:1", "the scenario is empty or not a mapping; expected 'account:' and more")
    _as_of_text(data)
    validator = Validator(_schema(), name)
    validator.validate(data)
    errors: list[LocatedError] = []
    for check in (_check_role_trust, _check_organization, _check_job_checks, _check_unknown_marks,
                  _check_given_arns):
        _collect(errors, check, data, name)
    resolver = Resolver(data)
    for reference in validator.references:
        _collect(errors, resolver.check, reference)
    if errors:  # every problem at once, in file order (each check stops at its own first)
        raise SchemaErrors(sorted(errors, key=_line_number))
    return _Builder(data, name, resolver).scenario()


def _collect(errors: list[LocatedError], check: Callable[..., object], *args: Any) -> None:
    try:
        check(*args)
    except LocatedError as error:
        errors.append(error)


def _line_number(error: LocatedError) -> int:
    line = error.where.rpartition(":")[2]
    return int(line) if line.isdigit() else 0


def dump(scenario: m.Scenario) -> str:
    """Return YAML that :func:`load` reads back to an equal Scenario."""
    from gluesim.simulator.scenario.writer import dump as _dump

    return _dump(scenario)


def _as_of_text(data: dict[str, Any]) -> None:
    """YAML reads an unquoted ``as_of: 2026-05-01T09:00:00Z`` as a timestamp; keep the text IAM compares."""
    account = data.get("account")
    if isinstance(account, dict) and isinstance(account.get("as_of"), (datetime.date, datetime.datetime)):
        value = account["as_of"]
        text = value.isoformat()
        if isinstance(value, datetime.datetime) and value.utcoffset() == datetime.timedelta(0):
            text = text.replace("+00:00", "Z")
        account["as_of"] = text


def _check_organization(data: dict[str, Any], name: str) -> None:
    """The account's OU path starts with the organization's id."""
    org = data.get("organization", {})
    path, org_id = org.get("ou_path"), org.get("id")
    if path and org_id and not path.startswith(org_id + "/"):
        raise LocatedError(f"{name}:{yamlsafe.line_of(org, 'ou_path') or org.line}",
                           f"organization ou_path {path!r} is not in organization {org_id!r}; "
                           f"expected a path starting with '{org_id}/'")


def _check_role_trust(data: dict[str, Any], name: str) -> None:
    for role in data.get("roles", []):
        has_doc, has_short = "trust_policy" in role, "trusted_services" in role
        if has_doc == has_short:
            state = "both" if has_doc else "neither"
            raise LocatedError(
                f"{name}:{role.line}",
                f"role {role['name']!r} has {state} of trust_policy and trusted_services; "
                "give exactly one (trust_policy: null means unknown)",
            )


def _check_job_checks(data: dict[str, Any], name: str) -> None:
    checks = data.get("checks", [])
    for index, check in enumerate(checks):
        if check["action"] in JOB_CHECK_ACTIONS and "job" not in check:
            raise LocatedError(f"{name}:{yamlsafe.line_of(checks, index) or 1}",
                               f"checks[{index}] ({check['action']}) names no job; add 'job:' with a job name")


def _check_unknown_marks(data: dict[str, Any], name: str) -> None:
    """An SCP level is either known (policies) or unknown; an unknown_policies item names one piece."""
    for level in data.get("organization", {}).get("scp_levels", []):
        unknown, has_policies = level.get("unknown", False), "policies" in level
        if unknown == has_policies:
            state = "both unknown: true and policies" if unknown else "no policies"
            raise LocatedError(f"{name}:{level.line}", f"SCP level {level['name']!r} has {state}; give its policies, "
                               "or 'unknown: true' (with a reason) when they could not be read")
    for section in ("users", "groups", "roles"):
        for item in data.get(section, []):
            for index, mark in enumerate(item.get("unknown_policies", [])):
                kinds = [k for k in mark if k != "reason"]
                if len(kinds) != 1:
                    line = yamlsafe.line_of(item["unknown_policies"], index) or item.line
                    raise LocatedError(f"{name}:{line}", f"{section[:-1]} {item['name']!r}: unknown_policies[{index}] "
                                       f"names {len(kinds)} pieces; expected exactly one of policy, boundary, group")


def _check_given_arns(data: dict[str, Any], name: str) -> None:
    """A given ``arn`` must name the entry it is on (its last part is the policy name / the secret name)."""
    for section, suffix in (("policies", "/{}"), ("secrets", ":secret:{}-")):
        for item in data.get(section, []):
            arn = item.get("arn")
            if arn and not (arn.endswith(suffix.format(item["name"])) if section == "policies"
                            else re.search(re.escape(suffix.format(item["name"])) + r"[A-Za-z0-9]{6}$", arn)):
                what = "end with /" + item["name"] if section == "policies" else \
                    f"end with :secret:{item['name']}- and six characters"
                raise LocatedError(f"{name}:{yamlsafe.line_of(item, 'arn') or item.line}",
                                   f"{section[:-1] if section == 'secrets' else 'policy'} {item['name']!r}: arn "
                                   f"{arn!r} does not name it; expected an ARN that would {what}")
            owner = item.get("account_id")
            if arn and owner and arn.split(":")[4] != owner:
                raise LocatedError(f"{name}:{yamlsafe.line_of(item, 'account_id') or item.line}",
                                   f"secret {item['name']!r}: account_id {owner!r} differs from the account in its "
                                   f"arn ({arn.split(':')[4]}); give one of them, or make them agree")


def _jsonable(value: Any) -> Any:
    """YAML reads ``Version: 2012-10-17`` as a date; policy JSON wants the string back."""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


class _Builder:
    """Turns validated data into model objects."""

    def __init__(self, data: dict[str, Any], name: str, resolver: Resolver) -> None:
        self.data = data
        self.name = name
        self.r = resolver

    def policy(self, parent: Any, key: Any, label: str, kind: str = "IDENTITY") -> m.PolicyDocument | None:
        value = parent[key]
        line = yamlsafe.line_of(parent, key)
        where = f"{self.name}:{line}"
        if value is None:
            return None
        if isinstance(value, str):
            try:
                value = json.loads(value, parse_int=parse_int)
            except NumberTooLong as exc:
                raise LocatedError(where, f"policy {label!r} holds {exc.message()}") from None
            except RecursionError:
                raise LocatedError(where, f"policy {label!r} is nested too deeply; IAM policies are shallow") from None
            except json.JSONDecodeError as exc:
                raise LocatedError(
                    where, f"policy {label!r} is not valid JSON ({exc.msg} at line {exc.lineno} of the string); "
                    "expected a policy document as a YAML mapping or a JSON string"
                ) from None
            if not isinstance(value, dict):
                raise LocatedError(where, f"policy {label!r} is not a JSON object; expected a policy document")
        document = canonical_json(_jsonable(value))
        _compile_check(document, str(label), where, kind)
        return m.PolicyDocument(str(label), document, where)

    def inline(self, item: dict[str, Any]) -> tuple[m.PolicyDocument, ...]:
        policies = item.get("inline_policies", {})
        return tuple(self.policy(policies, key, key) for key in policies)  # type: ignore[misc]

    def managed(self, item: dict[str, Any]) -> tuple[str, ...]:
        return tuple(self.r.must("policy", v) for v in item.get("managed_policies", []))

    def boundary(self, item: dict[str, Any]) -> str | None:
        value = item.get("permissions_boundary")
        return self.r.must("policy", value) if value else None

    def unknowns(self, item: dict[str, Any]) -> tuple[m.UnknownPolicy, ...]:
        marks = []
        for mark in item.get("unknown_policies", []):
            kind = next(k for k in mark if k != "reason")
            marks.append(m.UnknownPolicy(m.UnknownKind(kind), mark[kind], mark.get("reason", "")))
        return tuple(marks)

    def scenario(self) -> m.Scenario:
        from gluesim.simulator.scenario.build import build_account, build_checks, build_jobs, build_meta

        return m.Scenario(
            account=build_account(self),
            jobs=build_jobs(self),
            checks=build_checks(self),
            meta=build_meta(self),
        )

    def arn(self, kind: str, path: str, name: str) -> str:
        return iam_arn(self.r.partition, self.r.account_id, kind, path, name)

    def key_policy(self, key: dict[str, Any]) -> m.PolicyDocument | None:
        if "policy" not in key:
            text = default_key_policy(key.get("account_id", self.r.account_id), self.r.partition)
            return m.PolicyDocument("default key policy", text, f"{self.name}:{key.line}")
        return self.policy(key, "policy", f"key policy of {key['id']}", "RESOURCE")

    def trust(self, role: dict[str, Any]) -> m.PolicyDocument | None:
        if "trusted_services" in role:
            text = trust_policy_for_services(role["trusted_services"])
            return m.PolicyDocument("trust policy", text, f"{self.name}:{role.line_of('trusted_services')}")
        return self.policy(role, "trust_policy", "trust policy", "TRUST")


def _compile_check(document: str, label: str, where: str, kind: str) -> None:
    """Validate a policy document with the IAM evaluator's parser (errors carry a JSON path)."""
    from gluesim.kb.errors import GluesimError
    from gluesim.simulator.iam import PolicyType, compile_policy

    try:
        compile_policy(document, label, PolicyType[kind])
    except GluesimError as exc:
        raise LocatedError(where, f"policy {label!r}: {exc}") from None
