"""The answer check (assess) on the minimal fixture: strict types, safe error details, skip logic."""

import math
from typing import Any

import pytest

from app.engine.answers import SUGGESTED_UNKNOWN_KEYS, TOO_MANY_ANSWERS, Assessment, assess, missing_issues
from app.engine.errors import AnswerIssue, AnswersError
from app.engine.evaluator import screen
from app.engine.ruleset import RuleSet

# Every question answered validly (pain_level applies because pain_present is true).
VALID: dict[str, Any] = {
    "pain_present": True,
    "age_years": 40,
    "pain_level": 3,
    "pain_side": "left",
    "leak_frequency": "weekly",
    "symptom_list": ["numbness", "tingling"],
}
PROBE = "probe-value-do-not-echo"  # a submitted value that must never come back


def check_answers(ruleset: RuleSet, raw: dict[str, Any]) -> Assessment:
    """The check a screening runs when its fast path defers: every issue raised at once."""
    assessment = assess(ruleset, raw)
    issues = [*assessment.issues, *missing_issues(assessment.missing_required)]
    if issues:
        raise AnswersError(issues)
    return assessment


def issues_of(minimal: RuleSet, raw: dict[str, Any]) -> list[AnswerIssue]:
    with pytest.raises(AnswersError) as excinfo:
        check_answers(minimal, raw)
    assert excinfo.value.issues
    return excinfo.value.issues


def only_issue(minimal: RuleSet, raw: dict[str, Any]) -> AnswerIssue:
    issues = issues_of(minimal, raw)
    assert len(issues) == 1, issues
    return issues[0]


def test_valid_answers_are_typed(minimal: RuleSet) -> None:
    checked = check_answers(minimal, VALID)
    assert isinstance(checked, Assessment)
    assert checked.ignored == ()
    assert checked.answers == {**VALID, "symptom_list": frozenset({"numbness", "tingling"})}


def test_unknown_id_like_question(minimal: RuleSet) -> None:
    # The submitted key is never repeated back, not even in the pointer; the hint names our id.
    issue = only_issue(minimal, {**VALID, "pain_presnt": True})
    assert issue.code == "unknown_question"
    assert issue.pointer == "#/answers"
    assert "pain_presnt" not in issue.detail
    assert "'pain_present'" in issue.detail


def test_only_the_first_few_unknown_keys_get_a_hint(minimal: RuleSet) -> None:
    """A "did you mean" search is the costly part of an unknown key: a body of many near-miss
    keys gets an issue and a hint for the first few only, the rest one issue together
    (bounded work and a bounded reply)."""
    many = len(minimal.questions) + SUGGESTED_UNKNOWN_KEYS  # as many keys as are taken at all
    near_misses = {f"pain_presnt{i}": True for i in range(many)}
    with pytest.raises(AnswersError) as caught:
        check_answers(minimal, near_misses)
    unknown = [issue for issue in caught.value.issues if issue.code == "unknown_question"]
    assert len(unknown) == SUGGESTED_UNKNOWN_KEYS + 1
    assert all("did you mean" in issue.detail for issue in unknown[:-1])
    assert unknown[-1].detail.startswith(f"{many - SUGGESTED_UNKNOWN_KEYS} more answer keys")


def test_more_keys_than_questions_is_one_issue_and_no_further_work(minimal: RuleSet) -> None:
    """No answer set can have more keys than the questionnaire has questions: such a body gets
    a single issue at once, however many keys it holds (bounded work and a bounded reply)."""
    raw = {**VALID, **{f"pain_presnt{i}": True for i in range(2000)}}
    issue = only_issue(minimal, raw)
    assert (issue.code, issue.pointer) == (TOO_MANY_ANSWERS, "#/answers")
    assert str(len(minimal.questions)) in issue.detail and "pain_presnt" not in issue.detail
    assert assess(minimal, raw).issues == (issue,)
    # Every question answered plus a few typos is still checked key by key.
    typos = {f"pain_presnt{i}": True for i in range(SUGGESTED_UNKNOWN_KEYS)}
    assert {i.code for i in issues_of(minimal, {**VALID, **typos})} == {"unknown_question"}
    assert only_issue(minimal, {**VALID, **typos, "pain_presnt": True}).code == TOO_MANY_ANSWERS


