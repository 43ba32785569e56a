"""The FHIR Bundle of a verified receipt: R4's own models accept every resource in it, and its
QuestionnaireResponse, sent to $screen, gives the level the receipt states."""

from typing import Any

import httpx

from app.schemas.examples import EARLY_EMERGENCY_REQUEST
from tests.fhir.r4_models import validate_r4
from tests.receipts.test_verify import APP, VERIFY, receipt_of
from tests.support.answers import one_case_per_level
from tests.support.inprocess import exchange
from tests.support.rulesets import shipped_ruleset

SCREEN = "/fhir/r4/QuestionnaireResponse/$screen"
FHIR = {"Content-Type": "application/fhir+json", "Accept": "application/fhir+json"}


def _cases() -> list[tuple[str, dict[str, Any]]]:
    return [*one_case_per_level(shipped_ruleset()), ("early emergency", dict(EARLY_EMERGENCY_REQUEST["answers"]))]


def test_bundles_are_r4_and_screen_to_the_receipts_level() -> None:
    documents: list[tuple[str, dict[str, Any]]] = []
    checked = 0
    for label, answers in _cases():
        token, level = receipt_of(answers)

        async def calls(client: httpx.AsyncClient, token: str = token) -> tuple[httpx.Response, httpx.Response]:
            bundle = await client.post(VERIFY, json={"token": token}, headers={"Accept": "application/fhir+json"})
            response = bundle.json()["entry"][0]["resource"]
            return bundle, await client.post(SCREEN, json=response, headers=FHIR)

        bundle, screened = exchange(APP, calls)
        assert bundle.status_code == 200 and screened.status_code == 200, (label, screened.text)
        risk = screened.json()["parameter"][0]["resource"]
        assert risk["prediction"][0]["qualitativeRisk"]["coding"][0]["code"] == level, label
        documents.append((label, bundle.json()))
        documents += [
            (f"{label}: {entry['resource']['resourceType']}", entry["resource"]) for entry in bundle.json()["entry"]
        ]
        checked += 1
    assert checked >= 6
    report = validate_r4(documents)
    assert report["fhir_version"] == "4.0.1"
    assert report["checked"] == len(documents)
    assert report["failures"] == []
