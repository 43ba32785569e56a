"""What every problem answer carries, whoever sends it (the service or the proxy in front), and
the 413 as a client that writes its whole body before reading gets it."""

import http.client
from collections.abc import Mapping

from app.schemas.problem import Problem

SCREENINGS = "/v1/questionnaires/hip-pelvic-floor/screenings"
JSON = {"Content-Type": "application/json"}
API_HEADERS = ("content-security-policy", "x-content-type-options", "x-frame-options", "referrer-policy")


def assert_problem(status: int, headers: Mapping[str, str], body: bytes, expected: int) -> Problem:
    """A problem+json document of status ``expected``, not stored, with the API's security
    headers (``headers`` with lower-case names)."""
    assert status == expected
    assert headers["content-type"] == "application/problem+json"
    assert headers["cache-control"] == "no-store"
    for name in API_HEADERS:
        assert headers[name], name
    problem = Problem.model_validate_json(body)
    assert problem.status == expected
    return problem


def reads_the_413(port: int, tries: int = 3) -> bool:
    """Whether a client that writes a 10 MiB body before reading (as http.client does) reads a
    413 problem every time: a connection reset would raise here instead."""
    body = b"{" + b" " * (10 * 1024 * 1024 - 2) + b"}"
    for _ in range(tries):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
        try:
            connection.request("POST", SCREENINGS, body=body, headers=JSON)
            response = connection.getresponse()
            status, content = response.status, response.read()
        finally:
            connection.close()
        if status != 413 or Problem.model_validate_json(content).status != 413:
            return False
    return True
