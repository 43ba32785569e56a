"""The v1 endpoints served straight from the ASGI entry point, ahead of the FastAPI stack, which
still answers every other request (and documents these routes in the OpenAPI document)."""

import re
from collections.abc import Awaitable, Callable, Sequence

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import compile_path
from starlette.types import ASGIApp, Receive, Scope, Send

from app.api.problems import ProblemError, problem_for

Endpoint = Callable[[Request], Awaitable[Response]]


class DirectRoutes:
    """Call an endpoint that takes only the request and checks everything itself, with none of
    the framework layers in between: FastAPI's router, exception middleware and per-route
    wrappers would cost more per request than the screening itself (measured with make
    bench). A ProblemError becomes the same problem document FastAPI's handler gives; any
    other exception propagates to HttpGuard, which answers 500. HEAD is answered wherever GET
    is. Anything else these routes do not match (other methods, a root path) goes to
    ``fallback`` unchanged."""

    def __init__(self, routes: Sequence[tuple[str, Endpoint, Sequence[str]]], fallback: ASGIApp) -> None:
        self.fallback = fallback
        self.routes: list[tuple[str, re.Pattern[str], Endpoint]] = []
        for path, endpoint, methods in routes:
            self.add(path, endpoint, methods)

    def add(self, path: str, endpoint: Endpoint, methods: Sequence[str]) -> None:
        # HEAD wherever GET, as Starlette's routes do (the server sends no body for HEAD).
        for method in (*methods, "HEAD") if "GET" in methods else methods:
            self.routes.append((method, compile_path(path)[0], endpoint))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not scope.get("root_path"):
            method, path = scope["method"], scope["path"]
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
