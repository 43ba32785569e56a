"""DOS-03, DOS-14: past the in-flight cap, or while the event loop runs too far behind, a request
gets an immediate 503 problem with Retry-After, probes keep answering, and the service recovers:
the layer in process, then real servers (held requests; uvicorn's own connection backstop)."""

import asyncio
import json
import socket
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest
from fhir.resources.R4B.operationoutcome import OperationOutcome
from pydantic import ValidationError
from starlette.types import Message, Receive, Scope, Send

from app.api.overload import EXEMPT_PATHS, OVERLOADED_TYPE, InFlightCap
from app.config import Settings
from app.main import create_app
from app.schemas.problem import Problem
from tests.support.answers import symptom_free_adult
from tests.support.inprocess import exchange
from tests.support.rulesets import shipped_catalog
from tests.support.servers import screener_server, uvicorn_server

SCREENINGS = "/v1/questionnaires/hip-pelvic-floor/screenings"
CLINIC_ORIGIN = "https://clinic.example.com"  # allowed by the packaged demo clinic profile
SECURITY_HEADERS = ("content-security-policy", "x-content-type-options", "referrer-policy", "x-frame-options")


def _assert_overloaded(status: int, headers: httpx.Headers, body: bytes, path: str) -> None:
    assert status == 503
    assert headers["content-type"] == "application/problem+json"
    assert headers["retry-after"] == "1" and headers["cache-control"] == "no-store"
    problem = Problem.model_validate_json(body)
    assert (problem.type, problem.status, problem.instance) == (OVERLOADED_TYPE, 503, path)


# --- the layer alone ------------------------------------------------------------------------


class HeldApp:
    """An ASGI app whose requests stay in flight until ``release`` is set."""

    def __init__(self) -> None:
        self.release = asyncio.Event()
        self.entered = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.entered += 1
        if scope["path"] == "/boom":
            raise RuntimeError("the app failed")
        if scope["path"] not in EXEMPT_PATHS:
            await self.release.wait()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})


async def _call(app: InFlightCap, path: str) -> tuple[int, httpx.Headers, bytes]:
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "GET", "path": path, "headers": [], "query_string": b""}
    await app(scope, receive, send)
    start, body = sent[0], b"".join(message.get("body", b"") for message in sent[1:])
    return start["status"], httpx.Headers([(k.decode(), v.decode()) for k, v in start["headers"]]), body


def test_the_layer_refuses_past_its_limit_spares_the_probes_and_counts_back_down() -> None:
    async def scenario() -> None:
        inner = HeldApp()
        cap = InFlightCap(inner, limit=2)
        held = [asyncio.create_task(_call(cap, f"/held/{n}")) for n in range(2)]
        await asyncio.sleep(0)  # both enter the app and wait there
        assert cap.in_flight == 2

        status, headers, body = await _call(cap, "/v1/questionnaires")
        _assert_overloaded(status, headers, body, "/v1/questionnaires")
        assert inner.entered == 2, "the refused request never reached the app"
        for path in sorted(EXEMPT_PATHS):
            assert (await _call(cap, path))[0] == 200, path

        inner.release.set()
        assert [status for status, _, _ in await asyncio.gather(*held)] == [200, 200]
        assert cap.in_flight == 0
        assert (await _call(cap, "/v1/questionnaires"))[0] == 200
        with pytest.raises(RuntimeError):
            await _call(cap, "/boom")
        assert cap.in_flight == 0, "a request that raised no longer counts"

    asyncio.run(scenario())


