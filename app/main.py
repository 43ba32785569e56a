"""The application factory. Rule sets load during ASGI lifespan start-up and fail fast."""

import gc
import logging
import sys
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute
from starlette.types import ASGIApp, Receive, Scope, Send

from app import __version__
from app.api import docs, fhir, health, landing, verify_page, web, well_known
from app.api.app_state import AppState
from app.api.catalog import Catalog
from app.api.direct_routes import DirectRoutes
from app.api.head import HeadAsGet
from app.api.middleware import HttpGuard
from app.api.overload import InFlightCap
from app.api.problems import install_problem_handlers
from app.api.rate_limit import RateLimiter
from app.api.v1 import router as v1_router
from app.api.v1.openapi import OPENAPI_TAGS, document_answers
from app.clinics import ClinicProfileError, Clinics
from app.config import Settings
from app.engine.errors import RuleSetError
from app.observability.access import AccessObserver
from app.observability.logs import configure_logging
from app.observability.metrics import Metrics
from app.receipts.issuer import Receipts
from app.receipts.keys import KeyConfigError
from app.reload import Reloader
from app.schemas.problem import Problem
from app.schemas.progress import ProgressRequest
from app.schemas.receipt import VerifyRequest
from app.schemas.screening import ScreeningRequest

logger = logging.getLogger("app")

DESCRIPTION = """Self-screening for hip, pelvic and pelvic floor symptoms.

The service serves a questionnaire, runs the answers through declarative rules kept as data
files, and returns a **non-diagnostic** suggestion of what to do next. Nothing is stored.
Errors are RFC 9457 problem documents (`application/problem+json`).
"""


class ScreenerAPI(FastAPI):
    """FastAPI that handles the ASGI lifespan itself, so a broken rule set stops start-up
    with one readable line (uvicorn then exits with status 3) instead of a traceback.

    Requests go through ``entry`` (set by create_app: CORS, the in-flight cap, HttpGuard and
    the direct routes), which hands everything else to ``framework``, FastAPI's own stack."""

    entry: ASGIApp | None = None
    direct_routes: DirectRoutes | None = None

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.state = AppState()  # read on every request: entries as plain attributes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if self.entry is not None:
            scope["app"] = self  # as Starlette sets it, for layers that answer before the framework
            await self.entry(scope, receive, send)
            return
        await super().__call__(scope, receive, send)

    async def framework(self, scope: Scope, receive: Receive, send: Send) -> None:
        await super().__call__(scope, receive, send)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        reloader = Reloader(self)
        installed = False
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                configure_logging(self.state.settings.log_level)
                self.state.receipts.warn_if_ephemeral()
                if self.state.catalog is None:
                    # Loaded and checked once (`screener serve` hands over the one it loaded).
                    try:
                        self.state.catalog = Catalog.load(self.state.settings.rules_dir)
                    except RuleSetError as exc:
                        lines = "".join(f"\n  {issue}" for issue in exc.issues)
                        await send({"type": "lifespan.startup.failed", "message": f"{exc}{lines}"})
                        return
                self.state.metrics.loaded(self.state.catalog.rulesets.values())
                installed = reloader.install()
                # The catalog lives as long as the process: move it (and everything loaded so
                # far) out of the garbage collector's view, so full collections stay cheap.
                gc.collect()
                gc.freeze()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                self.state.draining = True
                if installed:
                    reloader.uninstall()
                await send({"type": "lifespan.shutdown.complete"})
                return


def _operation_id(route: APIRoute) -> str:
    return f"{route.tags[0]}-{route.name}" if route.tags else route.name


