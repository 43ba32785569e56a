"""``python -m bench``: the screener and a minimal FastAPI floor, served and loaded in turn in one run
(with, for reference, the screener less its receipt signing: bench/unsigned_app.py).

Prints a table and PASS/FAIL lines and writes bench/results/latest.json; exits 0 even when a target fails.
"""

import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from app.api.catalog import Catalog
from app.config import Settings
from app.engine.errors import RuleSetError
from app.engine.evaluator import screen
from app.engine.loader import load_ruleset
from app.engine.ruleset import RuleSet
from app.schemas.screening import ResultParts
from bench.micro import Timing, load_timings, stage_timings
from bench.payloads import load_mix, partial_answers, request_body, write_get_script, write_post_script
from bench.servers import ROOT, Server, ServerError
from bench.wrk import WrkError, WrkResult, find_wrk, run_wrk

RULES_DIR = ROOT / "app" / "rules"
QUESTIONNAIRE = "hip-pelvic-floor"
RULESET_DIR = RULES_DIR / QUESTIONNAIRE
SCREENING_PATH = f"/v1/questionnaires/{QUESTIONNAIRE}/screenings"
QUESTIONNAIRE_PATH = f"/v1/questionnaires/{QUESTIONNAIRE}"
PROGRESS_PATH = f"/v1/questionnaires/{QUESTIONNAIRE}/progress"
RESULTS = ROOT / "bench" / "results" / "latest.json"

FLOOR_POST, SCREENING_POST = "floor POST", "screening POST"
UNSIGNED_POST = "screening, no signing"  # bench/unsigned_app.py: what the receipt costs, for reference
PROGRESS_POST = "progress POST"  # the widget's check on every screen: measured, no target
FLOOR_GET, QUESTIONNAIRE_GET, QUESTIONNAIRE_304 = "floor GET", "questionnaire GET 200", "questionnaire GET 304"
BASELINE = {
    SCREENING_POST: FLOOR_POST,
    UNSIGNED_POST: FLOOR_POST,
    PROGRESS_POST: FLOOR_POST,
    QUESTIONNAIRE_GET: FLOOR_GET,
    QUESTIONNAIRE_304: FLOOR_GET,
}


def _env_number(name: str, default: float) -> float:
    value = os.environ.get(name)
    return float(value) if value else default


@dataclass(frozen=True)
class Config:
    """From BENCH_THREADS, BENCH_CONNECTIONS, BENCH_DURATION, BENCH_WARMUP (seconds), BENCH_ROUNDS, BENCH_STARTS."""

    threads: int
    connections: int
    duration: float
    warmup: float
    rounds: int
    starts: int
    server_cpu: int | None
    wrk_cpu: int | None

    @classmethod
    def from_env(cls) -> "Config":
        cpus = sorted(os.sched_getaffinity(0))
        pinned = len(cpus) >= 2
        return cls(
            threads=int(_env_number("BENCH_THREADS", 1)),
            connections=int(_env_number("BENCH_CONNECTIONS", 16)),
            duration=_env_number("BENCH_DURATION", 5),
            warmup=_env_number("BENCH_WARMUP", 2),
            rounds=max(1, int(_env_number("BENCH_ROUNDS", 3))),
            starts=max(1, int(_env_number("BENCH_STARTS", 3))),
            server_cpu=cpus[0] if pinned else None,
            wrk_cpu=cpus[1] if pinned else None,
        )


@dataclass(frozen=True)
class Workload:
    name: str
    server: Server
    path: str
    script: Path
    headers: tuple[str, ...] = ()


def _load_ruleset_patiently(attempts: int = 4, pause_s: float = 30.0) -> tuple[RuleSet, list[dict[str, object]], int]:
    """The rule set, the answer mix and the rejected count; the rules may be mid-edit, so retry."""
    for attempt in range(1, attempts + 1):
        try:
            ruleset = load_ruleset(RULESET_DIR)
            mix, rejected = load_mix(ruleset)
            if mix:
                return ruleset, mix, rejected
            problem = "no golden case is accepted by screen()"
        except (RuleSetError, ValueError) as exc:
            problem = str(exc)
        if attempt == attempts:
            raise SystemExit(f"bench: cannot load {RULESET_DIR}: {problem}")
        print(f"bench: rule set not usable yet ({problem.splitlines()[0]}); retrying in {pause_s:g} s", flush=True)
        time.sleep(pause_s)
    raise AssertionError("unreachable")


