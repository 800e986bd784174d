"""Resolve what a user asks ``gluesim explain`` about, offline.

The answers are immutable NamedTuples rather than slotted dataclasses: this module is
imported on every ``explain``, and building eight dataclasses costs more start-up time
than the rest of the module (bench/startup.py).

A term is tried, in order, as: an entry id (or an action's short name), an IAM action
(any case, wildcards allowed), an AWS managed policy name, and finally a few free
words, ranked. Nothing matching is bad input: a GluesimError with the closest names.
"""

from __future__ import annotations

import difflib
import re
from typing import NamedTuple

from gluesim.kb.errors import GluesimError
from gluesim.kb.model import Entry, KnowledgeBase, Permission, Principal

IAM_ACTION = re.compile(r"^[A-Za-z0-9-]+:[A-Za-z0-9*?]+$")
WORD = re.compile(r"[a-z0-9]+")
MAX_HITS = 10
# Identities a managed policy can be attached to; "what it does not grant" is reported for these.
ATTACHABLE = (Principal.USER, Principal.JOB_ROLE, Principal.REDSHIFT_CLUSTER_ROLE)
# Field weights for free-word ranking: a word in the id or an alias says more than one in the summary.
WEIGHTS = (("id", 5.0), ("aliases", 4.0), ("title", 3.0), ("actions", 2.0), ("summary", 1.0), ("remediation", 0.5))


class EntryAnswer(NamedTuple):
    """The term named one entry."""

    entry: Entry
    needed_by: tuple[str, ...]
    blocks: tuple[str, ...] = ()  # the Glue Studio actions that fail without it


class PermissionUse(NamedTuple):
    """One entry's permission that names the asked-about IAM action."""

    entry: Entry
    permission: Permission
    matched: tuple[str, ...]


class PolicyGrant(NamedTuple):
    """A shipped managed policy whose statements cover an action (action level only)."""

    policy: str
    allow: tuple[int, ...]
    deny: tuple[int, ...]
    statements: tuple[object, ...] = ()  # the covering gluesim.kb.policies.Statement objects, allow then deny


class IamActionAnswer(NamedTuple):
    """The term was an IAM action: who needs it, where AWS documents it, which managed policies grant it."""

    action: str
    uses: tuple[PermissionUse, ...]
    documented_in: tuple[str, ...]
    granted_by: tuple[PolicyGrant, ...]


class PolicyStatementUse(NamedTuple):
    """A statement of a managed policy that matters to Glue Studio, and the KB actions it covers."""

    statement: object  # gluesim.kb.policies.Statement (imported lazily)
    kb_actions: tuple[str, ...]


class PolicyAnswer(NamedTuple):
    """The term was a managed policy: what it grants that matters to Glue Studio, and what it does not."""

    name: str
    arn: str | None
    named_by: tuple[Entry, ...]  # the entries that name the policy: why Glue Studio needs it
    statements: tuple[PolicyStatementUse, ...]
    granted: tuple[str, ...]
    not_granted: dict[str, tuple[str, ...]]  # principal -> KB actions it lacks


class SearchAnswer(NamedTuple):
    """The term was free words: entries ranked by how well they match."""

    query: str
    hits: tuple[tuple[Entry, float], ...]


Answer = EntryAnswer | IamActionAnswer | PolicyAnswer | SearchAnswer


def explain(kb: KnowledgeBase, term: str) -> Answer:
    """Resolve ``term`` to an entry, an IAM action, a managed policy or ranked entries."""
    text = " ".join(term.split())
    if not text:
        raise GluesimError("explain: the term is empty; give an id, an IAM action, a managed policy or a few words")
    entry = find_entry(kb, text)
    if entry is not None:
        return EntryAnswer(entry, kb.dependents(entry.id), kb.actions_needing(entry.id))
    if IAM_ACTION.match(text):
        return explain_iam_action(kb, text)
    if names_policy(text):
        return explain_policy(kb, text)
    hits = search(kb, text)
    if hits:
        return SearchAnswer(text, hits)
    raise GluesimError(f"explain: nothing matches {text!r}{_suggest(kb, text)}")


def names_policy(text: str) -> bool:
    """Whether ``text`` names a shipped managed policy.

    Any case works for compound names (``awsglueconsolefullaccess``); a policy named by one
    plain word (the job-function policy ``Billing``) must be written exactly, so that
    ``explain billing`` searches the KB for the word instead.
    """
    from gluesim.kb import policies

    found = policies.find_policy_name(text)
    return found is not None and (found == text.rsplit("/", 1)[-1] or sum(c.isupper() for c in found) > 1)


