"""Compile a policy document once: validate its grammar, build matchers, index by service.

Two readings give the same compiled policy: the quick one (``quick``) for the common shape of a
valid policy, and the careful one (``grammar``) for everything else, which locates the first
problem of a malformed policy. Compiled policies are kept by their text (see ``_CompiledTexts``).

Grammar: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
Elements: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from typing import Any

from gluesim.simulator.iam import elements, jsontext, quick
from gluesim.simulator.iam.compiled import STATEMENT_KEYS, VERSIONS, Policy, Statement
from gluesim.simulator.iam.grammar import Compiler
from gluesim.simulator.iam.model import PolicyError, PolicyType

__all__ = ["STATEMENT_KEYS", "VERSIONS", "Policy", "Statement", "clear_caches", "compile_careful", "compile_located",
           "compile_policy"]


def compile_policy(document: str | Mapping[str, Any], policy_id: str, policy_type: PolicyType,
                   source_name: str | None = None) -> Policy:
    """Parse, validate and compile a policy document; raise PolicyError with a JSON path."""
    if isinstance(document, str):
        return _compile_text(document, policy_id, policy_type, source_name or policy_id)
    text = json.dumps(document, indent=2, ensure_ascii=False)
    return _compile_text(text, policy_id, policy_type, source_name or policy_id)


def compile_located(text: str, policy_id: str, policy_type: PolicyType, source: str) -> Policy:
    """``compile_policy`` for text read from a file: errors also carry ``source:line:col``."""
    try:
        return compile_policy(text, policy_id, policy_type, source)
    except PolicyError as exc:
        if exc.line is not None:
            raise
        found = jsontext.Positions(text).line_col(exc.parts, exc.at_key)
        if found is None:
            raise
        raise PolicyError(source, exc.path, exc.what, *found, parts=exc.parts) from None


def compile_careful(text: str, policy_id: str, policy_type: PolicyType, source: str) -> Policy:
    """The careful reading alone (no cache, no quick path): what the quick path must agree with."""
    data = jsontext.parse(text, source)
    return Compiler(source, policy_type).build(data, Policy(policy_id, policy_type, source, text, None))


class _CompiledTexts:
    """Compiled policies by (text, id, type, source name), the oldest forgotten first.

    One-shot requests bring texts never seen before and never seen again; keeping thousands of
    them alive only gives the garbage collector more to walk. So a text seen for the first time
    is kept in a small probation segment, and only a text compiled again (found in probation, or
    remembered by the hash of its key among the last ``remembered`` compiled) is kept in the
    large protected segment, where an account's policies stay. Both segments forget in the order
    texts entered them: a hit costs one dictionary look-up, and a policy forgotten while still in
    use is compiled again once and then kept again.
    """

    def __init__(self, probation: int, protected: int, remembered: int) -> None:
        self.sizes = (probation, protected, remembered)
        self.lock = threading.Lock()  # for the writers (as functools.lru_cache, usable from threads)
        self.probation: dict[tuple[str, str, PolicyType, str], Policy] = {}
        self.protected: dict[tuple[str, str, PolicyType, str], Policy] = {}
        self.seen: set[int] = set()  # hashes of recently compiled keys: ints, nothing for the collector

    def get(self, key: tuple[str, str, PolicyType, str]) -> Policy | None:
        found = self.protected.get(key)
        if found is None:
            found = self.probation.pop(key, None)
            if found is not None:
                with self.lock:
                    self._protect(key, found)
        return found

    def put(self, key: tuple[str, str, PolicyType, str], policy: Policy) -> None:
        probation, _, remembered = self.sizes
        code = hash(key)
        with self.lock:
            if code in self.seen:
                self._protect(key, policy)
                return
            if len(self.seen) >= remembered:
                self.seen.clear()
            self.seen.add(code)
            if len(self.probation) >= probation:
                del self.probation[next(iter(self.probation))]
            self.probation[key] = policy

    def _protect(self, key: tuple[str, str, PolicyType, str], policy: Policy) -> None:
        if len(self.protected) >= self.sizes[1]:
            del self.protected[next(iter(self.protected))]
        self.protected[key] = policy

    def clear(self) -> None:
        with self.lock:
            self.probation.clear()
            self.protected.clear()
            self.seen.clear()


_COMPILED = _CompiledTexts(probation=64, protected=4096, remembered=16384)


def _compile_text(text: str, policy_id: str, policy_type: PolicyType, source: str) -> Policy:
    key = (text, policy_id, policy_type, source)
    found = _COMPILED.protected.get(key)  # an account's policies: one look-up
    if found is None:
        found = _COMPILED.get(key)
    if found is None:
        found = quick.compile_text(text, Policy(policy_id, policy_type, source, text, None))
        if found is None:
            found = compile_careful(text, policy_id, policy_type, source)
        _COMPILED.put(key, found)
    return found


def clear_caches() -> None:
    """Forget every compiled policy and element (benchmarks use this so parsing counts)."""
    _COMPILED.clear()
    elements.clear_caches()
    quick.clear_caches()
