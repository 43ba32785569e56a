"""Load shedding: past a cap on requests in flight, or once the event loop runs further behind
than a queueing-delay target, an immediate 503 problem with Retry-After instead of a queue
that grows until clients time out (reliability bar DOS-03, DOS-14)."""

from collections.abc import Callable, Sequence

from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from app.api.loop_lag import LoopLag
from app.api.problems import problem_response

# Probes and metrics stay answerable under overload: a failing /livez would get the pod
# restarted just when it is busiest, and /metrics is where the overload shows.
EXEMPT_PATHS = frozenset({"/livez", "/healthz", "/readyz", "/metrics"})
OVERLOADED_TYPE = "/problems/overloaded"
OVERLOADED_DETAIL = "The service is answering as many requests as it can; try again after Retry-After seconds."
RETRY_AFTER_SECONDS = 1


class InFlightCap:
    """Lets at most ``limit`` HTTP requests into ``app`` at once, and none while the event loop
    is more than ``max_lag`` seconds behind; the others get a 503 problem document at once.

    It sits behind HttpGuard, so a request counts once its body is in (a client trickling its
    body holds no slot) and the refusal gets HttpGuard's headers and access record. Screening
    is CPU work that never waits: such requests are never in flight together, they queue in
    the event loop, so the count alone never sheds them. The loop's lag is that queue's delay.

    The count is a plain integer: the event loop runs one step at a time, so no lock is needed.
    """

    def __init__(
        self,
        app: ASGIApp,
        limit: int,
        max_lag: float = 0.0,
        outcome_by_prefix: Sequence[tuple[str, Callable[[str, dict[str, str]], Response]]] = (),
    ) -> None:
        self.app, self.limit, self.max_lag = app, limit, max_lag
        self.lag = LoopLag()
        # Paths whose clients expect another error format (FHIR: an OperationOutcome), made
        # from the detail and the headers this layer sets.
        self.outcome_by_prefix = tuple(outcome_by_prefix)
        self.in_flight = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in EXEMPT_PATHS:
            await self.app(scope, receive, send)
            return
        if self.in_flight >= self.limit or (self.max_lag and self.lag.current() > self.max_lag):
            await self.reject(scope, receive, send)
            return
        self.in_flight += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight -= 1

    async def reject(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
        path: str = scope["path"]
        make = next((make for prefix, make in self.outcome_by_prefix if path.startswith(prefix)), None)
        if make is not None:
            response = make(OVERLOADED_DETAIL, headers)
        else:
            response = problem_response(
                503, OVERLOADED_DETAIL, path, type_=OVERLOADED_TYPE, title="Overloaded", headers=headers
            )
        await response(scope, receive, send)
