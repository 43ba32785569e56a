"""`make hostile`: cheap hostile traffic against one worker behind deploy/nginx as shipped (else
straight to uvicorn), with normal screenings and probes alongside (reliability bar section 9).
Prints each figure and exits 1 when one misses its target."""

import argparse
import http.client
import json
import os
import sys
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.engine.loader import load_ruleset
from bench.attacks import flood, idle, trickle
from bench.hostile_shapes import fhir_bodies, v1_bodies
from bench.hostile_traffic import BODY, SCREENINGS, Observed, under
from bench.proxy import nginx_binary, nginx_in_front
from bench.servers import Server

RULES = Path(__file__).resolve().parents[1] / "app" / "rules" / "hip-pelvic-floor"
PROGRESS = "/v1/questionnaires/hip-pelvic-floor/progress"
SCREEN = "/fhir/r4/QuestionnaireResponse/$screen"
# Attackers and users all come from 127.0.0.1 here: the per-client limits would only measure
# themselves, so they are off; what is measured is what one worker holds. The idle timeout is
# the deployment's (above nginx's 60 s towards the service).
ENV = {
    "SCREENER_RATE_LIMIT_PER_MINUTE": "0",
    "SCREENER_CHECK_RATE_LIMIT_PER_MINUTE": "0",
    "UVICORN_TIMEOUT_KEEP_ALIVE": "65",
}


def cpu_seconds(pid: int) -> float:
    """CPU time of the process's main thread (uvicorn serves on it), in seconds (ns resolution)."""
    return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0]) / 1e9


def rss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total / 1024


# --- figures --------------------------------------------------------------------------------


def cost_ratios(server: Server, repeat: int) -> dict[str, dict[str, float]]:
    """Server CPU per request of each shape, over a valid screening's (DOS-10)."""
    ruleset = load_ruleset(RULES)
    host, port = "127.0.0.1", server.port
    pid = server.worker_pid
    connection = http.client.HTTPConnection(host, port, timeout=30)

    def cost(path: str, body: bytes, content_type: str, times: int) -> float:
        nonlocal connection
        for _ in range(5):  # warm up
            connection.request("POST", path, body=body, headers={"Content-Type": content_type})
            connection.getresponse().read()
        before = cpu_seconds(pid)
        for _ in range(times):
            connection.request("POST", path, body=body, headers={"Content-Type": content_type})
            connection.getresponse().read()
        return (cpu_seconds(pid) - before) / times

    baseline = cost(SCREENINGS, BODY, "application/json", repeat * 5)
    figures: dict[str, dict[str, float]] = {}
    for route, path in (("screenings", SCREENINGS), ("progress", PROGRESS)):
        for name, body in v1_bodies(ruleset).items():
            figures[f"{route}: {name}"] = {"ms": cost(path, body, "application/json", repeat) * 1000}
    for name, body in fhir_bodies(ruleset).items():
        figures[f"$screen: {name}"] = {"ms": cost(SCREEN, body, "application/fhir+json", repeat) * 1000}
    connection.close()
    for figure in figures.values():
        figure["ratio"] = figure["ms"] / (baseline * 1000)
    figures["baseline: valid screening"] = {"ms": baseline * 1000, "ratio": 1.0}
    return figures


def write_before_read(host: str, port: int, tries: int) -> int:
    """How many of ``tries`` clients writing 10 MiB before reading got to read the 413 (DOS-15)."""
    body = b"{" + b" " * (10 * 1024 * 1024 - 2) + b"}"
    read = 0
    for _ in range(tries):
        connection = http.client.HTTPConnection(host, port, timeout=20)
        try:
            connection.request("POST", SCREENINGS, body=body, headers={"Content-Type": "application/json"})
            response = connection.getresponse()
            response.read()
            read += response.status == 413
        except OSError:
            pass
        finally:
            connection.close()
    return read


