"""$screen: a QuestionnaireResponse in, the same screening as the native endpoint out, as a
RiskAssessment; bad input gets an OperationOutcome (4xx) that repeats nothing submitted."""

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fhir.resources.R4B.operationoutcome import OperationOutcome

from app.config import Settings
from app.engine.evaluator import screen
from app.engine.golden import load_cases
from app.fhir.questionnaire import build_questionnaire
from app.fhir.urls import FIRED_RULE_EXTENSION, LEVEL_SYSTEM, RULESET_EXTENSION, options_system
from app.main import create_app
from tests.fhir.support import risk_of, to_response, with_texts
from tests.support.answers import complete, one_case_per_level, symptom_free_adult
from tests.support.rulesets import shipped_catalog, shipped_ruleset
from tests.support.servers import Server

RULESET = shipped_ruleset()
SCREEN = "/fhir/r4/QuestionnaireResponse/$screen"
NATIVE = "/v1/questionnaires/hip-pelvic-floor/screenings"
FHIR_JSON = {"Content-Type": "application/fhir+json"}
CASES = [(f"{file}::{case.name}", answers) for file, case, answers in load_cases(RULESET)]
CANARY = "CANARY-7731"


@pytest.fixture(scope="module")
def client() -> Iterator["InProcess"]:
    """In process (no lifespan: the catalog is passed in), so every golden case stays fast. No
    load shedding either: on a busy machine the event loop can lag past its target, and a 503
    would then stand in for the answer under test (tests/ops covers shedding)."""
    app = create_app(
        Settings(rate_limit_per_minute=1_000_000, check_rate_limit_per_minute=0, max_in_flight=0, max_queue_delay_ms=0),
        catalog=shipped_catalog(),
    )
    in_process = InProcess(app)
    yield in_process
    in_process.close()


class InProcess:
    """A synchronous face on httpx's async ASGI transport (one event loop for the module)."""

    def __init__(self, app: Any) -> None:
        self.loop = asyncio.new_event_loop()
        self.http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.loop.run_until_complete(self.http.post(url, **kwargs))

    def close(self) -> None:
        self.loop.run_until_complete(self.http.aclose())
        self.loop.close()


def _fired(risk: dict[str, Any]) -> list[str]:
    prediction = risk["prediction"][0]
    return [ext["valueCoding"]["code"] for ext in prediction["extension"] if ext["url"] == FIRED_RULE_EXTENSION]


def _post(http: Any, body: object, headers: dict[str, str] | None = None) -> httpx.Response:
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    return http.post(SCREEN, content=content, headers=headers or FHIR_JSON)  # type: ignore[no-any-return]


def test_the_in_process_app_serves_every_case_of_the_shipped_rule_set() -> None:
    assert len(CASES) > 50


