"""deploy/nginx/nginx.conf as shipped, from Debian's nginx, in front of a real uvicorn: silent
connections closed, long header lines a 431 problem before the service, the 413 read by clients
that write first, a service that is down a 503 problem (DOS-12, DOS-13, DOS-15)."""

import json
import os
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from app.schemas.problem import Problem
from bench.proxy import Nginx, nginx_binary, nginx_in_front
from tests.support.answers import symptom_free_adult
from tests.support.problems import JSON, SCREENINGS, assert_problem, reads_the_413
from tests.support.servers import Server, free_port, uvicorn_server

pytestmark = [
    pytest.mark.server,
    # CI installs nginx (.ci/run): there, a missing nginx is a failure, not a skip.
    pytest.mark.skipif(nginx_binary() is None and not os.environ.get("CI"), reason="nginx is not installed"),
]

BODY = json.dumps({"answers": symptom_free_adult()}).encode()


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    env = {"SCREENER_RATE_LIMIT_PER_MINUTE": "0", "UVICORN_TIMEOUT_KEEP_ALIVE": "65"}
    with uvicorn_server(tmp_path_factory.mktemp("proxied"), env=env) as server:
        yield server


@pytest.fixture(scope="module")
def proxy(service: Server) -> Iterator[Nginx]:
    with nginx_in_front(int(service.base_url.rsplit(":", 1)[1])) as nginx:
        yield nginx


def _assert_problem(response: httpx.Response, status: int) -> Problem:
    return assert_problem(response.status_code, response.headers, response.content, status)


def test_screenings_pass_through_with_the_services_own_answers(proxy: Nginx) -> None:
    response = httpx.post(f"{proxy.base_url}{SCREENINGS}", content=BODY, headers=JSON)
    assert response.status_code == 200 and response.json()["level"]
    assert response.headers["x-request-id"], "the service's own headers come through"
    problem = httpx.post(f"{proxy.base_url}{SCREENINGS}", content=b"{", headers=JSON)
    assert _assert_problem(problem, 400).type == "/problems/malformed-json"


def test_a_connection_that_sends_nothing_is_closed(proxy: Nginx) -> None:
    with socket.create_connection(("127.0.0.1", proxy.port), timeout=15) as sock:
        started = time.monotonic()
        assert sock.recv(1024) == b"", "closed without an answer"
        waited = time.monotonic() - started
    assert 4 < waited < 12  # client_header_timeout 5 s


def test_a_long_header_line_gets_431_before_the_service(proxy: Nginx, service: Server) -> None:
    response = httpx.post(
        f"{proxy.base_url}{SCREENINGS}", content=BODY, headers={**JSON, "Accept-Language": "fr;q=0.5," * 1000}
    )
    _assert_problem(response, 431)
    assert "retry-after" not in response.headers
    assert "x-request-id" not in response.headers, "answered by nginx, not the service"


def test_a_client_that_writes_10_mib_before_reading_reads_the_413(proxy: Nginx) -> None:
    assert reads_the_413(proxy.port)


def test_a_service_that_is_down_is_a_503_problem_with_retry_after(tmp_path: Path) -> None:
    with nginx_in_front(free_port()) as nginx:  # nothing listens there
        response = httpx.get(f"{nginx.base_url}/v1/questionnaires")
    _assert_problem(response, 503)
    assert response.headers["retry-after"] == "1"
