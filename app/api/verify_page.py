"""The clinic-facing ``/verify`` page and the scripts a receipt is shown with:
``/widget/v1/receipt-view.js`` (QR code, link and downloads, for the widget and the page),
``/widget/v1/uqr.js`` (the vendored QR encoder) and the page's own script and style."""

from pathlib import Path

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

router = APIRouter(include_in_schema=False)

WEB_DIR = Path(__file__).resolve().parents[1] / "web"
_FILES = {name: (WEB_DIR / name).read_bytes() for name in ("receipt-view.js", "uqr.js", "verify-page.js", "verify.css")}
_STATIC = {"Cache-Control": "public, max-age=300"}
VERIFY_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
    "form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'"
)

_PAGE = """<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{title}</title>
<link rel="stylesheet" href="/widget/v1/verify.css">
<script type="module" src="/widget/v1/verify-page.js"></script>
</head>
<body>
<main>
<h1>{title}</h1>
<p>{intro}</p>
<form id="verify-form">
<label for="receipt">{label}</label>
<textarea id="receipt" name="receipt" autocomplete="off" spellcheck="false"></textarea>
<button type="submit">{check}</button>
</form>
<p id="verify-status" role="status" aria-live="polite"></p>
<div id="summary"></div>
</main>
</body>
</html>
"""


_TEXTS = {
    "en": {
        "title": "Check a screening receipt",
        "intro": "Scan the QR code a person shows you, or paste their receipt (or its link) below. The service "
        "checks its signature and shows the answers and the result it gave. Nothing is stored.",
        "label": "Receipt or link",
        "check": "Check",
    },
    "fr": {
        "title": "Vérifier un reçu de questionnaire",
        "intro": "Scannez le code QR que la personne vous montre, ou collez son reçu (ou son lien) ci-dessous. Le "
        "service vérifie sa signature et affiche les réponses et le résultat donné. Rien n'est conservé.",
        "label": "Reçu ou lien",
        "check": "Vérifier",
    },
}


@router.get("/verify")
async def verify_page(request: Request) -> Response:
    """In French for ?lang=fr, or for a browser that prefers French; else in English."""
    wanted = request.query_params.get("lang") or request.headers.get("accept-language", "")[:2].lower()
    lang = "fr" if wanted == "fr" else "en"
    headers = {"Content-Security-Policy": VERIFY_CSP, "Cache-Control": "no-cache", "Vary": "Accept-Language"}
    page = _PAGE.format(lang=lang, **_TEXTS[lang])
    return Response(page, media_type="text/html; charset=utf-8", headers=headers)


def _serve(name: str, media_type: str) -> None:
    body = _FILES[name]

    async def static_file() -> Response:
        return Response(body, media_type=media_type, headers=_STATIC)

    router.add_api_route(f"/widget/v1/{name}", static_file, methods=["GET"], name=name)


for _name in ("receipt-view.js", "uqr.js", "verify-page.js"):
    _serve(_name, "text/javascript; charset=utf-8")
_serve("verify.css", "text/css; charset=utf-8")
