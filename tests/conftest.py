"""Test-wide settings: hypothesis runs without per-example deadlines (no timing in tests)."""

from __future__ import annotations

from hypothesis import settings

settings.register_profile("gluesim", deadline=None, print_blob=True)
settings.load_profile("gluesim")
