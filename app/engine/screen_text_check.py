"""Load-time checks of screen texts: every term a text names is defined in its language, and a
text names an answer only where its rule cannot fire without that single-choice answer."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from app.engine import conditions as cond
from app.engine.questionnaire import Question
from app.engine.ruleset import Rule
from app.engine.screen_texts import answer_slots, requires_answer, term_names, terms_of

TERM_PARTS = ("full", "short")


@dataclass(frozen=True)
class TextProblem:
    code: str
    language: str
    key: str
    message: str


def is_term_key(key: str) -> bool:
    parts = key.split(".")
    return len(parts) == 3 and parts[0] == "term" and parts[2] in TERM_PARTS


def screen_text_problems(
    locales: Mapping[str, Mapping[str, str | list[str]]],
    questions: Mapping[str, Question],
    rules: Sequence[Rule],
    predicates: Mapping[str, cond.Condition],
) -> list[TextProblem]:
    by_key = {f"{kind}.{rule.id}": rule for rule in rules for kind in ("rule", "told")}
    problems: list[TextProblem] = []
    for language, values in locales.items():
        terms = terms_of(values)
        for key in values:
            if is_term_key(key):
                name, part = key.split(".")[1:]
                other = TERM_PARTS[1 - TERM_PARTS.index(part)]
                if f"term.{name}.{other}" not in values:
                    problems.append(TextProblem("incomplete_term", language, key, f"term '{name}' has no {other} form"))
        for key, value in values.items():
            for name in term_names(value):
                if name not in terms:
                    problems.append(
                        TextProblem("unknown_term", language, key, f"text uses {{term:{name}}}, which is not defined")
                    )
            for qid in answer_slots(value):
                rule = by_key.get(key)
                question = questions.get(qid)
                if rule is None:
                    message = "only a rule's texts (rule.<id>, told.<id>) may name an answer"
                elif question is None or question.type != "single_choice":
                    message = f"{{answer:{qid}}} must name a single-choice question"
                elif not requires_answer(rule.condition, qid, predicates):
                    message = f"{{answer:{qid}}}: rule {rule.id} can fire without an answer to {qid}"
                else:
                    continue
                problems.append(TextProblem("invalid_answer_slot", language, key, message))
    return problems
