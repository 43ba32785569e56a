"""Skip logic evaluates each distinct enable_when once (RuleSet.gate_sources): the same
standing as evaluating every enable_when afresh, on complete and on partial answers."""

from dataclasses import replace

import pytest

from app.engine.answers import assess
from app.engine.golden import load_cases
from app.engine.ruleset import RuleSet
from app.engine.semantics import stand
from tests.rules.test_golden_cases import RULESETS


@pytest.mark.parametrize("ruleset", list(RULESETS.values()), ids=list(RULESETS))
def test_reusing_a_gates_value_changes_no_standing(ruleset: RuleSet) -> None:
    # Each item its own source: every gate is evaluated.
    afresh = replace(ruleset, gate_sources={qid: qid for qid in ruleset.gate_sources})
    shared = [qid for qid, source in ruleset.gate_sources.items() if source != qid]
    assert shared, "the shipped rule set has gates with several detail items"
    order = list(ruleset.questions)
    compared = 0
    for _, _, raw in load_cases(ruleset)[::5]:
        typed = assess(ruleset, raw).typed
        # Complete, and cut after a third and two thirds of the questionnaire with the rest
        # still to come (what /progress asks about).
        for cut in (len(order), len(order) // 3, 2 * len(order) // 3):
            kept = {qid: value for qid, value in typed.items() if order.index(qid) < cut}
            may_answer = [qid for qid in order[cut:] if qid not in kept]
            assert stand(ruleset, kept, may_answer) == stand(afresh, kept, may_answer)
            compared += 1
    assert compared > 300
