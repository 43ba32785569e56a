"""The OpenAPI document is complete enough to build clients from: every operation summarised,
described and tagged, every request and response with examples, every problem status with its
schema and an example, every schema described, levels and question ids spelled out.

The examples (app.schemas.examples) are real outputs, and stay so: each screening example is
screened again here, each progress example assessed again, and each problem example is what the
app answers to the request that causes it.
"""

import asyncio
import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from app.config import Settings
from app.engine.answers import assess
from app.engine.evaluator import screen
from app.engine.levels import LEVEL_IDS
from app.engine.ruleset import RuleSet
from app.engine.semantics import minimum
from app.main import create_app
from app.schemas import examples
from app.schemas.problem import Problem
from app.schemas.progress import ProgressRequest, ProgressView
from app.schemas.questionnaire import ItemView, QuestionnaireList, QuestionnaireView
from app.schemas.screening import ScreeningRequest, ScreeningResult
from tests.support import faulty_app
from tests.support.rulesets import shipped_catalog

SPEC = create_app().openapi()
OPERATIONS = [
    (path, method, operation) for path, methods in SPEC["paths"].items() for method, operation in methods.items()
]
SCHEMAS: dict[str, Any] = SPEC["components"]["schemas"]
PROBLEM_JSON = "application/problem+json"
SCREENINGS = f"{examples.QUESTIONNAIRE_PATH}/screenings"
PROGRESS = f"{examples.QUESTIONNAIRE_PATH}/progress"


def _ids(items: list[tuple[str, str, dict[str, Any]]]) -> list[str]:
    return [f"{method.upper()} {path}" for path, method, _ in items]


@pytest.mark.parametrize(("path", "method", "operation"), OPERATIONS, ids=_ids(OPERATIONS))
def test_every_operation_is_summarised_described_tagged_and_stably_named(
    path: str, method: str, operation: dict[str, Any]
) -> None:
    assert operation["summary"].strip() and operation["description"].strip()
    (tag,) = operation["tags"]
    assert operation["operationId"].startswith(f"{tag}-")
    assert re.fullmatch(r"[a-z]+-[a-z_]+", operation["operationId"])
    assert {entry["name"] for entry in SPEC["tags"]} >= {tag}, "each tag is described"
    for parameter in operation.get("parameters", []):
        assert parameter["description"] and parameter["schema"], parameter["name"]


@pytest.mark.parametrize(("path", "method", "operation"), OPERATIONS, ids=_ids(OPERATIONS))
def test_every_request_and_response_has_examples(path: str, method: str, operation: dict[str, Any]) -> None:
    if "requestBody" in operation:
        (content,) = operation["requestBody"]["content"].values()
        assert content["examples"], "request examples"
    for status, response in operation["responses"].items():
        assert response["description"].strip(), status
        if status == "304":
            assert "content" not in response
            continue
        assert response.get("content"), f"{status} documents its body"
        for media_type, content in response["content"].items():
            assert content.get("examples"), f"{status} {media_type} has examples"
            if int(status) >= 400:
                assert media_type == PROBLEM_JSON
            elif path == examples.VERIFY_PATH:  # a receipt is also served as a PDF and a FHIR Bundle
                assert media_type in ("application/json", "application/pdf", "application/fhir+json")
            else:
                assert media_type == "application/json"


@pytest.mark.parametrize(("path", "method", "operation"), OPERATIONS, ids=_ids(OPERATIONS))
def test_every_problem_status_has_the_problem_schema_and_fitting_examples(
    path: str, method: str, operation: dict[str, Any]
) -> None:
    instance = path.replace("{questionnaire_id}", "hip-pelvic-floor")
    for status, response in operation["responses"].items():
        if int(status) < 400:
            continue
        content = response["content"][PROBLEM_JSON]
        assert content["schema"] == {"$ref": "#/components/schemas/Problem"}
        for name, example in content["examples"].items():
            problem = Problem.model_validate(example["value"])
            assert problem.status == int(status), name
            assert example["summary"]
            expected = instance.replace(examples.QUESTIONNAIRE_PATH, examples.UNKNOWN_QUESTIONNAIRE_PATH)
            assert problem.instance == (expected if status == "404" else instance)
            assert example["value"] == examples.problem(name, problem.instance)


