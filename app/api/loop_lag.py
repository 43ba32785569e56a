"""How far behind the event loop runs: the queueing delay every waiting request shares, read
from a timer that should fire every ``interval`` seconds (for shedding load, CoDel-style)."""

import asyncio


class LoopLag:
    """Seconds the running event loop is behind. Starts its timer on the first reading in a
    loop (and again in a new loop); a reading costs one clock call."""

    def __init__(self, interval: float = 0.05) -> None:
        self.interval = interval
        self._loop: asyncio.AbstractEventLoop | None = None
        self._due = 0.0  # loop time at which the next tick should run
        self._late = (0.0, 0.0)  # how late the last two ticks ran

    def current(self) -> float:
        """How late the last two ticks both ran, or how overdue the next one already is, if
        more. One late tick alone (a pause of the whole process: a collection, the machine
        busy elsewhere) says nothing of a queue, so it does not count; an overdue tick does."""
        loop = asyncio.get_running_loop()
        if loop is not self._loop:
            self._loop, self._late = loop, (0.0, 0.0)
            self._schedule(loop, loop.time())
            return 0.0
        return max(min(self._late), loop.time() - self._due)

    def _schedule(self, loop: asyncio.AbstractEventLoop, now: float) -> None:
        self._due = now + self.interval
        loop.call_at(self._due, self._tick, loop)

    def _tick(self, loop: asyncio.AbstractEventLoop) -> None:
        if loop is not self._loop:
            return  # a timer of a loop this monitor no longer watches
        now = loop.time()
        self._late = (self._late[1], now - self._due)
        self._schedule(loop, now)
