"""Building many long-lived objects at once (a registry's records) without the cycle collector
walking them again and again.

The records of a national registry are millions of Python objects that live until the command
ends and hold no reference cycles. Built with the collector on, each young collection on the
way walks them; built with it off, the first collections after it is turned back on walk all
of them three times over (young, middle, old generation): about 0.6 s of a 3 s ``validate``
at the benchmark's default scale. A process that runs one command and exits can move them out
of the collector's reach once built (``gc.freeze``); they are still freed when their last
reference goes. A library used inside a longer process (tests, an editor's server) keeps the
collector's usual behaviour unless it asks for this too.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_FREEZE = [False]
_STARTING = [False]


def collect_after_start_up() -> None:
    """Keep the cycle collector off while the ``committee`` process starts (its imports build
    a few hundred thousand objects, none of them garbage: about 10 ms of collections, a
    fifteenth of a query); ``started`` moves what start-up built out of its reach and turns it
    back on."""
    if gc.isenabled():
        gc.disable()
        _STARTING[0] = True


def started() -> None:
    """The command's code is loaded: the collector works again, past what start-up built
    (nothing in a process that did not call ``collect_after_start_up``)."""
    if _STARTING[0]:
        _STARTING[0] = False
        gc.freeze()
        gc.enable()


def freeze_long_lived(on: bool = True) -> None:
    """Let this process move objects built in bulk out of the collector's reach (the
    ``committee`` command turns this on: it runs one command, then exits)."""
    _FREEZE[0] = on


@contextmanager
def built_in_bulk() -> Iterator[None]:
    """Build many long-lived objects with the collector off; then, when this process asked for
    it (``freeze_long_lived``), move everything alive out of the collector's reach."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if _FREEZE[0]:
            gc.freeze()
        if was_enabled:
            gc.enable()
