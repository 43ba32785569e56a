"""Liveness and readiness probes and the Prometheus metrics (outside /v1 and the public schema)."""

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from app.observability.metrics import CONTENT_TYPE

router = APIRouter(include_in_schema=False)
_NO_STORE = {"Cache-Control": "no-store"}


@router.get("/healthz")
@router.get("/livez")
async def liveness() -> JSONResponse:
    """200 whenever the process answers; no dependency checks, so no restart loops."""
    return JSONResponse({"status": "ok"}, headers=_NO_STORE)


@router.get("/readyz")
async def readiness(request: Request) -> JSONResponse:
    """200 only once every rule set has loaded and been checked, and until shutdown begins:
    from SIGTERM on it answers 503 so the load balancer stops sending while requests drain."""
    state = request.app.state
    catalog = getattr(state, "catalog", None)
    if catalog is None:
        return JSONResponse({"status": "starting"}, status_code=503, headers={**_NO_STORE, "Retry-After": "1"})
    rulesets = [{"id": r.id, "version": r.version, "sha256": r.sha256} for r in catalog.rulesets.values()]
    if getattr(state, "draining", False):
        return JSONResponse({"status": "draining", "rulesets": rulesets}, status_code=503, headers=_NO_STORE)
    return JSONResponse({"status": "ready", "rulesets": rulesets}, headers=_NO_STORE)


@router.get("/metrics")
async def metrics(request: Request) -> Response:
    """Prometheus text format; labels hold route templates and rule-set versions only."""
    registry = getattr(request.app.state, "metrics", None)
    body = registry.render() if registry is not None else b""
    return Response(body, media_type=CONTENT_TYPE, headers=_NO_STORE)
