"""/metrics: request counts and latency by route template, screenings by level and rule-set
version, the rule-set info and reload gauges; no raw paths or answers in any label."""

import json
import re

import httpx

from app.config import Settings
from app.main import create_app
from tests.support.answers import complete
from tests.support.inprocess import exchange
from tests.support.rulesets import ROOT, shipped_catalog

SCREENING = "/v1/questionnaires/hip-pelvic-floor/screenings"
TEMPLATE = "/v1/questionnaires/{questionnaire_id}/screenings"


def _value(text: str, name: str, **labels: str) -> float:
    for line in text.splitlines():
        if line.startswith(name + "{") or line.startswith(name + " "):
            found = dict(re.findall(r'(\w+)="([^"]*)"', line.rsplit(" ", 1)[0]))
            if all(found.get(key) == value for key, value in labels.items()):
                return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"no {name} {labels} in:\n{text}")


def test_metrics_count_requests_screenings_and_rule_sets() -> None:
    app = create_app(Settings(rate_limit_per_minute=0), shipped_catalog())
    emergency = json.loads((ROOT / "examples" / "emergency.json").read_text())

    async def calls(client: httpx.AsyncClient) -> tuple[dict[str, str], httpx.Response]:
        ruleset = (await client.get("/readyz")).json()["rulesets"][0]
        for _ in range(2):
            assert (await client.post(SCREENING, json=emergency)).json()["level"] == "emergency"
        assert (await client.post(SCREENING, json={"answers": complete({})})).status_code == 200
        assert (await client.post(SCREENING, json={"answers": {"secret_q_zz": True}})).status_code == 422
        assert (await client.get("/no-such-page-xq7")).status_code == 404
        return ruleset, await client.get("/metrics")

    ruleset, response = exchange(app, calls)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text

    assert _value(text, "http_requests_total", route=TEMPLATE, method="POST", status="200") == 3
    assert _value(text, "http_requests_total", route=TEMPLATE, method="POST", status="422") == 1
    assert _value(text, "http_request_duration_seconds_count", route=TEMPLATE, method="POST", status="200") == 3
    assert _value(text, "http_requests_total", route="<unmatched>", method="GET", status="404") == 1
    assert _value(text, "http_requests_total", route="/readyz", method="GET", status="200") == 1
    version = ruleset["version"]
    assert _value(text, "screenings_total", level="emergency", ruleset_version=version) == 2
    assert _value(text, "screenings_total", level="general_advice", ruleset_version=version) == 1
    assert _value(text, "ruleset_info", id=ruleset["id"], version=version, sha256=ruleset["sha256"]) == 1
    assert _value(text, "ruleset_last_reload_successful") == 1
    assert _value(text, "ruleset_last_reload_timestamp_seconds") > 1.7e9
    # Raw paths and submitted keys never become labels.
    assert "no-such-page-xq7" not in text and "secret_q_zz" not in text and "hip-pelvic-floor/screenings" not in text


def test_metrics_are_not_in_the_public_schema() -> None:
    assert "/metrics" not in create_app().openapi()["paths"]


def test_methods_outside_the_known_set_share_one_label() -> None:
    """A client can send any token as a method; each would otherwise become a label value."""
    app = create_app(Settings(rate_limit_per_minute=0), shipped_catalog())

    async def calls(client: httpx.AsyncClient) -> httpx.Response:
        for method in ("BREW", "XQ-CANARY-METHOD", "GET"):
            await client.request(method, "/v1/questionnaires")
        return await client.get("/metrics")

    text = exchange(app, calls).text
    assert "CANARY" not in text and "BREW" not in text
    assert _value(text, "http_requests_total", route="/v1/questionnaires", method="OTHER", status="405") == 2
    assert _value(text, "http_requests_total", route="/v1/questionnaires", method="GET", status="200") == 1