def _start(app: str, env: dict[str, str], config: Config) -> tuple[Server, list[float]]:
    """Start ``config.starts`` times to time start-up; the last server stays up."""
    times = []
    for attempt in range(config.starts):
        server = Server(app, env=env, cpu=config.server_cpu)
        times.append(server.start())
        if attempt < config.starts - 1:
            server.stop()
    return server, times


def _precheck(screener: Server, floor: Server, bodies: list[bytes], progress_bodies: list[bytes]) -> dict[str, Any]:
    """Every request the load will send gets the expected status; returns sizes and the ETag."""
    headers = {"Content-Type": "application/json"}
    with httpx.Client(timeout=10.0) as client:

        def sizes_of(path: str, posted: list[bytes]) -> list[int]:
            """The size of each 200 answer to ``posted``; anything else stops the bench."""
            answered = []
            for body in posted:
                response = client.post(screener.base_url + path, content=body, headers=headers)
                if response.status_code != 200:
                    raise ServerError(f"{path} answered {response.status_code}: {response.text[:500]}")
                answered.append(len(response.content))
            return answered

        sizes = sizes_of(SCREENING_PATH, bodies)
        progress_sizes = sizes_of(PROGRESS_PATH, progress_bodies)
        document = client.get(screener.base_url + QUESTIONNAIRE_PATH)
        etag = document.headers.get("etag", "")
        if document.status_code != 200 or not etag:
            raise ServerError(f"questionnaire answered {document.status_code} (ETag {etag!r})")
        revalidated = client.get(screener.base_url + QUESTIONNAIRE_PATH, headers={"If-None-Match": etag})
        if revalidated.status_code != 304:
            raise ServerError(f"If-None-Match answered {revalidated.status_code}, not 304")
        floor_post = client.post(floor.base_url + SCREENING_PATH, content=bodies[0], headers=headers)
        floor_get = client.get(floor.base_url + QUESTIONNAIRE_PATH)
        if floor_post.status_code != 200 or floor_get.status_code != 200:
            raise ServerError(f"floor answered {floor_post.status_code} / {floor_get.status_code}")
    return {
        "screening_bytes_median": statistics.median(sizes),
        "screening_bytes_min": min(sizes),
        "screening_bytes_max": max(sizes),
        "progress_bytes_median": statistics.median(progress_sizes),
        "questionnaire_bytes": len(document.content),
        "floor_post_bytes": len(floor_post.content),
        "floor_get_bytes": len(floor_get.content),
        "etag": etag,
    }


def _median_result(runs: list[WrkResult]) -> dict[str, Any]:
    return {
        "rps": statistics.median(r.rps for r in runs),
        "rps_runs": [round(r.rps, 1) for r in runs],
        "p50_us": statistics.median(r.p50_us for r in runs),
        "p99_us": statistics.median(r.p99_us for r in runs),
        "errors": sum(r.error_count for r in runs),
    }


def _loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def _fmt_us(us: float) -> str:
    return f"{us / 1000:8.2f}"


def _mb(kib: int | None) -> float:
    return kib * 1024 / 1e6 if kib is not None else float("nan")


