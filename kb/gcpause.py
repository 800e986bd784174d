"""Pause Python's cyclic garbage collector while a large document is read.

Reading a scenario or an export builds hundreds of thousands of dicts, lists and nodes, none of
which is garbage until the read ends. CPython still runs a collection every few hundred new
containers, and every older-generation collection walks the whole growing heap, so on the
0.8 MiB benchmark scenario the collector took more CPU than the parsing itself: loading cost
736-773 ms of CPU with the collector on and 353 ms with it paused (``bench/simulate_bench.py``
scenario, best of 5, 2026-12-07). Reference counting still frees everything that is not in a
cycle; the collector runs again, as usual, once the read is done.

https://docs.python.org/3/library/gc.html (``gc.disable``, ``gc.isenabled``)
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """Disable the collector for the block, if it is enabled, and enable it again after.

    Nesting is safe: an inner pause finds the collector off and leaves it to the outer one.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
