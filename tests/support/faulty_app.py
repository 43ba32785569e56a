"""The real app plus one route that crashes, to test the 500 problem through uvicorn."""

from app.main import ScreenerAPI, create_app


def create() -> ScreenerAPI:
    app = create_app()

    @app.get("/test-only/crash", include_in_schema=False)
    def crash() -> None:
        raise RuntimeError("planted failure CANARY-CRASH-7731")

    return app
