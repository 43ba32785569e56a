"""Act at the red flag through FHIR: a QuestionnaireResponse still in progress (or stopped)
whose answers already need emergency help gets a preliminary emergency RiskAssessment from
$screen at once; other partial responses get the OperationOutcome listing what is missing.

Every emergency golden case is answered one question at a time in the service's order up to
the answer that makes the emergency certain (tests/support/early_exit.py); the questions
passed over on the way are items without an answer, which $screen takes as skipped."""

import json
from dataclasses import dataclass
from functools import cache
from typing import Any

import httpx
import pytest
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from app.engine.answers import assess
from app.engine.semantics import minimum
from app.fhir.response import item_expression
from app.fhir.urls import FIRED_RULE_EXTENSION, LEVEL_SYSTEM, UNANSWERED_REQUIRED_EXTENSION
from tests.fhir.r4_models import validate_r4
from tests.fhir.support import risk_of, to_response
from tests.support.answers import symptom_free_adult
from tests.support.early_exit import Stop, answers_to_stop, emergency_cases
from tests.support.rulesets import shipped_ruleset
from tests.support.servers import Server

RULESET = shipped_ruleset()
SCREEN = "/fhir/r4/QuestionnaireResponse/$screen"
NATIVE = "/v1/questionnaires/hip-pelvic-floor/screenings"
FHIR_JSON = {"Content-Type": "application/fhir+json", "Accept": "application/fhir+json"}


@cache
def _stops() -> list[tuple[str, Stop]]:
    """Each emergency case answered up to its stop: worked out once, when a test first asks
    (about 10 s), not while the tests are collected."""
    stops = []
    for name, answers in emergency_cases(RULESET):
        stop = answers_to_stop(RULESET, answers)
        assert stop is not None, f"{name}: an emergency case never became certain on the way"
        stops.append((name, stop))
    return stops


NAMES = [name for name, _ in emergency_cases(RULESET)]


@dataclass(frozen=True)
class Exchange:
    """One stopped case: what was sent, what $screen and the native endpoint answered."""

    stop: Stop
    sent: dict[str, Any]
    status: int
    content_type: str
    body: dict[str, Any]
    native: dict[str, Any]


@pytest.fixture(scope="module")
def exchanges(server: Server) -> dict[str, Exchange]:
    """Every stopped case, in progress, screened once by the real server ($screen and v1)."""
    found = {}
    with httpx.Client(base_url=server.base_url, timeout=10) as client:
        for index, (name, stop) in enumerate(_stops()):
            sent = to_response(RULESET, stop.given, f"early-{index}", status="in-progress", skipped=stop.skipped)
            response = client.post(SCREEN, content=json.dumps(sent).encode(), headers=FHIR_JSON)
            native = client.post(NATIVE, json={"answers": stop.given, "skipped": list(stop.skipped)})
            assert native.status_code == 200, f"{name}: {native.text}"
            found[name] = Exchange(
                stop, sent, response.status_code, response.headers["content-type"], response.json(), native.json()
            )
    return found


def _extensions(element: dict[str, Any], url: str) -> list[Any]:
    """The values of an element's extensions with this url."""
    return [
        next(value for key, value in ext.items() if key.startswith("value"))
        for ext in element.get("extension", [])
        if ext["url"] == url
    ]


def _post(server: Server, body: dict[str, Any], query: str = "") -> httpx.Response:
    return httpx.post(f"{server.base_url}{SCREEN}{query}", content=json.dumps(body).encode(), headers=FHIR_JSON)


def _missing_issues(response: httpx.Response) -> list[str]:
    """The OperationOutcome's issues, all "required", as the linkIds they name."""
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/fhir+json"
    OperationOutcome.model_validate(response.json())
    issues = response.json()["issue"]
    assert {(issue["severity"], issue["code"]) for issue in issues} == {("error", "required")}
    return [issue["expression"][0] for issue in issues]