def create_app(settings: Settings | None = None, catalog: Catalog | None = None) -> ScreenerAPI:
    """Build the app; pass ``catalog`` to skip loading at start-up (tests, CLI).

    Clinic profiles load here, since their allowed origins configure CORS: a broken file
    raises ClinicProfileError naming the file and the problem; so do the receipt keys
    (KeyConfigError)."""
    settings = settings or Settings()
    clinics = Clinics.load(settings.clinics_file)
    receipts = Receipts.from_settings(settings)
    app = ScreenerAPI(
        title="hip-pelvic-screener",
        version=__version__,
        summary="Non-diagnostic self-screening for hip and pelvic floor symptoms.",
        description=DESCRIPTION,
        generate_unique_id_function=_operation_id,
        # A redirect from /path/ to /path would build its Location from the Host header, which
        # the client chooses; /path/ is simply not found.
        redirect_slashes=False,
        # Served by app.api.docs after the API routes: every request tries routes in order.
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.catalog = catalog
    app.state.clinics = clinics
    app.state.receipts = receipts
    app.state.rate_limiter = RateLimiter(settings.rate_limit_per_minute)
    app.state.check_rate_limiter = RateLimiter(settings.check_rate_limit_per_minute)
    app.state.draining = False
    app.state.metrics = Metrics()
    if catalog is not None:
        app.state.metrics.loaded(catalog.rulesets.values())
    install_problem_handlers(app)
    # The v1 FastAPI routes give the OpenAPI document and the 405 answers for other methods;
    # DirectRoutes (below) serves their traffic.
    app.include_router(v1_router)
    app.include_router(well_known.router)
    app.include_router(verify_page.router)
    app.include_router(fhir.router)
    app.include_router(health.router)
    app.include_router(landing.router)
    app.include_router(web.router)
    app.include_router(docs.router)
    observer = AccessObserver(app.state.metrics)
    # The layers every request goes through, built here rather than with add_middleware: the
    # framework's stack (its error, telemetry and exception layers and router) then runs only
    # for requests the direct routes do not serve. The v1 endpoints take only the request and
    # check everything themselves, so that stack would cost more than the screening itself
    # (measured with make bench). HttpGuard, outside it, also gives 500s their headers.
    app.direct_routes = DirectRoutes.from_routes(app.routes, fallback=HeadAsGet(app.framework))
    inner: ASGIApp = app.direct_routes
    if settings.max_in_flight or settings.max_queue_delay_ms:
        # Behind HttpGuard: a request counts once its body is in (a client trickling its body
        # holds no slot), and the 503 gets HttpGuard's headers and access record.
        inner = InFlightCap(
            inner,
            limit=settings.max_in_flight or 2**31,
            max_lag=settings.max_queue_delay_ms / 1000,
            outcome_by_prefix=[(fhir.router.prefix + "/", fhir.overloaded)],
        )
    entry: ASGIApp = HttpGuard(
        inner,
        max_bytes=settings.max_body_bytes,
        observer=observer,
        # A QuestionnaireResponse repeats the texts of the questionnaire: it needs more room.
        path_limits={fhir.SCREEN_PATH: settings.max_fhir_body_bytes},
        problem_by_prefix=[(fhir.router.prefix + "/", fhir.transport_problem)],
        body_timeout=settings.body_timeout,
        max_headers=settings.max_headers,
        max_header_bytes=settings.max_header_bytes,
    )
    if clinics.allowed_origins:
        # Outermost, so every answer (413 and problems included) carries CORS headers a
        # clinic page can read. Exact origins only; no credentials.
        entry = web.ClinicCORS(
            entry,
            allow_origins=clinics.allowed_origins,
            allow_methods=("GET", "POST", "OPTIONS"),
            allow_headers=("Content-Type", "Accept", "Accept-Language"),
            expose_headers=web.EXPOSE_HEADERS,
            allow_credentials=False,
            max_age=600,
        )
    app.entry = entry

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title,
                version=app.version,
                summary=app.summary,
                description=app.description,
                routes=app.routes,
                tags=OPENAPI_TAGS,
                license_info={"name": "Apache-2.0", "identifier": "Apache-2.0"},
            )
            # Models used through openapi_extra / problem responses, not through FastAPI params.
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            for model in (ScreeningRequest, ProgressRequest, VerifyRequest, Problem):
                model_schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
                components.update(model_schema.pop("$defs", {}))
                components[model.__name__] = model_schema
            # Question ids and answer types come from the rule sets (see document_answers).
            document_answers(components, app.state.catalog, settings.rules_dir)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app


def _served_app() -> ScreenerAPI:
    """The app servers import. A broken clinic profiles file (or receipt keys) stops the process
    here with its one-line reason and uvicorn's start-up failure status (3), not an import traceback."""
    try:
        return create_app()
    except (ClinicProfileError, KeyConfigError) as exc:
        print(exc, file=sys.stderr)
        raise SystemExit(3) from None


app = _served_app()
