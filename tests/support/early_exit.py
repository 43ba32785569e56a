"""Answers up to the red flag, in process: a client asking one question at a time, in the
service's order, that stops as soon as an emergency is certain (what /progress calls
``should_stop``). Used to build partial answer sets, e.g. in-progress QuestionnaireResponses."""

from collections.abc import Mapping
from dataclasses import dataclass

from app.engine.answers import assess
from app.engine.golden import load_cases
from app.engine.levels import Level
from app.engine.questionnaire import Question
from app.engine.ruleset import RuleSet
from app.engine.semantics import minimum

# "Nothing of this", first match wins.
_NEGATIVE_OPTIONS = ("no", "none", "none_of_these", "never", "not_at_all")


def most_negative(question: Question) -> object:
    """The answer that says "nothing of this": no, none, false, the smallest number."""
    if question.type == "boolean":
        return False
    if question.is_numeric:
        return question.min if question.min is not None else 0
    for option in _NEGATIVE_OPTIONS:
        if option in question.options:
            return [option] if question.type == "multi_choice" else option
    return [question.options[0]] if question.type == "multi_choice" else question.options[0]


@dataclass(frozen=True)
class Stop:
    """Where the walk stopped: the answers given and the questions passed over, in the order
    they were asked."""

    given: dict[str, object]
    skipped: tuple[str, ...]
    asked: tuple[str, ...]


def answers_to_stop(ruleset: RuleSet, answers: Mapping[str, object]) -> Stop | None:
    """Walk the questionnaire as a one-question-at-a-time client would: the next question is
    the first that applies (``assess(...).applicable``) and is neither answered nor skipped;
    answer it from ``answers`` if they have it, else with the most negative answer when it is
    required, else skip it. Stop as soon as the minimum of what was given is an emergency;
    None when the questions run out first."""
    given: dict[str, object] = {}
    skipped: list[str] = []
    asked: list[str] = []
    while True:
        state = assess(ruleset, given)
        if state.issues:
            raise ValueError(f"invalid answers on the way: {state.issues}")
        if minimum(ruleset, state.typed, skipped).should_stop:
            return Stop(dict(given), tuple(skipped), tuple(asked))
        pending = [qid for qid in state.applicable if qid not in given and qid not in skipped]
        if not pending:
            return None
        question = ruleset.questions[pending[0]]
        asked.append(question.id)
        if question.id in answers:
            given[question.id] = answers[question.id]
        elif question.required:
            given[question.id] = most_negative(question)
        else:
            skipped.append(question.id)


def emergency_cases(ruleset: RuleSet) -> list[tuple[str, dict[str, object]]]:
    """Every golden case that expects an emergency, as (file::case name, answers). Read from
    the files, not screened: tests parametrized by them are collected at once, and the
    golden-case tests hold every case to its expected level."""
    return [
        (f"{file}::{case.name}", answers)
        for file, case, answers in load_cases(ruleset)
        if case.expect.level == Level.EMERGENCY.value
    ]
