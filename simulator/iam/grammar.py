"""The careful reading of a policy document: every grammar rule checked in the documented order.

Used for every text the quick path (``gluesim.simulator.iam.quick``) does not take, and so for
every malformed policy: the first problem is reported with its JSON path.

Grammar: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
Elements: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from gluesim.kb.errors import did_you_mean
from gluesim.simulator.iam import conditions, elements, jsontext
from gluesim.simulator.iam.compiled import STATEMENT_KEYS, TAKES_PRINCIPAL, VERSIONS, Policy, Statement
from gluesim.simulator.iam.model import PolicyError, PolicyType
from gluesim.simulator.iam.principals import parse_principal


class Compiler:
    """Walks the parsed JSON once, checking grammar and building statements."""

    def __init__(self, source: str, policy_type: PolicyType) -> None:
        self.source = source
        self.policy_type = policy_type
        self.takes_principal = policy_type in TAKES_PRINCIPAL
        self.variables = True

    def fail(self, path: tuple[str | int, ...], what: str, at_key: bool = False) -> PolicyError:
        return PolicyError(self.source, jsontext.format_path(path), what, parts=path, at_key=at_key)

    def build(self, data: Any, policy: Policy) -> Policy:
        if not isinstance(data, dict):
            raise self.fail((), f"the policy must be a JSON object, not {elements.kind(data)}; expected "
                                '{"Version": "2012-10-17", "Statement": [...]}')
        for key in data:
            if key not in ("Version", "Id", "Statement"):
                raise self.fail((key,), f"unknown top-level element {key!r}; expected Version, Id or Statement"
                                + _suggest(key, ("Version", "Id", "Statement")), at_key=True)
        version = data.get("Version")
        if version is not None and version not in VERSIONS:
            raise self.fail(("Version",), f"unsupported Version {version!r}; expected '2012-10-17' (or '2008-10-17')")
        # Policy variables exist only in version 2012-10-17; earlier text is literal.
        # https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html
        self.variables = version == "2012-10-17"
        policy.version = version
        if "Statement" not in data:
            raise self.fail(("Statement",), "missing Statement; a policy needs at least one statement")
        raw = data["Statement"]
        is_list = type(raw) is list
        items = raw if is_list else [raw]
        if not items:
            raise self.fail(("Statement",), "Statement is an empty list; a policy needs at least one statement")
        statement = self.statement
        policy.statements = tuple([statement(item, index, is_list, policy) for index, item in enumerate(items)])
        self._check_sids(policy.statements, is_list)
        return policy

    def _check_sids(self, statements: tuple[Statement, ...], is_list: bool) -> None:
        # Sids must be unique within a policy (Sid element page).
        # https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html
        sids = [s.sid for s in statements if s.sid]
        if len(sids) == len(set(sids)):
            return
        seen: set[str] = set()
        for statement in statements:
            if statement.sid:
                if statement.sid in seen:
                    path = ("Statement", statement.index) if is_list else ("Statement",)
                    raise self.fail((*path, "Sid"), f"duplicate Sid {statement.sid!r}; each Sid must be unique "
                                    "in a policy")
                seen.add(statement.sid)

    def statement(self, raw: Any, index: int, is_list: bool, policy: Policy) -> Statement:
        # One quick test of the common shape; when it fails, _statement_error re-checks in
        # the documented order and raises the located error.
        if type(raw) is not dict or not raw.keys() <= _STATEMENT_KEYS:
            raise self._statement_error(raw, index, is_list)
        sid = raw.get("Sid")
        effect = raw.get("Effect")
        has_action = "Action" in raw
        if ((sid is not None and type(sid) is not str) or (effect != "Allow" and effect != "Deny")
                or has_action == ("NotAction" in raw)):
            raise self._statement_error(raw, index, is_list)
        path = ("Statement", index) if is_list else ("Statement",)
        name = "Action" if has_action else "NotAction"
        actions = self.element(path, name, raw[name], elements.action_set)
        statement = Statement(policy, index, sid, effect == "Allow", actions, not has_action)
        has_resource = "Resource" in raw
        if has_resource == ("NotResource" in raw):  # both, or neither (only a trust policy may omit it)
            _exactly_one(self, path, raw, "Resource", "NotResource", required=self.policy_type is not _TRUST)
        else:
            name = "Resource" if has_resource else "NotResource"
            statement.resources = self.element(path, name, raw[name], elements.resource_set, self.variables)
            statement.not_resource = not has_resource
        if "Principal" in raw or "NotPrincipal" in raw or self.takes_principal:
            self.principals(path, raw, statement)
        if "Condition" in raw:
            statement.clauses = self.conditions((*path, "Condition"), raw["Condition"])
        return statement

    def _statement_error(self, raw: Any, index: int, is_list: bool) -> PolicyError:
        """The first problem of a statement's shape, Sid, Effect or Action/NotAction, in that order."""
        path = ("Statement", index) if is_list else ("Statement",)
        if type(raw) is not dict:
            return self.fail(path, f"a statement must be a JSON object, not {elements.kind(raw)}")
        if not raw.keys() <= _STATEMENT_KEYS:
            key = next(k for k in raw if k not in _STATEMENT_KEYS)
            return self.fail((*path, key), f"unknown statement element {key!r}; expected one of "
                             + ", ".join(STATEMENT_KEYS) + _suggest(key, STATEMENT_KEYS), at_key=True)
        sid = raw.get("Sid")
        if sid is not None and type(sid) is not str:
            return self.fail((*path, "Sid"), f"Sid must be a string, not {elements.kind(sid)}")
        effect = raw.get("Effect")
        if effect != "Allow" and effect != "Deny":
            what = "missing Effect" if effect is None else f"Effect {effect!r} is not valid"
            return self.fail((*path, "Effect"), f"{what}; expected 'Allow' or 'Deny'")
        try:
            _exactly_one(self, path, raw, "Action", "NotAction", required=True)
        except PolicyError as exc:
            return exc
        raise AssertionError("_statement_error called for a statement without those problems")

    def element(self, path: tuple[str | int, ...], name: str, raw: Any, build: Callable[..., Any], *extra: Any) -> Any:
        """Compile a string-or-list element through a cached builder; locate its errors."""
        kind = type(raw)
        if kind is str or kind is list and raw:
            try:
                # The builders check every value's type before anything else, so trying the
                # cache first reports the same error as checking types here would.
                return build((raw,) if kind is str else tuple(raw), *extra)
            except elements.Bad as bad:
                raise self.fail((*path, name, bad.index) if kind is list else (*path, name), bad.what) from None
            except TypeError:  # an unhashable value (a list or an object) in the list
                for i, value in enumerate(raw):
                    if type(value) is not str:
                        raise self.fail((*path, name, i), f"{value!r} is {elements.kind(value)}; expected a string"
                                        ) from None
                raise
        what = f"{name} is an empty list" if kind is list else f"{name} is {elements.kind(raw)}"
        raise self.fail((*path, name), f"{what}; expected a string or a list of strings")

    def principals(self, path: tuple[str | int, ...], raw: Mapping[str, Any], statement: Statement) -> None:
        name = "Principal" if "Principal" in raw else "NotPrincipal" if "NotPrincipal" in raw else None
        takes_principal = self.policy_type in TAKES_PRINCIPAL
        if name is None:
            if takes_principal:
                raise self.fail((*path, "Principal"), f"missing Principal; a {self.policy_type.value} policy "
                                "statement must say whom it applies to")
            return
        if not takes_principal:
            raise self.fail((*path, name), f"{name} is not allowed in a {self.policy_type.value} policy; "
                            "it belongs in resource-based policies (the principal is whoever the policy is "
                            "attached to)")
        if "Principal" in raw and "NotPrincipal" in raw:
            raise self.fail((*path, "NotPrincipal"), "a statement has either Principal or NotPrincipal, not both")
        try:
            statement.principals = parse_principal(raw[name])
        except ValueError as exc:
            raise self.fail((*path, name), str(exc)) from None
        statement.not_principal = name == "NotPrincipal"

    def conditions(self, path: tuple[str | int, ...], raw: Any) -> tuple[conditions.Clause, ...]:
        if type(raw) is not dict:
            raise self.fail(path, f"Condition must be an object of operators, not {elements.kind(raw)}")
        clauses = []
        for op_name, block in raw.items():
            if type(block) is not dict or not block:
                self.operator(path, op_name)
                raise self.fail((*path, op_name), f"{op_name} must map condition keys to values, e.g. "
                                '{"aws:SourceIp": "10.0.0.0/8"}')
            for key, values in block.items():
                clauses.append(self.clause(path, op_name, key, values))
        return elements.shared_clauses(tuple(clauses))

    def operator(self, path: tuple[str | int, ...], op_name: str) -> conditions.Operator:
        try:
            return elements.operator(op_name)
        except conditions.OperatorError:
            hint = _suggest(op_name, conditions.operator_names()) or \
                "; expected e.g. 'StringEquals', 'ArnLike', 'ForAnyValue:StringLike'"
            raise self.fail((*path, op_name), f"unknown condition operator {op_name!r}{hint}", at_key=True) from None

    def clause(self, condition_path: tuple[str | int, ...], op_name: str, key: str, raw: Any) -> conditions.Clause:
        """One clause of the Condition at ``condition_path`` (its own path is made only for an error)."""
        if type(raw) is str:
            values: tuple[Any, ...] = (raw,)
        else:
            values = tuple(raw) if type(raw) is list else (raw,)
            if not values:
                raise self.fail((*condition_path, op_name, key),
                                "empty list of condition values; expected at least one value")
            for value in values:
                if type(value) is not str:
                    values = self.condition_values((*condition_path, op_name, key), values)
                    break
        try:
            return elements.clause(op_name, key, values, self.variables)
        except conditions.OperatorError:
            self.operator(condition_path, op_name)
            raise
        except (ValueError, ArithmeticError):
            op = elements.operator(op_name)
            kind = "'true' or 'false'" if op.family is None else f"a valid {op.family.name} value"
            bad = next((v for v in values if not elements.parses(op, v)), values[0])
            raise self.fail((*condition_path, op_name, key), f"{bad!r} is not {kind} for {op.name}") from None

    def condition_values(self, path: tuple[str | int, ...], items: tuple[Any, ...]) -> tuple[str, ...]:
        out = []
        for item in items:
            if isinstance(item, bool):
                out.append("true" if item else "false")
            elif isinstance(item, (int, float, str)):
                out.append(str(item))
            else:
                raise self.fail(path, "condition values must be strings, numbers or booleans, not "
                                + elements.kind(item))
        return tuple(out)


_STATEMENT_KEYS = frozenset(STATEMENT_KEYS)
_TRUST = PolicyType.TRUST  # a trust policy names no Resource: the resource is the role it is attached to


def _exactly_one(compiler: Compiler, path: tuple[str | int, ...], raw: Mapping[str, Any], one: str, other: str,
                 required: bool) -> str | None:
    if one in raw and other in raw:
        raise compiler.fail((*path, other), f"a statement has either {one} or {other}, not both")
    if one in raw:
        return one
    if other in raw:
        return other
    if required:
        raise compiler.fail((*path, one), f"missing {one} (or {other}); every statement needs one")
    return None


def _suggest(word: str, choices: Any) -> str:
    return did_you_mean(word, choices)