def big_accept_language(host: str, port: int, count: int) -> dict[str, int]:
    """``count`` screenings with a distinct 1 MB Accept-Language each (DOS-13): their statuses."""
    statuses: dict[str, int] = {}
    for n in range(count):
        connection = http.client.HTTPConnection(host, port, timeout=20)
        value = f"x-{n:05d}," + "fr-CA;q=0.5," * (1024 * 1024 // 12)
        try:
            connection.request(
                "POST", SCREENINGS, body=BODY, headers={"Content-Type": "application/json", "Accept-Language": value}
            )
            status = str(connection.getresponse().status)
        except OSError as exc:
            status = type(exc).__name__
        finally:
            connection.close()
        statuses[status] = statuses.get(status, 0) + 1
    return statuses


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--direct", action="store_true", help="send everything straight to uvicorn")
    parser.add_argument("--repeat", type=int, default=100, help="requests per shape for the CPU figures")
    args = parser.parse_args()
    checks: list[tuple[str, bool, str]] = []

    def check(name: str, passed: bool, figure: str) -> None:
        checks.append((name, passed, figure))
        print(f"  [{'ok' if passed else 'FAIL'}] {name}: {figure}", flush=True)

    with ExitStack() as stack:
        server = stack.enter_context(Server("app.main:app", env={**os.environ, **ENV}, cpu=0))
        server.start()
        proxy = None
        if not args.direct and nginx_binary() is not None:
            proxy = stack.enter_context(nginx_in_front(server.port))
        front = proxy.port if proxy is not None else server.port
        host = "127.0.0.1"
        print(f"front door: {'nginx (deploy/nginx/nginx.conf)' if proxy else 'uvicorn'} on port {front}")

        print("DOS-10 server CPU per request, over a valid screening's:", flush=True)
        figures = cost_ratios(server, args.repeat)
        for name, figure in sorted(figures.items(), key=lambda item: -item[1]["ratio"]):
            print(f"    {figure['ratio']:6.1f}x  {figure['ms']:7.3f} ms  {name}")
        worst = max(figures.items(), key=lambda item: item[1]["ratio"])
        check(
            "worst request shape <= 20x a valid screening",
            worst[1]["ratio"] <= 20,
            f"{worst[1]['ratio']:.1f}x ({worst[0]})",
        )

        def normal_users_and_probes(name: str, seen: Observed, attackers: dict[str, int]) -> None:
            figure = f"{seen.users_ok():.1%} of {len(seen.users)}; attackers: {attackers}"
            check(f"{name}: normal screenings 200 within 2 s", seen.users_ok() >= 0.95, figure)
            check(f"OPS-07 probes within 1 s during {name[:6]}", seen.probes_ok(), seen.worst_probe())

        trickled: dict[str, int] = {}
        seen = under(lambda: trickle(host, front, 110, 25, trickled), host, front, 25, server.port)
        normal_users_and_probes("DOS-11 110 trickled bodies for 25 s", seen, trickled)
        idled: dict[str, int] = {}
        seen = under(lambda: idle(host, front, 1100, 20, idled), host, front, 20, server.port)
        normal_users_and_probes("DOS-12 1,100 idle sockets for 20 s", seen, idled)

        pids = [server.worker_pid, *(proxy.worker_pids() if proxy else [])]
        before = rss_mb(pids)
        statuses = big_accept_language(host, front, 100)
        growth = rss_mb(pids) - before
        refused = statuses.get("431", 0) == 100
        check(
            "DOS-13 100 distinct 1 MB Accept-Language: refused (431) or memory growth < 20 MB",
            refused or growth < 20,
            f"statuses {statuses}, growth {growth:.1f} MB",
        )

        flooded: list[tuple[int | str, float]] = []
        seen = under(lambda: flood(host, front, 200, 15, flooded), host, front, 15, server.port)
        latencies = [seconds for _, seconds in flooded]
        counts: dict[str, int] = {}
        for status, _ in flooded:
            counts[str(status)] = counts.get(str(status), 0) + 1
        timeouts = counts.get("TimeoutError", 0)
        p99 = percentile(latencies, 0.99)
        check(
            "DOS-14 200 connections of screenings for 15 s: p99 < 2 s, no 5 s timeout",
            p99 < 2 and timeouts == 0,
            f"p99 {p99:.3f} s, p50 {percentile(latencies, 0.5):.3f} s, {counts}",
        )
        check("OPS-07 probes within 1 s during DOS-14", seen.probes_ok(), seen.worst_probe())

        read = write_before_read(host, front, 10)
        check("DOS-15 a client writing 10 MiB before reading reads the 413", read == 10, f"{read} of 10")

    failed = [name for name, passed, _ in checks if not passed]
    print(json.dumps({"checks": len(checks), "failed": failed}, indent=2))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
