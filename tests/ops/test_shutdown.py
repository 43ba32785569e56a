"""OPS-04/05: on SIGTERM readiness turns 503 at once, liveness stays 200, the request in
flight completes with 200 and the process exits (0, or killed by SIGTERM: -15/143)."""

import json
import signal
import socket
import threading
import time
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest

from app.config import Settings
from app.main import create_app
from app.reload import Reloader
from tests.support.inprocess import exchange
from tests.support.rulesets import shipped_catalog
from tests.support.servers import uvicorn_server

pytestmark = pytest.mark.server

PROGRESS = "/v1/questionnaires/hip-pelvic-floor/progress"


def test_sigterm_drains_in_flight_requests_and_flips_readiness(tmp_path: Path) -> None:
    with uvicorn_server(tmp_path, app="tests.support.slow_app:create", factory=True) as server:
        assert httpx.get(f"{server.base_url}/readyz").status_code == 200
        result: dict[str, httpx.Response | BaseException] = {}

        def slow_request() -> None:
            try:
                result["slow"] = httpx.get(f"{server.base_url}/test-only/slow?seconds=2", timeout=15)
            except BaseException as exc:  # reported by the assertion below
                result["slow"] = exc

        worker = threading.Thread(target=slow_request)
        worker.start()
        time.sleep(0.5)  # the slow request is in flight
        ready: list[int] = []
        live: list[int] = []
        # A keep-alive connection opened before SIGTERM: uvicorn stops listening but (measured)
        # keeps answering it while the slow request drains, so readiness must already say 503.
        with httpx.Client(base_url=server.base_url) as open_client:
            assert open_client.get("/livez").status_code == 200
            server.process.send_signal(signal.SIGTERM)
            for _ in range(5):
                try:
                    ready.append(open_client.get("/readyz").status_code)
                    live.append(open_client.get("/livez").status_code)
                except httpx.TransportError:
                    break  # the server closed this idle connection: also fine
        for _ in range(3):  # new connections, refused once uvicorn stops listening
            try:
                ready.append(httpx.get(f"{server.base_url}/readyz", timeout=1).status_code)
            except httpx.TransportError:
                break
        worker.join(timeout=20)
        exit_code = server.process.wait(timeout=15)

    slow = result["slow"]
    assert isinstance(slow, httpx.Response), slow
    assert slow.status_code == 200 and slow.json() == {"slept": 2.0}
    assert ready and set(ready) == {503}, ready
    assert set(live) <= {200}, live
    assert exit_code in (0, -15, 143)
    assert "Traceback" not in server.log()


def test_sigterm_while_the_loop_is_busy_answers_the_requests_already_sent(tmp_path: Path) -> None:
    """Requests sent (on kept-alive and on new connections) while the event loop is held by
    CPU work, with SIGTERM arriving meanwhile, are all answered: none is reset. (Under uvloop
    the new connections were reset; the service runs on asyncio's loop.)"""
    body = json.dumps({"answers": {}}).encode()
    request = (
        f"POST {PROGRESS} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body
    with uvicorn_server(tmp_path, app="tests.support.slow_app:create", factory=True) as server, ExitStack() as stack:
        address = ("127.0.0.1", int(server.base_url.rsplit(":", 1)[1]))
        kept = [stack.enter_context(socket.create_connection(address, timeout=15)) for _ in range(3)]
        busy = threading.Thread(
            target=httpx.get, args=(f"{server.base_url}/test-only/busy?seconds=2",), kwargs={"timeout": 15}
        )
        busy.start()
        time.sleep(0.5)  # the loop is held from here on
        new = [stack.enter_context(socket.create_connection(address, timeout=15)) for _ in range(3)]
        for sock in kept + new:
            sock.sendall(request)
        server.process.send_signal(signal.SIGTERM)
        status_lines = [sock.recv(1024).split(b"\r\n", 1)[0] for sock in kept + new]
        busy.join(timeout=20)
        assert server.process.wait(timeout=15) in (0, -15, 143)
    assert status_lines == [b"HTTP/1.1 200 OK"] * 6


def test_the_sigterm_hook_flips_readiness_before_uvicorn_drains() -> None:
    """The chained handler (what SIGTERM runs in a real server) flips readiness, then calls
    uvicorn's own handler; liveness is unaffected."""
    app = create_app(Settings(), shipped_catalog())
    calls: list[int] = []
    handler = Reloader(app)._draining_then(lambda signum, frame: calls.append(signum))

    async def probe(client: httpx.AsyncClient) -> list[int]:
        before = (await client.get("/readyz")).status_code
        handler(signal.SIGTERM, None)
        return [before, (await client.get("/readyz")).status_code, (await client.get("/livez")).status_code]

    assert exchange(app, probe) == [200, 503, 200]
    assert calls == [signal.SIGTERM]
