"""Fixed-rate (open-loop) load against one uvicorn worker: LOAD-01 (`make load`) and LOAD-02
(`make soak`). Debian's wrk has no fixed-rate mode (wrk2's -R), so requests are sent here on a
fixed schedule and latency is measured from the *scheduled* time (no coordinated omission)."""

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.engine.loader import load_ruleset
from bench.payloads import load_mix
from bench.servers import Server

PATH = "/v1/questionnaires/hip-pelvic-floor/screenings"
CONNECTIONS = 32
RULES = Path(__file__).resolve().parents[1] / "app" / "rules" / "hip-pelvic-floor"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


async def _connection(host: str, port: int, queue: "asyncio.Queue[tuple[float, bytes] | None]", record: Any) -> None:
    """One keep-alive HTTP/1.1 connection taking scheduled requests from the queue. Raw
    streams, not httpx: the generator must not be the bottleneck on a 2-core machine."""
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while (item := await queue.get()) is not None:
            scheduled, request = item
            try:
                writer.write(request)
                status_line = await reader.readuntil(b"\r\n")
                length = 0
                while (line := await reader.readuntil(b"\r\n")) != b"\r\n":
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value)
                await reader.readexactly(length)
                record(scheduled, status_line.split(b" ", 2)[1].decode())
            except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
                record(scheduled, type(exc).__name__)
                writer.close()
                reader, writer = await asyncio.open_connection(host, port)
    finally:
        writer.close()


async def run(base_url: str, bodies: list[bytes], rate: float, duration: float, on_tick: Any) -> dict[str, object]:
    host, port = base_url.removeprefix("http://").split(":")
    requests = [
        f"POST {PATH} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n".encode()
        + body
        for body in bodies
    ]
    latencies: list[float] = []
    statuses: dict[str, int] = {}

    def record(scheduled: float, key: str) -> None:
        latencies.append(time.perf_counter() - scheduled)
        statuses[key] = statuses.get(key, 0) + 1

    queue: asyncio.Queue[tuple[float, bytes] | None] = asyncio.Queue()
    workers = [asyncio.create_task(_connection(host, int(port), queue, record)) for _ in range(CONNECTIONS)]
    start = time.perf_counter()
    next_tick = 10.0
    for index in range(int(rate * duration)):
        # Latency counts from the scheduled time: a slow answer delays nothing that follows.
        scheduled = start + index / rate
        delay = scheduled - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        queue.put_nowait((scheduled, requests[index % len(requests)]))
        if scheduled - start >= next_tick:
            on_tick(scheduled - start)
            next_tick += 10
    for _ in workers:
        queue.put_nowait(None)
    await asyncio.gather(*workers)
    elapsed = time.perf_counter() - start
    errors = sum(count for key, count in statuses.items() if not key.startswith("2"))
    return {
        "requests": len(latencies),
        "achieved_rps": round(len(latencies) / elapsed, 1),
        "statuses": statuses,
        "errors": errors,
        "p50_ms": round(percentile(latencies, 0.50) * 1000, 2),
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 2),
        "p999_ms": round(percentile(latencies, 0.999) * 1000, 2),
        "max_ms": round(max(latencies, default=float("nan")) * 1000, 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rate", type=float, default=500, help="requests per second (default 500)")
    parser.add_argument("--duration", type=float, default=60, help="seconds (default 60)")
    parser.add_argument("--warmup", type=float, default=0, help="soak: seconds before the RSS baseline")
    parser.add_argument("--max-p99-ms", type=float, default=50)
    parser.add_argument("--max-rss-growth-mb", type=float, default=None, help="soak: fail above this growth")
    args = parser.parse_args()

    mix, _ = load_mix(load_ruleset(RULES))
    bodies = [json.dumps({"answers": answers}).encode() for answers in mix]
    env = {"SCREENER_RATE_LIMIT_PER_MINUTE": "0"}
    with Server("app.main:app", env=env, cpu=0) as server:
        server.start()
        rss: list[tuple[float, int]] = []

        def sample(at: float) -> None:
            current, _ = server.rss_kib()
            if current is not None:
                rss.append((at, current))
                print(f"  t={at:5.0f}s rss={current / 1024:.1f} MB", flush=True)

        result = asyncio.run(run(server.base_url, bodies, args.rate, args.duration, sample))
        sample(args.duration)
    baseline = next((kib for at, kib in rss if at >= args.warmup), None)
    if baseline is not None and rss:
        result["rss_growth_mb"] = round((rss[-1][1] - baseline) / 1024, 2)
    print(json.dumps(result, indent=2))
    failed = result["errors"] != 0 or float(str(result["p99_ms"])) > args.max_p99_ms
    growth = result.get("rss_growth_mb")
    if args.max_rss_growth_mb is not None and growth is not None and float(str(growth)) > args.max_rss_growth_mb:
        failed = True
    if float(str(result["achieved_rps"])) < 0.95 * args.rate:
        print("note: the generator fell behind the target rate (shared CPU); p99 includes that delay")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
