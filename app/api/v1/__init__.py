"""Version 1 of the public API, mounted under /v1."""

from fastapi import APIRouter

from app.api.v1 import progress, questionnaires, receipts, screenings

router = APIRouter(prefix="/v1")
router.include_router(questionnaires.router)
router.include_router(screenings.router)
router.include_router(progress.router)
router.include_router(receipts.router)
