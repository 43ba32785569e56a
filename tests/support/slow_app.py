"""The real app plus a slow route and a busy one (holding the event loop, as CPU work does),
to test graceful shutdown through uvicorn."""

import asyncio
import time

from fastapi.responses import JSONResponse

from app.main import ScreenerAPI, create_app


def create() -> ScreenerAPI:
    app = create_app()

    @app.get("/test-only/slow", include_in_schema=False)
    async def slow(seconds: float = 2.0) -> JSONResponse:
        await asyncio.sleep(min(seconds, 10.0))
        return JSONResponse({"slept": seconds})

    @app.get("/test-only/busy", include_in_schema=False)
    async def busy(seconds: float = 2.0) -> JSONResponse:
        time.sleep(min(seconds, 10.0))  # holding the loop is the point
        return JSONResponse({"busy": seconds})

    return app