def main() -> int:
    config = Config.from_env()
    if config.wrk_cpu is not None:
        os.sched_setaffinity(0, {config.wrk_cpu})  # keep the harness off the server's core
    out: Callable[..., None] = lambda *args: print(*args, flush=True)  # noqa: E731
    load_before = _loadavg()
    wrk = find_wrk()

    ruleset, mix, rejected = _load_ruleset_patiently()
    bodies = [request_body(answers) for answers in mix]
    partials = partial_answers(ruleset, mix)
    progress_bodies = [request_body(answers) for answers in partials]
    too_big = [len(b) for b in bodies if len(b) > Settings().max_body_bytes]
    if too_big:
        raise SystemExit(f"bench: {len(too_big)} bodies exceed the body limit")
    out(f"bench: {len(mix)} answer sets from the golden cases ({rejected} rejected ones left out); timing stages ...")
    stages = stage_timings(ruleset, mix, bodies, partials)
    loads = load_timings(RULES_DIR, RULESET_DIR)
    language, country = ruleset.default_language, ruleset.default_country
    parts = ResultParts.render(ruleset, language, country)
    result_sizes = [len(parts.assemble(screen(ruleset, raw), raw).model_dump_json()) for raw in mix]
    catalog = Catalog.load(RULES_DIR)
    floor_env = {
        "BENCH_FLOOR_POST_BYTES": str(int(statistics.median(result_sizes))),
        "BENCH_FLOOR_GET_BYTES": str(len(catalog.documents[(ruleset.id, language, country)].body)),
    }
    # The limiters (screenings, and early checks) would answer 429 under load.
    screener_env = {"SCREENER_RATE_LIMIT_PER_MINUTE": "0", "SCREENER_CHECK_RATE_LIMIT_PER_MINUTE": "0"}

    out("bench: starting servers ...")
    screener, screener_starts = _start("app.main:app", screener_env, config)
    with screener:
        floor, floor_starts = _start("bench.floor_app:app", floor_env, config)
        unsigned = Server("bench.unsigned_app:app", env=screener_env, cpu=config.server_cpu)
        unsigned.start()
        with floor, unsigned, tempfile.TemporaryDirectory(prefix="bench-") as tmp:
            sizes = _precheck(screener, floor, bodies, progress_bodies)
            etag = sizes["etag"]
            post_script = write_post_script(Path(tmp) / "post.lua", bodies)
            get_script = write_get_script(Path(tmp) / "get.lua")
            progress_script = write_post_script(Path(tmp) / "progress.lua", progress_bodies)
            workloads = [
                Workload(FLOOR_POST, floor, SCREENING_PATH, post_script),
                Workload(SCREENING_POST, screener, SCREENING_PATH, post_script),
                Workload(UNSIGNED_POST, unsigned, SCREENING_PATH, post_script),
                Workload(PROGRESS_POST, screener, PROGRESS_PATH, progress_script),
                Workload(FLOOR_GET, floor, QUESTIONNAIRE_PATH, get_script),
                Workload(QUESTIONNAIRE_GET, screener, QUESTIONNAIRE_PATH, get_script),
                Workload(QUESTIONNAIRE_304, screener, QUESTIONNAIRE_PATH, get_script, (f"If-None-Match: {etag}",)),
            ]

            def load(workload: Workload, duration: float) -> WrkResult:
                return run_wrk(
                    wrk,
                    workload.server.base_url + workload.path,
                    workload.script,
                    threads=config.threads,
                    connections=config.connections,
                    duration=duration,
                    headers=workload.headers,
                    cpu=config.wrk_cpu,
                )

            out(f"bench: warming up ({config.warmup:g} s each) ...")
            for workload in workloads:
                load(workload, config.warmup)
            runs: dict[str, list[WrkResult]] = {w.name: [] for w in workloads}
            for round_number in range(config.rounds):
                order = workloads if round_number % 2 == 0 else workloads[::-1]  # ABBA against drift
                out(f"bench: round {round_number + 1}/{config.rounds} ({len(order)} x {config.duration:g} s) ...")
                for workload in order:
                    runs[workload.name].append(load(workload, config.duration))
            screener_rss, screener_hwm = screener.rss_kib()
            floor_rss, floor_hwm = floor.rss_kib()

    http = {name: _median_result(results) for name, results in runs.items()}
    # Each round's runs are neighbours in time, so the ratio is taken per round, then the median.
    round_ratios = {
        name: [run.rps / base_run.rps for run, base_run in zip(runs[name], runs[base], strict=True)]
        for name, base in BASELINE.items()
    }
    ratios = {name: statistics.median(values) for name, values in round_ratios.items()}
    for name, values in round_ratios.items():
        http[name]["ratio_runs"] = [round(v, 4) for v in values]
        http[name]["ratio_of_medians"] = http[name]["rps"] / http[BASELINE[name]]["rps"]
    report = _report(
        config, ruleset, mix, stages, loads, http, ratios, sizes,
        screener_starts, floor_starts, (screener_rss, screener_hwm), (floor_rss, floor_hwm),
    )  # fmt: skip
    report["runs"] = {name: [r.as_dict() for r in results] for name, results in runs.items()}
    report["machine"]["loadavg_before_after"] = [load_before, _loadavg()]
    spread = {
        name: (max(values) - min(values)) / statistics.median(values)
        for name, values in round_ratios.items()
        if len(values) > 1
    }
    noisy = [name for name, value in spread.items() if value > 0.25]
    if noisy:
        out(
            f"\nnote: per-round ratios of {', '.join(noisy)} spread over 25% of their median: the machine was busy "
            f"(load average {load_before} before, {_loadavg()} after); rerun or raise BENCH_ROUNDS"
        )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2, sort_keys=True) + "\n")
    out(f"\nwrote {RESULTS.relative_to(ROOT)}")
    return 0


