"""The account-wide audit: who can do which Glue Studio action, which roles can run jobs, risky grants.

Owns :func:`audit` (:mod:`.access`): per-principal verdicts from the simulation engine
(:mod:`.verdicts`, the code path of ``simulate``), job roles and who may pass them, and risky
grants (:mod:`.risks`, probes from :mod:`.rules`); :mod:`.results` is what it returns. It may
import the engine, the model, the IAM evaluator and ``gluesim.kb``.

Public API::

    from gluesim.simulator.audit import audit
    result = audit(model)      # result.principals, result.job_roles, result.risks, result.jobs
"""

from gluesim.simulator.audit.access import Audit, audit

__all__ = ["Audit", "audit"]
