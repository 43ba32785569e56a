"""Condition semantics, table-driven, on the questions of the minimal fixture rule set."""

import json
from collections.abc import Callable
from typing import Any

import pytest

from app.engine import conditions as cond
from app.engine.evaluator import evaluate
from app.engine.questionnaire import Answers
from app.engine.ruleset import RuleSet
from app.engine.semantics import holds

# Minimal fixture questions: pain_present boolean; age_years integer 0..120; pain_level scale
# 0..10; pain_side single_choice [left, right, both] (unordered); leak_frequency single_choice
# on the ordered set [never, monthly, weekly, daily]; symptom_list multi_choice
# [numbness, weakness, tingling, none] with 'none' exclusive.

Case = tuple[str, str, Any, Any, bool]  # question, op, value, answer, expected
CASES: list[Case] = [
    # boolean
    ("pain_present", "equals", True, True, True),
    ("pain_present", "equals", True, False, False),
    ("pain_present", "equals", False, False, True),
    ("pain_present", "not_equals", True, False, True),
    ("pain_present", "not_equals", True, True, False),
    ("pain_present", "answered", None, False, True),
    ("pain_present", "not_answered", None, False, False),
    # unordered single choice
    ("pain_side", "equals", "left", "left", True),
    ("pain_side", "equals", "left", "right", False),
    ("pain_side", "not_equals", "left", "right", True),
    ("pain_side", "not_equals", "left", "left", False),
    ("pain_side", "in", ["left", "both"], "both", True),
    ("pain_side", "in", ["left", "both"], "right", False),
    ("pain_side", "not_in", ["left", "both"], "right", True),
    ("pain_side", "not_in", ["left", "both"], "left", False),
    ("pain_side", "answered", None, "left", True),
    ("pain_side", "not_answered", None, "left", False),
    # ordered single choice: by position (never < monthly < weekly < daily), not alphabetically
    ("leak_frequency", "equals", "weekly", "weekly", True),
    ("leak_frequency", "equals", "weekly", "daily", False),
    ("leak_frequency", "not_equals", "weekly", "daily", True),
    ("leak_frequency", "not_equals", "weekly", "weekly", False),
    ("leak_frequency", "in", ["weekly", "daily"], "daily", True),
    ("leak_frequency", "in", ["weekly", "daily"], "never", False),
    ("leak_frequency", "not_in", ["weekly", "daily"], "never", True),
    ("leak_frequency", "not_in", ["weekly", "daily"], "weekly", False),
    ("leak_frequency", "gt", "monthly", "weekly", True),
    ("leak_frequency", "gt", "monthly", "monthly", False),
    ("leak_frequency", "gt", "monthly", "never", False),
    ("leak_frequency", "gte", "weekly", "weekly", True),
    ("leak_frequency", "gte", "weekly", "daily", True),  # "daily" < "weekly" as strings
    ("leak_frequency", "gte", "weekly", "monthly", False),
    ("leak_frequency", "lt", "weekly", "monthly", True),
    ("leak_frequency", "lt", "weekly", "weekly", False),
    ("leak_frequency", "lt", "weekly", "daily", False),
    ("leak_frequency", "lte", "monthly", "never", True),  # "never" > "monthly" as strings
    ("leak_frequency", "lte", "monthly", "monthly", True),
    ("leak_frequency", "lte", "monthly", "weekly", False),
    ("leak_frequency", "answered", None, "never", True),
    ("leak_frequency", "not_answered", None, "never", False),
    # multi choice
    ("symptom_list", "contains", "numbness", ["numbness", "weakness"], True),
    ("symptom_list", "contains", "numbness", ["weakness"], False),
    ("symptom_list", "not_contains", "numbness", ["weakness"], True),
    ("symptom_list", "not_contains", "numbness", ["numbness"], False),
    ("symptom_list", "contains_any", ["numbness", "tingling"], ["tingling"], True),
    ("symptom_list", "contains_any", ["numbness", "tingling"], ["weakness"], False),
    ("symptom_list", "contains_all", ["numbness", "tingling"], ["numbness", "tingling", "weakness"], True),
    ("symptom_list", "contains_all", ["numbness", "tingling"], ["numbness"], False),
    ("symptom_list", "count_gte", 1, ["weakness"], True),
    ("symptom_list", "count_gte", 1, ["none"], False),  # exclusive options are not counted
    ("symptom_list", "count_gte", 2, ["numbness", "weakness"], True),
    ("symptom_list", "count_gte", 2, ["numbness"], False),
    ("symptom_list", "count_gte", 0, ["none"], True),
    ("symptom_list", "count_lte", 0, ["none"], True),
    ("symptom_list", "count_lte", 0, ["weakness"], False),
    ("symptom_list", "count_lte", 1, ["weakness"], True),
    ("symptom_list", "count_lte", 1, ["numbness", "weakness"], False),
    ("symptom_list", "answered", None, ["none"], True),
    ("symptom_list", "not_answered", None, ["none"], False),
    # scale
    ("pain_level", "equals", 5, 5, True),
    ("pain_level", "equals", 5, 6, False),
    ("pain_level", "not_equals", 5, 6, True),
    ("pain_level", "not_equals", 5, 5, False),
    ("pain_level", "in", [1, 2], 2, True),
    ("pain_level", "in", [1, 2], 3, False),
    ("pain_level", "not_in", [1, 2], 3, True),
    ("pain_level", "not_in", [1, 2], 1, False),
    ("pain_level", "gt", 5, 6, True),
    ("pain_level", "gt", 5, 5, False),
    ("pain_level", "gte", 5, 5, True),
    ("pain_level", "gte", 5, 4, False),
    ("pain_level", "lt", 5, 4, True),
    ("pain_level", "lt", 5, 5, False),
    ("pain_level", "lte", 5, 5, True),
    ("pain_level", "lte", 5, 6, False),
    ("pain_level", "answered", None, 0, True),
    ("pain_level", "not_answered", None, 0, False),
    # integer
    ("age_years", "equals", 40, 40, True),
    ("age_years", "equals", 40, 41, False),
    ("age_years", "not_equals", 40, 41, True),
    ("age_years", "not_equals", 40, 40, False),
    ("age_years", "in", [18, 19], 19, True),
    ("age_years", "in", [18, 19], 20, False),
    ("age_years", "not_in", [18, 19], 20, True),
    ("age_years", "not_in", [18, 19], 18, False),
    ("age_years", "gt", 64, 65, True),
    ("age_years", "gt", 64, 64, False),
    ("age_years", "gte", 65, 65, True),
    ("age_years", "gte", 65, 64, False),
    ("age_years", "lt", 18, 17, True),
    ("age_years", "lt", 18, 18, False),
    ("age_years", "lte", 18, 18, True),
    ("age_years", "lte", 18, 19, False),
    ("age_years", "answered", None, 0, True),
    ("age_years", "not_answered", None, 0, False),
]


