"""Drive the app in process (no lifespan, no server): many requests on one client."""

import asyncio
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import httpx

T = TypeVar("T")


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    """asyncio.run, also when this thread already runs a loop (Playwright's sync API keeps one
    running in the main thread for as long as its session fixture lives)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def exchange(app: Any, calls: Callable[[httpx.AsyncClient], Coroutine[Any, Any, T]]) -> T:
    """Run ``calls(client)`` against ``app`` and return what it returns."""

    async def session() -> T:
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            return await calls(client)

    return run(session())
