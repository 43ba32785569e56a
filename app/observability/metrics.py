"""Prometheus metrics, one registry per app. Labels come only from closed sets: route
templates, methods, statuses, levels and rule-set ids/versions, never from request data."""

import time
from bisect import bisect_left
from collections.abc import Iterable, Iterator

from prometheus_client import CollectorRegistry, Counter, Gauge
from prometheus_client.core import CounterMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_LATEST, generate_latest
from prometheus_client.registry import Collector

from app.engine.levels import Level
from app.engine.ruleset import RuleSet

CONTENT_TYPE = CONTENT_TYPE_LATEST
SCREENED_SCOPE_KEY = "screener.screened"
"""Where a screening endpoint leaves (rule-set id, level, rule-set version) of its result, for
the count: taken from the evaluation that produced the result, not read back from its bytes."""
# Latency buckets around the measured range (a screening takes well under 1 ms in process).
_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)


class _HotPathCollector(Collector):
    """Request and screening counts kept in plain dicts and turned into metric families only
    when /metrics is read: prometheus_client's own counters take a lock per update, which
    costs more than the rest of this hook on every request (measured with /tmp/prof2.py)."""

    def __init__(self) -> None:
        # (route, method, status) -> [count per bucket..., count above the last bucket, sum]
        self.requests: dict[tuple[str, str, int], list[float]] = {}
        self.screenings: dict[tuple[str, str, str], int] = {}

    def collect(self) -> Iterator[Metric]:
        labels = ["route", "method", "status"]
        total = CounterMetricFamily(
            "http_requests", "HTTP requests by route template, method and status.", labels=labels
        )
        latency = HistogramMetricFamily(
            "http_request_duration_seconds", "Time to answer, by route template, method and status.", labels=labels
        )
        for (route, method, status), entry in sorted(self.requests.items()):
            values = [route, method, str(status)]
            cumulative, buckets = 0.0, []
            for bound, count in zip((*_BUCKETS, float("inf")), entry[:-1], strict=True):
                cumulative += count
                buckets.append(("+Inf" if bound == float("inf") else repr(bound), cumulative))
            total.add_metric(values, cumulative)
            latency.add_metric(values, buckets, entry[-1])
        screenings = CounterMetricFamily(
            "screenings",
            "Screening results by level and rule set.",
            labels=["questionnaire", "level", "ruleset_version"],
        )
        for (questionnaire, level, version), count in sorted(self.screenings.items()):
            screenings.add_metric([questionnaire, level, version], count)
        yield from (total, latency, screenings)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self._hot = _HotPathCollector()
        self.registry.register(self._hot)
        self.ruleset_info = Gauge(
            "ruleset_info", "The rule sets being served (value 1).", ("id", "version", "sha256"), registry=self.registry
        )
        self.reload_ok = Gauge(
            "ruleset_last_reload_successful", "1 if the last rule-set load or reload succeeded.", registry=self.registry
        )
        self.reload_time = Gauge(
            "ruleset_last_reload_timestamp_seconds",
            "Unix time of the last successful rule-set load or reload.",
            registry=self.registry,
        )
        self.reload_refusals = Counter(
            "ruleset_reload_refusals",
            "Refused rule-set reloads by reason (app.ruleset_gate.REASONS); the log line gives the detail.",
            ("reason",),
            registry=self.registry,
        )
        self._requests = self._hot.requests
        self._screenings = self._hot.screenings

    def observe(self, route: str, method: str, status: int, seconds: float) -> None:
        # Runs on the event loop, as does /metrics: no lock needed.
        key = (route, method, status)
        entry = self._requests.get(key)
        if entry is None:
            entry = self._requests[key] = [0.0] * (len(_BUCKETS) + 2)
        entry[bisect_left(_BUCKETS, seconds)] += 1
        entry[-1] += seconds

    def screened(self, ruleset: RuleSet, level: Level) -> None:
        """Count a screening result by the rule set that produced it (its version, across
        reloads) and its level: closed sets, so the labels stay bounded."""
        key = (ruleset.id, level.value, ruleset.version)
        self._screenings[key] = self._screenings.get(key, 0) + 1

    def loaded(self, rulesets: Iterable[RuleSet]) -> None:
        self.ruleset_info.clear()
        for ruleset in rulesets:
            self.ruleset_info.labels(ruleset.id, ruleset.version, ruleset.sha256).set(1)
        self.reload_ok.set(1)
        self.reload_time.set(time.time())

    def reload_failed(self, reason: str) -> None:
        self.reload_ok.set(0)
        self.reload_refusals.labels(reason).inc()

    def render(self) -> bytes:
        return generate_latest(self.registry)
