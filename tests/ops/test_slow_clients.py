"""DOS-11, DOS-13, DOS-15 through a real uvicorn: trickled bodies hold no slot and get a 408 at
the deadline (short bodies too), too many or too large headers a 431, and a client that writes
a too-large body before reading reads the 413."""

import json
import socket
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

import httpx
import pytest

from app.engine import languages
from tests.support.answers import symptom_free_adult
from tests.support.problems import JSON, SCREENINGS, assert_problem, reads_the_413
from tests.support.servers import Server, uvicorn_server

pytestmark = pytest.mark.server

BODY = json.dumps({"answers": symptom_free_adult()}).encode()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    env = {"SCREENER_MAX_IN_FLIGHT": "4", "SCREENER_BODY_TIMEOUT": "2", "SCREENER_RATE_LIMIT_PER_MINUTE": "0"}
    with uvicorn_server(tmp_path_factory.mktemp("slow"), env=env) as srv:
        yield srv


def _head(length: int) -> bytes:
    return (
        f"POST {SCREENINGS} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Content-Length: {length}\r\n\r\n"
    ).encode()


def _response(sock: socket.socket) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and body of the one response on ``sock`` (read until the server closes)."""
    received = b""
    while chunk := sock.recv(65536):
        received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {name.lower(): value.strip() for name, _, value in (line.partition(":") for line in lines)}
    return int(status_line.split(" ")[1]), headers, body


@contextmanager
def _trickling(server: Server, count: int, length: int) -> Iterator[list[socket.socket]]:
    """``count`` screenings whose headers and first body bytes are sent, the rest never."""
    host, port = server.base_url.removeprefix("http://").split(":")
    with ExitStack() as stack:
        sockets = []
        for _ in range(count):
            sock = stack.enter_context(socket.create_connection((host, int(port)), timeout=10))
            sock.sendall(_head(length) + BODY[:10])
            sockets.append(sock)
        yield sockets


def _assert_problem(status: int, headers: dict[str, str], body: bytes, expected: int) -> None:
    assert_problem(status, headers, body, expected)
    assert headers["connection"] == "close" and headers["x-request-id"]


def test_trickling_bodies_hold_no_slot_and_get_408_at_the_deadline(server: Server) -> None:
    # Twice as many slow bodies as the app takes requests at once (4).
    with _trickling(server, 8, len(BODY)) as slow, httpx.Client(base_url=server.base_url) as client:
        started = time.monotonic()
        statuses = [client.post(SCREENINGS, content=BODY, headers=JSON).status_code for _ in range(10)]
        assert statuses == [200] * 10, "slow bodies took the slots of others"
        for sock in slow:
            _assert_problem(*_response(sock), 408)
        assert time.monotonic() - started < 8  # the 2 s deadline, with room for a busy machine


def test_a_body_shorter_than_its_content_length_gets_408_instead_of_a_hang(server: Server) -> None:
    with _trickling(server, 1, len(BODY) + 100) as (sock,):
        sock.sendall(BODY[10:])  # the whole body, yet 100 bytes short of what was announced
        _assert_problem(*_response(sock), 408)


@pytest.mark.parametrize(
    "headers",
    [
        {f"X-Filler-{n}": "1" for n in range(101)},
        {"Accept-Language": "en;q=0.5," * 2000},  # 20 KB in one header
    ],
    ids=["101 fields", "20 KB"],
)
def test_too_many_or_too_large_headers_get_431(server: Server, headers: dict[str, str]) -> None:
    response = httpx.post(f"{server.base_url}{SCREENINGS}", content=BODY, headers={**JSON, **headers})
    _assert_problem(response.status_code, dict(response.headers), response.content, 431)


def test_a_client_that_writes_10_mib_before_reading_reads_the_413(server: Server) -> None:
    assert reads_the_413(int(server.base_url.rsplit(":", 1)[1]))


def test_long_accept_language_values_are_cached_by_the_tags_they_name() -> None:
    available, before = ("en", "fr"), languages._negotiate_header.cache_info().currsize
    for n in range(300):
        header = f"fr-x{n:04d}," + "de;q=0.1," * 200  # distinct, 2 KB each
        assert languages.negotiate(None, header, available, "en") == "fr"
    assert languages._negotiate_header.cache_info().currsize == before
