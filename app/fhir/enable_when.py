"""Our ``enable_when`` as FHIR ``enableWhen`` + ``enableBehavior`` where that one-level form says
exactly the same thing, else as an SDC ``enableWhenExpression`` (FHIRPath); see README.md."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from app.engine.conditions import ORDINAL_OPERATORS, AllOf, Always, AnyOf, Condition, Leaf, NotOf, PredicateRef
from app.engine.questionnaire import Question
from app.fhir.urls import ENABLE_WHEN_EXPRESSION

Behavior = Literal["all", "any"]
AnswerValue = bool | int | str
CodingOf = Callable[[Question, Any], dict[str, Any]]
"""Builds the Coding of one option of a question."""


@dataclass(frozen=True)
class Atom:
    """One FHIR enableWhen: a question, an operator and a typed answer."""

    question: str
    operator: str
    answer: AnswerValue


@dataclass(frozen=True)
class Structured:
    """Atoms joined by one behaviour (irrelevant for a single atom)."""

    behavior: Behavior
    atoms: tuple[Atom, ...]

    def fits(self, behavior: Behavior) -> bool:
        return len(self.atoms) == 1 or self.behavior == behavior


class _NotExpressible(Exception):
    pass


_FHIR_ORDINAL = {"gt": ">", "gte": ">=", "lt": "<", "lte": "<="}


def structured(
    condition: Condition, questions: Mapping[str, Question], predicates: Mapping[str, Condition]
) -> Structured | None:
    """The exact structured form of ``condition``, or None when FHIR's one level cannot say it."""
    try:
        return _map(condition, questions, predicates)
    except _NotExpressible:
        return None


def _map(condition: Condition, questions: Mapping[str, Question], predicates: Mapping[str, Condition]) -> Structured:
    if isinstance(condition, PredicateRef):
        return _map(predicates[condition.name], questions, predicates)
    if isinstance(condition, Leaf):
        return _leaf(condition, questions[condition.question])
    if isinstance(condition, NotOf):
        return _negate(condition.item, questions, predicates)
    if isinstance(condition, (AllOf, AnyOf)):
        behavior: Behavior = "all" if isinstance(condition, AllOf) else "any"
        atoms: list[Atom] = []
        for item in condition.items:
            part = _map(item, questions, predicates)
            if not part.fits(behavior):
                raise _NotExpressible
            atoms.extend(atom for atom in part.atoms if atom not in atoms)
        return Structured(behavior, tuple(atoms))
    raise _NotExpressible  # Always inside a combination: rare, and an expression says it plainly


def _negate(condition: Condition, questions: Mapping[str, Question], predicates: Mapping[str, Condition]) -> Structured:
    if isinstance(condition, PredicateRef):
        return _negate(predicates[condition.name], questions, predicates)
    if isinstance(condition, NotOf):
        return _map(condition.item, questions, predicates)
    if isinstance(condition, Leaf) and condition.op in ("answered", "not_answered"):
        return Structured("all", (Atom(condition.question, "exists", condition.op == "not_answered"),))
    raise _NotExpressible


def _leaf(leaf: Leaf, question: Question) -> Structured:
    qid, op, value = leaf.question, leaf.op, leaf.value
    if op in ("answered", "not_answered"):
        return Structured("all", (Atom(qid, "exists", op == "answered"),))
    if op in ("equals", "contains"):
        return Structured("all", (Atom(qid, "=", value),))
    if op in ("in", "contains_any"):
        return Structured("any", tuple(Atom(qid, "=", v) for v in value))
    if op == "contains_all":
        return Structured("all", tuple(Atom(qid, "=", v) for v in value))
    if op in ("not_equals", "not_contains"):
        return Structured("all", (Atom(qid, "exists", True), Atom(qid, "!=", value)))
    if op == "not_in":
        return Structured("all", (Atom(qid, "exists", True), *(Atom(qid, "!=", v) for v in value)))
    if op in ORDINAL_OPERATORS:
        if question.is_numeric:
            return Structured("all", (Atom(qid, _FHIR_ORDINAL[op], value),))
        chosen = ordinal_options(question, op, value)
        if not chosen:
            raise _NotExpressible
        return Structured("any", tuple(Atom(qid, "=", option) for option in chosen))
    raise _NotExpressible  # count_gte, count_lte


