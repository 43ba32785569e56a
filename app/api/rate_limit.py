"""In-memory fixed-window rate limit per client address (one process; proxies do the rest)."""

import math
import time
from collections.abc import Callable


class RateLimiter:
    """Allows ``limit`` hits per client per ``window`` seconds; ``limit=0`` allows everything."""

    def __init__(self, limit: int, window: float = 60.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit, self.window, self.clock = limit, window, clock
        self._window_start = clock()
        self._counts: dict[str, int] = {}

    def retry_after(self, client: str) -> int | None:
        """Record a hit; None when allowed, else the whole seconds until the window resets."""
        if self.limit <= 0:
            return None
        now = self.clock()
        if now - self._window_start >= self.window:
            # A new window forgets every client, so memory stays bounded by one window's clients.
            self._window_start, self._counts = now, {}
        count = self._counts.get(client, 0) + 1
        self._counts[client] = count
        if count <= self.limit:
            return None
        return max(1, math.ceil(self.window - (now - self._window_start)))
