"""POST answers, get a non-diagnostic suggestion of what to do next."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.api.direct_routes import direct
from app.api.json_body import answers_from, parse_json, read_body, require_json
from app.api.problems import ANY_REQUEST_PROBLEMS, JSON_BODY_PROBLEMS, ProblemError, problem_responses
from app.api.request_context import (
    COUNTRY,
    LANG,
    QUESTIONNAIRE_ID,
    catalog_of,
    country_of,
    enforce_rate_limit,
    language_of,
    ruleset_of,
)
from app.api.v1.openapi import ACCEPT_LANGUAGE, CACHE_CONTROL_NO_STORE, CONTENT_LANGUAGE, json_request_body
from app.engine.errors import AnswersError
from app.engine.evaluator import screen
from app.observability.metrics import SCREENED_SCOPE_KEY
from app.schemas.examples import QUESTIONNAIRE_PATH, SCREENING_REQUEST_EXAMPLES, SCREENING_RESULT_EXAMPLES
from app.schemas.screening import ScreeningResult

router = APIRouter(tags=["screenings"])

_OPENAPI = {
    "parameters": [QUESTIONNAIRE_ID, LANG, COUNTRY, ACCEPT_LANGUAGE],
    "requestBody": json_request_body(
        "ScreeningRequest",
        "Every answer given, keyed by question id, and the questions the person chose to skip.",
        SCREENING_REQUEST_EXAMPLES,
    ),
}


@router.post(
    "/questionnaires/{questionnaire_id}/screenings",
    summary="Screen a set of answers",
    response_model=ScreeningResult,
    response_description="A non-diagnostic suggestion of what to do next.",
    responses={
        200: {
            "headers": {"Cache-Control": CACHE_CONTROL_NO_STORE, "Content-Language": CONTENT_LANGUAGE},
            "content": {"application/json": {"examples": SCREENING_RESULT_EXAMPLES}},
        },
        **problem_responses(
            404,
            429,
            *JSON_BODY_PROBLEMS,
            *ANY_REQUEST_PROBLEMS,
            instance=f"{QUESTIONNAIRE_PATH}/screenings",
            unprocessable=("invalid-answers", "invalid-body", "invalid-parameter"),
        ),
    },
    openapi_extra=_OPENAPI,
)
@direct
async def create_screening(request: Request) -> Response:
    """Validates the answers, applies skip logic, runs every rule and returns the level,
    the reasons, per-domain findings and next steps. Answers with required ones missing are
    refused (422), unless they are already sure to need emergency help: that result comes at
    once, with `complete: false` and the questions still unanswered. Nothing is stored."""
    # The rules and the texts from one catalog, whatever a reload swaps in while the body is read.
    catalog = catalog_of(request)
    ruleset = ruleset_of(request, catalog)
    enforce_rate_limit(request)
    require_json(request)
    answers, skipped = answers_from(parse_json(await read_body(request)))
    try:
        evaluation = screen(ruleset, answers, skipped)
    except AnswersError as exc:
        raise ProblemError(
            422,
            "Some answers are missing or not valid.",
            type_="/problems/invalid-answers",
            title="Invalid answers",
            errors=exc.issues,
        ) from None
    parts = catalog.result_parts[(ruleset.id, language_of(request, ruleset), country_of(request, ruleset))]
    request.scope[SCREENED_SCOPE_KEY] = (ruleset, evaluation.level)  # counted once the 200 starts
    # The signed receipt of this result (app.receipts); skipped ids matter only to a result
    # screened before the end.
    early = [] if evaluation.complete else [qid for qid in skipped if qid in ruleset.questions]
    receipt = request.app.state.receipts.issue(parts, evaluation, answers, early)
    return Response(
        parts.to_json(evaluation, answers, receipt),
        media_type="application/json",
        headers={"Cache-Control": "no-store", "Content-Language": parts.language},
    )
