"""GET the list of questionnaires and one questionnaire, localised, with ETag revalidation."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.api.direct_routes import direct
from app.api.problems import ANY_REQUEST_PROBLEMS, problem_responses
from app.api.request_context import (
    COUNTRY,
    LANG,
    QUESTIONNAIRE_ID,
    catalog_of,
    country_of,
    language_of,
    not_modified,
    ruleset_of,
)
from app.api.v1.openapi import (
    ACCEPT_LANGUAGE,
    CACHE_CONTROL_QUESTIONNAIRE,
    CONTENT_LANGUAGE,
    ETAG,
    IF_NONE_MATCH,
)
from app.schemas.examples import QUESTIONNAIRE_EXAMPLES, QUESTIONNAIRE_LIST_EXAMPLES, QUESTIONNAIRE_PATH
from app.schemas.questionnaire import QuestionnaireList, QuestionnaireSummary, QuestionnaireView

router = APIRouter(tags=["questionnaires"])


@router.get(
    "/questionnaires",
    summary="List the questionnaires",
    response_model=QuestionnaireList,
    response_description="Every questionnaire, with its rule-set version and languages.",
    responses={
        200: {"content": {"application/json": {"examples": QUESTIONNAIRE_LIST_EXAMPLES}}},
        **problem_responses(422, *ANY_REQUEST_PROBLEMS, instance="/v1/questionnaires"),
    },
    openapi_extra={"parameters": [LANG, ACCEPT_LANGUAGE]},
)
@direct
async def list_questionnaires(request: Request) -> Response:
    """Every questionnaire this service runs, with its rule-set version and languages."""
    summaries = []
    for ruleset in catalog_of(request).rulesets.values():
        language = language_of(request, ruleset)
        summaries.append(
            QuestionnaireSummary(
                id=ruleset.id,
                version=ruleset.version,
                title=ruleset.text(language, "questionnaire.title"),
                languages=list(ruleset.languages),
            )
        )
    return Response(
        QuestionnaireList(questionnaires=summaries).model_dump_json(),
        media_type="application/json",
        headers={"Cache-Control": "no-cache", "Vary": "Accept-Language"},
    )


@router.get(
    "/questionnaires/{questionnaire_id}",
    summary="Get a questionnaire",
    response_model=QuestionnaireView,
    response_description="The questionnaire in one language, for one country.",
    responses={
        200: {
            "headers": {
                "ETag": ETAG,
                "Cache-Control": CACHE_CONTROL_QUESTIONNAIRE,
                "Content-Language": CONTENT_LANGUAGE,
            },
            "content": {"application/json": {"examples": QUESTIONNAIRE_EXAMPLES}},
        },
        304: {
            "description": "Not modified: the If-None-Match ETag is current; no body.",
            "headers": {"ETag": ETAG},
        },
        **problem_responses(404, 422, *ANY_REQUEST_PROBLEMS, instance=QUESTIONNAIRE_PATH),
    },
    openapi_extra={"parameters": [QUESTIONNAIRE_ID, LANG, COUNTRY, ACCEPT_LANGUAGE, IF_NONE_MATCH]},
)
@direct
async def get_questionnaire(request: Request) -> Response:
    """Sections and items with their options and skip logic (``enable_when``), in one language.

    Send the ETag back in If-None-Match to get 304 when nothing changed."""
    catalog = catalog_of(request)
    ruleset = ruleset_of(request, catalog)
    language = language_of(request, ruleset)
    document = catalog.documents[(ruleset.id, language, country_of(request, ruleset))]
    headers = {
        "ETag": document.etag,
        "Cache-Control": f"public, max-age={request.app.state.settings.questionnaire_max_age}, must-revalidate",
        "Content-Language": language,
        "Vary": "Accept-Language",
    }
    if not_modified(request, document.etag):
        return Response(status_code=304, headers=headers)
    return Response(document.body, media_type="application/json", headers=headers)
