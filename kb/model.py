"""The knowledge base as frozen data: entries, their permissions, and the graph between them.

The loader (:mod:`gluesim.kb.loader`) is the only place that builds these objects; it has
already checked every field, so code that receives a :class:`KnowledgeBase` trusts it.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from gluesim.kb.errors import GluesimError, did_you_mean


class Kind(enum.StrEnum):
    """What an entry is."""

    STEP = "step"
    REQUIREMENT = "requirement"
    PRACTICE = "practice"
    SCHEMA_SOURCE = "schema-source"
    ACTION = "action"


class Basis(enum.StrEnum):
    """Whether the AWS page states a fact or we deduced it."""

    STATED = "stated"
    INFERENCE = "inference"


class Principal(enum.StrEnum):
    """Who must hold a permission (or which policy must grant it)."""

    USER = "user"
    ADMIN = "admin"
    JOB_ROLE = "job-role"
    KEY_POLICY = "key-policy"
    TRUST_POLICY = "trust-policy"
    REDSHIFT_CLUSTER_ROLE = "redshift-cluster-role"


class DocumentedIn(enum.StrEnum):
    """Where AWS documents an IAM action."""

    # The action is listed in the Service Authorization Reference
    # (https://docs.aws.amazon.com/service-authorization/latest/reference/).
    SERVICE_AUTHORIZATION_REFERENCE = "service-authorization-reference"
    # Only the Glue Studio setup pages name it (glue:BatchDeleteJob).
    GLUE_STUDIO_SETUP_PAGE_ONLY = "glue-studio-setup-page-only"


class Feature(enum.StrEnum):
    """Features of a job or account that make an entry relevant (``applies_when``)."""

    S3 = "s3"
    KMS = "kms"
    REDSHIFT = "redshift"
    LONG_RUNNING = "long-running"
    CATALOG = "catalog"
    CONNECTOR = "connector"
    MARKETPLACE_CONNECTOR = "marketplace-connector"
    CONNECTION_SECRET = "connection-secret"
    NON_S3_STORE = "non-s3-store"
    VPC = "vpc"
    INTERNET = "internet"
    STREAMING = "streaming"
    KINESIS_SOURCE = "kinesis-source"
    KINESIS_TARGET = "kinesis-target"
    CUSTOM_POLICY = "custom-policy"
    CUSTOM_ROLE_NAME = "custom-role-name"
    GLUE_CONSOLE = "glue-console"
    BILLING = "billing"
    PASSWORD_RESET = "password-reset"
    DASHBOARDS = "dashboards"
    VISUAL_TRANSFORMS = "visual-transforms"
    CUSTOM_CONNECTOR = "custom-connector"

    @property
    def meaning(self) -> str:
        """When the feature is present, in plain words ("a bucket the job uses has SSE-KMS")."""
        return FEATURE_MEANING[self]


# What each feature means, as plans say it ("only if a bucket the job uses has SSE-KMS").
# The simulator derives the same features from a scenario (simulator/engine/jobfacts.py).
FEATURE_MEANING = {
    Feature.S3: "the job reads or writes Amazon S3, as every job does for its script",
    Feature.KMS: "a bucket the job uses is encrypted with SSE-KMS",
    Feature.REDSHIFT: "the job reads from or writes to Amazon Redshift",
    Feature.LONG_RUNNING: "the job may run for more than one hour",
    Feature.CATALOG: "the job reads or writes a Data Catalog table",
    Feature.CONNECTOR: "the job uses a connector and a connection",
    Feature.MARKETPLACE_CONNECTOR: "the connector comes from AWS Marketplace",
    Feature.CONNECTION_SECRET: "the connection keeps its credentials in AWS Secrets Manager",
    Feature.NON_S3_STORE: "the job uses a data store other than Amazon S3",
    Feature.VPC: "the job runs inside a VPC",
    Feature.INTERNET: "the job in a VPC also needs the internet",
    Feature.STREAMING: "the job reads a streaming source",
    Feature.KINESIS_SOURCE: "the job reads a Kinesis data stream",
    Feature.KINESIS_TARGET: "the job writes to a Kinesis data stream",
    Feature.CUSTOM_POLICY: "the user has a custom policy instead of AWSGlueConsoleFullAccess",
    Feature.CUSTOM_ROLE_NAME: "the job role's name does not start with AWSGlueServiceRole",
    Feature.GLUE_CONSOLE: "people also use the classic AWS Glue console",
    Feature.BILLING: "the administrator opens the Billing console",
    Feature.PASSWORD_RESET: "the user must create a new password at first sign-in",
    Feature.DASHBOARDS: "people use CloudWatch dashboards",
    Feature.VISUAL_TRANSFORMS: "the job uses visual transforms",
    Feature.CUSTOM_CONNECTOR: "the job uses a custom connector whose code (a JAR) is in Amazon S3",
}


@dataclass(frozen=True, slots=True)
class Source:
    """Where a fact comes from: the section heading exactly as on the page, and the page URL."""

    section: str
    url: str


@dataclass(frozen=True, slots=True)
class Permission:
    """IAM actions that ``principal`` needs on resources (templates with ``{placeholders}``)."""

    actions: tuple[str, ...]
    resources: tuple[str, ...]
    principal: Principal
    documented_in: DocumentedIn
    conditions: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=lambda: MappingProxyType({}))
    note: str | None = None

    def __hash__(self) -> int:
        return hash((self.actions, self.resources, self.principal))

    def as_dict(self) -> dict[str, Any]:
        """This permission as JSON-able data."""
        return {
            "actions": list(self.actions),
            "resources": list(self.resources),
            "principal": self.principal.value,
            "documented_in": self.documented_in.value,
            "conditions": {op: {k: list(v) for k, v in keys.items()} for op, keys in self.conditions.items()},
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class Entry:
    """One step, requirement, practice, schema source or Glue Studio action."""

    id: str
    kind: Kind
    title: str
    summary: str
    depends_on: tuple[str, ...]
    source: Source
    permissions: tuple[Permission, ...]
    applies_when: tuple[Feature, ...]
    remediation: str
    basis: Basis
    note: str | None = None
    managed_policies: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    file: str = ""
    line: int = 0

    def __hash__(self) -> int:
        return hash(self.id)

    def iam_actions(self) -> tuple[str, ...]:
        """Every IAM action (or action pattern) this entry's permissions name, in order, once."""
        seen: dict[str, None] = {}
        for permission in self.permissions:
            seen.update(dict.fromkeys(permission.actions))
        return tuple(seen)

    def as_dict(self) -> dict[str, Any]:
        """This entry as JSON-able data (the shape documented in docs/reference/json-output.md)."""
        return {
            "id": self.id,
            "kind": self.kind.value,
            "title": self.title,
            "summary": self.summary,
            "depends_on": list(self.depends_on),
            "source": {"section": self.source.section, "url": self.source.url},
            "permissions": [p.as_dict() for p in self.permissions],
            "applies_when": [f.value for f in self.applies_when],
            "remediation": self.remediation,
            "basis": self.basis.value,
            "note": self.note,
            "managed_policies": list(self.managed_policies),
            "aliases": list(self.aliases),
        }


