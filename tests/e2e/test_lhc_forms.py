"""A real FHIR client: NLM's LHC-Forms renders our Questionnaire in Chromium, a persona fills it
through its controls, its skip logic shows what ours does, and its QuestionnaireResponse screens
to the persona's level on our $screen."""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fhir.resources.R4B.parameters import Parameters
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from fhir.resources.R4B.riskassessment import RiskAssessment

from app.engine.answers import assess
from app.engine.semantics import minimum
from app.fhir.response import answers_of
from app.fhir.urls import FIRED_RULE_EXTENSION, UNANSWERED_REQUIRED_EXTENSION
from app.schemas import examples
from tests.e2e import lhc_forms
from tests.e2e.driver import PERSONAS
from tests.fhir.r4_models import validate_r4
from tests.fhir.support import question_items
from tests.support.early_exit import answers_to_stop
from tests.support.rulesets import shipped_ruleset
from tests.support.servers import Server

pytestmark = [pytest.mark.browser, pytest.mark.server]

RULESET = shipped_ruleset()
QUESTIONNAIRE = "/fhir/r4/Questionnaire/hip-pelvic-floor"
SCREEN = "/fhir/r4/QuestionnaireResponse/$screen"
FHIR_JSON = {"Content-Type": "application/fhir+json", "Accept": "application/fhir+json"}


@pytest.fixture(scope="module")
def questionnaire(api: Server) -> dict[str, Any]:
    """The Questionnaire as any FHIR client gets it: from the running service."""
    served = httpx.get(f"{api.base_url}{QUESTIONNAIRE}", headers={"Accept": "application/fhir+json"})
    assert served.status_code == 200, served.text
    document: dict[str, Any] = served.json()
    return document


@pytest.fixture
def page(browser: Any, lforms_dist: Path) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def fill(
    page: Any, questionnaire: dict[str, Any], answers: dict[str, Any], stop_at_red_flag: bool = False
) -> tuple[dict[str, Any], set[str], set[str]]:
    """Answer every question LHC-Forms shows, first unanswered first, re-reading what it shows
    after each answer; before each answer (and at the end) what it shows must be exactly what
    our engine's skip logic says applies to the answers given so far. With ``stop_at_red_flag``
    it stops as soon as the answers given are sure to need emergency help (as a client told
    ``should_stop`` by /progress does). Returns the answers given and the linkIds that
    appeared and disappeared on the way."""
    items = {item["linkId"]: item for item in question_items(questionnaire)}
    entered: dict[str, Any] = {}
    first: list[str] | None = None
    ever: set[str] = set()
    while True:
        expected = list(assess(RULESET, entered).applicable)
        showing = lhc_forms.settle(page, expected)
        assert showing == expected, (
            f"after {list(entered)[-1:] or 'no answer'}: LHC-Forms also shows {sorted(set(showing) - set(expected))},"
            f" hides {sorted(set(expected) - set(showing))}"
            + ("" if set(showing) != set(expected) else "; the order differs")
        )
        first = showing if first is None else first
        ever.update(showing)
        pending = [link_id for link_id in showing if link_id not in entered]
        if stop_at_red_flag and minimum(RULESET, assess(RULESET, entered).typed).should_stop:
            return entered, ever - set(first), ever - set(showing)
        if not pending:
            return entered, ever - set(first), ever - set(showing)
        link_id = pending[0]
        assert link_id in answers, f"{link_id} applies but the persona has no answer for it"
        lhc_forms.answer(page, items[link_id], answers[link_id])
        entered[link_id] = answers[link_id]


def _screen(base_url: str, body: bytes) -> httpx.Response:
    return httpx.post(f"{base_url}{SCREEN}", content=body, headers=FHIR_JSON, timeout=10)


def _level(screened: httpx.Response) -> str:
    """The RiskAssessment's level code, once the answer parses with the R4B models."""
    assert screened.status_code == 200, screened.text
    parameters: Any = Parameters.model_validate(screened.json())
    (parameter,) = parameters.parameter
    assert isinstance(parameter.resource, RiskAssessment)
    risk = screened.json()["parameter"][0]["resource"]
    code: str = risk["prediction"][0]["qualitativeRisk"]["coding"][0]["code"]
    return code