@pytest.mark.parametrize(
    "key",
    [
        "Pain Present",
        "PAIN_PRESENT",
        "../../etc/passwd",
        "a/b~c",
        "<script>alert(1)</script>",
        "9lives",
        "p" * 65,
        "pain-present",
        "ünïcode",
    ],
)
def test_unknown_non_id_key_is_not_echoed(minimal: RuleSet, key: str) -> None:
    issue = only_issue(minimal, {**VALID, key: PROBE})
    assert issue.code == "unknown_question"
    assert issue.pointer == "#/answers"
    assert key not in issue.detail
    assert PROBE not in issue.detail
    assert "did you mean" not in issue.detail  # no hint for keys that are not id-like


@pytest.mark.parametrize(
    ("question", "value"),
    [
        ("pain_present", PROBE),
        ("age_years", PROBE),
        ("pain_side", PROBE),
        ("symptom_list", [PROBE]),
        ("symptom_list", PROBE),
    ],
)
def test_invalid_values_are_not_echoed(minimal: RuleSet, question: str, value: Any) -> None:
    issue = only_issue(minimal, {**VALID, question: value})
    assert issue.pointer == f"#/answers/{question}"
    assert question in issue.detail
    assert PROBE not in issue.detail


@pytest.mark.parametrize("value", ["no", 0, "off", 1, "true", "false", None, [True]])
def test_boolean_takes_only_json_booleans(minimal: RuleSet, value: Any) -> None:
    issue = only_issue(minimal, {**VALID, "pain_present": value})
    assert (issue.code, issue.pointer) == ("invalid_type", "#/answers/pain_present")


@pytest.mark.parametrize("value", [True, False])
def test_boolean_accepts_true_and_false(minimal: RuleSet, value: bool) -> None:
    checked = check_answers(minimal, {**VALID, "pain_present": value})
    assert checked.answers["pain_present"] is value


def test_integer_accepts_whole_float(minimal: RuleSet) -> None:
    checked = check_answers(minimal, {**VALID, "age_years": 8.0})
    value = checked.answers["age_years"]
    assert value == 8
    assert type(value) is int


@pytest.mark.parametrize("value", [8.5, "8", True, False, None, math.nan, math.inf, -math.inf, [8]])
def test_integer_rejects_non_whole_numbers(minimal: RuleSet, value: Any) -> None:
    issue = only_issue(minimal, {**VALID, "age_years": value})
    assert (issue.code, issue.pointer) == ("invalid_type", "#/answers/age_years")


@pytest.mark.parametrize(
    ("question", "value"),
    [("age_years", 0), ("age_years", 120), ("pain_level", 0), ("pain_level", 10), ("pain_level", 10.0)],
)
def test_numbers_at_the_bounds_are_accepted(minimal: RuleSet, question: str, value: Any) -> None:
    assert check_answers(minimal, {**VALID, question: value}).answers[question] == value


@pytest.mark.parametrize(
    ("question", "value"),
    [
        ("age_years", -1),
        ("age_years", 121),
        ("age_years", 10**30),
        ("age_years", 121.0),
        ("pain_level", 11),
        ("pain_level", -1),
    ],
)
def test_out_of_range(minimal: RuleSet, question: str, value: Any) -> None:
    issue = only_issue(minimal, {**VALID, question: value})
    assert (issue.code, issue.pointer) == ("out_of_range", f"#/answers/{question}")


