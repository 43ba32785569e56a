"""Every shipped golden case gives its expected result, and every rule fires in some case."""

import pytest

from app.engine.golden import load_cases, rules_never_fired, run_case, run_cases
from app.engine.levels import LEVEL_IDS
from app.engine.ruleset import RuleSet
from tests.support.rulesets import shipped_rulesets

RULESETS = shipped_rulesets()
CASES = [
    pytest.param(ruleset, file, case, answers, id=f"{ruleset.id}::{file}::{case.name}")
    for ruleset in RULESETS.values()
    for file, case, answers in load_cases(ruleset)
]


@pytest.mark.parametrize(("ruleset", "file", "case", "answers"), CASES)
def test_golden_case(ruleset: RuleSet, file, case, answers) -> None:
    result = run_case(ruleset, file, case, answers)
    assert result.passed, "\n".join(result.failures)


@pytest.mark.parametrize("ruleset", list(RULESETS.values()), ids=list(RULESETS))
def test_every_rule_fires_in_some_case(ruleset: RuleSet) -> None:
    assert rules_never_fired(ruleset, run_cases(ruleset)) == []


@pytest.mark.parametrize("ruleset", list(RULESETS.values()), ids=list(RULESETS))
def test_every_level_is_reached(ruleset: RuleSet) -> None:
    reached = {result.evaluation.level.value for result in run_cases(ruleset) if result.evaluation}
    assert reached == set(LEVEL_IDS)


def test_coverage_check_notices_a_rule_no_case_fires(ruleset: RuleSet) -> None:
    results = [r for r in run_cases(ruleset) if "E06_URINARY_RETENTION" not in {x.id for x in r.evaluation.fired}]  # type: ignore[union-attr]
    assert rules_never_fired(ruleset, results) == ["E06_URINARY_RETENTION"]
