"""Pausing the garbage collector while a large document is read (``gluesim.kb.gcpause``)."""

from __future__ import annotations

import gc

import pytest

from gluesim.kb.gcpause import paused
from gluesim.simulator.scenario import loads


def test_the_collector_is_off_inside_and_on_again_after_even_on_error() -> None:
    assert gc.isenabled()
    with pytest.raises(RuntimeError):
        with paused():
            assert not gc.isenabled()
            with paused():
                assert not gc.isenabled()
            assert not gc.isenabled()  # the inner pause leaves it to the outer one
            raise RuntimeError
    assert gc.isenabled()


def test_a_collector_turned_off_by_the_caller_stays_off() -> None:
    gc.disable()
    try:
        with paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_loading_a_scenario_leaves_the_collector_on_even_when_the_file_is_bad() -> None:
    from gluesim.kb.errors import GluesimError

    with pytest.raises(GluesimError):
        loads("account: [", "bad.yaml")
    assert gc.isenabled()