def test_the_problem_examples_cover_every_status_and_type() -> None:
    shown: dict[str, set[str]] = {}
    for _, _, operation in OPERATIONS:
        for status, response in operation["responses"].items():
            for name in response.get("content", {}).get(PROBLEM_JSON, {}).get("examples", {}):
                shown.setdefault(status, set()).add(name)
    assert set(shown) == {"400", "404", "408", "413", "415", "422", "429", "431", "500", "503"}
    assert shown["400"] == {"malformed-json"}
    assert shown["422"] == {
        "invalid-answers",
        "invalid-partial-answers",
        "invalid-body",
        "invalid-parameter",
        "invalid-receipt",
        "invalid-receipt-body",
    }
    for name in ("invalid-answers", "invalid-partial-answers", "invalid-body", "invalid-parameter"):
        assert examples.PROBLEMS[name]["errors"], f"{name} lists its errors"
    assert set(examples.PROBLEMS) == set(examples.PROBLEM_SUMMARIES)


def test_every_schema_and_property_is_described() -> None:
    for name, schema in SCHEMAS.items():
        assert schema.get("description", "").strip(), f"{name} has a description"
        for member, subschema in schema.get("properties", {}).items():
            bare_ref = set(subschema) == {"$ref"}
            assert bare_ref or subschema.get("description", "").strip(), f"{name}.{member} has a description"


def test_the_level_enum_is_spelled_out() -> None:
    assert SCHEMAS["ScreeningResult"]["properties"]["level"]["enum"] == list(LEVEL_IDS)
    assert SCHEMAS["ReasonView"]["properties"]["level"]["enum"] == list(LEVEL_IDS)
    assert SCHEMAS["FindingView"]["properties"]["status"]["enum"] == ["none", "some", "marked"]


def test_the_answers_object_spells_out_every_question(ruleset: RuleSet) -> None:
    answers = SCHEMAS["Answers"]
    for model in ("ScreeningRequest", "ProgressRequest"):
        assert SCHEMAS[model]["properties"]["answers"] == {"$ref": "#/components/schemas/Answers"}
    assert answers["type"] == "object" and answers["additionalProperties"] is False
    assert list(answers["properties"]) == [qid for section in ruleset.sections for qid in section.question_ids]
    for qid, question in ruleset.questions.items():
        schema = answers["properties"][qid]
        assert schema["description"].strip()
        if question.type == "boolean":
            assert schema["type"] == "boolean"
        elif question.type in ("integer", "scale"):
            assert (schema["type"], schema.get("minimum"), schema.get("maximum")) == (
                "integer",
                question.min,
                question.max,
            )
        elif question.type == "single_choice":
            assert schema["enum"] == list(question.options)
        else:
            assert schema["type"] == "array" and schema["items"]["enum"] == list(question.options)
            assert schema["uniqueItems"] is True and schema["minItems"] == 1


def test_the_document_is_the_same_built_before_or_after_start_up() -> None:
    settings = Settings()
    assert create_app(settings, shipped_catalog()).openapi() == SPEC


# --- the examples are real outputs ----------------------------------------------------------------


def _conforms(value: object, schema: dict[str, Any]) -> bool:
    """Just enough JSON Schema for the Answers properties: type, enum, bounds, items."""
    kind = schema.get("type")
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "integer":
        return (
            isinstance(value, int)
            and not isinstance(value, bool)
            and schema.get("minimum", value) <= value <= schema.get("maximum", value)
        )
    if kind == "string":
        return isinstance(value, str) and value in schema.get("enum", [value])
    if kind == "array":
        return (
            isinstance(value, list)
            and len(value) >= schema.get("minItems", 0)
            and len(set(map(str, value))) == len(value)
            and all(_conforms(item, schema["items"]) for item in value)
        )
    return False


def _request_examples() -> list[tuple[str, dict[str, Any]]]:
    found = []
    for path, method, operation in OPERATIONS:
        for name, example in (
            operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("examples", {}).items()
        ):
            if "answers" in example["value"]:  # a receipt to verify holds its answers signed, not in the open
                found.append((f"{method.upper()} {path} {name}", example["value"]))
    return found


@pytest.mark.parametrize(("label", "body"), _request_examples(), ids=[label for label, _ in _request_examples()])
def test_every_request_example_conforms_to_the_documented_answers(label: str, body: dict[str, Any]) -> None:
    properties = SCHEMAS["Answers"]["properties"]
    for qid, value in body["answers"].items():
        assert qid in properties, f"{label}: {qid}"
        assert _conforms(value, properties[qid]), f"{label}: {qid}={value!r}"


