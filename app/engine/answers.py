"""Validate submitted answers against a rule set and apply skip logic (``enable_when``).

Strict on purpose: booleans only as JSON booleans, options matched exactly, nothing coerced.
Error details name the question and what it accepts, never the submitted value.
"""

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from app.engine.errors import AnswerIssue
from app.engine.questionnaire import Answers, AnswerValue, Question
from app.engine.ruleset import RuleSet
from app.engine.semantics import stand
from app.engine.suggestions import suggest

_ID_LIKE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
SUGGESTED_UNKNOWN_KEYS = 3
"""How many unknown answer keys of one request get an issue of their own with a "did you mean"
hint; any more share one issue."""
TOO_MANY_ANSWERS = "too_many_answers"
"""The code of an answers object with more keys than the questionnaire has questions."""


def is_id_like(key: str) -> bool:
    """Ids look like ``rf_saddle_numbness``."""
    return bool(_ID_LIKE.match(key))


def answer_pointer(question_id: str) -> str:
    """JSON Pointer (RFC 6901) to the answer of one of our questions."""
    return "#/answers/" + question_id


@dataclass(frozen=True)
class Assessment:
    """Where a (possibly partial) answer set stands: what applies, what is still missing."""

    answers: Answers  # typed answers to questions that apply
    typed: Answers  # every valid answer, typed, before skip logic
    ignored: tuple[str, ...]  # answers to questions that do not apply
    applicable: tuple[str, ...]  # questions that apply now, in order
    missing_required: tuple[str, ...]  # required questions that apply and are unanswered, in order
    issues: tuple[AnswerIssue, ...]  # invalid answers (unknown ids, wrong types, bad options)


def assess(ruleset: RuleSet, raw: Mapping[str, object]) -> Assessment:
    """Type-check every answer and apply skip logic in questionnaire order; never raises.

    An answers object with more keys than the questionnaire could use (one per question, plus
    a few typos that still get their "did you mean") gets one ``too_many_answers`` issue and
    no further work: bounded work per request, and a bounded reply."""
    if len(raw) > len(ruleset.questions) + SUGGESTED_UNKNOWN_KEYS:
        detail = f"'answers' has more keys than this questionnaire has questions ({len(ruleset.questions)})"
        return Assessment({}, {}, (), (), (), (AnswerIssue(TOO_MANY_ANSWERS, detail, "#/answers"),))
    issues: list[AnswerIssue] = []
    unknown = 0
    typed: Answers = {}
    unusable: set[str] = set()
    accepts = ruleset.accepts
    for key, value in raw.items():
        accept = accepts.get(key)
        if accept is not None and accept(value):
            # Fast path for a valid answer; the full check below only runs to explain a problem.
            typed[key] = frozenset(value) if type(value) is list else value  # type: ignore[assignment]
            continue
        question = ruleset.questions.get(key)
        if question is None:
            # The key came from the client, so it is not repeated back (it could carry data).
            # A "did you mean" search costs about a millisecond: only the first few unknown
            # keys get an issue and a hint; the rest share one issue (bounded work and reply).
            unknown += 1
            if unknown <= SUGGESTED_UNKNOWN_KEYS:
                issues.append(AnswerIssue("unknown_question", _unknown_detail(key, ruleset), "#/answers"))
            continue
        issue = _type_issue(question, value)
        if issue is not None:
            issues.append(issue)
            unusable.add(key)
        else:
            typed[key] = _typed(question, value)
    if unknown > SUGGESTED_UNKNOWN_KEYS:
        more = f"{unknown - SUGGESTED_UNKNOWN_KEYS} more answer keys are not question ids of this questionnaire"
        issues.append(AnswerIssue("unknown_question", more, "#/answers"))
    # Skip logic by its definition: this path runs only when the fast function defers (a
    # problem to explain, or answers still to come), so it need not be fast.
    standing = stand(ruleset, typed, unusable=frozenset(unusable))
    return Assessment(
        standing.known.answers, typed, standing.ignored, standing.applicable, standing.missing_required, tuple(issues)
    )


