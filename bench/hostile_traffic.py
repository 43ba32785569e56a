"""Normal traffic beside an attack, for `make hostile`: raw HTTP/1.1 requests over asyncio
streams (the generator must stay light on 2 cores), screenings of normal users, and probes in a
process of their own, as a kubelet sends them."""

import asyncio
import http.client
import json
import multiprocessing
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from tests.support.answers import symptom_free_adult

SCREENINGS = "/v1/questionnaires/hip-pelvic-floor/screenings"
BODY = json.dumps({"answers": symptom_free_adult()}).encode()


def request(path: str, body: bytes, content_type: str = "application/json", extra: str = "") -> bytes:
    return (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {content_type}\r\n{extra}"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Status of the next response, and whether the server will close the connection."""
    status_line = await reader.readuntil(b"\r\n")
    length, close = 0, False
    while (line := await reader.readuntil(b"\r\n")) != b"\r\n":
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"connection" and value.strip().lower() == b"close":
            close = True
    await reader.readexactly(length)
    return int(status_line.split(b" ", 2)[1]), close


async def one_request(host: str, port: int, raw: bytes, timeout: float) -> tuple[int | str, float]:
    """A request on a new connection: (status or error name, seconds)."""
    started = time.perf_counter()
    writer = None
    try:
        async with asyncio.timeout(timeout):
            reader, writer = await asyncio.open_connection(host, port)
            writer.write(raw)
            status, _ = await read_response(reader)
            return status, time.perf_counter() - started
    except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as exc:
        return type(exc).__name__, time.perf_counter() - started
    finally:
        if writer is not None:
            writer.close()


Probe = tuple[str, int | str, float]  # path, status or error, seconds


@dataclass
class Observed:
    """What the normal users and the probes saw during one attack."""

    users: list[tuple[int | str, float]] = field(default_factory=list)
    probes: list[Probe] = field(default_factory=list)

    def users_ok(self, within: float = 2.0) -> float:
        ok = sum(1 for status, seconds in self.users if status == 200 and seconds <= within)
        return ok / len(self.users) if self.users else 0.0

    def probes_ok(self, within: float = 1.0) -> bool:
        return all(status == 200 and seconds <= within for _, status, seconds in self.probes)

    def worst_probe(self) -> str:
        path, status, seconds = max(self.probes, key=lambda probe: probe[2], default=("-", "-", float("nan")))
        return f"worst {seconds:.3f} s ({path} {status}) of {len(self.probes)}"


async def alongside(host: str, port: int, duration: float, observed: Observed, rate: float = 10) -> None:
    """Normal screenings, ``rate`` a second for ``duration``, each on its own connection (5 s
    allowed; the figure counts those answered 200 within 2 s)."""
    tasks = []

    async def user() -> None:
        observed.users.append(await one_request(host, port, request(SCREENINGS, BODY), 5.0))

    start = time.perf_counter()
    n = 0
    while (elapsed := time.perf_counter() - start) < duration:
        tasks.append(asyncio.create_task(user()))
        n += 1
        await asyncio.sleep(max(0.0, n / rate - elapsed))
    await asyncio.gather(*tasks)


def probing(host: str, port: int, results: "multiprocessing.Queue[list[Probe]]", stop: Any) -> None:
    """A /livez or /readyz probe every 0.25 s on a new connection, 1 s allowed, as a kubelet
    does; in a process of its own, so the attack's own CPU use does not delay it."""
    probes: list[Probe] = []
    n = 0
    while not stop.wait(0.25):
        path = "/livez" if n % 2 else "/readyz"
        n += 1
        started = time.perf_counter()
        connection = http.client.HTTPConnection(host, port, timeout=3)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            status: int | str = response.status
        except OSError as exc:
            status = type(exc).__name__
        finally:
            connection.close()
        probes.append((path, status, time.perf_counter() - started))
    results.put(probes)


def under(attack: Callable[[], Awaitable[None]], host: str, port: int, duration: float, probe_port: int) -> Observed:
    """Run ``attack`` with normal screenings alongside (through ``port``) and the probes in a
    process of their own (on ``probe_port``: a kubelet probes the service's own port)."""
    observed = Observed()
    context = multiprocessing.get_context("fork")
    results: multiprocessing.Queue[list[Probe]] = context.Queue()
    stop = context.Event()
    prober = context.Process(target=probing, args=(host, probe_port, results, stop))
    prober.start()

    async def both() -> None:
        await asyncio.gather(attack(), alongside(host, port, duration, observed))

    try:
        asyncio.run(both())
    finally:
        stop.set()
        observed.probes = results.get(timeout=30)
        prober.join()
    return observed
