"""Hot reload of the rule sets on SIGHUP: load anew, pass the safety gate, then swap the catalog
in one assignment. Any refusal keeps the old catalog, logs one line and sets the failure metric."""

import asyncio
import gc
import logging
import signal
import threading
from pathlib import Path
from typing import Any

from app.api.catalog import Catalog
from app.ruleset_gate import ERROR, GateRefused, checked_catalog, no_weaker_than

logger = logging.getLogger("app.reload")


class Reloader:
    """Owns reloading for one app; one reload at a time, later signals during one are folded in."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self._running = False
        self._again = False

    async def reload(self) -> bool:
        if self._running:
            self._again = True  # files changed again while checking: check once more afterwards
            return False
        self._running = True
        try:
            ok = await self._reload_once()
            while self._again:
                self._again = False
                ok = await self._reload_once()
            return ok
        finally:
            self._running = False

    async def _reload_once(self) -> bool:
        state = self.app.state
        metrics = getattr(state, "metrics", None)
        try:
            # Loading and both sets of golden cases take 0.3 to 1.5 s of CPU (more when more files
            # changed): off the event loop, so the old catalog keeps answering meanwhile.
            # The served catalog goes in a box the candidate empties: the executor's thread lets go
            # of its arguments only after handing the result back, at times after the refreeze
            # below, which then froze the old catalog's own objects until the next reload.
            catalog = await asyncio.to_thread(self._candidate, [state.catalog], state.settings.rules_dir)
        except GateRefused as exc:
            logger.warning(
                "rule-set reload refused, still serving the previous rule sets",
                extra={"reason": str(exc), "code": exc.reason},
            )
            if metrics is not None:
                metrics.reload_failed(exc.reason)
            return False
        except Exception as exc:  # any surprise must leave the old catalog serving
            reason = type(exc).__name__
            logger.error(
                "rule-set reload failed, still serving the previous rule sets", extra={"reason": reason, "code": ERROR}
            )
            if metrics is not None:
                metrics.reload_failed(ERROR)
            return False
        state.catalog = catalog  # the swap: one reference, so a request sees old or new, never a mix
        _refreeze()
        if metrics is not None:
            metrics.loaded(catalog.rulesets.values())
        versions = {ruleset.id: ruleset.version for ruleset in catalog.rulesets.values()}
        logger.info("rule sets reloaded", extra={"rulesets": versions})
        return True

    @staticmethod
    def _candidate(served_box: list[Catalog | None], rules_dir: Path) -> Catalog:
        served = served_box.pop()
        candidate = checked_catalog(rules_dir)
        return candidate if served is None else no_weaker_than(served, candidate)

    def install(self) -> bool:
        """SIGHUP → reload, SIGTERM/SIGINT → readiness 503 first. Only in the main thread of a real
        server (test clients run the lifespan in another thread, where signals cannot be set)."""
        if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGHUP"):
            return False
        loop = asyncio.get_running_loop()
        tasks: set[asyncio.Task[bool]] = set()

        def on_hup() -> None:
            task = loop.create_task(self.reload())
            tasks.add(task)  # keep a reference until done, or the task may be collected
            task.add_done_callback(tasks.discard)

        loop.add_signal_handler(signal.SIGHUP, on_hup)
        # uvicorn installs its own SIGTERM/SIGINT handlers with signal.signal (and restores them
        # after shutdown); chain to them, flipping readiness before the drain starts.
        for sig in (signal.SIGTERM, signal.SIGINT):
            previous = signal.getsignal(sig)
            if callable(previous):
                signal.signal(sig, self._draining_then(previous))
        return True

    def _draining_then(self, previous: Any) -> Any:
        def handler(signum: int, frame: Any) -> None:
            self.app.state.draining = True
            previous(signum, frame)

        return handler

    def uninstall(self) -> None:
        if threading.current_thread() is threading.main_thread() and hasattr(signal, "SIGHUP"):
            asyncio.get_running_loop().remove_signal_handler(signal.SIGHUP)


def _refreeze() -> None:
    """Keep the served catalog out of the collector's view (see app.main) without keeping the
    old one: frozen objects are never collected, so thaw, collect what the reload left (the
    old catalog and the parse trees), then freeze what is still alive."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()
