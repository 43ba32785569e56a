"""Liveness and readiness probes (outside /v1 and the public schema)."""

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

router = APIRouter(include_in_schema=False)


@router.get("/healthz")
@router.get("/livez")
async def liveness() -> JSONResponse:
    """200 whenever the process answers; no dependency checks, so no restart loops."""
    return JSONResponse({"status": "ok"}, headers={"Cache-Control": "no-store"})


@router.get("/readyz")
async def readiness(request: Request) -> JSONResponse:
    """200 only once every rule set has loaded and been checked."""
    catalog = getattr(request.app.state, "catalog", None)
    if catalog is None:
        return JSONResponse({"status": "starting"}, status_code=503, headers={"Cache-Control": "no-store"})
    rulesets = [{"id": r.id, "version": r.version, "sha256": r.sha256} for r in catalog.rulesets.values()]
    return JSONResponse({"status": "ready", "rulesets": rulesets}, headers={"Cache-Control": "no-store"})