@pytest.mark.slow  # works out every stop
def test_every_emergency_golden_case_is_stopped_early() -> None:
    assert len(_stops()) >= 50
    # Not vacuous: most stop with required questions unanswered, some with questions skipped.
    incomplete = [stop for _, stop in _stops() if assess(RULESET, stop.given).missing_required]
    assert len(incomplete) >= len(_stops()) * 0.9
    assert sum(1 for _, stop in _stops() if stop.skipped) >= 10


@pytest.mark.parametrize("name", NAMES)
def test_an_in_progress_response_at_the_red_flag_gets_a_preliminary_emergency(
    exchanges: dict[str, Exchange], name: str
) -> None:
    exchange = exchanges[name]
    stop = exchange.stop
    assert (exchange.status, exchange.content_type) == (200, "application/fhir+json"), exchange.body
    QuestionnaireResponse.model_validate(exchange.sent)
    parsed = risk_of(exchange.body)
    risk = exchange.body["parameter"][0]["resource"]
    native = exchange.native
    least = minimum(RULESET, assess(RULESET, stop.given).typed, stop.skipped)
    missing = list(assess(RULESET, stop.given).missing_required)

    assert parsed.status == "preliminary"
    (coding,) = parsed.prediction[0].qualitativeRisk.coding
    assert (coding.system, coding.code, coding.display) == (LEVEL_SYSTEM, "emergency", native["headline"])
    fired = _extensions(risk["prediction"][0], FIRED_RULE_EXTENSION)
    assert [coding["code"] for coding in fired] == list(least.reasons) == [r["rule_id"] for r in native["reasons"]]
    assert parsed.prediction[0].rationale == "\n\n".join(reason["text"] for reason in native["reasons"])
    assert parsed.mitigation == "\n".join(native["next_steps"])
    assert parsed.basis[0].reference == f"QuestionnaireResponse/{exchange.sent['id']}"
    # What is still unanswered, and a note saying emergency help is needed now regardless.
    assert _extensions(risk, UNANSWERED_REQUIRED_EXTENSION) == missing == native["unanswered_required"]
    notes = [note.text for note in parsed.note]
    if missing:
        assert native["complete"] is False
        assert notes == [RULESET.text(native["language"], "incomplete_emergency"), native["disclaimer"]]
    else:  # every required answer was in when it became certain: preliminary, as in progress
        assert notes == [native["disclaimer"]]


def test_every_preliminary_result_and_partial_response_parses_with_the_r4_models(
    exchanges: dict[str, Exchange],
) -> None:
    documents: list[tuple[str, dict[str, Any]]] = []
    for name, exchange in exchanges.items():
        documents += [(f"QuestionnaireResponse {name}", exchange.sent), (f"$screen of {name}", exchange.body)]
    report = validate_r4(documents)
    assert report["fhir_version"] == "4.0.1"
    assert (report["checked"], report["failures"]) == (len(documents), [])


def test_items_left_out_may_still_be_answered_so_they_are_not_skipped(server: Server) -> None:
    """Some emergencies are certain only because a question was passed over (e.g. a skipped
    pregnancy answer counts as might be pregnant): the response must keep that item, without
    an answer. Left out, it may still be answered, so the missing items are listed instead."""
    needs_skip = [
        (name, stop)
        for name, stop in _stops()
        if stop.skipped and not minimum(RULESET, assess(RULESET, stop.given).typed).should_stop
    ]
    assert needs_skip
    for name, stop in needs_skip:
        kept = _post(server, to_response(RULESET, stop.given, status="in-progress", skipped=stop.skipped))
        assert kept.status_code == 200, f"{name}: {kept.text}"
        assert risk_of(kept.json()).status == "preliminary"
        left_out = _post(server, to_response(RULESET, stop.given, status="in-progress"))
        missing = assess(RULESET, stop.given).missing_required
        assert _missing_issues(left_out) == [item_expression(qid) for qid in missing], name


