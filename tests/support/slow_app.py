"""The real app plus one slow route, to test graceful shutdown through uvicorn."""

import asyncio

from fastapi.responses import JSONResponse

from app.main import ScreenerAPI, create_app


def create() -> ScreenerAPI:
    app = create_app()

    @app.get("/test-only/slow", include_in_schema=False)
    async def slow(seconds: float = 2.0) -> JSONResponse:
        await asyncio.sleep(min(seconds, 10.0))
        return JSONResponse({"slept": seconds})

    return app
