"""The accessibility statement (``/accessibility``, English or French), the pages' shared
stylesheet (``/widget/v1/page.css``) and the favicon (``/favicon.svg``, ``/favicon.ico``)."""

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, Response

from app.api.web import WEB_DIR

router = APIRouter(include_in_schema=False)

PAGE_CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'none'; base-uri 'none'; "
    "object-src 'none'; frame-ancestors 'none'"
)
_PAGE_CACHE = {"Cache-Control": "public, max-age=300"}
_STATIC_HEADERS = {"Cache-Control": "public, max-age=300", "X-Content-Type-Options": "nosniff"}
_CSS = (WEB_DIR / "page.css").read_bytes()
_FAVICON = (WEB_DIR / "favicon.svg").read_bytes()

HEAD = """<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="/favicon.svg" type="image/svg+xml"><link rel="stylesheet" href="/widget/v1/page.css">"""

# The statement's pages, one per language; HEAD is the shared <head> content.
_PAGES = {
    language: (WEB_DIR / f"accessibility.{language}.html").read_text(encoding="utf-8").replace("HEAD", HEAD)
    for language in ("en", "fr")
}


@router.get("/accessibility")
async def accessibility_statement(lang: str = Query("en", max_length=8)) -> HTMLResponse:
    """The statement in English, or in French with ``?lang=fr`` (any other value: English)."""
    language = "fr" if lang.lower().startswith("fr") else "en"
    return HTMLResponse(
        _PAGES[language],
        headers={
            "Content-Security-Policy": PAGE_CSP,
            "Cache-Control": "public, max-age=300",
            "Content-Language": language,
        },
    )


@router.get("/widget/v1/page.css")
async def page_stylesheet() -> Response:
    return Response(_CSS, media_type="text/css; charset=utf-8", headers=_STATIC_HEADERS)


@router.get("/favicon.svg")
@router.get("/favicon.ico")
async def favicon() -> Response:
    """One SVG icon for both addresses (browsers ask for /favicon.ico by themselves)."""
    return Response(_FAVICON, media_type="image/svg+xml", headers=_STATIC_HEADERS)