def ordinal_options(question: Question, op: str, value: str) -> tuple[str, ...]:
    """The options of an ordered single-choice item that satisfy ``op value`` by position."""
    threshold = question.options.index(value)
    tests = {
        "gt": lambda p: p > threshold,
        "gte": lambda p: p >= threshold,
        "lt": lambda p: p < threshold,
        "lte": lambda p: p <= threshold,
    }
    return tuple(option for position, option in enumerate(question.options) if tests[op](position))


# FHIRPath fallback ---------------------------------------------------------------------------


def _literal(value: AnswerValue) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    # Ids and option values come from checked rule files; escape anyway so the text stays valid.
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _answers(question: Question) -> str:
    path = f"%resource.repeat(item).where(linkId = {_literal(question.id)}).answer.value"
    return path + ".code" if question.is_choice else path


def fhirpath(condition: Condition, questions: Mapping[str, Question], predicates: Mapping[str, Condition]) -> str:
    """A FHIRPath boolean with our semantics: every leaf is a boolean, never empty, so
    ``and``/``or``/``not()`` never meet FHIRPath's three-valued empty."""
    if isinstance(condition, Always):
        return "true"
    if isinstance(condition, PredicateRef):
        return fhirpath(predicates[condition.name], questions, predicates)
    if isinstance(condition, NotOf):
        return f"({fhirpath(condition.item, questions, predicates)}).not()"
    if isinstance(condition, (AllOf, AnyOf)):
        joiner = " and " if isinstance(condition, AllOf) else " or "
        return "(" + joiner.join(fhirpath(item, questions, predicates) for item in condition.items) + ")"
    return _leaf_path(condition, questions[condition.question])


def _leaf_path(leaf: Leaf, question: Question) -> str:
    a, op, value = _answers(question), leaf.op, leaf.value
    # "A contains x" is false (not empty) when A is empty, which keeps every leaf two-valued.
    if op == "answered":
        return f"{a}.exists()"
    if op == "not_answered":
        return f"{a}.empty()"
    if op in ("equals", "contains"):
        return f"({a} contains {_literal(value)})"
    if op in ("not_equals", "not_contains"):
        return f"({a}.exists() and ({a} contains {_literal(value)}).not())"
    if op in ("in", "contains_any"):
        return "(" + " or ".join(f"({a} contains {_literal(v)})" for v in value) + ")"
    if op == "not_in":
        return f"({a}.exists() and (" + " or ".join(f"({a} contains {_literal(v)})" for v in value) + ").not())"
    if op == "contains_all":
        return "(" + " and ".join(f"({a} contains {_literal(v)})" for v in value) + ")"
    if op in ORDINAL_OPERATORS:
        if question.is_numeric:
            return f"({a}.exists() and {a} {_FHIR_ORDINAL[op]} {value})"
        chosen = ordinal_options(question, op, value)
        return "(" + (" or ".join(f"({a} contains {_literal(v)})" for v in chosen) or "false") + ")"
    # count_gte / count_lte: exclusive options such as "none" are not counted, as in ours.
    counted = a
    for option in sorted(question.exclusive):
        counted += f".where($this != {_literal(option)})"
    comparison = ">=" if op == "count_gte" else "<="
    return f"({a}.exists() and {counted}.count() {comparison} {value})"


def item_fields(
    question: Question, questions: Mapping[str, Question], predicates: Mapping[str, Condition], coding: CodingOf
) -> dict[str, Any]:
    """The enableWhen / enableBehavior / extension members of one item (empty when it always
    applies). ``coding(question, code)`` builds the Coding of an option."""
    condition = question.enable_when
    if condition is None or isinstance(condition, Always):
        return {}
    mapped = structured(condition, questions, predicates)
    if mapped is None:
        expression = {
            "language": "text/fhirpath",
            "expression": fhirpath(condition, questions, predicates),
        }
        return {"extension": [{"url": ENABLE_WHEN_EXPRESSION, "valueExpression": expression}]}
    fields: dict[str, Any] = {
        "enableWhen": [_enable_when(atom, questions[atom.question], coding) for atom in mapped.atoms]
    }
    if len(mapped.atoms) > 1:
        fields["enableBehavior"] = mapped.behavior
    return fields


def _enable_when(atom: Atom, question: Question, coding: CodingOf) -> dict[str, Any]:
    entry: dict[str, Any] = {"question": atom.question, "operator": atom.operator}
    if atom.operator == "exists" or question.type == "boolean":
        entry["answerBoolean"] = atom.answer
    elif question.is_numeric:
        entry["answerInteger"] = atom.answer
    else:
        entry["answerCoding"] = coding(question, atom.answer)
    return entry
