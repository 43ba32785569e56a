"""Find (or apt-install) wrk, run it with ``--latency`` and parse its results."""

import os
import re
import shutil
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bench.payloads import RESULT_TAG


class WrkError(RuntimeError):
    """wrk is missing or a run gave no usable result."""


@dataclass(frozen=True)
class WrkResult:
    """One wrk run; latencies in microseconds."""

    rps: float
    requests: int
    p50_us: float
    p90_us: float
    p99_us: float
    mean_us: float
    max_us: float
    errors: dict[str, int]
    non_2xx_3xx: int

    @property
    def error_count(self) -> int:
        return sum(self.errors.values()) + self.non_2xx_3xx

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _apt_get(*args: str) -> bool:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    argv = ["apt-get", "-q", *args]
    done = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)  # noqa: S603
    return done.returncode == 0


def find_wrk() -> str:
    """Path of wrk; installs it with apt-get when missing and running as root."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("wrk not found: installing it with apt-get ...", flush=True)
        if not _apt_get("install", "-y", "wrk"):
            _apt_get("update")
            _apt_get("install", "-y", "wrk")
        found = shutil.which("wrk")
        if found:
            return found
    raise WrkError("wrk is not installed (apt-get install wrk) and could not be installed automatically")


_UNITS_US = {"us": 1.0, "ms": 1000.0, "s": 1_000_000.0, "m": 60_000_000.0}
_KEY_VALUE = re.compile(r"(\w+)=([0-9.]+)")
_DISTRIBUTION = re.compile(r"^\s*(50|90|99)(?:\.0+)?%\s+([0-9.]+)(us|ms|s|m)\s*$", re.MULTILINE)
_RPS = re.compile(r"^Requests/sec:\s+([0-9.]+)", re.MULTILINE)
_NON_2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")


def parse_output(output: str) -> WrkResult:
    """Parse wrk's stdout: the BENCH_RESULT line when present, else the ``--latency`` report."""
    non_2xx = int(match.group(1)) if (match := _NON_2XX.search(output)) else 0
    for line in output.splitlines():
        if line.startswith(RESULT_TAG + " "):
            fields = {key: float(value) for key, value in _KEY_VALUE.findall(line)}
            duration_s = fields["duration_us"] / 1e6
            return WrkResult(
                rps=fields["requests"] / duration_s if duration_s > 0 else 0.0,
                requests=int(fields["requests"]),
                p50_us=fields["p50_us"],
                p90_us=fields["p90_us"],
                p99_us=fields["p99_us"],
                mean_us=fields["mean_us"],
                max_us=fields["max_us"],
                errors={k.removeprefix("errors_"): int(v) for k, v in fields.items() if k.startswith("errors_")},
                non_2xx_3xx=non_2xx,
            )
    rps = _RPS.search(output)
    percentiles = {int(p): float(v) * _UNITS_US[unit] for p, v, unit in _DISTRIBUTION.findall(output)}
    if rps is None or not {50, 90, 99} <= percentiles.keys():
        raise WrkError("could not parse wrk output:\n" + output)
    return WrkResult(
        rps=float(rps.group(1)),
        requests=0,
        p50_us=percentiles[50],
        p90_us=percentiles[90],
        p99_us=percentiles[99],
        mean_us=float("nan"),
        max_us=float("nan"),
        errors={},
        non_2xx_3xx=non_2xx,
    )


def run_wrk(
    wrk: str,
    url: str,
    script: Path,
    *,
    threads: int,
    connections: int,
    duration: float,
    headers: tuple[str, ...] = (),
    cpu: int | None = None,
) -> WrkResult:
    """Load ``url`` for ``duration`` seconds; pinned to ``cpu`` with taskset when given."""
    argv = [wrk, f"-t{threads}", f"-c{connections}", f"-d{duration:g}s", "--latency", "-s", str(script)]
    for header in headers:
        argv += ["-H", header]
    argv.append(url)
    taskset = shutil.which("taskset")
    if cpu is not None and taskset:
        argv = [taskset, "-c", str(cpu), *argv]
    done = subprocess.run(  # noqa: S603 - argv built here, no shell
        argv, capture_output=True, text=True, timeout=duration + 60, check=False
    )
    if done.returncode != 0:
        raise WrkError(f"wrk exited with {done.returncode}:\n{done.stdout}\n{done.stderr}")
    return parse_output(done.stdout)
