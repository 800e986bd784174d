"""Fixes: the ordered plan of smallest changes that makes failing Glue Studio actions pass.

Owns turning a simulation's structured :class:`~gluesim.simulator.engine.results.Change` s
into a fixed model: :mod:`.plan` simulates, applies and orders the steps by the knowledge
base planner's waves; :mod:`.apply` applies a change to a model (pure); :mod:`.network` the
structural changes (a renamed role, a NAT gateway, an S3 endpoint, a security group rule).

It may import the engine, the model, ``gluesim.simulator.policies`` and ``gluesim.kb``.

Public API::

    from gluesim.simulator.fix import fix
    result = fix(model)        # result.steps, result.unresolved, result.scenario
"""

from gluesim.simulator.fix.plan import FixResult, FixStep, fix

__all__ = ["FixResult", "FixStep", "fix"]
