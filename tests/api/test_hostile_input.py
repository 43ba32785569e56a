"""Hostile bodies against a real server: never a 5xx, never the submitted data echoed back."""

import httpx
import pytest

from tests.support.answers import symptom_free_adult
from tests.support.servers import Server

SCREENINGS = "/v1/questionnaires/hip-pelvic-floor/screenings"
CANARY = "CANARY7f3e"


def _json_with(value: str) -> bytes:
    return ('{"answers": {"rf_saddle_numbness": ' + value + "}}").encode()


HOSTILE: dict[str, tuple[bytes, str]] = {
    "unknown question": (('{"answers": {"' + CANARY.lower() + '_q": "yes"}}').encode(), "application/json"),
    "unknown question, not id-like": (('{"answers": {"' + CANARY + ' Jane": "x"}}').encode(), "application/json"),
    "canary value in an option": (_json_with(f'"{CANARY}"'), "application/json"),
    "wrong type list": (_json_with(f'["{CANARY}"]'), "application/json"),
    "NaN": (_json_with("NaN"), "application/json"),
    "Infinity": (_json_with("Infinity"), "application/json"),
    "-Infinity": (_json_with("-Infinity"), "application/json"),
    "1e400": (b'{"answers": {"ctx_age_years": 1e400}}', "application/json"),
    "5000-digit integer": (b'{"answers": {"ctx_age_years": ' + b"9" * 5000 + b"}}", "application/json"),
    "lone surrogate value": (_json_with('"\\ud800' + CANARY + '"'), "application/json"),
    "lone surrogate key": (('{"answers": {"\\udfff' + CANARY + '": 1}}').encode(), "application/json"),
    "invalid utf-8": (b'{"answers": {"rf_saddle_numbness": "\xff\xfe' + CANARY.encode() + b'"}}', "application/json"),
    "byte order mark": (b"\xef\xbb\xbf" + _json_with('"no"'), "application/json"),
    "control characters": (_json_with('"\\u0000\\u0007' + CANARY + '"'), "application/json"),
    "duplicate keys": (
        ('{"answers": {"rf_saddle_numbness": "no", "rf_saddle_numbness": "' + CANARY + '"}}').encode(),
        "application/json",
    ),
    "extra top-level field": (('{"answers": {}, "name": "' + CANARY + '"}').encode(), "application/json"),
    "answers not an object": (('{"answers": ["' + CANARY + '"]}').encode(), "application/json"),
    "top level array": (b"[1, 2, 3]", "application/json"),
    "top level string": (('"' + CANARY + '"').encode(), "application/json"),
    "empty body": (b"", "application/json"),
    "nesting 8000 deep within the size limit": (b'{"answers":' + b"[" * 8000 + b"]" * 8000 + b"}", "application/json"),
    "nesting 20000 deep": (b'{"answers":' + b"[" * 20000 + b"]" * 20000 + b"}", "application/json"),
    "2 MiB body": (
        b'{"answers": {"a": "' + CANARY.encode() * (2 * 1024 * 1024 // len(CANARY)) + b'"}}',
        "application/json",
    ),
    "text/plain JSON": (_json_with(f'"{CANARY}"'), "text/plain"),
    "-0 as an age": (b'{"answers": {"ctx_age_years": -0}}', "application/json"),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_body_is_a_documented_client_error_without_echo(server: Server, name: str) -> None:
    content, content_type = HOSTILE[name]
    response = httpx.post(f"{server.base_url}{SCREENINGS}", content=content, headers={"Content-Type": content_type})
    assert 400 <= response.status_code < 500, response.text
    assert response.status_code in (400, 413, 415, 422)
    assert response.headers["content-type"] == "application/problem+json"
    assert CANARY not in response.text
    assert CANARY.lower() not in response.text
    assert "Jane" not in response.text


def test_valid_body_still_works_after_the_hostile_ones(server: Server) -> None:
    response = httpx.post(f"{server.base_url}{SCREENINGS}", json={"answers": symptom_free_adult()})
    assert response.status_code == 200