def leaf_raw(question: str, op: str, value: Any) -> dict[str, Any]:
    raw: dict[str, Any] = {"question": question, "op": op}
    if op not in ("answered", "not_answered"):
        raw["value"] = value
    return raw


def typed(answer: Any) -> Any:
    return frozenset(answer) if isinstance(answer, list) else answer


def check(minimal: RuleSet, raw: dict[str, Any]) -> Callable[[Answers], bool]:
    """Parse and type-check every leaf against its question; evaluate by the definition."""
    condition = cond.parse(raw)
    for leaf in cond.leaves(condition):
        assert cond.type_problem(leaf, minimal.questions[leaf.question]) is None, leaf
    return lambda answers: holds(condition, answers, minimal.questions, minimal.predicates)


def case_id(case: Case) -> str:
    question, op, value, answer, expected = case
    return f"{question}-{op}-{value}-{answer}-{expected}"


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_operator(minimal: RuleSet, case: Case) -> None:
    question, op, value, answer, expected = case
    compiled = check(minimal, leaf_raw(question, op, value))
    answers: Answers = {question: typed(answer)}
    assert compiled(answers) is expected


UNANSWERED = sorted({(q, op, json.dumps(v)) for q, op, v, _, _ in CASES})


@pytest.mark.parametrize(("question", "op", "value_json"), UNANSWERED)
def test_unanswered_question_is_false_except_not_answered(
    minimal: RuleSet, question: str, op: str, value_json: str
) -> None:
    compiled = check(minimal, leaf_raw(question, op, json.loads(value_json)))
    # Other questions are answered, so only the absence of this one matters.
    others: Answers = {
        "pain_present": True,
        "age_years": 40,
        "pain_level": 5,
        "pain_side": "left",
        "leak_frequency": "weekly",
        "symptom_list": frozenset({"numbness"}),
    }
    others.pop(question)
    assert compiled(others) is (op == "not_answered")
    assert compiled({}) is (op == "not_answered")


