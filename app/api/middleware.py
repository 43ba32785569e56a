"""Pure-ASGI middleware: limits on headers and on the request body (size and time), security
headers and a request id on every response (500s included), and the access hook (one JSON log
line and the request metrics)."""

import asyncio
from collections.abc import Callable, Mapping, Sequence
from time import perf_counter

from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.deadlines import Deadlines
from app.api.json_body import BODY_SCOPE_KEY
from app.api.problems import crash_response, log_crash, problem_response
from app.observability.access import AccessObserver
from app.observability.metrics import SCREENED_SCOPE_KEY
from app.observability.request_id import request_id_of

# Swagger UI and ReDoc load their scripts from a CDN, so they get a policy of their own.
_DOCS_PATHS = ("/docs", "/redoc", "/docs/oauth2-redirect")
_API_CSP = "default-src 'none'; frame-ancestors 'none'"
_PAGE_CSP = "default-src 'none'; style-src 'self'; img-src 'self'; frame-ancestors 'none'; base-uri 'none'"
_DOCS_CSP = (
    "default-src 'none'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; img-src 'self' data: https://fastapi.tiangolo.com; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'"
)


_COMMON = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
)
# What an API response gets here, for layers outside this one that answer by themselves.
API_SECURITY_HEADERS = {"content-security-policy": _API_CSP, **{k.decode(): v.decode() for k, v in _COMMON}}
_API_CSP_BYTES, _PAGE_CSP_BYTES, _DOCS_CSP_BYTES = (p.encode() for p in (_API_CSP, _PAGE_CSP, _DOCS_CSP))


# After a 413 the rest of the body is read and thrown away (up to this much, for at most the body
# deadline) before the connection closes: a client that writes its whole body before reading
# (http.client, many SDKs) would otherwise get a connection reset instead of the 413.
DRAIN_BYTES = 16 * 1024 * 1024

# Problems this layer answers by itself: status -> (detail, extra headers).
Responder = Callable[[int, str, dict[str, str]], Response]


def _frameable(raw: list[tuple[bytes, bytes]]) -> bool:
    policy = next(value for name, value in raw if name.lower() == b"content-security-policy")
    return b"frame-ancestors" in policy and b"frame-ancestors 'none'" not in policy


