"""The safety gate a reload passes before it serves: its own golden cases, and every golden case
served since start-up, which it must not lower (start-up itself only loads: CI runs the cases)."""

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from app.api.catalog import Catalog, Floor
from app.engine.errors import AnswersError, RuleSetError
from app.engine.evaluator import screen
from app.engine.golden import cases_in, load_cases, rules_never_fired, run_case
from app.engine.levels import Level
from app.engine.ruleset import RuleSet

# Why a candidate was refused: a closed set, so it can label a metric.
INVALID = "invalid"
GOLDEN_CASES_FAIL = "golden_cases_fail"
CHANGED_WITHOUT_VERSION = "changed_without_version"
RULESET_REMOVED = "ruleset_removed"
LOWERS_SERVED_CASE = "lowers_served_case"
SERVED_CASE_REJECTED = "served_case_rejected"
ERROR = "error"
REASONS = (
    INVALID,
    GOLDEN_CASES_FAIL,
    CHANGED_WITHOUT_VERSION,
    RULESET_REMOVED,
    LOWERS_SERVED_CASE,
    SERVED_CASE_REJECTED,
    ERROR,
)


class GateRefused(Exception):
    """The candidate must not serve; ``reason`` is one of REASONS, the message says why."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def checked_catalog(rules_dir: Path) -> Catalog:
    """The rule sets in ``rules_dir``, only if every golden case passes and every rule fires;
    the catalog keeps each case as a floor that later reloads must not go below."""
    try:
        catalog = Catalog.load(rules_dir)
    except RuleSetError as exc:
        raise GateRefused(INVALID, str(exc)) from None  # names the file, the id and the first problem
    floors: dict[str, tuple[Floor, ...]] = {}
    for ruleset in catalog.rulesets.values():
        floors[ruleset.id] = _merged(_own_cases(ruleset), ())
    return replace(catalog, floors=floors)


def _own_cases(ruleset: RuleSet) -> tuple[Floor, ...]:
    try:
        cases = load_cases(ruleset)
        # The served code's levels are what the gate guards; CI cross-checks the interpreter.
        results = [run_case(ruleset, *case, cross_check=False) for case in cases]
    except (RuleSetError, ValueError) as exc:
        raise GateRefused(GOLDEN_CASES_FAIL, f"{ruleset.id}: golden cases cannot run: {exc}") from None
    failed = [result.label for result in results if not result.passed]
    if failed:
        raise GateRefused(
            GOLDEN_CASES_FAIL, f"{ruleset.id} {ruleset.version}: {len(failed)} golden cases fail, first {failed[0]}"
        )
    unfired = rules_never_fired(ruleset, results)
    if unfired:
        raise GateRefused(
            GOLDEN_CASES_FAIL, f"{ruleset.id} {ruleset.version}: rules no golden case fires: {', '.join(unfired)}"
        )
    # A passed case got exactly its expected level.
    return tuple(
        Floor.of(r.label, answers, r.evaluation.level)
        for r, (_, _, answers) in zip(results, cases, strict=True)
        if r.evaluation
    )


def no_weaker_than(served: Catalog, candidate: Catalog) -> Catalog:
    """``candidate`` if it may replace ``served`` by a reload, holding the floors of both.

    Refused: a served rule set missing, the same version with other content, or any served
    golden case (of this or an earlier reload) screened to a lower level or not at all. A
    deliberate lowering ships as a new version with a restart."""
    floors: dict[str, tuple[Floor, ...]] = dict(candidate.floors)
    for old in served.rulesets.values():
        new = candidate.rulesets.get(old.id)
        if new is None:
            raise GateRefused(RULESET_REMOVED, f"{old.id}: the served rule set is no longer there")
        if new.version == old.version and new.sha256 != old.sha256:
            raise GateRefused(
                CHANGED_WITHOUT_VERSION,
                f"{old.id} {old.version}: content differs from the served rule set of the same version",
            )
        served_floors = _served_floors(served, old)
        _hold(new, served_floors, old.version)
        floors[old.id] = _merged(floors.get(old.id, ()), served_floors)
    return replace(candidate, floors=floors)


def _served_floors(served: Catalog, ruleset: RuleSet) -> tuple[Floor, ...]:
    """The floors a reload settled, else (the catalog of start-up) the golden cases as read at
    start-up, at the levels they expect: what that version promised, whatever is on disk now."""
    settled = served.floors.get(ruleset.id)
    if settled is not None:
        return settled
    try:
        floors = tuple(
            Floor.of(f"{file}::{case.name}", answers, Level(case.expect.level))
            for path, content in served.case_files.get(ruleset.id, ())
            for file, case, answers in cases_in(path, content)
        )
    except ValueError as exc:
        raise GateRefused(
            GOLDEN_CASES_FAIL, f"{ruleset.id} {ruleset.version}: the served golden cases cannot be read: {exc}"
        ) from None
    return _merged(floors, ())


def _hold(ruleset: RuleSet, floors: Iterable[Floor], served_version: str) -> None:
    for floor in floors:
        try:
            level = screen(ruleset, floor.answers).level
        except AnswersError as exc:
            codes = ", ".join(sorted({issue.code for issue in exc.issues}))
            raise GateRefused(
                SERVED_CASE_REJECTED,
                f"{ruleset.id} {ruleset.version}: golden case {floor.label} served under {served_version} "
                f"cannot be screened ({codes}); ship it with a restart",
            ) from None
        if level < floor.level:
            raise GateRefused(
                LOWERS_SERVED_CASE,
                f"{ruleset.id} {ruleset.version}: golden case {floor.label} served under {served_version} "
                f"drops from {floor.level.value} to {level.value}; a lowering ships as a new version with a restart",
            )


def _merged(new: tuple[Floor, ...], old: tuple[Floor, ...]) -> tuple[Floor, ...]:
    """Both sets of floors, one per answer set, at the higher level: a case a later version
    drops still holds until a restart."""
    by_answers: dict[str, Floor] = {}
    for floor in (*new, *old):
        kept = by_answers.get(floor.key)
        if kept is None or floor.level > kept.level:
            by_answers[floor.key] = floor
    return tuple(by_answers.values())
