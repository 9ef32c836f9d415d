"""The web app's two in-process caches (one set per app)."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any


@dataclass
class _Cached:
    at: float
    value: Any


class TtlCache:
    """``make()`` at most every ``ttl`` seconds per key. An expired value is still served while
    a background thread recomputes it, so no page waits on the slow spike query twice."""

    def __init__(self) -> None:
        self._cache: dict[str, _Cached] = {}
        self._lock = threading.Lock()
        self._refreshing: set[str] = set()

    def get(self, key: str, ttl: float, make: Callable[[], Any]) -> Any:
        now = time.monotonic()
        hit = self._cache.get(key)
        if hit is None:
            hit = self._cache[key] = _Cached(now, make())
            return hit.value
        if now - hit.at > ttl:
            with self._lock:
                start = key not in self._refreshing
                self._refreshing.add(key)
            if start:

                def refresh() -> None:
                    try:
                        self._cache[key] = _Cached(time.monotonic(), make())
                    finally:
                        with self._lock:
                            self._refreshing.discard(key)

                threading.Thread(target=refresh, daemon=True, name=f"bw-{key}").start()
        return hit.value


class LruCache:
    """At most ``size`` keys, each recomputed (in the request) once older than ``ttl`` seconds:
    for keys a client can choose freely (the overview's custom windows)."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._cache: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, ttl: float, make: Callable[[], Any]) -> Any:
        with self._lock:
            hit = self._cache.get(key)
        if hit is None or time.monotonic() - hit[0] > ttl:
            hit = (time.monotonic(), make())
        with self._lock:
            self._cache[key] = hit
            self._cache.move_to_end(key)
            while len(self._cache) > self._size:
                self._cache.popitem(last=False)
        return hit[1]
