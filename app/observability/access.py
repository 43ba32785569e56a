"""The per-request hook HttpGuard calls: one JSON access line and the request metrics.
Only the route template is recorded, never the raw path, the query string or a body."""

import asyncio
import json
import logging
import os
import re
import time
from typing import Any

from fastapi.routing import iter_route_contexts
from starlette.routing import compile_path
from starlette.types import Scope

from app.observability.metrics import Metrics

UNMATCHED = "<unmatched>"
# Metric labels and log fields take methods from this closed set: a client could otherwise send
# any token as a method (h11 accepts them) and grow the label sets without bound.
_METHODS = frozenset(("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"))


class _Templates:
    """Route templates by route object (FastAPI sets scope["route"]) and by endpoint (plain
    Starlette routes set only scope["endpoint"]), read from the app's routes once."""

    def __init__(self, routes: Any) -> None:
        self.by_route: dict[int, str] = {}
        self.by_endpoint: dict[Any, str] = {}
        self.patterns: list[tuple[re.Pattern[str], str]] = []
        for context in iter_route_contexts(routes):
            path = context.path
            if path is None:
                continue
            route = context.original_route
            self.by_route.setdefault(id(route), path)
            endpoint = getattr(route, "endpoint", None)
            if endpoint is not None:
                self.by_endpoint.setdefault(endpoint, path)  # the first route serving it wins
            self.patterns.append((compile_path(path)[0], path))

    def of(self, scope: Scope) -> str:
        route = scope.get("route")
        if route is not None:
            return self.by_route.get(id(route), UNMATCHED)
        endpoint = scope.get("endpoint")
        if endpoint is not None:
            return self.by_endpoint.get(endpoint, UNMATCHED)
        # Not routed (a 413 sent before routing, a 404): match now; rare, so cost does not matter.
        path = scope["path"]
        return next((template for pattern, template in self.patterns if pattern.match(path)), UNMATCHED)


class AccessObserver:
    def __init__(self, metrics: Metrics) -> None:
        self.metrics = metrics
        self.logger = logging.getLogger("app.access")
        self._app_logger = logging.getLogger("app")  # whose handlers app.access uses (propagation)
        self._templates: _Templates | None = None
        self._second = -1
        self._stamp = b""
        # (method, route) -> the constant middle of the line, JSON-escaped once.
        self._middles: dict[tuple[str, str], bytes] = {}
        self._pending: list[bytes] = []  # lines of this event-loop turn, written at its end

    def done(self, scope: Scope, status: int, seconds: float, request_id: bytes) -> None:
        if self._templates is None:
            self._templates = _Templates(scope["app"].routes)  # the routes are complete by now
        route = self._templates.of(scope)
        method: str = scope["method"]
        if method not in _METHODS:
            method = "OTHER"
        self.metrics.observe(route, method, status, seconds)
        if self.logger.isEnabledFor(logging.INFO):
            self._write_access_line(method, route, status, seconds, request_id)

    def _write_access_line(self, method: str, route: str, status: int, seconds: float, request_id: bytes) -> None:
        """The same JSON line JsonFormatter writes, built directly as bytes from parts computed
        once per second or per route: going through a LogRecord and the formatter cost about
        20 us per request (measured with make bench)."""
        now = time.time()
        second = int(now)
        if second != self._second:
            self._second = second
            self._stamp = time.strftime('{"ts":"%Y-%m-%dT%H:%M:%S', time.gmtime(second)).encode()
        middle = self._middles.get((method, route))
        if middle is None:
            middle = self._middles[(method, route)] = (
                f'Z","level":"info","logger":"app.access","msg":"request","method":{json.dumps(method)},'
                f'"route":{json.dumps(route)},"status":'
            ).encode()
        # request_id is a safe token (letters, digits, . _ -): see request_id_of.
        line = b'%s.%03d%s%d,"duration_ms":%.3f,"request_id":"%s"}\n' % (
            self._stamp,
            int((now - second) * 1000),
            middle,
            status,
            seconds * 1000,
            request_id,
        )
        if not self._pending:
            try:
                # Written once per turn of the event loop, after every request it finished:
                # under load that is one system call for several lines instead of one each.
                asyncio.get_running_loop().call_soon(self.flush)
            except RuntimeError:  # no loop running (a direct call): write now
                self._pending.append(line)
                self.flush()
                return
        self._pending.append(line)

    def flush(self) -> None:
        """Write the pending access lines to the app logger's streams, in order."""
        data = b"".join(self._pending)
        self._pending.clear()
        if not data:
            return
        for handler in self.logger.handlers or self._app_logger.handlers:
            stream = getattr(handler, "stream", None)
            if stream is None:
                continue
            try:
                # Straight to the descriptor: the handler flushes after every record, so its
                # buffer is empty here (a line of another logger may come before access lines
                # of the same loop turn; each carries its own timestamp).
                os.write(stream.fileno(), data)
            except (OSError, ValueError, AttributeError):
                stream.write(data.decode())
                stream.flush()
