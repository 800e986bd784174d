"""Re-check a trainee's answer file whenever it is saved (``gluesim scenarios watch``).

A plain poll of the file's modification time and size twice a second: one file, read by
people as they type, needs nothing more. (A file-events library such as watchfiles would
add a compiled dependency and its start-up for no gain on a single file.)
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

INTERVAL_SECONDS = 0.5


def stamp(path: Path) -> tuple[int, int] | None:
    """What changes when the file is saved: its modification time (ns) and size; None when it is missing."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size


def watch(path: Path, on_change: Callable[[], bool], sleep: Callable[[float], None] | None = None,
          interval: float = INTERVAL_SECONDS) -> None:
    """Call ``on_change()`` now and after every save of ``path``, until it returns True."""
    sleep = sleep or time.sleep
    last: tuple[int, int] | None | str = "never"
    while True:
        current = stamp(path)
        if current != last:
            last = current
            if on_change():
                return
        sleep(interval)
