"""Edit the user's scenario file so it says what a changed model says, touching only what changed.

``fix --write`` used to re-dump the whole scenario, which dropped comments, reordered keys,
turned flow lists into blocks and expanded shorthands (``trusted_services``, KMS aliases).
Here the change is computed on plain data in the file format (:func:`.writer.to_data` of the
model before and after) and applied to the user's own document, read and written back by
ruamel.yaml's round-trip mode, which keeps comments, key order, flow style, quoting, anchors
and aliases. Only the values that differ are replaced; new entries are appended where their
list or mapping ends; the file's indentation is kept (guessed from the file).

Items of a list are paired by position with the user's list (the loader keeps order), and
before/after items by their ``name`` or ``id`` (or, for a renamed entry, by position), so
spellings the user chose (an alias for a key, an ARN for a policy) survive when they did not
change. ``trusted_services`` stays a shorthand while the trust policy it stands for still
says only "these services may assume the role". The writer leaves out values equal to their
default, so a flag the user wrote that returns to its default is flipped, not deleted.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from typing import Any

from gluesim.simulator.policies import trust_policy_for_services
from gluesim.simulator.scenario import rtnodes as rt

IDENTITY_KEYS = ("name", "id")


@dataclass(frozen=True, slots=True)
class Edited:
    """The edited text and the 0-based lines of the original whose values were replaced or removed."""

    text: str
    touched: frozenset[int]


def edit(text: str, before: dict[str, Any], after: dict[str, Any]) -> Edited:
    """``text`` (a scenario file whose data is ``before``) changed so that its data is ``after``."""
    from ruamel.yaml import YAML
    from ruamel.yaml.util import load_yaml_guess_indent

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold a long value (an ARN) onto a second line
    yaml.brace_single_entry_mapping_in_flow_sequence = True  # [{s3: x}] stays as written
    _, indent, dash = load_yaml_guess_indent(text)
    dash = dash or 0
    yaml.indent(mapping=max(indent - dash, 2), sequence=indent, offset=dash)
    document = yaml.load(text)
    editor = _Editor(rt.prefers_double_quotes(text))
    editor.merge(document, before, after)
    out = io.StringIO()
    yaml.dump(document, out)
    return Edited(out.getvalue(), frozenset(editor.touched))


def edited(text: str, before: Any, after: Any, name: str) -> Edited | None:
    """The user's ``text`` (model ``before``) edited to load as model ``after``; None if that cannot be kept.

    The result is read back and compared with ``after``: a layout this module cannot edit
    faithfully gives None rather than a file that says something else.
    """
    from gluesim.simulator.scenario.reader import loads
    from gluesim.simulator.scenario.writer import to_data

    target = to_data(after)
    result = edit(text, to_data(before), target)
    return result if to_data(loads(result.text, name)) == target else None


class _Editor:
    """Applies before -> after to round-trip nodes, noting the original lines it replaces or removes."""

    def __init__(self, double_quotes: bool) -> None:
        self.touched: set[int] = set()
        self.double_quotes = double_quotes

    def _new(self, value: Any, like: Any = None) -> Any:
        return rt.new(value, like, self.double_quotes)

    def _touch(self, parent: Any, key: Any) -> None:
        first = rt.start(parent, key)
        value_line = parent.lc.value(key)[0] if rt.is_map(parent) else first
        self.touched.update(range(first, rt.end(parent[key], value_line) + 1))

    def _append(self, parent: Any, key: Any, value: Any) -> None:
        if not rt.block(parent) and parent.lc.line is not None:  # a flow collection's line is rewritten
            self.touched.update(range(parent.lc.line, rt.end(parent, parent.lc.line) + 1))
        rt.append(parent, key, value)

    def _set(self, parent: Any, key: Any, value: Any) -> None:
        self._touch(parent, key)
        parent[key] = value

    def _delete(self, parent: Any, key: Any) -> None:
        self._touch(parent, key)
        del parent[key]

    def merge(self, user: Any, before: Any, after: Any) -> None:
        """Edit the collection ``user`` the way ``before`` became ``after``."""
        if rt.is_map(user):
            self._merge_map(user, before, after)
        else:
            self._merge_list(user, before, after)

    def _merge_value(self, parent: Any, key: Any, before: Any, after: Any) -> None:
        user = parent[key]
        same_shape = (isinstance(before, dict) and isinstance(after, dict) and rt.is_map(user)) or \
            (isinstance(before, list) and isinstance(after, list) and rt.is_seq(user))
        if same_shape:
            self.merge(user, before, after)
        else:
            self._set(parent, key, self._new(after, like=user))

    def _merge_map(self, user: Any, before: dict[str, Any], after: dict[str, Any]) -> None:
        for key in [k for k in before if k not in after]:
            self._back_to_default(user, key, before[key])
        for key, value in after.items():
            if key not in before and key in user:  # the user wrote the default; it changes
                self._merge_value(user, key, [] if isinstance(value, list) else None, value)
            elif key not in before:
                self._append(user, key, self._new(value))
            elif before[key] != value:
                if key in user:
                    self._merge_value(user, key, before[key], value)
                else:
                    self._merge_shorthand(user, key, value)

    def _back_to_default(self, user: Any, key: str, value: Any) -> None:
        if key in user and isinstance(value, bool):
            self._set(user, key, not value)  # the writer leaves out a flag at its default
        elif key in user:
            self._delete(user, key)
        elif key == "trust_policy" and "trusted_services" in user:
            self._delete(user, "trusted_services")

    def _merge_shorthand(self, user: Any, key: str, value: Any) -> None:
        """A key the user wrote in a shorter form changed."""
        if key == "trust_policy" and "trusted_services" in user:
            services = _services_only(value)
            if services is not None:
                self._replace_items(user["trusted_services"], services)
                return
            self._delete(user, "trusted_services")
        self._append(user, key, self._new(value))

    def _replace_items(self, user: Any, values: list[Any]) -> None:
        """Make the user's list hold ``values``, keeping the items that stay."""
        kept = [item for item in user if item in values]
        for index in reversed(range(len(user))):
            if user[index] not in values:
                self._delete(user, index)
        for value in values:
            if value not in kept:
                self._append(user, None, self._new(value))

    def _merge_list(self, user: Any, before: list[Any], after: list[Any]) -> None:
        partners = _partners(before, after)
        removed = sorted(set(range(len(before))) - set(partners.values()))
        for index in reversed(removed):
            if index < len(user):
                self._delete(user, index)
        for j, item in enumerate(after):
            if j not in partners:
                self._append(user, None, self._new(item, like=user[-1] if len(user) else user))
                continue
            i = partners[j]
            if before[i] != item:
                self._merge_value(user, i - sum(1 for r in removed if r < i), before[i], item)


