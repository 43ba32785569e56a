"""HEAD wherever GET: FastAPI's GET routes answer HEAD with 405, so HEAD goes to the framework
as a GET whose response body is left out (status and headers, Content-Length too, unchanged)."""

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class HeadAsGet:
    """Declaring HEAD on each route would also list it in the OpenAPI document as a second
    operation per path; one layer in front of the framework does it for every GET route. A
    route without GET still answers 405 (with its Allow header)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return  # the last body message (below) ends the response
                message = {"type": "http.response.body", "body": b""}
            await send(message)

        # A copy: outer layers (the access log, metrics) still see the HEAD they were sent.
        await self.app({**scope, "method": "GET"}, receive, without_body)
