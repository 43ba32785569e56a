"""Run deploy/nginx/nginx.conf as shipped, in front of a service on 127.0.0.1 (only its listen
and service addresses changed), from Debian's nginx: ``with nginx_in_front(port) as proxy``."""

import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.servers import end

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "deploy" / "nginx" / "nginx.conf"
_SERVICE = "127.0.0.1:8000;  # ADDRESS OF THE SERVICE"
_LISTEN = "listen 127.0.0.1:8080 "


def nginx_binary() -> str | None:
    """nginx on PATH or in /usr/sbin (not on a non-root PATH on Debian)."""
    return shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Nginx:
    """nginx listening on a free port of 127.0.0.1, proxying to ``service_port``."""

    def __init__(self, service_port: int) -> None:
        binary = nginx_binary()
        if binary is None:
            raise FileNotFoundError("nginx is not installed (Debian: apt-get install nginx)")
        self.port = _free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.prefix = Path(tempfile.mkdtemp(prefix="screener-nginx-"))
        text = CONFIG.read_text()
        if _SERVICE not in text or _LISTEN not in text:
            raise ValueError(f"{CONFIG} no longer marks the addresses this runner replaces")
        text = text.replace(_SERVICE, f"127.0.0.1:{service_port};").replace(_LISTEN, f"listen 127.0.0.1:{self.port} ")
        (self.prefix / "nginx.conf").write_text(text)
        (self.prefix / "tmp").mkdir()
        # Run as root, nginx's workers switch to an unprivileged user: let them use the prefix.
        self.prefix.chmod(0o755)
        (self.prefix / "tmp").chmod(0o777)
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(  # noqa: S603 - argv built here, no shell
            [binary, "-p", f"{self.prefix}/", "-c", str(self.prefix / "nginx.conf"), "-g", "daemon off;"],
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 10
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx exited with {self.process.returncode}:\n{self.log()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"nginx did not listen:\n{self.log()}") from None
                time.sleep(0.02)

    def worker_pids(self) -> list[int]:
        try:
            return [
                int(pid)
                for pid in Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
            ]
        except OSError:
            return []

    def log(self) -> str:
        self._log.seek(0)
        return self._log.read().decode(errors="replace")[-4000:]

    def stop(self) -> None:
        end(self.process, signal.SIGTERM)  # nginx's fast shutdown
        self._log.close()
        shutil.rmtree(self.prefix, ignore_errors=True)


@contextmanager
def nginx_in_front(service_port: int) -> Iterator[Nginx]:
    """A running Nginx in front of ``service_port``, stopped (and its files removed) after."""
    proxy = Nginx(service_port)
    try:
        yield proxy
    finally:
        proxy.stop()