@pytest.mark.parametrize(
    ("question", "value", "code"),
    [
        ("pain_side", "middle", "invalid_option"),
        ("pain_side", "LEFT", "invalid_option"),
        ("pain_side", " left", "invalid_option"),
        ("pain_side", ["left"], "invalid_type"),
        ("pain_side", 1, "invalid_type"),
        ("leak_frequency", "sometimes", "invalid_option"),
        ("symptom_list", ["numbness", "fever"], "invalid_option"),
        ("symptom_list", [], "invalid_option"),
        ("symptom_list", "numbness", "invalid_type"),
        ("symptom_list", ["numbness", 1], "invalid_type"),
        ("symptom_list", ["numbness", "numbness"], "duplicate_option"),
        ("symptom_list", ["none", "numbness"], "exclusive_option"),
        ("symptom_list", ["weakness", "none"], "exclusive_option"),
    ],
)
def test_choice_problems(minimal: RuleSet, question: str, value: Any, code: str) -> None:
    issue = only_issue(minimal, {**VALID, question: value})
    assert (issue.code, issue.pointer) == (code, f"#/answers/{question}")


def test_exclusive_option_alone_is_accepted(minimal: RuleSet) -> None:
    checked = check_answers(minimal, {**VALID, "symptom_list": ["none"]})
    assert checked.answers["symptom_list"] == frozenset({"none"})


def test_missing_required_lists_every_missing_applicable_id(minimal: RuleSet) -> None:
    # pain_level is required but does not apply while pain_present is unanswered.
    issues = issues_of(minimal, {})
    assert [(i.code, i.pointer) for i in issues] == [
        ("missing_required", "#/answers/pain_present"),
        ("missing_required", "#/answers/age_years"),
    ]
    issues = issues_of(minimal, {"pain_present": True})
    assert [(i.code, i.pointer) for i in issues] == [
        ("missing_required", "#/answers/age_years"),
        ("missing_required", "#/answers/pain_level"),
    ]
    assert all(i.pointer.rsplit("/", 1)[1] in i.detail for i in issues)


def test_required_question_hidden_by_skip_logic_is_not_missing(minimal: RuleSet) -> None:
    checked = check_answers(minimal, {"pain_present": False, "age_years": 40})
    assert checked.answers == {"pain_present": False, "age_years": 40}


def test_invalid_required_answer_is_not_also_missing(minimal: RuleSet) -> None:
    issues = issues_of(minimal, {"pain_present": "yes"})
    assert [(i.code, i.pointer) for i in issues] == [
        ("invalid_type", "#/answers/pain_present"),
        ("missing_required", "#/answers/age_years"),
    ]


def test_every_issue_is_reported_at_once(minimal: RuleSet) -> None:
    raw = {"pain_present": True, "pain_level": 11, "pain_side": "middle", "bogus_id": 1}
    issues = issues_of(minimal, raw)
    assert sorted((i.code, i.pointer) for i in issues) == sorted(
        [
            ("out_of_range", "#/answers/pain_level"),
            ("invalid_option", "#/answers/pain_side"),
            ("unknown_question", "#/answers"),
            ("missing_required", "#/answers/age_years"),
        ]
    )


def test_answers_to_hidden_questions_are_ignored_and_not_used(minimal: RuleSet) -> None:
    raw: dict[str, object] = {"pain_present": False, "age_years": 40, "pain_level": 9}
    checked = check_answers(minimal, raw)
    assert checked.ignored == ("pain_level",)
    assert "pain_level" not in checked.answers
    # Used, pain_level 9 would mark the hip and pelvic pain findings.
    evaluation = screen(minimal, raw)
    assert evaluation.ignored_answers == ("pain_level",)
    assert evaluation.findings["hip"] == "none"
    assert evaluation.findings["pf_pelvic_pain"] == "none"
    shown = screen(minimal, {**raw, "pain_present": True})
    assert shown.ignored_answers == ()
    assert shown.findings["hip"] == "marked"
    assert shown.findings["pf_pelvic_pain"] == "marked"
