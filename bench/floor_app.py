"""The floor: the least a plain FastAPI JSON endpoint does, served beside the screener to compare.

Response sizes come from BENCH_FLOOR_POST_BYTES and BENCH_FLOOR_GET_BYTES (set by the harness).
"""

import os
from typing import Any

from fastapi import FastAPI
from fastapi.responses import Response


def constant_document(size: int) -> bytes:
    """A JSON object of exactly ``size`` bytes (at least the empty skeleton)."""
    head, tail = b'{"padding":"', b'"}'
    return head + b"x" * max(0, size - len(head) - len(tail)) + tail


POST_DOCUMENT = constant_document(int(os.environ.get("BENCH_FLOOR_POST_BYTES", "4096")))
GET_DOCUMENT = constant_document(int(os.environ.get("BENCH_FLOOR_GET_BYTES", "16384")))

app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)


@app.post("/v1/questionnaires/{questionnaire_id}/screenings")
async def screening(questionnaire_id: str, body: dict[str, Any]) -> Response:
    """Parse and validate the JSON object the way a plain handler does; answer a constant."""
    return Response(POST_DOCUMENT, media_type="application/json")


@app.get("/v1/questionnaires/{questionnaire_id}")
async def questionnaire(questionnaire_id: str) -> Response:
    """A constant document the size of the real questionnaire document."""
    return Response(GET_DOCUMENT, media_type="application/json")


@app.get("/readyz")
async def readiness() -> Response:
    return Response(b'{"status":"ready"}', media_type="application/json")