@pytest.mark.slow  # every golden case, twice
def test_every_golden_case_screens_as_the_native_endpoint(client: InProcess) -> None:
    mismatches = []
    for name, answers in CASES:
        native = client.post(NATIVE, json={"answers": answers})
        fhir = _post(client, to_response(RULESET, answers))
        assert fhir.status_code == native.status_code == 200, name
        expected = native.json()
        risk_of(fhir.json())
        risk = fhir.json()["parameter"][0]["resource"]
        prediction = risk["prediction"][0]
        level = prediction["qualitativeRisk"]["coding"][0]
        rules = [reason["rule_id"] for reason in expected["reasons"]]
        if (level["code"], _fired(risk)) != (expected["level"], rules) or level["display"] != expected["headline"]:
            mismatches.append(name)
        # The same texts: reasons below the result's level say only what the person told us.
        texts = "\n\n".join(reason["text"] for reason in expected["reasons"])
        if (prediction["rationale"], risk["mitigation"]) != (texts, "\n".join(expected["next_steps"])):
            mismatches.append(f"{name} (texts)")
    assert mismatches == []


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_result_is_a_valid_risk_assessment_with_no_diagnosis(client: InProcess, lang: str) -> None:
    answers = CASES[0][1]
    response = client.post(
        f"{SCREEN}?lang={lang}&country=gb", content=json.dumps(to_response(RULESET, answers, "qr-1")), headers=FHIR_JSON
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/fhir+json"
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["content-language"] == lang
    native = client.post(f"{NATIVE}?lang={lang}&country=gb", json={"answers": answers}).json()
    risk = risk_of(response.json())
    assert risk.status == "final"
    assert risk.basis[0].reference == "QuestionnaireResponse/qr-1"
    assert risk.note[0].text == native["disclaimer"]
    assert risk.prediction[0].rationale == "\n\n".join(reason["text"] for reason in native["reasons"])
    (coding,) = risk.prediction[0].qualitativeRisk.coding
    assert (coding.system, coding.code, coding.display) == (LEVEL_SYSTEM, native["level"], native["headline"])
    body = response.json()["parameter"][0]["resource"]
    assert "code" not in body and "condition" not in body  # nothing diagnostic is coded
    (ruleset_ext,) = [ext for ext in body["extension"] if ext["url"] == RULESET_EXTENSION]
    parts = {part["url"]: part["valueString"] for part in ruleset_ext["extension"]}
    assert parts == {"id": RULESET.id, "version": RULESET.version, "sha256": RULESET.sha256}


# Symptoms in every area, every question that then applies answered: the largest response a
# person completes (what tests/e2e/test_lhc_forms.py sends through LHC-Forms is a part of it).
EVERY_AREA = complete(
    {
        "hip_pain_present": True,
        "pp_present": True,
        "nerve_symptoms_present": True,
        "core_symptoms_present": True,
        "bl_symptoms_present": True,
        "bo_symptoms_present": "yes",
        "pr_symptoms_present": True,
        "sx_applicable": "yes",
    }
)


@pytest.mark.parametrize("indent", [None, 2])
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_complete_response_as_form_renderers_send_it_is_screened(
    client: InProcess, lang: str, indent: int | None
) -> None:
    """Renderers repeat every item's text and answer's display (LHC-Forms does): such a
    response is larger than the native endpoints' body limit, so $screen has its own."""
    questionnaire = build_questionnaire(RULESET, lang)
    body = json.dumps(with_texts(to_response(RULESET, EVERY_AREA), questionnaire), indent=indent).encode()
    settings = Settings()
    assert settings.max_body_bytes < len(body) <= settings.max_fhir_body_bytes
    response = _post(client, body)
    assert response.status_code == 200, response.text
    level = risk_of(response.json()).prediction[0].qualitativeRisk.coding[0].code
    assert level == screen(RULESET, dict(EVERY_AREA)).level.value


def test_plain_json_and_a_response_without_id_or_groups_are_accepted(client: InProcess) -> None:
    answers = symptom_free_adult()
    flat = to_response(RULESET, answers)
    flat["item"] = [item for group in flat["item"] for item in group["item"]]
    del flat["questionnaire"]
    response = _post(client, flat, {"Content-Type": "application/json; charset=utf-8"})
    assert response.status_code == 200, response.text
    assert risk_of(response.json()).basis[0].display


def _outcome(response: httpx.Response, status: int) -> list[dict[str, Any]]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/fhir+json"
    assert CANARY not in response.text
    OperationOutcome.model_validate(response.json())
    issues: list[dict[str, Any]] = response.json()["issue"]
    assert issues and all(issue["severity"] == "error" for issue in issues)
    return issues


def test_unknown_link_id_is_located_by_position_not_repeated(client: InProcess) -> None:
    body = to_response(RULESET, symptom_free_adult())
    body["item"][1]["item"].append({"linkId": f"x_{CANARY}", "answer": [{"valueBoolean": True}]})
    (issue,) = _outcome(_post(client, body), 422)
    assert issue["code"] == "invalid"
    assert issue["expression"] == [f"QuestionnaireResponse.item[1].item[{len(body['item'][1]['item']) - 1}]"]


def test_wrong_value_type_names_the_link_id(client: InProcess) -> None:
    body = to_response(RULESET, symptom_free_adult())
    body["item"][0]["item"][0]["answer"] = [{"valueString": CANARY}]
    link_id = body["item"][0]["item"][0]["linkId"]
    (issue,) = _outcome(_post(client, body), 422)
    assert issue["code"] == "value"
    assert issue["expression"] == [f"QuestionnaireResponse.repeat(item).where(linkId = '{link_id}')"]


def test_unknown_option_and_out_of_range_come_from_the_engine(client: InProcess) -> None:
    answers = symptom_free_adult()
    body = to_response(RULESET, {**answers, "ctx_age_years": 4000, "ctx_answering_for": CANARY})
    issues = _outcome(_post(client, body), 422)
    assert {issue["code"] for issue in issues} == {"value"}
    expressions = {issue["expression"][0] for issue in issues}
    assert any("'ctx_age_years'" in e for e in expressions) and any("'ctx_answering_for'" in e for e in expressions)


def test_missing_required_answers_are_each_listed(client: InProcess) -> None:
    answers = symptom_free_adult()
    required = [qid for qid in answers if RULESET.questions[qid].required][:2]
    issues = _outcome(_post(client, to_response(RULESET, {k: v for k, v in answers.items() if k not in required})), 422)
    assert [issue["code"] for issue in issues] == ["required"] * len(issues)
    assert all(any(f"'{qid}'" in issue["expression"][0] for issue in issues) for qid in required)


def test_wrong_code_system_and_duplicate_items_are_refused(client: InProcess) -> None:
    body = to_response(RULESET, symptom_free_adult())
    choice = next(item for group in body["item"] for item in group["item"] if "valueCoding" in item["answer"][0])
    choice["answer"][0]["valueCoding"]["system"] = f"urn:{CANARY}"
    assert _outcome(_post(client, body), 422)[0]["code"] == "value"
    body = to_response(RULESET, symptom_free_adult())
    body["item"][0]["item"].append(body["item"][0]["item"][0])
    assert _outcome(_post(client, body), 422)[0]["code"] == "invalid"


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"{not json " + CANARY.encode(), 400),
        (b'{"resourceType": "Patient"}', 422),
        (b"[]", 422),
        (
            json.dumps(
                {"resourceType": "QuestionnaireResponse", "questionnaire": f"urn:{CANARY}", "status": "completed"}
            ).encode(),
            422,
        ),
        (json.dumps({"resourceType": "QuestionnaireResponse", "status": "completed", "item": CANARY}).encode(), 422),
        (
            json.dumps(
                {"resourceType": "QuestionnaireResponse", "id": f"{CANARY}/../x", "status": "completed"}
            ).encode(),
            422,
        ),
    ],
    ids=["not-json", "not-a-response", "not-an-object", "other-questionnaire", "items-not-a-list", "bad-id"],
)
def test_bad_bodies_get_an_operation_outcome(client: InProcess, body: bytes, status: int) -> None:
    _outcome(_post(client, body), status)


