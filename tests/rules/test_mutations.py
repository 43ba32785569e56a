"""Safety mutation test: weakening any emergency or urgent rule makes a golden case fail."""

import pytest

from app.engine.golden import load_cases, run_case
from app.engine.levels import Level
from app.engine.mutations import mutants
from tests.rules.test_golden_cases import RULESETS

URGENT = frozenset({Level.EMERGENCY, Level.URGENT_SAME_DAY})


@pytest.mark.parametrize("ruleset", list(RULESETS.values()), ids=list(RULESETS))
def test_every_urgent_rule_mutant_is_killed(ruleset) -> None:
    # Only cases that pass on the real rules can tell a mutant apart (failures are reported
    # by the golden-case tests themselves).
    cases = [c for c in load_cases(ruleset) if run_case(ruleset, *c).passed]
    survivors = [
        mutant.description
        for mutant in mutants(ruleset, URGENT)
        if all(run_case(mutant.ruleset, file, case, answers).passed for file, case, answers in cases)
    ]
    assert survivors == [], "golden cases do not notice these weakened rules"


def test_mutants_cover_each_kind_of_weakening(ruleset) -> None:
    descriptions = [m.description for m in mutants(ruleset, URGENT)]
    assert any(d.endswith(": deleted") for d in descriptions)
    assert any("level lowered" in d for d in descriptions)
    assert any("any-branch dropped" in d for d in descriptions)


def test_a_weak_suite_lets_a_mutant_survive(ruleset) -> None:
    weak_suite = [
        (file, case, answers)
        for file, case, answers in load_cases(ruleset)
        if "E06_URINARY_RETENTION" not in (case.expect.fired or []) and run_case(ruleset, file, case, answers).passed
    ]
    deleted = next(m for m in mutants(ruleset, URGENT) if m.description == "E06_URINARY_RETENTION: deleted")
    assert all(run_case(deleted.ruleset, file, case, answers).passed for file, case, answers in weak_suite)
