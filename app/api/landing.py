"""The landing page at ``/``: what the service is, links to its docs, and a demo of the two
ways a clinic website can embed the screener (the custom element, or the hosted iframe)."""

from html import escape

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from app import __version__
from app.api import accessibility

router = APIRouter(include_in_schema=False)
# The accessibility statement, the pages' stylesheet and the favicon come with the landing page.
router.include_router(accessibility.router)

# The page runs the widget itself (script-src/connect-src 'self') and frames /embed/demo.
LANDING_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
    "frame-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'"
)

_PAGE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>hip-pelvic-screener</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml"><link rel="stylesheet" href="/widget/v1/page.css">
<script type="module" src="/widget/v1/screener.js"></script>
<script src="/widget/v1/embed-parent.js" defer></script>
</head>
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
<li><a href="/verify">Check a screening receipt (for clinics)</a></li>
<li><a href="/accessibility">Accessibility statement</a></li>
</ul>

<h2>Embed the screener on a clinic website</h2>
<p>Both ways only work from origins listed in the clinic's profile (<code>allowed_origins</code>).
The widget stores nothing in the browser and talks only to this service.</p>

<h3>1. The custom element</h3>
<pre><code>&lt;script type="module" src="ORIGIN/widget/v1/screener.js"&gt;&lt;/script&gt;
&lt;hip-pelvic-screener api-base="ORIGIN" clinic="demo" lang="en" country="gb"
  style="--hps-accent: #0b5fff; --hps-font: Georgia, serif"&gt;&lt;/hip-pelvic-screener&gt;</code></pre>
<hip-pelvic-screener api-base="" clinic="demo" lang="en" country="gb"></hip-pelvic-screener>

<h3>2. The hosted page in an iframe</h3>
<pre><code>&lt;iframe src="ORIGIN/embed/demo" title="Hip and pelvic health check" data-hps-embed
  style="width: 100%; border: 0"&gt;&lt;/iframe&gt;
&lt;script src="ORIGIN/widget/v1/embed-parent.js" defer&gt;&lt;/script&gt;</code></pre>
<iframe src="/embed/demo" title="Hip and pelvic health check (hosted page)" data-hps-embed
  width="100%" height="700"></iframe>

<p>Version VERSION.</p>
</main>
</body>
</html>
"""


@router.get("/")
async def landing() -> HTMLResponse:
    page = _PAGE.replace("VERSION", escape(__version__)).replace("ORIGIN", "https://screener.example.org")
    return HTMLResponse(page, headers={"Content-Security-Policy": LANDING_CSP, "Cache-Control": "no-cache"})