@pytest.mark.parametrize("persona", ["emergency", "physio", "nothing_of_note"])
def test_lhc_forms_renders_fills_and_screens_like_our_own_flow(
    api: Server, questionnaire: dict[str, Any], page: Any, artifacts: Path, persona: str
) -> None:
    answers, level = PERSONAS[persona]
    native = httpx.post(f"{api.base_url}/v1/questionnaires/hip-pelvic-floor/screenings", json={"answers": answers})
    assert native.json()["level"] == level, "the persona no longer gives its level; update tests/e2e/driver.py"
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    missing = lhc_forms.serve(page)
    try:
        lhc_forms.render(page, questionnaire)
        assert page.evaluate("() => LForms.lformsVersion") == _pinned_lforms_version()
        entered, appeared, disappeared = fill(page, questionnaire, answers)
        response = lhc_forms.export_response(page, set(entered))
    finally:
        page.screenshot(path=str(artifacts / f"lhc-forms-{persona}.png"), full_page=True)
    assert entered == answers, "every persona answer goes in through the form"
    # Not a vacuous comparison: skip logic both showed and hid questions during the fill.
    assert appeared and disappeared, (appeared, disappeared)
    assert not errors and not missing, (errors, missing)

    QuestionnaireResponse.model_validate(response)
    assert response["questionnaire"] == f"{questionnaire['url']}|{questionnaire['version']}"
    # LHC-Forms leaves disabled items out of the response: it holds exactly what was entered.
    assert answers_of(response, RULESET).answers == entered

    body = json.dumps(response).encode()
    # LHC-Forms repeats each item's text and each coding's display (both allowed by R4): the
    # body is larger than the native endpoints' limit, and $screen's own limit must fit it.
    assert _level(_screen(api.base_url, body)) == level


# The red-flag screen answered up to new numbness around the bottom and new trouble starting
# to pee, everything before it negative (the API's early-stop example): far from the end.
EARLY_EMERGENCY: dict[str, Any] = examples.EARLY_EMERGENCY_REQUEST["answers"]


def test_early_emergency_persona_is_certain_at_its_last_answer_only() -> None:
    """Asked one question at a time in the service's order, the persona's answers are exactly
    the ones given when the emergency becomes certain (so LHC-Forms stops at the last one)."""
    stop = answers_to_stop(RULESET, EARLY_EMERGENCY)
    assert stop is not None
    assert (stop.given, stop.skipped) == (EARLY_EMERGENCY, ())
    assert assess(RULESET, EARLY_EMERGENCY).missing_required


def test_lhc_forms_response_in_progress_at_the_red_flag_is_screened_at_once(
    api: Server, questionnaire: dict[str, Any], page: Any, artifacts: Path
) -> None:
    """A person fills the first screens in LHC-Forms up to a red flag; the app holding the form
    saves its QuestionnaireResponse as in-progress (LHC-Forms itself always says completed),
    and $screen answers a preliminary emergency RiskAssessment without the rest."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    missing = lhc_forms.serve(page)
    try:
        lhc_forms.render(page, questionnaire)
        entered, appeared, _ = fill(page, questionnaire, EARLY_EMERGENCY, stop_at_red_flag=True)
        response = lhc_forms.export_response(page, set(entered))
    finally:
        page.screenshot(path=str(artifacts / "lhc-forms-early-emergency.png"), full_page=True)
    assert entered == EARLY_EMERGENCY, "the form stops right after the persona's last answer"
    assert appeared, "skip logic showed questions on the way"
    assert not errors and not missing, (errors, missing)
    unanswered = assess(RULESET, entered).missing_required
    assert unanswered

    assert response["status"] == "completed"  # what LHC-Forms writes; the app knows better
    response["status"] = "in-progress"
    QuestionnaireResponse.model_validate(response)
    submitted = answers_of(response, RULESET)
    assert (submitted.answers, submitted.skipped) == (entered, ())  # unanswered items are left out

    screened = _screen(api.base_url, json.dumps(response).encode())
    assert _level(screened) == "emergency"
    risk: Any = RiskAssessment.model_validate(screened.json()["parameter"][0]["resource"])
    assert risk.status == "preliminary"
    native = httpx.post(f"{api.base_url}/v1/questionnaires/hip-pelvic-floor/screenings", json={"answers": entered})
    assert native.status_code == 200, native.text
    expected = native.json()
    assert (expected["level"], expected["complete"]) == ("emergency", False)
    fired = [ext.valueCoding.code for ext in risk.prediction[0].extension if ext.url == FIRED_RULE_EXTENSION]
    assert fired == [reason["rule_id"] for reason in expected["reasons"]]
    assert "E01_CES_SADDLE_NEW" in fired
    still = [ext.valueString for ext in risk.extension if ext.url == UNANSWERED_REQUIRED_EXTENSION]
    assert still == list(unanswered) == expected["unanswered_required"]
    assert [note.text for note in risk.note] == [
        RULESET.text(expected["language"], "incomplete_emergency"),
        expected["disclaimer"],
    ]
    # Both resources as R4 (4.0.1) has them, too.
    report = validate_r4([("LHC-Forms in-progress response", response), ("$screen result", screened.json())])
    assert (report["fhir_version"], report["failures"]) == ("4.0.1", [])


def _pinned_lforms_version() -> str:
    pinned: str = json.loads((lhc_forms.E2E_DIR / "package.json").read_text())["devDependencies"]["lforms"]
    return pinned