def _partners(before: list[Any], after: list[Any]) -> dict[int, int]:
    """after index -> before index: same identity (name/id), else equal value, else same position."""
    partners: dict[int, int] = {}
    free = list(range(len(before)))
    for j, item in enumerate(after):
        match = next((i for i in free if _same_entry(before[i], item)), None)
        if match is not None:
            partners[j] = match
            free.remove(match)
    for j, item in enumerate(after):
        if j not in partners and j in free and _named(before[j]) and _named(item):
            partners[j] = j  # an entry changed in place (a renamed role)
            free.remove(j)
    return partners


def _same_entry(old: Any, new: Any) -> bool:
    if _named(old) and _named(new):
        key = next(k for k in IDENTITY_KEYS if k in old)
        return old.get(key) == new.get(key)
    return old == new


def _named(item: Any) -> bool:
    return isinstance(item, dict) and any(key in item for key in IDENTITY_KEYS)


def _services_only(policy: Any) -> list[str] | None:
    """The services of a trust policy that says only "these services may assume the role", else None."""
    statements = policy.get("Statement") if isinstance(policy, dict) else None
    if not isinstance(statements, list) or len(statements) != 1:
        return None
    principal = statements[0].get("Principal")
    services = principal.get("Service") if isinstance(principal, dict) else None
    services = [services] if isinstance(services, str) else services
    if not isinstance(services, list) or json.loads(trust_policy_for_services(services)) != policy:
        return None
    return services