@pytest.mark.parametrize("name", list(examples.SCREENING_REQUEST_EXAMPLES))
def test_screening_examples_still_give_their_level_and_rules(name: str, ruleset: RuleSet) -> None:
    request = ScreeningRequest.model_validate(examples.SCREENING_REQUEST_EXAMPLES[name]["value"])
    result = ScreeningResult.model_validate(examples.SCREENING_RESULT_EXAMPLES[name]["value"])
    evaluation = screen(ruleset, dict(request.answers))
    now = (evaluation.level.value, [rule.id for rule in evaluation.fired])
    shown = (result.level, [reason.rule_id for reason in result.reasons])
    assert now == shown, f"the {name} example is out of date: refresh app/schemas/examples.py (see its docstring)"
    assert result.ruleset.id == ruleset.id
    assert sorted(result.ignored_answers) == sorted(evaluation.ignored_answers)
    assert (result.complete, result.unanswered_required) == (evaluation.complete, list(evaluation.unanswered_required))


def test_the_examples_show_a_physio_recommendation_and_an_emergency_complete_or_not() -> None:
    shown = {
        name: (example["value"]["level"], example["value"]["complete"])
        for name, example in examples.SCREENING_RESULT_EXAMPLES.items()
    }
    assert shown == {
        "physio": ("recommend_pelvic_floor_physio", True),
        "emergency": ("emergency", True),
        "early_emergency": ("emergency", False),
    }


@pytest.mark.parametrize("name", list(examples.PROGRESS_REQUEST_EXAMPLES))
def test_progress_examples_still_give_their_next_question(name: str, ruleset: RuleSet) -> None:
    request = ProgressRequest.model_validate(examples.PROGRESS_REQUEST_EXAMPLES[name]["value"])
    shown = ProgressView.model_validate(examples.PROGRESS_RESULT_EXAMPLES[name]["value"])
    state = assess(ruleset, request.answers)
    pending = [q for q in state.applicable if q not in state.answers and q not in request.skipped]
    assert not state.issues
    assert shown.next_question == (pending[0] if pending else None)
    assert shown.applicable == list(state.applicable)
    assert shown.unanswered_required == list(state.missing_required)
    least = minimum(ruleset, state.typed, request.skipped)
    assert (shown.minimum_level, shown.minimum_reasons, shown.should_stop) == (
        least.level.value,
        list(least.reasons),
        least.should_stop,
    )
    assert shown.can_screen == (least.should_stop or not state.missing_required)


def _shape(item: ItemView) -> dict[str, Any]:
    return {
        **item.model_dump(mode="json", exclude={"text", "help", "min_label", "max_label", "options"}),
        "options": [option.value for option in item.options],
    }


def test_questionnaire_examples_are_cut_from_the_real_document(ruleset: RuleSet) -> None:
    listing = QuestionnaireList.model_validate(examples.QUESTIONNAIRE_LIST)
    assert [q.id for q in listing.questionnaires] == [ruleset.id]
    shown = QuestionnaireView.model_validate(examples.QUESTIONNAIRE)
    real = QuestionnaireView.build(ruleset, shown.language, shown.country)
    real_items = {item.id: item for section in real.sections for item in section.items}
    for section in shown.sections:
        for item in section.items:
            # Texts may be reworded freely; what a client builds on may not drift.
            assert _shape(item) == _shape(real_items[item.id]), f"example item {item.id} is out of date"
    assert any(item.enable_when for section in shown.sections for item in section.items), "shows skip logic"


def _answers_with_two_problems() -> dict[str, Any]:
    answers = dict(examples.PHYSIO_REQUEST["answers"])
    del answers["ctx_age_years"]
    answers["rf_cannot_pass_urine"] = "no"
    return {"answers": answers}


