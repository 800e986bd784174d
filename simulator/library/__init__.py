"""The trainee scenario library: shipped broken accounts to fix, and grading of the answers.

Owns ``simulator/data/scenarios/*.yaml`` (read through :mod:`.catalog`; a trainee's starting
file is :mod:`.starting`), the grading of a trainee's answer (:mod:`.grading`) and the
trainee's progress in the user's state folder (:mod:`.progress`). It sits above the engine: it may import
``gluesim.simulator.scenario``, ``gluesim.simulator.engine``, the model and ``gluesim.kb``;
nothing below it imports it (the import-linter contract in ``pyproject.toml``).
"""

from gluesim.simulator.library.catalog import (
    DEFAULT_NAME,
    Difficulty,
    LibraryScenario,
    Training,
    catalog,
    files,
    get,
    library_dir,
    names,
    ordered,
    read,
    training_of,
)
from gluesim.simulator.library.grading import (
    CheckedAction,
    CheckResult,
    Outcome,
    broad_grants,
    check,
    check_model,
    disagreements,
    intent,
    intent_changes,
    outcome,
)

__all__ = [
    "DEFAULT_NAME", "CheckResult", "CheckedAction", "Difficulty", "LibraryScenario", "Outcome", "Training",
    "broad_grants", "catalog", "check", "check_model", "disagreements", "files", "get", "intent",
    "intent_changes", "library_dir", "names", "ordered", "outcome", "read", "training_of",
]
