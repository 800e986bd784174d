"""CloudFormation (and AWS CDK output) templates: load, resolve intrinsics, and map resources to scenario data.

Part of the importers: it may import the rest of ``gluesim.simulator.importers``, the
model, ``gluesim.simulator.policies`` and ``gluesim.kb``.
"""
