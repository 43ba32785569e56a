"""The embeddable widget: its static scripts, clinic profiles for it, and the hosted embed page.

- ``/widget/v1/screener.js``: the ``<hip-pelvic-screener>`` custom element (an ES module).
- ``/widget/v1/embed-parent.js``: a helper for the clinic page that resizes the iframe.
- ``/widget/v1/embed-boot.js``: the embed page's own boot code (no inline scripts).
- ``/widget/v1/clinics/{clinic}.json``: the public part of a clinic profile.
- ``/embed/{clinic}`` and ``/embed/{clinic}/theme.css``: a hosted page using the element, which
  only that clinic's allowed origins may frame (CSP ``frame-ancestors``).
"""

import json
import re
from html import escape
from pathlib import Path

from fastapi import APIRouter
from starlette.datastructures import Headers
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from app.api.middleware import API_SECURITY_HEADERS
from app.api.problems import ProblemError, problem_response
from app.clinics import Clinic, Clinics

router = APIRouter(include_in_schema=False)

WEB_DIR = Path(__file__).resolve().parents[1] / "web"
_SCRIPTS = {name: (WEB_DIR / name).read_bytes() for name in ("screener.js", "embed-parent.js", "embed-boot.js")}
_SCRIPT_HEADERS = {"Cache-Control": "public, max-age=300", "X-Content-Type-Options": "nosniff"}
WIDGET_LANGUAGES = ("en", "fr")
_LANG = re.compile(r"^[a-z]{2}$")

EMBED_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
    "form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors {ancestors}"
)
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), "
    "accelerometer=(), gyroscope=(), magnetometer=(), display-capture=(), interest-cohort=()"
)


# Response headers a clinic page's script may read (beyond the CORS-safelisted ones):
# Retry-After on 429/503 so the widget waits as long as asked before it tries again, ETag for
# If-None-Match, X-Request-ID to quote in a support request. Content-Language is safelisted;
# it is listed for clarity.
EXPOSE_HEADERS = ("Retry-After", "ETag", "Content-Language", "X-Request-ID")


class ClinicCORS(CORSMiddleware):
    """Starlette's CORS layer over the clinics' exact allowed origins, stepped around on the
    hot path: a POST without an Origin header (not a browser's cross-origin call) goes
    straight to the app. Its answers are never cached (no-store), so it needs no
    ``Vary: Origin``; GET and HEAD always pass through the layer, which adds it."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] not in ("GET", "HEAD"):
            for name, _ in scope["headers"]:
                if name == b"origin":
                    break
            else:
                await self.app(scope, receive, send)
                return
            headers = Headers(scope=scope)
            if scope["method"] == "OPTIONS" and "access-control-request-method" in headers:
                await self.preflight(scope["path"], headers)(scope, receive, send)
                return
        await super().__call__(scope, receive, send)

    def preflight(self, path: str, headers: Headers) -> Response:
        """Starlette's preflight answer with the API's security headers; its refusal (text/plain)
        becomes a problem document, which names no submitted value either."""
        response = self.preflight_response(request_headers=headers)
        if response.status_code != 400:
            response.headers.update(API_SECURITY_HEADERS)
            return response
        cors = {k: v for k, v in response.headers.items() if k.lower().startswith(("access-control-", "vary"))}
        detail = "This cross-origin request is not allowed: its origin, method or headers are not on the clinic list."
        return problem_response(400, detail, path, headers={**cors, **API_SECURITY_HEADERS})


def clinics_of(request: Request) -> Clinics:
    clinics: Clinics = request.app.state.clinics
    return clinics


def _clinic(request: Request) -> Clinic:
    clinic = clinics_of(request).get(request.path_params.get("clinic_id", ""))
    if clinic is None:
        raise ProblemError(404, "There is no clinic with this id.")
    return clinic


def _script(name: str) -> Response:
    return Response(_SCRIPTS[name], media_type="text/javascript; charset=utf-8", headers=_SCRIPT_HEADERS)


@router.get("/widget/v1/screener.js")
async def screener_js() -> Response:
    return _script("screener.js")


@router.get("/widget/v1/embed-parent.js")
async def embed_parent_js() -> Response:
    return _script("embed-parent.js")


@router.get("/widget/v1/embed-boot.js")
async def embed_boot_js() -> Response:
    return _script("embed-boot.js")


@router.get("/widget/v1/clinics/{clinic_id}.json")
async def clinic_profile(request: Request) -> Response:
    clinic = _clinic(request)
    public = clinic.model_dump(include={"id", "name", "booking_url", "phone", "country", "languages", "theme"})
    return Response(json.dumps(public), media_type="application/json", headers={"Cache-Control": "no-cache"})


@router.get("/embed/{clinic_id}/theme.css")
async def clinic_theme(request: Request) -> Response:
    clinic = _clinic(request)
    # Values were checked at start-up (app.clinics): they cannot end a declaration or load anything.
    declarations = "".join(f"  {name}: {value};\n" for name, value in clinic.theme.items())
    css = f"html, body {{ margin: 0; }}\nhip-pelvic-screener {{\n{declarations}}}\n"
    return Response(css, media_type="text/css; charset=utf-8", headers={"Cache-Control": "public, max-age=300"})


def embed_language(request: Request, clinic: Clinic) -> str:
    requested = request.query_params.get("lang", "")
    if _LANG.match(requested) and requested in WIDGET_LANGUAGES:
        return requested
    return next((code for code in clinic.languages if code in WIDGET_LANGUAGES), "en")


_EMBED_PAGE = """<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="/embed/{clinic}/theme.css">
<script type="module" src="/widget/v1/screener.js"></script>
<script type="module" src="/widget/v1/embed-boot.js"></script>
</head>
<body>
<main>
<hip-pelvic-screener api-base="" clinic="{clinic}" lang="{lang}" country="{country}" data-parent-origins="{origins}">
</hip-pelvic-screener>
</main>
</body>
</html>
"""


@router.get("/embed/{clinic_id}")
async def embed_page(request: Request) -> Response:
    clinic = _clinic(request)
    lang = embed_language(request, clinic)
    page = _EMBED_PAGE.format(
        lang=lang,
        title=escape(f"{clinic.name}: hip and pelvic health check"),
        clinic=escape(clinic.id),
        country=escape(clinic.country),
        origins=escape(json.dumps(clinic.allowed_origins), quote=True),
    )
    ancestors = " ".join(["'self'", *clinic.allowed_origins])
    headers = {
        "Content-Security-Policy": EMBED_CSP.format(ancestors=ancestors),
        "Cache-Control": "no-store",
        "Permissions-Policy": PERMISSIONS_POLICY,
    }
    return Response(page, media_type="text/html; charset=utf-8", headers=headers)
