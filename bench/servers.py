"""Start an ASGI app under uvicorn (one worker, pinned to a core), wait for readiness, read RSS, stop."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import TracebackType

import httpx

ROOT = Path(__file__).resolve().parent.parent


class ServerError(RuntimeError):
    """The server did not become ready, or died."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _status_kib(pid: int, field: str) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def _children(pid: int) -> list[int]:
    try:
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def end(process: "subprocess.Popen[bytes]", sig: int) -> None:
    """Send ``sig`` to a process still running, wait up to 10 s, then kill it."""
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class Server:
    """``uvicorn APP --workers 1`` on 127.0.0.1 and a free port; use as a context manager."""

    def __init__(self, app: str, *, env: dict[str, str] | None = None, cpu: int | None = None) -> None:
        self.app, self.cpu = app, cpu
        self.env = {**os.environ, **(env or {})}
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        self.ready_seconds = float("nan")
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 - closed in stop()

    def start(self, ready_path: str = "/readyz", timeout: float = 60.0) -> float:
        """Start and wait for ``ready_path`` to answer 200; returns seconds from spawn to ready."""
        argv = [
            sys.executable, "-m", "uvicorn", self.app,
            "--host", "127.0.0.1", "--port", str(self.port),
            "--workers", "1", "--no-access-log", "--log-level", "warning", "--no-server-header",
            "--loop", "asyncio",  # as the image and `screener serve` run it
        ]  # fmt: skip
        taskset = shutil.which("taskset")
        if self.cpu is not None and taskset:
            argv = [taskset, "-c", str(self.cpu), *argv]
        started = time.perf_counter()
        self.process = subprocess.Popen(  # noqa: S603 - argv built here, no shell
            argv, cwd=ROOT, env=self.env, stdout=self._log, stderr=subprocess.STDOUT
        )
        deadline = started + timeout
        with httpx.Client(timeout=2.0) as client:
            while time.perf_counter() < deadline:
                if self.process.poll() is not None:
                    raise ServerError(f"{self.app} exited with {self.process.returncode}:\n{self.log()}")
                try:
                    if client.get(self.base_url + ready_path).status_code == 200:
                        self.ready_seconds = time.perf_counter() - started
                        return self.ready_seconds
                except httpx.TransportError:
                    pass
                time.sleep(0.005)
        log = self.log()
        self.stop()
        raise ServerError(f"{self.app} not ready after {timeout:g} s:\n{log}")

    @property
    def worker_pid(self) -> int:
        """The process serving requests (uvicorn's own with one worker, else its first child)."""
        if self.process is None:
            raise ServerError("not started")
        children = _children(self.process.pid)
        return children[0] if children else self.process.pid

    def rss_kib(self) -> tuple[int | None, int | None]:
        """(VmRSS, VmHWM) of the worker, in KiB."""
        pid = self.worker_pid
        return _status_kib(pid, "VmRSS"), _status_kib(pid, "VmHWM")

    def log(self) -> str:
        self._log.seek(0)
        return self._log.read().decode(errors="replace")[-4000:]

    def stop(self) -> None:
        if self.process is not None:
            end(self.process, signal.SIGINT)
        self._log.close()

    def __enter__(self) -> "Server":
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
