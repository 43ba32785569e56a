"""Version 1 of the public API, mounted under /v1."""

from collections.abc import Awaitable, Callable

from fastapi import APIRouter, Request, Response

from app.api import well_known
from app.api.v1 import progress, questionnaires, receipts, screenings

router = APIRouter(prefix="/v1")
router.include_router(questionnaires.router)
router.include_router(screenings.router)
router.include_router(progress.router)
router.include_router(receipts.router)

# The same endpoints as plain routes, served ahead of the FastAPI ones (see app.main).
ENDPOINTS: list[tuple[str, Callable[[Request], Awaitable[Response]], list[str]]] = [
    ("/v1/questionnaires", questionnaires.list_questionnaires, ["GET"]),
    ("/v1/questionnaires/{questionnaire_id}", questionnaires.get_questionnaire, ["GET"]),
    ("/v1/questionnaires/{questionnaire_id}/screenings", screenings.create_screening, ["POST"]),
    ("/v1/questionnaires/{questionnaire_id}/progress", progress.get_progress, ["POST"]),
    ("/v1/receipts/verify", receipts.verify_receipt, ["POST"]),
    (well_known.JWKS_PATH, well_known.jwks, ["GET"]),
]
