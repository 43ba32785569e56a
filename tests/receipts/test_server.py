"""Receipts on a real uvicorn server: the JWKS it serves verifies its receipts in another JOSE
library; screening and verifying with DEBUG logs leave no token, answer or canary in any log
line or metric; without a configured key it warns that receipts die with the process."""

import json
from pathlib import Path

import httpx
import pytest
from jwcrypto import jwk, jws  # type: ignore[import-untyped]

from tests.receipts.support import keys_json
from tests.support.answers import complete
from tests.support.servers import ROOT, uvicorn_server

pytestmark = pytest.mark.server

SCREENING = "/v1/questionnaires/hip-pelvic-floor/screenings"
VERIFY = "/v1/receipts/verify"
CANARY = "CANARY17receiptzq"
KEYS = keys_json("ES256", "Ed25519")


def _receipt(client: httpx.Client, answers: dict[str, object]) -> str:
    screening = client.post(SCREENING, json={"answers": answers})
    assert screening.status_code == 200, screening.text
    receipt = screening.json()["receipt"]
    assert isinstance(receipt, str)
    return receipt


def test_a_served_receipt_verifies_and_nothing_of_it_is_logged(tmp_path: Path) -> None:
    env = {
        "SCREENER_LOG_LEVEL": "DEBUG",
        "SCREENER_RATE_LIMIT_PER_MINUTE": "100000",
        "SCREENER_RECEIPT_KEYS": KEYS,
    }
    emergency = json.loads((ROOT / "examples" / "emergency.json").read_text())["answers"]
    physio = complete({"bl_symptoms_present": True, "bl_urgency": "daily"})
    with uvicorn_server(tmp_path, env=env) as server, httpx.Client(base_url=server.base_url) as client:
        tokens = [_receipt(client, emergency), _receipt(client, physio)]
        public = jwk.JWKSet.from_json(client.get("/.well-known/jwks.json").text)
        for token in tokens:
            checked = jws.JWS()
            checked.deserialize(token)
            checked.verify(public.get_key(json.loads(checked.objects["protected"])["kid"]))
        sent = []
        for token in tokens:
            for accept in ("application/json", "application/pdf", "application/fhir+json"):
                response = client.post(VERIFY, json={"token": token}, headers={"Accept": accept})
                assert response.status_code == 200, response.text
        header, body, signature = tokens[0].split(".")
        for bad in (f"{header}.{CANARY}{body}.{signature}", f"{header}.{body}.{CANARY}", CANARY):
            sent.append(client.post(VERIFY, json={"token": bad}))
        sent.append(client.post(VERIFY, json={"token": tokens[0], CANARY: 1}))
        metrics = client.get("/metrics").text
        server.process.terminate()
        server.process.wait(timeout=15)
        log = server.log()

    assert [response.status_code for response in sent] == [422, 422, 422, 422]
    for response in sent:
        assert CANARY not in response.text and tokens[0][:40] not in response.text
    for secret in (CANARY, *tokens, *(part for token in tokens for part in token.split("."))):
        assert secret not in log
        assert secret not in metrics
    for question_id in (*emergency, *physio):
        assert question_id not in log
    access = [json.loads(line) for line in log.splitlines() if '"app.access"' in line]
    verifications = [line for line in access if line["route"] == VERIFY]
    assert len(verifications) == 6 + 4
    assert "no receipt key configured" not in log


def test_without_a_key_the_server_warns_that_receipts_die_with_it(tmp_path: Path) -> None:
    with uvicorn_server(tmp_path) as server:
        server.process.terminate()
        server.process.wait(timeout=15)
        log = server.log()
    (warning,) = [json.loads(line) for line in log.splitlines() if "no receipt key configured" in line]
    assert warning["level"] == "warning" and "will not verify after this process ends" in warning["msg"]
