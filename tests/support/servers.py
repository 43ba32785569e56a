"""Start real uvicorn processes on 127.0.0.1 for end-to-end tests, and stop them."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]

# The test running now (tests/conftest.py says), if any: starting a server from a test that is
# not marked `server` is an error, so `make test-fast` (-m "not server ...") never starts one.
_running_test: list[pytest.Item] = []


def running_in(item: pytest.Item | None) -> None:
    _running_test[:] = [item] if item is not None else []


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    base_url: str
    process: subprocess.Popen[bytes]
    log_path: Path
    # For plain requests to this server, kept alive: a new httpx client (httpx.get, httpx.post)
    # costs about 45 ms of CPU for its TLS context, even for http:// addresses.
    client: httpx.Client = field(init=False)

    def __post_init__(self) -> None:
        self.client = httpx.Client(base_url=self.base_url, timeout=10)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


@contextmanager
def uvicorn_server(
    tmp_dir: Path,
    env: Mapping[str, str] | None = None,
    app: str = "app.main:app",
    factory: bool = False,
    port: int | None = None,
) -> Iterator[Server]:
    """A uvicorn process serving ``app`` (on ``port``, else a free one); yields once /readyz
    answers 200."""
    port = port or free_port()
    command = [sys.executable, "-m", "uvicorn", app, "--host", "127.0.0.1", "--port", str(port), "--no-server-header"]
    command += ["--loop", "asyncio"]  # as the image and `screener serve` run it
    if factory:
        command.append("--factory")
    with _running("uvicorn", command, port, tmp_dir / f"uvicorn-{port}.log", env) as server:
        yield server


@contextmanager
def screener_server(tmp_dir: Path, env: Mapping[str, str] | None = None) -> Iterator[Server]:
    """``screener serve`` as a real process, so a test covers the options the CLI hands to
    uvicorn (settings from ``env``); yields once /readyz answers 200."""
    port = free_port()
    command = [sys.executable, "-m", "app", "serve", "--host", "127.0.0.1", "--port", str(port)]
    with _running("screener serve", command, port, tmp_dir / f"screener-{port}.log", env) as server:
        yield server


@contextmanager
def _running(
    name: str, command: list[str], port: int, log_path: Path, env: Mapping[str, str] | None
) -> Iterator[Server]:
    for test in _running_test:
        if test.get_closest_marker("server") is None:
            raise RuntimeError(f"{test.nodeid} starts {name}: mark it @pytest.mark.server, or use a server fixture")
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=ROOT, env={**os.environ, **(env or {})}, stdout=log, stderr=subprocess.STDOUT
        )
    server = Server(f"http://127.0.0.1:{port}", process, log_path)
    try:
        # Generous: on a loaded 2-core machine start-up has taken over 20 s.
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited with {process.returncode}:\n{server.log()}")
            try:
                if server.client.get("/readyz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"{name} did not become ready:\n{server.log()}")
            time.sleep(0.05)
        yield server
    finally:
        server.client.close()
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
