"""The DevTools-pipe client of conftest.py: a target that goes away ends its watcher quietly.

A worker or frame that detaches before replying (or a browser that is closing) never ran, so
the network record misses nothing; any other failure of a watcher must fail the test that
reads the record, never surface later as a stray thread warning.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator

import pytest

from tests.docs.conftest import Browser, TargetGone


@pytest.fixture
def browser() -> Iterator[Browser]:
    """A Browser with its protocol state but no Chromium: commands go to a pipe nobody answers."""
    browser = object.__new__(Browser)
    read_end, write_end = os.pipe()
    browser._start_protocol(write_end)
    try:
        yield browser
    finally:
        os.close(read_end)
        os.close(write_end)


def later(action, delay: float = 0.2) -> None:  # noqa: ANN001
    threading.Timer(delay, action).start()


def test_a_detached_worker_ends_its_watcher_without_an_error(browser: Browser) -> None:
    later(lambda: browser._dispatch({"method": "Target.detachedFromTarget", "params": {"sessionId": "w1"}}))
    started = time.monotonic()
    browser._watch("w1")
    assert browser.watch_errors == [] and time.monotonic() - started < 10


def test_closing_the_browser_wakes_a_waiting_command(browser: Browser) -> None:

    def close() -> None:
        with browser._lock:
            browser._closing = True
            browser._lock.notify_all()

    later(close)
    with pytest.raises(TargetGone):
        browser.send("Network.enable", session="w2")


def test_an_error_reply_to_a_watcher_fails_the_network_record(browser: Browser) -> None:
    later(lambda: browser._dispatch({"id": 1, "error": {"code": -32000, "message": "boom"}}))
    browser._watch("w3")
    assert browser.watch_errors and "boom" in browser.watch_errors[0]
    with pytest.raises(AssertionError, match="was not watched"):
        browser.requested_urls()
