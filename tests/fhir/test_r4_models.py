"""Every resource the FHIR routes emit or accept, parsed with fhir.resources' R4 (4.0.1) models
(see tests/fhir/r4_models.py for how they run)."""

import sys
from pathlib import Path
from typing import Any

from app.config import Settings
from app.engine.answers import assess
from app.main import create_app
from tests.fhir.r4_models import VALIDATOR_VENV, validate_r4
from tests.fhir.support import to_response, with_texts
from tests.support.answers import one_case_per_level, symptom_free_adult
from tests.support.early_exit import Stop, answers_to_stop, emergency_cases
from tests.support.inprocess import exchange
from tests.support.rulesets import shipped_catalog, shipped_ruleset

RULESET = shipped_ruleset()
FHIR_JSON = {"Content-Type": "application/fhir+json", "Accept": "application/fhir+json"}
OPERATION = "QuestionnaireResponse-screen"


def _documents() -> list[tuple[str, dict[str, Any]]]:
    """What the routes answer (CapabilityStatement, OperationDefinition, Questionnaire in every
    language, $screen results at every level, OperationOutcomes) and what $screen accepts."""
    app = create_app(Settings(rate_limit_per_minute=0, check_rate_limit_per_minute=0), catalog=shipped_catalog())
    sample = one_case_per_level(RULESET)
    accepted = [(f"QuestionnaireResponse {name}", to_response(RULESET, answers, "qr-1")) for name, answers in sample]
    # Stopped at the red flag, with questions passed over: a preliminary emergency result.
    early = _early_emergency()
    accepted.append(
        (
            "QuestionnaireResponse in-progress",
            to_response(RULESET, early.given, status="in-progress", skipped=early.skipped),
        )
    )
    questionnaire = f"/fhir/r4/Questionnaire/{RULESET.id}"

    async def calls(client: Any) -> list[tuple[str, Any]]:
        answered: list[tuple[str, Any]] = [
            ("metadata", await client.get("/fhir/r4/metadata", headers=FHIR_JSON)),
            ("OperationDefinition", await client.get(f"/fhir/r4/OperationDefinition/{OPERATION}", headers=FHIR_JSON)),
        ]
        for language in RULESET.languages:
            answered.append((f"Questionnaire {language}", await client.get(f"{questionnaire}?lang={language}")))
        for label, body in accepted:
            for language in RULESET.languages:
                result = await client.post(
                    f"/fhir/r4/QuestionnaireResponse/$screen?lang={language}", json=body, headers=FHIR_JSON
                )
                answered.append((f"$screen {language} of {label}", result))
        bad = to_response(RULESET, symptom_free_adult())
        bad["item"][1]["item"].append({"linkId": "no_such_question", "answer": [{"valueBoolean": True}]})
        answered.append(("OperationOutcome 422", await client.post("/fhir/r4/QuestionnaireResponse/$screen", json=bad)))
        answered.append(("OperationOutcome 404", await client.get("/fhir/r4/Questionnaire/none")))
        return answered

    documents: list[tuple[str, dict[str, Any]]] = []
    for label, response in exchange(app, calls):
        assert response.headers["content-type"].startswith("application/fhir+json"), label
        documents.append((label, response.json()))
    # As renderers send them: every item's text and every answer's display repeated.
    rendered = with_texts(to_response(RULESET, sample[-1][1]), _questionnaire(documents))
    return [*documents, *accepted, ("QuestionnaireResponse with texts", rendered)]


def _early_emergency() -> Stop:
    """The first emergency golden case stopped early with a question passed over and
    required ones still unanswered."""
    for _, answers in emergency_cases(RULESET):
        stop = answers_to_stop(RULESET, answers)
        if stop is not None and stop.skipped and assess(RULESET, stop.given).missing_required:
            return stop
    raise AssertionError("no emergency golden case stops early with a question skipped")


def _questionnaire(documents: list[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    return next(document for label, document in documents if label == f"Questionnaire {RULESET.default_language}")


def test_every_emitted_and_accepted_resource_parses_with_the_r4_models() -> None:
    documents = _documents()
    kinds = {document["resourceType"] for _, document in documents}
    assert kinds == {
        "CapabilityStatement",
        "OperationDefinition",
        "Questionnaire",
        "Parameters",
        "OperationOutcome",
        "QuestionnaireResponse",
    }
    risks = [
        part["resource"]
        for _, document in documents
        for part in document.get("parameter", [])
        if part.get("resource", {}).get("resourceType") == "RiskAssessment"
    ]
    assert {risk["status"] for risk in risks} == {"final", "preliminary"}
    report = validate_r4(documents)
    assert report["fhir_version"] == "4.0.1"
    assert report["checked"] == len(documents)
    assert report["failures"] == []


def test_the_r4_models_do_reject_what_r4_does_not_allow() -> None:
    """The validator is not a rubber stamp: a missing required element (also inside
    Parameters), an element R4 does not have (answerConstraint is R5's) and a value of the
    wrong type all fail."""
    item = {"linkId": "a", "type": "choice"}
    wrong = {
        "no status": {"resourceType": "Questionnaire", "item": [item]},
        "R5 element": {"resourceType": "Questionnaire", "status": "draft", "item": [{**item, "answerConstraint": "x"}]},
        "wrong type": {"resourceType": "Questionnaire", "status": "draft", "item": [{**item, "repeats": {"a": 1}}]},
        # Resources inside Parameters are checked too ($screen answers one): status is required.
        "nested": {
            "resourceType": "Parameters",
            "parameter": [
                {"name": "return", "resource": {"resourceType": "RiskAssessment", "subject": {"display": "x"}}}
            ],
        },
    }
    report = validate_r4(list(wrong.items()))
    assert [label for label, _ in report["failures"]] == list(wrong)


def test_the_validator_runs_apart_from_the_project_environment() -> None:
    assert Path(sys.prefix).resolve() != VALIDATOR_VENV.resolve()
