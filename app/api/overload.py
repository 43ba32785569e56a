"""A cap on requests in flight: past it, an immediate 503 problem with Retry-After instead
of a queue that grows until clients time out (reliability bar DOS-03)."""

from collections.abc import Callable, Sequence
from time import perf_counter

from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from app.api.middleware import API_SECURITY_HEADERS
from app.api.problems import problem_response
from app.observability.access import AccessObserver
from app.observability.request_id import request_id_of

# Probes and metrics stay answerable under overload: a failing /livez would get the pod
# restarted just when it is busiest, and /metrics is where the overload shows.
EXEMPT_PATHS = frozenset({"/livez", "/healthz", "/readyz", "/metrics"})
OVERLOADED_TYPE = "/problems/overloaded"
OVERLOADED_DETAIL = "The service is answering as many requests as it can; try again after Retry-After seconds."
RETRY_AFTER_SECONDS = 1


class InFlightCap:
    """Lets at most ``limit`` HTTP requests into ``app`` at once, counted from the end of their
    headers (body still to come) to the end of their response; the next gets a 503 problem
    document at once.

    The count is a plain integer: the event loop runs one step at a time, so no lock is needed,
    and the cost on every request is one comparison, one increment and one decrement.
    """

    def __init__(
        self,
        app: ASGIApp,
        limit: int,
        observer: AccessObserver | None = None,
        outcome_by_prefix: Sequence[tuple[str, Callable[[str, dict[str, str]], Response]]] = (),
    ) -> None:
        self.app, self.limit, self.observer = app, limit, observer
        # Paths whose clients expect another error format (FHIR: an OperationOutcome), made
        # from the detail and the headers this layer sets.
        self.outcome_by_prefix = tuple(outcome_by_prefix)
        self.in_flight = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in EXEMPT_PATHS:
            await self.app(scope, receive, send)
            return
        if self.in_flight >= self.limit:
            await self.reject(scope, receive, send)
            return
        self.in_flight += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight -= 1

    async def reject(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = perf_counter()
        request_id = request_id_of(scope)
        headers = {
            "Retry-After": str(RETRY_AFTER_SECONDS),
            # The body is left unread, so the connection cannot carry another request;
            # closing it also frees a slot of uvicorn's --limit-concurrency.
            "Connection": "close",
            "X-Request-ID": request_id.decode("ascii"),
            # This layer sits outside HttpGuard (so that a request still sending its body counts
            # as in flight), so its one response sets HttpGuard's headers itself.
            **API_SECURITY_HEADERS,
        }
        path: str = scope["path"]
        make = next((make for prefix, make in self.outcome_by_prefix if path.startswith(prefix)), None)
        if make is not None:
            response = make(OVERLOADED_DETAIL, headers)
        else:
            response = problem_response(
                503, OVERLOADED_DETAIL, path, type_=OVERLOADED_TYPE, title="Overloaded", headers=headers
            )
        await response(scope, receive, send)
        if self.observer is not None:
            # HttpGuard never sees this request: log it and count it in the metrics here.
            self.observer.done(scope, 503, perf_counter() - started, request_id)