def build_accepts(questions: Mapping[str, Question]) -> dict[str, Callable[[object], bool]]:
    """Per question, a quick test that an answer is valid as it stands (no conversion needed).
    It may say no to valid answers (such as 8.0 for 8); the full check then decides."""
    return {qid: _accept(question) for qid, question in questions.items()}


def _accept(question: Question) -> Callable[[object], bool]:
    if question.type == "boolean":
        return lambda value: type(value) is bool
    if question.is_numeric:
        low = question.min if question.min is not None else -(2**63)
        high = question.max if question.max is not None else 2**63
        return lambda value: type(value) is int and low <= value <= high
    options = frozenset(question.options)
    if question.type == "single_choice":
        return lambda value: type(value) is str and value in options
    exclusive = question.exclusive

    def accept_multi(value: object) -> bool:
        if type(value) is not list or not value:
            return False
        try:
            chosen = set(value)
        except TypeError:  # objects or arrays among the items: not options (the slow path says so)
            return False
        if len(chosen) != len(value) or not chosen <= options:
            return False
        return len(chosen) == 1 or exclusive.isdisjoint(chosen)

    return accept_multi


def missing_issues(question_ids: tuple[str, ...]) -> list[AnswerIssue]:
    """One ``missing_required`` issue per required question that applies and is unanswered."""
    return [
        AnswerIssue("missing_required", f"'{qid}' applies to these answers and is required", answer_pointer(qid))
        for qid in question_ids
    ]


def _unknown_detail(key: str, ruleset: RuleSet) -> str:
    hint = suggest(key, ruleset.questions) if is_id_like(key) else None
    return "an answer key is not a question id of this questionnaire" + (f"; did you mean '{hint}'?" if hint else "")


def _is_whole_number(value: object) -> bool:
    # JSON Schema counts 8.0 as an integer, so the API does too; booleans are not numbers.
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return isinstance(value, float) and math.isfinite(value) and value.is_integer()


def _type_issue(question: Question, value: object) -> AnswerIssue | None:
    pointer = answer_pointer(question.id)

    def issue(code: str, detail: str) -> AnswerIssue:
        return AnswerIssue(code, f"'{question.id}' {detail}", pointer)

    if question.type == "boolean":
        if not isinstance(value, bool):
            return issue("invalid_type", "takes a JSON boolean (true or false)")
        return None
    if question.is_numeric:
        if not _is_whole_number(value):
            return issue("invalid_type", "takes a whole number")
        number = int(value)  # type: ignore[call-overload]
        if (question.min is not None and number < question.min) or (question.max is not None and number > question.max):
            return issue("out_of_range", f"takes a whole number from {question.min} to {question.max}")
        return None
    allowed = ", ".join(question.options)
    if question.type == "single_choice":
        if not isinstance(value, str):
            return issue("invalid_type", "takes one option value (a string)")
        if value not in question.options:
            return issue("invalid_option", f"takes one of: {allowed}")
        return None
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        return issue("invalid_type", "takes a list of option values (strings)")
    if not value:
        return issue("invalid_option", "takes at least one option; leave the question out if unanswered")
    if any(item not in question.options for item in value):
        return issue("invalid_option", f"takes options among: {allowed}")
    if len(set(value)) != len(value):
        return issue("duplicate_option", "lists an option more than once")
    exclusive = question.exclusive.intersection(value)
    if exclusive and len(value) > 1:
        return issue("exclusive_option", f"cannot combine {', '.join(sorted(exclusive))} with other options")
    return None


def _typed(question: Question, value: object) -> AnswerValue:
    if question.type == "multi_choice" and isinstance(value, list):
        return frozenset(value)
    if question.is_numeric:
        return int(value)  # type: ignore[call-overload, no-any-return]
    return value  # type: ignore[return-value]
