"""The hot endpoints served straight from the ASGI entry point, ahead of the FastAPI stack, which
still answers every other request. Each is declared once, as a FastAPI route marked ``@direct``
(its path, methods and OpenAPI entry); the table here is built from ``app.routes``."""

import re
from collections.abc import Awaitable, Callable, Sequence

from fastapi.routing import iter_route_contexts
from starlette._utils import get_route_path
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, compile_path
from starlette.types import ASGIApp, Receive, Scope, Send

from app.api.problems import ProblemError, problem_for

Endpoint = Callable[[Request], Awaitable[Response]]
_DIRECT = "__served_directly__"


def direct(endpoint: Endpoint) -> Endpoint:
    """Mark a FastAPI endpoint to be served by DirectRoutes. It must take only the request and
    check everything itself (no dependencies, no parameters FastAPI would resolve)."""
    setattr(endpoint, _DIRECT, True)
    return endpoint


class DirectRoutes:
    """Call an endpoint that takes only the request and checks everything itself, with none of
    the framework layers in between: FastAPI's router, exception middleware and per-route
    wrappers would cost more per request than the screening itself (measured with make
    bench). A ProblemError becomes the same problem document FastAPI's handler gives; any
    other exception propagates to HttpGuard, which answers 500. HEAD is answered wherever GET
    is. Anything else these routes do not match (other methods, other paths) goes to
    ``fallback`` unchanged, which answers 405 with Allow or 404 as for any route."""

    def __init__(self, routes: Sequence[tuple[str, Endpoint, Sequence[str]]], fallback: ASGIApp) -> None:
        self.fallback = fallback
        self.routes: list[tuple[str, re.Pattern[str], Endpoint]] = []
        self.served: list[tuple[str, str]] = []  # (path template, method), HEAD included
        for path, endpoint, methods in routes:
            self.add(path, endpoint, methods)

    @classmethod
    def from_routes(cls, routes: Sequence[BaseRoute], fallback: ASGIApp) -> "DirectRoutes":
        """The table of the routes whose endpoint is marked ``@direct``: path and methods as
        FastAPI has them (included routers' prefixes applied), so each route is declared once."""
        table = [
            (str(route.path), endpoint, sorted(route.methods or ()))
            for route in iter_route_contexts(routes)
            if (endpoint := route.endpoint) is not None and getattr(endpoint, _DIRECT, False) and route.path
        ]
        return cls(table, fallback)

    def add(self, path: str, endpoint: Endpoint, methods: Sequence[str]) -> None:
        # HEAD wherever GET, as Starlette's routes do (the server sends no body for HEAD).
        for method in (*methods, "HEAD") if "GET" in methods else methods:
            self.routes.append((method, compile_path(path)[0], endpoint))
            self.served.append((path, method))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            # Matched below the root path, as Starlette's router does (a proxy may mount us there).
            method, path = scope["method"], get_route_path(scope)
            for route_method, pattern, endpoint in self.routes:
                if route_method != method:
                    continue
                match = pattern.match(path)
                if match is None:
                    continue
                scope["endpoint"] = endpoint
                scope["path_params"] = match.groupdict()
                request = Request(scope, receive)
                try:
                    response = await endpoint(request)
                except ProblemError as exc:
                    response = problem_for(exc, request.url.path)
                await response(scope, receive, send)
                return
        await self.fallback(scope, receive, send)
