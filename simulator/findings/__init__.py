"""Findings: what simulate, audit and policy check report, in one shape, with suppressions and the config file.

Owns the common shape pipelines consume (:class:`.model.Finding`: a rule id, a level, a
message, a help URL, where the user wrote the thing, a fingerprint stable across runs), the
adapters from each command's result (:mod:`.collect`), suppressions (:mod:`.suppress`: from
the config file, from a scenario's ``suppress:`` entries, from CloudFormation ``Metadata``),
and the config file itself (:mod:`.config`: ``[tool.gluesim]`` in ``pyproject.toml`` or
``.gluesim.yaml``). Rendering (text, JSON, SARIF) is the CLI's.

It may import the engine's results, the audit, the IAM linter, the scenario package and ``gluesim.kb``.
"""

from gluesim.simulator.findings.model import Finding, Location, Suppression

__all__ = ["Finding", "Location", "Suppression"]
