"""The generated function tests a gate's flag before a condition that needs an answer behind
that gate: what a condition needs (``required_answers``) must be sound, since a wrong guard
would silently turn a rule off."""

import itertools

import pytest

from app.engine import conditions as cond
from app.engine.answers import assess
from app.engine.codegen import RuleSpec, build_fast_screen, required_answers
from app.engine.golden import load_cases
from app.engine.questionnaire import Answers, AnswerValue, Question
from app.engine.ruleset import RuleSet
from app.engine.semantics import holds
from tests.rules.test_golden_cases import RULESETS

PAIN = cond.Leaf("pain", "equals", True)
HIP = cond.Leaf("site", "equals", "hip")
OLD = cond.Leaf("age", "gte", 65)
QUESTIONS = {
    "pain": Question("pain", "", "boolean", required=True),
    "site": Question("site", "", "single_choice", ("hip", "back"), required=True, enable_when=PAIN),
    "score": Question("score", "", "integer", min=0, max=10, enable_when=PAIN),
    "age": Question("age", "", "integer", min=0, max=120, required=True),
}
RULES = [
    RuleSpec("hip", "general_advice", False, HIP),
    RuleSpec("not_hip", "general_advice", False, cond.NotOf(HIP)),
    RuleSpec("no_score", "general_advice", False, cond.Leaf("score", "not_answered")),
    RuleSpec("back_or_old", "general_advice", False, cond.AnyOf((cond.Leaf("site", "not_equals", "hip"), OLD))),
    RuleSpec("high_score", "general_advice", False, cond.Leaf("score", "gte", 7)),
    RuleSpec("default", "general_advice", True, cond.Always()),
]


def test_a_leaf_needs_its_answer_except_not_answered() -> None:
    assert required_answers(HIP, {}) == {"site"}
    assert required_answers(cond.Leaf("site", "answered"), {}) == {"site"}
    assert required_answers(cond.Leaf("site", "not_answered"), {}) == frozenset()


def test_all_needs_what_any_part_needs_and_any_what_every_part_needs() -> None:
    assert required_answers(cond.AllOf((HIP, OLD)), {}) == {"site", "age"}
    assert required_answers(cond.AnyOf((HIP, OLD)), {}) == frozenset()
    assert required_answers(cond.AnyOf((HIP, cond.AllOf((HIP, OLD)))), {}) == {"site"}


def test_not_always_and_unknown_predicates_need_nothing() -> None:
    assert required_answers(cond.NotOf(HIP), {}) == frozenset()
    assert required_answers(cond.NotOf(cond.Leaf("site", "not_answered")), {}) == frozenset()
    assert required_answers(cond.Always(), {}) == frozenset()
    assert required_answers(cond.PredicateRef("hip_pain"), {}) == frozenset()
    assert required_answers(cond.PredicateRef("hip_pain"), {"hip_pain": frozenset({"site"})}) == {"site"}


def test_only_conditions_that_need_a_gated_answer_test_its_gate() -> None:
    source = build_fast_screen(QUESTIONS, {}, [], RULES, [], [], "guards").__source__  # type: ignore[attr-defined]
    assert "    if (shown_site and (a_site == 'hip')):" in source
    # "not" and "not_answered" hold while the gate is shut: no guard in front of them.
    assert "    if (not (shown_site and (a_site == 'hip'))):" in source
    assert "    if (a_score is None):" in source
    # Only the part of an "any" that needs the gated answer is guarded; a required answer
    # behind an open gate needs no test for None, an optional one still does.
    assert "    if ((shown_site and (a_site != 'hip')) or (a_age >= 65)):" in source
    assert "    if (shown_site and (a_score is not None and a_score >= 7)):" in source


def _applicable(answers: Answers) -> Answers:
    """The answers that count: the gate "pain" hides the others when it is not True."""
    return {qid: value for qid, value in answers.items() if qid in ("pain", "age") or answers["pain"] is True}


@pytest.mark.parametrize(
    ("pain", "site", "score", "age"),
    list(itertools.product([True, False], ["hip", "back", None], [3, 7, None], [30, 70])),
)
def test_the_guarded_function_agrees_with_the_interpreter(
    pain: bool, site: str | None, score: int | None, age: int
) -> None:
    given: dict[str, AnswerValue | None] = {"pain": pain, "site": site, "score": score, "age": age}
    answers: Answers = {qid: value for qid, value in given.items() if value is not None}
    result = build_fast_screen(QUESTIONS, {}, [], RULES, [], [], "guards")(answers)
    if pain and site is None:
        assert result is None, "a required answer behind an open gate is missing"
        return
    assert result is not None
    expected = [i for i, rule in enumerate(RULES) if holds(rule.condition, _applicable(answers), QUESTIONS)]
    assert result[0] == expected


def test_a_catch_all_must_always_fire() -> None:
    rules = [RuleSpec("default", "general_advice", True, HIP)]
    with pytest.raises(ValueError, match="catch-all"):
        build_fast_screen(QUESTIONS, {}, [], rules, [], [], "guards")


@pytest.mark.parametrize("ruleset", list(RULESETS.values()), ids=list(RULESETS))
def test_what_a_shipped_condition_needs_it_cannot_hold_without(ruleset: RuleSet) -> None:
    """Take each answer a condition needs away from golden-case answers: the interpreter
    must then find the condition false."""
    needs: dict[str, frozenset[str]] = {}
    for name in ruleset.predicate_order:
        needs[name] = required_answers(ruleset.predicates[name], needs)
    conditions = [
        *ruleset.predicates.values(),
        *(rule.condition for rule in ruleset.rules),
        *(part for finding in ruleset.findings for part in (finding.some_condition, finding.marked_condition)),
        *(question.enable_when for question in ruleset.questions.values() if question.enable_when is not None),
    ]
    checked = 0
    for _, _, raw in load_cases(ruleset)[::25]:
        answers = assess(ruleset, raw).answers
        for condition in conditions:
            for qid in required_answers(condition, needs):
                without = {k: v for k, v in answers.items() if k != qid}
                assert not holds(condition, without, ruleset.questions, ruleset.predicates), (condition, qid)
                checked += 1
    assert checked > 1000
