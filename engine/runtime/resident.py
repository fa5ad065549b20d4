"""Workflows this process serialized last, kept in memory so that its next step on the instance need not restore them.

A step ends by serializing its workflow into the instance's row. The same process often takes the next step on
that instance: the gateway checks after a submission, the draft after an officer's decision, the next task an
officer completes in the same worker. Restoring the state from its JSON is a third of such a step. So each
workflow is kept beside the exact text it was serialized to, and a step that finds the instance's stored state
equal to that text takes the object instead of restoring the text (a digest of the text is kept, not the text).

Equality with the stored text is the whole check, and it is enough: a kept workflow is never changed after it was
serialized (a step takes it out while it runs, so no two steps share one, and one that fails never puts it back),
so restoring the text would give the same workflow. Anything that changed the row since — a step of another
process, a rolled-back transaction (the row keeps the older text), an upgrade — makes the texts differ, and the
state is restored as usual. Nothing else depends on this memory: every step still writes its state, and a
process that never saw an instance restores it from the database. Bounded: the least recently kept workflow goes
first; a size of 0 keeps nothing.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from typing import Any

DEFAULT_SIZE = 256


class ResidentWorkflows:
    """At most ``size`` workflows, each under its instance id with the state text it was serialized to."""

    def __init__(self, size: int = DEFAULT_SIZE) -> None:
        if size < 0:
            raise ValueError("the number of resident workflows cannot be negative")
        self.size = size
        self._kept: OrderedDict[str, tuple[bytes, Any, Any]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def take(self, instance_id: str, state: str, spec: Any) -> Any | None:
        """The workflow kept for ``instance_id`` if it was serialized to exactly ``state`` from ``spec``; it is
        the caller's alone from now on (it is no longer kept). None when the state must be restored."""
        if not self.size:
            return None
        with self._lock:
            kept = self._kept.pop(instance_id, None)
            if kept is not None and kept[1] is spec and kept[0] == _digest(state):
                self.hits += 1
                return kept[2]
            self.misses += 1
            return None

    def keep(self, instance_id: str, state: str, spec: Any, workflow: Any) -> None:
        """Keep ``workflow``, just serialized to ``state``; the caller must not change it any more."""
        if not self.size:
            return
        digest = _digest(state)
        with self._lock:
            self._kept.pop(instance_id, None)
            self._kept[instance_id] = (digest, spec, workflow)
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)

    def __len__(self) -> int:
        return len(self._kept)


def _digest(state: str) -> bytes:
    """What identifies a state text: its BLAKE2b digest (a step's state is tens of kilobytes)."""
    return hashlib.blake2b(state.encode(), digest_size=32).digest()
