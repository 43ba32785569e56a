"""POST partial answers, learn what to ask next: lets a thin client run the questionnaire
one question at a time without re-implementing skip logic."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.api.direct_routes import direct
from app.api.json_body import answers_from, parse_json, read_body, require_json
from app.api.problems import ANY_REQUEST_PROBLEMS, JSON_BODY_PROBLEMS, ProblemError, problem_responses
from app.api.request_context import QUESTIONNAIRE_ID, enforce_check_rate_limit, ruleset_of
from app.api.v1.openapi import CACHE_CONTROL_NO_STORE, json_request_body
from app.engine.answers import assess
from app.engine.semantics import minimum
from app.schemas.examples import PROGRESS_REQUEST_EXAMPLES, PROGRESS_RESULT_EXAMPLES, QUESTIONNAIRE_PATH
from app.schemas.progress import ProgressView
from app.schemas.questionnaire import RuleSetRef

router = APIRouter(tags=["progress"])

_OPENAPI = {
    "parameters": [QUESTIONNAIRE_ID],
    "requestBody": json_request_body(
        "ProgressRequest",
        "The answers given so far, and the questions the person chose to skip.",
        PROGRESS_REQUEST_EXAMPLES,
    ),
}


@router.post(
    "/questionnaires/{questionnaire_id}/progress",
    summary="Check partial answers and get the next question",
    response_model=ProgressView,
    response_description="What applies now, what is still required, and the next question to ask.",
    responses={
        200: {
            "headers": {"Cache-Control": CACHE_CONTROL_NO_STORE},
            "content": {"application/json": {"examples": PROGRESS_RESULT_EXAMPLES}},
        },
        **problem_responses(
            404,
            429,
            *JSON_BODY_PROBLEMS,
            *ANY_REQUEST_PROBLEMS,
            instance=f"{QUESTIONNAIRE_PATH}/progress",
            unprocessable=("invalid-partial-answers", "invalid-body"),
            limited=("too-many-checks",),
        ),
    },
    openapi_extra=_OPENAPI,
)
@direct
async def get_progress(request: Request) -> Response:
    """Validates the answers given so far exactly as a screening does, except that missing
    answers are expected: returns the questions that apply now, the required ones still
    unanswered, the next question to ask, and the level these answers are already sure to
    reach. When that is an emergency, `should_stop` is true: show the emergency advice now
    instead of asking more. Nothing is stored."""
    ruleset = ruleset_of(request)
    enforce_check_rate_limit(request)
    require_json(request)
    answers, skipped = answers_from(parse_json(await read_body(request)))
    assessment = assess(ruleset, answers)
    if assessment.issues:
        raise ProblemError(
            422,
            "Some answers are not valid.",
            type_="/problems/invalid-answers",
            title="Invalid answers",
            errors=assessment.issues,
        )
    skipped_ids = set(skipped)
    least = minimum(ruleset, assessment.typed, skipped_ids)
    pending = (qid for qid in assessment.applicable if qid not in assessment.answers and qid not in skipped_ids)
    view = ProgressView(
        questionnaire=ruleset.id,
        next_question=next(pending, None),
        applicable=list(assessment.applicable),
        unanswered_required=list(assessment.missing_required),
        ignored_answers=list(assessment.ignored),
        answered=len(assessment.answers),
        can_screen=least.should_stop or not assessment.missing_required,
        minimum_level=least.level.value,
        minimum_reasons=list(least.reasons),
        should_stop=least.should_stop,
        ruleset=RuleSetRef(id=ruleset.id, version=ruleset.version, sha256=ruleset.sha256),
    )
    return Response(view.model_dump_json(), media_type="application/json", headers={"Cache-Control": "no-store"})
