"""A plain landing page at ``/`` that says what the service is and links its docs."""

from html import escape

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from app import __version__

router = APIRouter(include_in_schema=False)

_PAGE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>hip-pelvic-screener</title></head>
<body>
<main>
<h1>hip-pelvic-screener</h1>
<p>A self-screening service for hip, pelvic and pelvic floor symptoms. It suggests a next step,
such as a pelvic floor physiotherapy assessment or urgent medical care.
<strong>It does not give a diagnosis.</strong> If you think you need emergency help, call your
local emergency number now.</p>
<ul>
<li><a href="/docs">API documentation (Swagger UI)</a></li>
<li><a href="/redoc">API documentation (ReDoc)</a></li>
<li><a href="/openapi.json">OpenAPI document</a></li>
<li><a href="/v1/questionnaires">Available questionnaires</a></li>
<li><a href="/readyz">Readiness</a></li>
</ul>
<p>Version VERSION.</p>
</main>
</body>
</html>
"""


@router.get("/")
async def landing() -> HTMLResponse:
    return HTMLResponse(_PAGE.replace("VERSION", escape(__version__)))
