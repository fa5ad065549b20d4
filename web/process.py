"""Settings of a long-running process once its app is built (``licensing serve``, ``licensing scheduler``, each
gunicorn worker).

Python's cyclic garbage collector runs after every 700 new container objects by default and, now and then, walks
every object the process holds. An engine step allocates tens of thousands (a restored workflow is a web of tasks
that refer to it and to each other), and the process holds hundreds of thousands that never go away: modules, the
parsed diagrams, the ORM's mappings. So the collector ran many times per step and kept walking what had been there
since start-up: an eighth of a fired timer's CPU time. After start-up, what exists is moved out of the collector's
sight for good (``gc.freeze``), and the youngest generation is collected every 10 000 allocations instead of 700.
Garbage in cycles is still collected, only in fewer, larger passes.
"""

from __future__ import annotations

import gc

YOUNGEST_GENERATION_THRESHOLD = 10_000


def settle_after_start() -> None:
    """Call once the app is built and before serving: freeze what start-up made, collect less often."""
    gc.collect()
    gc.freeze()
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(YOUNGEST_GENERATION_THRESHOLD, middle, oldest)
