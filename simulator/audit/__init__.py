"""The account-wide audit: who can do which Glue Studio action, which roles can run jobs, risky grants.

Owns :func:`audit` (:mod:`.access`) and what it asks of each principal (:mod:`.rules`: the KB
permissions per action, job-role checks, risky-grant probes). It may import the engine, the
model, the IAM evaluator and ``gluesim.kb``.

Public API::

    from gluesim.simulator.audit import audit
    result = audit(model)      # result.principals, result.job_roles, result.risks, result.jobs
"""

from gluesim.simulator.audit.access import Audit, audit

__all__ = ["Audit", "audit"]
