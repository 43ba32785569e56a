"""Safety mutation test: weakening any emergency or urgent rule makes a golden case fail."""

from functools import cache

import pytest

from app.engine.golden import load_cases, run_case
from app.engine.levels import Level
from app.engine.model import GoldenCase
from app.engine.mutations import Mutant, mutants
from app.engine.ruleset import RuleSet
from tests.support.rulesets import shipped_rulesets

# Building a mutant compiles its rule set (about 40 ms; some 480 mutants): built once, shared.
pytestmark = pytest.mark.slow

URGENT = frozenset({Level.EMERGENCY, Level.URGENT_SAME_DAY})
RULESETS = shipped_rulesets()
Case = tuple[str, GoldenCase, dict[str, object]]


@cache
def _urgent_mutants(ruleset_id: str) -> tuple[Mutant, ...]:
    return tuple(mutants(RULESETS[ruleset_id], URGENT))


def _killers_first(cases: list[Case], mutant: Mutant) -> list[Case]:
    """The cases that expect the mutated rule to fire first: one of them nearly always kills
    the mutant, so the others rarely run. The order only saves time; every case still counts."""
    rule_id = mutant.description.split(":", 1)[0]
    return sorted(cases, key=lambda c: rule_id not in (c[1].expect.fired or ()))


@pytest.mark.parametrize("ruleset", list(RULESETS.values()), ids=list(RULESETS))
def test_every_urgent_rule_mutant_is_killed(ruleset: RuleSet) -> None:
    # Only cases that pass on the real rules can tell a mutant apart (failures are reported
    # by the golden-case tests themselves).
    cases = [c for c in load_cases(ruleset) if run_case(ruleset, *c).passed]
    survivors = [
        mutant.description
        for mutant in _urgent_mutants(ruleset.id)
        if all(run_case(mutant.ruleset, *case).passed for case in _killers_first(cases, mutant))
    ]
    assert survivors == [], "golden cases do not notice these weakened rules"


def test_mutants_cover_each_kind_of_weakening(ruleset: RuleSet) -> None:
    descriptions = [m.description for m in _urgent_mutants(ruleset.id)]
    assert any(d.endswith(": deleted") for d in descriptions)
    assert any("level lowered" in d for d in descriptions)
    assert any("any-branch dropped" in d for d in descriptions)


def test_a_weak_suite_lets_a_mutant_survive(ruleset: RuleSet) -> None:
    weak_suite = [
        (file, case, answers)
        for file, case, answers in load_cases(ruleset)
        if "E06_URINARY_RETENTION" not in (case.expect.fired or []) and run_case(ruleset, file, case, answers).passed
    ]
    deleted = next(m for m in _urgent_mutants(ruleset.id) if m.description == "E06_URINARY_RETENTION: deleted")
    assert all(run_case(deleted.ruleset, file, case, answers).passed for file, case, answers in weak_suite)