class KnowledgeBase:
    """All entries by id, with the reverse edges (who needs what) precomputed."""

    __slots__ = ("entries", "_dependents", "files")

    def __init__(self, entries: Mapping[str, Entry], files: tuple[str, ...] = ()) -> None:
        self.entries: Mapping[str, Entry] = MappingProxyType(dict(sorted(entries.items())))
        self.files = files
        needed_by: dict[str, list[str]] = {key: [] for key in self.entries}
        for entry in self.entries.values():
            for dep in entry.depends_on:
                needed_by[dep].append(entry.id)
        self._dependents = {key: tuple(sorted(ids)) for key, ids in needed_by.items()}

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries.values())

    def __contains__(self, entry_id: object) -> bool:
        return entry_id in self.entries

    def get(self, entry_id: str) -> Entry:
        """The entry with this id, or a GluesimError that suggests the closest id."""
        try:
            return self.entries[entry_id]
        except KeyError:
            hint = did_you_mean(entry_id, self.entries) or "; run 'gluesim kb list' to see every id"
            raise GluesimError(f"unknown knowledge-base id {entry_id!r}{hint}") from None

    def actions(self) -> list[Entry]:
        """The Glue Studio actions (kind ``action``), sorted by id."""
        return [e for e in self.entries.values() if e.kind is Kind.ACTION]

    def of_kind(self, kind: Kind) -> list[Entry]:
        """Entries of one kind, sorted by id."""
        return [e for e in self.entries.values() if e.kind is kind]

    def dependents(self, entry_id: str) -> tuple[str, ...]:
        """Ids of the entries that list ``entry_id`` in their ``depends_on`` (sorted)."""
        self.get(entry_id)
        return self._dependents[entry_id]

    def actions_needing(self, entry_id: str) -> tuple[str, ...]:
        """The Glue Studio actions that need ``entry_id`` directly or through other entries (sorted)."""
        seen: set[str] = set()
        stack = list(self.dependents(entry_id))
        while stack:
            current = stack.pop()
            if current not in seen:
                seen.add(current)
                stack.extend(self._dependents[current])
        return tuple(sorted(i for i in seen if self.entries[i].kind is Kind.ACTION))

    def iam_actions(self) -> dict[str, list[Entry]]:
        """Every IAM action (as written in the KB) mapped to the entries that need it; keys sorted."""
        found: dict[str, list[Entry]] = {}
        for entry in self.entries.values():
            for action in entry.iam_actions():
                found.setdefault(action, []).append(entry)
        return dict(sorted(found.items(), key=lambda item: item[0].lower()))

    def managed_policies(self) -> dict[str, list[Entry]]:
        """Every AWS managed policy the KB names, mapped to the entries that name it; keys sorted."""
        found: dict[str, list[Entry]] = {}
        for entry in self.entries.values():
            for name in entry.managed_policies:
                found.setdefault(name, []).append(entry)
        return dict(sorted(found.items()))

    def edges(self) -> list[tuple[str, str]]:
        """Dependency edges (dependency, dependent), sorted: edges point towards what needs them."""
        return sorted((dep, e.id) for e in self.entries.values() for dep in e.depends_on)

    def graph(self) -> Any:
        """The dependency graph as a networkx DiGraph (networkx is imported only here)."""
        import networkx as nx

        graph = nx.DiGraph()
        graph.add_nodes_from(self.entries)
        graph.add_edges_from(self.edges())
        return graph