@pytest.mark.parametrize("language", RULESET.languages)
def test_a_stopped_response_at_the_red_flag_gets_a_preliminary_emergency(server: Server, language: str) -> None:
    name, stop = next((name, stop) for name, stop in _stops() if assess(RULESET, stop.given).missing_required)
    body = to_response(RULESET, stop.given, status="stopped", skipped=stop.skipped)
    response = _post(server, body, f"?lang={language}")
    assert response.status_code == 200, f"{name}: {response.text}"
    assert response.headers["content-language"] == language
    risk = risk_of(response.json())
    assert risk.status == "preliminary"
    assert risk.prediction[0].qualitativeRisk.coding[0].code == "emergency"
    assert risk.note[0].text == RULESET.text(language, "incomplete_emergency")


def test_an_in_progress_response_that_is_not_an_emergency_gets_the_missing_items(server: Server) -> None:
    given: dict[str, object] = {"ctx_answering_for": "myself", "ctx_age_years": 40, "rf_back_or_leg_pain": "back_only"}
    missing = assess(RULESET, given).missing_required
    assert missing and not minimum(RULESET, assess(RULESET, given).typed).should_stop
    for status in ("in-progress", "stopped"):
        response = _post(server, to_response(RULESET, given, status=status))
        assert _missing_issues(response) == [item_expression(qid) for qid in missing], status


def test_a_completed_response_missing_answers_but_sure_to_be_an_emergency_is_preliminary(server: Server) -> None:
    """The status a client sends does not hide an emergency, nor make incomplete answers final."""
    _, stop = next((name, stop) for name, stop in _stops() if assess(RULESET, stop.given).missing_required)
    risk = risk_of(_post(server, to_response(RULESET, stop.given, skipped=stop.skipped)).json())
    assert (risk.status, risk.prediction[0].qualitativeRisk.coding[0].code) == ("preliminary", "emergency")


@pytest.mark.parametrize(("status", "final"), [("completed", True), ("amended", True), ("in-progress", False)])
def test_complete_answers_are_final_only_in_a_finished_response(server: Server, status: str, final: bool) -> None:
    risk = risk_of(_post(server, to_response(RULESET, symptom_free_adult(), status=status)).json())
    assert risk.status == ("final" if final else "preliminary")
    assert [note.text for note in risk.note] == [RULESET.text(RULESET.default_language, "disclaimer")]
    assert not _extensions(risk.model_dump(by_alias=True), UNANSWERED_REQUIRED_EXTENSION)


@pytest.mark.parametrize(
    ("status", "code"),
    [(None, "required"), ("entered-in-error", "business-rule"), ("done", "value"), (["completed"], "value")],
    ids=["missing", "entered-in-error", "unknown", "not-a-code"],
)
def test_a_status_that_cannot_be_screened_is_refused(server: Server, status: object, code: str) -> None:
    body = to_response(RULESET, symptom_free_adult())
    if status is None:
        del body["status"]
    else:
        body["status"] = status
    response = _post(server, body)
    assert response.status_code == 422
    OperationOutcome.model_validate(response.json())
    (issue,) = response.json()["issue"]
    assert (issue["code"], issue["expression"]) == (code, ["QuestionnaireResponse.status"])


def test_the_operation_definition_and_capability_statement_say_how_status_is_read(server: Server) -> None:
    definition = httpx.get(f"{server.base_url}/fhir/r4/OperationDefinition/QuestionnaireResponse-screen").json()
    statement = httpx.get(f"{server.base_url}/fhir/r4/metadata").json()
    (resource,) = [r for r in statement["rest"][0]["resource"] if r["type"] == "QuestionnaireResponse"]
    for text in (definition["description"], resource["operation"][0]["documentation"]):
        assert all(word in text for word in ("in-progress", "stopped", "preliminary", "without an answer"))