def test_cases_cover_every_operator_with_true_and_false(minimal: RuleSet) -> None:
    for question in minimal.questions.values():
        allowed = set(cond.OPERATORS_BY_TYPE[question.type])
        if question.type == "single_choice" and question.ordered:
            allowed |= cond.ORDINAL_OPERATORS
        for expected in (True, False):
            # answered-false and not_answered-true need no answer: the unanswered test has them.
            needed = allowed - ({"not_answered"} if expected else {"answered"})
            covered = {op for q, op, _, _, result in CASES if q == question.id and result is expected}
            assert covered == needed, (question.id, expected, sorted(needed ^ covered))


def test_ordinal_operators_need_an_ordered_option_set(minimal: RuleSet) -> None:
    problem = cond.type_problem(cond.Leaf("pain_side", "gte", "left"), minimal.questions["pain_side"])
    assert problem is not None
    assert problem[0] == "operator_type_mismatch"
    assert cond.type_problem(cond.Leaf("leak_frequency", "gte", "weekly"), minimal.questions["leak_frequency"]) is None


LEAK_WEEKLY = {"question": "leak_frequency", "op": "gte", "value": "weekly"}
HAS_PAIN = {"question": "pain_present", "op": "equals", "value": True}
NUMB = {"question": "symptom_list", "op": "contains", "value": "numbness"}

COMBINATIONS: list[tuple[str, dict[str, Any], Answers, bool]] = [
    ("all-both-true", {"all": [LEAK_WEEKLY, HAS_PAIN]}, {"leak_frequency": "daily", "pain_present": True}, True),
    ("all-one-false", {"all": [LEAK_WEEKLY, HAS_PAIN]}, {"leak_frequency": "daily", "pain_present": False}, False),
    ("all-one-unanswered", {"all": [LEAK_WEEKLY, HAS_PAIN]}, {"leak_frequency": "daily"}, False),
    ("any-one-true", {"any": [LEAK_WEEKLY, HAS_PAIN]}, {"leak_frequency": "never", "pain_present": True}, True),
    ("any-none-true", {"any": [LEAK_WEEKLY, HAS_PAIN]}, {"leak_frequency": "never", "pain_present": False}, False),
    ("any-none-answered", {"any": [LEAK_WEEKLY, HAS_PAIN]}, {}, False),
    ("not-true", {"not": HAS_PAIN}, {"pain_present": True}, False),
    ("not-false", {"not": HAS_PAIN}, {"pain_present": False}, True),
    # A false leaf (here: unanswered) negated is true: 'not' does not restore "unknown".
    ("not-unanswered", {"not": HAS_PAIN}, {}, True),
    ("not-not", {"not": {"not": HAS_PAIN}}, {"pain_present": True}, True),
    (
        "nested-true",
        {"all": [{"any": [LEAK_WEEKLY, NUMB]}, {"not": HAS_PAIN}]},
        {"symptom_list": frozenset({"numbness"}), "pain_present": False},
        True,
    ),
    (
        "nested-false-by-not",
        {"all": [{"any": [LEAK_WEEKLY, NUMB]}, {"not": HAS_PAIN}]},
        {"symptom_list": frozenset({"numbness"}), "pain_present": True},
        False,
    ),
    (
        "nested-false-by-any",
        {"all": [{"any": [LEAK_WEEKLY, NUMB]}, {"not": HAS_PAIN}]},
        {"symptom_list": frozenset({"weakness"}), "leak_frequency": "monthly", "pain_present": False},
        False,
    ),
    ("predicate-true", {"predicate": "leaks_weekly"}, {"leak_frequency": "weekly"}, True),
    ("predicate-false", {"predicate": "leaks_weekly"}, {"leak_frequency": "monthly"}, False),
    ("predicate-unanswered", {"predicate": "leaks_weekly"}, {}, False),
    ("not-predicate", {"not": {"predicate": "leaks_weekly"}}, {"leak_frequency": "monthly"}, True),
    (
        "predicate-in-all",
        {"all": [{"predicate": "leaks_weekly"}, HAS_PAIN]},
        {"leak_frequency": "daily", "pain_present": False},
        False,
    ),
    ("always", {"always": True}, {}, True),
]


