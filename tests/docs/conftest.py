"""Fixtures for the docs-site tests: a headless Chromium driven over the DevTools pipe.

No browser-automation package is needed: Chromium started with
``--remote-debugging-pipe`` reads DevTools Protocol commands (JSON, each ended by a NUL
byte) from file descriptor 3 and writes replies and events to descriptor 4.
The network is cut off at the browser (an unreachable proxy, every host name unresolvable
except 127.0.0.1) and every request the page makes is recorded from Network events.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--proxy-server=127.0.0.1:9",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
    "--window-size=1280,900",
    "--remote-debugging-pipe",
)


def chromium_path() -> str:
    """The Chromium executable (Debian's ``chromium``), or fail with how to install it."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        pytest.fail("chromium is not installed; run: apt-get install -y chromium (as .ci/run does)")
    return found


class TargetGone(AssertionError):
    """A command's target went away (a worker or frame detached, or the browser is closing) before it replied."""


class Browser:
    """A Chromium process and one page, spoken to over the DevTools pipe."""

    def __init__(self, profile: Path) -> None:
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()

        def wire() -> None:  # runs in the child before exec: the pipe must be fds 3 and 4
            high_r, high_w = fcntl.fcntl(to_child_r, fcntl.F_DUPFD, 10), fcntl.fcntl(from_child_w, fcntl.F_DUPFD, 10)
            os.dup2(high_r, 3)
            os.dup2(high_w, 4)

        self.process = subprocess.Popen(
            [chromium_path(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "about:blank"],
            preexec_fn=wire,
            close_fds=False,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_child_r)
        os.close(from_child_w)
        self._start_protocol(self._to_child)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.session = self._open_page()

    def _start_protocol(self, to_child: int) -> None:
        """The state of the conversation: commands go to ``to_child``; replies and events are kept."""
        self._to_child = to_child
        self._next_id = 0
        self._replies: dict[int, dict[str, Any]] = {}
        self.events: list[dict[str, Any]] = []
        self.watch_errors: list[str] = []  # a watcher that failed: the network record would be incomplete
        self._detached: set[str] = set()
        self._closing = False
        self._lock = threading.Condition()

    def _read(self) -> None:
        buffer = b""
        while chunk := os.read(self._from_child, 1 << 16):
            buffer += chunk
            *messages, buffer = buffer.split(b"\0")
            for raw in messages:
                self._dispatch(json.loads(raw))

    def _dispatch(self, message: dict[str, Any]) -> None:
        with self._lock:
            if "id" in message:
                self._replies[message["id"]] = message
            else:
                self.events.append(message)
                if message.get("method") == "Target.detachedFromTarget":
                    self._detached.add(message["params"]["sessionId"])
                if message.get("method") == "Target.attachedToTarget":
                    threading.Thread(target=self._watch, args=(message["params"]["sessionId"],), daemon=True).start()
            self._lock.notify_all()

    def _watch(self, session: str) -> None:
        """Record the network of workers and frames attached automatically, then let them run.

        A target paused on start runs only after ``runIfWaitingForDebugger``, so one that detaches
        (or a browser that closes) before the replies made no request to miss; any other failure
        is kept in ``watch_errors`` and fails the test that reads the network record.
        """
        try:
            self.send("Network.enable", session=session)
            self.send("Runtime.runIfWaitingForDebugger", session=session)
        except TargetGone:
            return
        except AssertionError as error:
            with self._lock:
                self.watch_errors.append(str(error))

    def send(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> dict[str, Any]:
        """Send one command and wait for its reply (``result``); fail on a protocol error."""
        with self._lock:
            self._next_id += 1
            ident = self._next_id
        message: dict[str, Any] = {"id": ident, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_child, json.dumps(message).encode() + b"\0")

        def gone() -> bool:
            return (session is not None and session in self._detached) or (self._closing and method != "Browser.close")

        with self._lock:
            if not self._lock.wait_for(lambda: ident in self._replies or gone(), timeout=30):
                raise AssertionError(f"no reply from Chromium to {method}")
            if ident not in self._replies:
                raise TargetGone(f"{method}: the target went away before replying")
            reply = self._replies.pop(ident)
        if "error" in reply:
            raise AssertionError(f"{method} failed: {reply['error']}")
        return reply.get("result", {})

    def _open_page(self) -> str:
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for method in ("Page.enable", "Network.enable", "Runtime.enable"):
            self.send(method, session=session)
        self.send(
            "Target.setAutoAttach",
            {"autoAttach": True, "waitForDebuggerOnStart": True, "flatten": True},
            session=session,
        )
        return session

    def page(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """Send a command to the page."""
        return self.send(method, params, session=self.session)

    def open(self, url: str) -> None:
        """Navigate the page to ``url`` and wait for its load event."""
        seen = len(self.events)
        self.page("Page.navigate", {"url": url})
        self.wait_for(lambda: any(e.get("method") == "Page.loadEventFired" for e in self.events[seen:]), f"load of {url}")

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (promises are awaited)."""
        result = self.page("Runtime.evaluate", {"expression": expression, "awaitPromise": True, "returnByValue": True})
        if "exceptionDetails" in result:
            raise AssertionError(f"{expression!r} raised {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, ready: Callable[[], Any], what: str, timeout: float = 20.0) -> Any:
        """Poll ``ready()`` until it returns something truthy; fail after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = ready()
            if value:
                return value
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {what}")

    def type_text(self, text: str) -> None:
        """Type ``text`` key by key into the focused element, as a person would."""
        for char in text:
            self.page("Input.dispatchKeyEvent", {"type": "keyDown", "key": char, "text": char})
            self.page("Input.dispatchKeyEvent", {"type": "keyUp", "key": char})

    def requested_urls(self) -> list[str]:
        """Every URL any page, frame or worker asked for so far."""
        with self._lock:
            assert not self.watch_errors, f"a frame or worker was not watched: {self.watch_errors}"
            return [e["params"]["request"]["url"] for e in self.events if e.get("method") == "Network.requestWillBeSent"]

    def screenshot(self, path: Path) -> None:
        """Save a PNG of the page."""
        data = self.page("Page.captureScreenshot", {"format": "png"})["data"]
        path.write_bytes(base64.b64decode(data))

    def close(self) -> None:
        """Ask Chromium to quit, then make sure it has."""
        with self._lock:
            self._closing = True
            self._lock.notify_all()
        try:
            self.send("Browser.close")
        except (AssertionError, OSError):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._to_child)
        self._reader.join(timeout=10)  # Chromium has exited: the reader sees the end of its pipe
        os.close(self._from_child)


@pytest.fixture
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    """A fresh headless Chromium with its own profile folder and no network."""
    instance = Browser(tmp_path_factory.mktemp("chromium-profile"))
    try:
        yield instance
    finally:
        instance.close()
