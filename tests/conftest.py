"""Test-wide settings: hypothesis runs without per-example deadlines (no timing in tests).

Under CI (``CI`` set) the examples are derandomized, so a landing never hinges on the draw of
one run; local runs keep exploring new examples each time (and report any failure's seed).
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("gluesim", deadline=None, print_blob=True)
settings.register_profile("gluesim-ci", parent=settings.get_profile("gluesim"), derandomize=True)
settings.load_profile("gluesim-ci" if os.environ.get("CI") else "gluesim")
