"""The simulator: an in-memory AWS account and what Glue Studio can and cannot do in it.

How a scenario flows, and the package that owns each step::

    scenario file ─ scenario/ ─┐                          ┌─ fix/      smallest changes that pass
    AWS exports ── importers/ ─┴─> model.py ─> engine/ ─> ┤─ audit/    who can do what, account-wide
                                   (account)  (Report)    └─ library/  trainee exercises, grading
                                                 engine, audit, iam/lint ─> findings/ (one shape
                                                 for SARIF and suppressions) ─> the CLI

``model.py`` is the account model everything shares (frozen dataclasses); ``policies.py``
the policy documents the model needs (shipped AWS managed policies, default key policy,
ARNs); ``iam/`` the IAM policy evaluator, which knows nothing of Glue Studio.

Imports run one way, from the top of this list down (the import-linter ``layers`` contract
in ``pyproject.toml``, run by the tests)::

    findings                    what pipelines consume, from every command's result
    fix | audit | library       build on the engine
    engine | importers          importers read exports and write scenario data
    scenario                    reads and writes the model
    model | policies | iam      the shared bottom

The public Python API is listed in ``docs/reference/python-api.md``; everything else may move.
"""
