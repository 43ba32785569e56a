"""HTTP semantics through a real server: HEAD wherever GET, 405 on FHIR addresses, one plain
JSON body (no content coding, one Content-Type, numbers read exactly), no Location built from
the Host header, and CORS preflight refusals as problem documents with the security headers."""

import gzip
import json

import httpx
import pytest

from app.api.middleware import API_SECURITY_HEADERS
from tests.support.answers import complete
from tests.support.servers import Server

SCREENING = "/v1/questionnaires/hip-pelvic-floor/screenings"
GET_PATHS = [
    "/",
    "/livez",
    "/healthz",
    "/readyz",
    "/metrics",
    "/v1/questionnaires",
    "/v1/questionnaires/hip-pelvic-floor",
    "/fhir/r4/metadata",
    "/fhir/r4/OperationDefinition/QuestionnaireResponse-screen",
    "/fhir/r4/Questionnaire/hip-pelvic-floor",
    "/widget/v1/screener.js",
    "/widget/v1/embed-parent.js",
    "/widget/v1/embed-boot.js",
    "/widget/v1/clinics/demo.json",
    "/embed/demo",
    "/embed/demo/theme.css",
    "/openapi.json",
    "/docs",
    "/docs/oauth2-redirect",
    "/redoc",
]


@pytest.mark.server
@pytest.mark.parametrize("path", GET_PATHS)
def test_head_answers_wherever_get_does(server: Server, path: str) -> None:
    got = httpx.get(server.base_url + path)
    head = httpx.head(server.base_url + path)
    assert got.status_code == 200
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]
    assert head.headers.get("x-content-type-options") == "nosniff"


@pytest.mark.server
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/fhir/r4/metadata"),
        ("PUT", "/fhir/r4/Questionnaire/hip-pelvic-floor"),
        ("DELETE", "/fhir/r4/OperationDefinition/QuestionnaireResponse-screen"),
    ],
)
def test_fhir_addresses_answer_405_to_other_methods(server: Server, method: str, path: str) -> None:
    response = httpx.request(method, server.base_url + path)
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD"
    assert response.json()["resourceType"] == "OperationOutcome"


@pytest.mark.server
def test_an_unknown_fhir_address_is_still_404(server: Server) -> None:
    response = httpx.post(server.base_url + "/fhir/r4/Patient")
    assert response.status_code == 404 and response.json()["resourceType"] == "OperationOutcome"


def _problem(response: httpx.Response, status: int) -> dict[str, object]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    for name, value in API_SECURITY_HEADERS.items():
        assert response.headers[name] == value
    body: dict[str, object] = response.json()
    return body


@pytest.mark.server
@pytest.mark.parametrize("coding", ["gzip", "deflate", "br", "GZIP"])
def test_a_content_coding_is_415(server: Server, coding: str) -> None:
    body = gzip.compress(json.dumps({"answers": complete({})}).encode())
    headers = {"Content-Type": "application/json", "Content-Encoding": coding}
    response = httpx.post(server.base_url + SCREENING, content=body, headers=headers)
    _problem(response, 415)
    assert response.headers["accept-encoding"] == "identity"


@pytest.mark.server
def test_a_content_coding_on_fhir_screen_is_415(server: Server) -> None:
    headers = {"Content-Type": "application/fhir+json", "Content-Encoding": "gzip"}
    response = httpx.post(server.base_url + "/fhir/r4/QuestionnaireResponse/$screen", content=b"{}", headers=headers)
    assert response.status_code == 415 and response.json()["resourceType"] == "OperationOutcome"


@pytest.mark.server
def test_two_content_types_are_400(server: Server) -> None:
    headers = [("Content-Type", "application/json"), ("Content-Type", "text/plain")]
    body = json.dumps({"answers": complete({})}).encode()
    _problem(httpx.post(server.base_url + SCREENING, content=body, headers=headers), 400)


def _with_age(literal: str) -> bytes:
    text = json.dumps({"answers": complete({"ctx_age_years": 40})})
    assert '"ctx_age_years": 40' in text
    return text.replace('"ctx_age_years": 40', f'"ctx_age_years": {literal}').encode()


@pytest.mark.server
@pytest.mark.parametrize("literal", ["1e-400", "40.000000000000001", "-1E-999"])
def test_a_number_read_as_another_value_is_refused(server: Server, literal: str) -> None:
    headers = {"Content-Type": "application/json"}
    problem = _problem(httpx.post(server.base_url + SCREENING, content=_with_age(literal), headers=headers), 422)
    assert problem["errors"] == [
        {"pointer": "#", "code": "invalid_number", "detail": "numbers must be read exactly; write integers as integers"}
    ]
    assert literal not in json.dumps(problem)


@pytest.mark.server
@pytest.mark.parametrize("literal", ["40", "40.0", "4e1", "4.0E+1"])
def test_an_integer_written_exactly_is_accepted(server: Server, literal: str) -> None:
    headers = {"Content-Type": "application/json"}
    response = httpx.post(server.base_url + SCREENING, content=_with_age(literal), headers=headers)
    assert response.status_code == 200, response.text


@pytest.mark.server
@pytest.mark.parametrize("path", ["/livez/", "/v1/questionnaires/", "/docs/", SCREENING + "/"])
def test_a_trailing_slash_is_not_redirected_to_the_host_header(server: Server, path: str) -> None:
    response = httpx.get(server.base_url + path, headers={"Host": "evil.example"})
    assert "location" not in response.headers
    _problem(response, 404)


@pytest.mark.server
@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
        {"Origin": "https://clinic.example.com", "Access-Control-Request-Method": "PATCH"},
        {
            "Origin": "https://clinic.example.com",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "x-secret-answers",
        },
    ],
    ids=["origin", "method", "header"],
)
def test_a_refused_preflight_is_a_problem_with_the_security_headers(server: Server, headers: dict[str, str]) -> None:
    response = httpx.options(server.base_url + SCREENING, headers=headers)
    problem = _problem(response, 400)
    assert "evil" not in response.text and "secret" not in response.text
    assert problem["instance"] == SCREENING
    assert "access-control-allow-origin" not in response.headers or headers["Origin"] != "https://evil.example"


@pytest.mark.server
def test_an_allowed_preflight_carries_the_security_headers(server: Server) -> None:
    headers = {"Origin": "https://clinic.example.com", "Access-Control-Request-Method": "POST"}
    response = httpx.options(server.base_url + SCREENING, headers=headers)
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "https://clinic.example.com"
    for name, value in API_SECURITY_HEADERS.items():
        assert response.headers[name] == value
