"""In-process timings: each stage of one screening (parse, validate, evaluate, build, serialise,
sign the receipt) over the answer mix, and rule-set loading. Medians of batch means, with
``perf_counter_ns``."""

import gc
import json
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from app.api.catalog import Catalog
from app.api.json_body import answers_from, parse_json
from app.engine.answers import assess
from app.engine.codegen import build_fast_screen
from app.engine.evaluator import Evaluation, screen
from app.engine.loader import load_ruleset
from app.engine.ruleset import RuleSet
from app.engine.semantics import minimum
from app.engine.yaml_files import forget_parsed
from app.receipts.issuer import Receipts
from app.receipts.keys import Keyring
from app.schemas.screening import ResultParts

T = TypeVar("T")


@dataclass(frozen=True)
class Timing:
    """Per-call microseconds: median (and spread) of the batch means."""

    median_us: float
    p10_us: float
    p90_us: float
    batches: int
    batch_size: int

    def less(self, other: "Timing") -> "Timing":
        """The part of this stage that ``other`` (a stage it contains) does not do."""
        return Timing(
            self.median_us - other.median_us,
            self.p10_us - other.p90_us,
            self.p90_us - other.p10_us,
            min(self.batches, other.batches),
            self.batch_size,
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "median_us": self.median_us,
            "p10_us": self.p10_us,
            "p90_us": self.p90_us,
            "batches": self.batches,
            "batch_size": self.batch_size,
        }


def time_per_call(
    fn: Callable[[T], object],
    items: Sequence[T],
    *,
    batch_size: int = 1000,
    min_batches: int = 15,
    max_batches: int = 200,
    budget_s: float = 0.8,
) -> Timing:
    """Call ``fn`` on ``items`` in turn, ``batch_size`` calls per batch, until the time budget
    is spent (within the batch limits); one untimed warm-up batch first."""
    batch = [items[i % len(items)] for i in range(batch_size)]
    for item in batch:
        fn(item)
    gc.collect()
    means: list[float] = []
    deadline = time.perf_counter() + budget_s
    while len(means) < max_batches and (len(means) < min_batches or time.perf_counter() < deadline):
        start = time.perf_counter_ns()
        for item in batch:
            fn(item)
        means.append((time.perf_counter_ns() - start) / batch_size / 1000)
    deciles = statistics.quantiles(means, n=10)
    return Timing(statistics.median(means), deciles[0], deciles[-1], len(means), batch_size)


def time_seconds(fn: Callable[[], object], repeat: int = 5) -> float:
    """Median wall-clock seconds of ``repeat`` calls."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def parse_answers(body: bytes) -> dict[str, object]:
    """What the screening route does with the body (``answers_from`` may also return ``skipped``)."""
    extracted = answers_from(parse_json(body))
    return extracted[0] if isinstance(extracted, tuple) else extracted


def stage_timings(
    ruleset: RuleSet, mix: list[dict[str, object]], bodies: list[bytes], partials: list[dict[str, object]]
) -> dict[str, Timing]:
    """Per-request cost of every stage the screening endpoint runs, over the same mix, and of
    the engine's part of a /progress check (over ``partials``, answers still to come)."""
    language, country = ruleset.default_language, ruleset.default_country
    screened: list[Evaluation] = [screen(ruleset, raw) for raw in mix]
    # The server renders every text once per language and country (the catalog) and only
    # assembles the pieces per request, so that is what is timed.
    parts = ResultParts.render(ruleset, language, country)
    pairs = list(zip(screened, mix, strict=True))
    results = [parts.assemble(e, raw) for e, raw in pairs]

    def full(body: bytes) -> object:
        answers = parse_answers(body)
        evaluation = screen(ruleset, answers)
        return parts.to_json(evaluation, answers), receipts.issue(parts, evaluation, answers, skipped)

    def noop(_item: object) -> object:
        return None

    # The served function has no seam between its answer check and its rules, so the rules'
    # share is measured as the whole function less the same compiler's output for no rules,
    # findings or advice (the check and skip logic alone).
    check_alone = build_fast_screen(ruleset.questions, ruleset.accepts, [], [], [], [], f"{ruleset.id} check")
    fast_whole = time_per_call(ruleset.fast_screen, mix, budget_s=1.5)
    fast_check = time_per_call(check_alone, mix, budget_s=1.5)
    receipts = Receipts(Keyring.generated(), "https://bench.example", 30)
    skipped: list[str] = []

    return {
        "call_overhead": time_per_call(noop, bodies, min_batches=5, budget_s=0.05),
        "json_loads_plain": time_per_call(json.loads, bodies, budget_s=0.4),
        "parse_json_strict": time_per_call(parse_answers, bodies, budget_s=0.4),
        "check_answers": time_per_call(lambda raw: assess(ruleset, raw), mix),
        "fast_check": fast_check,
        "evaluate": fast_whole.less(fast_check),
        "screen": time_per_call(lambda raw: screen(ruleset, raw), mix),
        "result_build": time_per_call(lambda pair: parts.assemble(*pair), pairs),
        "model_dump_json": time_per_call(lambda r: r.model_dump_json(), results),
        "result_json": time_per_call(lambda pair: parts.to_json(*pair), pairs),
        "receipt": time_per_call(lambda pair: receipts.issue(parts, pair[0], pair[1], skipped), pairs),
        "full_in_process": time_per_call(full, bodies, budget_s=1.0),
        # As the route runs it: the full check (what applies, what is missing), then the least
        # the answers so far are sure to lead to.
        "progress_engine": time_per_call(lambda raw: minimum(ruleset, assess(ruleset, raw).typed), partials),
    }


def load_timings(rules_dir: Path, ruleset_dir: Path, repeat: int = 5) -> dict[str, float]:
    """Median seconds to load and check one rule set, and to build the whole catalog."""

    def cold(load: Callable[[], object]) -> Callable[[], object]:
        # As at start-up: parsed files are otherwise kept for the next load (reloads).
        def run() -> object:
            forget_parsed()
            return load()

        return run

    return {
        "load_ruleset_s": time_seconds(cold(lambda: load_ruleset(ruleset_dir)), repeat),
        "catalog_load_s": time_seconds(cold(lambda: Catalog.load(rules_dir)), repeat),
    }