def _report(
    config: Config,
    ruleset: RuleSet,
    mix: list[dict[str, object]],
    stages: dict[str, Timing],
    loads: dict[str, float],
    http: dict[str, dict[str, Any]],
    ratios: dict[str, float],
    sizes: dict[str, Any],
    screener_starts: list[float],
    floor_starts: list[float],
    screener_mem: tuple[int | None, int | None],
    floor_mem: tuple[int | None, int | None],
) -> dict[str, Any]:
    """Print the table and the PASS/FAIL lines; return every figure for the JSON file."""
    floor_us = 1e6 / http[FLOOR_POST]["rps"]
    screening_us = 1e6 / http[SCREENING_POST]["rps"]
    # What the server runs: the check and the rules in one pass (screen), not the two apart.
    stage_sum = sum(stages[s].median_us for s in ("parse_json_strict", "screen"))
    stage_sum += stages["result_json"].median_us  # what the server does: JSON joined from pieces
    stage_sum += stages["receipt"].median_us  # and every result carries a signed receipt
    startup = statistics.median(screener_starts)
    floor_startup = statistics.median(floor_starts)
    rss_mb, floor_rss_mb = _mb(screener_mem[0]), _mb(floor_mem[0])
    targets = [
        ("screening throughput >= 0.85 x floor POST", ratios[SCREENING_POST], ratios[SCREENING_POST] >= 0.85),
        ("full rule evaluation < 10 us median", stages["evaluate"].median_us, stages["evaluate"].median_us < 10),
        ("questionnaire GET 200 >= 0.9 x floor GET", ratios[QUESTIONNAIRE_GET], ratios[QUESTIONNAIRE_GET] >= 0.9),
        ("questionnaire GET 304 >= 0.9 x floor GET", ratios[QUESTIONNAIRE_304], ratios[QUESTIONNAIRE_304] >= 0.9),
        ("start-up (spawn -> /readyz 200) < 1.5 s", startup, startup < 1.5),
        ("RSS < 120 MB per worker", rss_mb, rss_mb < 120),
    ]

    lines = [
        "",
        f"hip-pelvic-screener bench - ruleset {ruleset.id} {ruleset.version}, {len(ruleset.rules)} rules, "
        f"{len(ruleset.questions)} questions, {len(mix)} answer sets",
        f"wrk -t{config.threads} -c{config.connections} -d{config.duration:g}s x {config.rounds} rounds (median), "
        f"warm-up {config.warmup:g}s; one uvicorn worker each, on CPU {config.server_cpu}, wrk on CPU "
        f"{config.wrk_cpu} ({os.cpu_count()} CPUs); vs floor = median of per-round ratios",
        "",
        f"{'HTTP':<24}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'vs floor':>10}  runs: req/s [ratio]",
    ]
    for name, figures in http.items():
        ratio = f"{ratios[name]:10.3f}" if name in ratios else f"{'':>10}"
        flag = f"  !! {int(figures['errors'])} errors" if figures["errors"] else ""
        each = " ".join(f"{rps:.0f}" for rps in figures["rps_runs"])
        if "ratio_runs" in figures:
            each += " [" + " ".join(f"{r:.3f}" for r in figures["ratio_runs"]) + "]"
        lines.append(
            f"{name:<24}{figures['rps']:10.0f}{_fmt_us(figures['p50_us']):>9}{_fmt_us(figures['p99_us']):>9}"
            f"{ratio}  {each}{flag}"
        )
    lines += [
        f"  bodies: screening result median {sizes['screening_bytes_median']:.0f} B "
        f"(min {sizes['screening_bytes_min']}, max {sizes['screening_bytes_max']}), "
        f"floor POST {sizes['floor_post_bytes']} B; progress median {sizes['progress_bytes_median']:.0f} B; "
        f"questionnaire {sizes['questionnaire_bytes']} B, floor GET {sizes['floor_get_bytes']} B",
        "",
        f"{'per screening request (in process)':<44}{'median us':>10}{'p10-p90':>16}{'x floor req':>12}",
    ]
    stage_labels = {
        "json_loads_plain": "  json.loads (reference, not a stage)",
        "parse_json_strict": "  parse: parse_json + answers_from",
        "check_answers": "  validate in full: assess (the path that explains problems)",
        "fast_check": "  (reference) the fast function's answer check alone",
        "evaluate": "  evaluate: rules + findings + advice (the rest)",
        "screen": "  validate + evaluate in one pass (served)",
        "result_json": "  result JSON: ResultParts.to_json",
        "result_build": "  (reference) ResultParts.assemble",
        "model_dump_json": "  (reference) model_dump_json",
        "receipt": "  receipt: payload, DEFLATE, Ed25519 signature",
        "full_in_process": "  parse + validate + evaluate + JSON + receipt",
        "progress_engine": "  (/progress) full check + minimum, partial answers",
    }
    for key, label in stage_labels.items():
        t = stages[key]
        lines.append(
            f"{label:<44}{t.median_us:10.2f}{f'{t.p10_us:.2f}-{t.p90_us:.2f}':>16}{t.median_us / floor_us:12.3f}"
        )
    framework = screening_us - stage_sum
    unsigned_us = 1e6 / http[UNSIGNED_POST]["rps"]
    progress_us = 1e6 / http[PROGRESS_POST]["rps"]
    lines += [
        f"{'  server time per screening (1 / req/s)':<44}{screening_us:10.1f}{'':>16}{screening_us / floor_us:12.3f}",
        f"{'  of which the receipt, over the wire':<44}{screening_us - unsigned_us:10.1f}{'':>16}"
        f"{(screening_us - unsigned_us) / floor_us:12.3f}",
        f"{'  of which stages above':<44}{stage_sum:10.1f}{'':>16}{stage_sum / floor_us:12.3f}",
        f"{'  of which framework, middleware, HTTP':<44}{framework:10.1f}{'':>16}{framework / floor_us:12.3f}",
        f"{'  floor server time per request':<44}{floor_us:10.1f}{'':>16}{1.0:12.3f}",
        f"{'  server time per /progress (1 / req/s)':<44}{progress_us:10.1f}{'':>16}{progress_us / floor_us:12.3f}",
        f"  (timer loop overhead {stages['call_overhead'].median_us:.3f} us per call, not subtracted)",
        "",
        "start-up",
        f"  screener spawn -> /readyz 200   {startup:6.3f} s (median of {len(screener_starts)}: "
        f"{', '.join(f'{s:.3f}' for s in screener_starts)}); floor app {floor_startup:.3f} s; "
        f"ratio {startup / floor_startup:.2f}",
        f"  load_ruleset in process         {loads['load_ruleset_s']:6.3f} s (median of 5)",
        f"  Catalog.load in process         {loads['catalog_load_s']:6.3f} s (median of 5; rules + documents)",
        "",
        "memory per worker after load (VmRSS; peak VmHWM)",
        f"  screener {rss_mb:7.1f} MB (peak {_mb(screener_mem[1]):.1f}); floor {floor_rss_mb:.1f} MB "
        f"(peak {_mb(floor_mem[1]):.1f}); ratio {rss_mb / floor_rss_mb:.2f}",
        "",
        "targets",
    ]
    units = ["x", "us", "x", "x", "s", "MB"]
    for (label, value, passed), unit in zip(targets, units, strict=True):
        lines.append(f"  {'PASS' if passed else 'FAIL'}  {label:<46} {value:.3f} {unit}")
    lines.append(
        f"  (for reference, not a target: screening with a constant in place of the signed receipt, "
        f"bench/unsigned_app.py, {ratios[UNSIGNED_POST]:.3f} x floor POST; /progress on partial answers, "
        f"which the widget asks on every screen, {ratios[PROGRESS_POST]:.3f} x floor POST)"
    )
    print("\n".join(lines), flush=True)

    return {
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0], "platform": platform.platform()},
        "config": {
            "threads": config.threads,
            "connections": config.connections,
            "duration_s": config.duration,
            "warmup_s": config.warmup,
            "rounds": config.rounds,
            "server_cpu": config.server_cpu,
            "wrk_cpu": config.wrk_cpu,
        },
        "ruleset": {"id": ruleset.id, "version": ruleset.version, "rules": len(ruleset.rules), "answer_sets": len(mix)},
        "http": http,
        "ratios": ratios,
        "sizes": sizes,
        "stages_us": {key: t.as_dict() for key, t in stages.items()},
        "per_request_us": {
            "screening_server": screening_us,
            "stages": stage_sum,
            "framework_and_http": framework,
            "receipt_over_the_wire": screening_us - unsigned_us,
            "floor_server": floor_us,
            "progress_server": progress_us,
        },
        "startup": {
            "screener_spawn_to_ready_s": screener_starts,
            "floor_spawn_to_ready_s": floor_starts,
            "screener_median_s": startup,
            "floor_median_s": floor_startup,
            **loads,
        },
        "memory_mb": {
            "screener_rss": rss_mb,
            "screener_peak": _mb(screener_mem[1]),
            "floor_rss": floor_rss_mb,
            "floor_peak": _mb(floor_mem[1]),
        },
        "targets": [
            {"target": label, "value": value, "unit": unit, "pass": passed}
            for (label, value, passed), unit in zip(targets, units, strict=True)
        ],
        "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (WrkError, ServerError) as exc:
        print(f"bench: {exc}", file=sys.stderr)
        sys.exit(1)
