"""FHIR R4 routes: the Questionnaire, the $screen operation and the CapabilityStatement.

Left out of the OpenAPI document on purpose: FHIR clients discover them through
``GET /fhir/r4/metadata``. Every error is an OperationOutcome, never a problem document.
"""

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from fastapi.routing import APIRoute

from app import __version__
from app.api.json_body import declares_utf8, parse_json, read_body
from app.api.problems import ProblemError
from app.api.request_context import catalog_of, country_of, enforce_check_rate_limit, language_of, not_modified
from app.engine.errors import AnswersError
from app.engine.evaluator import screen
from app.engine.ruleset import RuleSet
from app.fhir.questionnaire import build_questionnaire
from app.fhir.response import Issue, ResponseError, answers_of, ruleset_for
from app.fhir.results import (
    capability_statement,
    engine_issues,
    operation_definition,
    operation_outcome,
    risk_assessment,
    screen_result,
)
from app.fhir.urls import FHIR_JSON, SCREEN_OPERATION

router = APIRouter(prefix="/fhir/r4", include_in_schema=False)
SCREEN_PATH = "/fhir/r4/QuestionnaireResponse/$screen"

_ACCEPTED = ("application/fhir+json", "application/json")
# A response answering every question with every option, texts included, has under 600 JSON
# objects; parsing costs per object, so a body of more is refused unparsed (bounded work).
MAX_OBJECTS = 2000
_STARTED = datetime.now(UTC).date().isoformat()
# Problem statuses as FHIR issue types, for errors raised by the shared request helpers.
_ISSUE_TYPES = {
    400: "structure",
    404: "not-found",
    408: "timeout",
    413: "too-costly",
    415: "not-supported",
    422: "invalid",
    429: "throttled",
    431: "too-costly",
    503: "transient",
}


def _json(document: dict[str, Any]) -> bytes:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def _outcome(status: int, issues: list[Issue], headers: dict[str, str] | None = None) -> Response:
    return Response(
        _json(operation_outcome(issues)),
        status_code=status,
        media_type=FHIR_JSON,
        headers={"Cache-Control": "no-store", **(headers or {})},
    )


def _from_problem(exc: ProblemError) -> Response:
    """A shared helper's problem (bad ?lang=, starting up, malformed JSON...) as an outcome."""
    issues = [Issue("invalid", "", f"{error.pointer}: {error.detail}") for error in exc.errors] or [
        Issue(_ISSUE_TYPES.get(exc.status, "invalid"), "", exc.detail)
    ]
    return _outcome(exc.status, issues, exc.headers)


def transport_problem(status: int, detail: str, headers: dict[str, str]) -> Response:
    """HttpGuard's own refusals (408, 413, 431) on a FHIR route: an OperationOutcome like every
    other FHIR error."""
    return _from_problem(ProblemError(status, detail, headers=headers))


def overloaded(detail: str, headers: dict[str, str]) -> Response:
    """The in-flight cap's 503 on a FHIR route, as an OperationOutcome."""
    return _outcome(503, [Issue("transient", "", detail)], headers)


@router.get("/metadata")
async def metadata(request: Request) -> Response:
    return Response(
        _json(capability_statement(__version__, _STARTED)),
        media_type=FHIR_JSON,
        headers={"Cache-Control": "no-cache"},
    )


@router.get("/OperationDefinition/{definition_id}")
async def read_operation_definition(definition_id: str) -> Response:
    definition = operation_definition()
    if definition_id != definition["id"]:
        return _outcome(404, [Issue("not-found", "", "There is no OperationDefinition with this id.")])
    return Response(_json(definition), media_type=FHIR_JSON, headers={"Cache-Control": "no-cache"})