def find_entry(kb: KnowledgeBase, text: str) -> Entry | None:
    """The entry whose id (any case) is ``text`` or ``action.<text>``, or the only id ending in ``.<text>``."""
    lowered = text.lower()
    for candidate in (lowered, f"action.{lowered}"):
        if candidate in kb:
            return kb.entries[candidate]
    by_suffix = [e for e in kb if e.id.split(".", 1)[1] == lowered]
    return by_suffix[0] if len(by_suffix) == 1 else None


def explain_iam_action(kb: KnowledgeBase, action: str) -> IamActionAnswer:
    """Who in the KB needs ``action`` (any case; wildcards on either side) and which managed policies grant it."""
    from gluesim.kb.policies import action_matches

    uses = []
    for entry in kb:
        for permission in entry.permissions:
            matched = tuple(a for a in permission.actions if action_matches(a, action) or action_matches(action, a))
            if matched:
                uses.append(PermissionUse(entry, permission, matched))
    if not uses:
        close = difflib.get_close_matches(action.lower(), [a.lower() for a in kb.iam_actions()], n=3, cutoff=0.6)
        names = {a.lower(): a for a in kb.iam_actions()}
        hint = f"; did you mean {' or '.join(repr(names[c]) for c in close)}?" if close else ""
        raise GluesimError(f"explain: no Glue Studio requirement in the knowledge base needs {action!r}{hint}")
    documented = tuple(sorted({use.permission.documented_in.value for use in uses}))
    return IamActionAnswer(action, tuple(uses), documented, _grants(action))


def _grants(action: str) -> tuple[PolicyGrant, ...]:
    from gluesim.kb import policies

    grants = []
    for name in policies.policy_names():
        policy = policies.load_policy(name)
        allow = policy.statements_covering(action, "Allow")
        deny = policy.statements_covering(action, "Deny")
        if allow or deny:
            grants.append(PolicyGrant(name, tuple(s.index for s in allow), tuple(s.index for s in deny),
                                      tuple(allow + deny)))
    return tuple(grants)


def explain_policy(kb: KnowledgeBase, name: str) -> PolicyAnswer:
    """What managed policy ``name`` grants among the IAM actions the KB needs, statement by statement."""
    from gluesim.kb import policies

    policy = policies.load_policy(name)
    needed = kb.iam_actions()
    used = []
    for statement in policy.statements:
        covered = tuple(a for a in needed if statement.covers(a))
        if covered:
            used.append(PolicyStatementUse(statement, covered))
    granted = tuple(a for a in needed if policy.statements_covering(a) and not policy.statements_covering(a, "Deny"))
    missing: dict[str, tuple[str, ...]] = {}
    for principal in ATTACHABLE:
        lacking = [a for a in needed if a not in granted and _needed_by(needed[a], a, principal)]
        if lacking:
            missing[principal.value] = tuple(lacking)
    named_by = tuple(kb.managed_policies().get(policy.name, ()))
    return PolicyAnswer(policy.name, policy.arn, named_by, tuple(used), granted, missing)


def _needed_by(entries: list[Entry], action: str, principal: Principal) -> bool:
    return any(action in p.actions and p.principal is principal for e in entries for p in e.permissions)


def search(kb: KnowledgeBase, query: str) -> tuple[tuple[Entry, float], ...]:
    """Entries ranked by free-word match: every word must match somewhere; best first, then by id."""
    words = [_stem(w) for w in WORD.findall(query.lower())]
    if not words:
        return ()
    scored = []
    for entry in kb:
        fields = _fields(entry)
        per_word = [sum(weight for name, weight in WEIGHTS if word in fields[name]) for word in words]
        if all(per_word):
            scored.append((entry, round(sum(per_word), 2)))
    scored.sort(key=lambda hit: (-hit[1], hit[0].id))
    return tuple(scored[:MAX_HITS])


def _fields(entry: Entry) -> dict[str, set[str]]:
    actions = " ".join(a.replace(":", " ") for a in entry.iam_actions())
    texts = {
        "id": entry.id.replace(".", " ").replace("-", " "),
        "aliases": " ".join(entry.aliases),
        "title": entry.title,
        "actions": actions,
        "summary": entry.summary,
        "remediation": entry.remediation,
    }
    return {name: {_stem(w) for w in WORD.findall(text.lower())} for name, text in texts.items()}


def _stem(word: str) -> str:
    """A crude plural fold (dashboards -> dashboard) so singular and plural queries meet."""
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def _suggest(kb: KnowledgeBase, text: str) -> str:
    from gluesim.kb import policies

    names = [*kb.entries, *(e.id.removeprefix("action.") for e in kb.actions()), *kb.iam_actions(), *policies.policy_names()]
    lowered = {n.lower(): n for n in names}
    close = difflib.get_close_matches(text.lower(), list(lowered), n=3, cutoff=0.6)
    if close:
        return f"; did you mean {' or '.join(repr(lowered[c]) for c in close)}?"
    return "; try an entry id (gluesim kb list), an IAM action such as glue:BatchDeleteJob, a managed policy name, or other words"