def test_other_media_types_get_415(client: InProcess) -> None:
    response = _post(client, to_response(RULESET, symptom_free_adult()), {"Content-Type": "text/plain"})
    _outcome(response, 415)
    assert "application/fhir+json" in response.headers["accept-post"]


# Through the real server ------------------------------------------------------------------


SAMPLE = one_case_per_level(RULESET)


@pytest.mark.parametrize(("name", "answers"), SAMPLE, ids=[name for name, _ in SAMPLE])
def test_real_server_screens_a_case_per_level_as_the_native_endpoint(
    server: Server, name: str, answers: dict[str, object]
) -> None:
    native = httpx.post(f"{server.base_url}{NATIVE}", json={"answers": answers}).json()
    body = json.dumps(to_response(RULESET, answers, "sample"))
    response = httpx.post(f"{server.base_url}{SCREEN}", content=body, headers=FHIR_JSON)
    assert response.status_code == 200
    risk = response.json()["parameter"][0]["resource"]
    assert risk["prediction"][0]["qualitativeRisk"]["coding"][0]["code"] == native["level"]
    assert _fired(risk) == [reason["rule_id"] for reason in native["reasons"]]


def test_real_server_outcome_for_bad_input_and_body_limit(server: Server) -> None:
    response = httpx.post(f"{server.base_url}{SCREEN}", content=b"nope " + CANARY.encode(), headers=FHIR_JSON)
    _outcome(response, 400)
    huge = httpx.post(f"{server.base_url}{SCREEN}", content=b" " * 200_000, headers=FHIR_JSON)
    (issue,) = _outcome(huge, 413)  # an OperationOutcome, like every FHIR error
    assert issue["diagnostics"] == f"The request body is larger than {Settings().max_fhir_body_bytes} bytes."
    assert issue["code"] == "too-costly"
    # The larger limit is $screen's alone.
    native = httpx.post(
        f"{server.base_url}{NATIVE}", content=b" " * 20_000, headers={"Content-Type": "application/json"}
    )
    assert native.status_code == 413


def test_six_levels_are_sampled() -> None:
    assert len(SAMPLE) == 6
    assert options_system(RULESET.id).startswith("https://")


_JUNK_ANSWERS: list[object] = [
    {"valueBoolean": True},
    [1],
    [None],
    [{}],
    [{"valueCoding": 5}],
    [{"valueCoding": {"code": ["a"]}}],
    [{"valueCoding": {"system": None, "code": "x"}}],
    [{"valueInteger": "7"}],
    [{"valueInteger": 7.5}],
    [{"valueInteger": 10**30}],
    [{"valueBoolean": None}],
    [{"valueBoolean": True, "valueInteger": 1}],
    [{"valueBoolean": True}, {"valueBoolean": False}],
    [{"valueString": "x", "item": [{"linkId": 3}]}],
]


def test_junk_answers_never_cause_a_server_error(client: InProcess) -> None:
    answers = symptom_free_adult()
    statuses = set()
    for junk in _JUNK_ANSWERS:
        for group in range(len(to_response(RULESET, answers)["item"])):
            body = to_response(RULESET, answers)
            body["item"][group]["item"][0]["answer"] = junk
            statuses.add(_post(client, body).status_code)
    junk_items: list[object] = [None, 3, "x", [], {"linkId": None}, {"linkId": "ctx_age_years", "item": 5}]
    for junk_item in junk_items:
        body = to_response(RULESET, answers)
        body["item"][0]["item"].append(junk_item)
        statuses.add(_post(client, body).status_code)
    assert statuses <= {200, 422}
    assert 422 in statuses