class BlockingApp:
    """An ASGI app whose ``/block`` request holds the event loop itself, as CPU work does."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["path"] == "/block":
            time.sleep(0.3)
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})


def test_the_layer_sheds_while_the_loop_runs_behind_and_spares_the_probes() -> None:
    async def scenario() -> list[int]:
        cap = InFlightCap(BlockingApp(), limit=100, max_lag=0.1)
        # Requests queued behind a request that holds the loop: none is in flight with it.
        calls = [_call(cap, "/block"), *(_call(cap, f"/queued/{n}") for n in range(3)), _call(cap, "/livez")]
        answers = await asyncio.gather(*calls)
        assert cap.in_flight == 0
        later = await _call(cap, "/after")  # the queue is gone
        return [status for status, _, _ in (*answers, later)]

    assert asyncio.run(scenario()) == [200, 503, 503, 503, 200, 200]


def test_one_stall_alone_sheds_nothing_a_lasting_lag_does() -> None:
    """A pause of the whole process (one late tick, nothing queued behind it) is not overload;
    the loop running late tick after tick is, even between two pauses."""

    async def scenario() -> list[int]:
        cap = InFlightCap(BlockingApp(), limit=100, max_lag=0.2)
        statuses = []
        for _ in range(2):
            statuses.append((await _call(cap, "/block"))[0])  # holds the loop 0.3 s
            await asyncio.sleep(0.01)  # the overdue tick runs, late
            statuses.append((await _call(cap, "/next"))[0])
        return statuses

    # After the first stall the next request is served; after the second, two ticks in a row
    # ran late: the loop is behind, and the next one is shed.
    assert asyncio.run(scenario()) == [200, 200, 200, 503]


def test_the_backstop_must_be_above_the_cap() -> None:
    assert Settings(max_in_flight=10, limit_concurrency=11).limit_concurrency == 11
    assert Settings(max_in_flight=10, limit_concurrency=0).limit_concurrency == 0  # backstop off
    with pytest.raises(ValidationError, match="must be above max_in_flight"):
        Settings(max_in_flight=10, limit_concurrency=10)


def test_uvicorns_own_variable_sets_the_backstop(monkeypatch: pytest.MonkeyPatch) -> None:
    # The image runs the uvicorn command, which reads UVICORN_LIMIT_CONCURRENCY itself.
    monkeypatch.setenv("UVICORN_LIMIT_CONCURRENCY", "250")
    assert Settings().limit_concurrency == 250
    monkeypatch.setenv("SCREENER_LIMIT_CONCURRENCY", "300")
    assert Settings().limit_concurrency == 300


# --- the layer in the app -------------------------------------------------------------------


def test_the_apps_503_has_the_api_headers_cors_and_an_access_record() -> None:
    """The layer sits behind HttpGuard and CORS: its 503 carries what HttpGuard gives every API
    response, is counted and logged, and a clinic page can read it."""
    settings = Settings(max_in_flight=1, rate_limit_per_minute=0)
    app = create_app(settings, shipped_catalog())
    release = asyncio.Event()

    async def held() -> dict[str, bool]:
        await release.wait()
        return {"released": True}

    app.add_api_route("/test-only/held", held)
    origin = {"Origin": CLINIC_ORIGIN}
    fhir_refused: list[httpx.Response] = []

    async def calls(client: httpx.AsyncClient) -> tuple[httpx.Response, httpx.Response, str]:
        holder = asyncio.create_task(client.get("/test-only/held"))
        await asyncio.sleep(0.05)  # the held request is inside the app
        refused = await client.get("/v1/questionnaires", headers=origin)
        fhir_refused.append(await client.get("/fhir/r4/metadata"))
        release.set()
        assert (await holder).status_code == 200
        not_found = await client.get("/v1/no-such-thing", headers=origin)  # a problem made behind HttpGuard
        return refused, not_found, (await client.get("/metrics")).text

    refused, not_found, metrics = exchange(app, calls)
    _assert_overloaded(refused.status_code, refused.headers, refused.content, "/v1/questionnaires")
    assert not_found.status_code == 404
    for name in SECURITY_HEADERS:
        assert refused.headers[name] == not_found.headers[name], name
    assert refused.headers["access-control-allow-origin"] == CLINIC_ORIGIN
    assert refused.headers["x-request-id"]
    assert 'route="/v1/questionnaires",status="503"' in metrics
    # FHIR clients get the refusal as an OperationOutcome, with the same headers.
    (fhir,) = fhir_refused
    assert fhir.status_code == 503
    assert fhir.headers["content-type"] == "application/fhir+json"
    assert fhir.headers["retry-after"] == "1" and fhir.headers["x-request-id"]
    for name in SECURITY_HEADERS:
        assert fhir.headers[name] == refused.headers[name], name
    (issue,) = OperationOutcome.model_validate(fhir.json()).issue
    assert (issue.severity, issue.code) == ("error", "transient")


# --- real servers ---------------------------------------------------------------------------


@pytest.mark.server
def test_requests_in_the_app_fill_the_cap_then_503_comes_at_once_and_the_service_recovers(tmp_path: Path) -> None:
    body = json.dumps({"answers": symptom_free_adult()}).encode()
    json_type = {"Content-Type": "application/json"}
    env = {"SCREENER_MAX_IN_FLIGHT": "4", "SCREENER_RATE_LIMIT_PER_MINUTE": "0"}
    with (
        uvicorn_server(tmp_path, env=env, app="tests.support.slow_app:create", factory=True) as server,
        httpx.Client(base_url=server.base_url, timeout=10) as client,
        ThreadPoolExecutor(max_workers=4) as pool,
    ):
        assert client.post(SCREENINGS, content=body, headers=json_type).status_code == 200
        held = [pool.submit(httpx.get, f"{server.base_url}/test-only/slow?seconds=3", timeout=15) for _ in range(4)]
        # The held requests reach the app as uvicorn reads them; from then on it is full.
        _first(lambda: client.get("/v1/questionnaires"), lambda r: r.status_code == 503)

        timings = []
        for _ in range(10):
            started = time.perf_counter()
            refused = client.post(SCREENINGS, content=body, headers=json_type)
            timings.append(time.perf_counter() - started)
            _assert_overloaded(refused.status_code, refused.headers, refused.content, SCREENINGS)
        for probe in ("/livez", "/readyz", "/metrics"):
            assert client.get(probe).status_code == 200, probe
        print(f"\n503 under overload: median {sorted(timings)[5] * 1000:.1f} ms, max {max(timings) * 1000:.1f} ms")
        assert max(timings) < 1.0  # the bar asks < 100 ms; generous here, on a shared noisy machine

        assert [future.result().status_code for future in held] == [200] * 4, "held requests were served"
        released = time.monotonic()
        statuses = [client.post(SCREENINGS, content=body, headers=json_type).status_code for _ in range(20)]
        recovered = time.monotonic() - released
        print(f"recovered: 20 of 20 screenings answered within {recovered:.2f} s of the release")
        assert statuses == [200] * 20 and recovered < 10


@pytest.mark.server
def test_screener_serve_passes_the_connection_backstop_to_uvicorn(tmp_path: Path) -> None:
    env = {"SCREENER_MAX_IN_FLIGHT": "2", "SCREENER_LIMIT_CONCURRENCY": "4"}
    with screener_server(tmp_path, env=env) as server:
        host, port = server.base_url.removeprefix("http://").split(":")
        with ExitStack() as stack:
            for _ in range(4):  # idle connections count towards uvicorn's limit
                stack.enter_context(socket.create_connection((host, int(port)), timeout=10))
            refused = _first(lambda: httpx.get(f"{server.base_url}/livez", timeout=10), lambda r: r.status_code == 503)
        # uvicorn's own answer, not the app's: the app's cap (2) was never reached
        assert refused.headers["content-type"].startswith("text/plain")
        _first(lambda: httpx.get(f"{server.base_url}/livez", timeout=10), lambda r: r.status_code == 200)


def _first(call: Callable[[], httpx.Response], wanted: Callable[[httpx.Response], bool]) -> httpx.Response:
    """The first answer of ``call`` that is ``wanted``, within 5 s (uvicorn counts connections as
    its event loop accepts and closes them)."""
    deadline = time.monotonic() + 5
    while not wanted(response := call()):
        assert time.monotonic() < deadline, f"still {response.status_code} after 5 s"
        time.sleep(0.02)
    return response
