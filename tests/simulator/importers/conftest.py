"""Fixtures shared by the importer tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def notices():
    """An empty notice list."""
    from gluesim.simulator.importers.common import Notices

    return Notices()
