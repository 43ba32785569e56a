"""PRIV-01: answers carrying canary tokens never reach a log line, an error body or /metrics,
and every request leaves exactly one JSON access line with the route template only."""

import json
from pathlib import Path

import httpx
import pytest

from tests.support.answers import complete
from tests.support.servers import ROOT, uvicorn_server

pytestmark = pytest.mark.server

SCREENING = "/v1/questionnaires/hip-pelvic-floor/screenings"
PROGRESS = "/v1/questionnaires/hip-pelvic-floor/progress"
CANARIES = [f"CANARY{n}zq" for n in range(10)]


def _exchanges(client: httpx.Client) -> list[tuple[str, httpx.Response]]:
    valid = complete({})
    emergency = json.loads((ROOT / "examples" / "emergency.json").read_text())
    sent: list[tuple[str, httpx.Response]] = []

    def post(path: str, body: object, expected: int, **kwargs: object) -> None:
        content = body if isinstance(body, bytes) else json.dumps(body).encode()
        headers = {"Content-Type": "application/json", **kwargs.pop("headers", {})}  # type: ignore[dict-item]
        response = client.post(path, content=content, headers=headers, **kwargs)  # type: ignore[arg-type]
        assert response.status_code == expected, (path, response.status_code, response.text)
        sent.append((path, response))

    post(SCREENING, emergency, 200)  # the recorded valid combination: red flags present
    post(SCREENING, {"answers": valid}, 200, params={"lang": "fr", "utm": CANARIES[9]})
    post(SCREENING, {"answers": {**valid, CANARIES[0]: CANARIES[1]}}, 422)  # unknown key
    post(SCREENING, {"answers": {**valid, "ctx_pelvic_anatomy": [CANARIES[2]]}}, 422)  # invalid option
    post(SCREENING, {"answers": {**valid, "ctx_age_years": CANARIES[3]}}, 422)  # wrong type
    post(SCREENING, {"answers": valid, CANARIES[4]: True}, 422)  # unknown top-level field
    post(PROGRESS, {"answers": {}, "skipped": [CANARIES[5]]}, 200)  # unknown skipped ids are ignored
    post(PROGRESS, {"answers": {"ctx_pelvic_anatomy": [CANARIES[6]]}}, 422)
    post(SCREENING, b'{"answers": {"' + CANARIES[7].encode() + b'": tru', 400)  # malformed JSON
    post(SCREENING, b'{"answers": {"x": "' + CANARIES[8].encode() * 3000 + b'"}}', 413)
    post(SCREENING, {"answers": valid}, 422, params={"country": CANARIES[9]})
    return sent


def test_no_canary_in_logs_error_bodies_or_metrics(tmp_path: Path) -> None:
    env = {"SCREENER_LOG_LEVEL": "DEBUG", "SCREENER_RATE_LIMIT_PER_MINUTE": "100000"}
    with uvicorn_server(tmp_path, env=env) as server, httpx.Client(base_url=server.base_url) as client:
        sent = _exchanges(client)
        metrics = client.get("/metrics").text
        server.process.terminate()
        server.process.wait(timeout=15)
        log = server.log()

    for canary in CANARIES:
        assert canary not in log
        assert canary not in metrics
        for _, response in sent:
            assert canary not in response.text
            assert all(canary not in value for value in response.headers.values())
    # The answers themselves (question ids, which the valid combinations hold) stay out of logs.
    for question_id in json.loads((ROOT / "examples" / "emergency.json").read_text())["answers"]:
        assert question_id not in log

    access = [json.loads(line) for line in log.splitlines() if line.startswith("{") and '"app.access"' in line]
    screening_lines = [line for line in access if line["route"] == "/v1/questionnaires/{questionnaire_id}/screenings"]
    assert len(screening_lines) == sum(path == SCREENING for path, _ in sent)
    assert {line["status"] for line in screening_lines} == {200, 400, 413, 422}
    for line, (_, response) in zip([line for line in access if line["method"] == "POST"], list(sent), strict=True):
        assert set(line) == {"ts", "level", "logger", "msg", "method", "route", "status", "duration_ms", "request_id"}
        assert line["request_id"] == response.headers["x-request-id"]
        assert line["duration_ms"] >= 0
    # uvicorn's own access log (raw path and query string) is off.
    assert '"POST /v1/' not in log