@pytest.mark.parametrize(
    ("raw", "answers", "expected"), [c[1:] for c in COMBINATIONS], ids=[c[0] for c in COMBINATIONS]
)
def test_combinators(minimal: RuleSet, raw: dict[str, Any], answers: Answers, expected: bool) -> None:
    assert check(minimal, raw)(answers) is expected


def test_rule_using_a_predicate_fires_through_the_loader(minimal: RuleSet) -> None:
    p01 = next(rule for rule in minimal.rules if rule.id == "P01")
    assert p01.questions == ("leak_frequency",)
    base: Answers = {"pain_present": False, "age_years": 30}
    assert p01 in evaluate(minimal, {**base, "leak_frequency": "daily"}).fired
    assert p01 not in evaluate(minimal, {**base, "leak_frequency": "monthly"}).fired
    assert p01 not in evaluate(minimal, base).fired


def test_nested_predicates_compile_and_evaluate(minimal: RuleSet) -> None:
    predicates = {
        "leaky": cond.parse(LEAK_WEEKLY),
        "leaky_or_numb": cond.parse({"any": [{"predicate": "leaky"}, NUMB]}),
    }
    top = cond.parse({"not": {"predicate": "leaky_or_numb"}})

    def check(answers: Answers) -> bool:
        return holds(top, answers, minimal.questions, predicates)

    assert check({"leak_frequency": "never", "symptom_list": frozenset({"weakness"})}) is True
    assert check({"leak_frequency": "daily"}) is False
    assert check({"symptom_list": frozenset({"numbness"})}) is False


def test_to_public_inlines_predicates() -> None:
    predicates = {
        "leaky": cond.parse(LEAK_WEEKLY),
        "leaky_or_numb": cond.parse({"any": [{"predicate": "leaky"}, NUMB]}),
    }
    condition = cond.parse(
        {
            "all": [
                {"predicate": "leaky_or_numb"},
                {"not": {"question": "pain_side", "op": "in", "value": ["left", "both"]}},
                {"question": "pain_level", "op": "answered"},
            ]
        }
    )
    public = cond.to_public(condition, predicates)
    assert public == {
        "all": [
            {"any": [LEAK_WEEKLY, NUMB]},
            {"not": {"question": "pain_side", "op": "in", "value": ["left", "both"]}},
            {"question": "pain_level", "op": "answered"},
        ]
    }
    assert "predicate" not in json.dumps(public)
    # Stands alone: parses back to the same tree with predicates expanded.
    assert not list(cond.predicate_refs(cond.parse(public)))


def test_to_public_of_always() -> None:
    assert cond.to_public(cond.Always(), {}) == {"always": True}


