"""One check per knowledge-base requirement the IAM evaluator alone cannot decide.

:mod:`.base` holds the :class:`~.base.Checker` (generic IAM checks from the KB's permissions,
and the registry of special checks); :mod:`.gates` what refuses a request whatever the
identity policies say (boundaries, SCPs, key policies, endpoints) or leaves it unknown;
:mod:`.job` the job role and its resources; :mod:`.user` the person (console, Billing);
:mod:`.network` jobs in a VPC; :mod:`.stores` Kinesis, Redshift and other non-S3 stores.
Checks read the model through ``engine.context``; they may import the rest of the engine, the
model, the IAM evaluator and ``gluesim.kb``.
"""
