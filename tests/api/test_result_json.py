"""The screening JSON joined from pre-serialised pieces equals the model's own serialisation."""

import pytest

from app.engine.errors import AnswersError
from app.engine.evaluator import screen
from app.engine.golden import load_cases
from app.schemas.screening import ResultParts, ScreeningResult
from tests.rules.test_golden_cases import RULESETS


@pytest.mark.parametrize("ruleset", list(RULESETS.values()), ids=list(RULESETS))
def test_joined_json_equals_model_serialisation_for_every_case_language_and_country(ruleset) -> None:
    evaluations = []
    for _file, _case, answers in load_cases(ruleset):
        try:
            evaluations.append((screen(ruleset, answers), answers))
        except AnswersError:
            continue
    assert evaluations
    for language, country in ruleset.texts:
        parts = ResultParts.render(ruleset, language, country)
        for evaluation, answers in evaluations:
            joined = parts.to_json(evaluation, answers)
            assert joined == parts.assemble(evaluation, answers).model_dump_json().encode()
            # and it is a valid result by the public schema
            ScreeningResult.model_validate_json(joined)
