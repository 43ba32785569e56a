"""POST /v1/receipts/verify in process: every golden case goes screening -> receipt -> verify
and comes back with the same level, reasons and answers; refused receipts get a 422 problem
with their reason code and without the token; a PDF and a FHIR Bundle on request."""

import io
import json
from typing import Any

import httpx
import pytest
from pypdf import PdfReader

from app.config import Settings
from app.engine.golden import load_cases
from app.engine.ruleset import RuleSet
from app.main import create_app
from tests.receipts.support import claims_of, keys_json, signed, with_payload
from tests.support.answers import complete
from tests.support.inprocess import exchange
from tests.support.rulesets import shipped_catalog

VERIFY = "/v1/receipts/verify"
SCREENINGS = "/v1/questionnaires/hip-pelvic-floor/screenings"
KEYS = keys_json("Ed25519")
SETTINGS = Settings(rate_limit_per_minute=0, max_in_flight=0, max_queue_delay_ms=0, receipt_keys=KEYS)
CATALOG = shipped_catalog()
APP = create_app(SETTINGS, CATALOG)


def _flat(summary: dict[str, Any]) -> dict[str, Any]:
    return {a["question"]: a["value"] for section in summary["answers"] for a in section["answers"]}


async def _screen(client: httpx.AsyncClient, answers: dict[str, Any]) -> dict[str, Any]:
    screening = await client.post(SCREENINGS, json={"answers": answers})
    assert screening.status_code == 200, screening.text
    result: dict[str, Any] = screening.json()
    assert isinstance(result["receipt"], str)
    return result


def _round_trips(cases: list[tuple[str, Any, dict[str, Any]]]) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    async def calls(client: httpx.AsyncClient) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
        done = []
        for file, case, answers in cases:
            result = await _screen(client, answers)
            checked = await client.post(VERIFY, json={"token": result["receipt"]})
            assert checked.status_code == 200, (file, case.name, checked.text)
            done.append((f"{file}::{case.name}", result, checked.json()))
        return done

    return exchange(APP, calls)


def test_every_golden_case_round_trips(ruleset: RuleSet) -> None:
    cases = load_cases(ruleset)
    assert len(cases) > 100
    for label, result, summary in _round_trips(cases):
        answers = claims_of(result["receipt"])["answers"]
        assert summary["signed"]["level"] == result["level"], label
        assert summary["same_ruleset"] is True and summary["notes"] == [], label
        verified = summary["result"]
        assert verified["level"] == result["level"], label
        assert [(r["rule_id"], r["text"]) for r in verified["reasons"]] == [
            (r["rule_id"], r["text"]) for r in result["reasons"]
        ], label
        assert _flat(summary) == answers, label


def _verify(body: object, **options: Any) -> httpx.Response:
    async def calls(client: httpx.AsyncClient) -> httpx.Response:
        return await client.post(VERIFY, json=body, **options)

    return exchange(APP, calls)


def receipt_of(answers: dict[str, Any]) -> tuple[str, str]:
    """The receipt a screening of ``answers`` gets, and the level."""

    async def calls(client: httpx.AsyncClient) -> tuple[str, str]:
        result = await _screen(client, answers)
        return str(result["receipt"]), str(result["level"])

    return exchange(APP, calls)


def _receipt(answers: dict[str, Any] | None = None) -> str:
    return receipt_of(answers or complete({}))[0]


def _refusal(token: str) -> dict[str, Any]:
    response = _verify({"token": token})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["cache-control"] == "no-store"
    problem: dict[str, Any] = response.json()
    assert problem["type"] == "/problems/invalid-receipt"
    assert problem["errors"][0]["code"] == "invalid_receipt" and problem["errors"][0]["pointer"] == "#/token"
    for part in token.split("."):
        if len(part) > 8:
            assert part not in response.text  # never the token, nor a part of it
    return problem


def test_refusals_name_their_reason() -> None:
    signer = APP.state.receipts.signer
    token = _receipt()
    claims = claims_of(token)
    header, body, signature = token.split(".")
    flipped = ("B" if signature[10] == "A" else "A").join((signature[:10], signature[11:]))
    other = keys_json("Ed25519")
    foreign = Settings(receipt_keys=other)
    foreign_signer = create_app(foreign, CATALOG).state.receipts.signer
    cases = {
        "bad_signature": [with_payload(token, {**claims, "level": "general_advice"}), f"{header}.{body}.{flipped}"],
        "expired": [signed(signer, {**claims, "iat": 1_000, "exp": 2_000})],
        "unknown_key": [signed(foreign_signer, claims)],
        "wrong_issuer": [signed(signer, {**claims, "iss": "https://elsewhere.example"})],
        "malformed": ["not-a-receipt", f"{header}.{body}"],
    }
    for reason, tokens in cases.items():
        for bad in tokens:
            assert _refusal(bad)["reason"] == reason


@pytest.mark.parametrize(
    ("body", "pointer", "code"),
    [
        ({}, "#/token", "missing_field"),
        ({"token": 5}, "#/token", "invalid_type"),
        ({"token": "x", "answers": {}}, "#", "unknown_field"),
        ({"token": "x", "clinic": ["demo"]}, "#/clinic", "invalid_type"),
        ([], "#", "invalid_type"),
    ],
    ids=["no-token", "number", "extra-member", "clinic-list", "array"],
)
def test_bad_bodies_get_a_problem_naming_the_member(body: object, pointer: str, code: str) -> None:
    response = _verify(body)
    assert response.status_code == 422
    assert response.json()["errors"][0] == {**response.json()["errors"][0], "pointer": pointer, "code": code}


