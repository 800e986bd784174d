"""Scenario files: reading YAML into the account model, writing it back, and the format's JSON Schema.

Owns the scenario file format (``docs/reference/scenario-format.md``): :mod:`.format` is the
JSON Schema, :mod:`.validate` checks a file against it with located errors, :mod:`.references`
resolves the names a file uses, :mod:`.reader` and :mod:`.build` turn a valid file into
:mod:`gluesim.simulator.model` objects, :mod:`.writer` writes a model back as YAML.

It may import the model, ``gluesim.simulator.policies``, the IAM evaluator (to check policy
documents) and ``gluesim.kb``; never the engine, fixes, audit or importers.

Public API::

    from gluesim.simulator import scenario
    model = scenario.load("account.yaml")     # or scenario.loads(text, name="...")
    text = scenario.dump(model)               # YAML that loads to an equal model
    scenario.schema()                         # the JSON Schema (draft 2020-12)
"""

from gluesim.simulator.scenario.reader import MAX_BYTES, dump, from_data, load, loads, schema

__all__ = ["MAX_BYTES", "dump", "from_data", "load", "loads", "schema"]