def test_to_public_of_every_loaded_condition_is_predicate_free(minimal: RuleSet) -> None:
    conditions = [rule.condition for rule in minimal.rules]
    conditions += [f.some_condition for f in minimal.findings] + [f.marked_condition for f in minimal.findings]
    for condition in conditions:
        public = cond.to_public(condition, minimal.predicates)
        assert "predicate" not in json.dumps(public)
    p01 = next(rule for rule in minimal.rules if rule.id == "P01")
    assert cond.to_public(p01.condition, minimal.predicates) == LEAK_WEEKLY


SYNTAX_ERRORS: list[tuple[str, Any, str]] = [
    ("not-a-mapping", ["all"], "condition"),
    ("empty-mapping", {}, "condition"),
    ("empty-all", {"all": []}, "condition"),
    ("all-not-a-list", {"all": HAS_PAIN}, "condition"),
    ("all-with-extra-key", {"all": [HAS_PAIN], "any": [HAS_PAIN]}, "condition"),
    ("not-with-extra-key", {"not": HAS_PAIN, "question": "x"}, "condition"),
    ("predicate-not-a-string", {"predicate": 3}, "condition"),
    ("always-false", {"always": False}, "condition"),
    ("always-string", {"always": "true"}, "condition"),
    ("leaf-unknown-key", {"question": "pain_present", "op": "equals", "value": True, "when": 1}, "condition"),
    ("leaf-question-not-string", {"question": 1, "op": "answered"}, "condition"),
    ("unknown-operator", {"question": "pain_present", "op": "is"}, "condition"),
    ("answered-with-value", {"question": "pain_present", "op": "answered", "value": True}, "condition"),
    ("equals-without-value", {"question": "pain_present", "op": "equals"}, "condition"),
    ("nested-path", {"all": [HAS_PAIN, {"not": {"op": "equals"}}]}, "all[1].not"),
    ("nested-any-path", {"any": [{"all": [HAS_PAIN, 3]}]}, "any[0].all[1]"),
]


@pytest.mark.parametrize(("raw", "path"), [c[1:] for c in SYNTAX_ERRORS], ids=[c[0] for c in SYNTAX_ERRORS])
def test_parse_rejects_malformed_conditions(raw: Any, path: str) -> None:
    with pytest.raises(cond.ConditionSyntaxError) as excinfo:
        cond.parse(raw)
    assert excinfo.value.path == path


@pytest.mark.parametrize("op", [["equals"], {"equals": 1}])
def test_parse_rejects_unhashable_operator(op: Any) -> None:
    with pytest.raises(cond.ConditionSyntaxError):
        cond.parse({"question": "pain_present", "op": op, "value": True})


VALUE_PROBLEMS: list[tuple[str, str, Any, str]] = [
    ("pain_present", "equals", "yes", "value_type_mismatch"),
    ("pain_present", "equals", 1, "value_type_mismatch"),
    ("pain_level", "gte", 5.5, "value_type_mismatch"),
    ("pain_level", "equals", True, "value_type_mismatch"),
    ("pain_level", "in", 5, "value_type_mismatch"),
    ("pain_level", "in", (), "value_type_mismatch"),
    ("pain_side", "equals", "middle", "unknown_option"),
    ("pain_side", "in", ("left", "middle"), "unknown_option"),
    ("pain_side", "equals", 1, "value_type_mismatch"),
    ("symptom_list", "count_gte", -1, "value_type_mismatch"),
    ("symptom_list", "count_gte", True, "value_type_mismatch"),
    ("symptom_list", "contains", "fever", "unknown_option"),
    ("symptom_list", "equals", "none", "operator_type_mismatch"),
    ("pain_present", "gt", True, "operator_type_mismatch"),
    ("pain_level", "contains", 1, "operator_type_mismatch"),
]


@pytest.mark.parametrize(("question", "op", "value", "code"), VALUE_PROBLEMS)
def test_type_problem(minimal: RuleSet, question: str, op: str, value: Any, code: str) -> None:
    problem = cond.type_problem(cond.Leaf(question, op, value), minimal.questions[question])
    assert problem is not None
    assert problem[0] == code