def _document(request: Request, ruleset: RuleSet, language: str, country: str) -> tuple[bytes, str]:
    """The rendered Questionnaire and its ETag, built once per language and country for the
    catalog being served (a reloaded catalog starts a fresh cache, so old ones do not pile up)."""
    catalog = catalog_of(request)
    cached: tuple[object, dict[tuple[str, str, str], tuple[bytes, str]]] | None = getattr(
        request.app.state, "fhir_questionnaires", None
    )
    if cached is None or cached[0] is not catalog:
        cached = request.app.state.fhir_questionnaires = (catalog, {})
    documents = cached[1]
    key = (ruleset.id, language, country)
    if key not in documents:
        body = _json(build_questionnaire(ruleset, language, country))
        documents[key] = (body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"')
    return documents[key]


@router.get("/Questionnaire/{questionnaire_id}")
async def read_questionnaire(request: Request, questionnaire_id: str) -> Response:
    try:
        ruleset = catalog_of(request).rulesets.get(questionnaire_id)
        if ruleset is None:
            return _outcome(404, [Issue("not-found", "", "There is no Questionnaire with this id.")])
        language = language_of(request, ruleset)
        country = country_of(request, ruleset)
    except ProblemError as exc:
        return _from_problem(exc)
    body, etag = _document(request, ruleset, language, country)
    headers = {
        "ETag": etag,
        "Cache-Control": f"public, max-age={request.app.state.settings.questionnaire_max_age}, must-revalidate",
        "Content-Language": language,
        "Vary": "Accept-Language",
    }
    if not_modified(request, etag):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=FHIR_JSON, headers=headers)


@router.post("/QuestionnaireResponse/$screen")
async def screen_response(request: Request) -> Response:
    """Screen a QuestionnaireResponse exactly as POST /v1/.../screenings screens answers (items
    present without an answer are its ``skipped``). A partial response (in-progress, stopped)
    is screened only when its answers already need emergency help; the result is then
    preliminary, as is every result of a response not finished or not complete."""
    try:
        catalog = catalog_of(request)
        # The early-check budget: form renderers call $screen on responses in progress too.
        enforce_check_rate_limit(request)
        if not declares_utf8(request, _ACCEPTED):
            raise ProblemError(
                415,
                "Send the body as Content-Type: application/fhir+json (or application/json).",
                headers={"Accept-Post": "application/fhir+json, application/json"},
            )
        body = await read_body(request)
        if body.count(b"{") > MAX_OBJECTS:  # counted in C, before parsing costs per object
            raise ProblemError(
                422, f"A QuestionnaireResponse of this questionnaire has fewer than {MAX_OBJECTS} objects."
            )
        document = parse_json(body)
        ruleset = ruleset_for(document, catalog.rulesets)
        language, country = language_of(request, ruleset), country_of(request, ruleset)
        submitted = answers_of(document, ruleset)
        evaluation = screen(ruleset, submitted.answers, submitted.skipped)
    except ProblemError as exc:
        return _from_problem(exc)
    except ResponseError as exc:
        return _outcome(422, exc.issues)
    except AnswersError as exc:
        return _outcome(422, engine_issues(exc.issues))
    parts = catalog.result_parts[(ruleset.id, language, country)]
    answers = submitted.answers
    risk = risk_assessment(ruleset, evaluation, answers, parts, submitted.response_id, final=submitted.finished)
    result = screen_result(risk)
    return Response(
        _json(result),
        media_type=FHIR_JSON,
        headers={"Cache-Control": "no-store", "Content-Language": parts.language},
    )


@router.api_route("/QuestionnaireResponse/$screen", methods=["GET", "PUT", "PATCH", "DELETE", "OPTIONS"])
async def screen_other_methods() -> Response:
    return _outcome(
        405, [Issue("not-supported", "", f"{SCREEN_OPERATION} takes POST only.")], headers={"Allow": "POST"}
    )


@router.api_route("/{anything:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
async def not_found(request: Request) -> Response:
    """Unknown FHIR addresses get an OperationOutcome rather than a problem document; a known
    address asked with another method gets a 405 naming the methods it takes."""
    allowed = _methods_at(request.url.path)
    if allowed:
        listed = ", ".join(allowed)
        return _outcome(
            405, [Issue("not-supported", "", f"This address takes {listed} only.")], headers={"Allow": listed}
        )
    return _outcome(
        404, [Issue("not-found", "", "This FHIR server has nothing at this address; see /fhir/r4/metadata.")]
    )


def _methods_at(path: str) -> list[str]:
    """The methods the FHIR routes other than this catch-all take at ``path`` (HEAD with GET)."""
    methods: set[str] = set()
    for route in router.routes:
        if isinstance(route, APIRoute) and route.endpoint is not not_found and route.path_regex.match(path):
            methods |= route.methods or set()
    if "GET" in methods:
        methods.add("HEAD")
    return sorted(methods)
