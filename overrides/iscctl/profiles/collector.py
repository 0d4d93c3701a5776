"""Pausing Python's cyclic garbage collector while a large export is read and validated.

Reading 1,000 exported profiles builds about a million objects (the parsed JSON), and
validating them another few hundred thousand (the typed models). None of them sit in
a reference cycle, so the cyclic collector has nothing to find there; but it is
triggered by allocations, and each full collection walks the whole (growing) heap
again: about two thirds of the CPU that reading and validating 1,000 profiles took.
Reference counting still frees everything as usual while the collector is paused;
it runs again, as configured, when the block ends (also on an exception).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Disable the cyclic collector for the block, unless someone else already did."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