def test_not_json_is_refused() -> None:
    async def calls(client: httpx.AsyncClient) -> list[httpx.Response]:
        return [
            await client.post(VERIFY, content=b"token=x", headers={"Content-Type": "text/plain"}),
            await client.post(VERIFY, content=b'{"token": ', headers={"Content-Type": "application/json"}),
        ]

    assert [r.status_code for r in exchange(APP, calls)] == [415, 400]


def test_pdf_holds_the_date_level_reasons_and_answers(ruleset: RuleSet) -> None:
    answers = complete({"bl_symptoms_present": True, "bl_urgency": "daily"})
    token = _receipt(answers)
    summary = _verify({"token": token}).json()
    response = _verify({"token": token, "clinic": "demo"}, headers={"Accept": "application/pdf"})
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("attachment;")
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages).split())
    result = summary["result"]
    assert summary["issued_at"][:10] in text and summary["issued_at"][11:16] in text
    assert result["headline"] in text and result["level"] in text
    assert result["reasons"], "the example fires rules"
    for reason in result["reasons"]:
        assert " ".join(reason["text"].split())[:60] in text
    for section in summary["answers"]:
        assert section["title"] in text
        for answered in section["answers"]:
            assert f"{answered['text']} {answered['answer']}"[:70] in text, answered["question"]
    assert f"{ruleset.id} {ruleset.version}" in text
    assert result["disclaimer"][:50] in text
    clinic = APP.state.clinics.get("demo")
    assert clinic.name in text


def test_fhir_bundle_holds_the_response_the_result_and_the_signature() -> None:
    token = _receipt()
    response = _verify({"token": token}, headers={"Accept": "application/fhir+json"})
    assert response.status_code == 200 and response.headers["content-type"] == "application/fhir+json"
    bundle = response.json()
    kinds = [entry["resource"]["resourceType"] for entry in bundle["entry"]]
    assert (bundle["resourceType"], bundle["type"], kinds) == (
        "Bundle",
        "collection",
        ["QuestionnaireResponse", "RiskAssessment", "Provenance"],
    )
    provenance = bundle["entry"][2]["resource"]
    import base64

    assert base64.b64decode(provenance["signature"][0]["data"]).decode() == token
    assert provenance["signature"][0]["sigFormat"] == "application/jose"


def test_a_receipt_of_another_rule_set_version_says_so() -> None:
    signer = APP.state.receipts.signer
    claims = claims_of(_receipt())
    older = {**claims, "ruleset": {**claims["ruleset"], "version": "1.0.0", "sha256": "0" * 64}}
    summary = _verify({"token": signed(signer, older)}).json()
    assert summary["same_ruleset"] is False
    assert summary["signed"]["ruleset"]["version"] == "1.0.0"
    assert summary["served_ruleset"]["version"] != "1.0.0"
    assert "1.0.0" in summary["notes"][0]
    assert summary["result"]["level"] == claims["level"]


def test_jwks_lists_the_public_keys_only() -> None:
    async def calls(client: httpx.AsyncClient) -> httpx.Response:
        return await client.get("/.well-known/jwks.json")

    response = exchange(APP, calls)
    keys = response.json()["keys"]
    assert [key["kid"] for key in keys] == [key["kid"] for key in json.loads(KEYS)["keys"]]
    assert all("d" not in key and key["use"] == "sig" for key in keys)


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("application/pdf", "application/pdf"),
        ("application/fhir+json", "application/fhir+json"),
        ("application/pdf;q=0.5, application/fhir+json", "application/fhir+json"),
        ("text/html, */*", "application/json"),
        ("", "application/json"),
        ("application/pdf;q=nonsense", "application/json"),
    ],
)
def test_accept_picks_the_answer(accept: str, media_type: str) -> None:
    response = _verify({"token": _receipt()}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type


def test_keys_from_a_file_and_unusable_keys_stop_start_up(tmp_path: Any) -> None:
    from app.receipts.keys import KeyConfigError

    path = tmp_path / "keys.json"
    path.write_text(KEYS)
    app = create_app(Settings(receipt_keys_file=path), CATALOG)
    assert app.state.receipts.signer.keyring.jwks == APP.state.receipts.signer.keyring.jwks
    assert not app.state.receipts.signer.keyring.ephemeral
    for broken in (Settings(receipt_keys="{}"), Settings(receipt_keys_file=tmp_path / "missing.json")):
        with pytest.raises(KeyConfigError):
            create_app(broken, CATALOG)


def test_the_served_app_stops_with_one_line_on_unusable_keys() -> None:
    import os
    import subprocess
    import sys

    from tests.support.answers import ROOT

    secret = json.loads(keys_json("Ed25519"))["keys"][0]
    secret["crv"] = "P-256"  # an Ed25519 key's members under another curve
    env = {**os.environ, "SCREENER_RECEIPT_KEYS": json.dumps({"keys": [secret]})}
    run = subprocess.run(
        [sys.executable, "-c", "import app.main"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 3
    assert len(run.stderr.strip().splitlines()) == 1, run.stderr
    assert secret["d"] not in run.stderr


def test_the_receipt_is_spliced_into_the_result_json_as_the_model_writes_it(ruleset: RuleSet) -> None:
    from app.engine.evaluator import screen

    parts = CATALOG.result_parts[(ruleset.id, "en", ruleset.default_country)]
    for _, _, answers in load_cases(ruleset)[:40]:
        evaluation = screen(ruleset, answers)
        receipt = APP.state.receipts.issue(parts, evaluation, answers, [])
        joined = parts.to_json(evaluation, answers, receipt)
        assert joined == parts.assemble(evaluation, answers, receipt).model_dump_json().encode()
        assert json.loads(joined)["receipt"] == receipt