# How each example problem is caused: (method, path, request options).
CAUSES: dict[str, tuple[str, str, dict[str, Any]]] = {
    "malformed-json": (
        "POST",
        SCREENINGS,
        {"content": b'{"answers": ', "headers": {"content-type": "application/json"}},
    ),
    "unknown-questionnaire": ("POST", f"{examples.UNKNOWN_QUESTIONNAIRE_PATH}/screenings", {"json": {"answers": {}}}),
    "method-not-allowed": ("DELETE", "/v1/questionnaires", {}),
    "content-too-large": (
        "POST",
        SCREENINGS,
        {"content": b" " * 16385, "headers": {"content-type": "application/json"}},
    ),
    "header-fields-too-large": ("GET", "/v1/questionnaires", {"headers": {f"x-field-{n}": "1" for n in range(101)}}),
    "unsupported-media-type": ("POST", SCREENINGS, {"content": b"answers", "headers": {"content-type": "text/plain"}}),
    "invalid-answers": ("POST", SCREENINGS, {"json": _answers_with_two_problems()}),
    "invalid-partial-answers": (
        "POST",
        PROGRESS,
        {"json": {"answers": {"ctx_answering_for": "me", "ctx_age_years": "forty", "rf_saddle_numbess": "no"}}},
    ),
    "invalid-body": ("POST", PROGRESS, {"json": {}}),
    "invalid-parameter": ("GET", f"{examples.QUESTIONNAIRE_PATH}?lang=1!", {}),
    # The example receipt is signed with the example key, which the app does not hold.
    "invalid-receipt": ("POST", examples.VERIFY_PATH, {"json": examples.RECEIPT_EXAMPLES["physio"]["value"]}),
    "invalid-receipt-body": ("POST", examples.VERIFY_PATH, {"json": {}}),
}


async def _answers(app: Any, method: str, path: str, options: dict[str, Any], times: int = 1) -> httpx.Response:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        for _ in range(times):
            response = await client.request(method, path, **options)
    return response


def _check(response: httpx.Response, name: str) -> None:
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.json() == examples.problem(name, response.url.path), name


def test_problem_examples_are_what_the_app_answers() -> None:
    settings = Settings(rate_limit_per_minute=0)
    app = create_app(settings, shipped_catalog())
    for name, (method, path, options) in CAUSES.items():
        _check(asyncio.run(_answers(app, method, path, options)), name)
    limited = {"too-many-requests", "too-many-checks"}
    assert set(CAUSES) | limited | {"internal-error", "starting", "overloaded", "request-timeout"} == set(
        examples.PROBLEMS
    )


def test_rate_limit_crash_and_start_up_problem_examples_are_what_the_app_answers() -> None:
    settings = Settings(rate_limit_per_minute=1)
    limited = create_app(settings, shipped_catalog())
    _check(asyncio.run(_answers(limited, "POST", SCREENINGS, {"json": {"answers": {}}}, times=2)), "too-many-requests")
    checks = create_app(Settings(check_rate_limit_per_minute=1), shipped_catalog())
    _check(asyncio.run(_answers(checks, "POST", PROGRESS, {"json": {"answers": {}}}, times=2)), "too-many-checks")
    _check(asyncio.run(_answers(faulty_app.create(), "GET", "/test-only/crash", {})), "internal-error")
    _check(asyncio.run(_answers(create_app(), "GET", "/v1/questionnaires", {})), "starting")


def test_request_timeout_problem_example_is_what_the_app_answers() -> None:
    # The example names the default 10 s; a shorter deadline keeps the test quick.
    app = create_app(Settings(rate_limit_per_minute=0, body_timeout=0.5), shipped_catalog())

    async def stalled_body() -> AsyncIterator[bytes]:
        yield b'{"answers": '
        await asyncio.sleep(30)  # the rest never comes in time

    async def call() -> httpx.Response:
        options = {"content": stalled_body(), "headers": {"content-type": "application/json"}}
        return await _answers(app, "POST", SCREENINGS, options)

    response = asyncio.run(call())
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.headers["connection"] == "close"
    expected = examples.problem("request-timeout", SCREENINGS)
    expected["detail"] = expected["detail"].replace("10 seconds", "0.5 seconds")
    assert response.json() == expected


def test_overloaded_problem_example_is_what_the_app_answers() -> None:
    settings = Settings(rate_limit_per_minute=0, max_in_flight=1)
    app = create_app(settings, shipped_catalog())
    release = asyncio.Event()

    async def held() -> None:
        await release.wait()

    app.add_api_route("/test-only/held", held)

    async def calls() -> httpx.Response:
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            holder = asyncio.create_task(client.get("/test-only/held"))
            await asyncio.sleep(0.05)  # the held request is in flight
            refused = await client.get("/v1/questionnaires")
            release.set()
            await holder
            return refused

    _check(asyncio.run(calls()), "overloaded")
