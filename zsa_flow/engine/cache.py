"""In-process cache of live workflow objects, keyed by case id and the case's lock version.

Deserializing a workflow costs more than running a step. A process that just saved version N of
a case keeps the object; the next run on version N reuses it. Any other process (or a failed
transaction) simply misses the cache and loads from the database, so correctness never depends on
it. `take` removes the entry, so a run that fails can never leave a half-changed object behind.
"""
import threading
from collections import OrderedDict


class WorkflowCache:
    def __init__(self, capacity: int = 2000):
        self.capacity = capacity
        self._items = OrderedDict()
        self._lock = threading.Lock()

    def take(self, case_id, lock_version):
        """Remove and return the workflow for exactly this version, else None."""
        with self._lock:
            item = self._items.pop(case_id, None)
        if item is not None and item[0] == lock_version:
            return item[1]
        return None

    def put(self, case_id, lock_version, workflow):
        with self._lock:
            self._items[case_id] = (lock_version, workflow)
            self._items.move_to_end(case_id)
            while len(self._items) > self.capacity:
                self._items.popitem(last=False)

    def clear(self):
        with self._lock:
            self._items.clear()