class HttpGuard:
    """What every HTTP exchange gets, in one pure-ASGI layer (each layer costs time on every
    request): limits on the way in, security headers and X-Request-ID on the way out, and
    (with an ``observer``) one access log line and the request metrics.

    On the way in: at most ``max_headers`` header fields of ``max_header_bytes`` in all (431),
    and the whole body within ``body_timeout`` seconds of the headers (408) and ``max_bytes``
    (413). The body is read here before the app runs, so a missing or lying Content-Length
    cannot get a larger body through, nor a slow one hold the app; it is then handed on
    through the scope and replayed to anything that reads the stream.
    """

    def __init__(
        self,
        app: ASGIApp,
        max_bytes: int,
        observer: AccessObserver | None = None,
        path_limits: Mapping[str, int] | None = None,
        problem_by_prefix: Sequence[tuple[str, Responder]] = (),
        body_timeout: float = 10.0,
        max_headers: int = 100,
        max_header_bytes: int = 16 * 1024,
    ) -> None:
        self.app, self.max_bytes, self.observer = app, max_bytes, observer
        self.path_limits = dict(path_limits or {})  # exact paths whose bodies may be larger
        # Paths whose clients expect another error format than a problem (FHIR: OperationOutcome).
        self.problem_by_prefix = tuple(problem_by_prefix)
        self.body_timeout, self.max_headers, self.max_header_bytes = body_timeout, max_headers, max_header_bytes
        self.deadlines = Deadlines()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = perf_counter()
        path: str = scope["path"]
        observer = self.observer
        request_id = request_id_of(scope) if observer is not None else b""
        status = 0  # no response started: the client went away (499) or the app raised (500)

        # One send wrapper does everything: each extra layer costs time on every message.
        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                # Raw header lists, not MutableHeaders: this runs on every response.
                raw: list[tuple[bytes, bytes]] = list(message.get("headers", ()))
                present = {name.lower() for name, _ in raw}
                if b"content-security-policy" not in present:
                    content_type = next((value for name, value in raw if name.lower() == b"content-type"), b"")
                    if path in _DOCS_PATHS:
                        policy = _DOCS_CSP_BYTES
                    elif content_type.startswith(b"text/html"):
                        policy = _PAGE_CSP_BYTES
                    else:
                        policy = _API_CSP_BYTES
                    raw.append((b"content-security-policy", policy))
                elif _frameable(raw):
                    # The route set a policy that lets named origins frame it (the embed page):
                    # X-Frame-Options cannot express an allowlist, so it is left out.
                    present.add(b"x-frame-options")
                raw.extend(header for header in _COMMON if header[0] not in present)
                if request_id:
                    raw.append((b"x-request-id", request_id))
                message["headers"] = raw
                if status == 200 and observer is not None and (screened := scope.get(SCREENED_SCOPE_KEY)) is not None:
                    observer.metrics.screened(*screened)
            await send(message)

        try:
            headers = scope["headers"]
            if len(headers) > self.max_headers or sum(len(n) + len(v) for n, v in headers) > self.max_header_bytes:
                detail = f"Send at most {self.max_headers} header fields of {self.max_header_bytes} bytes in all."
                await self.refuse(scope, receive, send_with_headers, 431, detail)
                return
            if scope["method"] in ("GET", "HEAD", "OPTIONS"):
                await self.app(scope, receive, send_with_headers)
                return
            body = await self.read_body(scope, receive, send_with_headers)
            if body is None:
                return
            scope[BODY_SCOPE_KEY] = body  # our endpoints take it from here instead of reading again
            replayed = False

            async def replay() -> Message:
                nonlocal replayed
                if not replayed:
                    replayed = True
                    return {"type": "http.request", "body": body, "more_body": False}
                return await receive()

            await self.app(scope, replay, send_with_headers)
        except Exception as exc:
            # Not raised further: the server would log the error's message, which can hold
            # answers. It is logged here by type and code location only, and answered if
            # nothing was.
            if status == 0:
                # A direct route crashed (the framework's error layer, which answers its own
                # routes' crashes with the same problem, sits behind this one).
                await crash_response(scope["method"], path, exc)(scope, receive, send_with_headers)
            elif status != 500:
                log_crash(scope["method"], path, exc)  # mid-response: the server closes the connection
        except BaseException:
            status = status or 500
            raise
        finally:
            if observer is not None:
                observer.done(scope, status or 499, perf_counter() - started, request_id)

    async def read_body(self, scope: Scope, receive: Receive, send: Send) -> bytes | None:
        """The whole body, or None once a 408 or 413 has been sent (or the client went away)."""
        limit = self.path_limits.get(scope["path"], self.max_bytes) if self.path_limits else self.max_bytes
        for name, value in scope["headers"]:
            if name == b"content-length" and value.isdigit() and int(value) > limit:
                await self.refuse_too_large(scope, receive, send, limit)
                return None
        chunks: list[bytes] = []
        size = 0
        task: asyncio.Task[object] = asyncio.current_task()  # type: ignore[assignment]
        self.deadlines.watch(task, self.body_timeout)
        try:
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    return None
                chunk = message.get("body", b"")
                size += len(chunk)
                if size > limit:
                    break
                chunks.append(chunk)
                if not message.get("more_body", False):
                    return b"".join(chunks)
        except asyncio.CancelledError:
            if not self.deadlines.release(task):
                raise
            detail = f"The request body did not arrive within {self.body_timeout:g} seconds."
            await self.refuse(scope, receive, send, 408, detail)
            return None
        finally:
            self.deadlines.release(task)
        await self.refuse_too_large(scope, receive, send, limit)
        return None

    async def refuse_too_large(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        """The 413, then the rest of the body read and thrown away (a bounded amount, for a
        bounded time) so that the client, which may still be writing, gets to read it."""

        async def send_then_drain(message: Message) -> None:
            if message["type"] != "http.response.body" or message.get("more_body", False):
                await send(message)
                return
            await send({**message, "more_body": True})
            drained = 0
            try:
                async with asyncio.timeout(self.body_timeout):
                    while drained <= DRAIN_BYTES:
                        incoming = await receive()
                        drained += len(incoming.get("body", b""))
                        if incoming["type"] == "http.disconnect" or not incoming.get("more_body", False):
                            break
            except TimeoutError:
                pass
            await send({"type": "http.response.body", "body": b"", "more_body": False})

        detail = f"The request body is larger than {limit} bytes."
        await self.refuse(scope, receive, send_then_drain, 413, detail)

    async def refuse(self, scope: Scope, receive: Receive, send: Send, status: int, detail: str) -> None:
        """A problem this layer answers itself; the connection closes after it."""
        path: str = scope["path"]
        headers = {"Connection": "close"}
        responder = next((make for prefix, make in self.problem_by_prefix if path.startswith(prefix)), None)
        if responder is not None:
            response = responder(status, detail, headers)
        else:
            response = problem_response(status, detail, path, headers=headers)
        await response(scope, receive, send)
