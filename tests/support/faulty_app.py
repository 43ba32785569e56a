"""The real app plus two routes that crash, one behind the framework and one served
directly, to test the 500 problem (and what gets logged) through uvicorn."""

from starlette.requests import Request
from starlette.responses import Response

from app.main import ScreenerAPI, create_app


def create() -> ScreenerAPI:
    app = create_app()

    @app.get("/test-only/crash", include_in_schema=False)
    def crash() -> None:
        raise RuntimeError("planted failure CANARY-CRASH-7731")

    async def direct_crash(request: Request) -> Response:
        raise RuntimeError("planted failure CANARY-CRASH-7732")

    assert app.direct_routes is not None
    app.direct_routes.add("/test-only/direct-crash", direct_crash, ["POST"])
    return app
